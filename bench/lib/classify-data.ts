/**
 * The two evaluation sets of the classification benchmark, read with the product's own readers:
 * Boston 311 (2015) split by opening date, and the FAQ corpus against the citizen queries.
 */
import path from 'node:path';
import { readTabularFile } from '../../src/modules/classification/tabular-input.js';
import type { LabelledRecord } from '../../src/modules/classification/training-augmentation.js';

export const SHARED_DATA = process.env.URPNET_SHARED_DATA ?? path.resolve(import.meta.dirname, '../../../shared/data');
export const BOSTON_FILE = path.join(SHARED_DATA, 'real/boston-311-2015.csv.gz');
export const FAQ_CORPUS_FILE = path.join(SHARED_DATA, 'faq/corpus.jsonl');
export const FAQ_QUERIES_FILE = path.join(SHARED_DATA, 'faq/dev-queries.jsonl');

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

/** FAQ titles + bodies labelled with their `tema`; each query labelled with its first relevant FAQ's. */
export function loadFaq(corpusFile = FAQ_CORPUS_FILE, queriesFile = FAQ_QUERIES_FILE): Split {
  const corpus = readTabularFile(corpusFile);
  const id = column(corpus.fields, 'id', corpusFile);
  const titleAt = column(corpus.fields, 'title', corpusFile);
  const bodyAt = column(corpus.fields, 'body', corpusFile);
  const temaAt = column(corpus.fields, 'tema', corpusFile);
  const temaOf = new Map<string, string>();
  const train: LabelledRecord[] = [];
  for (const row of corpus.rows) {
    temaOf.set(row[id]!, row[temaAt]!);
    train.push({ fields: [row[titleAt]!, row[bodyAt]!], label: row[temaAt]! });
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
  return { train, test };
}
