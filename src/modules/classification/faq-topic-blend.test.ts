import { describe, expect, it } from 'vitest';
import { blendFaqTopics } from './faq-topic-blend.js';

describe('FAQ topics in the topic suggestions', () => {
  const labels = ['tributi.tari', 'tributi.pagopa', 'anagrafe'];
  const p = Float64Array.from([0.3, 0.4, 0.3]);

  it('adds the topics of the FAQs found, the best one most, and keeps a distribution', () => {
    const out = blendFaqTopics(labels, p, [
      { topic: 'tributi.tari', score: 8 },
      { topic: 'anagrafe', score: 2 },
      { topic: 'sconosciuto', score: 1 },
      { topic: null, score: 1 },
    ]);
    expect(out[0]).toBeGreaterThan(out[1]!);
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(out[2]! / out[1]!).toBeCloseTo((0.3 + 0.2 * 0.25) / 0.4, 10);
  });

  it('leaves the distribution as it is without hits', () => {
    expect(blendFaqTopics(labels, p, [])).toBe(p);
  });
});
