/**
 * What action plans and staffing read from the anonymised archive: the daily contacts of a slice,
 * its profile over the hours of a weekday, and the last day the archive can be trusted to be complete.
 */
import { type ArchiveEngine, type ArchiveFilter, archiveSettings, fromFiltered, type VersionedTerritory } from '../archive/index.js';
import type { Database as Db } from '../../db/database.js';
import type { ActionSlice } from './actions/actions.repository.js';
import { analyzeSeries, type DatedForecast } from './series/series-analysis.js';
import { parseIsoDay } from './series/series-calendar.js';

/**
 * Days a contact usually needs to close after it was opened. The archive counts contacts by the day
 * they were opened but receives them only once closed (and past the grace period): the last days
 * are not complete yet, and comparing them with a forecast would show a fall that is not there.
 */
export const SETTLING_DAYS = 14;

const DAY_MS = 86_400_000;
import { addDays } from '../../platform/time-zone.js';

export { addDays };
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

export const sliceFilter = (slice: ActionSlice): ArchiveFilter => Object.fromEntries(Object.entries(slice).filter(([, v]) => typeof v === 'string' && v !== '')) as ArchiveFilter;

export interface ArchiveSeriesReader {
  /** Contacts per opening day of the slice within [from, to] (days without contacts are absent). */
  dailyCounts(slice: ActionSlice, from: string, to: string): Promise<Map<string, number>>;
  /** The last opening day the archive holds completely, given today (Italian date). */
  observedThrough(today: string): Promise<string>;
  /** Contacts by hour of opening (0–23) of the slice within [from, to] on one weekday (0 = Sunday); empty when the archive keeps days only. */
  hourProfile(slice: ActionSlice, weekday: number, from: string, to: string): Promise<Map<number, number>>;
}

export function archiveSeriesReader(db: Db, engine: ArchiveEngine, territory: () => Promise<VersionedTerritory>): ArchiveSeriesReader {
  return {
    async dailyCounts(slice, from, to) {
      const out = new Map<string, number>();
      const source = engine.source();
      if (!source) return out;
      const tmap = await engine.territoryMap(await territory());
      const where = fromFiltered(source, tmap, { ...sliceFilter(slice), from, to });
      const rows = await engine.use(async (conn) => (await conn.runAndReadAll(`select strftime(r.opened_day, '%Y-%m-%d') as d, count(*) as n from ${where.sql} group by 1`, where.params)).getRows());
      for (const [d, n] of rows) out.set(String(d), Number(n));
      return out;
    },
    async hourProfile(slice, weekday, from, to) {
      const out = new Map<number, number>();
      const source = engine.source();
      if (!source) return out;
      const tmap = await engine.territoryMap(await territory());
      const where = fromFiltered(source, tmap, { ...sliceFilter(slice), from, to });
      // The period makes the filter's WHERE clause always present.
      const sqlText = `select r.opened_hour as h, count(*) as n from ${where.sql} and r.opened_hour is not null and dayofweek(r.opened_day) = $weekday group by 1`;
      const rows = await engine.use(async (conn) => (await conn.runAndReadAll(sqlText, { ...where.params, weekday })).getRows());
      for (const [h, n] of rows) out.set(Number(h), Number(n));
      return out;
    },
    async observedThrough(today) {
      const { graceDays } = await archiveSettings(db);
      return addDays(today, -(graceDays + SETTLING_DAYS));
    },
  };
}

/**
 * The forecast of a slice for `horizon` days after `historyTo`, made by the count model from the
 * slice's archived days in the `historyDays` up to `historyTo`, starting at its first contact (before
 * it the slice did not exist). No contact at all: no forecast. `counts` are the archived days read
 * (days without contacts absent), for callers that show them too.
 */
export async function forecastSlice(archive: ArchiveSeriesReader, slice: ActionSlice, historyTo: string, historyDays: number, horizon: number): Promise<{ historyFrom: string | null; forecast: DatedForecast[]; counts: Map<string, number> }> {
  const counts = await archive.dailyCounts(slice, addDays(historyTo, -(historyDays - 1)), historyTo);
  const first = [...counts.keys()].sort()[0] ?? null;
  if (first === null) return { historyFrom: null, forecast: [], counts };
  const series = Array.from({ length: daysBetween(first, historyTo) + 1 }, (_, i) => counts.get(addDays(first, i)) ?? 0);
  return { historyFrom: first, forecast: analyzeSeries({ name: 'slice', start: parseIsoDay(first)!, counts: series }, horizon).forecast, counts };
}
