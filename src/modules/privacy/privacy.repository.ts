/**
 * The privacy module's tables: retention policies, retention runs (counts only) and data subject
 * requests (criteria never stored, only their kinds; an access export until downloaded once).
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';

type Db = Database | Trx;

/** Months after a ticket closes before its personal data is purged, when the organisation has set nothing. */
export const RETENTION_DEFAULTS = { requesterMonths: 24, attachmentMonths: 24 } as const;

export interface RetentionPolicy {
  organisationId: string;
  requesterMonths: number;
  attachmentMonths: number;
  /** 0 while the organisation uses the defaults (no row yet). */
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

export async function findPolicy(db: Db, organisationId: string): Promise<RetentionPolicy> {
  const row = await db.selectFrom('retention_policies').selectAll().where('organisation_id', '=', organisationId).executeTakeFirst();
  if (!row) return { organisationId, ...RETENTION_DEFAULTS, version: 0, updatedAt: null, updatedBy: null };
  return { organisationId, requesterMonths: row.requester_months, attachmentMonths: row.attachment_months, version: row.version, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

/**
 * Writes an organisation's policy if its version is still `expectedVersion` (0: no row yet, the first
 * save inserts it); null when another change came first (the conflicting row's version differs).
 */
export async function savePolicy(db: Db, p: { organisationId: string; requesterMonths: number; attachmentMonths: number; actorId: string; expectedVersion: number | null; now: Date }): Promise<RetentionPolicy | null> {
  const row = await db
    .insertInto('retention_policies')
    .values({ organisation_id: p.organisationId, requester_months: p.requesterMonths, attachment_months: p.attachmentMonths, updated_by: p.actorId, updated_at: p.now })
    .onConflict((oc) =>
      oc.column('organisation_id').doUpdateSet((eb) => ({
        requester_months: eb.ref('excluded.requester_months'), attachment_months: eb.ref('excluded.attachment_months'), updated_by: eb.ref('excluded.updated_by'), updated_at: eb.ref('excluded.updated_at'),
        version: eb('retention_policies.version', '+', 1),
      })).where((eb) => (p.expectedVersion === null ? sql<boolean>`true` : eb('retention_policies.version', '=', p.expectedVersion))))
    .returningAll()
    .executeTakeFirst();
  if (!row) return null;
  return { organisationId: p.organisationId, requesterMonths: row.requester_months, attachmentMonths: row.attachment_months, version: row.version, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

export interface RetentionRun {
  id: string;
  organisationId: string;
  trigger: 'schedule' | 'manual';
  startedAt: Date;
  finishedAt: Date | null;
  counts: Record<string, number>;
}

export async function startRun(db: Db, organisationId: string, trigger: 'schedule' | 'manual', now: Date): Promise<string> {
  const row = await db.insertInto('retention_runs').values({ organisation_id: organisationId, trigger, started_at: now, counts: '{}' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function finishRun(db: Db, id: string, counts: Record<string, number>, now: Date): Promise<void> {
  await db.updateTable('retention_runs').set({ finished_at: now, counts: JSON.stringify(counts) }).where('id', '=', id).execute();
}

export async function listRuns(db: Db, organisationIds: readonly string[] | 'all', limit: number): Promise<RetentionRun[]> {
  let q = db.selectFrom('retention_runs').selectAll();
  if (organisationIds !== 'all') {
    if (organisationIds.length === 0) return [];
    q = q.where('organisation_id', 'in', [...organisationIds]);
  }
  const rows = await q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, organisationId: r.organisation_id, trigger: r.trigger, startedAt: r.started_at, finishedAt: r.finished_at, counts: r.counts }));
}

export interface DataSubjectRequest {
  id: string;
  kind: 'erasure' | 'access';
  organisationId: string;
  status: 'executed' | 'failed';
  criteriaKinds: string[];
  candidateCount: number;
  matched: Record<string, Record<string, number>>;
  result: Record<string, number>;
  createdBy: string | null;
  createdAt: Date;
  executedBy: string | null;
  executedAt: Date | null;
  exportAvailable: boolean;
  exportExpiresAt: Date | null;
  exportDownloadedAt: Date | null;
}

const REQUEST_COLUMNS = [
  'id', 'kind', 'organisation_id', 'status', 'criteria_kinds', 'candidate_count', 'matched', 'result', 'created_by', 'created_at', 'executed_by', 'executed_at',
  'export_expires_at', 'export_downloaded_at',
] as const;

type RequestRow = {
  id: string; kind: 'erasure' | 'access'; organisation_id: string; status: 'executed' | 'failed'; criteria_kinds: string[]; candidate_count: number;
  matched: Record<string, Record<string, number>>; result: Record<string, number>; created_by: string | null; created_at: Date; executed_by: string | null;
  executed_at: Date | null; export_expires_at: Date | null; export_downloaded_at: Date | null; has_export: boolean;
};

const toRequest = (r: RequestRow): DataSubjectRequest => ({
  id: r.id, kind: r.kind, organisationId: r.organisation_id, status: r.status, criteriaKinds: r.criteria_kinds, candidateCount: r.candidate_count, matched: r.matched,
  result: r.result, createdBy: r.created_by, createdAt: r.created_at, executedBy: r.executed_by, executedAt: r.executed_at, exportAvailable: r.has_export,
  exportExpiresAt: r.export_expires_at, exportDownloadedAt: r.export_downloaded_at,
});

export async function insertRequest(
  trx: Trx,
  r: { kind: 'erasure' | 'access'; organisationId: string; criteriaKinds: string[]; candidateCount: number; matched: Record<string, Record<string, number>>; result: Record<string, number>; actorId: string; now: Date; export: unknown; exportExpiresAt: Date | null },
): Promise<DataSubjectRequest> {
  const row = await trx
    .insertInto('data_subject_requests')
    .values({
      kind: r.kind, organisation_id: r.organisationId, status: 'executed', criteria_kinds: JSON.stringify(r.criteriaKinds), candidate_count: r.candidateCount,
      matched: JSON.stringify(r.matched), result: JSON.stringify(r.result), created_by: r.actorId, created_at: r.now, executed_by: r.actorId, executed_at: r.now,
      export: r.export === null ? null : JSON.stringify(r.export), export_expires_at: r.exportExpiresAt,
    })
    .returning([...REQUEST_COLUMNS])
    .returning(sql<boolean>`export is not null`.as('has_export'))
    .executeTakeFirstOrThrow();
  return toRequest(row);
}

export async function findRequest(db: Db, id: string): Promise<DataSubjectRequest | null> {
  const row = await db.selectFrom('data_subject_requests').select([...REQUEST_COLUMNS]).select(sql<boolean>`export is not null`.as('has_export')).where('id', '=', id).executeTakeFirst();
  return row ? toRequest(row) : null;
}

export async function listRequests(db: Db, organisationIds: readonly string[] | 'all', limit: number): Promise<DataSubjectRequest[]> {
  let q = db.selectFrom('data_subject_requests').select([...REQUEST_COLUMNS]).select(sql<boolean>`export is not null`.as('has_export'));
  if (organisationIds !== 'all') {
    if (organisationIds.length === 0) return [];
    q = q.where('organisation_id', 'in', [...organisationIds]);
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toRequest);
}

/**
 * Hands an access request's export over once: returns it and removes it in the same statement, only
 * to the administrator who recorded the request and before it expires; null otherwise.
 */
export async function takeExport(db: Db, id: string, userId: string, now: Date): Promise<unknown | null> {
  const { rows } = await sql<{ export: unknown }>`
    with taken as (
      select id, export from data_subject_requests
      where id = ${id}::uuid and created_by = ${userId}::uuid and export is not null and export_expires_at > ${now}::timestamptz
      for update
    )
    update data_subject_requests r set export = null, export_downloaded_at = ${now}::timestamptz
    from taken where r.id = taken.id
    returning taken.export`.execute(db);
  const value = rows[0]?.export;
  if (value === undefined) return null;
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** Removes exports past their expiry. Returns how many. */
export async function dropExpiredExports(db: Db, now: Date): Promise<number> {
  const done = await db.updateTable('data_subject_requests').set({ export: null }).where('export', 'is not', null).where('export_expires_at', '<=', now).executeTakeFirst();
  return Number(done.numUpdatedRows);
}

/** Removes waiting exports that mention any of these values (an erasure of the same person). Returns how many. */
export async function dropExportsMentioning(db: Db, values: readonly string[]): Promise<number> {
  const patterns = values.filter((v) => v.length >= 3).map((v) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (patterns.length === 0) return 0;
  const { numAffectedRows } = await sql`update data_subject_requests set export = null where export is not null and export::text ilike any(${patterns}::text[])`.execute(db);
  return Number(numAffectedRows ?? 0);
}
