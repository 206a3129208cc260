/**
 * The two evaluation sets of the classification benchmark, read with the product's own readers:
 * Boston 311 (2015) split by opening date, and the FAQ corpus against the citizen queries.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateClassifier } from '../../src/modules/classification/classifier-evaluation.js';
import type { TrainOptions } from '../../src/modules/classification/text-classifier.js';
import { readTabularFile } from '../../src/modules/classification/tabular-input.js';
import type { TextAnalysisSpec } from '../../src/modules/classification/concept-analysis.js';
import type { LabelledRecord } from '../../src/modules/classification/training-augmentation.js';
import { collectTrainingSources, facetTrainOptions } from '../../src/modules/classification/training-job.js';
import { type IndexedTaxonomy, indexTaxonomy, type TaxonomyDocument } from '../../src/modules/taxonomy/taxonomy.js';

export const SHARED_DATA = process.env.URPNET_SHARED_DATA ?? path.resolve(import.meta.dirname, '../../../shared/data');
export const BOSTON_FILE = path.join(SHARED_DATA, 'real/boston-311-2015.csv.gz');
export const FAQ_CORPUS_FILE = path.join(SHARED_DATA, 'faq/corpus.jsonl');
export const FAQ_QUERIES_FILE = path.join(SHARED_DATA, 'faq/dev-queries.jsonl');
export const TAXONOMY_FILE = path.join(SHARED_DATA, 'taxonomy/urp-taxonomy.json');

export interface Split {
  train: LabelledRecord[];
  test: LabelledRecord[];
}

function column(fields: string[], name: string, file: string): number {
  const at = fields.indexOf(name);
  if (at < 0) throw new Error(`${file}: column ${name} missing (have ${fields.join(', ')})`);
  return at;
}

/** January–September for training, October–December for testing, by OPEN_DT (MM/DD/YYYY …). */
export function loadBoston(file = BOSTON_FILE): Split {
  const data = readTabularFile(file);
  const title = column(data.fields, 'CASE_TITLE', file);
  const type = column(data.fields, 'TYPE', file);
  const opened = column(data.fields, 'OPEN_DT', file);
  const split: Split = { train: [], test: [] };
  for (const row of data.rows) {
    const month = /^(\d{1,2})\//.exec(row[opened] ?? '')?.[1];
    const text = (row[title] ?? '').trim();
    const label = (row[type] ?? '').trim();
    if (!month || text === '' || label === '') continue;
    (Number(month) <= 9 ? split.train : split.test).push({ fields: [text], label });
  }
  return split;
}

/** The first `limit` Boston rows as title + free-text closure note → TYPE: long, mostly distinct texts. */
export function loadBostonWithNotes(limit: number, file = BOSTON_FILE): LabelledRecord[] {
  const data = readTabularFile(file);
  const title = column(data.fields, 'CASE_TITLE', file);
  const note = column(data.fields, 'CLOSURE_REASON', file);
  const type = column(data.fields, 'TYPE', file);
  return data.rows
    .filter((row) => (row[type] ?? '').trim() !== '')
    .slice(0, limit)
    .map((row) => ({ fields: [row[title] ?? '', row[note] ?? ''], label: row[type]!.trim() }));
}

export interface FaqSplit extends Split {
  /** The taxonomy's topic nodes (labels and descriptions), which the product trains on as well. */
  taxonomy: LabelledRecord[];
}

/** The shared taxonomy, indexed as the product indexes it. */
export function loadTaxonomy(file = TAXONOMY_FILE): IndexedTaxonomy {
  return indexTaxonomy(JSON.parse(readFileSync(file, 'utf8')) as TaxonomyDocument);
}

/** Every active topic node as the product's training job turns it into an example. */
export function taxonomyTopicRecords(tax = loadTaxonomy()): LabelledRecord[] {
  return collectTrainingSources(tax, 'tema', { faqs: [], tickets: [] }).sources.map((s) => ({ fields: [s.text], label: s.code }));
}

/** The options the product trains the topic model with (label tree from the taxonomy, feature cap, seed). */
export function topicTrainOptions(analysis: TextAnalysisSpec, tax = loadTaxonomy()): TrainOptions {
  return facetTrainOptions(tax, 'tema', analysis);
}

/**
 * FAQs labelled with their `tema` (fields: title, body, tags — what the product trains on, see
 * `faqTrainingText`); each query labelled with its first relevant FAQ's.
 */
export function loadFaq(corpusFile = FAQ_CORPUS_FILE, queriesFile = FAQ_QUERIES_FILE): FaqSplit {
  const corpus = readFileSync(corpusFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { id: string; title: string; body: string; tema: string; tags?: string[] });
  const temaOf = new Map<string, string>();
  const train: LabelledRecord[] = [];
  for (const f of corpus) {
    temaOf.set(f.id, f.tema);
    train.push({ fields: [f.title, f.body, (f.tags ?? []).join(', ')], label: f.tema });
  }
  // `relevant` is a JSON array in the file; the reader flattens arrays to space-separated ids.
  const queries = readTabularFile(queriesFile);
  const queryAt = column(queries.fields, 'query', queriesFile);
  const relevantAt = column(queries.fields, 'relevant', queriesFile);
  const test: LabelledRecord[] = [];
  for (const row of queries.rows) {
    const first = (row[relevantAt] ?? '').split(' ')[0] ?? '';
    const label = temaOf.get(first);
    if (label === undefined) throw new Error(`${queriesFile}: relevant FAQ ${first} not in the corpus`);
    test.push({ fields: [row[queryAt]!], label });
  }
  return { train, test, taxonomy: taxonomyTopicRecords() };
}

/**
 * Held-out check that is not the dev queries: 5-fold over the FAQs, each fold's titles (short,
 * question-like) classified by a model trained on the other folds' FAQs plus `always` (e.g. the
 * taxonomy's labels; topics with a single FAQ are skipped when it is held out).
 */
export function faqCrossValidation(records: readonly LabelledRecord[], train: TrainOptions, always: readonly LabelledRecord[] = []): { at1: number; at3: number; cases: number } {
  const K = 5;
  let hits1 = 0;
  let hits3 = 0;
  let cases = 0;
  for (let k = 0; k < K; k++) {
    const fold = records.filter((_, i) => i % K !== k);
    const labels = new Set(fold.map((r) => r.label));
    const held = records.filter((r, i) => i % K === k && labels.has(r.label)).map((r) => ({ fields: [r.fields[0]!], label: r.label }));
    const result = evaluateClassifier([...fold, ...always], held, { train });
    hits1 += result.accuracyAt1 * held.length;
    hits3 += result.accuracyAt3 * held.length;
    cases += held.length;
  }
  return { at1: hits1 / cases, at3: hits3 / cases, cases };
}
