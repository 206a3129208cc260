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
  'a.id', 'a.series_key', 'a.slice', 'a.kind', 'a.term', 'a.observed', 'a.expected', 'a.score', 'a.created_at',
  sql<string>`a.day::text`.as('day'),
  sql<string>`a.since::text`.as('since'),
] as const;
/** A body's status of each alarm: no row of its own is open. */
const STATUS_COLUMNS = [sql<AlarmStatus>`coalesce(s.status, 'open')`.as('status'), 's.status_by', 's.status_at'] as const;

type Row = { id: string; series_key: string; slice: unknown; kind: AlarmKind; day: string; since: string; term: string; observed: number; expected: number; score: number; status?: AlarmStatus; status_by?: string | null; status_at?: Date | null; created_at: Date };

const toAlarm = (r: Row): StoredAlarm => ({
  id: r.id, seriesKey: r.series_key, slice: (typeof r.slice === 'string' ? JSON.parse(r.slice) : r.slice) as AlarmSlice, kind: r.kind, day: r.day, since: r.since, term: r.term,
  observed: Number(r.observed), expected: Number(r.expected), score: Number(r.score), status: r.status ?? 'open', statusBy: r.status_by ?? null, statusAt: r.status_at ?? null, createdAt: r.created_at,
});

/** No body: every alarm reads open (the weekly report of the network). */
const NO_BODY = '00000000-0000-0000-0000-000000000000';

/** The alarms with the status `organisationId` gave them. */
function alarmsOf(db: Db, organisationId: string | null) {
  return db
    .selectFrom('analytics_alarms as a')
    .leftJoin('analytics_alarm_states as s', (join) => join.onRef('s.alarm_id', '=', 'a.id').on('s.organisation_id', '=', organisationId ?? NO_BODY))
    .select([...COLUMNS, ...STATUS_COLUMNS]);
}

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
      .returning(['id', 'series_key', 'slice', 'kind', 'term', 'observed', 'expected', 'score', 'created_at', sql<string>`day::text`.as('day'), sql<string>`since::text`.as('since')])
      .execute();
    // A new alarm is open for every body.
    out.push(...rows.map((r) => toAlarm(r as Row)));
  }
  return out;
}

/** An alarm with the status `organisationId` gave it. */
export async function findAlarm(db: Db, id: string, organisationId: string | null): Promise<StoredAlarm | null> {
  const row = await alarmsOf(db, organisationId).where('a.id', '=', id).executeTakeFirst();
  return row ? toAlarm(row as Row) : null;
}

export interface AlarmQuery {
  /** The body whose status the alarms carry (and `status` filters on); null: every alarm open. */
  organisationId: string | null;
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
  let query = alarmsOf(db, q.organisationId);
  if (q.status) query = query.where(sql`coalesce(s.status, 'open')`, '=', q.status);
  if (q.kind) query = query.where('a.kind', '=', q.kind);
  if (q.topic) query = query.where((eb) => eb.or([eb(sql`a.slice->>'topic'`, '=', q.topic), eb(sql`a.slice->>'topic'`, 'like', `${q.topic!.replace(/[\\%_]/g, '\\$&')}.%`)]));
  if (q.territory) query = query.where(sql`a.slice->>'territory'`, '=', q.territory);
  if (q.channel) query = query.where(sql`a.slice->>'channel'`, '=', q.channel);
  if (q.from) query = query.where('a.day', '>=', q.from);
  if (q.to) query = query.where('a.day', '<=', q.to);
  const rows = await query.orderBy('a.day', 'desc').orderBy('a.score', 'desc').orderBy('a.id').limit(q.limit).execute();
  return rows.map((r) => toAlarm(r as Row));
}

/** Sets the status a body gives an alarm (open: the body's row goes); the alarm as the body now sees it. */
export async function setAlarmStatus(db: Db, id: string, organisationId: string, status: AlarmStatus, userId: string, now: Date): Promise<StoredAlarm | null> {
  if (status === 'open') await db.deleteFrom('analytics_alarm_states').where('alarm_id', '=', id).where('organisation_id', '=', organisationId).execute();
  else {
    await db
      .insertInto('analytics_alarm_states')
      .values({ alarm_id: id, organisation_id: organisationId, status, status_by: userId, status_at: now })
      .onConflict((oc) => oc.columns(['organisation_id', 'alarm_id']).doUpdateSet({ status, status_by: userId, status_at: now }))
      .execute();
  }
  return findAlarm(db, id, organisationId);
}

/** Alarms created in a period (for the daily digest). */
export async function alarmsCreatedBetween(db: Db, from: Date, to: Date): Promise<StoredAlarm[]> {
  const rows = await alarmsOf(db, null).where('a.created_at', '>=', from).where('a.created_at', '<', to).orderBy('a.score', 'desc').execute();
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
