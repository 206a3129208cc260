import { defineErrors } from '../../platform/errors.js';

/* Errors of accounts, organisations, offices, roles, API tokens and invitations. Codes are part of the API contract. */

const minutes = (seconds: number) => Math.ceil(seconds / 60);
/** The problems of a calendar: `problems` in Italian, `en` the same in English. */
type CalendarProblems = { problems: string[]; en: string[] };

export const identityErrors = defineErrors('identity', {
  /** Thrown when email/password do not match an active account (never says which part was wrong). */
  invalidCredentials: { code: 'auth.invalid_credentials', status: 401, it: () => 'Email o password non corretti.', en: () => 'Wrong e-mail or password.' },
  /** Thrown after too many failed logins for the same account and address. */
  loginThrottled: {
    code: 'auth.throttled',
    status: 429,
    example: { retryAfterSeconds: 300 },
    it: (p: { retryAfterSeconds: number }) => `Troppi tentativi di accesso non riusciti: riprova tra ${minutes(p.retryAfterSeconds)} minuti.`,
    en: (p: { retryAfterSeconds: number }) => `Too many failed sign-in attempts: try again in ${minutes(p.retryAfterSeconds)} minutes.`,
    headers: (p: { retryAfterSeconds: number }) => ({ 'retry-after': String(p.retryAfterSeconds) }),
  },
  organisationNotFound: { code: 'organisation.not_found', status: 404, it: () => 'Organizzazione non trovata.', en: () => 'Organisation not found.' },
  /** Thrown when a PATCH of an organisation sets `active`: a body leaves and comes back through /leave and /rejoin (coordinators only), which hand its tickets back and switch its people off and on. */
  activeThroughExit: {
    code: 'organisation.active_through_exit',
    status: 422,
    it: () => "Un ente esce dalla rete e vi rientra con le azioni «uscita» e «rientro» del coordinamento (POST /organisations/:id/leave e /rejoin), non modificando il campo active.",
    en: () => 'A body leaves the network and comes back through the coordination’s “leave” and “rejoin” actions (POST /organisations/:id/leave and /rejoin), not by changing the active field.',
  },
  officeNotFound: { code: 'office.not_found', status: 404, it: () => 'Ufficio non trovato.', en: () => 'Office not found.' },
  userNotFound: { code: 'user.not_found', status: 404, it: () => 'Utente non trovato.', en: () => 'User not found.' },
  grantNotFound: { code: 'role.not_found', status: 404, it: () => 'Ruolo non trovato.', en: () => 'Role not found.' },
  tokenNotFound: { code: 'token.not_found', status: 404, it: () => 'Token non trovato.', en: () => 'Token not found.' },
  /** Thrown when an e-mail address already belongs to another account. */
  emailTaken: { code: 'user.email_taken', status: 409, it: () => 'Esiste già un utente con questa email.', en: () => 'A user with this e-mail address already exists.' },
  organisationSlugTaken: {
    code: 'organisation.slug_taken',
    status: 409,
    it: () => 'Esiste già un elemento con questo identificativo (slug): scegline un altro.',
    en: () => 'Something with this identifier (slug) already exists: choose another one.',
  },
  officeSlugTaken: {
    code: 'office.slug_taken',
    status: 409,
    it: () => 'Esiste già un elemento con questo identificativo (slug): scegline un altro.',
    en: () => 'Something with this identifier (slug) already exists: choose another one.',
  },
  ipaCodeTaken: {
    code: 'organisation.ipa_code_taken',
    status: 409,
    it: () => "Esiste già un'organizzazione con questo codice IPA.",
    en: () => 'An organisation with this IPA code already exists.',
  },
  /** Thrown when a calendar (opening hours, closures) does not validate; lists each problem, in both languages, in `errors`. */
  invalidCalendar: {
    code: 'office.invalid_calendar',
    status: 422,
    example: {
      problems: ['weekly.mon[0].open: orario non valido «25:00», usare il formato HH:MM.'],
      en: ['weekly.mon[0].open: invalid time “25:00”, use the HH:MM format.'],
    },
    it: (p: CalendarProblems) => `Orari non validi: ${p.problems.join('; ')}`,
    en: (p: CalendarProblems) => `Invalid opening hours: ${p.en.join('; ')}`,
    members: (p: CalendarProblems, lang) => ({ errors: (lang === 'en' ? p.en : p.problems).map((m) => ({ path: 'calendar', message: m })) }),
  },
  officeOutsideOrganisation: {
    code: 'role.office_outside_organisation',
    status: 422,
    it: () => "L'ufficio indicato non appartiene all'organizzazione indicata.",
    en: () => 'The given office does not belong to the given organisation.',
  },
  roleNeedsOrganisationScope: {
    code: 'role.scope_invalid',
    status: 422,
    example: { role: 'org_admin' },
    it: (p: { role: string }) => `Il ruolo «${p.role}» si assegna all'intera organizzazione: non indicare un ufficio.`,
    en: (p: { role: string }) => `The role “${p.role}” is granted on the whole organisation: do not give an office.`,
  },
  /** Thrown by the first-run page and `urpnet network init` once the network has a coordinator. */
  setupDone: {
    code: 'setup.already_done',
    status: 409,
    it: () => 'La rete è già configurata: ha un coordinatore. Accedi con il tuo account.',
    en: () => 'The network is already set up: it has a coordinator. Sign in with your account.',
  },
  /** Thrown when the setup token is wrong (it is printed in the server log at start-up). */
  setupTokenInvalid: {
    code: 'setup.invalid_token',
    status: 403,
    it: () => 'Il codice di configurazione non è valido: usa quello stampato nel log del server all’avvio (o nel file setup-token della cartella dei dati).',
    en: () => 'The setup code is not valid: use the one printed in the server log at start-up (or in the setup-token file of the data folder).',
  },
  /** Thrown when a set-password link is unknown, already used or expired. */
  passwordTokenInvalid: {
    code: 'auth.password_link_invalid',
    status: 410,
    it: () => 'Il link per impostare la password non è valido, è già stato usato o è scaduto: chiedine uno nuovo all’amministratore.',
    en: () => 'The link to set the password is not valid, was already used or has expired: ask the administrator for a new one.',
  },
  weakPassword: {
    code: 'user.weak_password',
    status: 422,
    example: { minLength: 10 },
    it: (p: { minLength: number }) => `La password deve avere almeno ${p.minLength} caratteri.`,
    en: (p: { minLength: number }) => `The password must be at least ${p.minLength} characters long.`,
  },
  /** Thrown when an administrator grants a role in their organisation to a user who is not a member of it (issue 9, point 2). */
  notMember: {
    code: 'role.not_member',
    status: 403,
    it: () => "L'utente non fa parte della tua organizzazione: invitalo per email, l'invito vale quando l'utente lo accetta.",
    en: () => 'The user is not a member of your organisation: invite them by e-mail; the invitation takes effect when they accept it.',
  },
  /** Thrown when an administrator of an organisation the user joined (not the one that created the account) tries to change the account. */
  notAccountOwner: {
    code: 'user.not_account_owner',
    status: 403,
    it: () => "Solo l'ente che ha creato l'account, o il coordinamento di rete, può modificarlo, disattivarlo o reimpostarne la password.",
    en: () => 'Only the organisation that created the account, or the network coordination, can change it, deactivate it or reset its password.',
  },
  /** Thrown when an administrator acts on an organisation they do not administer. */
  organisationForbidden: {
    code: 'auth.forbidden',
    status: 403,
    it: () => 'Puoi amministrare solo la tua organizzazione.',
    en: () => 'You can administer only your own organisation.',
  },
  /** Thrown when changing an office without supervising it or administering its organisation. */
  officeForbidden: {
    code: 'auth.forbidden',
    status: 403,
    it: () => "Solo il responsabile dell'ufficio o l'amministratore dell'organizzazione possono modificarlo.",
    en: () => 'Only the office’s supervisor or the organisation’s administrator can change it.',
  },
  /** Thrown when someone other than a network coordinator names a network coordinator. */
  coordinatorOnly: {
    code: 'auth.forbidden',
    status: 403,
    it: () => 'Solo un coordinatore di rete può nominare altri coordinatori.',
    en: () => 'Only a network coordinator can appoint other coordinators.',
  },
  /** Thrown when an API token asks for another API token. */
  tokenCannotCreateTokens: {
    code: 'auth.forbidden',
    status: 403,
    it: () => 'Un token API non può creare altri token: usa una sessione.',
    en: () => 'An API token cannot create other tokens: use a signed-in session.',
  },
  /** Thrown when an organisation administrator creates a user without a role in their organisation. */
  newUserNeedsRole: {
    code: 'auth.forbidden',
    status: 403,
    it: () => 'Indica almeno un ruolo nella tua organizzazione per il nuovo utente.',
    en: () => 'Give the new user at least one role in your organisation.',
  },
  invitationNotFound: { code: 'invitation.not_found', status: 404, it: () => 'Invito non trovato.', en: () => 'Invitation not found.' },
  /** Thrown when the organisation already has a pending invitation for the address. */
  invitationPending: {
    code: 'invitation.pending_exists',
    status: 409,
    it: () => 'Esiste già un invito in attesa per questo indirizzo.',
    en: () => 'There is already a pending invitation for this address.',
  },
  /** Thrown when the invited user already belongs to the organisation. */
  alreadyMember: {
    code: 'invitation.already_member',
    status: 409,
    it: () => "L'utente fa già parte dell'organizzazione: assegnagli direttamente un ruolo.",
    en: () => 'The user is already a member of the organisation: grant them a role directly.',
  },
  /** Thrown when an invitation was already accepted, declined or revoked. */
  invitationAnswered: {
    code: 'invitation.not_pending',
    status: 409,
    example: { status: 'accepted' },
    it: (p: { status: string }) => `L'invito non è più in attesa (stato: ${p.status}).`,
    en: (p: { status: string }) => `The invitation is no longer pending (status: ${p.status}).`,
  },
  /** Thrown when invitations are answered with an API token instead of a signed-in session. */
  invitationNeedsSession: {
    code: 'invitation.session_required',
    status: 403,
    it: () => "Un invito si accetta o si rifiuta dall'app, con una sessione: non con un token API.",
    en: () => 'An invitation is accepted or declined in the app, with a signed-in session: not with an API token.',
  },
});
