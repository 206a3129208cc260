/** Public surface of the historical contacts import module. */
export { registerHistoryImportRoutes } from './history-import.routes.js';
export { processRows, saveMapping, sourceFromFilename } from './history-import.service.js';
export { sniffSource } from './import-source.js';
export type { ColumnRoles } from './contact-row.js';
export type { MappingContent } from './mapping.js';
export { type HistoricalContactForArchive, historicalContactsForArchive, markHistoricalAnonymised, pendingHistoricalContacts } from './archive-source.js';
export { eraseValuesFromHistoricalContacts, historicalContactsMentioning } from './personal-data.js';
