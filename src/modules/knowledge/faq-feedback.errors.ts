import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.js';

/** Thrown when an event or a rating names a FAQ that does not exist or is not published. */
export const faqNotFound = (id: string) => notFound('faq.not_found', `Nessuna FAQ pubblicata con id ${id}.`);
/** Thrown when a portal event lacks what its kind needs (a query for "search", a FAQ for "read"). */
export const eventInvalid = (message: string) => badRequest('faq.event_invalid', `Evento del portale non valido: ${message}`);
/** Thrown when the analytics period is reversed or longer than a year. */
export const periodInvalid = (message: string) => badRequest('faq.period_invalid', `Periodo non valido: ${message}`);
/** Thrown to callers who are neither analysts nor network coordinators. */
export const analyticsForbidden = () =>
  forbidden('Le statistiche dei contatti evitati sono riservate agli analisti e al coordinamento di rete.', 'faq.analytics_forbidden');
/** Thrown to callers who may not see or decide the FAQ gaps asked for. */
export const gapsForbidden = () =>
  forbidden('Le lacune delle FAQ sono visibili alla redazione di rete e, per il proprio territorio, agli amministratori dell’ente.', 'faq.gaps_forbidden');
export const gapNotFound = (id: string) => notFound('faq.gap_not_found', `Nessuna lacuna delle FAQ con id ${id}.`);
/** Thrown when a gap is marked addressed without naming the FAQ that answers it. */
export const gapFaqRequired = () => badRequest('faq.gap_faq_required', 'Indica la FAQ che risponde a questa ricerca (faqId) per segnarla come risolta.');
/** Thrown when a gap is updated from a stale copy. */
export const gapVersionConflict = () => conflict('faq.gap_version_conflict', 'La lacuna è stata modificata da qualcun altro: ricaricala e riprova.');
export const thesaurusEntryNotFound = (id: string) => notFound('faq.thesaurus_not_found', `Nessuna voce del thesaurus con id ${id}.`);
/** Thrown when an edited thesaurus entry no longer names two distinct meaningful terms. */
export const thesaurusEntryInvalid = (message: string) => badRequest('faq.thesaurus_invalid', `Voce del thesaurus non valida: ${message}`);
/** Thrown when a draft FAQ is asked of a ticket that is not resolved or closed yet. */
export const ticketNotResolved = (code: string) =>
  unprocessable('faq.draft_ticket_open', `Il ticket ${code} non è ancora risolto o chiuso: crea la bozza di FAQ quando la risposta è definitiva.`);
/** Thrown when the ticket has no public reply to turn into the answer of the FAQ. */
export const ticketWithoutReply = (code: string) =>
  unprocessable('faq.draft_no_reply', `Il ticket ${code} non ha risposte al cittadino: la bozza di FAQ parte dall’ultima risposta pubblica.`);
/** Thrown when the ticket already produced a draft FAQ. */
export const draftExists = (code: string, faqId: string) =>
  conflict('faq.draft_exists', `Dal ticket ${code} è già stata creata una bozza di FAQ.`, { faqId });
/** Thrown to ticket workers who are not supervisors nor administrators of the owning organisation. */
export const draftForbidden = () =>
  forbidden('Solo i responsabili dell’ufficio e gli amministratori dell’ente titolare possono trasformare un ticket in FAQ.', 'faq.draft_forbidden');
/** Unknown codes and tickets of organisations the caller does not belong to answer alike. */
export const ticketNotFoundForDraft = (code: string) => notFound('ticket.not_found', `Nessun ticket con codice ${code} tra quelli che puoi vedere.`);
