/**
 * What a new network's topic suggester and FAQ search learn from (issue 9, point 24): the thesaurus
 * without the phrases fitted to the development queries, and FAQs with their editors' tags.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { THESAURUS_PHRASES_REMOVED } from '../src/db/migrations/0020-thesaurus-revision.js';
import { networkThesaurus } from '../src/modules/classification/network-analysis.js';
import { collectTrainingSources, loadTrainingData } from '../src/modules/classification/training-job.js';
import { currentTaxonomy } from '../src/modules/taxonomy/index.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

const key = (groups: readonly (readonly string[])[]) => groups.map((g) => JSON.stringify(g)).sort();

describe('network thesaurus', () => {
  it('drops the phrases that occur only in the development queries, and the tools see what the database holds', async () => {
    const rows = await t.database.db.selectFrom('faq_thesaurus').select(['terms']).where('lang', '=', 'it').execute();
    const stored = rows.map((r) => r.terms as string[]);
    const phrases = new Set(stored.flat());
    for (const { phrase } of THESAURUS_PHRASES_REMOVED) expect(phrases.has(phrase), phrase).toBe(false);
    // Plain Italian that the corpus does use stays.
    for (const kept of ['rifiuti', 'auto', 'medico di base', 'polizia municipale']) expect(phrases.has(kept), kept).toBe(true);
    expect(key(stored)).toEqual(key(networkThesaurus('it')));
    for (const group of stored) expect(group.length).toBeGreaterThanOrEqual(2);
  });
});

describe('classifier training sources', () => {
  it('train on each published FAQ with its tags', async () => {
    const data = await loadTrainingData(t.database.db);
    const tagged = data.faqs.find((f) => f.tags.length > 0 && f.tema);
    expect(tagged, 'the demo network has tagged FAQs').toBeDefined();
    const tax = await currentTaxonomy(t.database.db);
    const { sources } = collectTrainingSources(tax, 'tema', { ...data, faqs: [tagged!] });
    const faqText = sources.find((s) => s.kind === 'faq')!.text;
    expect(faqText).toContain(tagged!.title);
    for (const tag of tagged!.tags) expect(faqText).toContain(tag);
  });
});
