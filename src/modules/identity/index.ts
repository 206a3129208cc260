/** Public surface of the identity & tenancy module. */
export { findOffice, findOrganisation, findOrganisationBySlug, findUser, listOffices, listOrganisations, parseCalendar, type Office, type Organisation } from './identity.repository.js';
export { presentOffice, registerIdentityRoutes } from './identity.routes.js';
export { OfficeSchema } from './identity.schemas.js';
export { createUser, grantRole, createApiToken } from './identity.service.js';
export { FIRST_PASSWORD_LINK_HOURS, initNetwork, type NetworkInit, networkHasCoordinator, renewSetupToken } from './network-setup.js';
export * from './office-calendar.js';
export { holdsRoleIn, isTicketWorker, officeDirectory, officeWorkerIds, organisationDirectory, userDirectory, workerOfficeIds } from './directory.js';
export { type ImportContext, type ImportOptions, type ImportReport, importOffices, importOrganisations, importUsers, type OnBadLine } from './bulk-import/bulk-import.service.js';
export { INVITATION_JOB, invitationJob, type PendingLink, pendingInvitationLinks } from './bulk-import/invitation-links.js';
export { importCommandAction, invitationLinksAction } from './bulk-import/bulk-import.command.js';
