/**
 * Use cases of the archive's release (issue 13): who may query the archive, analyst queries, and
 * open-data exports run as a background job.
 *
 * An export's state is a small JSON file beside its files, `${dataDir}/archive-exports/<id>/`
 * (`status.json`, `files/`): the files live on the disk the archive lives on, and the state must
 * follow them (an export whose files were removed is gone), so it is not kept in the database.
 * Status writes are atomic (temporary file + rename).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import type { JobRunner } from '../../platform/jobs/index.js';
import { canManageNetwork, hasPermission } from '../../platform/policy.js';
import { findOrganisation } from '../identity/index.js';
import { loadTerritory } from '../territory/index.js';
import { type ExportFormat, exportArchive, type ExportReport } from './archive-export.js';
import { type AggregateQuery, aggregateArchive, type ArchiveEngine, type ArchiveFilter, listArchiveRecords, type RecordsQuery } from './archive-query.js';
import { archiveReleaseErrors as errors } from './archive-release.errors.js';
import { MEDIA_TYPES } from './dcat.js';

export const EXPORT_JOB = 'archive.export';
export const EXPORT_FAILED_JOB = 'archive.export-failed';

export interface ExportJobData {
  exportId: string;
}

export type ExportStatus = 'queued' | 'running' | 'done' | 'failed';

/** The state of one export, as stored in `status.json`. */
export interface ArchiveExportState {
  id: string;
  format: ExportFormat;
  includeText: boolean;
  status: ExportStatus;
  requestedBy: string;
  /** Organisation in whose name the data are published (rights holder). */
  organisationId: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: { done: number; total: number } | null;
  report: Omit<ExportReport, 'outDir' | 'files'> | null;
  files: { name: string; rows: number; bytes: number }[];
  error: { code: string; message: string; en: string } | null;
}

/** Analysts and the network coordination read the archive (network-wide: it holds no personal data). */
export function assertAnalyst(actor: Actor): void {
  if (!hasPermission(actor, 'analytics:read') && !canManageNetwork(actor)) throw errors.forbidden();
}

/** The organisation of the grant that lets the actor read the archive: the rights holder of their exports. */
function analyticsOrganisation(actor: Actor): string {
  const grant = actor.grants.find((g) => g.role === 'analyst') ?? actor.grants.find((g) => g.role === 'network_coordinator') ?? actor.grants[0];
  if (!grant) throw errors.forbidden();
  return grant.organisationId;
}

function checkRange(filter: ArchiveFilter): void {
  if (filter.from && filter.to && filter.from > filter.to) throw errors.invalidRange({ from: filter.from, to: filter.to });
}

export async function aggregates(db: Database, engine: ArchiveEngine, actor: Actor, query: AggregateQuery) {
  assertAnalyst(actor);
  checkRange(query.filter ?? {});
  return aggregateArchive(engine, await loadTerritory(db), query);
}

export async function records(db: Database, engine: ArchiveEngine, actor: Actor, query: RecordsQuery) {
  assertAnalyst(actor);
  checkRange(query.filter ?? {});
  return listArchiveRecords(engine, await loadTerritory(db), query);
}

// ——— Exports ———

export const exportsDir = (dataDir: string) => path.join(dataDir, 'archive-exports');
const exportDir = (dataDir: string, id: string) => path.join(exportsDir(dataDir), id);
const filesDir = (dataDir: string, id: string) => path.join(exportDir(dataDir, id), 'files');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function readState(dataDir: string, id: string): ArchiveExportState | null {
  if (!UUID.test(id)) return null;
  try {
    return JSON.parse(readFileSync(path.join(exportDir(dataDir, id), 'status.json'), 'utf8')) as ArchiveExportState;
  } catch {
    return null;
  }
}

function writeState(dataDir: string, state: ArchiveExportState): void {
  const dir = exportDir(dataDir, state.id);
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.status-${randomUUID()}.json`);
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path.join(dir, 'status.json'));
}

/** Records an export request and queues its job. */
export async function requestExport(dataDir: string, jobs: JobRunner, actor: Actor, input: { format: ExportFormat; includeText?: boolean }): Promise<ArchiveExportState> {
  assertAnalyst(actor);
  const state: ArchiveExportState = {
    id: randomUUID(),
    format: input.format,
    includeText: input.includeText ?? false,
    status: 'queued',
    requestedBy: actor.userId,
    organisationId: analyticsOrganisation(actor),
    createdAt: new Date().toISOString(),
    startedAt: null,
    finishedAt: null,
    progress: null,
    report: null,
    files: [],
    error: null,
  };
  writeState(dataDir, state);
  await jobs.send<ExportJobData>(EXPORT_JOB, { exportId: state.id }, { id: state.id });
  return state;
}

export function getExport(dataDir: string, actor: Actor, id: string): ArchiveExportState {
  assertAnalyst(actor);
  const state = readState(dataDir, id);
  if (!state) throw errors.exportNotFound();
  return state;
}

/** An export's file, to stream: only names the export lists, only once it is done. */
export function openExportFile(dataDir: string, actor: Actor, id: string, name: string): { stream: Readable; size: number; contentType: string; filename: string } {
  const state = getExport(dataDir, actor, id);
  if (state.status !== 'done') throw errors.notReady({ status: state.status });
  const file = state.files.find((f) => f.name === name);
  if (!file) throw errors.fileNotFound({ name });
  const full = path.join(filesDir(dataDir, id), ...file.name.split('/'));
  if (!existsSync(full)) throw errors.fileNotFound({ name });
  const contentType = name.endsWith('.jsonld') ? 'application/ld+json' : name.endsWith('.csv') ? `${MEDIA_TYPES.csv}; charset=utf-8` : MEDIA_TYPES.parquet;
  return { stream: createReadStream(full), size: statSync(full).size, contentType, filename: name.replaceAll('/', '_') };
}

/**
 * The export job: idempotent. A finished export is left alone; leftovers of an attempt that died
 * (its temporary directory, or files published without their status) are removed and the export is
 * made again.
 */
export async function runExportJob(db: Database, engine: ArchiveEngine, dataDir: string, baseUrl: string, data: ExportJobData): Promise<void> {
  const state = readState(dataDir, data.exportId);
  if (!state || state.status === 'done' || state.status === 'failed') return;
  const dir = exportDir(dataDir, state.id);
  for (const entry of readdirSync(dir)) if (entry === 'files' || entry.startsWith('.files.tmp-')) rmSync(path.join(dir, entry), { recursive: true, force: true });
  let current: ArchiveExportState = { ...state, status: 'running', startedAt: new Date().toISOString(), progress: null };
  writeState(dataDir, current);
  const organisation = await findOrganisation(db, state.organisationId);
  const agent = { ipaCode: organisation?.ipaCode ?? 'urpnet', name: organisation?.name ?? 'Rete degli URP' };
  let lastWrite = 0;
  const report = await exportArchive(engine, await loadTerritory(db), {
    format: state.format,
    outDir: filesDir(dataDir, state.id),
    includeText: state.includeText,
    catalog: {
      baseUrl,
      filesUrl: `${baseUrl.replace(/\/+$/, '')}/api/v1/archive/exports/${state.id}/files`,
      rightsHolder: agent,
      contact: { name: organisation ? `URP – ${organisation.name}` : 'Rete degli URP', email: null },
    },
    onProgress: (p) => {
      // A status write per half second at most: the job's progress, not a log.
      if (Date.now() - lastWrite < 500 && p.rowsWritten < p.totalRows) return;
      lastWrite = Date.now();
      current = { ...current, progress: { done: p.rowsWritten, total: p.totalRows } };
      writeState(dataDir, current);
    },
  });
  const { outDir: _outDir, files, ...summary } = report;
  writeState(dataDir, { ...current, status: 'done', finishedAt: new Date().toISOString(), report: summary, files, progress: { done: report.rows, total: report.rows } });
}

/** The dead letter: the export gave up (retries exhausted or expired); nothing half-written stays. */
export async function markExportFailed(dataDir: string, data: ExportJobData): Promise<void> {
  const state = readState(dataDir, data.exportId);
  if (!state || state.status === 'done') return;
  const dir = exportDir(dataDir, state.id);
  for (const entry of readdirSync(dir)) if (entry === 'files' || entry.startsWith('.files.tmp-')) rmSync(path.join(dir, entry), { recursive: true, force: true });
  const failure = errors.exportFailed();
  writeState(dataDir, { ...state, status: 'failed', finishedAt: new Date().toISOString(), error: { code: failure.code, message: failure.text('it'), en: failure.text('en') } });
}
