/**
 * Held-out quality of topic suggestions and FAQ search (issue 9, point 24), in-process and in a
 * few seconds, next to the development numbers so that a change is judged on text nobody tuned on:
 *
 * - FAQ search (the portal's index over the Italian corpus, the network thesaurus):
 *   development queries (overall and citizen), the held-out citizen queries of
 *   test/fixtures/quality-heldout, and a 5-fold check on the corpus itself: each FAQ's title is the
 *   query while the index holds that FAQ without its title and tags.
 * - Topic suggestions (the product's classifier trained as the product trains it: FAQs with their
 *   tags and the taxonomy's topic labels, as `classify.bench`): the
 *   development queries, the held-out contact texts (per shape), the held-out citizen queries
 *   labelled with their FAQ's topic, and the 5-fold check on titles.
 *
 *   npx tsx bench/quality-heldout.bench.ts [--thesaurus=network|seed] [--tuning='{"topicWeight":0}'] [--no-lexicon] [--misses]
 *
 * The search uses the Italian lexicon shipped in data-seed/lexicon (as the portal does);
 * as the portal does; `--no-lexicon` leaves it out.
 *
 * `network` (default) is the thesaurus a new network gets today (seed plus revisions), `seed` the
 * first one as migration 0003 wrote it. Results: printed, and written to bench/results/quality-heldout.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { networkThesaurus, seedThesaurusAnalysis } from '../src/modules/classification/network-analysis.js';
import type { LabelledRecord } from '../src/modules/classification/training-augmentation.js';
import { evaluateClassifier, trainFromRecords } from '../src/modules/classification/classifier-evaluation.js';
import { blendFaqTopics, FAQ_TOPIC_HITS } from '../src/modules/classification/faq-topic-blend.js';
import { predictDistribution, type TextClassifierModel, type TrainOptions } from '../src/modules/classification/text-classifier.js';
import { italianLexicon } from '../src/platform/text/lexicon.js';
import type { FaqSearchIndex, SearchTuning } from '../src/modules/knowledge/search-index.js';
import type { ThesaurusEntry } from '../src/platform/text/thesaurus.js';
import { SEED_THESAURUS } from '../src/db/migrations/0003-knowledge.js';
import { faqCrossValidation, loadFaq, topicTrainOptions } from './lib/classify-data.js';
import { buildCorpusIndex, loadCorpus, loadDevQueries, loadHeldoutQueries, loadHeldoutTopics, type LabelledQuery, productTopicAccuracy, rankMetrics, topicAccuracy } from './lib/quality-sets.js';

const args = process.argv.slice(2);
const which = args.find((a) => a.startsWith('--thesaurus='))?.slice('--thesaurus='.length) ?? 'network';
/** Search tuning to try instead of the defaults (a JSON object of `SearchTuning` fields). */
const tuning = JSON.parse(args.find((a) => a.startsWith('--tuning='))?.slice('--tuning='.length) ?? '{}') as Partial<SearchTuning>;
const root = path.resolve(import.meta.dirname, '..');

const groups: readonly (readonly string[])[] = which === 'seed' ? SEED_THESAURUS.map((e) => e.terms) : networkThesaurus('it');
const thesaurus: ThesaurusEntry[] = groups.map((terms) => ({ kind: 'synonym', terms: [...terms], lang: 'it' }));
// The topic model's options as the product's training job sets them.
const analysis: TrainOptions = topicTrainOptions(which === 'seed' ? { lang: 'it', thesaurus: groups } : seedThesaurusAnalysis('it'));

const corpus = loadCorpus();
const temaOf = new Map(corpus.map((f) => [f.id, f.tema]));
const dev = loadDevQueries();
const heldQueries = loadHeldoutQueries();
const heldTopics = loadHeldoutTopics();

// FAQ search.
const lexicon = args.includes('--no-lexicon') ? new Map<string, string[]>() : italianLexicon();
const index = buildCorpusIndex(corpus, thesaurus, { tuning, lexicon });
const rank = (q: string) => index.search(q, { limit: 10 }).hits.map((h) => h.id);
const devSearch = rankMetrics(dev, rank);
const heldSearch = rankMetrics(heldQueries, rank);
const K = 5;
const titleQueries: LabelledQuery[] = corpus.map((f) => ({ qid: f.id, query: f.title, relevant: [f.id], kind: 'title' }));
const foldHits: RankMetrics[] = [];
type RankMetrics = ReturnType<typeof rankMetrics> extends Map<string, infer M> ? M : never;
for (let k = 0; k < K; k++) {
  const held = titleQueries.filter((_, i) => i % K === k);
  const foldIndex = buildCorpusIndex(corpus, thesaurus, { blankTitles: new Set(held.map((q) => q.qid)), tuning, lexicon });
  foldHits.push(rankMetrics(held, (q) => foldIndex.search(q, { limit: 10 }).hits.map((h) => h.id)).get('overall')!);
}
const pooled = (ms: readonly RankMetrics[]) => {
  const n = ms.reduce((a, m) => a + m.n, 0);
  const w = (f: (m: RankMetrics) => number) => ms.reduce((a, m) => a + f(m) * m.n, 0) / n;
  return { n, r1: w((m) => m.r1), r5: w((m) => m.r5), mrr: w((m) => m.mrr) };
};
const titleFolds = pooled(foldHits);

// Topic suggestions.
const faq = loadFaq();
// The product's training sources: FAQs (title, body, tags) and the taxonomy's topic labels.
const trainSet = [...faq.train, ...faq.taxonomy];
const devTopics = evaluateClassifier(trainSet, faq.test, { train: analysis });
const heldTopicRecords: LabelledRecord[] = heldTopics.map((t) => ({ fields: [t.text], label: t.tema }));
const heldTopicResult = evaluateClassifier(trainSet, heldTopicRecords, { train: analysis });
const heldQueryRecords: LabelledRecord[] = heldQueries.map((q) => ({ fields: [q.query], label: temaOf.get(q.relevant[0]!)! }));
const heldQueryTopics = evaluateClassifier(trainSet, heldQueryRecords, { train: analysis });
const topicCv = faqCrossValidation(faq.train, analysis, faq.taxonomy);

// Topic suggestions as the product makes them: the model's distribution with the topics of the FAQs
// the search finds (faq-topic-blend.ts).
const productTopics = (model: TextClassifierModel, searchIndex: FaqSearchIndex, records: readonly LabelledRecord[]) => productTopicAccuracy(model, searchIndex, temaOf, records);
const devProduct = productTopics(devTopics.model, index, faq.test);
const heldTextsProduct = productTopics(devTopics.model, index, heldTopicRecords);
const heldQueriesProduct = productTopics(devTopics.model, index, heldQueryRecords);
// 5-fold over the Italian corpus: each held FAQ's title is left out of the model's training and of the index.
const blendFolds = { model: [] as { gold: string; ranked: string[] }[], product: [] as { gold: string; ranked: string[] }[] };
for (let k = 0; k < K; k++) {
  const held = corpus.filter((_, i) => i % K === k);
  const heldTitles = new Set(held.map((f) => f.title));
  const fold = faq.train.filter((r) => !heldTitles.has(r.fields[0]!));
  const labels = new Set(fold.map((r) => r.label));
  const { model } = trainFromRecords([...fold, ...faq.taxonomy], { train: analysis });
  const foldIndex = buildCorpusIndex(corpus, thesaurus, { blankTitles: new Set(held.map((f) => f.id)), tuning, lexicon });
  for (const f of held.filter((h) => labels.has(h.tema))) {
    const p = predictDistribution(model, f.title);
    const hits = foldIndex.search(f.title, { limit: FAQ_TOPIC_HITS }).hits.map((h) => ({ topic: temaOf.get(h.id) ?? null, score: h.score }));
    const rank = (q: Float64Array) => [...q.keys()].sort((a, b) => q[b]! - q[a]! || a - b).slice(0, 3).map((i) => model.labels[i]!);
    blendFolds.model.push({ gold: f.tema, ranked: rank(p) });
    blendFolds.product.push({ gold: f.tema, ranked: rank(blendFaqTopics(model.labels, p, hits)) });
  }
}
const foldsModel = topicAccuracy(blendFolds.model);
const foldsProduct = topicAccuracy(blendFolds.product);
const byShape = new Map<string, { n: number; at1: number }>();
heldTopicResult.cases.forEach((c, i) => {
  const s = byShape.get(heldTopics[i]!.shape) ?? { n: 0, at1: 0 };
  s.n++;
  if (c.ranked[0] === c.gold) s.at1++;
  byShape.set(heldTopics[i]!.shape, s);
});

const f3 = (x: number) => x.toFixed(3);
const rows: [string, string][] = [
  [`search, dev queries overall (${devSearch.get('overall')!.n}): R@1 / R@5 / MRR@10`, `${f3(devSearch.get('overall')!.r1)} / ${f3(devSearch.get('overall')!.r5)} / ${f3(devSearch.get('overall')!.mrr)}`],
  [`search, dev citizen queries (${devSearch.get('citizen')!.n}): R@1 / R@5 / MRR@10`, `${f3(devSearch.get('citizen')!.r1)} / ${f3(devSearch.get('citizen')!.r5)} / ${f3(devSearch.get('citizen')!.mrr)}`],
  [`search, HELD-OUT citizen queries (${heldSearch.get('overall')!.n}): R@1 / R@5 / MRR@10`, `${f3(heldSearch.get('overall')!.r1)} / ${f3(heldSearch.get('overall')!.r5)} / ${f3(heldSearch.get('overall')!.mrr)}`],
  [`search, 5-fold corpus titles (${titleFolds.n}): R@1 / R@5 / MRR@10`, `${f3(titleFolds.r1)} / ${f3(titleFolds.r5)} / ${f3(titleFolds.mrr)}`],
  [`topics, dev queries (${faq.test.length}): acc@1 / acc@3`, `${f3(devTopics.accuracyAt1)} / ${f3(devTopics.accuracyAt3)}`],
  [`topics, HELD-OUT contact texts (${heldTopics.length}): acc@1 / acc@3`, `${f3(heldTopicResult.accuracyAt1)} / ${f3(heldTopicResult.accuracyAt3)}`],
  [`topics, HELD-OUT citizen queries (${heldQueries.length}): acc@1 / acc@3`, `${f3(heldQueryTopics.accuracyAt1)} / ${f3(heldQueryTopics.accuracyAt3)}`],
  [`topics, 5-fold corpus titles (${topicCv.cases}): acc@1 / acc@3`, `${f3(topicCv.at1)} / ${f3(topicCv.at3)}`],
  [`topics + FAQ search (product), dev queries: acc@1 / acc@3`, `${f3(devProduct.at1)} / ${f3(devProduct.at3)}`],
  [`topics + FAQ search (product), HELD-OUT contact texts: acc@1 / acc@3`, `${f3(heldTextsProduct.at1)} / ${f3(heldTextsProduct.at3)}`],
  [`topics + FAQ search (product), HELD-OUT citizen queries: acc@1 / acc@3`, `${f3(heldQueriesProduct.at1)} / ${f3(heldQueriesProduct.at3)}`],
  [`topics, 5-fold Italian titles out of model and index (${blendFolds.model.length}): model / + FAQ search acc@1`, `${f3(foldsModel.at1)} / ${f3(foldsProduct.at1)}`],
  [`topics, same: model / + FAQ search acc@3`, `${f3(foldsModel.at3)} / ${f3(foldsProduct.at3)}`],
  ...[...byShape].sort().map(([shape, s]): [string, string] => [`  held-out contact texts, ${shape} (${s.n}): acc@1`, f3(s.at1 / s.n)]),
];
const width = Math.max(...rows.map((r) => r[0].length));
process.stdout.write(`\nheld-out quality, thesaurus "${which}" (${groups.length} groups), Italian lexicon ${lexicon.size} words, ${corpus.length} Italian FAQs\n\n`);
for (const [name, value] of rows) process.stdout.write(`${name.padEnd(width)}  ${value}\n`);

if (args.includes('--misses')) {
  process.stdout.write('\nheld-out search misses (not in the top 5):\n');
  for (const q of heldQueries) {
    const ids = rank(q.query).slice(0, 5);
    if (!ids.some((id) => q.relevant.includes(id))) process.stdout.write(`  ${q.qid} ${q.query} → want ${q.relevant.join(',')} got ${ids.join(',')}\n`);
  }
  process.stdout.write('\nheld-out topic misses (@1):\n');
  heldTopicResult.cases.forEach((c, i) => {
    if (c.ranked[0] !== c.gold) process.stdout.write(`  ${heldTopics[i]!.id} ${heldTopics[i]!.text.slice(0, 80)} → want ${c.gold} got ${c.ranked.join(',')}\n`);
  });
}

mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(
  path.join(root, 'bench/results/quality-heldout.json'),
  `${JSON.stringify(
    {
      benchmark: 'quality-heldout',
      at: new Date().toISOString(),
      thesaurus: which,
      lexiconWords: lexicon.size,
      search: { dev: Object.fromEntries(devSearch), heldout: heldSearch.get('overall'), titleFolds },
      topics: {
        dev: { at1: devTopics.accuracyAt1, at3: devTopics.accuracyAt3 },
        heldoutTexts: { at1: heldTopicResult.accuracyAt1, at3: heldTopicResult.accuracyAt3, byShape: Object.fromEntries(byShape) },
        heldoutQueries: { at1: heldQueryTopics.accuracyAt1, at3: heldQueryTopics.accuracyAt3 },
        titleFolds: topicCv,
        product: { dev: devProduct, heldoutTexts: heldTextsProduct, heldoutQueries: heldQueriesProduct, titleFolds: { n: blendFolds.model.length, model: foldsModel, product: foldsProduct } },
      },
    },
    null,
    2,
  )}\n`,
);
