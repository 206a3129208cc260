/**
 * The FAQ search of one server instance: an in-memory index per language, built from the database
 * (the source of truth) and rebuilt when the knowledge base's revision counter moves. The counter is
 * read at most every `checkIntervalMs` and never on the query's path once an index exists: a change
 * made on another instance is visible here within that interval plus the rebuild time; a change
 * made through this instance calls `invalidate()` and is visible to the next query.
 */
import type { Database } from '../../db/database.js';
import { listOrganisations } from '../identity/index.js';
import { currentTaxonomy, type IndexedTaxonomy } from '../taxonomy/index.js';
import * as repo from './knowledge.repository.js';
import { italianLexicon, type Lexicon } from '../../platform/text/lexicon.js';
import { ITALIAN_REGIONS, placeOfOrganisationName, placesNamed } from './place-names.js';
import { loadTerritory, type Territory } from '../territory/index.js';
import { renderTemplate } from './faq-template.js';
import { FaqSearchIndex, type QueryInterpretation, type SearchTuning } from './search-index.js';
import { analyseTerms, normaliseText, SEARCH_LANGUAGES, type SearchLanguage } from '../../platform/text/text-analysis.js';

export interface FaqSearchRequest {
  query: string;
  lang?: SearchLanguage;
  place?: string | null;
  limit?: number;
  prefix?: boolean;
}

export interface FaqSearchResultItem {
  faq: repo.SearchDocumentRow;
  score: number;
  snippet: string;
}

export interface FaqSearchResult {
  items: FaqSearchResultItem[];
  /** The language searched: the requested one, or Italian when it has no answer. */
  lang: SearchLanguage;
  interpretation: QueryInterpretation;
}

/**
 * The citizen portal shows answers, not a ranked list to dig through: results scoring below this
 * share of the best one are dropped. Measured on the shared FAQ corpus and its dev queries (see
 * bench/faq-portal-cutoff.bench.ts): Recall@5 unchanged, the list goes from always 8 to a few.
 */
export const PORTAL_RELEVANCE_RATIO = 0.4;

/**
 * Drops the tail far below the best score (`score < ratio × best`). Results come best first; the
 * best one is always kept.
 */
export function relevanceCut<T extends { score: number }>(items: readonly T[], ratio: number): T[] {
  const best = items[0]?.score ?? 0;
  if (best <= 0) return [...items];
  return items.filter((item, i) => i === 0 || item.score >= ratio * best);
}

export interface FaqSearchEngine {
  search(request: FaqSearchRequest): Promise<FaqSearchResult>;
  /** Marks the index stale: the next search waits for a rebuild. */
  invalidate(): void;
  /** Builds the index now (at boot, so that the first citizen does not wait). */
  warm(): Promise<void>;
  /** Published FAQs indexed, per language. */
  stats(): Record<string, number>;
}

interface Snapshot {
  revision: number;
  /** The next scheduled publication or expiry: the snapshot is stale from then on. */
  validUntil: Date | null;
  indexes: Map<SearchLanguage, { index: FaqSearchIndex; docs: repo.SearchDocumentRow[] }>;
}

/** A topic's labels from the root down, as the index reads them ("Tributi e pagamenti · TARI - Tassa rifiuti"). */
export function topicLabels(tax: IndexedTaxonomy | null, code: string | null): string {
  if (!tax || !code) return '';
  const parts = code.split('.');
  const labels: string[] = [];
  for (let i = 1; i <= parts.length; i++) {
    const node = tax.nodes.get(`tema:${parts.slice(0, i).join('.')}`);
    if (node) labels.push(node.label.it);
  }
  return labels.join(' · ');
}

/** The sentence of the body that shares most terms with the query, cut to ~240 characters. */
export function snippetOf(body: string, queryTerms: ReadonlySet<string>, lang: SearchLanguage): string {
  const sentences = body.split(/(?<=[.!?])\s+/);
  let best = sentences[0] ?? '';
  let bestScore = -1;
  for (const s of sentences) {
    const score = analyseTerms(s, lang).filter((t) => queryTerms.has(t)).length;
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best.length > 240 ? `${best.slice(0, 237).replace(/\s+\S*$/, '')}…` : best;
}

async function buildSnapshot(db: Database, tuning: Partial<SearchTuning> | undefined, lexicon: Lexicon, now: Date): Promise<Snapshot> {
  const revision = await repo.currentRevision(db);
  const [live, thesaurus, organisations, validUntil] = await Promise.all([
    repo.listSearchDocuments(db, now), repo.listThesaurus(db), listOrganisations(db), repo.nextScheduleBoundary(db, now),
  ]);
  // Network templates read with their defaults; adoptions are stored already rendered.
  const rows = live.map((r) => ({ ...r, title: renderTemplate(r.title), body: renderTemplate(r.body) }));
  const tax = await currentTaxonomy(db).catch(() => null);
  const placeNames = [
    ...Object.values(ITALIAN_REGIONS),
    ...organisations.map((o) => placeOfOrganisationName(o.name)).filter((p): p is string => p !== null),
  ];
  const indexes: Snapshot['indexes'] = new Map();
  for (const lang of SEARCH_LANGUAGES) {
    const docs = rows.filter((r) => r.lang === lang);
    if (docs.length === 0) continue;
    const index = new FaqSearchIndex(
      docs.map((d) => {
        const place = placeOfOrganisationName(d.organisationName ?? d.ownerLabel);
        return { id: d.id, title: d.title, body: d.body, tags: d.tags, topic: topicLabels(tax, d.tema), places: place ? [place] : [] };
      }),
      { thesaurus, placeNames, lang, ...(tuning ? { tuning } : {}), ...(lang === 'it' ? { lexicon } : {}) },
    );
    indexes.set(lang, { index, docs });
  }
  return { revision, validUntil, indexes };
}

export function createFaqSearchEngine(
  db: Database,
  options: {
    checkIntervalMs?: number;
    tuning?: Partial<SearchTuning>;
    clock?: () => Date;
    /** General Italian synonyms for words no FAQ uses; default the thesaurus shipped in data-seed/lexicon (see lexicon.ts). */
    lexicon?: Lexicon;
  } = {},
): FaqSearchEngine {
  const checkIntervalMs = options.checkIntervalMs ?? 2_000;
  const clock = options.clock ?? (() => new Date());
  const lexicon = options.lexicon ?? italianLexicon();
  let snapshot: Snapshot | null = null;
  let building: Promise<Snapshot> | null = null;
  let stale = true;
  let lastCheck = 0;

  function rebuild(): Promise<Snapshot> {
    if (!building) {
      stale = false;
      building = buildSnapshot(db, options.tuning, lexicon, clock())
        .then((s) => {
          snapshot = s;
          lastCheck = Date.now();
          return s;
        })
        .finally(() => {
          building = null;
        });
    }
    return building;
  }

  /** Reads the revision counter; rebuilds in the background when another instance changed the data. */
  function checkRevision(): void {
    lastCheck = Date.now();
    repo
      .currentRevision(db)
      .then((revision) => {
        if (snapshot && revision !== snapshot.revision) void rebuild().catch(() => undefined);
      })
      .catch(() => undefined);
  }

  async function current(): Promise<Snapshot> {
    // A scheduled FAQ goes live (or expires) at its instant, whether or not the scheduler has run.
    if (snapshot?.validUntil && clock() >= snapshot.validUntil) stale = true;
    if (!snapshot || stale) {
      // A build that started before the invalidation may miss the change: wait for it, then rebuild.
      if (building) await building.catch(() => undefined);
      return !snapshot || stale ? rebuild() : snapshot;
    }
    if (Date.now() - lastCheck >= checkIntervalMs && !building) checkRevision();
    return snapshot;
  }

  function runSearch(s: Snapshot, territory: Territory, lang: SearchLanguage, request: FaqSearchRequest) {
    const entry = s.indexes.get(lang);
    if (!entry) return null;
    const place = request.place ? (placeOfOrganisationName(normaliseText(request.place)) ?? normaliseText(request.place)) : null;
    const named = placesNamed(territory, [request.query, request.place]);
    const { hits, interpretation } = entry.index.search(request.query, {
      limit: request.limit ?? 10, place, places: named.places, enclosingPlaces: named.enclosing, prefix: request.prefix ?? false,
    });
    const terms = new Set(interpretation.terms);
    for (const e of interpretation.expansions) for (const t of e.split(' ')) terms.add(t);
    const items = hits.map((h) => {
      const faq = entry.docs[h.doc]!;
      return { faq, score: Math.round(h.score * 1000) / 1000, snippet: snippetOf(faq.body, terms, lang) };
    });
    return { items, lang, interpretation };
  }

  return {
    async search(request) {
      const s = await current();
      const territory = await loadTerritory(db);
      const lang = request.lang ?? 'it';
      const found = runSearch(s, territory, lang, request);
      if (found && found.items.length > 0) return found;
      // No answer in the requested language: the Italian (canonical) answers are better than none.
      const fallback = lang !== 'it' ? runSearch(s, territory, 'it', request) : null;
      return fallback ?? found ?? { items: [], lang, interpretation: { terms: [], places: [], corrections: [], expansions: [] } };
    },
    invalidate() {
      stale = true;
    },
    async warm() {
      await rebuild();
    },
    stats() {
      return Object.fromEntries([...(snapshot?.indexes ?? [])].map(([lang, e]) => [lang, e.index.size]));
    },
  };
}
