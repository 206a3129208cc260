import { describe, expect, it } from 'vitest';
import { instantOfWallClock, isValidTimeZone, localIsoDate, wallClockOf, zonedToUtc, zoneOffsetMs } from './time-zone.js';

const R = 'Europe/Rome';
const iso = (d: Date | number) => new Date(d).toISOString();
const HOUR = 3_600_000;

describe('time zone helper (Europe/Rome)', () => {
  it('knows the offsets either side of both changes of 2026', () => {
    expect(zoneOffsetMs(Date.parse('2026-03-29T00:59:59Z'), R)).toBe(HOUR);
    expect(zoneOffsetMs(Date.parse('2026-03-29T01:00:00Z'), R)).toBe(2 * HOUR);
    expect(zoneOffsetMs(Date.parse('2026-10-25T00:59:59Z'), R)).toBe(2 * HOUR);
    expect(zoneOffsetMs(Date.parse('2026-10-25T01:00:00Z'), R)).toBe(HOUR);
  });

  it('reads ordinary local times in winter and in summer', () => {
    expect(iso(zonedToUtc(2026, 1, 15, 9, 0, 0, R))).toBe('2026-01-15T08:00:00.000Z');
    expect(iso(zonedToUtc(2026, 7, 15, 9, 0, 0, R))).toBe('2026-07-15T07:00:00.000Z');
  });

  it('moves a time in the missing hour (2026-03-29 02:30) forward by the gap: 03:30 summer time', () => {
    expect(iso(zonedToUtc(2026, 3, 29, 2, 30, 0, R))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(zonedToUtc(2026, 3, 29, 2, 0, 0, R))).toBe('2026-03-29T01:00:00.000Z');
    // Either side of the gap the clock is unambiguous.
    expect(iso(zonedToUtc(2026, 3, 29, 1, 59, 59, R))).toBe('2026-03-29T00:59:59.000Z');
    expect(iso(zonedToUtc(2026, 3, 29, 3, 0, 0, R))).toBe('2026-03-29T01:00:00.000Z');
  });

  it('reads a repeated time (2026-10-25 02:30) as its first occurrence, still in summer time', () => {
    expect(iso(zonedToUtc(2026, 10, 25, 2, 30, 0, R))).toBe('2026-10-25T00:30:00.000Z');
    // Both occurrences read 02:30 on the clock; the later one is an hour after the chosen one.
    expect(wallClockOf(Date.parse('2026-10-25T00:30:00Z'), R)).toBe(Date.UTC(2026, 9, 25, 2, 30));
    expect(wallClockOf(Date.parse('2026-10-25T01:30:00Z'), R)).toBe(Date.UTC(2026, 9, 25, 2, 30));
    expect(iso(zonedToUtc(2026, 10, 25, 3, 0, 0, R))).toBe('2026-10-25T02:00:00.000Z');
    expect(iso(zonedToUtc(2026, 10, 24, 23, 59, 0, R))).toBe('2026-10-24T21:59:00.000Z');
  });

  it('round-trips every quarter of an hour across both change days', () => {
    for (const day of ['2026-03-28T00:00:00Z', '2026-10-24T00:00:00Z']) {
      for (let t = Date.parse(day); t < Date.parse(day) + 3 * 24 * HOUR; t += 15 * 60_000) {
        const wall = wallClockOf(t, R);
        const back = instantOfWallClock(wall, R);
        // Unique readings come back to the same instant; the repeated hour comes back to its first occurrence.
        expect(back === t || back === t - HOUR).toBe(true);
        expect(wallClockOf(back, R)).toBe(wall);
      }
    }
  });

  it('gives the local calendar date of an instant', () => {
    expect(localIsoDate(new Date('2026-06-30T22:30:00Z'), R)).toBe('2026-07-01');
    expect(localIsoDate(new Date('2026-12-31T22:59:59Z'), R)).toBe('2026-12-31');
    expect(localIsoDate(new Date('2026-12-31T23:00:00Z'), R)).toBe('2027-01-01');
  });

  it('works in zones whose changes are not on the hour, or not even on a quarter of an hour, and in UTC', () => {
    // Lord Howe Island moves back by 30 minutes at 02:00 local time (15:00Z) on 2026-04-05.
    expect(zoneOffsetMs(Date.parse('2026-04-04T14:59:00Z'), 'Australia/Lord_Howe') - zoneOffsetMs(Date.parse('2026-04-04T15:01:00Z'), 'Australia/Lord_Howe')).toBe(HOUR / 2);
    // Liberia left its -0:44:30 mean time at 00:44:30Z on 1972-01-07: inside a memo bucket.
    expect(zoneOffsetMs(Date.parse('1972-01-07T00:44:29Z'), 'Africa/Monrovia')).toBe(-(44 * 60 + 30) * 1000);
    expect(zoneOffsetMs(Date.parse('1972-01-07T00:44:30Z'), 'Africa/Monrovia')).toBe(0);
    expect(iso(zonedToUtc(2026, 3, 29, 2, 30, 0, 'UTC'))).toBe('2026-03-29T02:30:00.000Z');
  });

  it('tells known zone names from unknown ones', () => {
    expect(isValidTimeZone('Europe/Rome')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Europe/Roma')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});
