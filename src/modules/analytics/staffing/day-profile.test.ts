import { describe, expect, it } from 'vitest';
import { dayProfile, openHalfHours } from './staffing.service.js';

describe("a day's profile over half hours", () => {
  it('lists the half hours of split shifts', () => {
    expect(openHalfHours([{ open: '08:30', close: '10:00' }, { open: '15:00', close: '16:00' }])).toEqual([510, 540, 570, 900, 930]);
    // A shift opening at 08:45 counts from 09:00.
    expect(openHalfHours([{ open: '08:45', close: '09:30' }])).toEqual([540]);
  });

  it("follows the archive's hours within the opening hours", () => {
    const p = dayProfile([{ open: '09:00', close: '11:00' }], new Map([[9, 30], [10, 10], [15, 99]]));
    expect(p.source).toBe('archive_hours');
    expect(p.profile).toEqual([
      { start: '09:00', weight: 15 },
      { start: '09:30', weight: 15 },
      { start: '10:00', weight: 5 },
      { start: '10:30', weight: 5 },
    ]);
  });

  it('falls back on the opening hours, then on assumed hours', () => {
    expect(dayProfile([{ open: '09:00', close: '10:00' }], new Map()).source).toBe('opening_hours');
    const assumed = dayProfile(null, new Map());
    expect(assumed.source).toBe('assumed_hours');
    expect(assumed.profile).toHaveLength(16);
    // No opening hours recorded: the archive's hours alone.
    expect(dayProfile(null, new Map([[14, 8]])).profile).toEqual([{ start: '14:00', weight: 4 }, { start: '14:30', weight: 4 }]);
  });
});
