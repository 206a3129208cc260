/**
 * Staffing of an office for a day from the archive (issue 14): the day's contacts forecast from the
 * office's complete history, spread over its half hours by when its contacts arrive (the archive's
 * hours of opening, else the office's opening hours), then Erlang C/A per half hour.
 */
import type { Database as Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { localIsoDate, ROME } from '../../../platform/time-zone.js';
import * as identity from '../../identity/index.js';
import { addDays, type ArchiveSeriesReader, daysBetween, forecastSlice } from '../archive-series.js';
import { analyticsErrors as errors } from '../analytics.errors.js';
import { readsBodyAnalytics } from '../analytics-readers.js';
import { type IntervalDemand, spreadOverIntervals, type StaffingAssumptions, type StaffingPlan, staffingPlan } from './staffing-plan.js';

/** History the day's forecast is made from, and how far ahead of the archive a day may be planned. */
const HISTORY_DAYS = 365;
export const MAX_PLANNING_HORIZON_DAYS = 90;
/** Opening hours assumed for an office that has none recorded. */
const ASSUMED_HOURS: identity.TimeRange[] = [{ open: '09:00', close: '17:00' }];
const WEEKDAYS: identity.Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export type ProfileSource = 'archive_hours' | 'opening_hours' | 'assumed_hours' | 'closed';

export interface ForecastStaffing {
  officeId: string;
  date: string;
  forecast: { mean: number; lo80: number; hi80: number };
  historyTo: string | null;
  profile: ProfileSource;
  plan: StaffingPlan;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The half hours a day's ranges cover (a half hour counts when it starts inside a range). */
export function openHalfHours(ranges: readonly identity.TimeRange[]): number[] {
  const out = new Set<number>();
  for (const r of ranges) for (let m = Math.ceil(minutes(r.open) / 30) * 30; m < minutes(r.close); m += 30) out.add(m);
  return [...out].sort((a, b) => a - b);
}

/**
 * The day's profile over half hours: the archive's contacts by hour of that weekday (each hour split
 * evenly in its two halves), kept to the hours the office is open when those are known.
 */
export function dayProfile(ranges: readonly identity.TimeRange[] | null, byHour: ReadonlyMap<number, number>): { source: ProfileSource; profile: { start: string; weight: number }[] } {
  const open = ranges && ranges.length > 0 ? openHalfHours(ranges) : null;
  const fromArchive = [...byHour.values()].some((n) => n > 0);
  if (fromArchive) {
    const slots = open ?? Array.from({ length: 48 }, (_, i) => i * 30).filter((m) => (byHour.get(Math.floor(m / 60)) ?? 0) > 0);
    const profile = slots.map((m) => ({ start: hhmm(m), weight: (byHour.get(Math.floor(m / 60)) ?? 0) / 2 }));
    if (profile.some((p) => p.weight > 0)) return { source: 'archive_hours', profile };
  }
  const slots = open ?? openHalfHours(ASSUMED_HOURS);
  return { source: open ? 'opening_hours' : 'assumed_hours', profile: slots.map((m) => ({ start: hhmm(m), weight: 1 })) };
}

export async function forecastStaffing(db: Db, archive: ArchiveSeriesReader, actor: Actor, q: Omit<StaffingAssumptions, 'targetTime'> & { officeId: string; date: string; targetSeconds: number }, now: Date): Promise<ForecastStaffing> {
  const office = await identity.findOffice(db, q.officeId);
  if (!office || !readsBodyAnalytics(actor, office.organisationId)) throw errors.officeNotFound({ id: q.officeId });
  const slice = { officeId: office.id };
  const historyTo = await archive.observedThrough(localIsoDate(now, ROME));
  const ahead = daysBetween(historyTo, q.date);
  if (ahead < 1 || ahead > MAX_PLANNING_HORIZON_DAYS) throw errors.planningDateOutOfRange({ from: addDays(historyTo, 1), to: addDays(historyTo, MAX_PLANNING_HORIZON_DAYS) });
  const { historyFrom, forecast: days } = await forecastSlice(archive, slice, historyTo, HISTORY_DAYS, ahead);
  const day = days.find((f) => f.date === q.date);
  const forecast = day ? { mean: day.mean, lo80: day.lo80, hi80: day.hi80 } : { mean: 0, lo80: 0, hi80: 0 };
  const date = new Date(`${q.date}T12:00:00Z`);
  const weekday = date.getUTCDay();
  const closed = identity.isHoliday(office.calendar, date).holiday || office.calendar.closures.some((c) => c.from <= q.date && q.date <= c.to);
  const ranges = office.calendar.weekly[WEEKDAYS[weekday]!] ?? null;
  const hasWeekly = Object.keys(office.calendar.weekly).length > 0;
  let profile: ReturnType<typeof dayProfile>;
  if (closed || (hasWeekly && (!ranges || ranges.length === 0))) profile = { source: 'closed', profile: [] };
  else profile = dayProfile(hasWeekly ? ranges : null, await archive.hourProfile(slice, weekday, addDays(historyTo, -(HISTORY_DAYS - 1)), historyTo));
  const demand: IntervalDemand[] = spreadOverIntervals(forecast.mean, profile.profile).map((d) => ({ start: `${q.date}T${d.start}`, volume: Math.round(d.volume * 100) / 100 }));
  const { targetSeconds, officeId: _o, date: _d, ...assumptions } = q;
  return { officeId: office.id, date: q.date, forecast, historyTo: historyFrom ? historyTo : null, profile: profile.source, plan: staffingPlan(demand, { ...assumptions, targetTime: targetSeconds }) };
}
