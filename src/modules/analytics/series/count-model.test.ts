import { describe, expect, it } from 'vitest';
import { countScore, normalQuantile } from './count-distribution.js';
import { type Alarm, DEFAULT_PARAMS, forecastFrom, runCountModel } from './count-model.js';
import { scanSeries } from './series-analysis.js';
import { parseIsoDay } from './series-calendar.js';
import { mulberry32 as rng } from '../../../platform/seeded-random.js';

function poisson(rand: () => number, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}

const PROFILE = [1.3, 1.2, 1.2, 1.1, 1.0, 0.7, 0.5];

/** Poisson counts with a weekday profile (quiet weekends), `days` days starting on a Monday. */
function weeklyPoisson(seed: number, days: number, mean: number): number[] {
  const rand = rng(seed);
  return Array.from({ length: days }, (_, i) => poisson(rand, mean * PROFILE[i % 7]!));
}

const NO_HOLIDAYS = new Uint8Array(1000);

describe('count scores', () => {
  it('inverts the normal CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.1)).toBeCloseTo(-1.281552, 5);
  });

  it('means the same surprise at small and large counts', () => {
    expect(countScore(10, 10, 0)).toBeCloseTo(0, 0);
    // 5 contacts on a 1-a-day series is rarer than 3σ-by-the-normal suggests, but not absurd.
    expect(countScore(5, 1, 0)).toBeGreaterThan(2.5);
    expect(countScore(5, 1, 0)).toBeLessThan(3.5);
    expect(countScore(100, 50, 0.01)).toBeGreaterThan(4.5);
    expect(countScore(0, 50, 0.01)).toBeLessThan(-4);
    expect(countScore(0, 0.3, 0)).toBeGreaterThan(-1);
  });
});

describe('count model alarms', () => {
  it('keeps false alarms on stable Poisson series within the budget of 1 per 30 days', () => {
    // Thresholds are self-calibrated to spend about 0.75 alarms per 30 days on the series' own past:
    // a stable series is no longer alarm-free, but stays within the budget.
    for (const mean of [2, 20]) {
      let alarmDays = 0;
      let days = 0;
      for (let seed = 1; seed <= 6; seed++) {
        const counts = weeklyPoisson(seed * 100 + mean, 365, mean);
        const { alarms } = runCountModel(counts, 0, NO_HOLIDAYS);
        alarmDays += new Set(alarms.filter((a) => a.index >= 56).map((a) => a.index)).size;
        days += 365 - 56;
      }
      expect((alarmDays / days) * 30, `mean ${mean}`).toBeLessThan(1);
    }
  });

  it('self-calibrates: finds more +1.2σ shifts within 7 days on quiet series, raises fewer alarms on heavy-tailed ones', () => {
    const off = { ...DEFAULT_PARAMS, calibrateEvery: 0, runBaseline: 0 };
    let found = 0;
    let foundBefore = 0;
    const inWeek = (alarms: Alarm[]) => alarms.some((a) => a.kind !== 'drop' && a.index >= 200 && a.index < 207);
    for (let seed = 1; seed <= 40; seed++) {
      const rand = rng(seed * 7 + 1000);
      const shift = 1 + 1.2 / Math.sqrt(15);
      const counts = Array.from({ length: 240 }, (_, i) => poisson(rand, 15 * PROFILE[i % 7]! * (i >= 200 ? shift : 1)));
      if (inWeek(runCountModel(counts, 0, NO_HOLIDAYS).alarms)) found++;
      if (inWeek(runCountModel(counts, 0, NO_HOLIDAYS, off).alarms)) foundBefore++;
    }
    expect(found / 40).toBeGreaterThan(0.6);
    expect(found).toBeGreaterThan(foundBefore + 6);
    // Bulk-entry days (5% of days ×4): the thresholds rise instead of alarming at every burst.
    let calibrated = 0;
    let fixed = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const rand = rng(seed * 13);
      const counts = Array.from({ length: 365 }, (_, i) => poisson(rand, 15 * PROFILE[i % 7]!) * (rand() < 0.05 ? 4 : 1));
      calibrated += runCountModel(counts, 0, NO_HOLIDAYS).alarms.filter((a) => a.index >= 56).length;
      fixed += runCountModel(counts, 0, NO_HOLIDAYS, off).alarms.filter((a) => a.index >= 56).length;
    }
    expect(calibrated).toBeLessThan(fixed);
  });

  it('finds an obvious one-day spike on that day, and only that day', () => {
    const counts = weeklyPoisson(3, 200, 20);
    counts[120] = counts[120]! + 40;
    const { alarms } = runCountModel(counts, 0, NO_HOLIDAYS);
    expect(alarms.filter((a) => a.index === 120).map((a) => a.kind)).toEqual(['spike']);
    expect(alarms.find((a) => a.index === 120)!.since).toBe(120);
    expect(alarms.filter((a) => a.index > 120 && a.index < 130)).toEqual([]);
  });

  it('finds a +50% level shift within a week and then follows the new level', () => {
    const counts = weeklyPoisson(4, 240, 20).map((c, i) => (i >= 150 ? Math.round(c * 1.5) : c));
    const { alarms, state } = runCountModel(counts, 0, NO_HOLIDAYS);
    const first = alarms.find((a) => a.index >= 150 && a.kind !== 'drop');
    expect(first).toBeDefined();
    expect(first!.index).toBeLessThan(157);
    const shift = alarms.find((a) => a.index >= 150 && a.kind === 'level_shift')!;
    // `since` is the start of the CUSUM run: the shift's first day or just before.
    expect(shift.since).toBeGreaterThanOrEqual(145);
    expect(shift.since).toBeLessThanOrEqual(shift.index);
    // Re-baselined: no stream of alarms on the new level (at most the 1-per-30-days budget: the
    // thresholds were calibrated on the quieter days before the shift).
    expect(alarms.filter((a) => a.index >= 165).length).toBeLessThanOrEqual(3);
    expect(state.level).toBeGreaterThan(25);
  });

  it('reports a sustained fall as a drop', () => {
    const counts = weeklyPoisson(5, 200, 20).map((c, i) => (i >= 120 ? Math.round(c * 0.4) : c));
    const { alarms } = runCountModel(counts, 0, NO_HOLIDAYS);
    expect(alarms.some((a) => a.kind === 'drop' && a.index >= 120 && a.index < 127)).toBe(true);
  });

  it('is prospective: the alarms up to day d do not change when later days are appended', () => {
    // 420 days: several re-calibrations of the thresholds (days 56, 84, …) fall inside.
    const counts = weeklyPoisson(6, 420, 12);
    counts[100] = counts[100]! + 30;
    for (let i = 200; i < 300; i++) counts[i] = counts[i]! * 2;
    for (let i = 350; i < 420; i++) counts[i] = counts[i]! + (i % 3);
    const full = runCountModel(counts, 0, NO_HOLIDAYS).alarms;
    expect(full.length).toBeGreaterThan(2);
    for (const d of [40, 56, 57, 84, 100, 150, 205, 260, 308, 355, 419]) {
      const prefix = runCountModel(counts.slice(0, d + 1), 0, NO_HOLIDAYS).alarms;
      expect(prefix).toEqual(full.filter((a) => a.index <= d));
    }
  });

  it('treats public holidays like Sundays', () => {
    // 2025: a Monday (2025-04-21, Easter Monday) with Sunday-like counts.
    const start = parseIsoDay('2025-01-06')!;
    const counts = weeklyPoisson(7, 200, 20);
    const easterMonday = parseIsoDay('2025-04-21')! - start;
    counts[easterMonday] = 9;
    const [withHolidays] = scanSeries([{ name: 'x', start, counts }], { country: 'IT' });
    const [without] = scanSeries([{ name: 'x', start, counts }], { country: 'none' });
    expect(withHolidays!.alarms.some((a) => a.index === easterMonday)).toBe(false);
    expect(without!.alarms.some((a) => a.index === easterMonday && a.kind === 'spike')).toBe(false);
  });

  it('copes with zeros, a single day and an empty series', () => {
    expect(runCountModel([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 0, NO_HOLIDAYS).alarms.length).toBeLessThanOrEqual(1);
    expect(runCountModel([5], 3, NO_HOLIDAYS).state.level).toBeCloseTo(5);
    const empty = runCountModel([], 0, NO_HOLIDAYS);
    expect(empty.alarms).toEqual([]);
    expect(forecastFrom(empty.state, 0, 3, NO_HOLIDAYS).every((f) => f.mean === 0 && Number.isFinite(f.hi80))).toBe(true);
  });
});

describe('count model forecast', () => {
  it('follows the weekday profile and its 80% intervals cover about 80% of new days', () => {
    const counts = weeklyPoisson(8, 400, 15);
    let covered = 0;
    let total = 0;
    for (let origin = 120; origin + 14 <= 400; origin += 14) {
      const { state } = runCountModel(counts.slice(0, origin), 0, NO_HOLIDAYS);
      const fc = forecastFrom(state, 0, 14, NO_HOLIDAYS);
      for (const f of fc) {
        const y = counts[origin - 1 + f.ahead]!;
        if (y >= f.lo80 && y <= f.hi80) covered++;
        total++;
        expect(f.lo80).toBeLessThanOrEqual(f.mean);
        expect(f.hi80).toBeGreaterThanOrEqual(f.mean);
      }
    }
    expect(covered / total).toBeGreaterThan(0.72);
    expect(covered / total).toBeLessThan(0.9);
    const { state } = runCountModel(counts, 0, NO_HOLIDAYS);
    const week = forecastFrom(state, 0, 7, NO_HOLIDAYS);
    // 400 days from a Monday: the next day is day 400, a Friday (400 % 7 = 1 → Tuesday).
    const byWeekday = new Map(week.map((f) => [(400 - 1 + f.ahead) % 7, f.mean]));
    expect(byWeekday.get(0)!).toBeGreaterThan(byWeekday.get(6)! * 1.8);
    expect(DEFAULT_PARAMS.warmupDays).toBe(28);
  });
});
