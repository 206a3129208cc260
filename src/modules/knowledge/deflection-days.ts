/**
 * Which part of a deflection question the day counts answer (`faq_deflection_days`, complete up to
 * `through`) and which part must be counted from the portal's sessions: pure date arithmetic, in the
 * Italian calendar, since a session belongs to the day of its first read in Rome.
 */
import { addDays, instantOfWallClock, localIsoDate, ROME } from '../../platform/time-zone.js';

export interface DaySplit {
  /** Whole days [from, to) ('YYYY-MM-DD', Rome) to add up from the day counts; null: none. */
  days: { from: string; to: string } | null;
  /** The instants to count from the sessions (the period's partial first and last days, and the days not counted yet). */
  live: { from: Date; to: Date }[];
}

/** The instant a day ('YYYY-MM-DD') begins in Rome. */
export function romeMidnight(day: string): Date {
  return new Date(instantOfWallClock(Date.parse(`${day}T00:00:00Z`), ROME));
}

/** Splits [from, to) into the whole Rome days already counted (before `through`) and the rest. */
export function splitByCountedDays(from: Date, to: Date, through: string | null): DaySplit {
  let first = localIsoDate(from, ROME);
  if (romeMidnight(first) < from) first = addDays(first, 1);
  // The day holding `to`: every day before it ends at or before `to`.
  let end = localIsoDate(to, ROME);
  if (through !== null && through < end) end = through;
  if (through === null || first >= end) return { days: null, live: [{ from, to }] };
  const live: { from: Date; to: Date }[] = [];
  const head = romeMidnight(first);
  if (from < head) live.push({ from, to: head });
  const tail = romeMidnight(end);
  if (tail < to) live.push({ from: tail, to });
  return { days: { from: first, to: end }, live };
}

/** The first day whose sessions may still change: the day of `now - window` (every day before it has closed all its windows). */
export function firstOpenDay(now: Date, windowMinutes: number): string {
  return localIsoDate(new Date(now.getTime() - windowMinutes * 60_000), ROME);
}
