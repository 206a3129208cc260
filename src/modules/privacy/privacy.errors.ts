import { defineErrors } from '../../platform/errors.js';

/* Errors of retention and of the data subject's requests. Codes are part of the API contract. */

export const privacyErrors = defineErrors('privacy', {
  /** A search or request without any criterion (e-mail, phone, codice fiscale, name). */
  noCriteria: {
    code: 'privacy.no_criteria',
    status: 422,
    it: () => 'Indicare almeno un criterio di ricerca: e-mail, telefono, codice fiscale o nome.',
    en: () => 'Give at least one search criterion: e-mail, phone, tax code or name.',
  },
  /** More requester records match than a request may handle at once: the criteria are too broad (a common name alone). */
  tooBroad: {
    code: 'privacy.too_broad',
    status: 422,
    example: { limit: 1000 },
    it: (p: { limit: number }) => `Troppe corrispondenze (oltre ${p.limit}): restringere i criteri, ad esempio con il codice fiscale.`,
    en: (p: { limit: number }) => `Too many matches (over ${p.limit}): narrow the criteria, for example with the tax code.`,
  },
  /** A request created without `confirm: true` or without any chosen candidate. */
  confirmationRequired: {
    code: 'privacy.confirmation_required',
    status: 422,
    it: () => 'Confermare la richiesta (confirm: true) indicando le persone scelte tra i candidati della ricerca.',
    en: () => 'Confirm the request (confirm: true) naming the people chosen among the candidates of the search.',
  },
  /** A chosen candidate is no longer among the matches of the same criteria (data changed since the search). */
  candidatesChanged: {
    code: 'privacy.candidates_changed',
    status: 409,
    it: () => 'I candidati indicati non corrispondono più alla ricerca: ripetere la ricerca e confermare di nuovo.',
    en: () => 'The candidates given no longer match the search: search again and confirm again.',
  },
  /** The organisation named as receiving the request is not one the caller administers. */
  notYourOrganisation: {
    code: 'privacy.not_your_organisation',
    status: 403,
    it: () => 'Si può registrare una richiesta solo per un ente che si amministra.',
    en: () => 'A request can be recorded only for a body you administer.',
  },
  requestNotFound: {
    code: 'privacy.request_not_found',
    status: 404,
    example: { id: '00000000-0000-0000-0000-000000000000' },
    it: (p: { id: string }) => `Nessuna richiesta ${p.id}.`,
    en: (p: { id: string }) => `No request ${p.id}.`,
  },
  /** The export of an access request was already downloaded (once only), has expired, or the request has none. */
  exportGone: {
    code: 'privacy.export_gone',
    status: 410,
    it: () => "L'esportazione è già stata scaricata oppure è scaduta: registrare una nuova richiesta di accesso.",
    en: () => 'The export was already downloaded or has expired: record a new access request.',
  },
});
