/** Public surface of the sharing module: shares, transfers, escalations, tasks, directory, agreements, notifications. */
export { registerSharingRoutes } from './sharing.routes.js';
export { searchDirectory, shareTicket, requestTransfer } from './sharing.service.js';
export { registerIncidentRoutes } from './incidents.routes.js';
export { registerOfficeMailer } from './office-mailer.js';
