import { describe, expect, it } from 'vitest';
import { invalidClosures, invalidShifts, normaliseCalendar } from '../src/lib/calendar.js';
import { changeLines, formatChangeValue } from '../src/lib/history.js';

describe('history changes', () => {
  it('formats people, nulls, lists and codes', () => {
    expect(formatChangeValue({ id: 'u1', name: 'Anna Bianchi' })).toBe('Anna Bianchi');
    expect(formatChangeValue(null)).toBe('—');
    expect(formatChangeValue(['a', 'b'], (c) => c.toUpperCase())).toBe('A, B');
    expect(formatChangeValue('resolved', (c) => (c === 'resolved' ? 'Risolto' : c))).toBe('Risolto');
    expect(formatChangeValue(3)).toBe('3');
  });

  it('splits a classification change into one line per changed facet', () => {
    const lines = changeLines({
      changes: {
        status: { from: 'new', to: 'open' },
        classification: { from: { tema: 'a', tipo: 'x' }, to: { tema: 'b', tipo: 'x', utente: 'cittadino' } },
      },
    });
    expect(lines).toEqual([
      { field: 'status', from: 'new', to: 'open' },
      { field: 'classification.tema', from: 'a', to: 'b' },
      { field: 'classification.utente', from: undefined, to: 'cittadino' },
    ]);
  });
});

describe('office calendar', () => {
  it('flags shifts that close before they open or overlap', () => {
    expect(
      invalidShifts({
        mon: [
          { open: '08:30', close: '13:00' },
          { open: '12:00', close: '17:00' },
        ],
        tue: [{ open: '14:00', close: '09:00' }],
        wed: [
          { open: '08:30', close: '13:00' },
          { open: '15:00', close: '17:30' },
        ],
      }),
    ).toEqual({ mon: [1], tue: [0] });
  });

  it('flags closures that end before they start', () => {
    expect(invalidClosures([{ from: '2026-12-24', to: '2026-12-26' }, { from: '2026-08-16', to: '2026-08-14' }, { from: '', to: '' }])).toEqual([1, 2]);
  });

  it('sorts shifts, drops empty days and blank reasons', () => {
    expect(
      normaliseCalendar({
        timeZone: '',
        weekly: { fri: [{ open: '15:00', close: '17:00' }, { open: '09:00', close: '12:00' }], sat: [] },
        closures: [{ from: '2026-12-24', to: '2026-12-26', reason: '  ' }],
      }),
    ).toEqual({
      timeZone: 'Europe/Rome',
      weekly: { fri: [{ open: '09:00', close: '12:00' }, { open: '15:00', close: '17:00' }] },
      closures: [{ from: '2026-12-24', to: '2026-12-26' }],
    });
  });
});
