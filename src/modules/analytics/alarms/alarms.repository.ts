import { sql } from 'kysely';
import type { Database as Db } from '../../../db/database.js';
import type { AlarmKind } from '../../../db/tables/analytics.js';
import type { AlarmSlice } from './alarm-slices.js';

export type AlarmStatus = 'open' | 'acknowledged' | 'dismissed';

export interface StoredAlarm {
  id: string;
  seriesKey: string;
  slice: AlarmSlice;
  kind: AlarmKind;
  day: string;
  since: string;
  term: string;
  observed: number;
  expected: number;
  score: number;
  status: AlarmStatus;
  statusBy: string | null;
  statusAt: Date | null;
  createdAt: Date;
}

export interface NewAlarm {
  seriesKey: string;
  slice: AlarmSlice;
  kind: AlarmKind;
  day: string;
  since: string;
  term?: string;
  observed: number;
  expected: number;
  score: number;
}

const COLUMNS = [
  'id', 'series_key', 'slice', 'kind', 'term', 'observed', 'expected', 'score', 'status', 'status_by', 'status_at', 'created_at',
  sql<string>`day::text`.as('day'),
  sql<string>`since::text`.as('since'),
] as const;

type Row = { id: string; series_key: string; slice: unknown; kind: AlarmKind; day: string; since: string; term: string; observed: number; expected: number; score: number; status: AlarmStatus; status_by: string | null; status_at: Date | null; created_at: Date };

const toAlarm = (r: Row): StoredAlarm => ({
  id: r.id, seriesKey: r.series_key, slice: (typeof r.slice === 'string' ? JSON.parse(r.slice) : r.slice) as AlarmSlice, kind: r.kind, day: r.day, since: r.since, term: r.term,
  observed: Number(r.observed), expected: Number(r.expected), score: Number(r.score), status: r.status, statusBy: r.status_by, statusAt: r.status_at, createdAt: r.created_at,
});

/** Inserts the alarms not already recorded (same series, kind, day and term); returns those inserted. */
export async function insertAlarms(db: Db, alarms: readonly NewAlarm[], now: Date): Promise<StoredAlarm[]> {
  const out: StoredAlarm[] = [];
  for (let i = 0; i < alarms.length; i += 500) {
    const rows = await db
      .insertInto('analytics_alarms')
      .values(alarms.slice(i, i + 500).map((a) => ({
        series_key: a.seriesKey, slice: JSON.stringify(a.slice), kind: a.kind, day: a.day, since: a.since, term: a.term ?? '', observed: a.observed, expected: a.expected, score: a.score, created_at: now,
      })))
      .onConflict((oc) => oc.columns(['series_key', 'kind', 'day', 'term']).doNothing())
      .returning(COLUMNS)
      .execute();
    out.push(...rows.map((r) => toAlarm(r as Row)));
  }
  return out;
}

export async function findAlarm(db: Db, id: string): Promise<StoredAlarm | null> {
  const row = await db.selectFrom('analytics_alarms').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toAlarm(row as Row) : null;
}

export interface AlarmQuery {
  status?: AlarmStatus;
  kind?: AlarmKind;
  /** Only alarms of slices whose key contains these fields (e.g. topic=tributi). */
  topic?: string;
  territory?: string;
  channel?: string;
  from?: string;
  to?: string;
  limit: number;
}

/** Alarms, the latest day first. */
export async function listAlarms(db: Db, q: AlarmQuery): Promise<StoredAlarm[]> {
  let query = db.selectFrom('analytics_alarms').select(COLUMNS);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.topic) query = query.where((eb) => eb.or([eb(sql`slice->>'topic'`, '=', q.topic), eb(sql`slice->>'topic'`, 'like', `${q.topic!.replace(/[\\%_]/g, '\\$&')}.%`)]));
  if (q.territory) query = query.where(sql`slice->>'territory'`, '=', q.territory);
  if (q.channel) query = query.where(sql`slice->>'channel'`, '=', q.channel);
  if (q.from) query = query.where('day', '>=', q.from);
  if (q.to) query = query.where('day', '<=', q.to);
  const rows = await query.orderBy('day', 'desc').orderBy('score', 'desc').orderBy('id').limit(q.limit).execute();
  return rows.map((r) => toAlarm(r as Row));
}

export async function setAlarmStatus(db: Db, id: string, status: AlarmStatus, userId: string, now: Date): Promise<StoredAlarm | null> {
  const row = await db.updateTable('analytics_alarms').set({ status, status_by: userId, status_at: now }).where('id', '=', id).returning(COLUMNS).executeTakeFirst();
  return row ? toAlarm(row as Row) : null;
}

/** Alarms created in a period (for the daily digest). */
export async function alarmsCreatedBetween(db: Db, from: Date, to: Date): Promise<StoredAlarm[]> {
  const rows = await db.selectFrom('analytics_alarms').select(COLUMNS).where('created_at', '>=', from).where('created_at', '<', to).orderBy('score', 'desc').execute();
  return rows.map((r) => toAlarm(r as Row));
}

// ——— Watches ———

export interface AlarmWatch {
  id: string;
  userId: string;
  slice: AlarmSlice;
  digest: boolean;
  createdAt: Date;
}

const toWatch = (r: { id: string; user_id: string; slice: unknown; digest: boolean; created_at: Date }): AlarmWatch => ({
  id: r.id, userId: r.user_id, slice: (typeof r.slice === 'string' ? JSON.parse(r.slice) : r.slice) as AlarmSlice, digest: r.digest, createdAt: r.created_at,
});

export async function listWatches(db: Db, userId?: string): Promise<AlarmWatch[]> {
  let q = db.selectFrom('alarm_watches').select(['id', 'user_id', 'slice', 'digest', 'created_at']);
  if (userId) q = q.where('user_id', '=', userId);
  return (await q.orderBy('created_at').orderBy('id').execute()).map(toWatch);
}

/** Adds a watch, or returns the user's existing watch of the same slice (its digest choice updated). */
export async function upsertWatch(db: Db, w: { userId: string; slice: AlarmSlice; sliceKey: string; digest: boolean }): Promise<AlarmWatch> {
  const row = await db
    .insertInto('alarm_watches')
    .values({ user_id: w.userId, slice: JSON.stringify(w.slice), slice_key: w.sliceKey, digest: w.digest })
    .onConflict((oc) => oc.columns(['user_id', 'slice_key']).doUpdateSet({ digest: w.digest }))
    .returning(['id', 'user_id', 'slice', 'digest', 'created_at'])
    .executeTakeFirstOrThrow();
  return toWatch(row);
}

export async function deleteWatch(db: Db, userId: string, id: string): Promise<boolean> {
  const res = await db.deleteFrom('alarm_watches').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

// ——— Scans ———

export interface AlarmScan {
  id: string;
  trigger: 'schedule' | 'manual';
  startedAt: Date;
  finishedAt: Date | null;
  seriesScanned: number;
  alarmsFound: number;
  recordsRead: number;
  throughDay: string | null;
  error: string | null;
}

const SCAN_COLUMNS = ['id', 'trigger', 'started_at', 'finished_at', 'series_scanned', 'alarms_found', 'records_read', 'error', sql<string | null>`through_day::text`.as('through_day')] as const;
type ScanRow = { id: string; trigger: 'schedule' | 'manual'; started_at: Date; finished_at: Date | null; series_scanned: number; alarms_found: number; records_read: number | string; through_day: string | null; error: string | null };
const toScan = (r: ScanRow): AlarmScan => ({
  id: r.id, trigger: r.trigger, startedAt: r.started_at, finishedAt: r.finished_at, seriesScanned: r.series_scanned, alarmsFound: r.alarms_found, recordsRead: Number(r.records_read), throughDay: r.through_day, error: r.error,
});

export async function startScan(db: Db, trigger: 'schedule' | 'manual', now: Date): Promise<string> {
  return (await db.insertInto('alarm_scans').values({ trigger, started_at: now, through_day: null, finished_at: null, error: null }).returning('id').executeTakeFirstOrThrow()).id;
}

export async function finishScan(db: Db, id: string, r: { seriesScanned: number; alarmsFound: number; recordsRead: number; throughDay: string | null; error: string | null }, now: Date): Promise<void> {
  await db.updateTable('alarm_scans').set({ finished_at: now, series_scanned: r.seriesScanned, alarms_found: r.alarmsFound, records_read: r.recordsRead, through_day: r.throughDay, error: r.error }).where('id', '=', id).execute();
}

export async function listScans(db: Db, limit: number): Promise<AlarmScan[]> {
  return (await db.selectFrom('alarm_scans').select(SCAN_COLUMNS).orderBy('started_at', 'desc').orderBy('id').limit(limit).execute()).map((r) => toScan(r as ScanRow));
}

/** The last day a finished scan covered (its alarms are recorded up to it). */
export async function lastScannedDay(db: Db): Promise<string | null> {
  const row = await db.selectFrom('alarm_scans').select(sql<string | null>`max(through_day)::text`.as('day')).where('error', 'is', null).where('finished_at', 'is not', null).executeTakeFirst();
  return row?.day ?? null;
}

// ——— Live counts ———

export interface ContactCountRow {
  day: string;
  organisationId: string;
  officeId: string;
  topic: string;
  territory: string;
  channel: string;
  contacts: number;
}

/** Replaces the live counts of the days from `from` on with fresh ones, in one transaction. */
export async function replaceContactCounts(db: Db, from: string, rows: readonly ContactCountRow[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('contact_counts').where('day', '>=', from).execute();
    for (let i = 0; i < rows.length; i += 1000) {
      await trx
        .insertInto('contact_counts')
        .values(rows.slice(i, i + 1000).map((r) => ({ day: r.day, organisation_id: r.organisationId, office_id: r.officeId, topic_code: r.topic, territory_code: r.territory, channel: r.channel, contacts: r.contacts })))
        .onConflict((oc) => oc.columns(['day', 'organisation_id', 'office_id', 'topic_code', 'territory_code', 'channel']).doUpdateSet((eb) => ({ contacts: eb('contact_counts.contacts', '+', eb.ref('excluded.contacts')) })))
        .execute();
    }
  });
}
