/**
 * Civil days for daily series: a day is a whole number of days since 1970-01-01 (UTC), so that
 * arithmetic on a series is integer arithmetic. Public holidays come from `date-holidays` and are
 * treated like Sundays (closures) by the count model.
 */
import Holidays from 'date-holidays';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a `YYYY-MM-DD` date, or null when the text is not a real calendar date. */
export function parseIsoDay(text: string): number | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function todayDay(now: Date = new Date()): number {
  return Math.floor(now.getTime() / DAY_MS);
}

/** Country code for `date-holidays` (`IT`, `US-MA`, …) or `none`. */
export type HolidayCountry = string;

const holidayCache = new Map<string, Set<number>>();

function holidaysOfYear(country: string, year: number): Set<number> {
  const key = `${country}:${year}`;
  let days = holidayCache.get(key);
  if (days) return days;
  days = new Set<number>();
  const [code, state] = country.split('-');
  const calendar = state ? new Holidays(code ?? country, state) : new Holidays(code ?? country);
  for (const holiday of calendar.getHolidays(year) || []) {
    if (holiday.type !== 'public') continue;
    const day = parseIsoDay(holiday.date.slice(0, 10));
    if (day !== null) days.add(day);
  }
  holidayCache.set(key, days);
  return days;
}

/** 1 for public holidays (that are not already Sundays), 0 otherwise, for `length` days from `start`. */
export function holidayFlags(country: HolidayCountry, start: number, length: number): Uint8Array {
  const flags = new Uint8Array(Math.max(0, length));
  if (country === 'none' || length <= 0) return flags;
  const firstYear = new Date(start * DAY_MS).getUTCFullYear();
  const lastYear = new Date((start + length - 1) * DAY_MS).getUTCFullYear();
  for (let year = firstYear; year <= lastYear; year++) {
    for (const day of holidaysOfYear(country, year)) {
      const i = day - start;
      if (i >= 0 && i < length && weekdayOf(day) !== 6) flags[i] = 1;
    }
  }
  return flags;
}
