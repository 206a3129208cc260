import { describe, expect, it } from 'vitest';
import { addDays } from '../../platform/time-zone.js';
import { firstOpenDay, romeMidnight, splitByCountedDays } from './deflection-days.js';

const at = (iso: string) => new Date(iso);

describe('deflection days', () => {
  it('knows when a Rome day begins, in winter and in summer time', () => {
    expect(romeMidnight('2026-12-08').toISOString()).toBe('2026-12-07T23:00:00.000Z');
    expect(romeMidnight('2026-07-01').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('adds up the whole days counted and counts the partial first and last days from the sessions', () => {
    // From 01:00 Rome on 1 December (the dashboard's UTC midnight) to 10:00 Rome on 8 December, counted up to 8 December.
    const split = splitByCountedDays(at('2026-12-01T00:00:00Z'), at('2026-12-08T09:00:00Z'), '2026-12-08');
    expect(split.days).toEqual({ from: '2026-12-02', to: '2026-12-08' });
    expect(split.live).toEqual([
      { from: at('2026-12-01T00:00:00Z'), to: at('2026-12-01T23:00:00Z') },
      { from: at('2026-12-07T23:00:00Z'), to: at('2026-12-08T09:00:00Z') },
    ]);
  });

  it('counts from the sessions the days not counted yet, and a period that starts on a Rome midnight has no partial first day', () => {
    const split = splitByCountedDays(at('2026-11-30T23:00:00Z'), at('2026-12-08T09:00:00Z'), '2026-12-05');
    expect(split.days).toEqual({ from: '2026-12-01', to: '2026-12-05' });
    expect(split.live).toEqual([{ from: at('2026-12-04T23:00:00Z'), to: at('2026-12-08T09:00:00Z') }]);
  });

  it('counts everything from the sessions when no day is counted or the period holds no whole counted day', () => {
    const from = at('2026-12-01T00:00:00Z');
    const to = at('2026-12-08T09:00:00Z');
    expect(splitByCountedDays(from, to, null)).toEqual({ days: null, live: [{ from, to }] });
    expect(splitByCountedDays(from, to, '2026-12-01')).toEqual({ days: null, live: [{ from, to }] });
    const within = { from: at('2026-12-03T08:00:00Z'), to: at('2026-12-03T20:00:00Z') };
    expect(splitByCountedDays(within.from, within.to, '2026-12-08')).toEqual({ days: null, live: [within] });
  });

  it('says a day is closed once the window after its last minute has passed', () => {
    // 00:20 Rome on 8 December: sessions of 7 December may still contact (window 30 minutes).
    expect(firstOpenDay(at('2026-12-07T23:20:00Z'), 30)).toBe('2026-12-07');
    expect(firstOpenDay(at('2026-12-07T23:30:00Z'), 30)).toBe('2026-12-08');
  });
});
