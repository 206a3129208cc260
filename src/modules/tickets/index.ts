/**
 * Public surface of the tickets module: the use cases other modules and the app call. Every change
 * to a ticket, its participations (shares), tasks and history goes through `changeTicket` (or the
 * use cases built on it): the tables `tickets`, `ticket_participants`, `ticket_tasks`,
 * `ticket_history`, `ticket_messages`, `attachments` and `requesters` belong to this module.
 */
export { registerTicketRoutes } from './tickets.routes.js';
export {
  addCitizenMessage, addMessage, fillClassification, recordCitizenRating, canSeeTicket, createCitizenTicket, markDuplicate, routeTicketTo, type ChangeAccess, changeStatus, changeTicket, createTicket, inboxCounts, openTicket, ticketAudience, type TicketChange, type TicketChangeContext,
  type TicketTarget, type TicketView,
} from './tickets.service.js';
export { generateTicketCode, normalizeTicketCode } from './ticket-code.js';
export { STATUS_LABELS, TICKET_STATUSES, type TicketStatus } from './ticket-status.js';
export { type Attachment, citizenUploads, countCitizenAttachments, deleteUnlinkedAttachments, findCitizenAttachment, insertAttachment, listMessages, type Message } from './tickets.repository.js';
export { countIncidentTickets, findIncidentTickets as incidentTicketCodes, findTicketById, findTicketBriefs as ticketBriefs, findTicketIdByCode, labelledTickets, lastPublicReply, type Ticket, type TicketBrief } from './tickets.repository.js';
export { resolutionDueAt } from './sla.js';
export { findSimilarTickets, type SimilarQuery, type SimilarTicket } from './similar.repository.js';
export { findTransfer, listIncomingTransfers, listTransfersOfTicket, type Transfer } from './transfers.repository.js';
export { findParticipant as findShare, findTask, incomingShares, listParticipants, listTasks, type Participant, type Task } from './participants.repository.js';
export { can, resolveTicketAccess, TICKET_ACTIONS, type TicketAccess, type TicketAction, type TicketRelation } from './ticket-access.js';
export { presentTicket } from './tickets.routes.js';
export { CodeParams, SELF_SERVICE_CHANNELS } from './tickets.schemas.js';
export { registerCitizenViewRoutes } from './citizen-view.routes.js';
export { closeExpiredResolvedTickets, ticketAutoCloseJob } from './auto-close.js';
export { ticketErrors } from './tickets.errors.js';
export { type OwnedSharedTicket, type TicketsOfLeavingBody, ticketsOfLeavingBody } from './organisation-exit.repository.js';
export { type ClosedTicketForArchive, type ClosedTicketsQuery, closedTicketsForArchive, finalBefore } from './archive-source.js';
export { attachmentsOfTickets, closedTicketAttachments, closedTicketsToPurge, deleteAttachmentRows, findRequestersAcrossNetwork, type MatchedRequester, type PersonCriteria, PURGED_TEXT, purgeTicketsPersonalData, type TicketPurgeCounts, ticketsPersonalData } from './personal-data.js';
export { countOpenedTickets, type OpenedCount } from './opened-counts.js';
