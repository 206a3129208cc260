import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import type { Trx } from '../../platform/http.js';
import { AppError } from '../../platform/errors.js';
import type { JobRunner } from '../../platform/jobs/index.js';
import { canManageOrganisation, hasPermission } from '../../platform/policy.js';
import { FileTooLargeError, openStored, removeStored, storeStream } from '../../platform/file-storage.js';
import { taxonomyVersion } from '../taxonomy/index.js';
import { alignCells, type ColumnRoles, type ContactDraft, convertRow, resolveColumns } from './contact-row.js';
import type { Delimiter } from './csv-sniff.js';
import { historyImportErrors as errors } from './history-import.errors.js';
import * as repo from './history-import.repository.js';
import { ReportBuilder, type ImportReport, MAX_DISTINCT_VALUES, type ValueCount } from './import-report.js';
import { type ByteSource, previewRows, readRecords, sniffSource } from './import-source.js';
import { isValidTimeZone, type DateFormat, matchingDateFormats } from './legacy-dates.js';
import { compileMapping, type MappingContent, splitCategories, validateMapping, legacyKey, combinationOf } from './mapping.js';
import { sql } from 'kysely';

/** Upload limit: Boston's 121k cases are ~40 MB as CSV (~8 MB gzipped). */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
const SOURCE = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function uploadsRoot(dataDir: string): string {
  return path.join(dataDir, 'history-imports');
}

/** The organisations whose imports and mappings the actor manages. */
export function organisationScope(actor: Actor): repo.OrganisationScope {
  if (!hasPermission(actor, 'org:manage')) return [];
  if (actor.grants.some((g) => g.role === 'network_coordinator')) return 'all';
  return [...new Set(actor.grants.filter((g) => g.role === 'org_admin').map((g) => g.organisationId))];
}

function requireManage(actor: Actor, organisationId: string): void {
  if (!canManageOrganisation(actor, organisationId)) throw errors.forbidden();
}

/** A source name from a file name: `Segnalazioni 2023.csv.gz` → `segnalazioni-2023`. */
export function sourceFromFilename(filename: string): string {
  const base = path.basename(filename).toLowerCase().replace(/(\.gz)?$/, '').replace(/\.[a-z0-9]+$/, '');
  const slug = base.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  return slug || 'importazione';
}

export interface UploadInput {
  organisationId: string;
  filename: string;
  source?: string | undefined;
  delimiter?: Delimiter | undefined;
  hasHeader?: boolean | undefined;
}

/** A file stored on disk and sniffed, not recorded yet: `recordUpload` records it, `discardUpload` removes it. */
export interface ReceivedUpload {
  organisationId: string;
  source: string;
  filename: string;
  stored: Awaited<ReturnType<typeof storeStream>>;
  sniff: Awaited<ReturnType<typeof sniffSource>>;
}

/**
 * The first half of an upload, outside any transaction: the file is streamed to disk before the
 * database is touched (an idempotent retry then records it, or discards it and replays the first).
 */
export async function receiveUpload(dataDir: string, actor: Actor, input: UploadInput, stream: Readable): Promise<ReceivedUpload> {
  requireManage(actor, input.organisationId);
  const source = input.source ?? sourceFromFilename(input.filename);
  if (!SOURCE.test(source)) throw errors.invalidSource();
  const root = uploadsRoot(dataDir);
  let stored: Awaited<ReturnType<typeof storeStream>>;
  try {
    stored = await storeStream(root, stream, MAX_UPLOAD_BYTES);
  } catch (err) {
    if (err instanceof FileTooLargeError || (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw errors.fileTooLarge({ maxBytes: MAX_UPLOAD_BYTES });
    throw err;
  }
  if ((stream as { truncated?: boolean }).truncated) {
    await removeStored(root, stored.storageKey);
    throw errors.fileTooLarge({ maxBytes: MAX_UPLOAD_BYTES });
  }
  try {
    const sniff = await sniffSource(() => openStored(root, stored.storageKey), { delimiter: input.delimiter, hasHeader: input.hasHeader });
    return { organisationId: input.organisationId, source, filename: path.basename(input.filename).slice(0, 200) || 'import.csv', stored, sniff };
  } catch (err) {
    await removeStored(root, stored.storageKey);
    throw err;
  }
}

export function recordUpload(trx: Trx, actor: Actor, upload: ReceivedUpload): Promise<repo.HistoryImport> {
  const { stored } = upload;
  return repo.insertImport(trx, {
    organisationId: upload.organisationId, source: upload.source, filename: upload.filename, storageKey: stored.storageKey,
    size: stored.size, sha256: stored.sha256, ...upload.sniff, createdBy: actor.userId,
  });
}

export async function discardUpload(dataDir: string, upload: ReceivedUpload): Promise<void> {
  await removeStored(uploadsRoot(dataDir), upload.stored.storageKey);
}

export async function openImport(db: Database, actor: Actor, id: string): Promise<repo.HistoryImport> {
  const found = await repo.findImport(db, id, organisationScope(actor));
  if (!found) throw errors.importNotFound();
  return found;
}

function sourceOf(dataDir: string, imp: repo.HistoryImport): ByteSource {
  if (!imp.storageKey) throw errors.alreadyCommitted();
  const key = imp.storageKey;
  return () => openStored(uploadsRoot(dataDir), key);
}

export interface Preview {
  rows: { line: number; cells: string[] }[];
  /** Per column, the date formats every preview value matches (empty: not a date column). */
  dateFormats: Record<string, DateFormat[]>;
}

/** The first rows of the file and date-format suggestions; null once the file is gone (committed). */
export async function previewImport(dataDir: string, imp: repo.HistoryImport): Promise<Preview | null> {
  if (!imp.storageKey) return null;
  const rows = await previewRows(sourceOf(dataDir, imp), imp, 10);
  const dateFormats: Record<string, DateFormat[]> = {};
  imp.columns.forEach((c, i) => {
    dateFormats[c] = matchingDateFormats(rows.map((r) => r.fields[i] ?? ''));
  });
  return { rows: rows.map((r) => ({ line: r.line, cells: r.fields })), dateFormats };
}

/** Declares the column roles (validated against the file's columns). */
export async function configureImport(db: Database, actor: Actor, id: string, roles: ColumnRoles): Promise<repo.HistoryImport> {
  return db.transaction().execute(async (trx) => {
    const imp = await repo.findImport(trx, id, organisationScope(actor), true);
    if (!imp) throw errors.importNotFound();
    if (imp.status === 'committed') throw errors.alreadyCommitted();
    if (imp.status === 'committing') throw errors.commitInProgress();
    const { missing } = resolveColumns(roles, imp.columns);
    if (missing.length > 0) throw errors.unknownColumns({ missing, available: imp.columns });
    if (!isValidTimeZone(roles.timeZone)) throw errors.invalidTimeZone({ zone: roles.timeZone });
    return repo.updateImport(trx, id, { settings: roles, status: 'configured' });
  });
}

export interface LegacyValue extends ValueCount {
  /** Whether the given mapping covers the value (null when no mapping was given). */
  mapped: boolean | null;
}

export interface DistinctValues {
  categories: LegacyValue[];
  /** Combinations of several values in one cell, for mapping a combination explicitly. */
  combinations: LegacyValue[];
  channels: LegacyValue[];
  statuses: LegacyValue[];
  truncated: boolean;
}

/** The distinct legacy values of the declared columns with their counts (one pass over the file). */
export async function distinctValues(db: Database, dataDir: string, actor: Actor, id: string, mappingId?: string): Promise<DistinctValues> {
  const imp = await openImport(db, actor, id);
  if (!imp.settings) throw errors.notConfigured();
  const roles = imp.settings;
  const mapping = mappingId ? await openMapping(db, actor, mappingId, imp.organisationId) : null;
  const { positions: p } = resolveColumns(roles, imp.columns);
  const counters = { categories: new Map<string, number>(), combinations: new Map<string, number>(), channels: new Map<string, number>(), statuses: new Map<string, number>() };
  let truncated = false;
  const add = (m: Map<string, number>, v: string) => {
    const n = m.get(v);
    if (n !== undefined) m.set(v, n + 1);
    else if (m.size < MAX_DISTINCT_VALUES) m.set(v, 1);
    else truncated = true;
  };
  for await (const batch of readRecords(sourceOf(dataDir, imp), imp)) {
    for (const r of batch) {
      const cells = alignCells(r.fields, { roles, positions: p, delimiter: imp.delimiter });
      if (!cells) continue;
      const values = splitCategories(cells[p.category] ?? '', roles.categorySeparator ?? null);
      if (values.length === 0) add(counters.categories, '');
      for (const v of values) add(counters.categories, v);
      if (values.length > 1) add(counters.combinations, combinationOf(values));
      if (p.channel !== null) add(counters.channels, cells[p.channel]?.trim() ?? '');
      if (p.status !== null) add(counters.statuses, cells[p.status]?.trim() ?? '');
    }
  }
  const keys = (rules: { legacy: string }[] | undefined) => (rules ? new Set(rules.map((r) => legacyKey(r.legacy))) : null);
  const cat = keys(mapping?.content.categories);
  const ch = keys(mapping?.content.channels);
  const st = keys(mapping?.content.statuses);
  const list = (m: Map<string, number>, known: Set<string> | null): LegacyValue[] =>
    [...m.entries()]
      .map(([value, count]) => ({ value, count, mapped: known ? known.has(legacyKey(value)) : null }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return {
    categories: list(counters.categories, cat),
    combinations: list(counters.combinations, cat),
    channels: list(counters.channels, ch),
    statuses: list(counters.statuses, st),
    truncated,
  };
}

async function openMapping(db: Database, actor: Actor, id: string, organisationId: string): Promise<repo.HistoryMapping> {
  const mapping = await repo.findMapping(db, id, organisationScope(actor));
  if (!mapping || mapping.organisationId !== organisationId) throw errors.mappingNotFound();
  return mapping;
}

export async function getMapping(db: Database, actor: Actor, id: string): Promise<repo.HistoryMapping> {
  const mapping = await repo.findMapping(db, id, organisationScope(actor));
  if (!mapping) throw errors.mappingNotFound();
  return mapping;
}

/**
 * Saves a mapping as the next version of its name for the organisation, after checking every code
 * against the taxonomy version it names. An unchanged mapping is not saved again.
 */
export async function saveMapping(trx: Trx, actor: Actor, input: { organisationId: string; name: string; content: MappingContent }): Promise<{ mapping: repo.HistoryMapping; created: boolean }> {
  requireManage(actor, input.organisationId);
  return saveMappingVersion(trx, { ...input, createdBy: actor.userId });
}

/** Saves a mapping version without an actor check (the CLI runs as the system). */
export async function saveMappingVersion(trx: Trx, input: { organisationId: string; name: string; content: MappingContent; createdBy: string | null }): Promise<{ mapping: repo.HistoryMapping; created: boolean }> {
  let tax: Awaited<ReturnType<typeof taxonomyVersion>>;
  try {
    tax = await taxonomyVersion(trx, input.content.taxonomyVersion);
  } catch {
    throw errors.unknownTaxonomyVersion({ version: input.content.taxonomyVersion });
  }
  const issues = validateMapping(input.content, tax);
  if (issues.length > 0) throw errors.invalidMapping({ issues });
  const content: MappingContent = {
    taxonomyVersion: input.content.taxonomyVersion,
    ...(input.content.description && { description: input.content.description }),
    categories: input.content.categories,
    channels: input.content.channels,
    statuses: input.content.statuses,
  };
  // Serialise concurrent saves of the same organisation's mappings (a lock of this transaction).
  await sql`select pg_advisory_xact_lock(hashtextextended(${`history_mappings:${input.organisationId}`}, 0))`.execute(trx);
  const latest = await repo.latestMappingVersion(trx, input.organisationId, input.name);
  if (latest && canonicalJson(latest.content) === canonicalJson(content)) return { mapping: latest, created: false };
  const mapping = await repo.insertMapping(trx, { organisationId: input.organisationId, name: input.name, version: (latest?.version ?? 0) + 1, content, createdBy: input.createdBy });
  return { mapping, created: true };
}

/** JSON with sorted keys: jsonb does not keep key order, so equality is checked on this form. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface RunOptions {
  mappingId: string;
  unmappedPolicy: 'skip' | 'unclassified';
  mode: 'dry_run' | 'commit';
}

/** The job that commits an import (see `requestCommit`), and the one told when it gives up. */
export const COMMIT_JOB = 'history-import.commit';
export const COMMIT_FAILED_JOB = 'history-import.commit-failed';
export interface CommitJobData {
  importId: string;
  /** This job's id, recorded on the import: a job of an earlier request is stale and does nothing. */
  jobId: string;
}

/**
 * Dry run: one streamed pass converting each row, writing nothing but the report. The commit is
 * `requestCommit` + the commit job.
 */
export async function runImport(db: Database, dataDir: string, actor: Actor, id: string, options: RunOptions): Promise<{ import: repo.HistoryImport; report: ImportReport }> {
  const imp = await openImport(db, actor, id);
  if (imp.status === 'committed') throw errors.alreadyCommitted();
  if (imp.status === 'committing') throw errors.commitInProgress();
  if (!imp.settings) throw errors.notConfigured();
  const mapping = await openMapping(db, actor, options.mappingId, imp.organisationId);
  const report = await processRows(db, imp, imp.settings, mapping, { ...options, mode: 'dry_run' }, sourceOf(dataDir, imp));
  const updated = await db.transaction().execute((trx) => repo.updateImport(trx, id, { report, status: 'checked', mappingId: mapping.id, unmappedPolicy: options.unmappedPolicy }));
  return { import: updated, report };
}

/**
 * Asks for the commit: checks the import and mapping, marks the import `committing` and enqueues
 * the commit job in the same transaction (no job without the mark, no mark without the job). A
 * repeated request while it is queued or running answers with the same import and no second job.
 */
export async function requestCommit(db: Database, jobs: JobRunner, actor: Actor, id: string, options: Omit<RunOptions, 'mode'>): Promise<repo.HistoryImport> {
  const imp = await openImport(db, actor, id);
  if (imp.status === 'committed') throw errors.alreadyCommitted();
  if (imp.status === 'committing') return imp;
  if (!imp.settings) throw errors.notConfigured();
  const mapping = await openMapping(db, actor, options.mappingId, imp.organisationId);
  // Set up the queue before the transaction: on PGlite the transaction holds the only connection.
  await jobs.start();
  return db.transaction().execute(async (trx) => {
    const locked = await repo.findImport(trx, id, organisationScope(actor), true);
    if (!locked) throw errors.importNotFound();
    if (locked.status === 'committed') throw errors.alreadyCommitted();
    if (locked.status === 'committing') return locked;
    const jobId = randomUUID();
    const updated = await repo.updateImport(trx, id, {
      status: 'committing', mappingId: mapping.id, unmappedPolicy: options.unmappedPolicy, committedBy: actor.userId, progressDone: 0, progressTotal: locked.rowCount,
      commitError: null, commitJobId: jobId,
    });
    await jobs.send<CommitJobData>(COMMIT_JOB, { importId: id, jobId }, { trx, id: jobId });
    return updated;
  });
}

/**
 * The commit job: one streamed pass storing the rows batch by batch (each batch its own statement,
 * so that progress is visible and PGlite's single connection is not held for the whole file), then
 * the import is marked committed and its file removed.
 *
 * Idempotent and whole-or-absent: a job for an import no longer `committing` does nothing; every
 * attempt first removes what an interrupted attempt stored, so a retry neither duplicates rows nor
 * counts them as "already present"; a commit that gives up removes its rows and records why.
 */
export async function runCommitJob(
  db: Database,
  dataDir: string,
  data: CommitJobData,
  run: { attempt: number; final: boolean; /** After each stored batch (tests inject a crash here). */ afterBatch?: (rowsRead: number) => void | Promise<void> },
): Promise<void> {
  const imp = await repo.findImport(db, data.importId, 'all');
  if (imp?.status !== 'committing' || imp.commitJobId !== data.jobId) return;
  try {
    const mapping = imp.mappingId ? await repo.findMapping(db, imp.mappingId, 'all') : null;
    if (!imp.settings || !mapping || !imp.unmappedPolicy) throw errors.notConfigured();
    const open = sourceOf(dataDir, imp);
    await repo.deleteContactsOfImport(db, imp.id);
    await repo.setCommitProgress(db, imp.id, 0);
    const options: RunOptions = { mappingId: mapping.id, unmappedPolicy: imp.unmappedPolicy, mode: 'commit' };
    const report = await processRows(db, imp, imp.settings, mapping, options, open, async (rowsRead) => {
      await repo.setCommitProgress(db, imp.id, rowsRead);
      await run.afterBatch?.(rowsRead);
    });
    await db.transaction().execute(async (trx) => {
      const locked = await repo.findImport(trx, imp.id, 'all', true);
      if (locked?.status !== 'committing' || locked.commitJobId !== data.jobId) return;
      await repo.updateImport(trx, imp.id, {
        report, status: 'committed', importedCount: report.imported, storageKey: null, committedAt: new Date(), progressDone: report.totalRows, commitError: null,
      });
    });
    // The uploaded file is no longer needed once its rows are stored (data minimisation).
    if (imp.storageKey) await removeStored(uploadsRoot(dataDir), imp.storageKey);
    if (report.imported > 0) await repo.analyzeContacts(db);
  } catch (err) {
    // A refusal (bad settings, missing file) will not change on retry: record it now. Anything else
    // is retried, and recorded when the last attempt fails.
    if (err instanceof AppError) return markCommitFailed(db, data, { code: err.code, message: err.text('it'), en: err.text('en') });
    if (run.final) await markCommitFailed(db, data, commitFailure());
    throw err;
  }
}

/** What a commit that gave up records: the catalogue's code and its message in both languages. */
export function commitFailure(): repo.CommitError {
  const failed = errors.commitFailed();
  return { code: failed.code, message: failed.text('it'), en: failed.text('en') };
}

/** Records a commit that gave up: its partial rows are removed and the import can be committed again. */
export async function markCommitFailed(db: Database, data: CommitJobData, error: repo.CommitError): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const locked = await repo.findImport(trx, data.importId, 'all', true);
    if (locked?.status !== 'committing' || locked.commitJobId !== data.jobId) return;
    await repo.deleteContactsOfImport(trx, data.importId);
    await repo.updateImport(trx, data.importId, { status: 'failed', commitError: error, progressDone: 0 });
  });
}

/** The shared row loop of dry run and commit; `db` is the commit transaction when committing. */
export async function processRows(
  db: Database | Trx,
  imp: Pick<repo.HistoryImport, 'id' | 'organisationId' | 'source' | 'columns' | 'compression' | 'encoding' | 'delimiter' | 'hasHeader'>,
  roles: ColumnRoles,
  mapping: Pick<repo.HistoryMapping, 'content' | 'taxonomyVersion'>,
  options: RunOptions,
  open: ByteSource,
  /** Called after each batch with the rows read so far (the commit job's progress). */
  onProgress?: (rowsRead: number) => Promise<void>,
): Promise<ImportReport> {
  const { positions, missing } = resolveColumns(roles, imp.columns);
  if (missing.length > 0) throw errors.unknownColumns({ missing, available: imp.columns });
  const ctx = { roles, positions, delimiter: imp.delimiter, mapping: compileMapping(mapping.content), unmappedPolicy: options.unmappedPolicy };
  const report = new ReportBuilder(options.mode, options.unmappedPolicy);
  const seen = new Set<string>();
  let rowsRead = 0;
  for await (const batch of readRecords(open, imp)) {
    rowsRead += batch.length;
    const drafts: ContactDraft[] = [];
    for (const record of batch) {
      if (record.error) {
        report.unreadable(record.line, 'unterminated_quote', 'virgolette aperte e mai chiuse');
        continue;
      }
      const outcome = convertRow(record.fields, ctx);
      if (outcome.ok && seen.has(outcome.contact.legacyId)) {
        report.unreadable(record.line, 'duplicate_id', `identificativo «${outcome.contact.legacyId.slice(0, 40)}» ripetuto nel file`);
        continue;
      }
      if (!report.row(record.line, outcome) || !outcome.ok) continue;
      seen.add(outcome.contact.legacyId);
      drafts.push(outcome.contact);
    }
    const unclassifiedOf = (list: ContactDraft[]) => list.filter((d) => !d.classified).length;
    if (options.mode === 'commit') {
      const inserted = await repo.insertContacts(db as Trx, { organisationId: imp.organisationId, source: imp.source, importId: imp.id, taxonomyVersion: mapping.taxonomyVersion }, drafts);
      const fresh = drafts.filter((d) => inserted.has(d.legacyId));
      report.stored(fresh.length, unclassifiedOf(fresh), drafts.length - fresh.length);
    } else {
      const existing = await repo.existingLegacyIds(db, imp.organisationId, imp.source, drafts.map((d) => d.legacyId));
      const fresh = drafts.filter((d) => !existing.has(d.legacyId));
      report.stored(fresh.length, unclassifiedOf(fresh), existing.size);
    }
    await onProgress?.(rowsRead);
  }
  return report.build();
}

/** Imports the actor may see, newest first. */
export async function listImports(db: Database, actor: Actor, organisationId?: string): Promise<repo.HistoryImport[]> {
  return repo.listImports(db, organisationScope(actor), organisationId);
}

export async function listMappings(db: Database, actor: Actor, organisationId?: string): Promise<repo.HistoryMapping[]> {
  return repo.listMappings(db, organisationScope(actor), organisationId);
}

export async function listContacts(db: Database, actor: Actor, id: string, limit: number, offset: number) {
  const imp = await openImport(db, actor, id);
  return repo.listContacts(db, imp.id, imp.organisationId, limit, offset);
}
