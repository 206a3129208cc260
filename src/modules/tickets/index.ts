/** Public surface of the tickets module. */
export { registerTicketRoutes } from './tickets.routes.js';
export { addMessage, changeStatus, createTicket } from './tickets.service.js';
export { generateTicketCode, normalizeTicketCode } from './ticket-code.js';
export { TICKET_STATUSES, type TicketStatus } from './ticket-status.js';
export { inboxCounts, openTicket, openTicketForUpdate, type TicketView } from './tickets.service.js';
export { appendHistory, findTicketById, isTicketWorker, lockTicket, type Ticket, updateTicket as updateTicketRow } from './tickets.repository.js';
export { resolutionDueAt } from './sla.js';
export * as participants from './participants.repository.js';
export { can, resolveTicketAccess, TICKET_ACTIONS, type TicketAccess, type TicketAction, type TicketRelation } from './ticket-access.js';
export { presentTicket } from './tickets.routes.js';
export { registerCitizenViewRoutes } from './citizen-view.routes.js';
export { closeExpiredResolvedTickets, ticketAutoCloseJob } from './auto-close.js';
export { ticketErrors } from './tickets.errors.js';
