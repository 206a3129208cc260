/**
 * Trains the product's suggester models, one per facet (`tema`, `tipo`), and stores them.
 *
 * Training data, all mapped to the codes active in the current taxonomy version:
 * - the network's resolved and closed tickets classified in that facet (subject + description), with the
 *   personal data stripped (`platform/privacy`) and marked private: a feature (word,
 *   character n-gram…) seen only in tickets enters the model only if it occurs in at least
 *   MIN_TICKETS_PER_FEATURE distinct tickets, so the stored weights cannot spell out a name or a
 *   detail that a single citizen wrote;
 * - tickets whose suggestion the operator corrected count CORRECTION_WEIGHT times;
 * - the published FAQs (title, body and tags), so the suggester works from the network's first day;
 * - the taxonomy's own node labels and descriptions (Italian and English).
 * The text analysis uses the editorial board's thesaurus (`faq_thesaurus`), stored with the model.
 *
 * Metrics come from a held-out slice of the tickets (every tenth, by id): a model is trained
 * without it and measured on it, then the stored model is trained on everything.
 */
import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import { publishedFaqLabels, thesaurusTermGroups } from '../knowledge/index.js';
import { currentTaxonomy, type IndexedTaxonomy } from '../taxonomy/index.js';
import { labelledTickets } from '../tickets/index.js';
import { accuracyAtK, macroF1 } from './classification-metrics.js';
import { ClassificationError } from './classification.errors.js';
import type { TextAnalysisSpec } from './concept-analysis.js';
import { insertModel, releaseLease, type StoredModel, tryAcquireLease } from './model-store.js';
import { DEFAULT_ANALYSIS_LANGUAGE } from './network-analysis.js';
import { stripPersonalData } from '../../platform/privacy/index.js';
import { MODEL_FORMAT_VERSION, predict, serializeModel, type TextClassifierModel, type TrainingExample, type TrainOptions, trainClassifier } from './text-classifier.js';

import { SUGGESTED_FACETS, type SuggestedFacet } from './suggested-facets.js';
import { faqTrainingText, taxonomyNodeTrainingText } from './training-augmentation.js';

export { SUGGESTED_FACETS, type SuggestedFacet };

/** A feature only tickets have must occur in this many distinct tickets to be kept. */
export const MIN_TICKETS_PER_FEATURE = 3;
/** A corrected suggestion teaches more than a confirmed one. */
export const CORRECTION_WEIGHT = 3;
/** Most recent resolved or closed tickets read per training: bounds time and memory (well under a minute). */
export const MAX_TRAINING_TICKETS = 100_000;
/** Cap on the vocabulary: the stored model is features × codes. */
export const MAX_MODEL_FEATURES = 60_000;
/** Held-out tickets needed before metrics mean something. */
const MIN_HELD_OUT = 20;
/** A training run that crashes frees the lease after this long. */
const LEASE_TTL_MS = 15 * 60_000;

export interface TrainingSource {
  text: string;
  code: string;
  kind: 'ticket' | 'faq' | 'taxonomy';
  ticketId?: string;
  corrected?: boolean;
}

function activeCodes(tax: IndexedTaxonomy, facet: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const node of tax.nodes.values()) if (node.facet === facet && !node.deprecated) out.set(node.code, node.parentCode);
  return out;
}

async function loadThesaurus(db: Database, lang: string): Promise<string[][]> {
  return (await thesaurusTermGroups(db, lang)).filter((terms) => Array.isArray(terms) && terms.length >= 2);
}

/** What training reads from the database, once per run for every facet. */
export interface TrainingData {
  faqs: { title: string; body: string; tags: string[]; tema: string | null; tipo: string | null }[];
  /** Resolved and closed tickets, their text already stripped of personal data, with the facets an operator corrected. */
  tickets: { id: string; text: string; classification: Record<string, string>; correctedFacets: Set<string> }[];
}

export async function loadTrainingData(db: Database): Promise<TrainingData> {
  const faqs = await publishedFaqLabels(db);
  const rows = await labelledTickets(db, MAX_TRAINING_TICKETS);
  // Facets an operator changed from the first suggestion, per ticket (this module's own feedback).
  const corrected = new Map<string, Set<string>>();
  const ids = rows.map((t) => t.id);
  for (let i = 0; i < ids.length; i += 10_000) {
    const feedback = await db
      .selectFrom('classification_feedback')
      .select(['ticket_id', 'facet'])
      .where('ticket_id', '=', sql<string>`any(${ids.slice(i, i + 10_000)}::uuid[])`)
      .where(sql<boolean>`chosen_rank is distinct from 1`)
      .execute();
    for (const f of feedback) if (f.ticket_id) corrected.set(f.ticket_id, (corrected.get(f.ticket_id) ?? new Set()).add(f.facet));
  }
  const tickets = rows.map((t) => ({
    id: t.id, text: stripPersonalData(`${t.subject}\n\n${t.description}`), classification: t.classification, correctedFacets: corrected.get(t.id) ?? new Set<string>(),
  }));
  return { faqs, tickets };
}

/** Every labelled text for one facet, already restricted to active codes. */
export function collectTrainingSources(tax: IndexedTaxonomy, facet: SuggestedFacet, data: TrainingData): { sources: TrainingSource[]; droppedTickets: number } {
  const codes = activeCodes(tax, facet);
  const sources: TrainingSource[] = [];
  for (const node of tax.nodes.values()) {
    if (node.facet !== facet || node.deprecated) continue;
    sources.push({ text: taxonomyNodeTrainingText(node), code: node.code, kind: 'taxonomy' });
  }
  for (const f of data.faqs) {
    const code = facet === 'tema' ? f.tema : f.tipo;
    if (code && codes.has(code)) sources.push({ text: faqTrainingText(f), code, kind: 'faq' });
  }
  let droppedTickets = 0;
  for (const t of data.tickets) {
    const code = t.classification?.[facet];
    if (!code || !codes.has(code) || t.text === '') {
      droppedTickets++;
      continue;
    }
    sources.push({ text: t.text, code, kind: 'ticket', ticketId: t.id, corrected: t.correctedFacets.has(facet) });
  }
  return { sources, droppedTickets };
}

function toExamples(sources: readonly TrainingSource[]): TrainingExample[] {
  return sources.map((s) => ({ text: s.text, label: s.code, private: s.kind === 'ticket', ...(s.corrected ? { weight: CORRECTION_WEIGHT } : {}) }));
}

function isHeldOut(ticketId: string): boolean {
  return createHash('sha256').update(ticketId).digest()[0]! % 10 === 0;
}

export function productTrainOptions(analysis: TextAnalysisSpec, hierarchy: Readonly<Record<string, string | null>>): TrainOptions {
  return { analysis, hierarchy, minPrivateDocumentFrequency: MIN_TICKETS_PER_FEATURE, maxFeatures: MAX_MODEL_FEATURES, seed: 1 };
}

/** The options the product trains one facet's model with: its active codes as the label tree. */
export function facetTrainOptions(tax: IndexedTaxonomy, facet: SuggestedFacet, analysis: TextAnalysisSpec): TrainOptions {
  return productTrainOptions(analysis, Object.fromEntries(activeCodes(tax, facet)));
}

export interface FacetTrainingResult {
  facet: SuggestedFacet;
  model: TextClassifierModel;
  counts: Record<string, number>;
  metrics: Record<string, number | null>;
  trainMs: number;
}

/** Trains one facet's model; throws ClassificationError on unusable data. */
export function trainFacet(data: TrainingData, tax: IndexedTaxonomy, facet: SuggestedFacet, analysis: TextAnalysisSpec): FacetTrainingResult {
  const started = performance.now();
  const { sources, droppedTickets } = collectTrainingSources(tax, facet, data);
  const options = facetTrainOptions(tax, facet, analysis);
  const tickets = sources.filter((s) => s.kind === 'ticket');
  const heldOut = tickets.filter((s) => isHeldOut(s.ticketId!));
  let metrics: Record<string, number | null> = { heldOutTickets: heldOut.length, accuracyAt1: null, accuracyAt3: null, macroF1: null };
  if (heldOut.length >= MIN_HELD_OUT) {
    const trainPart = sources.filter((s) => s.kind !== 'ticket' || !isHeldOut(s.ticketId!));
    const probe = trainClassifier(toExamples(trainPart), options);
    const cases = heldOut.map((s) => ({ gold: s.code, ranked: predict(probe, s.text, 3).map((p) => p.label) }));
    metrics = { heldOutTickets: heldOut.length, accuracyAt1: accuracyAtK(cases, 1), accuracyAt3: accuracyAtK(cases, 3), macroF1: macroF1(cases) };
  }
  const model = trainClassifier(toExamples(sources), options);
  const counts = {
    tickets: tickets.length,
    correctedTickets: tickets.filter((s) => s.corrected).length,
    droppedTickets,
    faqs: sources.filter((s) => s.kind === 'faq').length,
    taxonomyNodes: sources.filter((s) => s.kind === 'taxonomy').length,
    labels: model.labels.length,
    features: model.buckets.length,
    thesaurusGroups: analysis.thesaurus.length,
  };
  return { facet, model, counts, metrics, trainMs: performance.now() - started };
}

export interface TrainingRun {
  trigger: 'manual' | 'schedule' | 'startup';
  userId: string | null;
  now?: Date;
  /** Identifies this instance in the lease (for diagnostics). */
  holder?: string;
}

/**
 * Trains and stores a new model for every suggested facet, under the training lease.
 * @throws ClassificationError `classification.training_in_progress` when another run holds the lease.
 */
export async function trainAndStoreModels(db: Database, run: TrainingRun): Promise<StoredModel[]> {
  const holder = run.holder ?? `${process.pid}:${randomUUID()}`;
  const now = run.now ?? new Date();
  if (!(await tryAcquireLease(db, holder, now, LEASE_TTL_MS))) {
    throw new ClassificationError('classification.training_in_progress', "Un addestramento del classificatore è già in corso: attendi che finisca e riprova.");
  }
  try {
    const tax = await currentTaxonomy(db);
    const analysis: TextAnalysisSpec = { lang: DEFAULT_ANALYSIS_LANGUAGE, thesaurus: await loadThesaurus(db, DEFAULT_ANALYSIS_LANGUAGE) };
    const data = await loadTrainingData(db);
    const stored: StoredModel[] = [];
    for (const facet of SUGGESTED_FACETS) {
      const result = trainFacet(data, tax, facet, analysis);
      // Yield between facets: training is synchronous CPU work.
      await new Promise((resolve) => setImmediate(resolve));
      stored.push(
        await insertModel(db, {
          facet, taxonomyVersion: tax.document.version, trigger: run.trigger, trainedBy: run.userId, trainedAt: new Date(), trainMs: result.trainMs,
          trainingCounts: result.counts, metrics: result.metrics, modelFormat: MODEL_FORMAT_VERSION, serialised: serializeModel(result.model),
        }),
      );
    }
    return stored;
  } finally {
    await releaseLease(db, holder);
  }
}
