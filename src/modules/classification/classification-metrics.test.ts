import { describe, expect, it } from 'vitest';
import { accuracyAtK, macroF1, percentile } from './classification-metrics.js';

const cases = [
  { gold: 'a', ranked: ['a', 'b', 'c'] },
  { gold: 'a', ranked: ['b', 'a', 'c'] },
  { gold: 'b', ranked: ['b', 'c', 'a'] },
  { gold: 'c', ranked: ['a', 'b', 'd'] },
];

describe('classification metrics', () => {
  it('computes accuracy at 1 and 3', () => {
    expect(accuracyAtK(cases, 1)).toBe(0.5);
    expect(accuracyAtK(cases, 3)).toBe(0.75);
    expect(accuracyAtK([], 1)).toBe(0);
  });

  it('macro-averages F1 over gold and predicted labels', () => {
    // a: tp1 fp1 fn1 → 0.5; b: tp1 fp1 → 2/3; c: fn1 → 0
    expect(macroF1(cases)).toBeCloseTo((0.5 + 2 / 3 + 0) / 3, 10);
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([], 95)).toBe(0);
  });
});
