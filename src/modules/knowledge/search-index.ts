/**
 * The FAQ search index: an in-memory BM25F index over title, tags, taxonomy topic and body, with
 * query expansion (thesaurus, typo correction against the index vocabulary, prefix completion for
 * search-as-you-type) and a local boost for FAQs of the place the query names. Pure: built from
 * plain objects, no I/O; the database stays the source of truth and the index is a cache of it.
 *
 * Scoring: the query is a list of concepts (one per query word, one per multi-word thesaurus
 * match); each concept has weighted alternatives (the word itself, its typo corrections, its
 * synonyms). A document scores the best alternative of each concept, so that a synonym list never
 * counts twice; concept scores are summed and multiplied by a coverage factor that prefers
 * documents matching more of the query. The FAQs of one taxonomy topic also form one text, scored
 * the same way, and a FAQ adds its topic's score (`topicWeight`): the corpus itself tells that
 * "rifiuti" belongs with a TARI answer that does not repeat the word.
 */
import type { Lexicon } from '../../platform/text/lexicon.js';
import { compileThesaurus, type CompiledThesaurus, matchThesaurus, type ThesaurusEntry } from '../../platform/text/thesaurus.js';
import { editDistance, isStopWord, normaliseText, type SearchLanguage, stemWord, tokenise } from '../../platform/text/text-analysis.js';

export interface IndexableFaq {
  /** Internal id (uuid). */
  id: string;
  title: string;
  body: string;
  tags: readonly string[];
  /** Taxonomy labels of the FAQ's topic, e.g. "Tributi e pagamenti · TARI - Tassa rifiuti". */
  topic: string;
  /** Normalised place keys of the FAQ's territory (empty for network-wide FAQs). */
  places: readonly string[];
}

export interface SearchTuning {
  k1: number;
  fields: Record<'title' | 'tags' | 'topic' | 'body', { weight: number; b: number }>;
  /** Weight of a thesaurus alternative relative to the word the user typed. */
  synonymWeight: number;
  /** Weight of a multi-word thesaurus match as an extra concept. */
  phraseConceptWeight: number;
  typoWeight: [number, number, number];
  prefixWeight: number;
  /** Weight of a word recognised as a place name (the local boost does the rest). */
  placeTermWeight: number;
  /** Multiplier for FAQs of the place the query names, and for local FAQs of other places. */
  localBoost: number;
  otherPlaceFactor: number;
  /** Multiplier for local FAQs when the query names no place. */
  unplacedLocalFactor: number;
  /** score × (matchedConcepts / concepts) ^ coverageExponent */
  coverageExponent: number;
  /** Query words beyond this are ignored (bounds the latency of pasted texts). */
  maxQueryWords: number;
  /** Expansions skip terms found in more than this share of the FAQs. */
  commonTermRatio: number;
  /**
   * Weight of the FAQ's topic in its score: the FAQs of one taxonomy topic read as one text, so a
   * query whose words the topic's FAQs share (but this FAQ does not repeat) still reaches it. The
   * topic's part is capped at the FAQ's own score, and the sum is divided by 1 + topicWeight (same scale).
   */
  topicWeight: number;
  /** Weight of a general-language synonym of a query word the FAQs never use (see `lexicon`). */
  lexiconWeight: number;
}

export const DEFAULT_TUNING: SearchTuning = {
  k1: 1.6,
  fields: { title: { weight: 3, b: 0.5 }, tags: { weight: 2.5, b: 0.3 }, topic: { weight: 1.5, b: 0.3 }, body: { weight: 1, b: 0.75 } },
  synonymWeight: 0.8,
  phraseConceptWeight: 0.8,
  typoWeight: [1, 0.8, 0.6],
  prefixWeight: 0.7,
  placeTermWeight: 0.3,
  localBoost: 1.8,
  otherPlaceFactor: 0.35,
  unplacedLocalFactor: 0.6,
  coverageExponent: 0.5,
  maxQueryWords: 48,
  commonTermRatio: 0.1,
  topicWeight: 1,
  lexiconWeight: 0.5,
};

interface Posting {
  docs: Int32Array;
  scores: Float32Array;
}

interface Alternative {
  terms: readonly string[];
  weight: number;
}

interface Concept {
  alternatives: Alternative[];
  weight: number;
  /** Counted in the coverage factor (words the user typed; not extra phrase concepts). */
  counts: boolean;
}

export interface QueryInterpretation {
  /** Index terms of the words the user typed (stop words out). */
  terms: string[];
  places: string[];
  corrections: { from: string; to: string }[];
  /** Thesaurus expansions, as index-term phrases. */
  expansions: string[];
}

export interface SearchHit {
  doc: number;
  id: string;
  score: number;
}

export interface SearchOptions {
  limit?: number;
  /** Place named by the context (the portal of a comune), in addition to those the query names. */
  place?: string | null;
  /** Further places the query or its context names, found outside the index (the territory's comuni). */
  places?: readonly string[];
  /**
   * Places that contain a named one (the province and region of a comune): their local FAQs are
   * neither lifted nor pushed down, as the FAQs of an unrelated place are.
   */
  enclosingPlaces?: readonly string[];
  /** Complete the last word as a prefix (search-as-you-type). */
  prefix?: boolean;
}

interface Gazetteer {
  /** First word of a place name → the place names (as word sequences) starting with it. */
  byFirstWord: Map<string, string[][]>;
}

function buildGazetteer(placeNames: Iterable<string>): Gazetteer {
  const byFirstWord = new Map<string, string[][]>();
  for (const name of new Set(placeNames)) {
    const words = tokenise(normaliseText(name));
    if (words.length === 0) continue;
    const list = byFirstWord.get(words[0]!) ?? [];
    list.push(words);
    byFirstWord.set(words[0]!, list);
  }
  for (const list of byFirstWord.values()) list.sort((a, b) => b.length - a.length);
  return { byFirstWord };
}

/** Trigram-free typo lookup: every word and its one-letter deletions point back to the word (SymSpell, distance 1). */
class TypoDictionary {
  private readonly deletes = new Map<string, string[]>();
  private readonly long: string[] = [];

  constructor(words: Iterable<string>) {
    for (const w of words) {
      if (w.length < 3 || /^\d+$/.test(w)) continue;
      for (const key of [w, ...TypoDictionary.deletionsOf(w)]) {
        const list = this.deletes.get(key);
        if (list) {
          if (list[list.length - 1] !== w) list.push(w);
        } else this.deletes.set(key, [w]);
      }
      if (w.length >= 7) this.long.push(w);
    }
  }

  private static deletionsOf(w: string): string[] {
    const out: string[] = [];
    for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
    return out;
  }

  /** Words within edit distance 1 (any length ≥ 3), or 2 for words of 7+ letters when none is at 1. */
  candidates(word: string): { word: string; distance: number }[] {
    const found = new Map<string, number>();
    for (const key of [word, ...TypoDictionary.deletionsOf(word)]) {
      for (const w of this.deletes.get(key) ?? []) {
        if (w === word || found.has(w)) continue;
        const d = editDistance(word, w, 1);
        if (d <= 1) found.set(w, d);
      }
    }
    if (found.size === 0 && word.length >= 7) {
      for (const w of this.long) {
        if (Math.abs(w.length - word.length) > 2 || w[0] !== word[0]) continue;
        const d = editDistance(word, w, 2);
        if (d <= 2) found.set(w, d);
      }
    }
    return [...found].map(([w, distance]) => ({ word: w, distance }));
  }
}

/**
 * Scratch arrays for one scoring pass over a set of targets (documents, or topics), reused across
 * queries so that a query allocates nothing per target. Pure CPU, no I/O.
 */
class Accumulator {
  /** Per target, the query's score (read and reset by the caller for the targets `run` returns). */
  readonly total: Float64Array;
  /** Per target, how many counted concepts it matched (reset by the caller with `total`). */
  readonly matched: Uint16Array;
  private readonly conceptScore: Float64Array;
  private readonly altScore: Float64Array;
  /** Per target, stamp of the query that last touched it (avoids clearing an array per query). */
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(size: number) {
    this.total = new Float64Array(size);
    this.matched = new Uint16Array(size);
    this.conceptScore = new Float64Array(size);
    this.altScore = new Float64Array(size);
    this.seen = new Uint32Array(size);
  }

  /**
   * Adds, per target, the best alternative of each concept (weighted) to `total`; returns the
   * targets touched. Expansions (alternatives weighing less than the typed word) skip terms held by
   * more than `commonDf` targets: they would scan a large part of the index and add almost nothing.
   */
  run(postings: ReadonlyMap<string, Posting>, concepts: readonly Concept[], commonDf: number): number[] {
    const { total, conceptScore, altScore, matched, seen } = this;
    const touched: number[] = [];
    const stamp = ++this.stamp;
    for (const concept of concepts) {
      const conceptTouched: number[] = [];
      for (const alt of concept.alternatives) {
        const altTouched: number[] = [];
        for (const term of alt.terms) {
          const p = postings.get(term);
          if (!p || (alt.weight < 1 && p.docs.length > commonDf)) continue;
          for (let k = 0; k < p.docs.length; k++) {
            const d = p.docs[k]!;
            if (altScore[d] === 0) altTouched.push(d);
            altScore[d]! += p.scores[k]!;
          }
        }
        const scale = alt.weight / alt.terms.length;
        for (const d of altTouched) {
          const v = altScore[d]! * scale;
          altScore[d] = 0;
          if (conceptScore[d] === 0) conceptTouched.push(d);
          if (v > conceptScore[d]!) conceptScore[d] = v;
        }
      }
      for (const d of conceptTouched) {
        total[d]! += conceptScore[d]! * concept.weight;
        conceptScore[d] = 0;
        if (concept.counts) matched[d]!++;
        if (seen[d] !== stamp) {
          seen[d] = stamp;
          touched.push(d);
        }
      }
    }
    return touched;
  }
}

export class FaqSearchIndex {
  readonly size: number;
  private readonly ids: string[];
  private readonly docPlaces: (readonly string[])[];
  private readonly postings = new Map<string, Posting>();
  /** Per document, the index of its topic; postings over topics (all FAQs of a topic as one text). */
  private readonly topicOf: Int32Array;
  private readonly topicPostings = new Map<string, Posting>();
  private readonly topicCount: number;
  /** Surface word → index term and document frequency of the term. */
  private readonly vocabulary = new Map<string, string>();
  private readonly sortedWords: string[];
  private readonly typos: TypoDictionary;
  private readonly thesaurus: CompiledThesaurus;
  private readonly gazetteer: Gazetteer;
  private readonly lexicon: Lexicon;
  private readonly docScores: Accumulator;
  private readonly topicScores: Accumulator;

  constructor(
    docs: readonly IndexableFaq[],
    options: {
      thesaurus?: readonly ThesaurusEntry[];
      placeNames?: Iterable<string>;
      lang?: SearchLanguage;
      tuning?: Partial<SearchTuning>;
      /** General-language synonyms (normalised word → words), consulted only for query words no FAQ uses. */
      lexicon?: Lexicon;
    } = {},
    private readonly lang: SearchLanguage = options.lang ?? 'it',
    readonly tuning: SearchTuning = { ...DEFAULT_TUNING, ...options.tuning },
  ) {
    this.size = docs.length;
    this.lexicon = options.lexicon ?? new Map();
    this.ids = docs.map((d) => d.id);
    this.docPlaces = docs.map((d) => d.places);
    this.thesaurus = compileThesaurus(options.thesaurus ?? [], this.lang);
    this.gazetteer = buildGazetteer([...(options.placeNames ?? []), ...docs.flatMap((d) => d.places)]);
    this.docScores = new Accumulator(docs.length);
    // A FAQ without a topic is a topic of its own: it keeps the same footing as the others (its
    // "topic score" is its own text), instead of losing to every FAQ that a topic lifts.
    const topics = new Map<string, number>();
    this.topicOf = Int32Array.from(docs, (d, i) => {
      const key = d.topic.trim() === '' ? `\u0000${i}` : d.topic;
      const known = topics.get(key);
      if (known !== undefined) return known;
      topics.set(key, topics.size);
      return topics.size - 1;
    });
    this.topicCount = topics.size;
    this.topicScores = new Accumulator(topics.size);
    this.buildPostings(docs);
    for (const w of this.thesaurus.words) if (!this.vocabulary.has(w)) this.vocabulary.set(w, stemWord(w, this.lang));
    this.sortedWords = [...this.vocabulary.keys()].sort();
    this.typos = new TypoDictionary(this.vocabulary.keys());
  }

  private fieldTerms(text: string): string[] {
    const out: string[] = [];
    for (const word of tokenise(normaliseText(text))) {
      if (isStopWord(word, this.lang)) continue;
      const term = stemWord(word, this.lang);
      if (!this.vocabulary.has(word)) this.vocabulary.set(word, term);
      out.push(term);
    }
    return out;
  }

  private buildPostings(docs: readonly IndexableFaq[]): void {
    const { fields, k1 } = this.tuning;
    const names = ['title', 'tags', 'topic', 'body'] as const;
    const perDoc: Map<string, number>[][] = [];
    const lengths: Record<(typeof names)[number], number[]> = { title: [], tags: [], topic: [], body: [] };
    for (const d of docs) {
      const texts = { title: d.title, tags: d.tags.join(' . '), topic: d.topic, body: d.body };
      const counts = names.map((f) => {
        const terms = this.fieldTerms(texts[f]);
        lengths[f].push(terms.length);
        const m = new Map<string, number>();
        for (const t of terms) m.set(t, (m.get(t) ?? 0) + 1);
        return m;
      });
      perDoc.push(counts);
    }
    const avg = Object.fromEntries(names.map((f) => [f, Math.max(1, lengths[f].reduce((a, b) => a + b, 0) / Math.max(1, docs.length))])) as Record<
      (typeof names)[number],
      number
    >;
    // BM25F: per-field length-normalised frequencies, weighted and summed before saturation.
    const pseudo = new Map<string, { docs: number[]; tf: number[] }>();
    const topicTf: Map<string, number>[] = Array.from({ length: this.topicCount }, () => new Map());
    perDoc.forEach((counts, doc) => {
      const tf = new Map<string, number>();
      names.forEach((f, i) => {
        const { weight, b } = fields[f];
        const norm = 1 - b + (b * lengths[f][doc]!) / avg[f];
        for (const [term, n] of counts[i]!) tf.set(term, (tf.get(term) ?? 0) + (weight * n) / norm);
      });
      const topic = this.topicOf[doc]!;
      for (const [term, value] of tf) topicTf[topic]!.set(term, (topicTf[topic]!.get(term) ?? 0) + value);
      for (const [term, value] of tf) {
        let p = pseudo.get(term);
        if (!p) {
          p = { docs: [], tf: [] };
          pseudo.set(term, p);
        }
        p.docs.push(doc);
        p.tf.push(value);
      }
    });
    const n = docs.length;
    for (const [term, p] of pseudo) {
      const df = p.docs.length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const scores = new Float32Array(p.tf.map((tf) => (idf * tf * (k1 + 1)) / (tf + k1)));
      this.postings.set(term, { docs: Int32Array.from(p.docs), scores });
    }
    // The same saturation over topics; a topic's text is long, so its frequencies are averaged per FAQ.
    const topicDocs = new Map<string, { topics: number[]; tf: number[] }>();
    const faqsPerTopic = new Array<number>(topicTf.length).fill(0);
    for (const topic of this.topicOf) faqsPerTopic[topic]!++;
    topicTf.forEach((terms, topic) => {
      for (const [term, value] of terms) {
        const p = topicDocs.get(term) ?? { topics: [], tf: [] };
        topicDocs.set(term, p);
        p.topics.push(topic);
        p.tf.push(value / Math.sqrt(faqsPerTopic[topic]!));
      }
    });
    for (const [term, p] of topicDocs) {
      const df = p.topics.length;
      const idf = Math.log(1 + (topicTf.length - df + 0.5) / (df + 0.5));
      this.topicPostings.set(term, { docs: Int32Array.from(p.topics), scores: new Float32Array(p.tf.map((tf) => (idf * tf * (k1 + 1)) / (tf + k1))) });
    }
  }

  /** Document frequency of an index term (0 when unknown). */
  documentFrequency(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  private isKnownTerm(term: string): boolean {
    return this.postings.has(term) || this.thesaurus.knownTerms.has(term);
  }

  private corrections(word: string): { word: string; term: string; distance: number }[] {
    const found = this.typos
      .candidates(word)
      .map((c) => ({ ...c, term: this.vocabulary.get(c.word)! }))
      .filter((c) => this.isKnownTerm(c.term))
      .sort((a, b) => a.distance - b.distance || this.documentFrequency(b.term) - this.documentFrequency(a.term));
    const best = found[0]?.distance;
    const byTerm = new Map<string, { word: string; term: string; distance: number }>();
    for (const c of found) if (c.distance === best && !byTerm.has(c.term)) byTerm.set(c.term, c);
    return [...byTerm.values()].slice(0, 3);
  }

  private completions(prefix: string): string[] {
    let lo = 0;
    let hi = this.sortedWords.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sortedWords[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const terms = new Set<string>();
    for (let i = lo; i < this.sortedWords.length && this.sortedWords[i]!.startsWith(prefix) && i < lo + 200; i++) {
      terms.add(this.vocabulary.get(this.sortedWords[i]!)!);
    }
    return [...terms].sort((a, b) => this.documentFrequency(b) - this.documentFrequency(a)).slice(0, 6);
  }

  /** Turns a query into weighted concepts; exported through `interpret` for the console and tests. */
  private plan(query: string, options: SearchOptions): { concepts: Concept[]; interpretation: QueryInterpretation } {
    const t = this.tuning;
    const normalised = normaliseText(query);
    const words = tokenise(normalised).slice(0, t.maxQueryWords);
    const places = new Set<string>();
    const placeWord = new Set<number>();
    for (let i = 0; i < words.length; i++) {
      for (const name of this.gazetteer.byFirstWord.get(words[i]!) ?? []) {
        if (name.every((w, k) => words[i + k] === w)) {
          places.add(name.join(' '));
          for (let k = 0; k < name.length; k++) placeWord.add(i + k);
          break;
        }
      }
    }
    if (options.place) {
      const p = normaliseText(options.place);
      if (p) places.add(p);
    }
    for (const p of options.places ?? []) places.add(normaliseText(p));
    const endsInWord = options.prefix === true && /[\p{L}\p{N}]$/u.test(query);
    const interpretation: QueryInterpretation = { terms: [], places: [...places], corrections: [], expansions: [] };
    const concepts: Concept[] = [];
    const sequence: string[] = [];
    const conceptOfPosition: Concept[] = [];
    words.forEach((word, i) => {
      if (isStopWord(word, this.lang)) return;
      const term = stemWord(word, this.lang);
      const concept: Concept = { alternatives: [{ terms: [term], weight: 1 }], weight: placeWord.has(i) ? t.placeTermWeight : 1, counts: !placeWord.has(i) };
      let effective = term;
      const isLast = i === words.length - 1;
      if (!this.isKnownTerm(term) && !/^\d+$/.test(word)) {
        const fixes = this.corrections(word);
        for (const f of fixes) {
          concept.alternatives.push({ terms: [f.term], weight: t.typoWeight[f.distance] ?? 0.5 });
          interpretation.corrections.push({ from: word, to: f.word });
        }
        if (fixes[0]) effective = fixes[0].term;
        // A word no FAQ uses ("spazzatura") reaches the FAQs through its plain-language synonyms they do use ("rifiuti").
        for (const synonym of this.lexicon.get(word) ?? []) {
          const synonymTerm = stemWord(synonym, this.lang);
          if (this.postings.has(synonymTerm) && !concept.alternatives.some((a) => a.terms[0] === synonymTerm)) {
            concept.alternatives.push({ terms: [synonymTerm], weight: t.lexiconWeight });
            interpretation.expansions.push(synonymTerm);
          }
        }
      }
      if (isLast && endsInWord && word.length >= 2) {
        for (const c of this.completions(word)) {
          if (c !== term) concept.alternatives.push({ terms: [c], weight: t.prefixWeight });
        }
      }
      interpretation.terms.push(term);
      sequence.push(effective);
      conceptOfPosition.push(concept);
      concepts.push(concept);
    });
    // Two rounds: one-word synonyms first, then phrases over the words and their variants.
    const positions = sequence.map((term, i) => [term, ...conceptOfPosition[i]!.alternatives.slice(1).map((a) => a.terms[0]!)]);
    const singles = matchThesaurus(this.thesaurus, sequence.map((term) => [term])).filter((m) => m.end - m.start === 1);
    for (const m of singles) {
      for (const a of m.alternatives) {
        conceptOfPosition[m.start]!.alternatives.push({ terms: a, weight: t.synonymWeight });
        interpretation.expansions.push(a.join(' '));
        if (a.length === 1) positions[m.start]!.push(a[0]!);
      }
    }
    for (const m of matchThesaurus(this.thesaurus, positions)) {
      if (m.end - m.start === 1) continue;
      for (const a of m.alternatives) interpretation.expansions.push(a.join(' '));
      concepts.push({ alternatives: m.alternatives.map((terms) => ({ terms, weight: t.synonymWeight })), weight: t.phraseConceptWeight, counts: false });
    }
    return { concepts, interpretation };
  }

  /** How the query is understood: its terms, the places it names, corrections and expansions. */
  interpret(query: string, options: SearchOptions = {}): QueryInterpretation {
    return this.plan(query, options).interpretation;
  }

  search(query: string, options: SearchOptions = {}): { hits: SearchHit[]; interpretation: QueryInterpretation } {
    const { concepts, interpretation } = this.plan(query, options);
    const limit = options.limit ?? 10;
    if (concepts.length === 0 || this.size === 0) return { hits: [], interpretation };
    const places = new Set(interpretation.places);
    const enclosing = new Set((options.enclosingPlaces ?? []).map((p) => normaliseText(p)));
    return { hits: this.score(concepts, places, enclosing, Math.max(1, limit)), interpretation };
  }

  private score(concepts: readonly Concept[], places: ReadonlySet<string>, enclosing: ReadonlySet<string>, limit: number): SearchHit[] {
    const t = this.tuning;
    const { total, matched } = this.docScores;
    const touched = this.docScores.run(this.postings, concepts, Math.max(50, this.size * t.commonTermRatio));
    const topicTotal = this.topicScores.total;
    const topicsTouched = t.topicWeight > 0 ? this.topicScores.run(this.topicPostings, concepts, Math.max(50, this.topicCount * t.commonTermRatio)) : [];
    const countedConcepts = concepts.filter((c) => c.counts).length || 1;
    // Keep the best `limit` in a small array sorted best first (cheaper than sorting every match).
    const hits: SearchHit[] = [];
    for (const d of touched) {
      // Capped at the FAQ's own score: the topic lifts a FAQ that matches, it never outweighs a better
      // match. Divided by 1 + topicWeight so that scores keep the scale of the FAQ's own (the portal's
      // low-score gap threshold is on that scale): a FAQ its topic fully supports scores as before.
      const own = (total[d]! + t.topicWeight * Math.min(topicTotal[this.topicOf[d]!]!, total[d]!)) / (1 + t.topicWeight);
      let score = own * (Math.max(matched[d]!, 0.5) / countedConcepts) ** t.coverageExponent;
      const docPlaces = this.docPlaces[d]!;
      if (docPlaces.length > 0) {
        if (places.size === 0) score *= t.unplacedLocalFactor;
        else if (docPlaces.some((p) => places.has(p))) score *= t.localBoost;
        else if (!docPlaces.some((p) => enclosing.has(p))) score *= t.otherPlaceFactor;
      }
      total[d] = 0;
      matched[d] = 0;
      if (score <= 0 || (hits.length === limit && score <= hits[limit - 1]!.score)) continue;
      let at = hits.length;
      while (at > 0 && (hits[at - 1]!.score < score || (hits[at - 1]!.score === score && hits[at - 1]!.doc > d))) at--;
      hits.splice(at, 0, { doc: d, id: this.ids[d]!, score });
      if (hits.length > limit) hits.pop();
    }
    for (const topic of topicsTouched) {
      topicTotal[topic] = 0;
      this.topicScores.matched[topic] = 0;
    }
    return hits;
  }
}
