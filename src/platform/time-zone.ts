/**
 * Wall-clock time in an IANA time zone (Europe/Rome by default in this project), the one place that
 * converts between instants and local readings. Offsets come from the runtime's time-zone database
 * through `Intl.DateTimeFormat`, so daylight saving follows the law of each year and zone.
 *
 * A "wall clock" is a local reading encoded as if it were a UTC timestamp (ms): 2026-03-29 02:30 in
 * Rome is `Date.UTC(2026, 2, 29, 2, 30)`. Turning a wall clock back into an instant is ambiguous
 * twice a year; the choice here is Temporal's 'compatible' disambiguation:
 * - a time that happens twice (autumn, 2026-10-25 02:30 in Rome) is its FIRST occurrence (still
 *   summer time, 00:30Z): an office rule "02:30" starts as early as the clock shows it;
 * - a time skipped by the spring-forward gap (2026-03-29 02:30 in Rome) is pushed forward by the
 *   length of the gap (03:30 summer time, 01:30Z), never moved back before the gap.
 * Pure functions with bounded memo tables.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/**
 * Offsets are memoised per zone and day, and on the two days a year with a transition per zone and
 * quarter of an hour (every transition in use today falls on one); a transition inside a quarter
 * (historical zones only) is asked of the runtime for the exact instant.
 */
const BUCKETS_MS = [DAY_MS, 15 * MINUTE_MS] as const;
const CACHE_MAX = 200_000;

export const ROME = 'Europe/Rome';

const formatters = new Map<string, Intl.DateTimeFormat | null>();

/** The formatter of a zone; null when the zone is unknown to the runtime. */
function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      f = null;
    }
    // Bounded: zone names can come from user input.
    if (formatters.size < 1000) formatters.set(timeZone, f);
  }
  return f;
}

function requireFormatter(timeZone: string): Intl.DateTimeFormat {
  const f = formatterFor(timeZone);
  if (!f) throw new RangeError(`Unknown time zone: ${timeZone}`);
  return f;
}

/** Whether the runtime knows the IANA zone name (e.g. 'Europe/Rome'; 'UTC' too). */
export function isValidTimeZone(timeZone: string): boolean {
  return typeof timeZone === 'string' && timeZone !== '' && formatterFor(timeZone) !== null;
}

/** The offset at an instant, computed by the runtime (whole seconds). */
function computeOffsetMs(timeZone: string, instant: number): number {
  const wholeSeconds = Math.floor(instant / 1000) * 1000;
  const fields: Record<string, number> = {};
  for (const part of requireFormatter(timeZone).formatToParts(new Date(wholeSeconds))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second) - wholeSeconds;
}

/** Per (zone, bucket size, bucket): the offset when it is the same at both ends of the bucket, NaN when a transition falls inside. */
const bucketOffsets = new Map<string, number>();

function bucketOffset(timeZone: string, size: number, bucket: number): number {
  const key = `${timeZone}@${size}@${bucket}`;
  let offset = bucketOffsets.get(key);
  if (offset === undefined) {
    const start = computeOffsetMs(timeZone, bucket * size);
    const end = computeOffsetMs(timeZone, (bucket + 1) * size - 1000);
    offset = start === end ? start : Number.NaN;
    if (bucketOffsets.size >= CACHE_MAX) bucketOffsets.clear();
    bucketOffsets.set(key, offset);
  }
  return offset;
}

/** Offset of the zone from UTC at `instant`, in ms (+3 600 000 for Rome in winter, +7 200 000 in summer). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  for (const size of BUCKETS_MS) {
    const offset = bucketOffset(timeZone, size, Math.floor(instant / size));
    if (!Number.isNaN(offset)) return offset;
  }
  return computeOffsetMs(timeZone, instant);
}

/** The wall clock of the zone at `instant` (see the module comment for the encoding). */
export function wallClockOf(instant: number, timeZone: string): number {
  return instant + zoneOffsetMs(instant, timeZone);
}

/**
 * The instant at which the zone's clock reads `wall`: the first occurrence of a repeated time, and a
 * time inside the spring-forward gap pushed forward by the gap (see the module comment).
 */
export function instantOfWallClock(wall: number, timeZone: string): number {
  // At most one transition within a day either side: the offsets before and after are the only candidates.
  const before = zoneOffsetMs(wall - DAY_MS, timeZone);
  const after = zoneOffsetMs(wall + DAY_MS, timeZone);
  if (before === after) return wall - before;
  const candidates = [wall - before, wall - after].filter((t) => wallClockOf(t, timeZone) === wall);
  if (candidates.length === 0) return wall - before; // in the gap: read with the offset before it, i.e. later on the new clock
  return Math.min(...candidates);
}

/** The instant of a local date and time in a zone (month 1-12), with the disambiguation above. */
export function zonedToUtc(year: number, month: number, day: number, hour: number, minute: number, second: number, timeZone: string): Date {
  return new Date(instantOfWallClock(Date.UTC(year, month - 1, day, hour, minute, second), timeZone));
}

/** A calendar date ('YYYY-MM-DD') moved by `n` days (no zone: dates are days, not instants). */
export const addDays = (iso: string, n: number): string => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The local calendar date of an instant in the zone, 'YYYY-MM-DD'. */
export function localIsoDate(at: Date | number, timeZone: string): string {
  const instant = typeof at === 'number' ? at : at.getTime();
  return new Date(Math.floor(wallClockOf(instant, timeZone) / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}
