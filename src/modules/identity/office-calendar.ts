/**
 * Office opening hours and business-time arithmetic for SLA due dates.
 *
 * Every rule (weekly hours, closures, holidays) is written in the office's
 * wall-clock time; instants are `Date`s (UTC). Conversions go through
 * `platform/time-zone.ts` (the runtime's time-zone database): on a DST day an
 * 08:30–13:00 shift is still 4h30 of real time, a 00:00–24:00 day lasts 23 or
 * 25 hours, a repeated time is its first occurrence and a skipped one moves
 * forward by the gap.
 */
import Holidays from 'date-holidays';
import { instantOfWallClock, isValidTimeZone, wallClockOf } from '../../platform/time-zone.js';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
/** 'HH:MM' wall-clock times, open < close; `close` may be '24:00'. Split shifts are several ranges per day. */
export interface TimeRange {
  open: string;
  close: string;
}
export type WeeklyHours = Partial<Record<Weekday, TimeRange[]>>;
/** ISO dates 'YYYY-MM-DD', inclusive, whole days. */
export interface Closure {
  from: string;
  to: string;
  reason?: string;
}
export interface OfficeCalendar {
  timeZone: string;
  weekly: WeeklyHours;
  closures: Closure[];
  patronDays?: { month: number; day: number; name?: string }[];
  /** Default true. */
  observeNationalHolidays?: boolean;
}

export const DEFAULT_TIME_ZONE = 'Europe/Rome';
/** Horizon after which an office that never opens is considered closed for good. */
const SEARCH_HORIZON_DAYS = 366;

const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEKDAY_ORDER: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------
// Civil dates and time zones

/** A civil (wall-clock) date, counted as whole days since 1970-01-01. */
type DayNumber = number;

interface CivilDate {
  year: number;
  month: number;
  day: number;
}

function civilDate(dayNumber: DayNumber): CivilDate {
  const d = new Date(dayNumber * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function isoDate(dayNumber: DayNumber): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

function weekdayOf(dayNumber: DayNumber): Weekday {
  // 1970-01-01 was a Thursday.
  return WEEKDAYS[(((dayNumber + 4) % 7) + 7) % 7] ?? 'sun';
}

function localDayNumber(instant: number, timeZone: string): DayNumber {
  return Math.floor(wallClockOf(instant, timeZone) / DAY_MS);
}

// ---------------------------------------------------------------------------
// Validation

const HH_MM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function minutesOfDay(hhmm: string): number {
  if (hhmm === '24:00') return 24 * 60;
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function isValidIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (match === null) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Days in `month` allowing 29 February, since a patron day recurs every year. */
function maxDayOfMonth(month: number): number {
  return new Date(Date.UTC(2024, month, 0)).getUTCDate();
}

/** The problems of a calendar, each in Italian (`it`) and English (`en`), in the same order. */
interface CalendarProblems {
  it: string[];
  en: string[];
}

function report(problems: CalendarProblems, it: string, en: string): void {
  problems.it.push(it);
  problems.en.push(en);
}

function validateRanges(field: string, value: unknown, errors: CalendarProblems): TimeRange[] {
  if (!Array.isArray(value)) {
    report(errors, `${field}: deve essere un elenco di fasce orarie { open, close }.`, `${field}: must be a list of time ranges { open, close }.`);
    return [];
  }
  const ranges: TimeRange[] = [];
  value.forEach((raw: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!isRecord(raw)) {
      report(errors, `${at}: deve essere una fascia oraria { open, close }.`, `${at}: must be a time range { open, close }.`);
      return;
    }
    const { open, close } = raw;
    const openOk = typeof open === 'string' && HH_MM.test(open);
    const closeOk = typeof close === 'string' && (HH_MM.test(close) || close === '24:00');
    if (!openOk) report(errors, `${at}.open: orario non valido «${String(open)}», usare il formato HH:MM.`, `${at}.open: invalid time “${String(open)}”, use the HH:MM format.`);
    if (!closeOk) report(errors, `${at}.close: orario non valido «${String(close)}», usare il formato HH:MM.`, `${at}.close: invalid time “${String(close)}”, use the HH:MM format.`);
    if (!openOk || !closeOk) return;
    if (minutesOfDay(open) >= minutesOfDay(close)) {
      report(errors, `${at}: l'apertura (${open}) deve precedere la chiusura (${close}).`, `${at}: the opening (${open}) must come before the closing (${close}).`);
      return;
    }
    ranges.push({ open, close });
  });
  ranges.sort((a, b) => minutesOfDay(a.open) - minutesOfDay(b.open));
  for (let i = 1; i < ranges.length; i++) {
    const previous = ranges[i - 1];
    const current = ranges[i];
    if (previous && current && minutesOfDay(current.open) < minutesOfDay(previous.close)) {
      report(
        errors,
        `${field}: la fascia ${current.open}–${current.close} si sovrappone alla fascia ${previous.open}–${previous.close}.`,
        `${field}: the range ${current.open}–${current.close} overlaps the range ${previous.open}–${previous.close}.`,
      );
    }
  }
  return ranges;
}

function validateWeekly(value: unknown, errors: CalendarProblems): WeeklyHours {
  if (!isRecord(value)) {
    report(errors, 'weekly: orari settimanali obbligatori (oggetto con chiavi mon…sun).', 'weekly: weekly hours are required (an object with keys mon…sun).');
    return {};
  }
  const weekly: WeeklyHours = {};
  for (const [key, ranges] of Object.entries(value)) {
    if (!(WEEKDAY_ORDER as readonly string[]).includes(key)) {
      report(errors, `weekly.${key}: giorno della settimana sconosciuto (ammessi: ${WEEKDAY_ORDER.join(', ')}).`, `weekly.${key}: unknown day of the week (allowed: ${WEEKDAY_ORDER.join(', ')}).`);
      continue;
    }
    weekly[key as Weekday] = validateRanges(`weekly.${key}`, ranges, errors);
  }
  return weekly;
}

function validateClosures(value: unknown, errors: CalendarProblems): Closure[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report(errors, 'closures: deve essere un elenco di chiusure { from, to, reason }.', 'closures: must be a list of closures { from, to, reason }.');
    return [];
  }
  const closures: Closure[] = [];
  value.forEach((raw: unknown, i) => {
    const at = `closures[${i}]`;
    if (!isRecord(raw)) {
      report(errors, `${at}: deve essere una chiusura { from, to, reason }.`, `${at}: must be a closure { from, to, reason }.`);
      return;
    }
    const { from, to, reason } = raw;
    const fromOk = isValidIsoDate(from);
    const toOk = isValidIsoDate(to);
    if (!fromOk) report(errors, `${at}.from: data non valida «${String(from)}», usare il formato AAAA-MM-GG.`, `${at}.from: invalid date “${String(from)}”, use the YYYY-MM-DD format.`);
    if (!toOk) report(errors, `${at}.to: data non valida «${String(to)}», usare il formato AAAA-MM-GG.`, `${at}.to: invalid date “${String(to)}”, use the YYYY-MM-DD format.`);
    if (reason !== undefined && typeof reason !== 'string') report(errors, `${at}.reason: deve essere un testo.`, `${at}.reason: must be a text.`);
    if (!fromOk || !toOk) return;
    if (from > to) {
      report(errors, `${at}: la data di inizio (${from}) è successiva alla data di fine (${to}).`, `${at}: the start date (${from}) comes after the end date (${to}).`);
      return;
    }
    closures.push(typeof reason === 'string' ? { from, to, reason } : { from, to });
  });
  return closures;
}

function validatePatronDays(value: unknown, errors: CalendarProblems): NonNullable<OfficeCalendar['patronDays']> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report(errors, 'patronDays: deve essere un elenco di ricorrenze { month, day, name }.', 'patronDays: must be a list of yearly days { month, day, name }.');
    return [];
  }
  const patronDays: NonNullable<OfficeCalendar['patronDays']> = [];
  value.forEach((raw: unknown, i) => {
    const at = `patronDays[${i}]`;
    if (!isRecord(raw)) {
      report(errors, `${at}: deve essere una ricorrenza { month, day, name }.`, `${at}: must be a yearly day { month, day, name }.`);
      return;
    }
    const { month, day, name } = raw;
    if (name !== undefined && typeof name !== 'string') report(errors, `${at}.name: deve essere un testo.`, `${at}.name: must be a text.`);
    if (typeof month !== 'number' || !Number.isInteger(month) || month < 1 || month > 12) {
      report(errors, `${at}.month: mese non valido «${String(month)}» (1–12).`, `${at}.month: invalid month “${String(month)}” (1–12).`);
      return;
    }
    if (typeof day !== 'number' || !Number.isInteger(day) || day < 1 || day > maxDayOfMonth(month)) {
      report(errors, `${at}.day: giorno non valido «${String(day)}» per il mese ${month}.`, `${at}.day: invalid day “${String(day)}” for month ${month}.`);
      return;
    }
    const entry = { month, day };
    patronDays.push(typeof name === 'string' ? { ...entry, name } : entry);
  });
  return patronDays;
}

/**
 * Checks an office calendar coming from configuration or an admin form.
 * Returns a normalised copy (ranges sorted, defaults filled: time zone
 * Europe/Rome, no closures) or the list of problems, each naming the field: `errors` in Italian,
 * `en` the same in English.
 */
export function validateCalendar(cal: unknown): { ok: true; calendar: OfficeCalendar } | { ok: false; errors: string[]; en: string[] } {
  if (!isRecord(cal)) return { ok: false, errors: ['Il calendario dell’ufficio deve essere un oggetto.'], en: ['The office calendar must be an object.'] };
  const errors: CalendarProblems = { it: [], en: [] };

  const timeZone = cal.timeZone ?? DEFAULT_TIME_ZONE;
  if (typeof timeZone !== 'string' || !isValidTimeZone(timeZone)) {
    report(errors, `timeZone: fuso orario sconosciuto «${String(timeZone)}» (esempio: Europe/Rome).`, `timeZone: unknown time zone “${String(timeZone)}” (example: Europe/Rome).`);
  }
  const weekly = validateWeekly(cal.weekly, errors);
  const closures = validateClosures(cal.closures, errors);
  const patronDays = validatePatronDays(cal.patronDays, errors);
  const observe = cal.observeNationalHolidays;
  if (observe !== undefined && typeof observe !== 'boolean') {
    report(errors, 'observeNationalHolidays: deve essere vero o falso.', 'observeNationalHolidays: must be true or false.');
  }

  if (errors.it.length > 0) return { ok: false, errors: errors.it, en: errors.en };
  return {
    ok: true,
    calendar: {
      timeZone: timeZone as string,
      weekly,
      closures,
      patronDays,
      observeNationalHolidays: observe !== false,
    },
  };
}

// ---------------------------------------------------------------------------
// Holidays

let italianHolidays: Holidays | undefined;
const nationalHolidaysByYear = new Map<number, ReadonlyMap<string, string>>();

/** Italian public holidays of `year`, keyed by 'YYYY-MM-DD' (computed once per year). */
function nationalHolidays(year: number): ReadonlyMap<string, string> {
  let byDate = nationalHolidaysByYear.get(year);
  if (byDate === undefined) {
    italianHolidays ??= new Holidays('IT');
    byDate = new Map(
      italianHolidays
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public')
        .map((holiday) => [holiday.date.slice(0, 10), holiday.name] as const),
    );
    nationalHolidaysByYear.set(year, byDate);
  }
  return byDate;
}

function holidayOnDay(cal: OfficeCalendar, dayNumber: DayNumber): { holiday: boolean; name?: string } {
  const iso = isoDate(dayNumber);
  const { year, month, day } = civilDate(dayNumber);
  if (cal.observeNationalHolidays !== false) {
    const name = nationalHolidays(year).get(iso);
    if (name !== undefined) return { holiday: true, name };
  }
  const patron = cal.patronDays?.find((p) => p.month === month && p.day === day);
  if (patron) return { holiday: true, name: patron.name ?? 'Festa del santo patrono' };
  const closure = cal.closures.find((c) => c.from <= iso && iso <= c.to);
  if (closure) return { holiday: true, name: closure.reason ?? 'Chiusura straordinaria' };
  return { holiday: false };
}

/**
 * Whether the office is closed all day on the (office-local) date of `date`:
 * Italian national public holiday (unless `observeNationalHolidays` is false),
 * patron day or closure. `name` is the Italian name of the occasion.
 */
export function isHoliday(cal: OfficeCalendar, date: Date): { holiday: boolean; name?: string } {
  return holidayOnDay(cal, localDayNumber(date.getTime(), cal.timeZone));
}

// ---------------------------------------------------------------------------
// Opening intervals

interface Interval {
  start: number;
  end: number;
}

function hasWeeklyHours(cal: OfficeCalendar): boolean {
  return Object.values(cal.weekly).some((ranges) => ranges !== undefined && ranges.length > 0);
}

/** Opening intervals (instants) of one office-local day, sorted and with touching ranges merged. */
function openIntervals(cal: OfficeCalendar, dayNumber: DayNumber): Interval[] {
  const ranges = cal.weekly[weekdayOf(dayNumber)] ?? [];
  if (ranges.length === 0 || holidayOnDay(cal, dayNumber).holiday) return [];
  const midnight = dayNumber * DAY_MS;
  const intervals = ranges
    .map((range) => ({
      start: instantOfWallClock(midnight + minutesOfDay(range.open) * MINUTE_MS, cal.timeZone),
      end: instantOfWallClock(midnight + minutesOfDay(range.close) * MINUTE_MS, cal.timeZone),
    }))
    .filter((interval) => interval.end > interval.start)
    .sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of intervals) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** Whether the office is open at instant `at` (opening time inclusive, closing time exclusive). */
export function isOpenAt(cal: OfficeCalendar, at: Date): boolean {
  const t = at.getTime();
  return openIntervals(cal, localDayNumber(t, cal.timeZone)).some((i) => i.start <= t && t < i.end);
}

/**
 * The first instant at or after `at` when the office is open: `at` itself if
 * it is open then. Null if it does not open within 366 days.
 */
export function nextOpening(cal: OfficeCalendar, at: Date): Date | null {
  const t = at.getTime();
  const firstDay = localDayNumber(t, cal.timeZone);
  for (let day = firstDay; day <= firstDay + SEARCH_HORIZON_DAYS; day++) {
    const interval = openIntervals(cal, day).find((i) => i.end > t);
    if (interval) return new Date(Math.max(interval.start, t));
  }
  return null;
}

/**
 * SLA due date: the instant at which `minutes` of opening time have elapsed
 * since `start`. Counting starts at the next opening when `start` falls
 * outside opening hours; a budget that runs out exactly at closing time is due
 * at closing time. Without any weekly opening hours, or if the office stays
 * closed for more than 366 days, the remaining minutes are counted as
 * calendar minutes so that an SLA is always defined.
 */
export function addBusinessMinutes(cal: OfficeCalendar, start: Date, minutes: number): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be a non-negative number, got ${minutes}`);
  let remaining = minutes * MINUTE_MS;
  let cursor = start.getTime();
  if (remaining === 0 || !hasWeeklyHours(cal)) return new Date(cursor + remaining);

  let day = localDayNumber(cursor, cal.timeZone);
  let closedDays = 0;
  while (closedDays <= SEARCH_HORIZON_DAYS) {
    const intervals = openIntervals(cal, day).filter((i) => i.end > cursor);
    closedDays = intervals.length === 0 ? closedDays + 1 : 0;
    for (const interval of intervals) {
      const from = Math.max(interval.start, cursor);
      const available = interval.end - from;
      if (remaining <= available) return new Date(from + remaining);
      remaining -= available;
      cursor = interval.end;
    }
    day++;
  }
  return new Date(cursor + remaining);
}

/**
 * Opening minutes between two instants (fractional when they fall inside a
 * minute; negative when `to` precedes `from`). Without any weekly opening
 * hours, calendar minutes.
 */
export function businessMinutesBetween(cal: OfficeCalendar, from: Date, to: Date): number {
  const start = from.getTime();
  const end = to.getTime();
  if (end < start) return -businessMinutesBetween(cal, to, from);
  if (!hasWeeklyHours(cal)) return (end - start) / MINUTE_MS;

  let total = 0;
  const lastDay = localDayNumber(end, cal.timeZone);
  for (let day = localDayNumber(start, cal.timeZone); day <= lastDay; day++) {
    for (const interval of openIntervals(cal, day)) {
      const overlap = Math.min(interval.end, end) - Math.max(interval.start, start);
      if (overlap > 0) total += overlap;
    }
  }
  return total / MINUTE_MS;
}
