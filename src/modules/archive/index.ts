/**
 * Public surface of the anonymised archive (issue 13): the record, the writer (sweep + compaction
 * into Parquet under DATA_DIR/archive/month=YYYY-MM/), its jobs, routes and CLI actions. The tables
 * `archive_records`, `archived_tickets`, `archive_parts`, `archive_settings` and `archive_runs`
 * belong to this module.
 */
export { ARCHIVE_COLUMNS, type ArchiveContext, type ArchiveRecord, type ArchiveSettings, type ArchiveSource, buildArchiveRecord, countPlaceholders, DEFAULT_ARCHIVE_SETTINGS, redactText, type TimeGranularity } from './archive-record.js';
export { archiveRoot, compactArchive, type CompactOptions, type CompactResult, MAX_ROWS_PER_PART, partRelativePath } from './archive-compact.js';
export { ARCHIVE_BATCH_SIZE, archiveSettings, archiveStatus, type ArchiveStatus, sweepArchive, type SweepOptions, type SweepProgress } from './archive.service.js';
export { ARCHIVE_COMPACT_JOB, ARCHIVE_RUN_JOB, ARCHIVE_SWEEP_JOB, archiveJobs } from './archive.jobs.js';
export { registerArchiveRoutes } from './archive.routes.js';
export { archiveErrors } from './archive.errors.js';
export { archiveRunAction, archiveStatusAction } from './archive.command.js';
export * from './release.js';
