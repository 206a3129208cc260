/**
 * Text → sparse feature vector for the classifier: normalisation, tokens, hashed word uni/bi-grams
 * and character n-grams. Pure functions, no state: the same text always gives the same features,
 * which is what lets a stored model be applied years after it was trained.
 */

export interface FeatureOptions {
  /** log2 of the hashing space; collisions are rare below ~1% of the space in use. */
  hashBits: number;
  /** Character n-gram sizes, taken inside each word padded with boundary markers (`<word>`). */
  charNgramMin: number;
  charNgramMax: number;
  /** Relative weight of each feature family after per-family L2 normalisation (0 switches it off). */
  wordWeight: number;
  bigramWeight: number;
  charWeight: number;
  /**
   * Weight of the analysed-term family: stop words out, stemmed (`pagamenti` → `pag`), so that
   * inflections meet. 0 (off) unless a text analysis is configured.
   */
  stemWeight: number;
  /**
   * Weight of the concept family: one feature per thesaurus group whose phrase occurs in the text,
   * so that "tassa sulla spazzatura" and "TARI" become the same feature. 0 unless a thesaurus is configured.
   */
  conceptWeight: number;
}

export const DEFAULT_FEATURE_OPTIONS: Readonly<FeatureOptions> = Object.freeze({
  hashBits: 22,
  charNgramMin: 3,
  charNgramMax: 5,
  wordWeight: 1,
  bigramWeight: 0.5,
  charWeight: 1,
  stemWeight: 0,
  conceptWeight: 0,
});

/** Apostrophes and quote-like marks: Italian elision (`l'anagrafe`, `dell’ISEE`) splits words. */
const APOSTROPHES = /['’‘`´ʼ]/g;
const COMBINING_MARKS = /\p{M}+/gu;
const NON_WORD = /[^\p{L}\p{N}]+/gu;

/**
 * Lowercase, fold accents (`perché` → `perche`, `città` → `citta`), split elisions and keep only
 * letters and digits separated by single spaces. Citizens type accents inconsistently (`e'`,
 * `perche`), so folding them makes the typed and the written form meet.
 */
export function normaliseText(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(APOSTROPHES, ' ').replace(NON_WORD, ' ').trim();
}

export function tokenize(text: string): string[] {
  const normalised = normaliseText(text);
  return normalised === '' ? [] : normalised.split(' ');
}

// Family tags keep a word, a bigram and a character n-gram with the same spelling apart.
const FAMILY_WORD = 0x9e3779b1;
const FAMILY_BIGRAM = 0x85ebca77;
const FAMILY_CHAR = 0xc2b2ae3d;
const FAMILY_STEM = 0x27d4eb2f;
const FAMILY_CONCEPT = 0x165667b1;

/** FNV-1a over UTF-16 code units of s[start, end), continuing from `hash`. */
function fnv1a(hash: number, s: string, start = 0, end = s.length): number {
  let h = hash;
  for (let i = start; i < end; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Final avalanche (murmur3 fmix32) so that the low bits used as bucket are well mixed. */
function mix(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

export interface SparseVector {
  /** Bucket ids (or, once mapped to a model's vocabulary, feature indices), ascending. */
  indices: Int32Array;
  values: Float32Array;
}

/** Raw term counts per family, before weighting: what the vocabulary and IDF are computed from. */
export interface TermCounts {
  word: Map<number, number>;
  bigram: Map<number, number>;
  char: Map<number, number>;
  stem: Map<number, number>;
  concept: Map<number, number>;
}

/** What a text analysis adds to the surface tokens: stemmed content terms and concept ids. */
export interface AnalysedTerms {
  stems: readonly string[];
  concepts: readonly string[];
}

function bump(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function bucketMask(options: FeatureOptions): number {
  return options.hashBits >= 32 ? 0xffffffff : (1 << options.hashBits) - 1;
}

/** The bucket of an analysed term (stem) in the stem family: what tells whether a model knows it. */
export function stemBucket(stem: string, options: FeatureOptions): number {
  return mix(fnv1a(FAMILY_STEM, stem)) & bucketMask(options);
}

export function countTerms(text: string, options: FeatureOptions, analysed?: AnalysedTerms): TermCounts {
  const mask = bucketMask(options);
  const tokens = tokenize(text);
  const counts: TermCounts = { word: new Map(), bigram: new Map(), char: new Map(), stem: new Map(), concept: new Map() };
  if (analysed) {
    if (options.stemWeight > 0) for (const stem of analysed.stems) bump(counts.stem, stemBucket(stem, options));
    if (options.conceptWeight > 0) for (const concept of analysed.concepts) bump(counts.concept, mix(fnv1a(FAMILY_CONCEPT, concept)) & mask);
  }
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (options.wordWeight > 0) bump(counts.word, mix(fnv1a(FAMILY_WORD, token)) & mask);
    if (options.bigramWeight > 0 && t > 0) {
      const previous = tokens[t - 1]!;
      bump(counts.bigram, mix(fnv1a(fnv1a(fnv1a(FAMILY_BIGRAM, previous), ' '), token)) & mask);
    }
    if (options.charWeight > 0) {
      const padded = `<${token}>`;
      for (let n = options.charNgramMin; n <= options.charNgramMax; n++) {
        // A word shorter than n contributes its whole padded form once (at the smallest n only).
        if (padded.length < n) {
          if (n === options.charNgramMin) bump(counts.char, mix(fnv1a(FAMILY_CHAR, padded)) & mask);
          break;
        }
        for (let i = 0; i + n <= padded.length; i++) bump(counts.char, mix(fnv1a(FAMILY_CHAR, padded, i, i + n)) & mask);
      }
    }
  }
  return counts;
}

/**
 * Weighted, normalised vector: sublinear term frequency times `idf(bucket)` (1 when unknown),
 * L2-normalised within each family and scaled by the family weight. Per-family normalisation stops
 * the many character n-grams of a word from drowning the word itself. Buckets for which
 * `keep(bucket)` is false (unknown to a trained model) are dropped before normalising.
 */
export function weightTerms(counts: TermCounts, options: FeatureOptions, idf: (bucket: number) => number, keep: (bucket: number) => boolean = () => true): Map<number, number> {
  const out = new Map<number, number>();
  const families: [Map<number, number>, number][] = [
    [counts.word, options.wordWeight],
    [counts.bigram, options.bigramWeight],
    [counts.char, options.charWeight],
    [counts.stem, options.stemWeight],
    [counts.concept, options.conceptWeight],
  ];
  for (const [family, weight] of families) {
    if (weight <= 0 || family.size === 0) continue;
    const entries: [number, number][] = [];
    let norm = 0;
    for (const [bucket, tf] of family) {
      if (!keep(bucket)) continue;
      const v = (1 + Math.log(tf)) * idf(bucket);
      entries.push([bucket, v]);
      norm += v * v;
    }
    if (norm === 0) continue;
    const scale = weight / Math.sqrt(norm);
    for (const [bucket, v] of entries) out.set(bucket, (out.get(bucket) ?? 0) + v * scale);
  }
  return out;
}

export function toSparse(map: Map<number, number>): SparseVector {
  const indices = Int32Array.from(map.keys()).sort();
  const values = new Float32Array(indices.length);
  for (let i = 0; i < indices.length; i++) values[i] = map.get(indices[i]!)!;
  return { indices, values };
}
