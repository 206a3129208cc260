import { describe, expect, it } from 'vitest';
import { DICTIONARIES, formatDateTime, interpolate, readStoredLocale, translateCode, translator } from '../src/i18n/index.js';
import { it as itMessages } from '../src/i18n/it.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  for (const [locale, messages] of Object.entries(DICTIONARIES)) {
    it(`${locale} has exactly the Italian keys, none empty`, () => {
      expect(Object.keys(messages).sort()).toEqual(Object.keys(itMessages).sort());
      for (const [key, value] of Object.entries(messages)) expect(value.trim(), key).not.toBe('');
    });

    it(`${locale} uses the same placeholders as Italian`, () => {
      for (const [key, value] of Object.entries(messages)) {
        expect(placeholders(value), key).toEqual(placeholders(itMessages[key as keyof typeof itMessages]));
      }
    });
  }

  it('has the conflict message the operators know', () => {
    expect(itMessages['ticket.conflict']).toContain('Il ticket è stato modificato da un altro operatore: ricarica');
    expect(itMessages['ticket.thread.note']).toBe('Nota interna');
  });
});

describe('translation helpers', () => {
  it('interpolates named parameters and leaves unknown ones', () => {
    expect(interpolate('Ciao {name}, {n} ticket {x}', { name: 'Ada', n: 3 })).toBe('Ciao Ada, 3 ticket {x}');
  });

  it('translates server codes, falling back to the code', () => {
    const t = translator('en');
    expect(translateCode(t, 'status', 'resolved')).toBe('Resolved');
    expect(translateCode(t, 'status', 'something_new')).toBe('something_new');
  });

  it('reads the stored language, defaulting to Italian', () => {
    expect(readStoredLocale({ getItem: () => 'en' })).toBe('en');
    expect(readStoredLocale({ getItem: () => 'fr' })).toBe('it');
    expect(readStoredLocale({ getItem: () => null })).toBe('it');
    expect(
      readStoredLocale({
        getItem: () => {
          throw new Error('denied');
        },
      }),
    ).toBe('it');
    expect(readStoredLocale(undefined)).toBe('it');
  });
});

describe('dates in Rome time', () => {
  it('formats in Europe/Rome whatever the machine zone (winter and summer time)', () => {
    expect(formatDateTime('2026-01-15T23:30:00Z', 'it')).toBe('16/01/26, 00:30');
    expect(formatDateTime('2026-07-01T10:00:00Z', 'it')).toBe('01/07/26, 12:00');
    expect(formatDateTime('2026-07-01T10:00:00Z', 'en')).toBe('01/07/2026, 12:00');
    expect(formatDateTime('2026-07-01T10:00:00Z', 'it', 'date')).toBe('01/07/26');
  });

  it('shows a dash for missing dates and the raw text for bad ones', () => {
    expect(formatDateTime(null, 'it')).toBe('—');
    expect(formatDateTime('boh', 'it')).toBe('boh');
  });
});
