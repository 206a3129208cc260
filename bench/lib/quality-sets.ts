/**
 * Everything the held-out quality check reads, without a database: the FAQ corpus, the taxonomy's
 * topic labels, the labelled query sets (the development queries in shared/data and the held-out
 * sets in test/fixtures/quality-heldout), and an in-process FAQ search index built the way the
 * portal builds it (same fields, topic labels, places and thesaurus).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { blendFaqTopics, FAQ_TOPIC_HITS } from '../../src/modules/classification/faq-topic-blend.js';
import { predictDistribution, type TextClassifierModel } from '../../src/modules/classification/text-classifier.js';
import type { LabelledRecord } from '../../src/modules/classification/training-augmentation.js';
import { topicLabels } from '../../src/modules/knowledge/faq-search.js';
import { italianLexicon, type Lexicon } from '../../src/platform/text/lexicon.js';
import { placeOfOrganisationName, ITALIAN_REGIONS } from '../../src/modules/knowledge/place-names.js';
import { FaqSearchIndex, type SearchTuning } from '../../src/modules/knowledge/search-index.js';
import type { ThesaurusEntry } from '../../src/platform/text/thesaurus.js';
import { FAQ_CORPUS_FILE, FAQ_QUERIES_FILE, loadTaxonomy } from './classify-data.js';

const root = path.resolve(import.meta.dirname, '../..');
export const HELDOUT_DIR = path.join(root, 'test/fixtures/quality-heldout');

export interface CorpusFaq {
  id: string;
  title: string;
  body: string;
  tema: string;
  tags: string[];
  owner: string;
  scope: string;
  lang: string;
}

export interface LabelledQuery {
  qid: string;
  query: string;
  relevant: string[];
  kind: string;
}

export interface TopicText {
  id: string;
  text: string;
  tema: string;
  shape: string;
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export const loadCorpus = (file = FAQ_CORPUS_FILE): CorpusFaq[] => readJsonl<CorpusFaq>(file).filter((f) => f.lang === 'it');
export const loadDevQueries = (file = FAQ_QUERIES_FILE): LabelledQuery[] => readJsonl<LabelledQuery>(file);
export const loadHeldoutQueries = (): LabelledQuery[] => readJsonl<LabelledQuery>(path.join(HELDOUT_DIR, 'citizen-queries.jsonl'));
export const loadHeldoutTopics = (): TopicText[] => readJsonl<TopicText>(path.join(HELDOUT_DIR, 'topic-texts.jsonl'));

/** The portal's index over the corpus (with the system's Italian lexicon unless another is given); `blankTitles` drops the titles of some FAQs (for a k-fold over titles). */
export function buildCorpusIndex(
  corpus: readonly CorpusFaq[],
  thesaurus: readonly ThesaurusEntry[],
  options: { blankTitles?: ReadonlySet<string>; tuning?: Partial<SearchTuning>; lexicon?: Lexicon } = {},
): FaqSearchIndex {
  const tax = loadTaxonomy();
  const placeNames = [...Object.values(ITALIAN_REGIONS), ...corpus.map((f) => placeOfOrganisationName(f.owner)).filter((p): p is string => p !== null)];
  return new FaqSearchIndex(
    corpus.map((f) => {
      const place = f.scope === 'network' ? null : placeOfOrganisationName(f.owner);
      const blank = options.blankTitles?.has(f.id) === true;
      return { id: f.id, title: blank ? '' : f.title, body: f.body, tags: blank ? [] : f.tags, topic: topicLabels(tax, f.tema), places: place ? [place] : [] };
    }),
    { thesaurus, placeNames, lang: 'it', ...(options.tuning ? { tuning: options.tuning } : {}), lexicon: options.lexicon ?? italianLexicon() },
  );
}

export interface RankMetrics {
  n: number;
  r1: number;
  r5: number;
  mrr: number;
}

/** Recall@1, Recall@5 and MRR@10 per query kind and overall. */
export function rankMetrics(queries: readonly LabelledQuery[], rank: (query: string) => readonly string[]): Map<string, RankMetrics> {
  const out = new Map<string, RankMetrics>();
  for (const q of queries) {
    const ids = rank(q.query).slice(0, 10);
    const relevant = new Set(q.relevant);
    const at = ids.findIndex((id) => relevant.has(id));
    for (const key of ['overall', q.kind]) {
      const m = out.get(key) ?? { n: 0, r1: 0, r5: 0, mrr: 0 };
      m.n++;
      if (at === 0) m.r1++;
      if (at >= 0 && at < 5) m.r5++;
      if (at >= 0) m.mrr += 1 / (at + 1);
      out.set(key, m);
    }
  }
  for (const m of out.values()) {
    m.r1 /= m.n;
    m.r5 /= m.n;
    m.mrr /= m.n;
  }
  return out;
}

/** acc@1 and acc@3 of ranked topic cases. */
export function topicAccuracy(cases: readonly { gold: string; ranked: readonly string[] }[]): { at1: number; at3: number } {
  return {
    at1: cases.filter((c) => c.ranked[0] === c.gold).length / cases.length,
    at3: cases.filter((c) => c.ranked.slice(0, 3).includes(c.gold)).length / cases.length,
  };
}

/**
 * Topic suggestions as the product makes them (suggestion.service.ts): the model's distribution with
 * the topics of the FAQs the search finds for the text (faq-topic-blend.ts).
 */
export function productTopicAccuracy(
  model: TextClassifierModel,
  searchIndex: FaqSearchIndex,
  temaOf: ReadonlyMap<string, string>,
  records: readonly LabelledRecord[],
): { at1: number; at3: number } {
  return topicAccuracy(
    records.map((r) => {
      const text = r.fields.join('\n\n');
      const hits = searchIndex.search(text, { limit: FAQ_TOPIC_HITS }).hits.map((h) => ({ topic: temaOf.get(h.id) ?? null, score: h.score }));
      const p = blendFaqTopics(model.labels, predictDistribution(model, text), hits);
      const ranked = [...p.keys()].sort((a, b) => p[b]! - p[a]! || a - b).slice(0, 3).map((i) => model.labels[i]!);
      return { gold: r.label, ranked };
    }),
  );
}
