/** Public surface of the identity & tenancy module. */
export { findOffice, findOrganisation, findUser, listOffices, listOrganisations, parseCalendar, type Office, type Organisation } from './identity.repository.js';
export { registerIdentityRoutes } from './identity.routes.js';
export { createUser, grantRole, createApiToken } from './identity.service.js';
export * from './office-calendar.js';
