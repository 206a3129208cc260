import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { FaqContentJson } from '../../db/schema.js';
import type { Trx } from '../../platform/http.js';
import type { FaqStatus } from './knowledge.repository.js';
import type { ArticleStatus, FaqFlag, RevisionStatus } from './faq-workflow.js';
import type { FaqScope } from './knowledge.repository.js';
import type { SearchLanguage } from '../../platform/text/text-analysis.js';
import * as identity from '../identity/index.js';

type Db = Database | Trx;

export type FaqContent = FaqContentJson;

export interface EditorialFaq extends FaqContent {
  id: string;
  externalId: string | null;
  organisationId: string | null;
  organisationName: string | null;
  scope: FaqScope;
  ownerLabel: string;
  ownerId: string | null;
  ownerName: string | null;
  canonicalId: string | null;
  lang: SearchLanguage;
  status: ArticleStatus;
  version: number;
  publishedVersion: number | null;
  revision: FaqContent | null;
  revisionStatus: RevisionStatus | null;
  reviewBy: string | null;
  reviewNote: string | null;
  publishAt: Date | null;
  expiresAt: Date | null;
  publishedAt: Date | null;
  adoptedFrom: string | null;
  adoptedFromTitle: string | null;
  localFields: Record<string, string>;
  sourceVersion: number | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

function editorialQuery(db: Db) {
  return db
    .selectFrom('faq_articles as f')
    .leftJoin(identity.organisationDirectory().as('o'), 'o.id', 'f.organisation_id')
    .leftJoin(identity.userDirectory().as('u'), 'u.id', 'f.owner_id')
    .leftJoin('faq_articles as src', 'src.id', 'f.adopted_from')
    .select([
      'f.id', 'f.external_id', 'f.organisation_id', 'o.name as organisation_name', 'f.scope', 'f.owner_label', 'f.owner_id', 'u.name as owner_name',
      'f.canonical_id', 'f.lang', 'f.title', 'f.body', 'f.tema', 'f.tipo', 'f.ente_competente', 'f.tags', 'f.status', 'f.version',
      'f.published_version', 'f.revision', 'f.revision_status', 'f.review_by', 'f.review_note', 'f.publish_at', 'f.expires_at', 'f.published_at',
      'f.adopted_from', 'src.title as adopted_from_title', 'f.local_fields', 'f.source_version', 'f.created_by', 'f.created_at', 'f.updated_at',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof editorialQuery>['executeTakeFirstOrThrow']>>;

const day = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

function toEditorialFaq(r: Row): EditorialFaq {
  return {
    id: r.id, externalId: r.external_id, organisationId: r.organisation_id, organisationName: r.organisation_name, scope: r.scope as FaqScope,
    ownerLabel: r.owner_label, ownerId: r.owner_id, ownerName: r.owner_name, canonicalId: r.canonical_id, lang: r.lang as SearchLanguage,
    title: r.title, body: r.body, tema: r.tema, tipo: r.tipo, enteCompetente: r.ente_competente, tags: r.tags, status: r.status as ArticleStatus,
    version: r.version, publishedVersion: r.published_version, revision: r.revision, revisionStatus: r.revision_status as RevisionStatus | null,
    reviewBy: day(r.review_by), reviewNote: r.review_note, publishAt: r.publish_at, expiresAt: r.expires_at, publishedAt: r.published_at,
    adoptedFrom: r.adopted_from, adoptedFromTitle: r.adopted_from_title, localFields: r.local_fields ?? {}, sourceVersion: r.source_version,
    createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export async function findEditorialFaq(db: Db, id: string, lock = false): Promise<EditorialFaq | null> {
  let q = editorialQuery(db).where('f.id', '=', id);
  if (lock) q = q.forUpdate('f');
  const row = await q.executeTakeFirst();
  return row ? toEditorialFaq(row) : null;
}

/** What the caller may read, as SQL (see faq-editorial.policy.ts canRead). */
export interface ReadScope {
  board: boolean;
  userId: string;
  organisationIds: readonly string[];
}

export interface FlagSql {
  today: string;
  now: Date;
  expiringUntil: Date;
  activeTema: readonly string[];
  activeTipo: readonly string[];
}

export interface EditorialListFilter {
  statuses?: readonly FaqStatus[];
  scope?: FaqScope;
  organisationId?: string;
  ownerId?: string;
  flag?: FaqFlag;
  text?: string;
  lang?: string;
  cursor: { at: string; id: string } | null;
  limit: number;
}

function flagCondition(flag: FaqFlag, f: FlagSql) {
  switch (flag) {
    case 'stale':
      return sql<boolean>`(f.status <> 'archived' and f.review_by < ${f.today}::date)`;
    case 'expiring_soon':
      return sql<boolean>`(f.status <> 'archived' and f.expires_at > ${f.now} and f.expires_at <= ${f.expiringUntil})`;
    case 'taxonomy_changed':
      return sql<boolean>`(f.status <> 'archived' and ((f.tema is not null and not (f.tema = any(${sql.val([...f.activeTema])}::text[])))
        or (f.tipo is not null and not (f.tipo = any(${sql.val([...f.activeTipo])}::text[])))))`;
  }
}

function readCondition(scope: ReadScope) {
  if (scope.board) return sql<boolean>`true`;
  const orgs = sql.val([...scope.organisationIds]);
  return sql<boolean>`(f.status = 'published' or (f.scope = 'organisation' and f.organisation_id = any(${orgs}::uuid[]))
    or (f.scope = 'network' and f.created_by = ${scope.userId}))`;
}

/** Canonical FAQs the caller may read, most recently changed first, keyset-paginated on (updated_at, id). */
export async function listEditorialFaqs(db: Db, scope: ReadScope, filter: EditorialListFilter, flags: FlagSql): Promise<EditorialFaq[]> {
  let q = editorialQuery(db).where('f.canonical_id', 'is', null).where(readCondition(scope));
  if (filter.statuses && filter.statuses.length > 0) q = q.where('f.status', 'in', [...filter.statuses]);
  if (filter.scope) q = q.where('f.scope', '=', filter.scope);
  if (filter.organisationId) q = q.where('f.organisation_id', '=', filter.organisationId);
  if (filter.ownerId) q = q.where('f.owner_id', '=', filter.ownerId);
  if (filter.lang) q = q.where('f.lang', '=', filter.lang);
  if (filter.flag) q = q.where(flagCondition(filter.flag, flags));
  if (filter.text) {
    const like = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('f.title', 'ilike', like), eb('f.external_id', 'ilike', like), eb(sql`f.search`, '@@', sql`plainto_tsquery('italian', ${filter.text})`)]));
  }
  if (filter.cursor) q = q.where(sql<boolean>`(f.updated_at, f.id) < (${filter.cursor.at}::timestamptz, ${filter.cursor.id}::uuid)`);
  const rows = await q.orderBy('f.updated_at', 'desc').orderBy('f.id', 'desc').limit(filter.limit).execute();
  return rows.map(toEditorialFaq);
}

/** FAQs that have an owner and at least one flag (the owner-notification job's input). */
export async function listFlaggedWithOwner(db: Db, flags: FlagSql): Promise<EditorialFaq[]> {
  const rows = await editorialQuery(db)
    .where('f.owner_id', 'is not', null)
    .where('f.adopted_from', 'is', null)
    .where((eb) => eb.or([flagCondition('stale', flags), flagCondition('expiring_soon', flags), flagCondition('taxonomy_changed', flags)]))
    .orderBy('f.id')
    .execute();
  return rows.map(toEditorialFaq);
}

export interface ArticleInsert extends FaqContent {
  organisationId: string | null;
  scope: FaqScope;
  ownerLabel: string;
  ownerId: string | null;
  canonicalId: string | null;
  lang: SearchLanguage;
  status: ArticleStatus;
  reviewBy: string | null;
  publishAt: Date | null;
  expiresAt: Date | null;
  adoptedFrom: string | null;
  localFields: Record<string, string>;
  sourceVersion: number | null;
  publishedVersion: number | null;
}

const contentColumns = (c: FaqContent) => ({ title: c.title, body: c.body, tema: c.tema, tipo: c.tipo, ente_competente: c.enteCompetente, tags: JSON.stringify(c.tags) });

export async function insertArticle(trx: Trx, a: ArticleInsert, actorId: string, now: Date): Promise<string> {
  const row = await trx
    .insertInto('faq_articles')
    .values({
      ...contentColumns(a), organisation_id: a.organisationId, scope: a.scope, owner_label: a.ownerLabel, owner_id: a.ownerId, canonical_id: a.canonicalId,
      lang: a.lang, status: a.status, review_by: a.reviewBy, publish_at: a.publishAt, expires_at: a.expiresAt, adopted_from: a.adoptedFrom,
      local_fields: JSON.stringify(a.localFields), source_version: a.sourceVersion, published_version: a.publishedVersion,
      published_at: a.status === 'published' ? now : null, created_by: actorId, updated_by: actorId, created_at: now, updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface ArticleUpdate {
  content?: FaqContent;
  revision?: FaqContent | null;
  revisionStatus?: RevisionStatus | null;
  status?: ArticleStatus;
  ownerId?: string | null;
  reviewBy?: string | null;
  reviewNote?: string | null;
  publishAt?: Date | null;
  expiresAt?: Date | null;
  localFields?: Record<string, string>;
  sourceVersion?: number | null;
  publishedVersion?: number | null;
  publishedAt?: Date | null;
  bumpVersion: boolean;
}

/** Applies an update; returns the new version. The caller holds the row lock (findEditorialFaq with lock). */
export async function updateArticle(trx: Trx, id: string, u: ArticleUpdate, actorId: string | null, now: Date): Promise<number> {
  const row = await trx
    .updateTable('faq_articles')
    .set({
      ...(u.content && contentColumns(u.content)),
      ...(u.revision !== undefined && { revision: u.revision === null ? null : JSON.stringify(u.revision) }),
      ...(u.revisionStatus !== undefined && { revision_status: u.revisionStatus }),
      ...(u.status !== undefined && { status: u.status }),
      ...(u.ownerId !== undefined && { owner_id: u.ownerId }),
      ...(u.reviewBy !== undefined && { review_by: u.reviewBy }),
      ...(u.reviewNote !== undefined && { review_note: u.reviewNote }),
      ...(u.publishAt !== undefined && { publish_at: u.publishAt }),
      ...(u.expiresAt !== undefined && { expires_at: u.expiresAt }),
      ...(u.localFields !== undefined && { local_fields: JSON.stringify(u.localFields) }),
      ...(u.sourceVersion !== undefined && { source_version: u.sourceVersion }),
      ...(u.publishedVersion !== undefined && { published_version: u.publishedVersion }),
      ...(u.publishedAt !== undefined && { published_at: u.publishedAt }),
      ...(u.bumpVersion && { version: sql`version + 1` }),
      updated_by: actorId,
      updated_at: now,
    })
    .where('id', '=', id)
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version;
}

export async function deleteArticle(trx: Trx, id: string): Promise<void> {
  await trx.deleteFrom('faq_articles').where('id', '=', id).execute();
}

export interface FaqVersion extends FaqContent {
  version: number;
  status: FaqStatus;
  changedBy: string | null;
  changedByName: string | null;
  changedAt: Date;
  note: string | null;
}

export async function insertVersion(trx: Trx, faqId: string, version: number, c: FaqContent, status: FaqStatus, actorId: string | null, at: Date, note: string | null): Promise<void> {
  await trx
    .insertInto('faq_versions')
    .values({ faq_id: faqId, version, ...contentColumns(c), status, changed_by: actorId, changed_at: at, note })
    .onConflict((oc) => oc.columns(['faq_id', 'version']).doNothing())
    .execute();
}

export async function listVersions(db: Db, faqId: string): Promise<FaqVersion[]> {
  const rows = await db
    .selectFrom('faq_versions as v')
    .leftJoin(identity.userDirectory().as('u'), 'u.id', 'v.changed_by')
    .select(['v.version', 'v.title', 'v.body', 'v.tema', 'v.tipo', 'v.ente_competente', 'v.tags', 'v.status', 'v.changed_by', 'u.name', 'v.changed_at', 'v.note'])
    .where('v.faq_id', '=', faqId)
    .orderBy('v.version', 'desc')
    .execute();
  return rows.map((r) => ({
    version: r.version, title: r.title, body: r.body, tema: r.tema, tipo: r.tipo, enteCompetente: r.ente_competente, tags: r.tags, status: r.status,
    changedBy: r.changed_by, changedByName: r.name, changedAt: r.changed_at, note: r.note,
  }));
}

/** The adoptions of a network FAQ by organisations. */
export async function listAdoptions(db: Db, sourceId: string): Promise<{ id: string; organisationId: string; organisationName: string; localFields: Record<string, string> }[]> {
  const rows = await db
    .selectFrom('faq_articles as f')
    .innerJoin(identity.organisationDirectory().as('o'), 'o.id', 'f.organisation_id')
    .select(['f.id', 'f.organisation_id', 'o.name', 'f.local_fields'])
    .where('f.adopted_from', '=', sourceId)
    .orderBy('o.name')
    .execute();
  return rows.map((r) => ({ id: r.id, organisationId: r.organisation_id!, organisationName: r.name, localFields: r.local_fields ?? {} }));
}

export async function findAdoption(db: Db, sourceId: string, organisationId: string): Promise<string | null> {
  const row = await db.selectFrom('faq_articles').select('id').where('adopted_from', '=', sourceId).where('organisation_id', '=', organisationId).executeTakeFirst();
  return row?.id ?? null;
}

export interface TranslationRow {
  id: string;
  lang: string;
  title: string;
  status: FaqStatus;
  revisionStatus: string | null;
  version: number;
  sourceVersion: number | null;
  updatedAt: Date;
}

export async function listTranslationRows(db: Db, canonicalId: string): Promise<TranslationRow[]> {
  const rows = await db
    .selectFrom('faq_articles')
    .select(['id', 'lang', 'title', 'status', 'revision_status', 'version', 'source_version', 'updated_at'])
    .where('canonical_id', '=', canonicalId)
    .orderBy('lang')
    .execute();
  return rows.map((r) => ({ id: r.id, lang: r.lang, title: r.title, status: r.status, revisionStatus: r.revision_status, version: r.version, sourceVersion: r.source_version, updatedAt: r.updated_at }));
}

/** Records that the owner was told of one occurrence of a flag; false when already recorded. */
export async function recordFlagNotification(trx: Trx, faqId: string, flag: FaqFlag, occurrence: string, userId: string, now: Date): Promise<boolean> {
  const row = await trx
    .insertInto('faq_flag_notifications')
    .values({ faq_id: faqId, flag, occurrence, user_id: userId, notified_at: now })
    .onConflict((oc) => oc.columns(['faq_id', 'flag', 'occurrence']).doNothing())
    .returning('faq_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Scheduled FAQs whose publication instant has passed: the schedule is cleared (and the index revision bumped). */
export async function releaseScheduled(trx: Trx, now: Date): Promise<string[]> {
  const rows = await trx
    .updateTable('faq_articles')
    .set({ published_at: sql`publish_at`, publish_at: null, updated_at: now })
    .where('status', '=', 'published')
    .where('publish_at', '<=', now)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Published FAQs past their expiry, locked for archiving. */
export async function listExpired(trx: Trx, now: Date): Promise<string[]> {
  const rows = await trx.selectFrom('faq_articles').select('id').where('status', '=', 'published').where('expires_at', '<=', now).orderBy('id').forUpdate().execute();
  return rows.map((r) => r.id);
}
