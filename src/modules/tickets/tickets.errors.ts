import { AppError, badRequest, conflict, notFound, unprocessable } from '../../platform/errors.js';
import type { ClassificationIssue } from '../taxonomy/taxonomy.js';

/** Thrown for unknown codes and for tickets outside the caller's scope alike (no existence leak). */
export const ticketNotFound = (code: string) => notFound('ticket.not_found', `Nessun ticket con codice ${code} tra quelli che puoi vedere.`);
/** Thrown when the code cannot be a ticket code (bad check character, wrong length). */
export const malformedTicketCode = (code: string) =>
  badRequest('ticket.malformed_code', `«${code}» non è un codice ticket valido: il formato è XXXX-XXXX-C (controlla le cifre lette al telefono).`);
/** Thrown when the classification names unknown facets/codes, or misses required facets at resolve. */
export const invalidClassification = (issues: ClassificationIssue[]) =>
  unprocessable(
    issues.some((i) => i.message.startsWith('classificazione incompleta')) ? 'ticket.classification_incomplete' : 'ticket.invalid_classification',
    `Classificazione non valida: ${issues.map((i) => i.message).join('; ')}`,
    { errors: issues },
  );
/** Thrown when the target office is not one the caller works for. */
export const officeNotWritable = () =>
  new AppError(403, 'ticket.office_forbidden', 'Puoi aprire ticket solo per gli uffici in cui lavori.');
export const officeUnknown = () => unprocessable('ticket.office_unknown', "L'ufficio indicato non esiste.");
/** Thrown when the assignee does not work on tickets in the ticket's office. */
export const invalidAssignee = () =>
  unprocessable('ticket.invalid_assignee', "L'assegnatario deve essere un operatore dell'ufficio che gestisce il ticket.");
export const statusChangeRejected = (code: string, message: string, allowed: string[]) =>
  code === 'ticket.outcome_required' ? unprocessable(code, message, { allowed }) : conflict(code, message, { allowed });
export const invalidOutcome = (outcome: string) =>
  unprocessable('ticket.invalid_outcome', `Esito «${outcome}» inesistente: scegli un codice della faccetta «esito».`);
export const attachmentNotFound = () => notFound('attachment.not_found', 'Allegato non trovato.');
export const attachmentTooLarge = (max: number) =>
  new AppError(413, 'attachment.too_large', `L'allegato supera la dimensione massima di ${Math.round(max / 1024 / 1024)} MB.`);
export const attachmentTypeNotAllowed = (type: string) =>
  new AppError(415, 'attachment.type_not_allowed', `Tipo di file non ammesso (${type}): sono ammessi PDF, immagini, testo, documenti di ufficio, EML e P7M.`);
export const attachmentMissing = () => badRequest('attachment.missing', 'Nessun file nel campo «file» della richiesta multipart.');
export const attachmentsNotUsable = () =>
  unprocessable('message.invalid_attachments', 'Alcuni allegati indicati non esistono, appartengono a un altro ticket o sono già collegati a un messaggio.');
export const ticketClosedForMessages = () =>
  conflict('ticket.closed', 'Il ticket è chiuso: riaprilo per aggiungere messaggi.');
/** Thrown when resolving while tasks of participant offices are still open. */
export const openTasksRemain = (n: number) =>
  conflict('ticket.open_tasks', `Non puoi risolvere il ticket: ${n === 1 ? "c'è ancora un'attività aperta" : `ci sono ancora ${n} attività aperte`} degli uffici coinvolti.`);
