import { describe, expect, it } from 'vitest';
import { parseWeeklyHours } from './weekly-hours.js';

describe('weekly hours as written in a spreadsheet', () => {
  it('reads day ranges, day lists and several time ranges', () => {
    expect(parseWeeklyHours('lun-ven 09:00-13:00; mar,gio 15:00-17:00')).toEqual({
      ok: true,
      weekly: {
        mon: [{ open: '09:00', close: '13:00' }], tue: [{ open: '09:00', close: '13:00' }, { open: '15:00', close: '17:00' }], wed: [{ open: '09:00', close: '13:00' }],
        thu: [{ open: '09:00', close: '13:00' }, { open: '15:00', close: '17:00' }], fri: [{ open: '09:00', close: '13:00' }],
      },
    });
    expect(parseWeeklyHours('Lunedì 9 – 12.30, 15-17; sab chiuso')).toEqual({ ok: true, weekly: { mon: [{ open: '09:00', close: '12:30' }, { open: '15:00', close: '17:00' }] } });
    expect(parseWeeklyHours('ven-lun 10:00-11:00')).toMatchObject({ ok: true, weekly: { fri: [{}], sat: [{}], sun: [{}], mon: [{}] } });
    expect(parseWeeklyHours('  ')).toBeNull();
  });

  it('names the day and both ranges of an overlap', () => {
    expect(parseWeeklyHours('lun-ven 09:00-13:00; mar 12:00-15:00')).toEqual({ ok: false, problem: { kind: 'overlap', day: 'tue', first: { open: '09:00', close: '13:00' }, second: { open: '12:00', close: '15:00' } } });
    // Touching ranges do not overlap.
    expect(parseWeeklyHours('lun 09:00-13:00, 13:00-14:00')).toMatchObject({ ok: true });
  });

  it('explains what it cannot read', () => {
    for (const text of ['09:00-13:00', 'lun-xyz 9-13', 'lun 13-9', 'lun 9:75-10', 'lun chiuso; lun 9-10']) {
      const result = parseWeeklyHours(text);
      expect(result?.ok, text).toBe(false);
      if (result && !result.ok && result.problem.kind === 'syntax') expect(result.problem.it.length).toBeGreaterThan(10);
    }
  });
});
