/**
 * The periods of a dashboard's time series (issue 14): their labels, the SQL that computes them
 * from an archive record, and the full run of periods between two of them so that a chart shows
 * the days (weeks, months, hours) with no contact as zeros instead of skipping them. Pure.
 */

export const DASHBOARD_GRANULARITIES = ['hour', 'day', 'week', 'month'] as const;
export type DashboardGranularity = (typeof DASHBOARD_GRANULARITIES)[number];

/**
 * The period of `r` (an archive record) as a label that sorts in time order:
 * `YYYY-MM-DD HH` (hour), `YYYY-MM-DD` (day), ISO week `YYYY-Www` (week), `YYYY-MM` (month).
 * Hour periods exist only for records whose opening hour was archived (the network's setting).
 */
export const PERIOD_SQL: Record<DashboardGranularity, string> = {
  hour: "strftime(r.opened_day, '%Y-%m-%d') || ' ' || lpad(cast(r.opened_hour as varchar), 2, '0')",
  day: "strftime(r.opened_day, '%Y-%m-%d')",
  week: "strftime(r.opened_day, '%G-W%V')",
  month: "strftime(r.opened_day, '%Y-%m')",
};

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dayLabel = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The ISO 8601 week of a UTC day, as `YYYY-Www` (the week's year is the year of its Thursday). */
export function isoWeek(ms: number): string {
  const d = new Date(ms);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(ms + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${pad(week)}`;
}

/** The first day (UTC midnight, ms) a period label covers; null when the label is not one. */
export function periodStart(label: string, granularity: DashboardGranularity): number | null {
  if (granularity === 'month') {
    const m = /^(\d{4})-(\d{2})$/.exec(label);
    return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, 1) : null;
  }
  if (granularity === 'week') {
    const m = /^(\d{4})-W(\d{2})$/.exec(label);
    if (!m) return null;
    const jan4 = Date.UTC(Number(m[1]), 0, 4);
    const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
    return monday + (Number(m[2]) - 1) * 7 * DAY_MS;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}))?$/.exec(label);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), granularity === 'hour' ? Number(m[4] ?? 0) : 0) : null;
}

/** The label of the period after `label`. */
function nextPeriod(label: string, granularity: DashboardGranularity): string | null {
  const start = periodStart(label, granularity);
  if (start === null) return null;
  if (granularity === 'hour') {
    const d = new Date(start + 3_600_000);
    return `${dayLabel(d.getTime())} ${pad(d.getUTCHours())}`;
  }
  if (granularity === 'day') return dayLabel(start + DAY_MS);
  if (granularity === 'week') return isoWeek(start + 7 * DAY_MS);
  const d = new Date(start);
  const next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}`;
}

/**
 * Every period from the first to the last of `labels` (sorted, no gaps); at most `max` of them —
 * beyond that the labels are returned as they are (sorted), since a run that long is not a chart.
 */
export function fillPeriods(labels: Iterable<string>, granularity: DashboardGranularity, max = 5000): string[] {
  const sorted = [...new Set(labels)].sort();
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return [];
  const out: string[] = [];
  for (let p: string | null = first; p !== null && p <= last; p = nextPeriod(p, granularity)) {
    out.push(p);
    if (out.length > max) return sorted;
  }
  return out;
}

/** Days from `from` to `to` (YYYY-MM-DD), both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}
