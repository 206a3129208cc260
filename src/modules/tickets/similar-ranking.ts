/**
 * "Is this the same problem?" scoring for similar tickets: a TF-IDF cosine over two views of the
 * text, so that the place and the fault count together and neither spelling nor inflection breaks
 * the match. Pure: no I/O, no vocabulary of its own beyond the shared Italian analysis.
 *
 * - Stems (Italian stop words out, Snowball stems): "lampioni spenti" meets "lampione spento".
 * - Character trigrams of each content word, with word boundaries: "aqua" meets "acqua",
 *   "randaggi" meets "randagi", "stamatina" meets "stamattina".
 *
 * Weights are inverse document frequencies over the documents being ranked plus a background of
 * the window (the caller passes both), so common words of the network ("segnala", "comune") weigh
 * little and rare ones (a street, a landmark) a lot, whatever the text is about.
 */
import { analyse as analyseText } from '../../platform/text/text-analysis.js';

export interface RankedFeatures {
  stems: Map<string, number>;
  grams: Map<string, number>;
}

/** Term frequencies of both views of a text. */
export function features(text: string): RankedFeatures {
  const stems = new Map<string, number>();
  const grams = new Map<string, number>();
  // Placeholders of removed personal data ("[PERSONA]") are not content: two cleaned texts do not meet on them.
  for (const token of analyseText(text.replace(/\[[A-Z_ ]+\]/g, ' '))) {
    if (token.word.length < 2 || /^\d+$/.test(token.word)) continue;
    stems.set(token.term, (stems.get(token.term) ?? 0) + 1);
    if (token.word.length < 4) continue;
    const padded = `_${token.word}_`;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const g = padded.slice(i, i + 3);
      grams.set(g, (grams.get(g) ?? 0) + 1);
    }
  }
  return { stems, grams };
}

/** Document frequencies of both views over a set of documents. */
export class DocumentFrequencies {
  readonly stems = new Map<string, number>();
  readonly grams = new Map<string, number>();
  size = 0;

  add(f: RankedFeatures): void {
    this.size++;
    for (const k of f.stems.keys()) this.stems.set(k, (this.stems.get(k) ?? 0) + 1);
    for (const k of f.grams.keys()) this.grams.set(k, (this.grams.get(k) ?? 0) + 1);
  }
}

function weighted(tf: Map<string, number>, df: Map<string, number>, n: number): Map<string, number> {
  const out = new Map<string, number>();
  let norm = 0;
  for (const [k, count] of tf) {
    const w = (1 + Math.log(count)) * Math.log((n + 1) / ((df.get(k) ?? 0) + 1) + 1);
    out.set(k, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [k, w] of out) out.set(k, w / norm);
  return out;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [k, w] of small) {
    const o = large.get(k);
    if (o !== undefined) s += w * o;
  }
  return s;
}

/** Share of the stem view in the score; the rest is the trigram view. */
const STEM_WEIGHT = 0.6;

export interface Scorer {
  /** Text similarity in [0, 1] (`total`), and the part of it that comes from shared stems. */
  score(doc: RankedFeatures): { total: number; stems: number };
  /**
   * The same query moved towards `docs` (pseudo-relevance feedback, Rocchio): the query vectors plus
   * `weight` times the mean of the documents' vectors, normalised again. The reports of one problem
   * share words that the query lacks (the street where the query named a landmark, "tubo" where it
   * said "condotta"); taking them from the best matches finds the other reports of the same problem.
   */
  towards(docs: readonly RankedFeatures[], weight: number): Scorer;
}

type Vectors = { stems: Map<string, number>; grams: Map<string, number> };

function addInto(into: Map<string, number>, v: Map<string, number>, factor: number): void {
  for (const [k, w] of v) into.set(k, (into.get(k) ?? 0) + w * factor);
}

function normalised(v: Map<string, number>): Map<string, number> {
  let norm = 0;
  for (const w of v.values()) norm += w * w;
  norm = Math.sqrt(norm) || 1;
  const out = new Map<string, number>();
  for (const [k, w] of v) out.set(k, w / norm);
  return out;
}

function vectorScorer(q: Vectors, vectors: (doc: RankedFeatures) => Vectors): Scorer {
  return {
    score(doc) {
      const d = vectors(doc);
      const stems = cosine(q.stems, d.stems);
      return { total: STEM_WEIGHT * stems + (1 - STEM_WEIGHT) * cosine(q.grams, d.grams), stems };
    },
    towards(docs, weight) {
      if (docs.length === 0 || weight <= 0) return this;
      const stems = new Map(q.stems);
      const grams = new Map(q.grams);
      for (const doc of docs) {
        const d = vectors(doc);
        addInto(stems, d.stems, weight / docs.length);
        addInto(grams, d.grams, weight / docs.length);
      }
      return vectorScorer({ stems: normalised(stems), grams: normalised(grams) }, vectors);
    },
  };
}

/** A scorer for one query against documents weighted by `df`. */
export function scorer(query: RankedFeatures, df: DocumentFrequencies): Scorer {
  const n = Math.max(df.size, 1);
  const vectors = (f: RankedFeatures): Vectors => ({ stems: weighted(f.stems, df.stems, n), grams: weighted(f.grams, df.grams, n) });
  return vectorScorer(vectors(query), vectors);
}
