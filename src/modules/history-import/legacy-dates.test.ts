import { describe, expect, it } from 'vitest';
import { matchingDateFormats, parseLegacyDate } from './legacy-dates.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('legacy dates', () => {
  it('reads ISO dates in the given zone, with daylight saving time', () => {
    expect(iso(parseLegacyDate('2023-05-08', 'iso', 'Europe/Rome'))).toBe('2023-05-07T22:00:00.000Z');
    expect(iso(parseLegacyDate('2023-01-08 14:30', 'iso', 'Europe/Rome'))).toBe('2023-01-08T13:30:00.000Z');
    expect(iso(parseLegacyDate('2023-05-08T10:00:00Z', 'iso', 'Europe/Rome'))).toBe('2023-05-08T10:00:00.000Z');
    expect(iso(parseLegacyDate('2023-05-08T10:00:00+02:00', 'iso', 'UTC'))).toBe('2023-05-08T08:00:00.000Z');
  });

  it('reads times at the daylight-saving changes like the office calendar does', () => {
    // The missing hour moves forward by the gap; a repeated hour is its first occurrence.
    expect(iso(parseLegacyDate('2026-03-29 02:30', 'iso', 'Europe/Rome'))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(parseLegacyDate('25/10/2026 02:30', 'dmy', 'Europe/Rome'))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('reads day-first and US month-first dates with AM/PM', () => {
    expect(iso(parseLegacyDate('08/05/2023 09:15', 'dmy', 'Europe/Rome'))).toBe('2023-05-08T07:15:00.000Z');
    expect(iso(parseLegacyDate('01/05/2015 12:40:41 PM', 'mdy', 'America/New_York'))).toBe('2015-01-05T17:40:41.000Z');
    expect(iso(parseLegacyDate('01/05/2015 12:10:00 AM', 'mdy', 'America/New_York'))).toBe('2015-01-05T05:10:00.000Z');
  });

  it('refuses impossible or mismatched dates', () => {
    expect(parseLegacyDate('2023-02-30', 'iso', 'UTC')).toBeNull();
    expect(parseLegacyDate('13/45/2015 01:10:00 PM', 'mdy', 'UTC')).toBeNull();
    expect(parseLegacyDate('08/05/2023', 'iso', 'UTC')).toBeNull();
    expect(parseLegacyDate('ieri', 'dmy', 'UTC')).toBeNull();
    expect(parseLegacyDate('01/05/2015 13:00:00 PM', 'mdy', 'UTC')).toBeNull();
  });

  it('suggests the formats every sample value matches', () => {
    expect(matchingDateFormats(['2023-05-08', '', '2024-01-29'])).toEqual(['iso']);
    expect(matchingDateFormats(['01/05/2015 12:40:41 PM', '12/31/2015 01:00:00 AM'])).toEqual(['mdy']);
    expect(matchingDateFormats(['01/05/2015', '02/03/2015'])).toEqual(['dmy', 'mdy']);
    expect(matchingDateFormats(['App Municipium'])).toEqual([]);
  });
});
