/**
 * Reading and following alarms (issue 14): who may see them, an alarm with the chart of its slice,
 * acknowledging or dismissing it, the slices a user watches, and scans on request.
 */
import type { Database as Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import type { JobRunner } from '../../../platform/jobs/index.js';
import { canManageNetwork, hasPermission } from '../../../platform/policy.js';
import { localIsoDate, ROME } from '../../../platform/time-zone.js';
import { addDays } from '../archive-series.js';
import { forecastFrom, runCountModel } from '../series/count-model.js';
import { holidayFlags, isoOfDay, parseIsoDay, weekdayOf } from '../series/series-calendar.js';
import { sliceKey } from './alarm-slices.js';
import type { AlarmDeps } from './alarm-scan.js';
import { loadSliceSeries } from './alarm-series.js';
import { ALARM_SCAN_JOB } from './alarms.jobs.js';
import * as repo from './alarms.repository.js';
import { analyticsErrors as errors } from '../analytics.errors.js';

const ALARM_ROLES = new Set(['supervisor', 'org_admin', 'analyst', 'network_coordinator']);
/** Days of history the chart shows before the alarm, and after it when there are. */
const CHART_BEFORE_DAYS = 90;
const CHART_AFTER_DAYS = 21;
/** The model's own warm-up and history before the chart starts. */
const MODEL_HISTORY_DAYS = 400;

/** Supervisors, administrators, analysts and the coordination read alarms (sessions only: they hold no personal data, but they are staff's work). */
export function assertReadsAlarms(actor: Actor): void {
  if (actor.scopes !== null || !actor.grants.some((g) => ALARM_ROLES.has(g.role))) throw errors.alarmsForbidden();
}

/** Analysts and the coordination ask for a scan outside the schedule. */
export function assertRunsScans(actor: Actor): void {
  if (actor.scopes !== null || !(hasPermission(actor, 'analytics:read') || canManageNetwork(actor))) throw errors.alarmsForbidden();
}

/**
 * The body an actor follows alarms for: each body gives each alarm its own status (one taking an
 * alarm in hand says nothing for the others). The body of the actor's first grant that reads
 * alarms: a supervisor's or administrator's body, the analysts' or the coordination's own.
 */
export function alarmBody(actor: Actor): string {
  const grant = actor.grants.find((g) => ALARM_ROLES.has(g.role));
  if (!grant) throw errors.alarmsForbidden();
  return grant.organisationId;
}

export async function readAlarm(db: Db, actor: Actor, id: string): Promise<repo.StoredAlarm> {
  assertReadsAlarms(actor);
  const alarm = await repo.findAlarm(db, id, alarmBody(actor));
  if (!alarm) throw errors.alarmNotFound({ id });
  return alarm;
}

export interface ChartPoint {
  date: string;
  observed: number;
  expected: number | null;
  lo80: number | null;
  hi80: number | null;
}

/**
 * The series of an alarm's slice around its day, with what the model expected each day (the
 * one-day-ahead forecast from the days before: the same view the scan had).
 */
export async function alarmChart(deps: AlarmDeps, alarm: repo.StoredAlarm, now: Date): Promise<ChartPoint[]> {
  if (alarm.kind === 'emerging_term') return [];
  const today = localIsoDate(now, ROME);
  const yesterday = addDays(today, -1);
  const afterAlarm = addDays(alarm.day, CHART_AFTER_DAYS);
  const to = afterAlarm < yesterday ? afterAlarm : yesterday;
  const from = addDays(alarm.day, -MODEL_HISTORY_DAYS);
  const chartFrom = addDays(alarm.day, -CHART_BEFORE_DAYS);
  const archiveThrough = await deps.archive.observedThrough(today);
  const counts = await loadSliceSeries(deps.db, deps.archive, await deps.territory(), alarm.slice, { from, to, archiveThrough });
  // Start the series at its first contact: before it, the slice did not exist yet.
  let first = counts.findIndex((n) => n > 0);
  if (first < 0) first = counts.length;
  const series = counts.subarray(first);
  const start = parseIsoDay(from)! + first;
  const holidays = holidayFlags('IT', start, series.length + 1);
  const expected: ({ mean: number; lo80: number; hi80: number } | null)[] = new Array(series.length).fill(null);
  runCountModel(series, weekdayOf(start), holidays, undefined, (i, state) => {
    if (i + 1 >= series.length) return;
    const f = forecastFrom(state, weekdayOf(start), 1, holidays.subarray(i + 1, i + 2));
    expected[i + 1] = f[0] ?? null;
  });
  const out: ChartPoint[] = [];
  for (let i = 0; i < series.length; i++) {
    const date = isoOfDay(start + i);
    if (date < chartFrom) continue;
    const e = expected[i];
    const round = (x: number) => Math.round(x * 100) / 100;
    out.push({ date, observed: series[i]!, expected: e ? round(e.mean) : null, lo80: e ? round(e.lo80) : null, hi80: e ? round(e.hi80) : null });
  }
  return out;
}

export async function changeAlarmStatus(db: Db, actor: Actor, id: string, status: repo.AlarmStatus, now: Date): Promise<repo.StoredAlarm> {
  await readAlarm(db, actor, id);
  const saved = await repo.setAlarmStatus(db, id, alarmBody(actor), status, actor.userId, now);
  if (!saved) throw errors.alarmNotFound({ id });
  return saved;
}

export async function watch(db: Db, actor: Actor, slice: repo.StoredAlarm['slice'], digest: boolean): Promise<repo.AlarmWatch> {
  assertReadsAlarms(actor);
  return repo.upsertWatch(db, { userId: actor.userId, slice, sliceKey: sliceKey(slice), digest });
}

export async function unwatch(db: Db, actor: Actor, id: string): Promise<void> {
  if (!(await repo.deleteWatch(db, actor.userId, id))) throw errors.watchNotFound({ id });
}

export async function requestScan(jobs: Pick<JobRunner, 'send'>, actor: Actor): Promise<void> {
  assertRunsScans(actor);
  await jobs.send(ALARM_SCAN_JOB, { trigger: 'manual' }, { singletonKey: 'manual' });
}
