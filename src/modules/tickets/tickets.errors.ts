import { defineErrors } from '../../platform/errors.js';
import type { Language } from '../../platform/messages.js';
import type { ClassificationIssue } from '../taxonomy/index.js';
import { STATUS_LABELS, type StatusChangeErrorCode, type TicketStatus } from './ticket-status.js';
import type { TicketAction } from './ticket-access.js';

/* Errors of tickets, their messages and attachments. Codes are part of the API contract. */

/** One classification issue in a language, from its stable code and parameters. */
function issueText(i: ClassificationIssue, lang: Language): string {
  switch (i.code) {
    case 'unknown_facet':
      return lang === 'en' ? `unknown facet “${i.params.facet}”: allowed ${i.params.allowed}` : `faccetta «${i.params.facet}» sconosciuta: ammesse ${i.params.allowed}`;
    case 'unknown_code':
      return lang === 'en'
        ? `code “${i.params.code}” does not exist in facet “${i.params.facet}” (taxonomy ${i.params.version})`
        : `codice «${i.params.code}» inesistente nella faccetta «${i.params.facet}» (tassonomia ${i.params.version})`;
    case 'deprecated_code': {
      const instead = i.params.replacedBy ? (lang === 'en' ? ` (“${i.params.replacedBy}”)` : ` («${i.params.replacedBy}»)`) : '';
      return lang === 'en' ? `code “${i.params.code}” is deprecated: choose the code that replaces it${instead}` : `il codice «${i.params.code}» è deprecato: scegli il codice che lo sostituisce${instead}`;
    }
    case 'missing_facet':
      return lang === 'en'
        ? `incomplete classification: the required facet “${i.params.labelEn}” (${i.params.facet}) is missing`
        : `classificazione incompleta: manca la faccetta obbligatoria «${i.params.label}» (${i.params.facet})`;
  }
}

const issuesMembers = (p: { issues: ClassificationIssue[] }, lang: Language) => ({
  errors: p.issues.map((i) => ({ path: i.path, message: issueText(i, lang), code: i.code, params: i.params })),
});

const statusLabel = (s: TicketStatus, lang: Language) => STATUS_LABELS[s][lang].toLowerCase();
const allowedSentence = (allowed: readonly TicketStatus[], lang: Language) =>
  lang === 'en'
    ? allowed.length === 0
      ? 'no status change allowed'
      : `allowed statuses: ${allowed.map((s) => statusLabel(s, lang)).join(', ')}`
    : allowed.length === 0
      ? 'nessun cambio di stato ammesso'
      : `stati ammessi: ${allowed.map((s) => statusLabel(s, lang)).join(', ')}`;

type Transition = { from: TicketStatus; to: TicketStatus; allowed: TicketStatus[] };
const transitionIt = (p: Transition) => `Impossibile passare da «${statusLabel(p.from, 'it')}» a «${statusLabel(p.to, 'it')}»`;
const transitionEn = (p: Transition) => `Cannot move from “${statusLabel(p.from, 'en')}” to “${statusLabel(p.to, 'en')}”`;

const ACTION_DENIED: Record<TicketAction, Record<Language, string>> = {
  read_thread: { it: 'Non puoi consultare questo ticket.', en: 'You cannot read this ticket.' },
  read_requester: { it: 'La condivisione non comprende i dati del richiedente.', en: 'The share does not include the requester’s data.' },
  write_reply: {
    it: "Solo l'ufficio titolare o un ufficio che collabora può rispondere al cittadino.",
    en: 'Only the owning office or a collaborating office can answer the citizen.',
  },
  write_note: { it: 'Non puoi scrivere note su questo ticket.', en: 'You cannot write notes on this ticket.' },
  edit: { it: "Solo l'ufficio titolare può modificare il ticket.", en: 'Only the owning office can edit the ticket.' },
  change_status: { it: "Solo l'ufficio titolare può cambiare lo stato del ticket.", en: 'Only the owning office can change the ticket’s status.' },
  resolve: { it: "Solo l'ufficio titolare può risolvere il ticket.", en: 'Only the owning office can resolve the ticket.' },
  reshare: { it: "Solo l'ufficio titolare può condividere il ticket con altri uffici.", en: 'Only the owning office can share the ticket with other offices.' },
  transfer: { it: "Solo l'ufficio titolare può trasferire o inoltrare il ticket.", en: 'Only the owning office can transfer or escalate the ticket.' },
  manage_tasks: { it: 'Non puoi gestire le attività di questo ticket.', en: 'You cannot manage the tasks of this ticket.' },
};

const MB = 1024 * 1024;
const ISSUE_EXAMPLE: ClassificationIssue[] = [
  { path: 'classification.tema', code: 'unknown_code', params: { facet: 'tema', code: 'xyz', version: '1.0.0' } },
  { path: 'classification.esito', code: 'missing_facet', params: { facet: 'esito', label: 'Esito', labelEn: 'Outcome' } },
];

export const ticketErrors = defineErrors('ticket', {
  /** Thrown for unknown codes and for tickets outside the caller's scope alike (no existence leak). */
  ticketNotFound: {
    code: 'ticket.not_found',
    status: 404,
    example: { ticketCode: 'K7M2-Q9X4-B' },
    it: (p: { ticketCode: string }) => `Nessun ticket con codice ${p.ticketCode} tra quelli che puoi vedere.`,
    en: (p: { ticketCode: string }) => `No ticket with code ${p.ticketCode} among those you can see.`,
  },
  /** Thrown when the code cannot be a ticket code (bad check character, wrong length). */
  malformedTicketCode: {
    code: 'ticket.malformed_code',
    status: 400,
    example: { ticketCode: 'K7M2-Q9X4' },
    it: (p: { ticketCode: string }) => `«${p.ticketCode}» non è un codice ticket valido: il formato è XXXX-XXXX-C (controlla le cifre lette al telefono).`,
    en: (p: { ticketCode: string }) => `“${p.ticketCode}” is not a valid ticket code: the format is XXXX-XXXX-C (check the characters read over the phone).`,
  },
  /** Thrown when the caller sees the ticket but may not do the action. */
  actionForbidden: {
    code: 'ticket.action_forbidden',
    status: 403,
    example: { action: 'edit' },
    it: (p: { action: TicketAction }) => ACTION_DENIED[p.action].it,
    en: (p: { action: TicketAction }) => ACTION_DENIED[p.action].en,
  },
  /** Thrown when the caller may only read the ticket. */
  readOnly: {
    code: 'ticket.read_only',
    status: 403,
    it: () => 'Puoi consultare questo ticket ma non modificarlo.',
    en: () => 'You can read this ticket but not change it.',
  },
  /** Thrown when the classification names unknown facets/codes or deprecated codes. */
  invalidClassification: {
    code: 'ticket.invalid_classification',
    status: 422,
    example: { issues: ISSUE_EXAMPLE.slice(0, 1) },
    it: (p: { issues: ClassificationIssue[] }) => `Classificazione non valida: ${p.issues.map((i) => issueText(i, 'it')).join('; ')}`,
    en: (p: { issues: ClassificationIssue[] }) => `Invalid classification: ${p.issues.map((i) => issueText(i, 'en')).join('; ')}`,
    members: issuesMembers,
  },
  /** Thrown when resolving with required facets missing (and possibly other issues). */
  classificationIncomplete: {
    code: 'ticket.classification_incomplete',
    status: 422,
    example: { issues: ISSUE_EXAMPLE },
    it: (p: { issues: ClassificationIssue[] }) => `Classificazione non valida: ${p.issues.map((i) => issueText(i, 'it')).join('; ')}`,
    en: (p: { issues: ClassificationIssue[] }) => `Invalid classification: ${p.issues.map((i) => issueText(i, 'en')).join('; ')}`,
    members: issuesMembers,
  },
  /** Thrown when the target office is not one the caller works for. */
  officeNotWritable: {
    code: 'ticket.office_forbidden',
    status: 403,
    it: () => 'Puoi aprire ticket solo per gli uffici in cui lavori.',
    en: () => 'You can open tickets only for the offices you work in.',
  },
  officeUnknown: {
    code: 'ticket.office_unknown',
    status: 422,
    it: () => "L'ufficio indicato non esiste.",
    en: () => 'The given office does not exist.',
  },
  /** Thrown when the assignee does not work on tickets in the ticket's office. */
  invalidAssignee: {
    code: 'ticket.invalid_assignee',
    status: 422,
    it: () => "L'assegnatario deve essere un operatore dell'ufficio che gestisce il ticket.",
    en: () => 'The assignee must be an operator of the office handling the ticket.',
  },
  /** Thrown when the target status is not reachable from the current one. */
  illegalTransition: {
    code: 'ticket.illegal_transition',
    status: 409,
    example: { from: 'closed', to: 'open', allowed: [] },
    it: (p: Transition) => `${transitionIt(p)}: ${allowedSentence(p.allowed, 'it')}.`,
    en: (p: Transition) => `${transitionEn(p)}: ${allowedSentence(p.allowed, 'en')}.`,
    members: (p: Transition) => ({ allowed: p.allowed }),
  },
  /** Thrown when reopening a resolved/closed ticket after the reopen window. */
  reopenWindowExpired: {
    code: 'ticket.reopen_window_expired',
    status: 409,
    example: { from: 'resolved', to: 'open', allowed: ['closed'], days: 30 },
    it: (p: Transition & { days: number }) =>
      `${transitionIt(p)}: il termine di ${p.days} giorni dalla risoluzione per riaprire la pratica è scaduto; ${allowedSentence(p.allowed, 'it')}.`,
    en: (p: Transition & { days: number }) => `${transitionEn(p)}: the ${p.days}-day window after resolution to reopen it has passed; ${allowedSentence(p.allowed, 'en')}.`,
    members: (p: Transition & { days: number }) => ({ allowed: p.allowed }),
  },
  /** Thrown when resolving without an outcome code. */
  outcomeRequired: {
    code: 'ticket.outcome_required',
    status: 422,
    example: { from: 'open', to: 'resolved', allowed: ['pending_citizen', 'pending_office', 'resolved'] },
    it: (p: Transition) => `Per passare a «${statusLabel(p.to, 'it')}» occorre indicare l'esito della pratica.`,
    en: (p: Transition) => `To move to “${statusLabel(p.to, 'en')}” give the outcome of the case.`,
    members: (p: Transition) => ({ allowed: p.allowed }),
  },
  invalidOutcome: {
    code: 'ticket.invalid_outcome',
    status: 422,
    example: { outcome: 'xyz' },
    it: (p: { outcome: string }) => `Esito «${p.outcome}» inesistente: scegli un codice della faccetta «esito».`,
    en: (p: { outcome: string }) => `Outcome “${p.outcome}” does not exist: choose a code of the facet “esito”.`,
  },
  attachmentNotFound: {
    code: 'attachment.not_found',
    status: 404,
    it: () => 'Allegato non trovato.',
    en: () => 'Attachment not found.',
  },
  attachmentTooLarge: {
    code: 'attachment.too_large',
    status: 413,
    example: { maxBytes: 20 * MB },
    it: (p: { maxBytes: number }) => `L'allegato supera la dimensione massima di ${Math.round(p.maxBytes / MB)} MB.`,
    en: (p: { maxBytes: number }) => `The attachment exceeds the maximum size of ${Math.round(p.maxBytes / MB)} MB.`,
  },
  /** Thrown for a file type outside the list, or (mismatch) a content that is not what its type says. */
  attachmentTypeNotAllowed: {
    code: 'attachment.type_not_allowed',
    status: 415,
    example: { type: 'application/pdf', mismatch: true },
    it: (p: { type: string; mismatch?: boolean }) =>
      `Tipo di file non ammesso (${p.type}${p.mismatch ? ' con contenuto diverso' : ''}): sono ammessi PDF, immagini, testo, documenti di ufficio, EML e P7M.`,
    en: (p: { type: string; mismatch?: boolean }) =>
      `File type not accepted (${p.type}${p.mismatch ? ' with different content' : ''}): PDF, images, text, office documents, EML and P7M are accepted.`,
  },
  attachmentMissing: {
    code: 'attachment.missing',
    status: 400,
    it: () => 'Nessun file nel campo «file» della richiesta multipart.',
    en: () => 'No file in the “file” field of the multipart request.',
  },
  attachmentsNotUsable: {
    code: 'message.invalid_attachments',
    status: 422,
    it: () => 'Alcuni allegati indicati non esistono, appartengono a un altro ticket o sono già collegati a un messaggio.',
    en: () => 'Some of the given attachments do not exist, belong to another ticket or are already linked to a message.',
  },
  ticketClosedForMessages: {
    code: 'ticket.closed',
    status: 409,
    it: () => 'Il ticket è chiuso: riaprilo per aggiungere messaggi.',
    en: () => 'The ticket is closed: reopen it to add messages.',
  },
  /** Thrown when resolving while tasks of participant offices are still open. */
  openTasksRemain: {
    code: 'ticket.open_tasks',
    status: 409,
    example: { count: 2 },
    it: (p: { count: number }) =>
      `Non puoi risolvere il ticket: ${p.count === 1 ? "c'è ancora un'attività aperta" : `ci sono ancora ${p.count} attività aperte`} degli uffici coinvolti.`,
    en: (p: { count: number }) => `You cannot resolve the ticket: ${p.count === 1 ? 'one task' : `${p.count} tasks`} of the offices involved ${p.count === 1 ? 'is' : 'are'} still open.`,
  },
  duplicateTargetNotFound: {
    code: 'ticket.duplicate_target_not_found',
    status: 404,
    example: { ticketCode: 'K7M2-Q9X4-B' },
    it: (p: { ticketCode: string }) => `Nessun ticket con codice ${p.ticketCode} da collegare.`,
    en: (p: { ticketCode: string }) => `No ticket with code ${p.ticketCode} to link.`,
  },
  duplicateOfItself: {
    code: 'ticket.duplicate_of_itself',
    status: 422,
    it: () => 'Un ticket non può essere duplicato di sé stesso.',
    en: () => 'A ticket cannot be a duplicate of itself.',
  },
  duplicateCycle: {
    code: 'ticket.duplicate_cycle',
    status: 409,
    example: { ticketCode: 'K7M2-Q9X4-B' },
    it: (p: { ticketCode: string }) => `${p.ticketCode} è già segnato come duplicato di questo ticket.`,
    en: (p: { ticketCode: string }) => `${p.ticketCode} is already marked as a duplicate of this ticket.`,
  },
  alreadyResolved: { code: 'ticket.already_resolved', status: 409, it: () => 'Il ticket è già risolto.', en: () => 'The ticket is already resolved.' },
});

/** The error of a refused status change, by the plan's code. */
export function statusChangeRejected(code: StatusChangeErrorCode, p: Transition & { days?: number }) {
  switch (code) {
    case 'ticket.outcome_required':
      return ticketErrors.outcomeRequired(p);
    case 'ticket.reopen_window_expired':
      return ticketErrors.reopenWindowExpired({ ...p, days: p.days ?? 0 });
    default:
      return ticketErrors.illegalTransition(p);
  }
}

/** Unknown facets/codes, or (when a required facet is missing) an incomplete classification: chosen by the issues' codes. */
export const invalidClassification = (issues: ClassificationIssue[]) =>
  issues.some((i) => i.code === 'missing_facet') ? ticketErrors.classificationIncomplete({ issues }) : ticketErrors.invalidClassification({ issues });
