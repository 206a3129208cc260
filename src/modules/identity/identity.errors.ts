import { AppError, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.js';

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
/** Thrown when an administrator grants a role in their organisation to a user who is not a member of it (issue 9, point 2). */
export const notMember = () =>
  forbidden("L'utente non fa parte della tua organizzazione: invitalo per email, l'invito vale quando l'utente lo accetta.", 'role.not_member');
/** Thrown when an administrator of an organisation the user joined (not the one that created the account) tries to change the account. */
export const notAccountOwner = () =>
  forbidden("Solo l'ente che ha creato l'account, o il coordinamento di rete, può modificarlo, disattivarlo o reimpostarne la password.", 'user.not_account_owner');
export const invitationNotFound = () => notFound('invitation.not_found', 'Invito non trovato.');
/** Thrown when the organisation already has a pending invitation for the address. */
export const invitationPending = () => conflict('invitation.pending_exists', 'Esiste già un invito in attesa per questo indirizzo.');
/** Thrown when the invited user already belongs to the organisation. */
export const alreadyMember = () => conflict('invitation.already_member', "L'utente fa già parte dell'organizzazione: assegnagli direttamente un ruolo.");
/** Thrown when an invitation was already accepted, declined or revoked. */
export const invitationAnswered = (status: string) => conflict('invitation.not_pending', `L'invito non è più in attesa (stato: ${status}).`);
/** Thrown when invitations are answered with an API token instead of a signed-in session. */
export const invitationNeedsSession = () => forbidden("Un invito si accetta o si rifiuta dall'app, con una sessione: non con un token API.", 'invitation.session_required');
