import { describe, expect, it } from 'vitest';
import { findEmergingTerms, meaningfulTerm } from './emerging-terms.js';

describe('emerging terms', () => {
  it('finds a phrase that bursts against its history, and not the words that are always there', () => {
    const terms = findEmergingTerms(
      [
        { term: 'bonus', recent: 40, baseline: 30 },
        { term: 'bonus mamme', recent: 36, baseline: 0 },
        { term: 'mamme', recent: 36, baseline: 2 },
        { term: 'tari', recent: 50, baseline: 400 },
        { term: 'sito', recent: 12, baseline: 80 },
      ],
      1000,
      8000,
    );
    // "bonus" and "mamme" burst too, but through the phrase: reported once, as the phrase.
    expect(terms.map((t) => t.term)).toEqual(['bonus mamme']);
    expect(terms[0]!.expected).toBeCloseTo(0.06, 2);
  });

  it('uses shares: a half-filled recent window does not fake a drop or a burst', () => {
    // The same share in both windows: nothing, however many documents are in each.
    expect(findEmergingTerms([{ term: 'passaporto', recent: 10, baseline: 80 }], 100, 800)).toEqual([]);
  });

  it('ignores placeholders, numbers, stop words and rare terms', () => {
    expect(meaningfulTerm('persona')).toBe(false);
    expect(meaningfulTerm('2026')).toBe(false);
    expect(meaningfulTerm('non della')).toBe(false);
    expect(meaningfulTerm('non funziona')).toBe(true);
    expect(findEmergingTerms([{ term: 'carnevale', recent: 3, baseline: 0 }], 1000, 8000)).toEqual([]);
  });
});
