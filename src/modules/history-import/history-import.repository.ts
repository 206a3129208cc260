import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import type { ColumnRoles, ContactDraft } from './contact-row.js';
import type { Delimiter, SourceEncoding } from './csv-sniff.js';
import type { ImportReport } from './import-report.js';
import type { Compression } from './import-source.js';
import type { MappingContent } from './mapping.js';

type Db = Database | Trx;

/** Organisations whose imports a caller may see: a list, or every one (network coordinator). */
export type OrganisationScope = readonly string[] | 'all';

export interface HistoryMapping {
  id: string;
  organisationId: string;
  name: string;
  version: number;
  taxonomyVersion: string;
  content: MappingContent;
  createdAt: Date;
}

export interface HistoryImport {
  id: string;
  organisationId: string;
  source: string;
  filename: string;
  storageKey: string | null;
  size: number;
  sha256: string;
  compression: Compression;
  encoding: SourceEncoding;
  delimiter: Delimiter;
  hasHeader: boolean;
  columns: string[];
  rowCount: number;
  settings: ColumnRoles | null;
  mappingId: string | null;
  unmappedPolicy: 'skip' | 'unclassified' | null;
  status: 'uploaded' | 'configured' | 'checked' | 'committing' | 'committed' | 'failed';
  report: ImportReport | null;
  importedCount: number;
  createdAt: Date;
  committedAt: Date | null;
  version: number;
  /** Commit progress: rows read so far, out of `progressTotal` (the rows of the file). */
  progressDone: number;
  progressTotal: number | null;
  /** Why the last commit failed (code and message, no row text). */
  commitError: CommitError | null;
  /** The job of the current commit request. */
  commitJobId: string | null;
}

/** Why a commit gave up: the catalogue's code, its message in Italian and (rows since December 2026) English. */
export interface CommitError {
  code: string;
  message: string;
  en?: string;
}

function scoped<T extends { where: (...args: never[]) => T }>(query: T, scope: OrganisationScope, apply: (q: T, ids: readonly string[]) => T): T {
  return scope === 'all' ? query : apply(query, scope.length > 0 ? scope : ['00000000-0000-0000-0000-000000000000']);
}

type MappingRow = { id: string; organisation_id: string; name: string; version: number; taxonomy_version: string; content: unknown; created_at: Date };
const toMapping = (r: MappingRow): HistoryMapping => ({
  id: r.id, organisationId: r.organisation_id, name: r.name, version: r.version, taxonomyVersion: r.taxonomy_version, content: r.content as MappingContent, createdAt: r.created_at,
});

export async function latestMappingVersion(db: Db, organisationId: string, name: string): Promise<HistoryMapping | null> {
  const row = await db.selectFrom('history_mappings').selectAll().where('organisation_id', '=', organisationId).where('name', '=', name).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? toMapping(row) : null;
}

export async function insertMapping(trx: Trx, m: { organisationId: string; name: string; version: number; content: MappingContent; createdBy: string | null }): Promise<HistoryMapping> {
  const row = await trx
    .insertInto('history_mappings')
    .values({ organisation_id: m.organisationId, name: m.name, version: m.version, taxonomy_version: m.content.taxonomyVersion, content: JSON.stringify(m.content), created_by: m.createdBy })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toMapping(row);
}

export async function findMapping(db: Db, id: string, scope: OrganisationScope): Promise<HistoryMapping | null> {
  const q = scoped(db.selectFrom('history_mappings').selectAll().where('id', '=', id), scope, (q, ids) => q.where('organisation_id', 'in', ids));
  const row = await q.executeTakeFirst();
  return row ? toMapping(row) : null;
}

/** Every version of every mapping in scope, newest first within each name. */
export async function listMappings(db: Db, scope: OrganisationScope, organisationId?: string): Promise<HistoryMapping[]> {
  let q = scoped(db.selectFrom('history_mappings').selectAll(), scope, (q, ids) => q.where('organisation_id', 'in', ids));
  if (organisationId) q = q.where('organisation_id', '=', organisationId);
  const rows = await q.orderBy('name').orderBy('version', 'desc').limit(500).execute();
  return rows.map(toMapping);
}

type ImportRow = {
  id: string; organisation_id: string; source: string; filename: string; storage_key: string | null; size: string | number | bigint; sha256: string; compression: string;
  encoding: string; delimiter: string; has_header: boolean; columns: string[]; row_count: number; settings: unknown; mapping_id: string | null; unmapped_policy: string | null;
  status: string; report: unknown; imported_count: number; created_at: Date; committed_at: Date | null; version: number;
  progress_done: number; progress_total: number | null; commit_error: unknown; commit_job_id: string | null;
};
const toImport = (r: ImportRow): HistoryImport => ({
  id: r.id, organisationId: r.organisation_id, source: r.source, filename: r.filename, storageKey: r.storage_key, size: Number(r.size), sha256: r.sha256,
  compression: r.compression as Compression, encoding: r.encoding as SourceEncoding, delimiter: r.delimiter as Delimiter, hasHeader: r.has_header, columns: r.columns,
  rowCount: r.row_count, settings: (r.settings ?? null) as ColumnRoles | null, mappingId: r.mapping_id, unmappedPolicy: r.unmapped_policy as HistoryImport['unmappedPolicy'],
  status: r.status as HistoryImport['status'], report: (r.report ?? null) as ImportReport | null, importedCount: r.imported_count, createdAt: r.created_at,
  committedAt: r.committed_at, version: r.version, progressDone: r.progress_done, progressTotal: r.progress_total, commitError: (r.commit_error ?? null) as CommitError | null,
  commitJobId: r.commit_job_id,
});

export interface NewImport {
  organisationId: string;
  source: string;
  filename: string;
  storageKey: string | null;
  size: number;
  sha256: string;
  compression: Compression;
  encoding: SourceEncoding;
  delimiter: Delimiter;
  hasHeader: boolean;
  columns: string[];
  rowCount: number;
  createdBy: string | null;
}

export async function insertImport(trx: Trx, i: NewImport): Promise<HistoryImport> {
  const row = await trx
    .insertInto('history_imports')
    .values({
      organisation_id: i.organisationId, source: i.source, filename: i.filename, storage_key: i.storageKey, size: i.size, sha256: i.sha256, compression: i.compression,
      encoding: i.encoding, delimiter: i.delimiter, has_header: i.hasHeader, columns: JSON.stringify(i.columns), row_count: i.rowCount, created_by: i.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toImport(row);
}

export async function findImport(db: Db, id: string, scope: OrganisationScope, forUpdate = false): Promise<HistoryImport | null> {
  let q = scoped(db.selectFrom('history_imports').selectAll().where('id', '=', id), scope, (q, ids) => q.where('organisation_id', 'in', ids));
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toImport(row) : null;
}

export async function listImports(db: Db, scope: OrganisationScope, organisationId?: string): Promise<HistoryImport[]> {
  let q = scoped(db.selectFrom('history_imports').selectAll(), scope, (q, ids) => q.where('organisation_id', 'in', ids));
  if (organisationId) q = q.where('organisation_id', '=', organisationId);
  const rows = await q.orderBy('created_at', 'desc').limit(200).execute();
  return rows.map(toImport);
}

export async function updateImport(
  trx: Trx,
  id: string,
  patch: Partial<{
    settings: ColumnRoles; mappingId: string; unmappedPolicy: 'skip' | 'unclassified'; status: HistoryImport['status']; report: ImportReport; importedCount: number;
    storageKey: string | null; committedAt: Date; committedBy: string; progressDone: number; progressTotal: number | null; commitError: CommitError | null; commitJobId: string;
  }>,
): Promise<HistoryImport> {
  const row = await trx
    .updateTable('history_imports')
    .set((eb) => ({
      ...(patch.settings !== undefined && { settings: JSON.stringify(patch.settings) }),
      ...(patch.mappingId !== undefined && { mapping_id: patch.mappingId }),
      ...(patch.unmappedPolicy !== undefined && { unmapped_policy: patch.unmappedPolicy }),
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.report !== undefined && { report: JSON.stringify(patch.report) }),
      ...(patch.importedCount !== undefined && { imported_count: patch.importedCount }),
      ...(patch.storageKey !== undefined && { storage_key: patch.storageKey }),
      ...(patch.committedAt !== undefined && { committed_at: patch.committedAt }),
      ...(patch.committedBy !== undefined && { committed_by: patch.committedBy }),
      ...(patch.progressDone !== undefined && { progress_done: patch.progressDone }),
      ...(patch.commitJobId !== undefined && { commit_job_id: patch.commitJobId }),
      ...(patch.progressTotal !== undefined && { progress_total: patch.progressTotal }),
      ...(patch.commitError !== undefined && { commit_error: patch.commitError === null ? null : JSON.stringify(patch.commitError) }),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toImport(row);
}

/** Records how far a running commit has read (its own short statement, visible to progress polls). */
export async function setCommitProgress(db: Db, id: string, done: number): Promise<void> {
  await db.updateTable('history_imports').set({ progress_done: done }).where('id', '=', id).where('status', '=', 'committing').execute();
}

/** Removes the contacts an unfinished commit of this import stored (a retry starts again; a failure leaves nothing). */
export async function deleteContactsOfImport(db: Db, importId: string): Promise<number> {
  const result = await db.deleteFrom('historical_contacts').where('import_id', '=', importId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The legacy ids among `ids` already stored for this organisation and source (one array parameter). */
export async function existingLegacyIds(db: Db, organisationId: string, source: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('historical_contacts')
    .select('legacy_id')
    .where('organisation_id', '=', organisationId)
    .where('source', '=', source)
    .where(sql<boolean>`legacy_id = any(${ids}::text[])`)
    .execute();
  return new Set(rows.map((r) => r.legacy_id));
}

/**
 * Inserts contacts, skipping legacy ids already stored; returns the legacy ids actually inserted.
 * The batch travels as one JSON parameter expanded by jsonb_to_recordset: thousands of rows in one
 * statement without thousands of bind parameters (much faster on PGlite, fine on PostgreSQL).
 */
export async function insertContacts(
  trx: Trx,
  base: { organisationId: string; source: string; importId: string; taxonomyVersion: string },
  contacts: ContactDraft[],
): Promise<Set<string>> {
  if (contacts.length === 0) return new Set();
  const payload = JSON.stringify(
    contacts.map((c) => ({
      legacy_id: c.legacyId, created_at: c.createdAt.toISOString(), closed_at: c.closedAt?.toISOString() ?? null, legacy_channel: c.legacyChannel,
      legacy_category: c.legacyCategory, legacy_status: c.legacyStatus, classification: c.classification, tema: c.classification.tema ?? null, classified: c.classified, text: c.text,
    })),
  );
  const result = await sql<{ legacy_id: string }>`
    insert into historical_contacts (organisation_id, source, import_id, taxonomy_version, legacy_id, created_at, closed_at, legacy_channel, legacy_category, legacy_status, classification, tema, classified, text)
    select ${base.organisationId}::uuid, ${base.source}, ${base.importId}::uuid, ${base.taxonomyVersion}, r.legacy_id, r.created_at, r.closed_at, r.legacy_channel, r.legacy_category, r.legacy_status, r.classification, r.tema, r.classified, r.text
    from jsonb_to_recordset(${payload}::jsonb) as r(legacy_id text, created_at timestamptz, closed_at timestamptz, legacy_channel text, legacy_category text, legacy_status text, classification jsonb, tema text, classified boolean, text text)
    on conflict (organisation_id, source, legacy_id) do nothing
    returning legacy_id`.execute(trx);
  return new Set(result.rows.map((r) => r.legacy_id));
}

/**
 * Refreshes the planner statistics after a bulk import: with stale statistics (an "empty" table)
 * the next import's existing-id look-ups would scan the whole table instead of using the index.
 */
export async function analyzeContacts(db: Db): Promise<void> {
  await sql`analyze historical_contacts`.execute(db);
}

export interface HistoricalContact {
  id: string;
  legacyId: string;
  createdAt: Date;
  closedAt: Date | null;
  legacyChannel: string | null;
  legacyCategory: string | null;
  legacyStatus: string | null;
  taxonomyVersion: string;
  classification: Record<string, string>;
  classified: boolean;
  text: string | null;
  anonymised: boolean;
}

export async function listContacts(db: Db, importId: string, organisationId: string, limit: number, offset: number): Promise<{ items: HistoricalContact[]; total: number }> {
  const base = db.selectFrom('historical_contacts').where('import_id', '=', importId).where('organisation_id', '=', organisationId);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('created_at').orderBy('legacy_id').limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<string | number | bigint>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      id: r.id, legacyId: r.legacy_id, createdAt: r.created_at, closedAt: r.closed_at, legacyChannel: r.legacy_channel, legacyCategory: r.legacy_category,
      legacyStatus: r.legacy_status, taxonomyVersion: r.taxonomy_version, classification: r.classification, classified: r.classified, text: r.text, anonymised: r.anonymised,
    })),
  };
}
