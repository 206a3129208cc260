import { describe, expect, it } from 'vitest';
import { DocumentFrequencies, features, scorer } from './similar-ranking.js';

const corpus = {
  query: 'Carcassa di auto vicino al Parco Archeologico, senza targhe e con i finestrini rotti',
  mateA: 'Auto abbandonata in via Tisia vicino al Parco Archeologico, senza targa e con i vetri rotti',
  mateB: 'Macchina abbandonata in via Tisia, senza targa e piena di rifiuti, ferma da mesi',
  other: 'Buca profonda in via Roma davanti alla scuola, pericolo per gli scooter',
};

function ranking() {
  const f = Object.fromEntries(Object.entries(corpus).map(([k, v]) => [k, features(v)])) as Record<keyof typeof corpus, ReturnType<typeof features>>;
  const df = new DocumentFrequencies();
  for (const k of ['mateA', 'mateB', 'other'] as const) df.add(f[k]);
  return { f, first: scorer(f.query, df) };
}

describe('similar-ticket scoring', () => {
  it('scores a report of the same problem above an unrelated one, with the shared stems counted', () => {
    const { f, first } = ranking();
    const a = first.score(f.mateA);
    expect(a.stems).toBeGreaterThan(0);
    expect(a.total).toBeGreaterThan(first.score(f.other).total);
  });

  it('moved towards its best match, the query finds the report that shares words with that match but few with the query', () => {
    const { f, first } = ranking();
    const moved = first.towards([f.mateA], 0.5);
    // mateB shares "via Tisia" and "abbandonata" with mateA, not with the query.
    expect(moved.score(f.mateB).total).toBeGreaterThan(first.score(f.mateB).total);
    expect(moved.score(f.mateB).total).toBeGreaterThan(moved.score(f.other).total);
    // Scores stay cosines of normalised vectors.
    expect(moved.score(f.mateA).total).toBeLessThanOrEqual(1);
  });

  it('without feedback documents or weight the query is unchanged', () => {
    const { f, first } = ranking();
    expect(first.towards([], 0.5).score(f.mateB)).toEqual(first.score(f.mateB));
    expect(first.towards([f.mateA], 0).score(f.mateB)).toEqual(first.score(f.mateB));
  });
});
