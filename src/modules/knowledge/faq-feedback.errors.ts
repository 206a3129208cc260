import { defineErrors } from '../../platform/errors.js';
import type { Language } from '../../platform/messages.js';

/* Errors of portal feedback, deflection analytics, FAQ gaps, the thesaurus and FAQ drafts from tickets. Codes are part of the API contract. */

/** Why a portal event was refused. */
export type EventProblem = 'search_needs_query' | 'search_with_faq' | 'query_not_allowed' | 'read_needs_faq';
const EVENT_PROBLEM: Record<Language, (p: { problem: EventProblem; kind: string }) => string> = {
  it: (p) =>
    ({
      search_needs_query: 'una ricerca («search») richiede il testo cercato («query»).',
      search_with_faq: 'una ricerca («search») non riguarda una FAQ: togli «faqId».',
      query_not_allowed: `l’evento «${p.kind}» non porta testo: togli «query».`,
      read_needs_faq: 'la lettura («read») richiede la FAQ letta («faqId»).',
    })[p.problem],
  en: (p) =>
    ({
      search_needs_query: 'a search (“search”) needs the searched text (“query”).',
      search_with_faq: 'a search (“search”) is not about one FAQ: remove “faqId”.',
      query_not_allowed: `the “${p.kind}” event carries no text: remove “query”.`,
      read_needs_faq: 'a read (“read”) needs the FAQ that was read (“faqId”).',
    })[p.problem],
};

/** Why an analytics period was refused. */
export type PeriodProblem = 'not_iso' | 'reversed' | 'too_long';
const PERIOD_PROBLEM: Record<Language, Record<PeriodProblem, string>> = {
  it: { not_iso: 'usa date ISO 8601, es. 2026-11-01 o 2026-11-01T08:00:00Z.', reversed: '«from» deve precedere «to».', too_long: 'al massimo un anno alla volta.' },
  en: { not_iso: 'use ISO 8601 dates, e.g. 2026-11-01 or 2026-11-01T08:00:00Z.', reversed: '“from” must come before “to”.', too_long: 'at most one year at a time.' },
};

type Id = { id: string };
type TicketCode = { ticketCode: string };

export const faqFeedbackErrors = defineErrors('faq', {
  /** Thrown when an event or a rating names a FAQ that does not exist or is not published. */
  faqNotFound: {
    code: 'faq.not_found',
    status: 404,
    example: { id: '0199a1b2-0000-7000-8000-000000000001' },
    it: (p: Id) => `Nessuna FAQ pubblicata con id ${p.id}.`,
    en: (p: Id) => `No published FAQ with id ${p.id}.`,
  },
  /** Thrown when a portal event lacks what its kind needs (a query for "search", a FAQ for "read"). */
  eventInvalid: {
    code: 'faq.event_invalid',
    status: 400,
    example: { problem: 'query_not_allowed', kind: 'helpful' },
    it: (p: { problem: EventProblem; kind: string }) => `Evento del portale non valido: ${EVENT_PROBLEM.it(p)}`,
    en: (p: { problem: EventProblem; kind: string }) => `Invalid portal event: ${EVENT_PROBLEM.en(p)}`,
  },
  /** Thrown when the analytics period is not ISO 8601, reversed or longer than a year. */
  periodInvalid: {
    code: 'faq.period_invalid',
    status: 400,
    example: { problem: 'reversed' },
    it: (p: { problem: PeriodProblem }) => `Periodo non valido: ${PERIOD_PROBLEM.it[p.problem]}`,
    en: (p: { problem: PeriodProblem }) => `Invalid period: ${PERIOD_PROBLEM.en[p.problem]}`,
  },
  /** Thrown to callers who are neither analysts nor network coordinators. */
  analyticsForbidden: {
    code: 'faq.analytics_forbidden',
    status: 403,
    it: () => 'Le statistiche dei contatti evitati sono riservate agli analisti e al coordinamento di rete.',
    en: () => 'Statistics on avoided contacts are reserved to analysts and the network coordination.',
  },
  /** Thrown to callers who may not see or decide the FAQ gaps asked for. */
  gapsForbidden: {
    code: 'faq.gaps_forbidden',
    status: 403,
    it: () => 'Le lacune delle FAQ sono visibili alla redazione di rete e, per il proprio territorio, agli amministratori dell’ente.',
    en: () => 'FAQ gaps are visible to the network editorial board and, for their own territory, to organisation administrators.',
  },
  gapNotFound: {
    code: 'faq.gap_not_found',
    status: 404,
    example: { id: '17' },
    it: (p: Id) => `Nessuna lacuna delle FAQ con id ${p.id}.`,
    en: (p: Id) => `No FAQ gap with id ${p.id}.`,
  },
  /** Thrown when a gap is marked addressed without naming the FAQ that answers it. */
  gapFaqRequired: {
    code: 'faq.gap_faq_required',
    status: 400,
    it: () => 'Indica la FAQ che risponde a questa ricerca (faqId) per segnarla come risolta.',
    en: () => 'Give the FAQ that answers this search (faqId) to mark it as addressed.',
  },
  /** Thrown when a gap is updated from a stale copy. */
  gapVersionConflict: {
    code: 'faq.gap_version_conflict',
    status: 409,
    it: () => 'La lacuna è stata modificata da qualcun altro: ricaricala e riprova.',
    en: () => 'Someone else changed this gap: reload it and try again.',
  },
  /** Thrown when a draft FAQ is asked of a ticket that is not resolved or closed yet. */
  ticketNotResolved: {
    code: 'faq.draft_ticket_open',
    status: 422,
    example: { ticketCode: 'K7M2-Q9X4-B' },
    it: (p: TicketCode) => `Il ticket ${p.ticketCode} non è ancora risolto o chiuso: crea la bozza di FAQ quando la risposta è definitiva.`,
    en: (p: TicketCode) => `Ticket ${p.ticketCode} is not resolved or closed yet: create the FAQ draft when the answer is final.`,
  },
  /** Thrown when the ticket has no public reply to turn into the answer of the FAQ. */
  ticketWithoutReply: {
    code: 'faq.draft_no_reply',
    status: 422,
    example: { ticketCode: 'K7M2-Q9X4-B' },
    it: (p: TicketCode) => `Il ticket ${p.ticketCode} non ha risposte al cittadino: la bozza di FAQ parte dall’ultima risposta pubblica.`,
    en: (p: TicketCode) => `Ticket ${p.ticketCode} has no reply to the citizen: the FAQ draft starts from the last public reply.`,
  },
  /** Thrown when the ticket already produced a draft FAQ. */
  draftExists: {
    code: 'faq.draft_exists',
    status: 409,
    example: { ticketCode: 'K7M2-Q9X4-B', faqId: '0199a1b2-0000-7000-8000-000000000001' },
    it: (p: TicketCode & { faqId: string }) => `Dal ticket ${p.ticketCode} è già stata creata una bozza di FAQ.`,
    en: (p: TicketCode & { faqId: string }) => `An FAQ draft was already created from ticket ${p.ticketCode}.`,
    members: (p: TicketCode & { faqId: string }) => ({ faqId: p.faqId }),
  },
  /** Thrown to ticket workers who are not supervisors nor administrators of the owning organisation. */
  draftForbidden: {
    code: 'faq.draft_forbidden',
    status: 403,
    it: () => 'Solo i responsabili dell’ufficio e gli amministratori dell’ente titolare possono trasformare un ticket in FAQ.',
    en: () => 'Only the office’s supervisors and the owning organisation’s administrators can turn a ticket into an FAQ.',
  },
  /** Unknown codes and tickets of organisations the caller does not belong to answer alike. */
  ticketNotFoundForDraft: {
    code: 'ticket.not_found',
    status: 404,
    example: { ticketCode: 'K7M2-Q9X4-B' },
    it: (p: TicketCode) => `Nessun ticket con codice ${p.ticketCode} tra quelli che puoi vedere.`,
    en: (p: TicketCode) => `No ticket with code ${p.ticketCode} among those you can see.`,
  },
});
