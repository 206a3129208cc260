/** Public surface of the tickets module. */
export { registerTicketRoutes } from './tickets.routes.js';
export { createTicket, getVisibleTicket } from './tickets.service.js';
export { generateTicketCode, normalizeTicketCode } from './ticket-code.js';
export { TICKET_STATUSES, type TicketStatus } from './ticket-status.js';
