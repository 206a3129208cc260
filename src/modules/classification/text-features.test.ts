import { describe, expect, it } from 'vitest';
import { countTerms, DEFAULT_FEATURE_OPTIONS, normaliseText, tokenize } from './text-features.js';

describe('normaliseText / tokenize', () => {
  it('lowercases, folds accents and splits Italian elisions', () => {
    expect(normaliseText("Perché l'Anagrafe è CHIUSA? Città: Celano")).toBe('perche l anagrafe e chiusa citta celano');
    expect(tokenize("dell’ISEE, all'URP… e po' di più")).toEqual(['dell', 'isee', 'all', 'urp', 'e', 'po', 'di', 'piu']);
  });

  it('keeps letters of other scripts and digits, drops punctuation', () => {
    expect(tokenize('Straße 12/B — Ελλάδα, 2024!')).toEqual(['straße', '12', 'b', 'ελλαδα', '2024']);
    expect(tokenize('  ...  ')).toEqual([]);
  });
});

describe('countTerms', () => {
  it('hashes words, bigrams and padded character n-grams into separate families', () => {
    const counts = countTerms('tari tari', DEFAULT_FEATURE_OPTIONS);
    expect([...counts.word.values()]).toEqual([2]);
    expect([...counts.bigram.values()]).toEqual([1]);
    // "<tari>": 4 trigrams + 3 four-grams + 2 five-grams, each seen twice
    expect(counts.char.size).toBe(9);
    expect([...counts.char.values()].every((n) => n === 2)).toBe(true);
  });

  it('makes an accented and an unaccented spelling identical', () => {
    const a = countTerms(normaliseText('città più'), DEFAULT_FEATURE_OPTIONS);
    const b = countTerms(normaliseText('citta piu'), DEFAULT_FEATURE_OPTIONS);
    expect([...a.char.keys()].sort()).toEqual([...b.char.keys()].sort());
  });

  it('gives a short word its whole padded form', () => {
    const counts = countTerms('a', DEFAULT_FEATURE_OPTIONS);
    expect(counts.char.size).toBe(1);
  });
});
