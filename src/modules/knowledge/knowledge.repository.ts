import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { FaqStatus as FaqStatusColumn } from '../../db/schema.js';
import type { Trx } from '../../platform/http.js';
import type { SearchLanguage } from '../../platform/text/text-analysis.js';
import type { ThesaurusEntry, ThesaurusKind } from '../../platform/text/thesaurus.js';
import * as identity from '../identity/index.js';

type Db = Database | Trx;

export const FAQ_STATUSES = ['draft', 'in_review', 'published', 'archived'] as const satisfies readonly FaqStatusColumn[];
export type FaqStatus = (typeof FAQ_STATUSES)[number];

/** The statuses named in a `draft,published` query value (already checked against its pattern). */
export function faqStatusList(csv: string): FaqStatus[] {
  return csv.split(',').filter((s): s is FaqStatus => (FAQ_STATUSES as readonly string[]).includes(s));
}
export type FaqScope = 'network' | 'organisation';

export interface Faq {
  id: string;
  externalId: string | null;
  organisationId: string | null;
  organisationName: string | null;
  scope: FaqScope;
  ownerLabel: string;
  canonicalId: string | null;
  canonicalExternalId: string | null;
  lang: SearchLanguage;
  title: string;
  body: string;
  tema: string | null;
  tipo: string | null;
  enteCompetente: string | null;
  tags: string[];
  status: FaqStatus;
  version: number;
  reviewBy: string | null;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

function faqQuery(db: Db) {
  return db
    .selectFrom('faq_articles as f')
    .leftJoin(identity.organisationDirectory().as('o'), 'o.id', 'f.organisation_id')
    .leftJoin('faq_articles as c', 'c.id', 'f.canonical_id')
    .select([
      'f.id', 'f.external_id', 'f.organisation_id', 'o.name as organisation_name', 'f.scope', 'f.owner_label', 'f.canonical_id',
      'c.external_id as canonical_external_id', 'f.lang', 'f.title', 'f.body', 'f.tema', 'f.tipo', 'f.ente_competente', 'f.tags', 'f.status',
      'f.version', 'f.review_by', 'f.published_at', 'f.created_at', 'f.updated_at',
    ]);
}

type FaqRow = Awaited<ReturnType<ReturnType<typeof faqQuery>['executeTakeFirstOrThrow']>>;

function toFaq(r: FaqRow): Faq {
  return {
    id: r.id, externalId: r.external_id, organisationId: r.organisation_id, organisationName: r.organisation_name, scope: r.scope as FaqScope,
    ownerLabel: r.owner_label, canonicalId: r.canonical_id, canonicalExternalId: r.canonical_external_id, lang: r.lang as SearchLanguage,
    title: r.title, body: r.body, tema: r.tema, tipo: r.tipo, enteCompetente: r.ente_competente, tags: r.tags, status: r.status,
    version: r.version, reviewBy: r.review_by === null ? null : String(r.review_by).slice(0, 10), publishedAt: r.published_at,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export async function findFaq(db: Db, id: string): Promise<Faq | null> {
  const row = await faqQuery(db).where('f.id', '=', id).executeTakeFirst();
  return row ? toFaq(row) : null;
}

/**
 * Every FAQ in the given statuses, canonical articles before their translations, in external-id
 * order. Organisations' adoptions of network FAQs are derived from them and not listed.
 */
export async function listFaqs(db: Db, statuses: readonly FaqStatus[]): Promise<Faq[]> {
  const rows = await faqQuery(db)
    .where('f.status', 'in', statuses)
    .where('f.adopted_from', 'is', null)
    .orderBy(sql`f.canonical_id is not null`)
    .orderBy(sql`coalesce(f.external_id, f.id::text)`)
    .execute();
  return rows.map(toFaq);
}

/** The translations linked to a canonical article. */
export async function listTranslations(db: Db, canonicalId: string): Promise<{ id: string; lang: string; title: string; status: string }[]> {
  return db.selectFrom('faq_articles').select(['id', 'lang', 'title', 'status']).where('canonical_id', '=', canonicalId).orderBy('lang').execute();
}

/** What the search index needs of every published FAQ. */
export interface SearchDocumentRow {
  id: string;
  externalId: string | null;
  lang: SearchLanguage;
  title: string;
  body: string;
  tags: string[];
  tema: string | null;
  scope: FaqScope;
  ownerLabel: string;
  organisationId: string | null;
  organisationName: string | null;
  organisationRegionIstat: string | null;
}

/**
 * The FAQs live at `now`: published, their scheduled publication reached and not expired; an
 * organisation's adoption of a network FAQ only while that FAQ is live.
 */
export async function listSearchDocuments(db: Db, now: Date = new Date()): Promise<SearchDocumentRow[]> {
  const rows = await db
    .selectFrom('faq_articles as f')
    .leftJoin(identity.organisationDirectory().as('o'), 'o.id', 'f.organisation_id')
    .leftJoin('faq_articles as src', 'src.id', 'f.adopted_from')
    .select([
      'f.id', 'f.external_id', 'f.lang', 'f.title', 'f.body', 'f.tags', 'f.tema', 'f.scope', 'f.owner_label', 'f.organisation_id',
      'o.name as organisation_name', 'o.region_istat',
    ])
    .where(sql<boolean>`${liveCondition('f', now)} and (f.adopted_from is null or ${liveCondition('src', now)})`)
    .orderBy('f.id')
    .execute();
  return rows.map((r) => ({
    id: r.id, externalId: r.external_id, lang: r.lang as SearchLanguage, title: r.title, body: r.body, tags: r.tags, tema: r.tema,
    scope: r.scope as FaqScope, ownerLabel: r.owner_label, organisationId: r.organisation_id, organisationName: r.organisation_name,
    organisationRegionIstat: r.region_istat,
  }));
}

export interface FaqWrite {
  externalId: string | null;
  organisationId: string | null;
  scope: FaqScope;
  ownerLabel: string;
  canonicalId: string | null;
  lang: SearchLanguage;
  title: string;
  body: string;
  tema: string | null;
  tipo: string | null;
  enteCompetente: string | null;
  tags: string[];
  status: FaqStatus;
}

function writeColumns(f: FaqWrite) {
  return {
    external_id: f.externalId, organisation_id: f.organisationId, scope: f.scope, owner_label: f.ownerLabel, canonical_id: f.canonicalId,
    lang: f.lang, title: f.title, body: f.body, tema: f.tema, tipo: f.tipo, ente_competente: f.enteCompetente, tags: JSON.stringify(f.tags),
    status: f.status,
  };
}

/** Inserts FAQs in batches; returns their ids in input order. */
export async function insertFaqs(trx: Trx, faqs: readonly FaqWrite[], actorId: string | null, now: Date): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < faqs.length; i += 500) {
    const chunk = faqs.slice(i, i + 500);
    const rows = await trx
      .insertInto('faq_articles')
      .values(chunk.map((f) => ({ ...writeColumns(f), published_at: f.status === 'published' ? now : null, published_version: f.status === 'published' ? 1 : null, created_by: actorId, updated_by: actorId, created_at: now, updated_at: now })))
      .returning('id')
      .execute();
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/** Overwrites an FAQ's content and bumps its version; null when the expected version is stale. */
export async function updateFaq(trx: Trx, id: string, expectedVersion: number, f: FaqWrite, actorId: string | null, now: Date): Promise<number | null> {
  const row = await trx
    .updateTable('faq_articles')
    .set({
      ...writeColumns(f), version: sql`version + 1`, updated_by: actorId, updated_at: now,
      published_at: f.status === 'published' ? sql`coalesce(published_at, ${now})` : sql`published_at`,
      published_version: f.status === 'published' ? sql`version + 1` : sql`published_version`,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

/** Which of the given FAQs have a working copy (an edit in progress in the editorial workflow). */
export async function withPendingRevision(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('faq_articles').select('id').where('id', 'in', [...ids]).where('revision', 'is not', null).execute();
  return new Set(rows.map((r) => r.id));
}

/** Snapshots the current state of FAQs as their current version (the history of each article). */
export async function snapshotVersions(trx: Trx, ids: readonly string[], actorId: string | null, note: string | null): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await sql`
      insert into faq_versions (faq_id, version, title, body, tema, tipo, ente_competente, tags, status, changed_by, changed_at, note)
      select id, version, title, body, tema, tipo, ente_competente, tags, status, ${actorId}, updated_at, ${note}
      from faq_articles where id = any(${sql.val(chunk)}::uuid[])
      on conflict (faq_id, version) do nothing`.execute(trx);
  }
}

export interface StoredThesaurusEntry extends ThesaurusEntry {
  id: string;
  note: string | null;
  updatedAt: Date;
}

export async function listThesaurus(db: Db): Promise<StoredThesaurusEntry[]> {
  const rows = await db.selectFrom('faq_thesaurus').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind as ThesaurusKind, lang: r.lang as SearchLanguage, terms: r.terms, note: r.note, updatedAt: r.updated_at }));
}

export async function insertThesaurusEntry(trx: Trx, e: ThesaurusEntry & { note: string | null }, actorId: string | null): Promise<StoredThesaurusEntry> {
  const r = await trx
    .insertInto('faq_thesaurus')
    .values({ kind: e.kind, lang: e.lang, terms: JSON.stringify(e.terms), note: e.note, updated_by: actorId, created_at: new Date(), updated_at: new Date() })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { id: r.id, kind: r.kind as ThesaurusKind, lang: r.lang as SearchLanguage, terms: r.terms, note: r.note, updatedAt: r.updated_at };
}

export async function deleteThesaurusEntry(trx: Trx, id: string): Promise<boolean> {
  const r = await trx.deleteFrom('faq_thesaurus').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** SQL condition: the FAQ aliased `alias` is live at `now` (see faq-workflow.ts isLive). */
export function liveCondition(alias: string, now: Date) {
  const a = sql.ref(alias);
  return sql<boolean>`(${a}.status = 'published' and (${a}.publish_at is null or ${a}.publish_at <= ${now}) and (${a}.expires_at is null or ${a}.expires_at > ${now}))`;
}

/** `faq_articles as f` joined to its network FAQ `src`, filtered to the FAQs live at `now` (adoptions only while their network FAQ is). */
export function liveArticles(db: Db, now: Date) {
  return db
    .selectFrom('faq_articles as f')
    .leftJoin('faq_articles as src', 'src.id', 'f.adopted_from')
    .where(sql<boolean>`${liveCondition('f', now)} and (f.adopted_from is null or ${liveCondition('src', now)})`);
}

/** Which of the given FAQs are live at `now` (adoptions only while their network FAQ is). */
export async function liveIds(db: Db, ids: readonly string[], now: Date): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await liveArticles(db, now).select('f.id').where('f.id', 'in', [...ids]).execute();
  return new Set(rows.map((r) => r.id));
}

/** The next instant after `now` at which a published FAQ goes live or expires (null: none scheduled). */
export async function nextScheduleBoundary(db: Db, now: Date): Promise<Date | null> {
  const row = await sql<{ at: Date | string | null }>`
    select least(
      (select min(publish_at) from faq_articles where status = 'published' and publish_at > ${now}),
      (select min(expires_at) from faq_articles where status = 'published' and expires_at > ${now})
    ) as at`.execute(db);
  const at = row.rows[0]?.at ?? null;
  return at === null ? null : new Date(at);
}

/** The knowledge base's change counter, bumped by triggers on every write. */
export async function currentRevision(db: Db): Promise<number> {
  const row = await db.selectFrom('knowledge_revision').select('revision').where('id', '=', 1).executeTakeFirst();
  return Number(row?.revision ?? 0);
}

/** Published FAQs with their topic and type: labelled text the classification suggester learns from. */
export async function publishedFaqLabels(db: Db): Promise<{ title: string; body: string; tags: string[]; tema: string | null; tipo: string | null }[]> {
  return db.selectFrom('faq_articles').select(['title', 'body', 'tags', 'tema', 'tipo']).where('status', '=', 'published').execute();
}

/** The thesaurus' synonym groups of one language, in entry order. */
export async function thesaurusTermGroups(db: Db, lang: string): Promise<string[][]> {
  return (await db.selectFrom('faq_thesaurus').select(['terms']).where('lang', '=', lang).orderBy('id').execute()).map((r) => r.terms);
}

const FAQ_CODE_COLUMNS: Readonly<Record<string, 'tema' | 'tipo' | 'ente_competente'>> = { tema: 'tema', tipo: 'tipo', ente_competente: 'ente_competente' };

/** Whether an FAQ (any status) is classified with `facet:code` (topic, type, competent body). */
export async function faqsUseCode(db: Db, facet: string, code: string): Promise<boolean> {
  const column = FAQ_CODE_COLUMNS[facet];
  if (!column) return false;
  return (await db.selectFrom('faq_articles').select('id').where(column, '=', code).limit(1).executeTakeFirst()) !== undefined;
}
