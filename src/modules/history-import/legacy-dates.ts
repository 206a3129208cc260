/**
 * Dates as legacy systems export them, read in the organisation's time zone. Three families, each
 * with an optional time: ISO (`2023-05-08`, `2023-05-08 14:30[:00]`, `2023-05-08T14:30:00Z`),
 * day-first (`08/05/2023`, `08-05-2023`, `08.05.2023 14:30`) and month-first as in US exports
 * (`01/05/2015 12:40:41 PM`). Pure functions.
 */

export const DATE_FORMATS = ['iso', 'dmy', 'mdy'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const SLASHED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offsets per zone and UTC hour: zones change offset on whole quarter-hours, and imports repeat hours a lot. */
const offsets = new Map<string, number>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of a time zone from UTC, in minutes, at an instant. */
function zoneOffsetMinutes(timeZone: string, utcMillis: number): number {
  const bucket = Math.floor(utcMillis / 900_000);
  const key = `${timeZone}@${bucket}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const value = computeOffset(timeZone, bucket * 900_000);
  if (offsets.size > 200_000) offsets.clear();
  offsets.set(key, value);
  return value;
}

function computeOffset(timeZone: string, utcMillis: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(utcMillis));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - utcMillis) / 60_000);
}

/** The instant of a wall-clock time in a zone (DST-aware; a skipped hour resolves forward). */
export function zonedToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): Date {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = guess - zoneOffsetMinutes(timeZone, guess) * 60_000;
  const second = guess - zoneOffsetMinutes(timeZone, first) * 60_000;
  return new Date(second);
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Parses one value; null when it does not match the format or names an impossible date. */
export function parseLegacyDate(raw: string, format: DateFormat, timeZone: string): Date | null {
  const value = raw.trim();
  if (format === 'iso') {
    const m = ISO.exec(value);
    if (!m) return null;
    const [y, mo, d, h = 0, mi = 0, s = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => (x === undefined ? undefined : Number(x))) as number[];
    if (!valid(y!, mo!, d!, h, mi, s)) return null;
    const zone = m[7];
    if (zone) {
      const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
      return new Date(Date.UTC(y!, mo! - 1, d!, h, mi, s) - offset * 60_000);
    }
    return zonedToUtc(y!, mo!, d!, h, mi, s, timeZone);
  }
  const m = SLASHED.exec(value);
  if (!m) return null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  const y = Number(m[3]);
  const [d, mo] = format === 'dmy' ? [a, b] : [b, a];
  let h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const ampm = m[7]?.toLowerCase();
  if (ampm) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (ampm === 'pm' ? 12 : 0);
  }
  if (!valid(y, mo, d, h, mi, s)) return null;
  return zonedToUtc(y, mo, d, h, mi, s, timeZone);
}

function valid(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return y >= 1900 && y <= 2100 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && h <= 23 && mi <= 59 && s <= 59;
}

/** Formats under which every non-empty sample value parses (the suggestion shown to the user). */
export function matchingDateFormats(samples: string[]): DateFormat[] {
  const values = samples.map((s) => s.trim()).filter((s) => s !== '');
  if (values.length === 0) return [];
  return DATE_FORMATS.filter((f) => values.every((v) => parseLegacyDate(v, f, 'UTC') !== null));
}
