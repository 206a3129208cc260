import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.js';

/** Thrown when email/password do not match an active account (never says which part was wrong). */
export const invalidCredentials = () => new AppError(401, 'auth.invalid_credentials', 'Email o password non corretti.');
/** Thrown after too many failed logins for the same account and address. */
export const loginThrottled = (retryAfterSeconds: number) =>
  new AppError(429, 'auth.throttled', `Troppi tentativi di accesso non riusciti: riprova tra ${Math.ceil(retryAfterSeconds / 60)} minuti.`, {}, { 'retry-after': String(retryAfterSeconds) });
export const organisationNotFound = () => notFound('organisation.not_found', 'Organizzazione non trovata.');
export const officeNotFound = () => notFound('office.not_found', 'Ufficio non trovato.');
export const userNotFound = () => notFound('user.not_found', 'Utente non trovato.');
export const grantNotFound = () => notFound('role.not_found', 'Ruolo non trovato.');
export const tokenNotFound = () => notFound('token.not_found', 'Token non trovato.');
/** Thrown when an e-mail address already belongs to another account. */
export const emailTaken = () => conflict('user.email_taken', 'Esiste già un utente con questa email.');
export const slugTaken = (what: string) => conflict(`${what}.slug_taken`, `Esiste già un elemento con questo identificativo (slug): scegline un altro.`);
export const ipaCodeTaken = () => conflict('organisation.ipa_code_taken', 'Esiste già un\'organizzazione con questo codice IPA.');
/** Thrown when a calendar (opening hours, closures) does not validate; lists each problem. */
export const invalidCalendar = (errors: string[]) =>
  unprocessable('office.invalid_calendar', `Orari non validi: ${errors.join('; ')}`, { errors: errors.map((m) => ({ path: 'calendar', message: m })) });
export const officeOutsideOrganisation = () =>
  unprocessable('role.office_outside_organisation', "L'ufficio indicato non appartiene all'organizzazione indicata.");
export const roleNeedsOrganisationScope = (role: string) =>
  unprocessable('role.scope_invalid', `Il ruolo «${role}» si assegna all'intera organizzazione: non indicare un ufficio.`);
export const weakPassword = () => unprocessable('user.weak_password', 'La password deve avere almeno 10 caratteri.');
