/**
 * What the archive's release offers the app (issue 13), re-exported by the module's index:
 * the analyst routes and export job, the export itself (CLI), and the pure policies.
 */
export { registerArchiveReleaseRoutes } from './archive-release.routes.js';
export { archiveExportCommand } from './archive-export.command.js';
export { type ExportFormat, type ExportReport, exportArchive, EXPORT_FORMATS } from './archive-export.js';
export { aggregateArchive, ARCHIVE_SOURCES, ArchiveEngine, type ArchiveFilter, archiveDir, fromFiltered, listArchiveRecords, MIN_GROUP_FOR_STATS, type VersionedTerritory, type Where } from './archive-query.js';
export { kAnonymityReport, type KAnonymityReport } from './k-anonymity.js';
export { type CellStatus, DEFAULT_SMALL_CELL_THRESHOLD, type PublishedCounts, type PublishedTable, suppressCounts, suppressTable } from './small-cells.js';
export { SUPPRESSED } from './k-anonymity.js';
export { assertAnalyst, EXPORT_JOB } from './archive-release.service.js';
