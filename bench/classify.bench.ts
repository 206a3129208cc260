/**
 * The topic suggester (issue 5) on real and realistic data, with the product's own training path.
 *
 *   npx tsx bench/classify.bench.ts [--quick]
 *
 * - Boston 311 (2015): CASE_TITLE → TYPE, trained on January–September (~94k rows), tested on
 *   October–December; next to a majority-class baseline and an exact-title lookup baseline (most
 *   frequent type of each title seen in training, else the majority class). Its training time is
 *   the "100,000 texts" scale measure.
 * - FAQ: trained on corpus titles+bodies labelled with `tema`, tested on the citizen/operator dev
 *   queries labelled with the `tema` of their first relevant FAQ. Nothing is tuned per query and
 *   the queries are never trained on.
 * - Training time on 100,000 mostly distinct texts (Boston title + closure note → TYPE).
 * - Prediction latency p95 per text, over both test sets (after a short warm-up).
 *
 * --quick: Boston training limited to every 5th row (~19k) (the training-time target is then
 * reported but not judged). Results: printed, and written to bench/results/classify.json.
 * URPNET_SHARED_DATA overrides the data directory (default ../shared/data).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { evaluateClassifier } from '../src/modules/classification/classifier-evaluation.js';
import { networkThesaurus, seedThesaurusAnalysis } from '../src/modules/classification/network-analysis.js';
import { predict, type TrainOptions, trainClassifier } from '../src/modules/classification/text-classifier.js';
import type { LabelledRecord } from '../src/modules/classification/training-augmentation.js';
import { faqCrossValidation, loadBoston, loadBostonWithNotes, loadFaq, topicTrainOptions } from './lib/classify-data.js';
import { buildCorpusIndex, loadCorpus, productTopicAccuracy } from './lib/quality-sets.js';

const quick = process.argv.includes('--quick');
const root = path.resolve(import.meta.dirname, '..');

const TARGETS = { faqAt1: 0.85, faqAt3: 0.95, p95Ms: 2, trainSeconds: 60 };
/** The product's training options: Italian stems and the network thesaurus (as `urpnet classify evaluate` by default). */
const PRODUCT: TrainOptions = { analysis: seedThesaurusAnalysis('it') };
/** The topic model's options as the product's training job sets them (label tree from the taxonomy). */
const PRODUCT_TOPICS: TrainOptions = topicTrainOptions(seedThesaurusAnalysis('it'));

/** Most frequent label (ties: alphabetical, so the baseline is deterministic). */
function mostFrequent(counts: Map<string, number>): string {
  let best = '';
  let bestCount = -1;
  for (const [label, n] of counts) if (n > bestCount || (n === bestCount && label < best)) [best, bestCount] = [label, n];
  return best;
}

function baselines(train: readonly LabelledRecord[], test: readonly LabelledRecord[]): { majority: number; lookup: number; unseenTitles: number } {
  const overall = new Map<string, number>();
  const byTitle = new Map<string, Map<string, number>>();
  for (const r of train) {
    const title = r.fields[0]!;
    overall.set(r.label, (overall.get(r.label) ?? 0) + 1);
    const counts = byTitle.get(title) ?? new Map<string, number>();
    byTitle.set(title, counts);
    counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  }
  const majority = mostFrequent(overall);
  const lookup = new Map([...byTitle].map(([title, counts]) => [title, mostFrequent(counts)]));
  let majorityHits = 0;
  let lookupHits = 0;
  let unseen = 0;
  for (const r of test) {
    const title = r.fields[0]!;
    if (r.label === majority) majorityHits++;
    if (!lookup.has(title)) unseen++;
    if ((lookup.get(title) ?? majority) === r.label) lookupHits++;
  }
  return { majority: majorityHits / test.length, lookup: lookupHits / test.length, unseenTitles: unseen / test.length };
}

const f3 = (x: number) => x.toFixed(3);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

const started = Date.now();
const boston = loadBoston();
// The file is grouped by case type: --quick takes every 5th row, not the first ones.
const bostonTrain = quick ? boston.train.filter((_, i) => i % 5 === 0) : boston.train;
const bostonBase = baselines(bostonTrain, boston.test);
const bostonResult = evaluateClassifier(bostonTrain, boston.test, { train: PRODUCT });
const faq = loadFaq();
// The product's training sources: the FAQs (title, body, tags) and the taxonomy's topic labels.
const faqTrain = [...faq.train, ...faq.taxonomy];
const faqResult = evaluateClassifier(faqTrain, faq.test, { train: PRODUCT_TOPICS });
// References: the FAQs alone, and surface features only (words, bigrams, character n-grams).
const faqOnly = evaluateClassifier(faq.train, faq.test, { train: PRODUCT_TOPICS });
const faqSurface = evaluateClassifier(faqTrain, faq.test);
const faqCv = faqCrossValidation(faq.train, PRODUCT_TOPICS, faq.taxonomy);
const faqCvSurface = faqCrossValidation(faq.train, {}, faq.taxonomy);
// What the operator sees: the model's topics with those of the FAQs the search finds (faq-topic-blend.ts),
// the search being the portal's index over the Italian corpus with the network thesaurus.
const corpus = loadCorpus();
const corpusIndex = buildCorpusIndex(
  corpus,
  networkThesaurus('it').map((terms) => ({ kind: 'synonym', terms, lang: 'it' })),
);
const faqProduct = productTopicAccuracy(faqResult.model, corpusIndex, new Map(corpus.map((f) => [f.id, f.tema])), faq.test);

const p95 = Math.max(bostonResult.predictP95Ms, faqResult.predictP95Ms);
// CPU time per prediction (5 passes over the FAQ queries): unlike wall time, not inflated when
// other processes share the machine.
const PASSES = 5;
const cpuBefore = process.cpuUsage();
for (let pass = 0; pass < PASSES; pass++) for (const r of faq.test) predict(faqResult.model, r.fields.join('\n\n'), 3);
const cpuAfter = process.cpuUsage(cpuBefore);
const faqCpuMeanMs = (cpuAfter.user + cpuAfter.system) / 1000 / (PASSES * faq.test.length);

// Boston titles repeat (≈3.4k distinct among 94k), which the trainer merges; the stress case
// gives it 100,000 mostly distinct, longer texts: title + the free-text closure note.
let stress: { texts: number; distinct: number; seconds: number; cpuSeconds: number } | null = null;
if (!quick) {
  const examples = loadBostonWithNotes(100_000).map((r) => ({ text: r.fields.join(' '), label: r.label }));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  trainClassifier(examples, PRODUCT);
  const cpu = process.cpuUsage(cpu0);
  // CPU time too: on a machine shared with other jobs, wall time measures the neighbours as well.
  stress = { texts: examples.length, distinct: new Set(examples.map((e) => e.text)).size, seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

const rows: [string, string, string, string][] = [
  ['Boston 311: majority-class baseline acc@1', f3(bostonBase.majority), '', ''],
  ['Boston 311: exact-title lookup baseline acc@1', f3(bostonBase.lookup), '', ''],
  ['Boston 311: model acc@1', f3(bostonResult.accuracyAt1), `≥ lookup ${f3(bostonBase.lookup)}`, verdict(bostonResult.accuracyAt1 >= bostonBase.lookup)],
  ['Boston 311: model acc@3', f3(bostonResult.accuracyAt3), '', ''],
  ['Boston 311: model macro-F1', f3(bostonResult.macroF1), '', ''],
  [`Boston 311: training time, ${bostonTrain.length} texts (s)`, bostonResult.trainSeconds.toFixed(2), `< ${TARGETS.trainSeconds}`, quick ? 'n/a (--quick)' : verdict(bostonResult.trainSeconds < TARGETS.trainSeconds)],
  [
    `training time, ${stress?.texts ?? '-'} texts, ${stress?.distinct ?? '-'} distinct (s)`,
    stress ? stress.seconds.toFixed(2) : 'skipped',
    `< ${TARGETS.trainSeconds}`,
    stress ? verdict(stress.seconds < TARGETS.trainSeconds) : 'n/a (--quick)',
  ],
  ['  same, CPU time of the training process (s)', stress ? stress.cpuSeconds.toFixed(2) : 'skipped', `< ${TARGETS.trainSeconds}`, stress ? verdict(stress.cpuSeconds < TARGETS.trainSeconds) : 'n/a (--quick)'],
  ['FAQ queries: model + FAQ search (product) acc@1', f3(faqProduct.at1), `≥ ${TARGETS.faqAt1}`, verdict(faqProduct.at1 >= TARGETS.faqAt1)],
  ['FAQ queries: model + FAQ search (product) acc@3', f3(faqProduct.at3), `≥ ${TARGETS.faqAt3}`, verdict(faqProduct.at3 >= TARGETS.faqAt3)],
  ['FAQ queries: model alone acc@1', f3(faqResult.accuracyAt1), `≥ ${TARGETS.faqAt1}`, verdict(faqResult.accuracyAt1 >= TARGETS.faqAt1)],
  ['FAQ queries: model alone acc@3', f3(faqResult.accuracyAt3), `≥ ${TARGETS.faqAt3}`, verdict(faqResult.accuracyAt3 >= TARGETS.faqAt3)],
  ['FAQ queries: model macro-F1', f3(faqResult.macroF1), '', ''],
  ['FAQ queries: FAQs only, no taxonomy labels acc@1 / @3', `${f3(faqOnly.accuracyAt1)} / ${f3(faqOnly.accuracyAt3)}`, '(reference)', ''],
  ['FAQ queries: surface features only acc@1 / @3', `${f3(faqSurface.accuracyAt1)} / ${f3(faqSurface.accuracyAt3)}`, '(reference)', ''],
  [`FAQ 5-fold held-out titles (${faqCv.cases}): model acc@1 / @3`, `${f3(faqCv.at1)} / ${f3(faqCv.at3)}`, '', ''],
  ['FAQ 5-fold held-out titles: surface only acc@1 / @3', `${f3(faqCvSurface.at1)} / ${f3(faqCvSurface.at3)}`, '(reference)', ''],
  ['FAQ: training time (s)', faqResult.trainSeconds.toFixed(2), '', ''],
  ['prediction p95 per text, Boston (ms)', bostonResult.predictP95Ms.toFixed(3), `< ${TARGETS.p95Ms}`, verdict(bostonResult.predictP95Ms < TARGETS.p95Ms)],
  ['prediction p95 per text, FAQ queries (ms)', faqResult.predictP95Ms.toFixed(3), `< ${TARGETS.p95Ms}`, verdict(faqResult.predictP95Ms < TARGETS.p95Ms)],
  ['prediction CPU time per FAQ query, mean (ms)', faqCpuMeanMs.toFixed(3), '', ''],
];

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['measure', 'value', 'target', 'result'][i]!.length));
const line = (r: readonly string[]) => r.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
process.stdout.write(`\nclassification benchmark${quick ? ' (--quick)' : ''}: ${os.cpus().length} CPUs, Node ${process.version}, load average at the end ${os.loadavg()[0]!.toFixed(1)}\n`);
process.stdout.write(`Boston: ${bostonTrain.length} training / ${boston.test.length} test rows, ${bostonResult.labels} types, ${f3(bostonBase.unseenTitles)} of test titles unseen in training\n`);
process.stdout.write(`FAQ: ${faq.train.length} FAQs / ${faqResult.labels} topics, ${faq.test.length} queries\n\n`);
process.stdout.write(`${line(['measure', 'value', 'target', 'result'])}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
for (const r of rows) process.stdout.write(`${line(r)}\n`);
process.stdout.write(`\n(total ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);

const result = {
  benchmark: 'classify',
  at: new Date().toISOString(),
  quick,
  machine: { cpus: os.cpus().length, node: process.version, totalMemoryMb: Math.round(os.totalmem() / 2 ** 20) },
  targets: TARGETS,
  boston: {
    trainRows: bostonTrain.length,
    testRows: boston.test.length,
    labels: bostonResult.labels,
    unseenTestTitles: bostonBase.unseenTitles,
    majorityAt1: bostonBase.majority,
    lookupAt1: bostonBase.lookup,
    modelAt1: bostonResult.accuracyAt1,
    modelAt3: bostonResult.accuracyAt3,
    macroF1: bostonResult.macroF1,
    trainSeconds: bostonResult.trainSeconds,
    predictP95Ms: bostonResult.predictP95Ms,
  },
  faq: {
    trainRecords: faq.train.length,
    labels: faqResult.labels,
    queries: faq.test.length,
    modelAt1: faqResult.accuracyAt1,
    modelAt3: faqResult.accuracyAt3,
    productAt1: faqProduct.at1,
    productAt3: faqProduct.at3,
    macroF1: faqResult.macroF1,
    trainSeconds: faqResult.trainSeconds,
    predictP95Ms: faqResult.predictP95Ms,
    faqOnlyAt1: faqOnly.accuracyAt1,
    faqOnlyAt3: faqOnly.accuracyAt3,
    surfaceOnlyAt1: faqSurface.accuracyAt1,
    surfaceOnlyAt3: faqSurface.accuracyAt3,
    crossValidation: { ...faqCv, surfaceOnlyAt1: faqCvSurface.at1, surfaceOnlyAt3: faqCvSurface.at3 },
  },
  distinctTextsStress: stress,
  predictP95Ms: p95,
  faqPredictCpuMeanMs: faqCpuMeanMs,
  pass: {
    bostonVsLookup: bostonResult.accuracyAt1 >= bostonBase.lookup,
    faqAt1: faqProduct.at1 >= TARGETS.faqAt1,
    faqAt3: faqProduct.at3 >= TARGETS.faqAt3,
    faqModelAloneAt1: faqResult.accuracyAt1 >= TARGETS.faqAt1,
    faqModelAloneAt3: faqResult.accuracyAt3 >= TARGETS.faqAt3,
    p95: p95 < TARGETS.p95Ms,
    trainSeconds: quick ? null : bostonResult.trainSeconds < TARGETS.trainSeconds,
    trainSecondsDistinct: stress ? stress.seconds < TARGETS.trainSeconds : null,
  },
};
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/classify.json'), `${JSON.stringify(result, null, 2)}\n`);
