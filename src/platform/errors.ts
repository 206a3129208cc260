/**
 * Application errors carry a stable, dotted `code` (part of the API contract), an HTTP status and an
 * Italian message that says what to fix. They are turned into application/problem+json in one place
 * (`problem.ts`); anything that is not an AppError becomes a 500 without internals.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { errors?: { path: string; message: string; field?: string; code?: string; params?: Record<string, unknown> }[]; [key: string]: unknown } = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: AppError['details']) => new AppError(400, code, message, details);
export const unauthorized = (message = 'Autenticazione richiesta: accedi o fornisci un token API valido.') =>
  new AppError(401, 'auth.required', message);
export const forbidden = (message = 'Non hai i permessi per questa operazione.', code = 'auth.forbidden') => new AppError(403, code, message);
export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string, details?: AppError['details']) => new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: AppError['details']) => new AppError(422, code, message, details);
export const preconditionFailed = (message = 'La risorsa è stata modificata da qualcun altro: ricaricala e riprova.') =>
  new AppError(412, 'precondition.failed', message);
export const preconditionRequired = () =>
  new AppError(428, 'precondition.required', "Intestazione If-Match obbligatoria: invia l'ETag ricevuto leggendo la risorsa.");

/** True when `err` is PostgreSQL's unique violation (23505) of a constraint or index whose name contains the fragment. */
export function isUniqueViolation(err: unknown, constraintFragment: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  return e.code === '23505' && (e.constraint?.includes(constraintFragment) ?? e.message?.includes(constraintFragment) ?? false);
}
