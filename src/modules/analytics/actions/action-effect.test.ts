import { describe, expect, it } from 'vitest';
import { type ForecastDay, measureEffect } from './action-effect.js';

const days = (n: number, mean: number, halfWidth: number, from = 1): ForecastDay[] =>
  Array.from({ length: n }, (_, i) => ({ date: `2026-03-${String(from + i).padStart(2, '0')}`, mean, lo80: mean - halfWidth, hi80: mean + halfWidth }));

describe('action effect', () => {
  it('finds a clear reduction against the counterfactual', () => {
    const forecast = days(14, 20, 6);
    const observed = new Map(forecast.map((d) => [d.date, 12]));
    const e = measureEffect(forecast, observed, '2026-03-31');
    expect(e.comparedDays).toBe(14);
    expect(e.observed).toBe(168);
    expect(e.expected).toBe(280);
    expect(e.difference).toBe(-112);
    expect(e.relative).toBe(-0.4);
    expect(e.differenceHi80).toBeLessThan(0);
    expect(e.verdict).toBe('reduced');
  });

  it('says nothing clear when the observed stays within the interval', () => {
    const forecast = days(14, 20, 6);
    const observed = new Map(forecast.map((d, i) => [d.date, i % 2 === 0 ? 22 : 19]));
    const e = measureEffect(forecast, observed, '2026-03-31');
    expect(e.differenceLo80).toBeLessThan(0);
    expect(e.differenceHi80).toBeGreaterThan(0);
    expect(e.verdict).toBe('no_clear_effect');
  });

  it('waits for a week of archive and compares only the days the archive covers', () => {
    const forecast = days(28, 10, 4);
    const e = measureEffect(forecast, new Map([['2026-03-02', 3]]), '2026-03-05');
    expect(e.comparedDays).toBe(5);
    expect(e.observed).toBe(3); // missing days in the archive count as zero contacts
    expect(e.days[5]!.observed).toBeNull();
    expect(e.verdict).toBe('pending');
  });

  it('widens the interval when the days move together', () => {
    const forecast = days(14, 20, 6);
    const observed = new Map(forecast.map((d) => [d.date, 20]));
    const independent = measureEffect(forecast, observed, '2026-03-31', 0);
    const together = measureEffect(forecast, observed, '2026-03-31', 1);
    expect(together.differenceHi80 - together.differenceLo80).toBeGreaterThan(independent.differenceHi80 - independent.differenceLo80);
    // Fully correlated: 14 days of ±6 add up to ±84.
    expect(together.differenceHi80).toBeCloseTo(84, 1);
  });

  it('has no relative change when nothing was expected', () => {
    const e = measureEffect(days(7, 0, 0), new Map(), '2026-03-31');
    expect(e.relative).toBeNull();
  });
});
