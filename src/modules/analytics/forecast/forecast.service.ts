/**
 * Forecasts of contact volumes for a slice of the network (issue 14): an office, a body, a topic,
 * a channel or a territory, days to weeks ahead with 80% prediction intervals, from the anonymised
 * archive's complete history (the count model of the alarms, `forecastSlice`), shown next to the
 * days observed before.
 *
 * Who: an office's or a body's forecast is for its own members, the analysts and the coordination
 * (as its staffing); a slice of the whole network for the analysts and the coordination. Observed
 * days with 1 to 3 contacts are withheld from anyone outside the slice's body, as on the dashboards.
 */
import type { Database as Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { localIsoDate, ROME } from '../../../platform/time-zone.js';
import * as identity from '../../identity/index.js';
import type { ActionSlice } from '../actions/actions.repository.js';
import { analyticsErrors as errors } from '../analytics.errors.js';
import { isMemberOf, readsBodyAnalytics, readsNetworkAnalytics } from '../analytics-readers.js';
import { addDays, type ArchiveSeriesReader, forecastSlice } from '../archive-series.js';

/** History the model learns from: a year, so that the weekly and annual patterns are in it. */
const HISTORY_DAYS = 365;
/** Counts from 1 to this are small cells: withheld outside the slice's body. */
const SMALL_CELL = 3;

export interface SliceForecastQuery extends ActionSlice {
  horizon: number;
  /** Observed days shown before the forecast. */
  days: number;
}

export interface SliceForecast {
  historyFrom: string | null;
  historyTo: string;
  history: { date: string; count: number | null }[];
  withheld: boolean;
  forecast: { date: string; mean: number; lo80: number; hi80: number }[];
  total: { mean: number; days: number };
}

export async function sliceForecast(db: Db, archive: ArchiveSeriesReader, actor: Actor, q: SliceForecastQuery, now: Date): Promise<SliceForecast> {
  const { horizon, days, ...rest } = q;
  const slice: ActionSlice = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && v !== ''));
  // The body the slice belongs to: the office's, else the one named; none for a slice of the network.
  let organisationId = slice.organisationId ?? null;
  if (slice.officeId) {
    const office = await identity.findOffice(db, slice.officeId);
    if (!office || (organisationId !== null && office.organisationId !== organisationId) || !readsBodyAnalytics(actor, office.organisationId)) throw errors.officeNotFound({ id: slice.officeId });
    organisationId = office.organisationId;
  }
  if (organisationId === null ? !readsNetworkAnalytics(actor) : !readsBodyAnalytics(actor, organisationId)) throw errors.forecastForbidden();
  const withheld = organisationId === null || !isMemberOf(actor, organisationId);

  const historyTo = await archive.observedThrough(localIsoDate(now, ROME));
  // The days shown are within the history the model read (days ≤ 365 = HISTORY_DAYS): no second read.
  const { historyFrom, forecast, counts } = await forecastSlice(archive, slice, historyTo, HISTORY_DAYS, horizon);
  const shownFrom = addDays(historyTo, -(days - 1));
  const history = Array.from({ length: days }, (_, i) => {
    const date = addDays(shownFrom, i);
    const n = counts.get(date) ?? 0;
    return { date, count: withheld && n >= 1 && n <= SMALL_CELL ? null : n };
  });
  const round = (x: number) => Math.round(x * 100) / 100;
  const ahead = forecast.map((f) => ({ date: f.date, mean: round(f.mean), lo80: round(f.lo80), hi80: round(f.hi80) }));
  return { historyFrom, historyTo, history, withheld, forecast: ahead, total: { mean: round(forecast.reduce((s, f) => s + f.mean, 0)), days: forecast.length } };
}
