import { describe, expect, it } from 'vitest';
import { daysBetween, fillPeriods, isoWeek, periodStart } from './dashboard-periods.js';

describe('dashboard periods', () => {
  it('labels ISO weeks as DuckDB does (%G-W%V), across the year boundary', () => {
    expect(isoWeek(Date.UTC(2026, 0, 1))).toBe('2026-W01');
    expect(isoWeek(Date.UTC(2027, 0, 1))).toBe('2026-W53');
    expect(isoWeek(Date.UTC(2024, 11, 30))).toBe('2025-W01');
    expect(periodStart('2026-W01', 'week')).toBe(Date.UTC(2025, 11, 29));
  });

  it('fills the gaps between the first and the last period', () => {
    expect(fillPeriods(['2026-03', '2025-12'], 'month')).toEqual(['2025-12', '2026-01', '2026-02', '2026-03']);
    expect(fillPeriods(['2026-02-27', '2026-03-01'], 'day')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(fillPeriods(['2026-W52', '2026-W53', '2027-W02'].slice(0, 1).concat('2027-W02'), 'week')).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
    expect(fillPeriods(['2026-01-15 22', '2026-01-16 01'], 'hour')).toEqual(['2026-01-15 22', '2026-01-15 23', '2026-01-16 00', '2026-01-16 01']);
    expect(fillPeriods([], 'day')).toEqual([]);
  });

  it('gives up filling a run longer than the cap', () => {
    expect(fillPeriods(['2020-01-01', '2026-01-01'], 'day', 100)).toEqual(['2020-01-01', '2026-01-01']);
    expect(daysBetween('2026-01-01', '2026-03-31')).toBe(90);
  });
});
