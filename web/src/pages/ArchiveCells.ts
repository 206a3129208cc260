import type { Translate } from '../i18n/index.js';

/**
 * Pure helpers of the archive pages: how a count cell of a suppressed table is shown and read out,
 * the filter form's months as the API's day range, and the counts of a retention run as one line.
 */

/** The status the server gives each count (small-cell suppression): shown, withheld as small, or withheld to protect another. */
export type CellStatus = 'published' | 'primary' | 'secondary';

export interface CellView {
  /** What the cell shows. */
  text: string;
  /** What a screen reader says instead, when it differs (withheld cells). */
  label: string | null;
  withheld: boolean;
}

/**
 * A count cell as the user sees it: the number, or for a withheld cell `≤3` (small count) or
 * `riservato` (hidden so that the totals do not give another withheld cell away), with a label that
 * says why. A null count without a status is treated as withheld too: never shown as 0.
 */
export function cellView(count: number | null | undefined, status: CellStatus | undefined, threshold: number, t: Translate, locale = 'it'): CellView {
  if (status === 'primary') return { text: t('archive.cell.primaryShort', { threshold }), label: t('archive.cell.primaryLabel', { threshold }), withheld: true };
  if (status === 'secondary' || count === null || count === undefined) return { text: t('archive.cell.suppressed'), label: t('archive.cell.secondaryLabel'), withheld: true };
  return { text: count.toLocaleString(locale === 'en' ? 'en-GB' : 'it-IT'), label: null, withheld: false };
}

/** The status of a total: withheld when its value is null. */
export function totalStatus(value: number | null | undefined): CellStatus {
  return value === null || value === undefined ? 'secondary' : 'published';
}

/** The last day of a `YYYY-MM` month, as `YYYY-MM-DD`. */
export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return '';
  const day = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, '0')}`;
}

/** The filter form's month range (`YYYY-MM`, either empty) as the API's inclusive day range. */
export function monthRange(fromMonth: string, toMonth: string): { from?: string; to?: string } {
  const out: { from?: string; to?: string } = {};
  if (/^\d{4}-\d{2}$/.test(fromMonth)) out.from = `${fromMonth}-01`;
  if (/^\d{4}-\d{2}$/.test(toMonth)) out.to = lastDayOfMonth(toMonth);
  return out;
}

/** Only the filters that are set, so that an empty field does not reach the query string. */
export function compactFilter<T extends Record<string, string | undefined>>(filter: T): Partial<T> {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

/** A run's or request's counts as one line (`3 richiedenti, 5 ticket`), zeros left out; `none` when all are zero. */
export function countsLine(counts: Record<string, number>, t: Translate, prefix = 'retention.count'): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => {
      const name = t(`${prefix}.${key}` as Parameters<Translate>[0]);
      return `${n} ${name === `${prefix}.${key}` ? key : name}`;
    });
  return parts.length ? parts.join(', ') : t('retention.count.none');
}

/** A byte size for people: `12 kB`, `3.4 MB`. */
export function formatBytes(bytes: number, locale = 'it'): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toLocaleString(locale === 'en' ? 'en-GB' : 'it-IT', { maximumFractionDigits: digits })} ${units[unit]}`;
}

/** Percent done of a long job, 0–100, or null when the total is not known yet. */
export function percentDone(done: number | null | undefined, total: number | null | undefined): number | null {
  if (!total || total <= 0 || done === null || done === undefined) return null;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}
