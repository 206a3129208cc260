/** Public surface of the identity & tenancy module. */
export { findOffice, findOrganisation, findOrganisationBySlug, findUser, listOffices, listOrganisations, parseCalendar, type Office, type Organisation } from './identity.repository.js';
export { presentOffice, registerIdentityRoutes } from './identity.routes.js';
export { OfficeSchema } from './identity.schemas.js';
export { createUser, grantRole, createApiToken } from './identity.service.js';
export { FIRST_PASSWORD_LINK_HOURS, initNetwork, type NetworkInit, networkHasCoordinator, renewSetupToken } from './network-setup.js';
export * from './office-calendar.js';
export { activeUsersWithRole, holdsRoleIn, isTicketWorker, officeDirectory, officeWorkerIds, organisationDirectory, peopleOfOrganisation, userDirectory, workerOfficeIds } from './directory.js';
export { type ImportContext, type ImportOptions, type ImportReport, importOffices, importOrganisations, importUsers, type OnBadLine } from './bulk-import/bulk-import.service.js';
export { INVITATION_JOB, invitationJob, type PendingLink, pendingInvitationLinks } from './bulk-import/invitation-links.js';
export { importCommandAction, invitationLinksAction } from './bulk-import/bulk-import.command.js';
export { closureImportAction } from './bulk-import/closure-import.command.js';
export { type ClosureImportReport, importClosures } from './bulk-import/closure-import.js';
export { deactivateAccounts, endCredentials } from './account-deactivation.js';
export { applyMembersExit, coordinationOffice, lockOrganisation, type MembersExitPlan, planMembersExit, type RejoinResult, rejoinOrganisation } from './organisation-exit.js';
// The CSV reading of bulk onboarding, for other modules' importers (sharing's competence matrix): one reader, one report shape.
export { cell, type CsvInput, type FileFailure, matchColumns, missingColumnsOf, readCsvInput, SEPARATOR_NAMES, wellFormedRecords } from './bulk-import/csv-input.js';
export { LINE_PROBLEM_CODES, type LineProblem, lineProblem } from './bulk-import/line-problems.js';
export { officeCodeOf } from './bulk-import/office-rows.js';
export { bulkImportErrors } from './bulk-import/bulk-import.errors.js';
