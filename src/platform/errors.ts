import type { Language } from './messages.js';

/**
 * Application errors carry a stable, dotted `code` (part of the API contract), an HTTP status, the
 * parameters of the case and its message in Italian and English. Each module declares its errors
 * once, as a typed catalogue (`defineErrors`): code → status, parameters, Italian and English
 * message. They are turned into application/problem+json in one place (`problem.ts`), in the
 * request's language; anything that is not an AppError becomes a 500 without internals.
 */

/** One invalid field or item of a request, as listed in a problem's `errors`. */
export interface FieldProblem {
  path: string;
  message: string;
  field?: string;
  code?: string;
  params?: Record<string, unknown>;
}

/** Extra members of a problem besides the standard ones (e.g. `errors`, or `allowed` transitions). */
export type ProblemMembers = { errors?: FieldProblem[]; [key: string]: unknown };

type Texts = Record<Language, string>;

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  /** The values that fill the message templates: what a client needs to say it in its own words. */
  readonly params: Record<string, unknown>;
  readonly headers: Record<string, string>;
  private readonly texts: Partial<Texts>;
  private readonly members: (lang: Language) => ProblemMembers;

  constructor(
    status: number,
    code: string,
    message: string | Texts,
    details: ProblemMembers | ((lang: Language) => ProblemMembers) = {},
    headers: Record<string, string> = {},
    params?: Record<string, unknown>,
  ) {
    const texts: Partial<Texts> = typeof message === 'string' ? { it: message } : message;
    super(texts.it ?? '');
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.texts = texts;
    this.headers = headers;
    this.members = typeof details === 'function' ? details : () => details;
    if (params) this.params = params;
    else {
      // An error built without a catalogue: its extra members (but the field list) are its parameters.
      const { errors: _errors, ...rest } = this.members('it');
      this.params = rest;
    }
  }

  /** The message in `lang`; Italian when the error has no translation. */
  text(lang: Language): string {
    return this.texts[lang] ?? this.message;
  }

  /** The problem's extra members (`errors`, …) in `lang`. */
  details(lang: Language = 'it'): ProblemMembers {
    return this.members(lang);
  }
}

/** The declaration of one error: its status, and its message in each language from its parameters. */
export interface ErrorSpec<P> {
  status: number;
  /** The stable code; by default `<scope>.<key>`. */
  code?: string;
  it: (params: P) => string;
  en: (params: P) => string;
  /** Extra problem members kept at the top level of the problem (API contract), e.g. `errors`. */
  members?: (params: P, lang: Language) => ProblemMembers;
  headers?: (params: P) => Record<string, string>;
  /** Parameters of a typical case: required when the messages take parameters (the catalogue test renders them). */
  example?: NoInfer<P>;
}

// biome-ignore lint/suspicious/noExplicitAny: the parameter type of each entry is inferred from its own declaration.
type AnySpec = ErrorSpec<any>;
/** The parameters of an entry: those its Italian message takes. */
type ParamsOf<S> = S extends { it: (params: infer P) => string } ? P : never;

/** Builds the error of one catalogue entry; `code` and `is` let callers recognise it without reading messages. */
export interface ErrorBuilder<P> {
  (...params: unknown extends P ? [] : [params: P]): AppError;
  readonly code: string;
  readonly status: number;
  /** True when `err` is an error of this entry (same code). */
  is(err: unknown): err is AppError;
}

export type ErrorCatalogue<S extends Record<string, AnySpec>> = { readonly [K in keyof S]: ErrorBuilder<ParamsOf<S[K]>> };

/** One declared error, as listed by `declaredErrors()` (for the catalogue checks). */
export interface DeclaredError {
  scope: string;
  key: string;
  code: string;
  status: number;
  spec: AnySpec;
}

const registry: DeclaredError[] = [];

/** Every error declared so far by `defineErrors` (the modules that were imported). */
export function declaredErrors(): readonly DeclaredError[] {
  return registry;
}

/**
 * Declares a module's errors: `defineErrors('ticket', { not_found: { status: 404, it: (p: { ticketCode: string }) => …, en: … } })`
 * gives `errors.not_found({ ticketCode })`, an AppError with code `ticket.not_found`, the parameters,
 * and the message in both languages.
 */
export function defineErrors<S extends Record<string, AnySpec>>(scope: string, specs: S & { [K in keyof S]: ErrorSpec<ParamsOf<S[K]>> }): ErrorCatalogue<S> {
  const catalogue: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const code = spec.code ?? `${scope}.${key}`;
    const build = (params: Record<string, unknown> = {}) =>
      new AppError(
        spec.status,
        code,
        { it: spec.it(params), en: spec.en(params) },
        spec.members ? (lang: Language) => spec.members!(params, lang) : {},
        spec.headers?.(params) ?? {},
        params,
      );
    Object.assign(build, { code, status: spec.status, is: (err: unknown): err is AppError => err instanceof AppError && err.code === code });
    catalogue[key] = build;
    registry.push({ scope, key, code, status: spec.status, spec });
  }
  return catalogue as ErrorCatalogue<S>;
}

/** True when `err` is an application error with one of the codes. */
export function hasCode(err: unknown, ...codes: string[]): err is AppError {
  return err instanceof AppError && codes.includes(err.code);
}

/** Errors of the platform itself: authentication, preconditions, requests. */
export const platformErrors = defineErrors('platform', {
  authRequired: {
    code: 'auth.required',
    status: 401,
    it: () => 'Autenticazione richiesta: accedi o fornisci un token API valido.',
    en: () => 'Authentication required: sign in or send a valid API token.',
  },
  malformedAuthorization: {
    code: 'auth.malformed_authorization',
    status: 401,
    it: () => 'Intestazione Authorization non valida: usa "Bearer <token>".',
    en: () => 'Invalid Authorization header: use "Bearer <token>".',
  },
  invalidToken: {
    code: 'auth.invalid_token',
    status: 401,
    it: () => 'Token API non valido, scaduto o revocato.',
    en: () => 'The API token is invalid, expired or revoked.',
  },
  csrf: {
    code: 'auth.csrf',
    status: 403,
    it: () => 'Token CSRF mancante o non valido: ricarica la pagina e riprova.',
    en: () => 'Missing or invalid CSRF token: reload the page and try again.',
  },
  forbidden: {
    code: 'auth.forbidden',
    status: 403,
    it: () => 'Non hai i permessi per questa operazione.',
    en: () => 'You do not have permission for this operation.',
  },
  permissionMissing: {
    code: 'auth.forbidden',
    status: 403,
    example: { permission: 'tickets:write' },
    it: (p: { permission: string }) => `Il tuo ruolo non consente questa operazione (serve il permesso «${p.permission}»).`,
    en: (p: { permission: string }) => `Your role does not allow this operation (it needs the permission “${p.permission}”).`,
  },
  sessionRequired: {
    code: 'auth.token_scope',
    status: 403,
    it: () => 'Questa operazione richiede una sessione: un token API non può eseguirla.',
    en: () => 'This operation needs a signed-in session: an API token cannot perform it.',
  },
  tokenScope: {
    code: 'auth.token_scope',
    status: 403,
    example: { scopes: ['tickets:read', 'admin'] },
    it: (p: { scopes: readonly string[] }) => `Il token API non ha l'ambito richiesto (uno tra: ${p.scopes.join(', ')}).`,
    en: (p: { scopes: readonly string[] }) => `The API token lacks the required scope (one of: ${p.scopes.join(', ')}).`,
  },
  preconditionFailed: {
    code: 'precondition.failed',
    status: 412,
    it: () => 'La risorsa è stata modificata da qualcun altro: ricaricala e riprova.',
    en: () => 'Someone else changed this resource: reload it and try again.',
  },
  preconditionRequired: {
    code: 'precondition.required',
    status: 428,
    it: () => "Intestazione If-Match obbligatoria: invia l'ETag ricevuto leggendo la risorsa.",
    en: () => 'The If-Match header is required: send the ETag you received when reading the resource.',
  },
  preconditionMalformed: {
    code: 'precondition.malformed',
    status: 400,
    it: () => 'Intestazione If-Match non valida: usa l\'ETag ricevuto, ad esempio "3".',
    en: () => 'Invalid If-Match header: use the ETag you received, for example "3".',
  },
  invalidCursor: {
    code: 'pagination.invalid_cursor',
    status: 400,
    it: () => 'Cursore di paginazione non valido: usa il valore nextCursor ricevuto.',
    en: () => 'Invalid pagination cursor: use the nextCursor value you received.',
  },
  idempotencyInvalidKey: {
    code: 'idempotency.invalid_key',
    status: 400,
    it: () => 'Idempotency-Key non valida: da 8 a 200 caratteri tra lettere, cifre e _ - : .',
    en: () => 'Invalid Idempotency-Key: 8 to 200 characters among letters, digits and _ - : .',
  },
  idempotencyKeyReused: {
    code: 'idempotency.key_reused',
    status: 422,
    it: () => 'Questa Idempotency-Key è già stata usata per una richiesta diversa: genera una nuova chiave per una nuova operazione.',
    en: () => 'This Idempotency-Key was already used for a different request: generate a new key for a new operation.',
  },
  idempotencyInProgress: {
    code: 'idempotency.in_progress',
    status: 409,
    it: () => 'Una richiesta con la stessa Idempotency-Key è ancora in corso: riprova tra poco.',
    en: () => 'A request with the same Idempotency-Key is still in progress: try again shortly.',
  },
  nulCharacter: {
    code: 'request.nul_character',
    status: 400,
    example: { part: 'body' },
    it: (p: { part: string }) => `La richiesta contiene un carattere NUL (\\u0000) in ${p.part}: rimuovilo.`,
    en: (p: { part: string }) => `The request contains a NUL character (\\u0000) in ${p.part}: remove it.`,
    members: (p: { part: string }, lang) => ({ errors: [{ path: p.part, message: lang === 'en' ? 'NUL character (\\u0000) not allowed' : 'carattere NUL (\\u0000) non ammesso' }] }),
  },
  validation: {
    code: 'request.validation',
    status: 400,
    example: { part: 'body', fields: '«subject» …', more: true },
    it: (p: { part: string; fields: string; more: boolean }) => `Dati non validi (${p.part}): ${p.fields}${p.more ? '; … e altri campi non validi' : ''}`,
    en: (p: { part: string; fields: string; more: boolean }) => `Invalid data (${p.part}): ${p.fields}${p.more ? '; … and other invalid fields' : ''}`,
  },
  badUrl: {
    code: 'request.bad_url',
    status: 400,
    it: () => "L'indirizzo della richiesta non è valido: controlla i caratteri codificati con %.",
    en: () => 'The request address is not valid: check the %-encoded characters.',
  },
  paramTooLong: {
    code: 'request.param_too_long',
    status: 414,
    it: () => "Un parametro dell'indirizzo è troppo lungo.",
    en: () => 'A parameter of the address is too long.',
  },
  malformedJson: {
    code: 'request.malformed_json',
    status: 400,
    example: { reason: 'Unexpected token } in JSON at position 12' },
    it: (p: { reason: string }) => `Il corpo della richiesta non è JSON valido: ${p.reason}`,
    en: (p: { reason: string }) => `The request body is not valid JSON: ${p.reason}`,
  },
  bodyTooLarge: {
    code: 'request.body_too_large',
    status: 413,
    it: () => 'Il corpo della richiesta supera la dimensione massima consentita.',
    en: () => 'The request body exceeds the maximum allowed size.',
  },
  unsupportedMediaType: {
    code: 'request.unsupported_media_type',
    status: 415,
    it: () => 'Tipo di contenuto non supportato: usa application/json.',
    en: () => 'Unsupported content type: use application/json.',
  },
  incompleteBody: {
    code: 'request.incomplete_body',
    status: 400,
    it: () => 'Il corpo della richiesta è incompleto (caricamento interrotto): invia di nuovo il file.',
    en: () => 'The request body is incomplete (the upload was interrupted): send the file again.',
  },
  emptyBody: {
    code: 'request.empty_body',
    status: 400,
    it: () => 'Il corpo JSON è vuoto: invia un oggetto JSON.',
    en: () => 'The JSON body is empty: send a JSON object.',
  },
  rateLimited: {
    code: 'request.rate_limited',
    status: 429,
    it: () => 'Troppe richieste: attendi prima di riprovare.',
    en: () => 'Too many requests: wait before trying again.',
  },
  rateLimitedFor: {
    code: 'request.rate_limited',
    status: 429,
    example: { max: 600, seconds: 42 },
    it: (p: { max: number; seconds: number }) => `Troppe richieste: limite di ${p.max} al minuto. Riprova tra ${p.seconds} secondi.`,
    en: (p: { max: number; seconds: number }) => `Too many requests: the limit is ${p.max} a minute. Try again in ${p.seconds} seconds.`,
  },
  shuttingDown: {
    code: 'service.shutting_down',
    status: 503,
    it: () => 'Il servizio si sta arrestando.',
    en: () => 'The service is shutting down.',
  },
  databaseUnavailable: {
    code: 'service.database_unavailable',
    status: 503,
    it: () => 'Database non raggiungibile.',
    en: () => 'The database cannot be reached.',
  },
  routeNotFound: {
    code: 'route.not_found',
    status: 404,
    example: { method: 'GET', path: '/api/v1/nothing' },
    it: (p: { method: string; path: string }) => `Nessuna risorsa a ${p.method} ${p.path}.`,
    en: (p: { method: string; path: string }) => `No resource at ${p.method} ${p.path}.`,
  },
  internal: {
    code: 'internal',
    status: 500,
    it: () => 'Si è verificato un errore interno. Riprova; se persiste contatta l’assistenza.',
    en: () => 'An internal error occurred. Try again; if it persists, contact support.',
  },
});

/* Shorthands of platform errors still called by name in modules. */
export const preconditionFailed = () => platformErrors.preconditionFailed();

/** True when `err` is PostgreSQL's unique violation (23505) of a constraint or index whose name contains the fragment. */
export function isUniqueViolation(err: unknown, constraintFragment: string): boolean {
  // Both drivers (pg and PGlite through its node-postgres adapter) name the constraint: its message is never read.
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && (e.constraint?.includes(constraintFragment) ?? false);
}
