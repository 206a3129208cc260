/**
 * Alarms and forecasts for many daily series at once: the pure core of `urpnet analyze`, and
 * `scanSeries`, the fast alarm scan the analytics jobs call over every series.
 */
import { type Alarm, type AlarmKind, type CountModelParams, DEFAULT_PARAMS, forecastFrom, runCountModel } from './count-model.js';
import { type HolidayCountry, holidayFlags, isoOfDay, weekdayOf } from './series-calendar.js';
import type { DailySeries } from './series-input.js';

export interface AnalysisOptions {
  /** Holiday calendar for `date-holidays` (`IT` by default, `US-MA`, `none`, …). */
  country?: HolidayCountry;
  params?: CountModelParams;
}

export interface DatedAlarm {
  date: string;
  kind: AlarmKind;
  observed: number;
  expected: number;
  score: number;
  /** First day of the anomaly: the day itself for a spike, the start of the CUSUM run otherwise. */
  since: string;
}

export interface DatedForecast {
  date: string;
  mean: number;
  lo80: number;
  hi80: number;
}

export interface SeriesAnalysis {
  series: string;
  alarms: DatedAlarm[];
  forecast: DatedForecast[];
}

export interface SeriesAlarms {
  series: string;
  alarms: Alarm[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Prospective alarm scan over many series: the alarm for day d uses days up to d only. Alarms carry
 * the index of their day in the series (`start + index` is its day number).
 */
export function scanSeries(series: readonly DailySeries[], options: AnalysisOptions = {}): SeriesAlarms[] {
  const country = options.country ?? 'IT';
  const params = options.params ?? DEFAULT_PARAMS;
  return series.map((s) => ({
    series: s.name,
    alarms: runCountModel(s.counts, weekdayOf(s.start), holidayFlags(country, s.start, s.counts.length), params).alarms,
  }));
}

/** Alarms over the whole series and a forecast of `horizon` days after its last day. */
export function analyzeSeries(s: DailySeries, horizon: number, options: AnalysisOptions = {}): SeriesAnalysis {
  const country = options.country ?? 'IT';
  const params = options.params ?? DEFAULT_PARAMS;
  const n = s.counts.length;
  const run = runCountModel(s.counts, weekdayOf(s.start), holidayFlags(country, s.start, n), params);
  const future = holidayFlags(country, s.start + n, horizon);
  const forecast = forecastFrom(run.state, weekdayOf(s.start), horizon, future, params);
  return {
    series: s.name,
    alarms: run.alarms.map((a) => ({ date: isoOfDay(s.start + a.index), kind: a.kind, observed: round2(a.observed), expected: round2(a.expected), score: round2(a.score), since: isoOfDay(s.start + (a.since ?? a.index)) })),
    forecast: forecast.map((f) => ({ date: isoOfDay(s.start + n - 1 + f.ahead), mean: round2(f.mean), lo80: round2(f.lo80), hi80: round2(f.hi80) })),
  };
}
