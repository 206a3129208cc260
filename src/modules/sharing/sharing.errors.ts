import { AppError, badRequest, conflict, notFound, unprocessable } from '../../platform/errors.js';

export const shareNotFound = () => notFound('share.not_found', 'Condivisione non trovata.');
export const transferNotFound = () => notFound('transfer.not_found', 'Trasferimento non trovato.');
export const taskNotFound = () => notFound('task.not_found', 'Attività non trovata.');
export const agreementNotFound = () => notFound('agreement.not_found', 'Accordo non trovato.');
/** Thrown when sharing/transferring to the office that already owns the ticket. */
export const sameOffice = () => unprocessable('share.same_office', "L'ufficio indicato è già l'ufficio titolare del ticket.");
export const unknownOffice = () => unprocessable('share.unknown_office', "L'ufficio indicato non esiste o non è attivo.");
/** Thrown when the office already takes part in the ticket (pending or active). */
export const alreadyParticipant = () => conflict('share.already_participant', "L'ufficio partecipa già al ticket o ha già una richiesta in attesa.");
/** Thrown when acting on a share that is no longer pending/active (accepted twice, revoked, declined). */
export const shareNotPending = (status: string) =>
  conflict('share.not_pending', `La richiesta non è più in attesa (stato attuale: ${status}): nessuna modifica effettuata.`);
export const shareNotActive = (status: string) => conflict('share.not_active', `La condivisione non è attiva (stato attuale: ${status}).`);
export const declineReasonRequired = () => badRequest('share.decline_reason_required', 'Indica il motivo del rifiuto: sarà visibile all\'ufficio richiedente.');
export const transferNotPending = (status: string) =>
  conflict('transfer.not_pending', `Il trasferimento non è più in attesa (stato attuale: ${status}): nessuna modifica effettuata.`);
/** Thrown when transferring a resolved or closed ticket. */
export const ticketNotTransferable = (status: string) =>
  conflict('transfer.ticket_closed', `Un ticket in stato «${status}» non può essere trasferito: riaprilo prima.`);
export const transferAlreadyPending = () => conflict('transfer.already_pending', 'Il ticket ha già un trasferimento in attesa: annullalo prima di chiederne un altro.');
/** Thrown when an escalation would send the ticket back to an office it was escalated from. */
export const circularEscalation = (officeName: string) =>
  conflict('transfer.circular', `Inoltro circolare: il ticket è già stato inoltrato da «${officeName}». Usa una condivisione per consultarlo.`);
export const notReceivingOffice = () => new AppError(403, 'share.not_recipient', "Solo l'ufficio destinatario può accettare o rifiutare la richiesta.");
export const taskOfficeNotParticipant = () => unprocessable('task.office_not_participant', "L'attività può essere assegnata solo all'ufficio titolare o a un ufficio che collabora al ticket.");
export const taskNotYours = () => new AppError(403, 'task.forbidden', "Puoi aggiornare solo le attività del tuo ufficio (o tutte se sei l'ufficio titolare).");
export const taskAssigneeInvalid = () => unprocessable('task.invalid_assignee', "L'assegnatario deve lavorare nell'ufficio dell'attività.");
export const agreementForbidden = () => new AppError(403, 'agreement.forbidden', "Solo l'amministratore dell'ente interessato può gestire l'accordo.");
export const agreementSameOrganisation = () => unprocessable('agreement.same_organisation', "Un accordo di rete lega due enti diversi.");
export const agreementNotProposed = (status: string) => conflict('agreement.not_proposed', `L'accordo non è in attesa di approvazione (stato: ${status}).`);
