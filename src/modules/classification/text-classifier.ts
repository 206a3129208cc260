/**
 * The topic/type suggester: a linear softmax model over hashed word uni/bi-grams and character
 * n-grams (TF-IDF, unit length). Its weights start as the labels' centroids (nearest-centroid
 * classification, which generalises from very few texts per label) and, when there are enough
 * texts per label, are refined as a multinomial logistic regression with Adagrad, anchored to
 * those centroids by the L2 penalty. Trains in seconds on a network's closed tickets and answers
 * in well under a millisecond while the operator types.
 *
 * Labels shaped like taxonomy codes (`tributi.tari`) are read as a tree: each parent gets its own
 * weights, shared by its children, and part of each example's target mass goes to the siblings of
 * its label. A topic with two FAQs thus borrows what its parent's other children know, which is
 * what carries short citizen wording to the right branch of the taxonomy.
 */
import { performance } from 'node:perf_hooks';
import { ClassificationError } from './classification.errors.js';
import { createTextAnalyser, isSearchLanguage, type TextAnalyser, type TextAnalysisSpec } from './concept-analysis.js';
import { countTerms, DEFAULT_FEATURE_OPTIONS, type FeatureOptions, normaliseText, type SparseVector, stemBucket, type TermCounts, toSparse, weightTerms } from './text-features.js';
import { mulberry32 as prng } from '../../platform/seeded-random.js';

export interface TrainingExample {
  text: string;
  label: string;
  /** Relative importance (default 1), e.g. lower for a sentence cut out of a longer text. */
  weight?: number;
  /**
   * Written by or about a citizen (a ticket): its features enter the model only when seen in at
   * least `minPrivateDocumentFrequency` distinct private texts (or in any public text, e.g. a FAQ),
   * so that a stored model cannot carry a word, such as a surname, that only one citizen wrote.
   */
  private?: boolean;
}

export interface TrainOptions extends Partial<FeatureOptions> {
  /** Discriminative passes over the (deduplicated) training set after the centroid start; default 0 or 5, see `defaultEpochs`. */
  epochs?: number;
  learningRate?: number;
  /** L2 penalty applied to the weights an example touches. */
  l2?: number;
  /** Seed of the shuffling PRNG: same data + same seed → same model. */
  seed?: number;
  /** 0 = examples count as they come; 1 = every class weighs the same in total. */
  classBalance?: number;
  /**
   * How labels form a tree: `dotted` (default) reads `a.b.c` as a child of `a.b`; a map gives
   * each label's parent explicitly; `none` treats labels as flat.
   */
  hierarchy?: 'dotted' | 'none' | Readonly<Record<string, string | null | undefined>>;
  /** Share of an example's target spread over its label's siblings (label smoothing along the tree). */
  siblingSmoothing?: number;
  /** Logit scale of the centroid prior (cosine × scale). */
  centroidScale?: number;
  /** Weight of a parent's centroid relative to its children's, in the prior. */
  groupShare?: number;
  /** Exponent of the inverse class frequency that damps features shared by many labels. */
  classSpecificity?: number;
  /** Most feature × label products the refinement may spend (deterministic time bound). */
  workBudget?: number;
  /**
   * Wall-clock cap on the refinement (ms), a safety net for a machine busier than the work budget
   * assumes: whichever of the two runs out first ends training. Default DEFAULT_REFINE_MS.
   */
  maxRefineMs?: number;
  /** Cap on the vocabulary (memory is features × labels); the rarest features go first. */
  maxFeatures?: number;
  /** Features seen in fewer training texts than this are left out of the model. */
  minDocumentFrequency?: number;
  /** Distinct private texts a feature must appear in when no public text has it (default 1). */
  minPrivateDocumentFrequency?: number;
  /**
   * Language analysis (stems and thesaurus concepts as extra feature families). Stored with the
   * model. Without it the model sees only surface words and character n-grams (any language).
   */
  analysis?: TextAnalysisSpec;
}

/** Family weights used when an analysis is configured and the caller does not say otherwise. */
export const ANALYSED_FAMILY_WEIGHTS = { stemWeight: 0.25, conceptWeight: 0.6 } as const;

export interface Prediction {
  label: string;
  /** Softmax probability: the confidences of all labels sum to 1. */
  confidence: number;
}

export interface TextClassifierModel {
  readonly features: Readonly<FeatureOptions>;
  readonly labels: readonly string[];
  /** Parent groups (inner taxonomy nodes) and, per label, the index of its group or -1. */
  readonly groups: readonly string[];
  readonly labelGroup: Int32Array;
  /** Vocabulary: hashed buckets kept by training (ascending) and their IDF. */
  readonly buckets: Int32Array;
  readonly idf: Float32Array;
  /** Row-major [feature][label] and [feature][group]. */
  readonly weights: Float32Array;
  readonly groupWeights: Float32Array;
  readonly bias: Float32Array;
  readonly groupBias: Float32Array;
  /** Lookup bucket → feature index, rebuilt when a model is loaded; not serialised. */
  readonly bucketIndex: ReadonlyMap<number, number>;
  /** Stems and concepts of a text, or null when the model uses surface features only. */
  readonly analyser: TextAnalyser | null;
}

interface Instance {
  x: SparseVector;
  /** Target distribution over labels, as parallel arrays. */
  targetLabels: Int32Array;
  targetMass: Float32Array;
  /** The labels as given (no smoothing): what the centroids are built from. */
  ownLabels: Int32Array;
  ownMass: Float32Array;
  weight: number;
}

const MESSAGES = {
  empty: "Nessun esempio utilizzabile per addestrare il classificatore: servono testi e categorie non vuoti",
  singleClass: 'Servono almeno due categorie diverse per addestrare il classificatore',
} as const;

function parentOf(label: string, hierarchy: NonNullable<TrainOptions['hierarchy']>): string | null {
  if (hierarchy === 'none') return null;
  if (hierarchy === 'dotted') {
    const dot = label.lastIndexOf('.');
    return dot > 0 ? label.slice(0, dot) : null;
  }
  return hierarchy[label] ?? null;
}

function resolveFeatureOptions(options: TrainOptions): FeatureOptions {
  const features: FeatureOptions = {
    hashBits: options.hashBits ?? DEFAULT_FEATURE_OPTIONS.hashBits,
    charNgramMin: options.charNgramMin ?? DEFAULT_FEATURE_OPTIONS.charNgramMin,
    charNgramMax: options.charNgramMax ?? DEFAULT_FEATURE_OPTIONS.charNgramMax,
    wordWeight: options.wordWeight ?? DEFAULT_FEATURE_OPTIONS.wordWeight,
    bigramWeight: options.bigramWeight ?? DEFAULT_FEATURE_OPTIONS.bigramWeight,
    charWeight: options.charWeight ?? DEFAULT_FEATURE_OPTIONS.charWeight,
    stemWeight: options.stemWeight ?? (options.analysis ? ANALYSED_FAMILY_WEIGHTS.stemWeight : 0),
    conceptWeight: options.conceptWeight ?? (options.analysis ? ANALYSED_FAMILY_WEIGHTS.conceptWeight : 0),
  };
  if (!Number.isInteger(features.hashBits) || features.hashBits < 8 || features.hashBits > 30) throw new RangeError(`hashBits must be an integer in 8..30, got ${features.hashBits}`);
  if (features.charNgramMin < 1 || features.charNgramMax < features.charNgramMin) throw new RangeError('charNgramMin must be ≥ 1 and ≤ charNgramMax');
  return features;
}

/** Sum of the weights of each label over the usable examples, in first-seen order. */
interface GroupedText {
  counts: TermCounts;
  labelMass: Map<number, number>;
  /** True when every example with this text is private. */
  private: boolean;
}

/**
 * Trains a classifier. Examples with a blank text or label are ignored; identical texts (after
 * normalisation) are merged into one weighted example, which is what makes 100,000 tickets with
 * many repeated titles train in seconds.
 *
 * @throws ClassificationError `classification.invalid_example`, `classification.empty_training_set`,
 *   `classification.single_class`.
 */
export function trainClassifier(examples: readonly TrainingExample[], options: TrainOptions = {}): TextClassifierModel {
  const features = resolveFeatureOptions(options);
  const hierarchy = options.hierarchy ?? 'dotted';
  const seed = options.seed ?? 1;
  const classBalance = options.classBalance ?? 0.5;
  const smoothing = options.siblingSmoothing ?? 0.1;
  const l2 = options.l2 ?? 1e-4;
  const learningRate = options.learningRate ?? 0.5;
  const minDf = options.minDocumentFrequency ?? 1;
  const minPrivateDf = options.minPrivateDocumentFrequency ?? 1;
  const analyser = options.analysis ? createTextAnalyser(options.analysis) : null;

  // 1. Merge identical texts, index labels.
  const labelIndex = new Map<string, number>();
  const labels: string[] = [];
  const labelTotal: number[] = [];
  const texts = new Map<string, GroupedText>();
  for (const [i, example] of examples.entries()) {
    if (typeof example?.text !== 'string' || typeof example.label !== 'string') {
      throw new ClassificationError('classification.invalid_example', `Esempio di addestramento n. ${i + 1} non valido: servono «text» e «label» di tipo testo`);
    }
    const weight = example.weight ?? 1;
    if (!(weight > 0) || !Number.isFinite(weight)) {
      throw new ClassificationError('classification.invalid_example', `Esempio di addestramento n. ${i + 1} non valido: il peso deve essere un numero positivo`);
    }
    const label = example.label.trim();
    const key = normaliseText(example.text);
    if (label === '' || key === '') continue;
    let li = labelIndex.get(label);
    if (li === undefined) {
      li = labels.length;
      labelIndex.set(label, li);
      labels.push(label);
      labelTotal.push(0);
    }
    labelTotal[li]! += weight;
    let grouped = texts.get(key);
    if (!grouped) {
      grouped = { counts: countTerms(key, features, analyser?.analyse(key)), labelMass: new Map(), private: true };
      texts.set(key, grouped);
    }
    if (example.private !== true) grouped.private = false;
    grouped.labelMass.set(li, (grouped.labelMass.get(li) ?? 0) + weight);
  }
  if (labels.length === 0) throw new ClassificationError('classification.empty_training_set', MESSAGES.empty);
  if (labels.length < 2) throw new ClassificationError('classification.single_class', `${MESSAGES.singleClass} (trovata solo «${labels[0]}»)`);

  // 2. The label tree: groups are the parents named by the labels (only those with ≥ 2 children help).
  const parentNames = labels.map((l) => parentOf(l, hierarchy));
  const childCount = new Map<string, number>();
  for (const p of parentNames) if (p !== null) childCount.set(p, (childCount.get(p) ?? 0) + 1);
  const groups: string[] = [];
  const groupIndex = new Map<string, number>();
  const labelGroup = new Int32Array(labels.length).fill(-1);
  for (const [li, p] of parentNames.entries()) {
    if (p === null || (childCount.get(p) ?? 0) < 2) continue;
    let gi = groupIndex.get(p);
    if (gi === undefined) {
      gi = groups.length;
      groupIndex.set(p, gi);
      groups.push(p);
    }
    labelGroup[li] = gi;
  }
  const siblings: number[][] = labels.map(() => []);
  for (let a = 0; a < labels.length; a++) {
    for (let b = 0; b < labels.length; b++) if (a !== b && labelGroup[a]! >= 0 && labelGroup[a] === labelGroup[b]) siblings[a]!.push(b);
  }

  // 3. Vocabulary and IDF over the distinct texts.
  const df = new Map<number, number>();
  // Buckets seen in some public text; the others must reach minPrivateDf (counted in df).
  const seenPublic = new Set<number>();
  for (const { counts, private: isPrivate } of texts.values()) {
    for (const family of [counts.word, counts.bigram, counts.char, counts.stem, counts.concept]) {
      for (const bucket of family.keys()) {
        df.set(bucket, (df.get(bucket) ?? 0) + 1);
        if (!isPrivate) seenPublic.add(bucket);
      }
    }
  }
  const maxFeatures = options.maxFeatures ?? 1 << 17;
  // The most widespread features first, ties by bucket id so that the cut is deterministic.
  const kept = [...df.entries()]
    .filter(([bucket, n]) => n >= minDf && (n >= minPrivateDf || seenPublic.has(bucket)))
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, maxFeatures)
    .map(([b]) => b);
  const buckets = Int32Array.from(kept).sort();
  const bucketIndex = new Map<number, number>();
  const idf = new Float32Array(buckets.length);
  const n = texts.size;
  for (let f = 0; f < buckets.length; f++) {
    bucketIndex.set(buckets[f]!, f);
    idf[f] = Math.log((n + 1) / (df.get(buckets[f]!)! + 1)) + 1;
  }
  const idfOf = (bucket: number) => idf[bucketIndex.get(bucket)!]!;
  const known = (bucket: number) => bucketIndex.has(bucket);

  // 4. Weighted instances with their target distributions.
  const meanTotal = labelTotal.reduce((a, b) => a + b, 0) / labels.length;
  const balance = labelTotal.map((t) => (meanTotal / t) ** classBalance);
  const instances: Instance[] = [];
  for (const { counts, labelMass } of texts.values()) {
    const vector = toSparse(weightTerms(counts, features, idfOf, known));
    if (vector.indices.length === 0) continue;
    for (let i = 0; i < vector.indices.length; i++) vector.indices[i] = bucketIndex.get(vector.indices[i]!)!;
    unitNormalise(vector);
    const target = new Map<number, number>();
    let weight = 0;
    for (const [li, mass] of labelMass) {
      const m = mass * balance[li]!;
      weight += m;
      const sib = siblings[li]!;
      const own = sib.length > 0 ? 1 - smoothing : 1;
      target.set(li, (target.get(li) ?? 0) + m * own);
      for (const s of sib) target.set(s, (target.get(s) ?? 0) + (m * smoothing) / sib.length);
    }
    const targetLabels = Int32Array.from(target.keys());
    const targetMass = Float32Array.from(target.values(), (m) => m / weight);
    const ownLabels = Int32Array.from(labelMass.keys());
    const ownMass = Float32Array.from(labelMass.entries(), ([li, m]) => (m * balance[li]!) / weight);
    instances.push({ x: vector, targetLabels, targetMass, ownLabels, ownMass, weight });
  }
  const meanWeight = instances.reduce((a, b) => a + b.weight, 0) / instances.length;
  for (const inst of instances) inst.weight /= meanWeight;

  const L = labels.length;
  const G = groups.length;
  const F = buckets.length;
  // 5. Start from the class centroids, then refine discriminatively (6).
  const { labelPrior, groupPrior } = centroidPrior(instances, F, L, labelGroup, G, {
    scale: options.centroidScale ?? 20,
    groupShare: options.groupShare ?? 0.3,
    classSpecificity: options.classSpecificity ?? 1,
  });
  const model = {
    features,
    labels,
    groups,
    labelGroup,
    buckets,
    idf,
    weights: Float32Array.from(labelPrior),
    groupWeights: Float32Array.from(groupPrior),
    bias: new Float32Array(L),
    groupBias: new Float32Array(G),
    bucketIndex,
    analyser,
  } satisfies TextClassifierModel;
  const epochs = options.epochs ?? defaultEpochs(labelTotal);
  if (epochs === 0) return model;
  // Accumulators start at 1, not 0: plain Adagrad's first step has size `learningRate` however
  // small the gradient, which would wreck the centroid prior where it is already right.
  const accW = new Float32Array(F * L).fill(1);
  const accV = new Float32Array(F * G).fill(1);
  const accB = new Float32Array(L).fill(1);
  const accGB = new Float32Array(G).fill(1);
  const logits = new Float64Array(L);
  const grad = new Float64Array(L);
  const groupGrad = new Float64Array(G);
  const random = prng(seed);
  const order = Int32Array.from(instances.keys());
  const EPS = 1e-8;
  // Classes whose gradient is this small are skipped: after the first epochs almost all are.
  const SKIP = 1e-5;
  // A work budget (feature × label products), not a clock, bounds training: the same data then
  // always gets the same passes, and 100,000 long distinct texts still train within a minute.
  let budget = options.workBudget ?? DEFAULT_WORK_BUDGET;
  const deadline = performance.now() + (options.maxRefineMs ?? DEFAULT_REFINE_MS);
  let sinceClock = 0;
  for (let epoch = 0; epoch < epochs && budget > 0; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (const o of order) {
      if (budget <= 0) break;
      if (++sinceClock === 512) {
        sinceClock = 0;
        if (performance.now() > deadline) {
          budget = 0;
          break;
        }
      }
      const inst = instances[o]!;
      budget -= inst.x.indices.length * (L + G);
      scoreInto(model, inst.x, logits);
      softmaxInPlace(logits);
      // grad = weight · (p − y)
      for (let c = 0; c < L; c++) grad[c] = logits[c]!;
      for (let k = 0; k < inst.targetLabels.length; k++) grad[inst.targetLabels[k]!]! -= inst.targetMass[k]!;
      groupGrad.fill(0);
      for (let c = 0; c < L; c++) {
        grad[c]! *= inst.weight;
        const g = labelGroup[c]!;
        if (g >= 0) groupGrad[g]! += grad[c]!;
      }
      const { indices, values } = inst.x;
      for (let c = 0; c < L; c++) {
        const gc = grad[c]!;
        if (gc > -SKIP && gc < SKIP) continue;
        for (let k = 0; k < indices.length; k++) {
          const at = indices[k]! * L + c;
          const w = model.weights[at]!;
          const g = gc * values[k]! + l2 * (w - labelPrior[at]!);
          const acc = accW[at]! + g * g;
          accW[at] = acc;
          model.weights[at] = w - (learningRate * g) / Math.sqrt(acc + EPS);
        }
        const acc = accB[c]! + gc * gc;
        accB[c] = acc;
        model.bias[c]! -= (learningRate * gc) / Math.sqrt(acc + EPS);
      }
      for (let p = 0; p < G; p++) {
        const gp = groupGrad[p]!;
        if (gp > -SKIP && gp < SKIP) continue;
        for (let k = 0; k < indices.length; k++) {
          const at = indices[k]! * G + p;
          const w = model.groupWeights[at]!;
          const g = gp * values[k]! + l2 * (w - groupPrior[at]!);
          const acc = accV[at]! + g * g;
          accV[at] = acc;
          model.groupWeights[at] = w - (learningRate * g) / Math.sqrt(acc + EPS);
        }
        const acc = accGB[p]! + gp * gp;
        accGB[p] = acc;
        model.groupBias[p]! -= (learningRate * gp) / Math.sqrt(acc + EPS);
      }
    }
  }
  return model;
}

interface PriorOptions {
  scale: number;
  groupShare: number;
  classSpecificity: number;
}

/**
 * Class centroids as initial weights: each label's (unit) mean vector, with features shared by
 * many labels damped by an inverse class frequency, times `scale` so that a cosine gap of 0.1
 * is worth 2 logits. On a few examples per class (a FAQ corpus) this nearest-centroid rule is
 * already most of the model — it generalises from three FAQs where a softmax started from zero
 * memorises them — and training then only corrects where the centroids confuse labels. The
 * parent's centroid (sum of its children's) gives siblings a common share.
 */
function centroidPrior(instances: readonly Instance[], F: number, L: number, labelGroup: Int32Array, G: number, options: PriorOptions): { labelPrior: Float32Array; groupPrior: Float32Array } {
  // Built in place: the centroid matrix becomes the prior, so it costs one F×L array, not two.
  const labelPrior = new Float32Array(F * L);
  for (const inst of instances) {
    const { indices, values } = inst.x;
    for (let t = 0; t < inst.ownLabels.length; t++) {
      const c = inst.ownLabels[t]!;
      const m = inst.ownMass[t]! * inst.weight;
      for (let k = 0; k < indices.length; k++) labelPrior[indices[k]! * L + c]! += m * values[k]!;
    }
  }
  const norms = new Float64Array(L);
  for (let f = 0; f < F; f++) {
    let classes = 0;
    for (let c = 0; c < L; c++) if (labelPrior[f * L + c] !== 0) classes++;
    const specificity = (Math.log((L + 1) / (classes + 1)) + 1) ** options.classSpecificity;
    for (let c = 0; c < L; c++) {
      const v = labelPrior[f * L + c]! * specificity;
      labelPrior[f * L + c] = v;
      norms[c]! += v * v;
    }
  }
  const groupPrior = new Float32Array(F * G);
  const groupNorms = new Float64Array(G);
  for (let c = 0; c < L; c++) norms[c] = norms[c]! > 0 ? 1 / Math.sqrt(norms[c]!) : 0;
  for (let f = 0; f < F; f++) {
    for (let c = 0; c < L; c++) {
      const v = labelPrior[f * L + c]! * norms[c]!;
      labelPrior[f * L + c] = options.scale * v;
      const g = labelGroup[c]!;
      if (g >= 0) groupPrior[f * G + g]! += v;
    }
    for (let g = 0; g < G; g++) groupNorms[g]! += groupPrior[f * G + g]! ** 2;
  }
  for (let f = 0; f < F; f++) {
    for (let g = 0; g < G; g++) {
      const at = f * G + g;
      groupPrior[at] = groupNorms[g]! > 0 ? (options.scale * options.groupShare * groupPrior[at]!) / Math.sqrt(groupNorms[g]!) : 0;
    }
  }
  return { labelPrior, groupPrior };
}

/** About 15–25 s of refinement on this project's 2-core machines (measured ~3–4e7 products per second). */
export const DEFAULT_WORK_BUDGET = 6e8;

/** Refinement never runs longer than this, however busy the machine (training stays under a minute). */
export const DEFAULT_REFINE_MS = 30_000;

/** Below this many examples for the median label, training stops at the centroids. */
export const MIN_TEXTS_PER_LABEL_FOR_REFINEMENT = 20;

/**
 * With a handful of texts per label (a FAQ corpus, a young network) discriminative training
 * memorises them and generalises worse than the centroids it starts from (measured on the FAQ
 * queries: 0.82 → 0.72 accuracy@1 after two epochs); with dozens per label (years of tickets, the
 * Boston cases: 0.915 → 0.96) it fixes what centroids confuse. So: no refinement below the
 * threshold, five passes above it. Counted in examples (weights), not distinct texts: a hundred
 * tickets titled alike are a hundred confirmations.
 */
function defaultEpochs(examplesPerLabel: readonly number[]): number {
  const sorted = [...examplesPerLabel].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return median < MIN_TEXTS_PER_LABEL_FOR_REFINEMENT ? 0 : 5;
}

function scoreInto(model: TextClassifierModel, x: SparseVector, out: Float64Array): void {
  const L = model.labels.length;
  const G = model.groups.length;
  const groupScore = new Float64Array(G);
  for (let c = 0; c < L; c++) out[c] = model.bias[c]!;
  for (let p = 0; p < G; p++) groupScore[p] = model.groupBias[p]!;
  const { indices, values } = x;
  for (let k = 0; k < indices.length; k++) {
    const v = values[k]!;
    const row = indices[k]! * L;
    for (let c = 0; c < L; c++) out[c]! += v * model.weights[row + c]!;
    const groupRow = indices[k]! * G;
    for (let p = 0; p < G; p++) groupScore[p]! += v * model.groupWeights[groupRow + p]!;
  }
  for (let c = 0; c < L; c++) {
    const g = model.labelGroup[c]!;
    if (g >= 0) out[c]! += groupScore[g]!;
  }
}

function softmaxInPlace(z: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < z.length; c++) if (z[c]! > max) max = z[c]!;
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    const e = Math.exp(z[c]! - max);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < z.length; c++) z[c]! /= sum;
}

/** The feature vector of a text in the model's own feature space (unknown features dropped). */
export function vectorize(model: TextClassifierModel, text: string): SparseVector {
  const key = normaliseText(text);
  const index = model.bucketIndex;
  const isKnownStem = model.features.stemWeight > 0 ? (stem: string) => index.has(stemBucket(stem, model.features)) : undefined;
  const counts = countTerms(key, model.features, model.analyser?.analyse(key, isKnownStem));
  const weighted = weightTerms(counts, model.features, (b) => model.idf[index.get(b)!]!, (b) => index.has(b));
  const vector = toSparse(weighted);
  for (let i = 0; i < vector.indices.length; i++) vector.indices[i] = index.get(vector.indices[i]!)!;
  return unitNormalise(vector);
}

/** Scales to unit length so that a dot product with a unit centroid is a cosine. */
function unitNormalise(vector: SparseVector): SparseVector {
  let norm = 0;
  for (const v of vector.values) norm += v * v;
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < vector.values.length; i++) vector.values[i]! *= scale;
  }
  return vector;
}

/** Probabilities of every label for a text, in `model.labels` order. */
export function predictDistribution(model: TextClassifierModel, text: string): Float64Array {
  const z = new Float64Array(model.labels.length);
  scoreInto(model, vectorize(model, text), z);
  softmaxInPlace(z);
  return z;
}

/**
 * The `k` most likely labels, most likely first. A text with no known feature gets the prior
 * (the biases), so the answer is never empty for k ≥ 1.
 */
export function predict(model: TextClassifierModel, text: string, k = 3): Prediction[] {
  const p = predictDistribution(model, text);
  const top: number[] = [];
  const want = Math.max(0, Math.min(k, p.length));
  for (let c = 0; c < p.length; c++) {
    if (top.length < want) {
      top.push(c);
      top.sort((a, b) => p[b]! - p[a]! || a - b);
    } else if (want > 0 && p[c]! > p[top[want - 1]!]!) {
      top[want - 1] = c;
      top.sort((a, b) => p[b]! - p[a]! || a - b);
    }
  }
  return top.map((c) => ({ label: model.labels[c]!, confidence: p[c]! }));
}

// ---------------------------------------------------------------------------------------------
// Serialisation: one JSON document with the arrays as base64, so it fits a text/jsonb column.

export const MODEL_FORMAT = 'urpnet.text-classifier';
export const MODEL_FORMAT_VERSION = 2;

export interface SerializedModel {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  features: FeatureOptions;
  labels: string[];
  groups: string[];
  labelGroup: number[];
  /** Base64 of little-endian Int32 / Float32 arrays; weights may be stored sparse. */
  buckets: string;
  idf: string;
  weights: EncodedWeights;
  groupWeights: EncodedWeights;
  bias: string;
  groupBias: string;
  /** Since version 2: the language analysis (with its thesaurus), or null. */
  analysis: TextAnalysisSpec | null;
}

/** Dense base64, or positions + values of the non-zeros when that is under half the size. */
type EncodedWeights = string | { length: number; at: string; values: string };

function encodeWeights(array: Float32Array, pruneBelow: number): EncodedWeights {
  const kept = (v: number) => v !== 0 && Math.abs(v) >= pruneBelow;
  let nonZero = 0;
  for (const v of array) if (kept(v)) nonZero++;
  if (nonZero * 2 >= array.length && pruneBelow <= 0) return toBase64(array);
  const at = new Int32Array(nonZero);
  const values = new Float32Array(nonZero);
  let j = 0;
  for (let i = 0; i < array.length; i++) {
    if (kept(array[i]!)) {
      at[j] = i;
      values[j++] = array[i]!;
    }
  }
  return { length: array.length, at: toBase64(at), values: toBase64(values) };
}

function decodeWeights(encoded: unknown, field: string): Float32Array {
  if (typeof encoded === 'string') return fromBase64(encoded, Float32Array, field);
  const e = encoded as Partial<{ length: number; at: string; values: string }> | null;
  if (!e || typeof e !== 'object' || !Number.isInteger(e.length) || (e.length ?? -1) < 0) throw invalidModel(`campo «${field}» mancante`);
  const at = fromBase64(e.at, Int32Array, field);
  const values = fromBase64(e.values, Float32Array, field);
  const out = new Float32Array(e.length!);
  if (at.length !== values.length) throw invalidModel(`campo «${field}» incoerente`);
  for (let i = 0; i < at.length; i++) {
    if (at[i]! < 0 || at[i]! >= out.length) throw invalidModel(`campo «${field}» fuori intervallo`);
    out[at[i]!] = values[i]!;
  }
  return out;
}

function toBase64(array: Int32Array | Float32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function fromBase64<T extends Int32Array | Float32Array>(text: unknown, Ctor: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, field: string): T {
  if (typeof text !== 'string') throw invalidModel(`campo «${field}» mancante`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) throw invalidModel(`campo «${field}» troncato`);
  // Copy into a fresh, aligned buffer: a Buffer's offset inside Node's pool may not be aligned.
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return new Ctor(copy);
}

function invalidModel(detail: string): ClassificationError {
  return new ClassificationError('classification.invalid_model', `Modello del classificatore non valido: ${detail}`);
}

/**
 * Weights smaller than this (in logits per unit of feature value) are left out of a stored model.
 * Refinement touches most feature × label pairs with tiny steps; dropping them shrinks a Boston-size
 * model (22k features × 157 types) from 19 MB to 1.5 MB with the same accuracy to four decimals.
 */
export const DEFAULT_PRUNE_BELOW = 1e-3;

export function serializeModel(model: TextClassifierModel, options: { pruneBelow?: number } = {}): string {
  const pruneBelow = options.pruneBelow ?? DEFAULT_PRUNE_BELOW;
  const doc: SerializedModel = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    features: { ...model.features },
    labels: [...model.labels],
    groups: [...model.groups],
    labelGroup: [...model.labelGroup],
    buckets: toBase64(model.buckets),
    idf: toBase64(model.idf),
    weights: encodeWeights(model.weights, pruneBelow),
    groupWeights: encodeWeights(model.groupWeights, pruneBelow),
    bias: toBase64(model.bias),
    groupBias: toBase64(model.groupBias),
    analysis: model.analyser ? { lang: model.analyser.spec.lang, thesaurus: model.analyser.spec.thesaurus.map((g) => [...g]) } : null,
  };
  return JSON.stringify(doc);
}

/** @throws ClassificationError `classification.invalid_model` when the text is not a model this code wrote. */
export function deserializeModel(serialized: string): TextClassifierModel {
  let doc: Partial<SerializedModel>;
  try {
    doc = JSON.parse(serialized) as Partial<SerializedModel>;
  } catch {
    throw invalidModel('non è JSON');
  }
  if (doc?.format !== MODEL_FORMAT) throw invalidModel(`formato «${String(doc?.format)}» sconosciuto`);
  if (doc.version !== MODEL_FORMAT_VERSION && doc.version !== 1) throw invalidModel(`versione ${String(doc.version)} non supportata (attesa ${MODEL_FORMAT_VERSION})`);
  if (!Array.isArray(doc.labels) || !Array.isArray(doc.groups) || !Array.isArray(doc.labelGroup) || !doc.features) throw invalidModel('etichette o parametri mancanti');
  const analysis = doc.analysis ?? null;
  if (analysis !== null && (!isSearchLanguage(analysis.lang) || !Array.isArray(analysis.thesaurus) || !analysis.thesaurus.every((g) => Array.isArray(g) && g.every((t) => typeof t === 'string')))) {
    throw invalidModel('analisi del testo non valida');
  }
  const buckets = fromBase64(doc.buckets, Int32Array, 'buckets');
  const L = doc.labels.length;
  const G = doc.groups.length;
  const F = buckets.length;
  const model: TextClassifierModel = {
    // Version 1 had no stem/concept families.
    features: Object.freeze({ ...doc.features, stemWeight: doc.features.stemWeight ?? 0, conceptWeight: doc.features.conceptWeight ?? 0 }),
    labels: doc.labels,
    groups: doc.groups,
    labelGroup: Int32Array.from(doc.labelGroup),
    buckets,
    idf: fromBase64(doc.idf, Float32Array, 'idf'),
    weights: decodeWeights(doc.weights, 'weights'),
    groupWeights: decodeWeights(doc.groupWeights, 'groupWeights'),
    bias: fromBase64(doc.bias, Float32Array, 'bias'),
    groupBias: fromBase64(doc.groupBias, Float32Array, 'groupBias'),
    bucketIndex: new Map(Array.from(buckets, (b, f) => [b, f])),
    analyser: analysis ? createTextAnalyser(analysis) : null,
  };
  if (model.idf.length !== F || model.weights.length !== F * L || model.groupWeights.length !== F * G || model.bias.length !== L || model.groupBias.length !== G || model.labelGroup.length !== L) {
    throw invalidModel('dimensioni incoerenti');
  }
  return model;
}
