import { describe, expect, it } from 'vitest';
import {
  type OfficeCalendar,
  type TimeRange,
  addBusinessMinutes,
  businessMinutesBetween,
  isHoliday,
  isOpenAt,
  nextOpening,
  validateCalendar,
} from './office-calendar.js';

const SPLIT_SHIFT: TimeRange[] = [
  { open: '08:30', close: '13:00' },
  { open: '14:30', close: '17:00' },
];

/** A Roman URP: split shift Monday to Friday, Saints Peter and Paul, closed for a week in August. */
const ROME: OfficeCalendar = {
  timeZone: 'Europe/Rome',
  weekly: { mon: SPLIT_SHIFT, tue: SPLIT_SHIFT, wed: SPLIT_SHIFT, thu: SPLIT_SHIFT, fri: SPLIT_SHIFT },
  closures: [{ from: '2026-08-10', to: '2026-08-14', reason: 'Chiusura estiva' }],
  patronDays: [{ month: 6, day: 29, name: 'Santi Pietro e Paolo' }],
};

const UTC_OFFICE: OfficeCalendar = { ...ROME, timeZone: 'UTC' };

/** Open around the clock on Sundays only, holidays ignored: isolates DST arithmetic. */
const SUNDAY_ALL_DAY: OfficeCalendar = {
  timeZone: 'Europe/Rome',
  weekly: { sun: [{ open: '00:00', close: '24:00' }] },
  closures: [],
  observeNationalHolidays: false,
};

const at = (iso: string): Date => new Date(iso);

describe('isOpenAt', () => {
  it('follows a split shift in winter (Rome = UTC+1)', () => {
    // Thursday 15 January 2026
    expect(isOpenAt(ROME, at('2026-01-15T07:29:00Z'))).toBe(false); // 08:29
    expect(isOpenAt(ROME, at('2026-01-15T07:30:00Z'))).toBe(true); // 08:30
    expect(isOpenAt(ROME, at('2026-01-15T11:59:00Z'))).toBe(true); // 12:59
    expect(isOpenAt(ROME, at('2026-01-15T12:00:00Z'))).toBe(false); // 13:00, lunch
    expect(isOpenAt(ROME, at('2026-01-15T13:29:00Z'))).toBe(false); // 14:29
    expect(isOpenAt(ROME, at('2026-01-15T13:30:00Z'))).toBe(true); // 14:30
    expect(isOpenAt(ROME, at('2026-01-15T15:59:59Z'))).toBe(true); // 16:59:59
    expect(isOpenAt(ROME, at('2026-01-15T16:00:00Z'))).toBe(false); // 17:00
  });

  it('uses the office time zone, not UTC (summer, Rome = UTC+2)', () => {
    // Thursday 16 July 2026, 06:30Z is 08:30 in Rome
    expect(isOpenAt(ROME, at('2026-07-16T06:29:00Z'))).toBe(false);
    expect(isOpenAt(ROME, at('2026-07-16T06:30:00Z'))).toBe(true);
    expect(isOpenAt(UTC_OFFICE, at('2026-07-16T06:30:00Z'))).toBe(false);
    expect(isOpenAt(UTC_OFFICE, at('2026-07-16T08:30:00Z'))).toBe(true);
    expect(isOpenAt(ROME, at('2026-07-16T14:59:00Z'))).toBe(true); // 16:59 Rome
    expect(isOpenAt(UTC_OFFICE, at('2026-07-16T14:59:00Z'))).toBe(true);
    expect(isOpenAt(ROME, at('2026-07-16T15:30:00Z'))).toBe(false); // 17:30 Rome
    expect(isOpenAt(UTC_OFFICE, at('2026-07-16T15:30:00Z'))).toBe(true);
  });

  it('is closed at the weekend', () => {
    expect(isOpenAt(ROME, at('2026-01-17T10:00:00Z'))).toBe(false); // Saturday
    expect(isOpenAt(ROME, at('2026-01-18T10:00:00Z'))).toBe(false); // Sunday
  });

  it('is closed on holidays, patron days and closures', () => {
    expect(isOpenAt(ROME, at('2026-12-25T09:00:00Z'))).toBe(false);
    expect(isOpenAt(ROME, at('2027-03-29T08:00:00Z'))).toBe(false);
    expect(isOpenAt(ROME, at('2026-06-29T08:00:00Z'))).toBe(false);
    expect(isOpenAt(ROME, at('2026-08-12T08:00:00Z'))).toBe(false);
    expect(isOpenAt(ROME, at('2026-08-17T08:00:00Z'))).toBe(true);
  });
});

describe('isHoliday', () => {
  it('knows Christmas and Santo Stefano', () => {
    expect(isHoliday(ROME, at('2026-12-25T12:00:00Z'))).toEqual({ holiday: true, name: 'Natale di Gesù' });
    expect(isHoliday(ROME, at('2026-12-26T12:00:00Z')).holiday).toBe(true);
    expect(isHoliday(ROME, at('2026-12-28T12:00:00Z'))).toEqual({ holiday: false });
  });

  it('knows Easter Monday 2027 (29 March)', () => {
    const result = isHoliday(ROME, at('2027-03-29T10:00:00Z'));
    expect(result.holiday).toBe(true);
    expect(result.name).toMatch(/Angelo/);
    expect(isHoliday(ROME, at('2027-03-30T10:00:00Z')).holiday).toBe(false);
  });

  it('decides the date in the office time zone', () => {
    // 23:30Z on 24 December is already Christmas in Rome, still Christmas Eve in UTC.
    expect(isHoliday(ROME, at('2026-12-24T23:30:00Z')).holiday).toBe(true);
    expect(isHoliday(UTC_OFFICE, at('2026-12-24T23:30:00Z')).holiday).toBe(false);
    // 23:30Z on 31 December is already New Year's Day in Rome.
    expect(isHoliday(ROME, at('2026-12-31T23:30:00Z')).name).toBe('Capodanno');
  });

  it('knows patron days, with a default name', () => {
    expect(isHoliday(ROME, at('2026-06-29T10:00:00Z'))).toEqual({ holiday: true, name: 'Santi Pietro e Paolo' });
    const milan: OfficeCalendar = { ...ROME, patronDays: [{ month: 12, day: 7 }] };
    expect(isHoliday(milan, at('2026-12-07T10:00:00Z'))).toEqual({ holiday: true, name: 'Festa del santo patrono' });
  });

  it('knows closures, inclusive on both ends', () => {
    expect(isHoliday(ROME, at('2026-08-09T10:00:00Z')).holiday).toBe(false);
    expect(isHoliday(ROME, at('2026-08-10T10:00:00Z'))).toEqual({ holiday: true, name: 'Chiusura estiva' });
    expect(isHoliday(ROME, at('2026-08-14T21:59:00Z')).holiday).toBe(true); // 23:59 Rome
    expect(isHoliday(ROME, at('2026-08-14T22:00:00Z')).name).toBe('Assunzione di Maria'); // 15 Aug in Rome
  });

  it('can ignore national holidays but not patron days', () => {
    const noNational: OfficeCalendar = { ...ROME, observeNationalHolidays: false };
    expect(isHoliday(noNational, at('2026-12-25T10:00:00Z'))).toEqual({ holiday: false });
    expect(isOpenAt(noNational, at('2026-12-25T09:00:00Z'))).toBe(true);
    expect(isHoliday(noNational, at('2026-06-29T10:00:00Z')).holiday).toBe(true);
  });
});

describe('nextOpening', () => {
  it('returns the instant itself when open', () => {
    expect(nextOpening(ROME, at('2026-01-15T08:00:00Z'))).toEqual(at('2026-01-15T08:00:00Z'));
  });

  it('skips the lunch break', () => {
    expect(nextOpening(ROME, at('2026-01-15T12:15:00Z'))).toEqual(at('2026-01-15T13:30:00Z'));
  });

  it('skips the weekend', () => {
    expect(nextOpening(ROME, at('2026-01-16T16:00:00Z'))).toEqual(at('2026-01-19T07:30:00Z'));
  });

  it('skips Christmas and Santo Stefano', () => {
    expect(nextOpening(ROME, at('2026-12-24T16:30:00Z'))).toEqual(at('2026-12-28T07:30:00Z'));
  });

  it('skips Easter Monday 2027 across the DST change', () => {
    // Friday 26 March 17:00 CET → Tuesday 30 March 08:30 CEST
    expect(nextOpening(ROME, at('2027-03-26T16:00:00Z'))).toEqual(at('2027-03-30T06:30:00Z'));
  });

  it('returns null when the office never opens within a year', () => {
    const shut: OfficeCalendar = { ...ROME, closures: [{ from: '2026-01-01', to: '2030-12-31' }] };
    expect(nextOpening(shut, at('2026-02-01T10:00:00Z'))).toBeNull();
    expect(nextOpening({ ...ROME, weekly: {} }, at('2026-02-01T10:00:00Z'))).toBeNull();
  });
});

describe('addBusinessMinutes', () => {
  it('counts within a single shift', () => {
    expect(addBusinessMinutes(ROME, at('2026-01-15T08:00:00Z'), 30)).toEqual(at('2026-01-15T08:30:00Z'));
  });

  it('jumps the lunch break of a split shift', () => {
    // 12:00 + 90 min = 60 before lunch + 30 after 14:30 → 15:00 Rome
    expect(addBusinessMinutes(ROME, at('2026-01-15T11:00:00Z'), 90)).toEqual(at('2026-01-15T14:00:00Z'));
  });

  it('is due at closing time when the budget ends exactly there', () => {
    expect(addBusinessMinutes(ROME, at('2026-01-15T11:00:00Z'), 60)).toEqual(at('2026-01-15T12:00:00Z'));
  });

  it('starts counting at the next opening when outside hours', () => {
    expect(addBusinessMinutes(ROME, at('2026-01-15T12:30:00Z'), 60)).toEqual(at('2026-01-15T14:30:00Z'));
    expect(addBusinessMinutes(ROME, at('2026-01-17T10:00:00Z'), 60)).toEqual(at('2026-01-19T08:30:00Z'));
  });

  it('spans whole days: a business day is 7 hours', () => {
    // Monday 08:30 + 3 × 420 min → Wednesday 17:00
    expect(addBusinessMinutes(ROME, at('2026-01-19T07:30:00Z'), 3 * 420)).toEqual(at('2026-01-21T16:00:00Z'));
  });

  it('skips a closure and a holiday', () => {
    // Friday 7 August 16:00 CEST: 60 min on Friday, closure 10–14, Ferragosto on Saturday, then Monday 17.
    expect(addBusinessMinutes(ROME, at('2026-08-07T14:00:00Z'), 120)).toEqual(at('2026-08-17T07:30:00Z'));
  });

  it('skips a patron day', () => {
    // Friday 26 June 2026, 16:00 CEST + 120 → Monday 29 is San Pietro → Tuesday 30 09:30 CEST
    expect(addBusinessMinutes(ROME, at('2026-06-26T14:00:00Z'), 120)).toEqual(at('2026-06-30T07:30:00Z'));
  });

  it('is DST-correct across the spring change (last Sunday of March)', () => {
    // Friday 27 March 2026 16:00 CET (15:00Z) + 120 → Monday 30 March 09:30 CEST (07:30Z)
    expect(addBusinessMinutes(ROME, at('2026-03-27T15:00:00Z'), 120)).toEqual(at('2026-03-30T07:30:00Z'));
  });

  it('is DST-correct across the autumn change (last Sunday of October)', () => {
    // Friday 23 October 2026 16:00 CEST (14:00Z) + 120 → Monday 26 October 09:30 CET (08:30Z)
    expect(addBusinessMinutes(ROME, at('2026-10-23T14:00:00Z'), 120)).toEqual(at('2026-10-26T08:30:00Z'));
  });

  it('gives different instants for Rome and UTC offices', () => {
    const start = at('2026-01-15T16:30:00Z'); // 17:30 Rome (closed), 16:30 UTC (open)
    expect(addBusinessMinutes(ROME, start, 30)).toEqual(at('2026-01-16T08:00:00Z'));
    expect(addBusinessMinutes(UTC_OFFICE, start, 30)).toEqual(at('2026-01-15T17:00:00Z'));
  });

  it('falls back to calendar minutes without opening hours', () => {
    const noHours: OfficeCalendar = { ...ROME, weekly: { mon: [] } };
    expect(addBusinessMinutes(noHours, at('2026-01-17T10:00:00Z'), 90)).toEqual(at('2026-01-17T11:30:00Z'));
    const shut: OfficeCalendar = { ...ROME, closures: [{ from: '2026-01-01', to: '2030-12-31' }] };
    expect(addBusinessMinutes(shut, at('2026-02-01T10:00:00Z'), 90)).toEqual(at('2026-02-01T11:30:00Z'));
  });

  it('returns the start for zero minutes and rejects negative ones', () => {
    expect(addBusinessMinutes(ROME, at('2026-01-17T10:00:00Z'), 0)).toEqual(at('2026-01-17T10:00:00Z'));
    expect(() => addBusinessMinutes(ROME, at('2026-01-17T10:00:00Z'), -1)).toThrow(RangeError);
  });
});

describe('businessMinutesBetween', () => {
  it('counts only opening minutes', () => {
    expect(businessMinutesBetween(ROME, at('2026-01-15T00:00:00Z'), at('2026-01-16T00:00:00Z'))).toBe(420);
    expect(businessMinutesBetween(ROME, at('2026-01-15T11:00:00Z'), at('2026-01-15T14:00:00Z'))).toBe(90);
    // Monday to Monday: 5 business days
    expect(businessMinutesBetween(ROME, at('2026-01-19T00:00:00Z'), at('2026-01-26T00:00:00Z'))).toBe(5 * 420);
  });

  it('excludes Christmas week holidays', () => {
    // Monday 21 – Sunday 27 December 2026: Christmas is on Friday → 4 business days
    expect(businessMinutesBetween(ROME, at('2026-12-20T23:00:00Z'), at('2026-12-27T23:00:00Z'))).toBe(4 * 420);
  });

  it('is negative when the interval is reversed', () => {
    expect(businessMinutesBetween(ROME, at('2026-01-15T14:00:00Z'), at('2026-01-15T11:00:00Z'))).toBe(-90);
  });

  it('measures real time on DST days', () => {
    // Sunday 29 March 2026 lasts 23 hours in Rome, Sunday 25 October 25 hours.
    expect(businessMinutesBetween(SUNDAY_ALL_DAY, at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(23 * 60);
    expect(businessMinutesBetween(SUNDAY_ALL_DAY, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(25 * 60);
    expect(addBusinessMinutes(SUNDAY_ALL_DAY, at('2026-03-28T23:00:00Z'), 23 * 60)).toEqual(at('2026-03-29T22:00:00Z'));
  });

  it('handles the skipped and the repeated hour', () => {
    const night: OfficeCalendar = { ...SUNDAY_ALL_DAY, weekly: { sun: [{ open: '02:00', close: '03:00' }] } };
    // 02:00–03:00 does not exist on 29 March and happens twice on 25 October.
    expect(businessMinutesBetween(night, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(0);
    expect(businessMinutesBetween(night, at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(120);
    expect(isOpenAt(night, at('2026-10-25T00:30:00Z'))).toBe(true); // 02:30 CEST
    expect(isOpenAt(night, at('2026-10-25T01:30:00Z'))).toBe(true); // 02:30 CET
  });

  it('is the inverse of addBusinessMinutes', () => {
    const starts = ['2026-01-15T06:00:00Z', '2026-03-27T15:45:00Z', '2026-10-23T12:10:00Z', '2026-12-23T15:00:00Z'];
    for (const start of starts) {
      for (const minutes of [1, 45, 270, 420, 1000, 5000]) {
        const due = addBusinessMinutes(ROME, at(start), minutes);
        expect(businessMinutesBetween(ROME, at(start), due)).toBe(minutes);
      }
    }
  });

  it('falls back to calendar minutes without opening hours', () => {
    expect(businessMinutesBetween({ ...ROME, weekly: {} }, at('2026-01-17T10:00:00Z'), at('2026-01-17T11:30:00Z'))).toBe(90);
  });
});

describe('validateCalendar', () => {
  it('accepts a good calendar and fills defaults', () => {
    const result = validateCalendar({
      weekly: { mon: [{ open: '14:30', close: '17:00' }, { open: '08:30', close: '13:00' }], sat: [{ open: '09:00', close: '24:00' }] },
    });
    expect(result).toEqual({
      ok: true,
      calendar: {
        timeZone: 'Europe/Rome',
        weekly: { mon: SPLIT_SHIFT, sat: [{ open: '09:00', close: '24:00' }] },
        closures: [],
        patronDays: [],
        observeNationalHolidays: true,
      },
    });
    expect(validateCalendar(ROME).ok).toBe(true);
  });

  it('names every bad field in Italian', () => {
    const result = validateCalendar({
      timeZone: 'Europe/Atlantide',
      weekly: {
        mon: [{ open: '8:30', close: '13:00' }],
        tue: [{ open: '13:00', close: '08:30' }],
        wed: [
          { open: '08:30', close: '13:00' },
          { open: '12:00', close: '14:00' },
        ],
        lun: [{ open: '08:00', close: '12:00' }],
        thu: [{ open: '08:00', close: '24:30' }],
      },
      closures: [
        { from: '2026-02-30', to: '2026-03-01' },
        { from: '2026-08-14', to: '2026-08-10' },
      ],
      patronDays: [{ month: 13, day: 1 }, { month: 4, day: 31 }],
      observeNationalHolidays: 'sì',
    });
    if (result.ok) throw new Error('expected errors');
    expect(result.errors).toEqual([
      'timeZone: fuso orario sconosciuto «Europe/Atlantide» (esempio: Europe/Rome).',
      'weekly.mon[0].open: orario non valido «8:30», usare il formato HH:MM.',
      "weekly.tue[0]: l'apertura (13:00) deve precedere la chiusura (08:30).",
      'weekly.wed: la fascia 12:00–14:00 si sovrappone alla fascia 08:30–13:00.',
      'weekly.lun: giorno della settimana sconosciuto (ammessi: mon, tue, wed, thu, fri, sat, sun).',
      'weekly.thu[0].close: orario non valido «24:30», usare il formato HH:MM.',
      'closures[0].from: data non valida «2026-02-30», usare il formato AAAA-MM-GG.',
      'closures[1]: la data di inizio (2026-08-14) è successiva alla data di fine (2026-08-10).',
      'patronDays[0].month: mese non valido «13» (1–12).',
      'patronDays[1].day: giorno non valido «31» per il mese 4.',
      'observeNationalHolidays: deve essere vero o falso.',
    ]);
    // The same problems in English, in the same order.
    expect(result.en).toHaveLength(result.errors.length);
    expect(result.en[1]).toBe('weekly.mon[0].open: invalid time “8:30”, use the HH:MM format.');
    expect(result.en[3]).toBe('weekly.wed: the range 12:00–14:00 overlaps the range 08:30–13:00.');
    for (const [i, en] of result.en.entries()) expect(en.split(':')[0], en).toBe(result.errors[i]!.split(':')[0]);
  });

  it('allows touching ranges and 29 February as a patron day', () => {
    const result = validateCalendar({
      timeZone: 'Europe/Rome',
      weekly: { fri: [{ open: '08:00', close: '12:00' }, { open: '12:00', close: '14:00' }] },
      closures: [{ from: '2026-08-10', to: '2026-08-10', reason: 'Ponte' }],
      patronDays: [{ month: 2, day: 29 }],
    });
    expect(result.ok).toBe(true);
  });

  it('rejects what is not an object or lacks weekly hours', () => {
    expect(validateCalendar(null)).toEqual({ ok: false, errors: ['Il calendario dell’ufficio deve essere un oggetto.'], en: ['The office calendar must be an object.'] });
    const result = validateCalendar({ timeZone: 'UTC', closures: 'none' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toContain('weekly: orari settimanali obbligatori (oggetto con chiavi mon…sun).');
      expect(result.errors).toContain('closures: deve essere un elenco di chiusure { from, to, reason }.');
    }
  });
});
