/**
 * Dates as legacy systems export them, read in the organisation's time zone. Three families, each
 * with an optional time: ISO (`2023-05-08`, `2023-05-08 14:30[:00]`, `2023-05-08T14:30:00Z`),
 * day-first (`08/05/2023`, `08-05-2023`, `08.05.2023 14:30`) and month-first as in US exports
 * (`01/05/2015 12:40:41 PM`). Local times go through `platform/time-zone.ts`: a time repeated when
 * daylight saving ends is its first occurrence, one skipped when it starts moves forward by the gap.
 * Pure functions.
 */
import { isValidTimeZone, zonedToUtc } from '../../platform/time-zone.js';

export { isValidTimeZone };

export const DATE_FORMATS = ['iso', 'dmy', 'mdy'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const SLASHED = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
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
