/** Public surface of the sharing module: shares, transfers, escalations, tasks, directory, agreements, notifications. */
export { registerSharingRoutes } from './sharing.routes.js';
export { searchDirectory, shareTicket, requestTransfer } from './sharing.service.js';
export { registerIncidentRoutes } from './incidents.routes.js';
export { registerOfficeMailer } from './office-mailer.js';
export { competenceCoverage, type CompetenceImportReport, importCompetences } from './competences.service.js';
export { importCompetencesAction } from './competences.command.js';
export { activeOverflowAgreements, type Agreement, type AgreementOverflow } from './sharing.repository.js';
