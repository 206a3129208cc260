/**
 * Suggestions while an operator types: the newest stored model of each facet, kept in memory and
 * replaced when a newer version appears in the database (checked at most every few seconds, so
 * every server instance follows the one that trained). A network without any model yet gets one
 * trained on first use, from its FAQs and taxonomy.
 */
import type { Database } from '../../db/database.js';
import type { SuggestedJson } from '../../db/tables/classification.js';
import type { Actor } from '../../platform/actor.js';
import type { FaqSearchEngine } from '../knowledge/index.js';
import { currentTaxonomy } from '../taxonomy/index.js';
import { ClassificationError } from './classification.errors.js';
import { blendFaqTopics, FAQ_TOPIC_HITS } from './faq-topic-blend.js';
import { latestHeads, loadSerialisedModel, type StoredModelHead } from './model-store.js';
import { toAppError } from './suggestion.errors.js';
import { deserializeModel, predictDistribution, type TextClassifierModel } from './text-classifier.js';
import { SUGGESTED_FACETS, type SuggestedFacet, trainAndStoreModels } from './training-job.js';

/** How often an instance asks the database whether a newer model exists. */
const REFRESH_INTERVAL_MS = 5_000;
export const SUGGESTIONS_PER_FACET = 3;
/** How long a first suggestion waits for another instance's first training. */
const BOOTSTRAP_WAIT_MS = 60_000;

interface LoadedModel {
  head: StoredModelHead;
  model: TextClassifierModel;
}

export interface FacetSuggestion {
  modelVersion: number;
  suggestions: { code: string; label: string; confidence: number }[];
}

export interface SuggestionResult {
  id: string;
  facets: Partial<Record<SuggestedFacet, FacetSuggestion>>;
}

export class ModelCache {
  private models = new Map<string, LoadedModel>();
  private checkedAt = 0;
  private refreshing: Promise<void> | null = null;
  private bootstrapping: Promise<void> | null = null;

  constructor(private readonly db: Database) {}

  /** Forces the next `current()` to look for newer models (after this instance trained). */
  invalidate(): void {
    this.checkedAt = 0;
  }

  async current(): Promise<ReadonlyMap<string, LoadedModel>> {
    if (Date.now() - this.checkedAt >= REFRESH_INTERVAL_MS) {
      this.refreshing ??= this.refresh().finally(() => {
        this.refreshing = null;
      });
      await this.refreshing;
    }
    if (this.models.size === 0) {
      this.bootstrapping ??= this.bootstrap().finally(() => {
        this.bootstrapping = null;
      });
      await this.bootstrapping;
    }
    return this.models;
  }

  /** The models stored so far, without training one when there is none (background classification). */
  async stored(): Promise<ReadonlyMap<string, LoadedModel>> {
    if (Date.now() - this.checkedAt >= REFRESH_INTERVAL_MS) {
      this.refreshing ??= this.refresh().finally(() => {
        this.refreshing = null;
      });
      await this.refreshing;
    }
    return this.models;
  }

  private async refresh(): Promise<void> {
    const heads = await latestHeads(this.db);
    for (const head of heads) {
      if (this.models.get(head.facet)?.head.id === head.id) continue;
      const stored = await loadSerialisedModel(this.db, head.id);
      if (stored) this.models.set(head.facet, { head: stored.head, model: deserializeModel(stored.serialised) });
    }
    this.checkedAt = Date.now();
  }

  /** First use on a network that never trained: train now, or wait for the instance that is training. */
  private async bootstrap(): Promise<void> {
    try {
      await trainAndStoreModels(this.db, { trigger: 'startup', userId: null });
    } catch (err) {
      if (!(err instanceof ClassificationError && err.code === 'classification.training_in_progress')) throw err;
      // Someone else is training: use what they store once it is there.
      const until = Date.now() + BOOTSTRAP_WAIT_MS;
      while (Date.now() < until && (await latestHeads(this.db)).length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await this.refresh();
  }
}

/**
 * The most probable code of each suggested facet for a text, with its confidence (over the codes
 * active in the current taxonomy), from the models stored so far; nothing is recorded.
 */
export async function topCodes(db: Database, cache: ModelCache, text: string): Promise<Partial<Record<SuggestedFacet, { code: string; confidence: number }>>> {
  const models = await cache.stored();
  const tax = await currentTaxonomy(db);
  const out: Partial<Record<SuggestedFacet, { code: string; confidence: number }>> = {};
  for (const facet of SUGGESTED_FACETS) {
    const loaded = models.get(facet);
    if (!loaded) continue;
    const p = predictDistribution(loaded.model, text);
    let mass = 0;
    let best: { code: string; p: number } | null = null;
    loaded.model.labels.forEach((code, i) => {
      const node = tax.nodes.get(`${facet}:${code}`);
      if (!node || node.deprecated) return;
      mass += p[i]!;
      if (!best || p[i]! > best.p) best = { code, p: p[i]! };
    });
    const top = best as { code: string; p: number } | null;
    if (top && mass > 0) out[facet] = { code: top.code, confidence: top.p / mass };
  }
  return out;
}

/**
 * Top codes per facet with softmax confidences, restricted to the codes active in the current
 * taxonomy (the probabilities are renormalised over them), and the suggestion recorded (without
 * its text) so the operator's choice can be related to it.
 */
export async function suggest(
  db: Database,
  cache: ModelCache,
  actor: Actor,
  input: { text: string; lang?: 'it' | 'en' },
  faqSearch?: Pick<FaqSearchEngine, 'search'>,
): Promise<SuggestionResult> {
  let models: ReadonlyMap<string, LoadedModel>;
  try {
    models = await cache.current();
  } catch (err) {
    if (err instanceof ClassificationError) throw toAppError(err);
    throw err;
  }
  const tax = await currentTaxonomy(db);
  // The topics of the FAQs that answer the text take part in the topic suggestion (faq-topic-blend.ts).
  const faqHits = faqSearch ? (await faqSearch.search({ query: input.text, lang: 'it', limit: FAQ_TOPIC_HITS })).items.map((i) => ({ topic: i.faq.tema, score: i.score })) : [];
  const lang = input.lang ?? actor.locale;
  const facets: SuggestionResult['facets'] = {};
  const suggested: SuggestedJson = {};
  for (const facet of SUGGESTED_FACETS) {
    const loaded = models.get(facet);
    if (!loaded) continue;
    const classified = predictDistribution(loaded.model, input.text);
    const p = facet === 'tema' ? blendFaqTopics(loaded.model.labels, classified, faqHits) : classified;
    const active: { code: string; label: string; p: number }[] = [];
    let mass = 0;
    loaded.model.labels.forEach((code, i) => {
      const node = tax.nodes.get(`${facet}:${code}`);
      if (!node || node.deprecated) return;
      mass += p[i]!;
      active.push({ code, label: (lang === 'en' ? node.label.en : undefined) ?? node.label.it, p: p[i]! });
    });
    active.sort((a, b) => b.p - a.p || (a.code < b.code ? -1 : 1));
    const top = active.slice(0, SUGGESTIONS_PER_FACET).map((a) => ({ code: a.code, label: a.label, confidence: mass > 0 ? a.p / mass : 0 }));
    facets[facet] = { modelVersion: loaded.head.version, suggestions: top };
    suggested[facet] = { modelId: loaded.head.id, modelVersion: loaded.head.version, codes: top.map((t) => ({ code: t.code, confidence: t.confidence })) };
  }
  const organisationId = actor.grants.find((g) => g.role === 'operator' || g.role === 'back_office' || g.role === 'supervisor')?.organisationId ?? null;
  const row = await db
    .insertInto('classification_suggestions')
    .values({ user_id: actor.userId, organisation_id: organisationId, text_length: input.text.length, suggested: JSON.stringify(suggested) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, facets };
}
