import { describe, expect, it } from 'vitest';
import { parseRequesterSearch } from './requester-search.js';

describe('reading an inbox search as a requester', () => {
  it('takes names and e-mails as words, lower case and without accents', () => {
    expect(parseRequesterSearch('  Niccolò  RUSSO ')).toEqual({ words: ['niccolo', 'russo'], phoneDigits: null, fiscalCode: null });
    expect(parseRequesterSearch('A.Neri@Example.org')?.words).toEqual(['a.neri@example.org']);
  });

  it('reads a phone number as dictated, without the Italian prefix', () => {
    for (const q of ['+39 347 555 1234', '0039 347 555 1234', '347-555-1234', '(347) 5551234']) expect(parseRequesterSearch(q)?.phoneDigits, q).toBe('3475551234');
    expect(parseRequesterSearch('0863 123456')?.phoneDigits).toBe('0863123456');
    expect(parseRequesterSearch('12345')?.phoneDigits ?? null).toBeNull();
  });

  it('recognises a whole codice fiscale, of a person or of a company', () => {
    expect(parseRequesterSearch('bncmra80a41c426x')?.fiscalCode).toBe('BNCMRA80A41C426X');
    expect(parseRequesterSearch('01234567890')?.fiscalCode).toBe('01234567890');
    expect(parseRequesterSearch('BNCMRA80')?.fiscalCode ?? null).toBeNull();
  });

  it('ignores searches too short to narrow anything', () => {
    expect(parseRequesterSearch('ab')).toBeNull();
    expect(parseRequesterSearch('  ')).toBeNull();
  });
});
