/**
 * The archive's tables (migration 0034): staged records, archived tickets, Parquet parts, settings
 * and runs. Plain functions taking `db`/`trx` first; transactions are opened by the use cases.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import { organisationDirectory } from '../identity/index.js';
import { ARCHIVE_COLUMNS, type ArchiveRecord, type ArchiveSettings, type TimeGranularity } from './archive-record.js';

type Db = Database | Trx;

/** PGlite returns count(*) as a JS bigint, pg as a string: both become numbers here. */
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export interface StoredArchiveSettings extends ArchiveSettings {
  version: number;
  updatedAt: Date;
  /** The last closed ticket (closed_at, id) before which every final ticket is archived. */
  watermark: { closedAt: Date; id: string } | null;
}

export async function findSettings(db: Db): Promise<StoredArchiveSettings> {
  const row = await db.selectFrom('archive_settings').selectAll().executeTakeFirstOrThrow();
  return {
    graceDays: row.grace_days, minComunePopulation: row.min_comune_population, timeGranularity: row.time_granularity, version: row.version, updatedAt: row.updated_at,
    watermark: row.ticket_watermark_at && row.ticket_watermark_id ? { closedAt: row.ticket_watermark_at, id: row.ticket_watermark_id } : null,
  };
}

/** Updates the settings when the version matches; returns null when it does not. */
export async function updateSettings(trx: Trx, change: Partial<ArchiveSettings>, expectedVersion: number | null, userId: string | null, now: Date): Promise<StoredArchiveSettings | null> {
  let q = trx
    .updateTable('archive_settings')
    .set((eb) => ({
      ...(change.graceDays !== undefined && { grace_days: change.graceDays }),
      ...(change.minComunePopulation !== undefined && { min_comune_population: change.minComunePopulation }),
      ...(change.timeGranularity !== undefined && { time_granularity: change.timeGranularity as TimeGranularity }),
      version: eb('version', '+', 1),
      updated_at: now,
      updated_by: userId,
    }));
  if (expectedVersion !== null) q = q.where('version', '=', expectedVersion);
  const updated = await q.returning('id').executeTakeFirst();
  return updated ? findSettings(trx) : null;
}

/** Moves the watermark forward (never back: concurrent sweeps may finish out of order). */
export async function advanceWatermark(trx: Trx, to: { closedAt: Date; id: string }): Promise<void> {
  await sql`
    update archive_settings set ticket_watermark_at = ${to.closedAt}::timestamptz, ticket_watermark_id = ${to.id}::uuid
    where ticket_watermark_at is null or (ticket_watermark_at, ticket_watermark_id) < (${to.closedAt}::timestamptz, ${to.id}::uuid)`.execute(trx);
}

/** Which of these tickets are already archived. */
export async function archivedAmong(db: Db, ticketIds: readonly string[]): Promise<Set<string>> {
  if (ticketIds.length === 0) return new Set();
  const { rows } = await sql<{ ticket_id: string }>`select ticket_id from archived_tickets where ticket_id = any(${[...ticketIds]}::uuid[])`.execute(db);
  return new Set(rows.map((r) => r.ticket_id));
}

/**
 * Claims tickets as archived; returns those this transaction claimed. A ticket claimed by a
 * concurrent sweep waits for its commit and is then skipped: no record is ever written twice.
 */
export async function claimTickets(trx: Trx, ticketIds: readonly string[], now: Date): Promise<Set<string>> {
  if (ticketIds.length === 0) return new Set();
  const { rows } = await sql<{ ticket_id: string }>`
    insert into archived_tickets (ticket_id, archived_at)
    select id, ${now}::timestamptz from unnest(${[...ticketIds]}::uuid[]) as id
    on conflict (ticket_id) do nothing
    returning ticket_id`.execute(trx);
  return new Set(rows.map((r) => r.ticket_id));
}

/** Stages records, one statement per batch (the whole batch as one JSON parameter: no limit on bind parameters). */
export async function insertRecords(trx: Trx, records: readonly ArchiveRecord[]): Promise<void> {
  if (records.length === 0) return;
  const columns = sql.join(ARCHIVE_COLUMNS.map((c) => sql.ref(c)));
  await sql`
    insert into archive_records (${columns})
    select ${columns} from json_populate_recordset(null::archive_records, ${JSON.stringify(records)}::json)`.execute(trx);
}

/** The organisations as the record needs them (id → IPA and ISTAT codes). */
export async function organisationCodes(db: Db): Promise<Map<string, { id: string; ipaCode: string | null; istatCode: string | null; regionIstat: string | null }>> {
  const rows = await db.selectFrom(organisationDirectory().as('o')).select(['o.id', 'o.ipa_code', 'o.istat_code', 'o.region_istat']).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, ipaCode: r.ipa_code, istatCode: r.istat_code, regionIstat: r.region_istat }]));
}

// ---- Parquet parts ----

export interface ArchivePart {
  id: string;
  month: string;
  path: string;
  rowCount: number;
  state: 'writing' | 'written';
}

const toPart = (r: { id: string; month: string; path: string; row_count: number; state: 'writing' | 'written' }): ArchivePart => ({ id: r.id, month: r.month, path: r.path, rowCount: r.row_count, state: r.state });

/** Months with staged rows not yet claimed by a part. */
export async function stagedMonths(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('archive_records').select('month').distinct().where('part_id', 'is', null).orderBy('month').execute();
  return rows.map((r) => r.month);
}

/** Parts whose file is not yet in place (a crash, or a compaction in progress elsewhere). */
export async function writingParts(db: Db): Promise<ArchivePart[]> {
  const rows = await db.selectFrom('archive_parts').selectAll().where('state', '=', 'writing').orderBy('created_at').execute();
  return rows.map(toPart);
}

/**
 * Step (a) of a compaction: assigns up to `limit` staged rows of a month to a new part, in one
 * statement; rows another compaction holds are skipped. Returns the part, or null when none was left.
 */
export async function claimPart(trx: Trx, part: { id: string; month: string; path: string }, limit: number): Promise<ArchivePart | null> {
  const { rows } = await sql<{ n: number | string }>`
    with picked as (
      select record_id from archive_records where month = ${part.month} and part_id is null
      order by record_id limit ${limit} for update skip locked
    ), claimed as (
      update archive_records r set part_id = ${part.id}::uuid from picked where r.record_id = picked.record_id returning 1
    )
    select count(*) as n from claimed`.execute(trx);
  const n = num(rows[0]?.n);
  if (n === 0) return null;
  await trx.insertInto('archive_parts').values({ id: part.id, month: part.month, path: part.path, row_count: n }).execute();
  return { ...part, rowCount: n, state: 'writing' };
}

export type StagedRow = Omit<ArchiveRecord, 'month'>;

/**
 * One page of a part's rows, by record_id (keyset), as JSON lines built by the database (dates as
 * 'YYYY-MM-DD'): handed to DuckDB as they are, without a value ever being parsed in JavaScript.
 */
export async function partRowsAsJsonLines(db: Db, partId: string, after: string | null, limit: number): Promise<{ count: number; last: string | null; lines: string }> {
  const { rows } = await sql<{ n: unknown; last: string | null; lines: string | null }>`
    with page as (
      select record_id, source, organisation_id, organisation_ipa, office_id, channel, taxonomy_version, topic_code, classification_json,
        territory_code, territory_level, opened_day, opened_hour, closed_day, first_response_minutes,
        resolution_minutes, offices_involved, handoffs, outcome, satisfaction, text, pii_counts
      from archive_records
      where part_id = ${partId}::uuid ${after ? sql`and record_id > ${after}::uuid` : sql``}
      order by record_id limit ${limit}
    )
    select count(*) as n, max(record_id::text) as last, string_agg(row_to_json(page)::text, chr(10)) as lines from page`.execute(db);
  const r = rows[0];
  return { count: num(r?.n), last: r?.last ?? null, lines: r?.lines ?? '' };
}

/** Step (c): the part's rows leave the staging table and the part is marked written, together. */
export async function finishPart(trx: Trx, partId: string, now: Date): Promise<void> {
  await trx.deleteFrom('archive_records').where('part_id', '=', partId).execute();
  await trx.updateTable('archive_parts').set({ state: 'written', written_at: now }).where('id', '=', partId).where('state', '=', 'writing').execute();
}

// ---- Status ----

export interface ArchiveCounts {
  stagedRecords: number;
  archivedTickets: number;
  parts: { written: number; writing: number };
  months: { month: string; parts: number; records: number; staged: number }[];
}

export async function archiveCounts(db: Db): Promise<ArchiveCounts> {
  const staged = await sql<{ month: string; n: unknown }>`select month, count(*) as n from archive_records group by month`.execute(db);
  const parts = await sql<{ month: string; state: string; parts: unknown; records: unknown }>`
    select month, state, count(*) as parts, coalesce(sum(row_count), 0) as records from archive_parts group by month, state`.execute(db);
  const archived = await sql<{ n: unknown }>`select count(*) as n from archived_tickets`.execute(db);
  const months = new Map<string, { month: string; parts: number; records: number; staged: number }>();
  const monthOf = (m: string) => months.get(m) ?? months.set(m, { month: m, parts: 0, records: 0, staged: 0 }).get(m)!;
  for (const r of staged.rows) monthOf(r.month).staged += num(r.n);
  let written = 0;
  let writing = 0;
  for (const r of parts.rows) {
    if (r.state === 'written') {
      written += num(r.parts);
      monthOf(r.month).parts += num(r.parts);
      monthOf(r.month).records += num(r.records);
    } else writing += num(r.parts);
  }
  return {
    stagedRecords: staged.rows.reduce((n, r) => n + num(r.n), 0),
    archivedTickets: num(archived.rows[0]?.n),
    parts: { written, writing },
    months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
  };
}

// ---- Runs ----

export interface ArchiveRun {
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  requestedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  ticketsArchived: number;
  historicalArchived: number;
  partsWritten: number;
  error: string | null;
}

export async function createRun(trx: Trx, id: string, userId: string | null): Promise<void> {
  await trx.insertInto('archive_runs').values({ id, requested_by: userId, error: null }).execute();
}

export async function findRun(db: Db, id: string): Promise<ArchiveRun | null> {
  const r = await db.selectFrom('archive_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return r
    ? {
        id: r.id, state: r.state, requestedAt: r.requested_at, startedAt: r.started_at, finishedAt: r.finished_at, ticketsArchived: r.tickets_archived,
        historicalArchived: r.historical_archived, partsWritten: r.parts_written, error: r.error,
      }
    : null;
}

export async function lastRun(db: Db): Promise<ArchiveRun | null> {
  const r = await db.selectFrom('archive_runs').select('id').orderBy('requested_at', 'desc').limit(1).executeTakeFirst();
  return r ? findRun(db, r.id) : null;
}

export async function updateRun(db: Db, id: string, change: Partial<{ state: ArchiveRun['state']; startedAt: Date; finishedAt: Date; ticketsArchived: number; historicalArchived: number; partsWritten: number; error: string | null }>): Promise<void> {
  await db
    .updateTable('archive_runs')
    .set({
      ...(change.state && { state: change.state }),
      ...(change.startedAt && { started_at: change.startedAt }),
      ...(change.finishedAt && { finished_at: change.finishedAt }),
      ...(change.ticketsArchived !== undefined && { tickets_archived: change.ticketsArchived }),
      ...(change.historicalArchived !== undefined && { historical_archived: change.historicalArchived }),
      ...(change.partsWritten !== undefined && { parts_written: change.partsWritten }),
      ...(change.error !== undefined && { error: change.error }),
    })
    .where('id', '=', id)
    .execute();
}
