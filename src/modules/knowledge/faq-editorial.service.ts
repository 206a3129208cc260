/**
 * The FAQ editorial workflow: authoring rights, working copies of published FAQs, version history,
 * diff and rollback, scheduled publication and expiry, owners and flags, adoption of network FAQs
 * with local fields, translations. Pure rules live in faq-workflow.ts, faq-editorial.policy.ts,
 * faq-template.ts and faq-diff.ts; this file applies them to the database.
 *
 * Rollback: restoring version N saves N's content as a new version through the normal edit path,
 * so on a published FAQ it becomes a working copy that must be reviewed and published again (the
 * live text never changes without a publish); on a draft it simply replaces the draft's content.
 */
import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { recordEvent } from '../../platform/events.js';
import { checkVersion, type Trx } from '../../platform/http.js';
import { findOrganisation, holdsRoleIn } from '../identity/index.js';
import { currentTaxonomy, type IndexedTaxonomy } from '../taxonomy/index.js';
import { type DiffSegment, diffWords } from './faq-diff.js';
import * as policy from './faq-editorial.policy.js';
import { isUniqueViolation } from '../../platform/errors.js';
import { faqEditorialErrors as errors } from './faq-editorial.errors.js';
import * as repo from './faq-editorial.repository.js';
import { renderTemplate, type TemplateField, templateFields } from './faq-template.js';
import {
  type ArticleStatus, EXPIRING_SOON_DAYS, editorialState, editTarget, FAQ_FLAGS, type FaqFlag, flagOccurrence, flagsOf, isLive, italianDay,
  transition, type WorkflowAction,
} from './faq-workflow.js';
import { knowledgeErrors } from './knowledge.errors.js';
import type { FaqScope, FaqStatus } from './knowledge.repository.js';
import type { SearchLanguage } from '../../platform/text/text-analysis.js';
import { FAQ_ACTION_TOPIC } from './knowledge.events.js';

type Db = Database | Trx;
export type { EditorialFaq, FaqContent, FaqVersion } from './faq-editorial.repository.js';

export const NETWORK_OWNER_LABEL = 'Rete URP';

// ------------------------------------------------------------------ context

/** What flags and validation need of the current taxonomy. */
export interface TaxonomyView {
  version: string;
  isActiveCode(facet: 'tema' | 'tipo', code: string): boolean;
  activeCodes(facet: 'tema' | 'tipo'): string[];
}

function viewOf(tax: IndexedTaxonomy | null): TaxonomyView {
  if (!tax) return { version: 'none', isActiveCode: () => true, activeCodes: () => [] };
  const active = (facet: string) => [...tax.nodes.values()].filter((n) => n.facet === facet && !n.deprecated).map((n) => n.code);
  const sets = { tema: new Set(active('tema')), tipo: new Set(active('tipo')) };
  return { version: tax.document.version, isActiveCode: (facet, code) => sets[facet].has(code), activeCodes: (facet) => [...sets[facet]] };
}

export async function taxonomyView(db: Db): Promise<TaxonomyView> {
  return viewOf(await currentTaxonomy(db).catch(() => null));
}

function flagSql(tax: TaxonomyView, now: Date): repo.FlagSql {
  return {
    today: italianDay(now), now, expiringUntil: new Date(now.getTime() + EXPIRING_SOON_DAYS * 86_400_000),
    activeTema: tax.activeCodes('tema'), activeTipo: tax.activeCodes('tipo'),
  };
}

const subject = (f: repo.EditorialFaq): policy.FaqAccessSubject => ({
  scope: f.scope, organisationId: f.organisationId, createdBy: f.createdBy, status: f.status, everPublished: f.publishedVersion !== null,
});

/** The FAQ if the actor may read it; 404 otherwise (no existence leak). */
async function readable(db: Db, actor: Actor, id: string, lock = false): Promise<repo.EditorialFaq> {
  const faq = await repo.findEditorialFaq(db, id, lock);
  if (!faq || !policy.canRead(actor, subject(faq))) throw knowledgeErrors.faqNotFound({ id });
  return faq;
}

/** The content editors work on: the working copy when there is one, else the article's. */
export function workingContent(f: repo.EditorialFaq): repo.FaqContent {
  return f.revision ?? { title: f.title, body: f.body, tema: f.tema, tipo: f.tipo, enteCompetente: f.enteCompetente, tags: f.tags };
}

function sameContent(a: repo.FaqContent, b: repo.FaqContent): boolean {
  return a.title === b.title && a.body === b.body && a.tema === b.tema && a.tipo === b.tipo && a.enteCompetente === b.enteCompetente && JSON.stringify(a.tags) === JSON.stringify(b.tags);
}

// ------------------------------------------------------------------ views

export interface TranslationInfo {
  id: string;
  lang: string;
  title: string;
  status: FaqStatus;
  workflowState: ArticleStatus;
  version: number;
  sourceVersion: number | null;
  outdated: boolean;
  updatedAt: Date;
}

export interface EditorialView {
  faq: repo.EditorialFaq;
  workflowState: ArticleStatus;
  live: boolean;
  flags: FaqFlag[];
  permissions: { edit: boolean; publish: boolean; translate: boolean };
  templateFields: TemplateField[];
  adoptions: { id: string; organisationId: string; organisationName: string }[];
  translations: TranslationInfo[];
  canonical: { id: string; title: string; publishedVersion: number | null } | null;
  outdated: boolean | null;
}

const outdatedAgainst = (canonicalPublished: number | null, sourceVersion: number | null) => canonicalPublished !== null && (sourceVersion ?? 0) < canonicalPublished;

function summaryFlags(f: repo.EditorialFaq, tax: TaxonomyView, now: Date): FaqFlag[] {
  if (f.adoptedFrom !== null) return [];
  const c = workingContent(f);
  return flagsOf({ status: f.status, reviewBy: f.reviewBy, tema: c.tema, tipo: c.tipo, expiresAt: f.expiresAt }, { now, isActiveCode: tax.isActiveCode });
}

export function summaryView(actor: Actor, f: repo.EditorialFaq, tax: TaxonomyView, now: Date) {
  return {
    faq: f,
    workflowState: editorialState({ status: f.status, revisionStatus: f.revisionStatus }),
    live: isLive(f, now),
    flags: summaryFlags(f, tax, now),
    permissions: {
      edit: policy.canEdit(actor, subject(f)),
      publish: policy.canPublish(actor, f),
      translate: f.canonicalId === null && f.adoptedFrom === null && policy.canEdit(actor, subject(f)),
    },
  };
}

/** An FAQ with everything the editor shows: state, flags, rights, local fields, adoptions, translations. */
export async function getEditorialFaq(db: Db, actor: Actor, id: string, now: Date): Promise<EditorialView> {
  const faq = await readable(db, actor, id);
  return viewFaq(db, actor, faq, now);
}

async function viewFaq(db: Db, actor: Actor, faq: repo.EditorialFaq, now: Date): Promise<EditorialView> {
  const tax = await taxonomyView(db);
  const base = summaryView(actor, faq, tax, now);
  const content = workingContent(faq);
  const isTemplateHost = faq.scope === 'network' && faq.canonicalId === null && faq.adoptedFrom === null;
  let fields: TemplateField[] = isTemplateHost ? templateFields(content.title, content.body) : [];
  if (faq.adoptedFrom) {
    const source = await repo.findEditorialFaq(db, faq.adoptedFrom);
    if (source) fields = templateFields(source.title, source.body);
  }
  const adoptions = isTemplateHost ? (await repo.listAdoptions(db, faq.id)).map(({ localFields: _l, ...a }) => a) : [];
  let translations: TranslationInfo[] = [];
  let canonical: EditorialView['canonical'] = null;
  let outdated: boolean | null = null;
  if (faq.canonicalId === null) translations = await translationInfos(db, actor, faq);
  else {
    const c = await repo.findEditorialFaq(db, faq.canonicalId);
    if (c) {
      canonical = { id: c.id, title: c.title, publishedVersion: c.publishedVersion };
      outdated = outdatedAgainst(c.publishedVersion, faq.sourceVersion);
    }
  }
  return { ...base, templateFields: fields, adoptions, translations, canonical, outdated };
}

async function translationInfos(db: Db, actor: Actor, canonical: repo.EditorialFaq): Promise<TranslationInfo[]> {
  const rows = await repo.listTranslationRows(db, canonical.id);
  return rows
    .filter((t) => policy.canRead(actor, { ...subject(canonical), status: t.status, createdBy: canonical.createdBy }))
    .map((t) => ({
      id: t.id, lang: t.lang, title: t.title, status: t.status, version: t.version, sourceVersion: t.sourceVersion, updatedAt: t.updatedAt,
      workflowState: editorialState({ status: t.status as ArticleStatus, revisionStatus: t.revisionStatus as 'draft' | 'in_review' | null }),
      outdated: outdatedAgainst(canonical.publishedVersion, t.sourceVersion),
    }));
}

export async function listTranslations(db: Db, actor: Actor, id: string): Promise<TranslationInfo[]> {
  const faq = await readable(db, actor, id);
  if (faq.canonicalId !== null) throw errors.translationsOfTranslation();
  return translationInfos(db, actor, faq);
}

// ------------------------------------------------------------------ list and flags

export interface ListInput {
  statuses?: FaqStatus[];
  scope?: FaqScope;
  organisationId?: string;
  owner?: 'me';
  flag?: FaqFlag;
  text?: string;
  lang?: string;
  cursor: { at: string; id: string } | null;
  limit: number;
}

function readScope(actor: Actor): repo.ReadScope {
  return { board: policy.isEditorialBoard(actor), userId: actor.userId, organisationIds: policy.readableOrganisations(actor) };
}

/** Canonical FAQs the actor may read (published ones of every organisation, unpublished ones of their own), with filters. */
export async function listFaqs(db: Db, actor: Actor, input: ListInput, now: Date) {
  const tax = await taxonomyView(db);
  const rows = await repo.listEditorialFaqs(
    db,
    readScope(actor),
    {
      ...(input.statuses && { statuses: input.statuses }),
      ...(input.scope && { scope: input.scope }),
      ...(input.organisationId && { organisationId: input.organisationId }),
      ...(input.owner === 'me' && { ownerId: actor.userId }),
      ...(input.flag && { flag: input.flag }),
      ...(input.text && { text: input.text }),
      ...(input.lang && { lang: input.lang }),
      cursor: input.cursor,
      limit: input.limit,
    },
    flagSql(tax, now),
  );
  return rows.map((f) => summaryView(actor, f, tax, now));
}

/**
 * Flagged FAQs: the caller's own (`mine`), or every flagged FAQ the caller authors (their
 * organisations', and the network's for the editorial board).
 */
export async function listFlagged(db: Db, actor: Actor, mine: boolean, now: Date) {
  const tax = await taxonomyView(db);
  const out: ReturnType<typeof summaryView>[] = [];
  for (const flag of FAQ_FLAGS) {
    const rows = await repo.listEditorialFaqs(db, readScope(actor), { flag, ...(mine && { ownerId: actor.userId }), cursor: null, limit: 500 }, flagSql(tax, now));
    for (const f of rows) {
      if (out.some((o) => o.faq.id === f.id) || f.adoptedFrom !== null) continue;
      if (!mine && !policy.canEdit(actor, subject(f))) continue;
      out.push(summaryView(actor, f, tax, now));
    }
  }
  return out.sort((a, b) => b.faq.updatedAt.getTime() - a.faq.updatedAt.getTime());
}

// ------------------------------------------------------------------ writes

export interface ContentInput {
  title?: string;
  body?: string;
  tema?: string | null;
  tipo?: string | null;
  enteCompetente?: string | null;
  tags?: string[];
}

export interface MetaInput {
  ownerId?: string | null;
  reviewBy?: string | null;
  publishAt?: string | null;
  expiresAt?: string | null;
}

export interface CreateInput extends ContentInput, MetaInput {
  scope: FaqScope;
  organisationId?: string;
  title: string;
  body: string;
}

/** Shorter titles (spaces excluded) are refused (faq.title_invalid). */
const MIN_TITLE_LENGTH = 3;

function cleanTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed.length < MIN_TITLE_LENGTH) throw errors.titleTooShort({ minLength: MIN_TITLE_LENGTH });
  return trimmed;
}

function cleanTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))];
}

function checkCodes(tax: TaxonomyView, c: repo.FaqContent, before: repo.FaqContent | null): void {
  for (const facet of ['tema', 'tipo'] as const) {
    const code = c[facet];
    if (code !== null && code !== before?.[facet] && !tax.isActiveCode(facet, code)) throw errors.taxonomyCodeInvalid({ facet, code });
  }
}

function checkSchedule(publishAt: Date | null, expiresAt: Date | null): void {
  if (publishAt && expiresAt && expiresAt <= publishAt) throw errors.scheduleInvalid();
}

const toDate = (v: string | null | undefined): Date | null | undefined => (v === undefined ? undefined : v === null ? null : new Date(v));

async function checkOwner(db: Db, ownerId: string | null | undefined, organisationId: string | null): Promise<void> {
  if (ownerId && !(await holdsRoleIn(db, ownerId, organisationId))) throw errors.ownerInvalid();
}

/** Creates a draft FAQ (Italian, canonical) for the network or one of the actor's organisations. */
export async function createFaq(trx: Trx, actor: Actor, input: CreateInput, now: Date): Promise<EditorialView> {
  let organisationId: string | null = null;
  if (input.scope === 'organisation') {
    const candidates = policy.readableOrganisations(actor);
    organisationId = input.organisationId ?? (candidates.length === 1 ? candidates[0]! : null);
    if (!organisationId) throw errors.organisationRequired();
  }
  if (!policy.canCreate(actor, input.scope, organisationId)) throw errors.createForbidden();
  const org = organisationId ? await findOrganisation(trx, organisationId) : null;
  if (organisationId && !org) throw errors.createForbidden();
  const content: repo.FaqContent = {
    title: cleanTitle(input.title), body: input.body.trim(), tema: input.tema ?? null, tipo: input.tipo ?? null, enteCompetente: input.enteCompetente ?? null,
    tags: cleanTags(input.tags ?? []),
  };
  checkCodes(await taxonomyView(trx), content, null);
  const ownerId = input.ownerId === undefined ? actor.userId : input.ownerId;
  await checkOwner(trx, ownerId, organisationId);
  const publishAt = toDate(input.publishAt) ?? null;
  const expiresAt = toDate(input.expiresAt) ?? null;
  checkSchedule(publishAt, expiresAt);
  const id = await repo.insertArticle(trx, {
    ...content, organisationId, scope: input.scope, ownerLabel: org?.name ?? NETWORK_OWNER_LABEL, ownerId, canonicalId: null, lang: 'it',
    status: 'draft', reviewBy: input.reviewBy ?? null, publishAt, expiresAt, adoptedFrom: null, localFields: {}, sourceVersion: null, publishedVersion: null,
  }, actor.userId, now);
  await repo.insertVersion(trx, id, 1, content, 'draft', actor.userId, now, 'creata');
  await recordEvent(trx, 'faq.created', { aggregateId: id, payload: { id, scope: input.scope, organisationId } });
  return getEditorialFaq(trx, actor, id, now);
}

export interface UpdateInput extends ContentInput, MetaInput {
  localFields?: Record<string, string>;
}

/**
 * Saves an edit: content goes to the working copy of a published FAQ (the live text stays) or to
 * the draft itself; metadata (owner, review-by, schedule) applies at once. Every save is a version.
 */
export async function updateFaq(trx: Trx, actor: Actor, id: string, expected: number | null, input: UpdateInput, now: Date, note: string | null = null): Promise<EditorialView> {
  const faq = await readable(trx, actor, id, true);
  checkVersion(expected, faq.version);
  const contentKeys = (['title', 'body', 'tema', 'tipo', 'enteCompetente', 'tags'] as const).filter((k) => input[k] !== undefined);
  if (faq.adoptedFrom !== null) {
    if (contentKeys.length > 0) throw errors.adoptionReadOnly();
    if (!policy.canPublish(actor, faq)) throw errors.editorialForbidden({ action: 'edit' });
  } else {
    if (input.localFields !== undefined) throw errors.localFieldsOnlyOnAdoption();
    if (!policy.canEdit(actor, subject(faq))) throw errors.editorialForbidden({ action: 'edit' });
  }
  const update: repo.ArticleUpdate = { bumpVersion: true };
  let snapshot = workingContent(faq);
  let snapshotStatus: FaqStatus = editorialState({ status: faq.status, revisionStatus: faq.revisionStatus });
  const notes: string[] = [];

  if (contentKeys.length > 0) {
    const before = workingContent(faq);
    const next: repo.FaqContent = {
      title: input.title === undefined ? before.title : cleanTitle(input.title),
      body: input.body?.trim() ?? before.body,
      tema: input.tema === undefined ? before.tema : input.tema,
      tipo: input.tipo === undefined ? before.tipo : input.tipo,
      enteCompetente: input.enteCompetente === undefined ? before.enteCompetente : input.enteCompetente,
      tags: input.tags === undefined ? before.tags : cleanTags(input.tags),
    };
    if (!sameContent(before, next)) {
      const target = editTarget({ status: faq.status, revisionStatus: faq.revisionStatus });
      if (!target) throw errors.archivedReadOnly();
      checkCodes(await taxonomyView(trx), next, before);
      if (target.target === 'revision') Object.assign(update, { revision: next, revisionStatus: 'draft' });
      else Object.assign(update, { content: next, status: 'draft' });
      snapshot = next;
      snapshotStatus = 'draft';
      notes.push('modifica del testo');
      if (faq.canonicalId !== null) {
        const canonical = await repo.findEditorialFaq(trx, faq.canonicalId);
        update.sourceVersion = canonical?.publishedVersion ?? canonical?.version ?? null;
      }
    }
  }

  if (input.localFields !== undefined && faq.adoptedFrom !== null) {
    const source = await repo.findEditorialFaq(trx, faq.adoptedFrom);
    if (!source) throw knowledgeErrors.faqNotFound({ id: faq.adoptedFrom });
    const values = checkLocalFields(source, input.localFields);
    const rendered = renderAdoption(source, values);
    Object.assign(update, { localFields: values, content: rendered, publishedVersion: faq.version + 1 });
    snapshot = rendered;
    notes.push('campi locali');
  }

  const publishAt = toDate(input.publishAt);
  const expiresAt = toDate(input.expiresAt);
  if (publishAt !== undefined && (publishAt?.getTime() ?? null) !== (faq.publishAt?.getTime() ?? null)) {
    if (isLive(faq, now)) throw errors.publishAtOnLive();
    update.publishAt = publishAt;
  }
  if (expiresAt !== undefined && (expiresAt?.getTime() ?? null) !== (faq.expiresAt?.getTime() ?? null)) update.expiresAt = expiresAt;
  checkSchedule(update.publishAt === undefined ? faq.publishAt : update.publishAt, update.expiresAt === undefined ? faq.expiresAt : update.expiresAt);
  if (input.ownerId !== undefined && input.ownerId !== faq.ownerId) {
    await checkOwner(trx, input.ownerId, faq.organisationId);
    update.ownerId = input.ownerId;
  }
  if (input.reviewBy !== undefined && input.reviewBy !== faq.reviewBy) update.reviewBy = input.reviewBy;
  const metaChanged = ['publishAt', 'expiresAt', 'ownerId', 'reviewBy'].some((k) => (update as unknown as Record<string, unknown>)[k] !== undefined);
  if (metaChanged) notes.push('dati redazionali');
  if (notes.length === 0) return viewFaq(trx, actor, faq, now);

  const version = await repo.updateArticle(trx, faq.id, update, actor.userId, now);
  await repo.insertVersion(trx, faq.id, version, snapshot, snapshotStatus, actor.userId, now, note ?? notes.join(', '));
  await recordEvent(trx, 'faq.updated', { aggregateId: faq.id, payload: { id: faq.id, version } });
  return getEditorialFaq(trx, actor, faq.id, now);
}

const PUBLISHER_ACTIONS: readonly WorkflowAction[] = ['reject', 'publish', 'archive', 'unarchive'];

/** Applies a workflow action (submit, reject, publish, archive, unarchive, discard). */
export async function applyAction(trx: Trx, actor: Actor, id: string, expected: number | null, action: WorkflowAction, note: string | null, now: Date): Promise<EditorialView> {
  const faq = await readable(trx, actor, id, true);
  checkVersion(expected, faq.version);
  if (faq.adoptedFrom !== null) throw errors.adoptionReadOnly();
  const allowed = PUBLISHER_ACTIONS.includes(action) ? policy.canPublish(actor, faq) : policy.canEdit(actor, subject(faq));
  if (!allowed) throw errors.editorialForbidden({ action });
  const state = { status: faq.status, revisionStatus: faq.revisionStatus };
  const next = transition(state, action);
  if (!next) throw errors.invalidTransition({ from: editorialState(state), action });
  const update: repo.ArticleUpdate = { status: next.status, revisionStatus: next.revisionStatus, bumpVersion: false };
  if (next.dropRevision || next.applyRevision) update.revision = null;
  update.reviewNote = action === 'reject' ? note : action === 'publish' || action === 'submit' ? null : faq.reviewNote;
  let published: repo.FaqContent | null = null;
  if (action === 'publish') {
    if (faq.expiresAt && faq.expiresAt <= now) throw errors.alreadyExpired();
    published = next.applyRevision && faq.revision ? faq.revision : workingContent(faq);
    if (next.applyRevision) update.content = published;
    update.bumpVersion = true;
    update.publishedVersion = faq.version + 1;
    if (faq.publishedAt === null || faq.status !== 'published') update.publishedAt = faq.publishAt && faq.publishAt > now ? faq.publishAt : now;
  }
  const version = await repo.updateArticle(trx, faq.id, update, actor.userId, now);
  if (published) {
    await repo.insertVersion(trx, faq.id, version, published, 'published', actor.userId, now, note ?? 'pubblicata');
    if (faq.scope === 'network' && faq.canonicalId === null) await rerenderAdoptions(trx, faq.id, now);
  }
  await recordEvent(trx, FAQ_ACTION_TOPIC[action], { aggregateId: faq.id, payload: { id: faq.id, action, by: actor.userId } });
  return getEditorialFaq(trx, actor, faq.id, now);
}

// ------------------------------------------------------------------ versions

export async function listVersions(db: Db, actor: Actor, id: string): Promise<repo.FaqVersion[]> {
  await readable(db, actor, id);
  return repo.listVersions(db, id);
}

export interface VersionDiff {
  from: number;
  to: number;
  title: DiffSegment[];
  body: DiffSegment[];
  changes: { field: 'tema' | 'tipo' | 'enteCompetente' | 'tags'; from: string | string[] | null; to: string | string[] | null }[];
}

/** Word-level differences between two versions (default: the previous version and the latest). */
export async function diffVersions(db: Db, actor: Actor, id: string, from: number | undefined, to: number | undefined): Promise<VersionDiff> {
  await readable(db, actor, id);
  const versions = await repo.listVersions(db, id);
  const latest = versions[0];
  if (!latest) throw errors.versionNotFound({ version: to ?? 1 });
  const toVersion = to ?? latest.version;
  const b = versions.find((v) => v.version === toVersion);
  if (!b) throw errors.versionNotFound({ version: toVersion });
  const fromVersion = from ?? versions.find((v) => v.version < toVersion)?.version ?? toVersion;
  const a = versions.find((v) => v.version === fromVersion);
  if (!a) throw errors.versionNotFound({ version: fromVersion });
  const changes: VersionDiff['changes'] = [];
  for (const field of ['tema', 'tipo', 'enteCompetente', 'tags'] as const) {
    if (JSON.stringify(a[field]) !== JSON.stringify(b[field])) changes.push({ field, from: a[field], to: b[field] });
  }
  return { from: a.version, to: b.version, title: diffWords(a.title, b.title), body: diffWords(a.body, b.body), changes };
}

/** Restores the content of a version as a new version (see the module comment for the workflow). */
export async function rollback(trx: Trx, actor: Actor, id: string, expected: number | null, version: number, now: Date): Promise<EditorialView> {
  const faq = await readable(trx, actor, id, true);
  if (faq.adoptedFrom !== null) throw errors.adoptionReadOnly();
  const target = (await repo.listVersions(trx, id)).find((v) => v.version === version);
  if (!target) throw errors.versionNotFound({ version });
  if (faq.status === 'archived') throw errors.archivedReadOnly();
  const { title, body, tema, tipo, enteCompetente, tags } = target;
  return updateFaq(trx, actor, id, expected, { title, body, tema, tipo, enteCompetente, tags }, now, `ripristino della versione ${version}`);
}

// ------------------------------------------------------------------ adoption

function checkLocalFields(source: repo.EditorialFaq, values: Record<string, string>): Record<string, string> {
  const known = new Set(templateFields(source.title, source.body).map((f) => f.name));
  const unknown = Object.keys(values).filter((k) => !known.has(k));
  if (unknown.length > 0) throw errors.unknownLocalFields({ names: unknown });
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ''));
}

/** The adoption's content: the network FAQ's live text with the organisation's local values. */
function renderAdoption(source: repo.EditorialFaq, values: Record<string, string>): repo.FaqContent {
  return {
    title: renderTemplate(source.title, values), body: renderTemplate(source.body, values), tema: source.tema, tipo: source.tipo,
    enteCompetente: source.enteCompetente, tags: source.tags,
  };
}

/** Re-renders every adoption after the network FAQ's text changed (a new published version each). */
async function rerenderAdoptions(trx: Trx, sourceId: string, now: Date): Promise<void> {
  const source = await repo.findEditorialFaq(trx, sourceId);
  if (!source) return;
  for (const a of await repo.listAdoptions(trx, sourceId)) {
    const content = renderAdoption(source, a.localFields);
    const current = await repo.findEditorialFaq(trx, a.id, true);
    if (!current || sameContent(workingContent(current), content)) continue;
    const version = await repo.updateArticle(trx, a.id, { content, sourceVersion: source.publishedVersion, publishedVersion: current.version + 1, bumpVersion: true }, null, now);
    await repo.insertVersion(trx, a.id, version, content, 'published', null, now, `aggiornata dalla FAQ di rete (versione ${source.publishedVersion})`);
  }
}

/**
 * An organisation adopts a published network FAQ: a local, published FAQ of that organisation
 * whose text is the network text with the organisation's local fields filled in. It is searchable
 * as the organisation's FAQ and follows every new published version of the network text.
 */
export async function adopt(trx: Trx, actor: Actor, sourceId: string, input: { organisationId?: string; localFields: Record<string, string> }, now: Date): Promise<EditorialView> {
  const source = await readable(trx, actor, sourceId, true);
  if (source.scope !== 'network' || source.canonicalId !== null || source.adoptedFrom !== null || source.status !== 'published') throw errors.notAdoptable();
  const orgs = policy.authoredOrganisations(actor);
  if (orgs.length === 0 && !input.organisationId) throw errors.editorialForbidden({ action: 'adopt' });
  const organisationId = input.organisationId ?? (orgs.length === 1 ? orgs[0]! : null);
  if (!organisationId) throw errors.organisationRequired();
  if (!policy.canPublish(actor, { scope: 'organisation', organisationId })) throw errors.editorialForbidden({ action: 'adopt_here' });
  const existing = await repo.findAdoption(trx, sourceId, organisationId);
  if (existing) throw errors.alreadyAdopted({ id: existing });
  const org = await findOrganisation(trx, organisationId);
  if (!org) throw errors.editorialForbidden({ action: 'adopt_here' });
  const values = checkLocalFields(source, input.localFields);
  const content = renderAdoption(source, values);
  const id = await repo.insertArticle(trx, {
    ...content, organisationId, scope: 'organisation', ownerLabel: org.name, ownerId: actor.userId, canonicalId: null, lang: source.lang, status: 'published',
    reviewBy: null, publishAt: null, expiresAt: null, adoptedFrom: source.id, localFields: values, sourceVersion: source.publishedVersion, publishedVersion: 1,
  }, actor.userId, now).catch((err: unknown) => {
    // Two adoptions at the same instant: the loser reports the winner's.
    if (!isUniqueViolation(err, 'faq_articles_adoption_idx')) throw err;
    throw errors.alreadyAdopted({ id: null });
  });
  await repo.insertVersion(trx, id, 1, content, 'published', actor.userId, now, 'adozione della FAQ di rete');
  await recordEvent(trx, 'faq.adopted', { aggregateId: id, payload: { id, sourceId, organisationId } });
  return getEditorialFaq(trx, actor, id, now);
}

/** Stops an adoption: the organisation's local variant is removed (the network FAQ stays). */
export async function unadopt(trx: Trx, actor: Actor, id: string): Promise<void> {
  const faq = await readable(trx, actor, id, true);
  if (faq.adoptedFrom === null) throw errors.notAnAdoption();
  if (!policy.canPublish(actor, faq)) throw errors.editorialForbidden({ action: 'revoke_adoption' });
  await repo.deleteArticle(trx, id);
  await recordEvent(trx, 'faq.unadopted', { aggregateId: id, payload: { id, sourceId: faq.adoptedFrom, organisationId: faq.organisationId } });
}

// ------------------------------------------------------------------ translations

export async function createTranslation(trx: Trx, actor: Actor, canonicalId: string, input: { lang: SearchLanguage; title: string; body: string; tags?: string[] }, now: Date): Promise<EditorialView> {
  const canonical = await readable(trx, actor, canonicalId, true);
  if (canonical.canonicalId !== null || canonical.adoptedFrom !== null || canonical.lang !== 'it') {
    throw errors.translationSourceInvalid();
  }
  if (input.lang === 'it') throw errors.translationIntoItalian();
  if (!policy.canEdit(actor, subject(canonical))) throw errors.editorialForbidden({ action: 'translate' });
  const existing = (await repo.listTranslationRows(trx, canonicalId)).find((t) => t.lang === input.lang);
  if (existing) throw errors.translationExists({ lang: input.lang, id: existing.id });
  const base = workingContent(canonical);
  const content: repo.FaqContent = { ...base, title: cleanTitle(input.title), body: input.body.trim(), tags: cleanTags(input.tags ?? base.tags) };
  const id = await repo.insertArticle(trx, {
    ...content, organisationId: canonical.organisationId, scope: canonical.scope, ownerLabel: canonical.ownerLabel, ownerId: actor.userId, canonicalId,
    lang: input.lang, status: 'draft', reviewBy: null, publishAt: null, expiresAt: null, adoptedFrom: null, localFields: {},
    sourceVersion: canonical.publishedVersion ?? canonical.version, publishedVersion: null,
  }, actor.userId, now).catch((err: unknown) => {
    // Two translations into the same language at the same instant.
    if (!isUniqueViolation(err, 'faq_articles_translation_idx')) throw err;
    throw errors.translationExists({ lang: input.lang, id: null });
  });
  await repo.insertVersion(trx, id, 1, content, 'draft', actor.userId, now, `traduzione (${input.lang})`);
  await recordEvent(trx, 'faq.translation_created', { aggregateId: id, payload: { id, canonicalId, lang: input.lang } });
  return getEditorialFaq(trx, actor, id, now);
}

// ------------------------------------------------------------------ scheduler

export interface JobReport {
  expired: number;
  released: number;
  notified: number;
}

/**
 * The editorial clock, run periodically by every instance (idempotent, safe to run concurrently):
 * archives expired FAQs, clears the schedule of FAQs whose publication instant passed (both bump
 * the knowledge revision, so every instance's search index refreshes) and notifies each owner once
 * per occurrence of a flag. Search never waits for this: it filters by the instant itself.
 */
export async function runEditorialJobs(db: Database, now: Date): Promise<JobReport> {
  return db.transaction().execute(async (trx) => {
    const expiredIds = await repo.listExpired(trx, now);
    for (const id of expiredIds) {
      await repo.updateArticle(trx, id, { status: 'archived', revision: null, revisionStatus: null, reviewNote: 'scaduta', bumpVersion: false }, null, now);
      await recordEvent(trx, 'faq.expired', { aggregateId: id, payload: { id } });
    }
    const released = await repo.releaseScheduled(trx, now);
    const tax = await taxonomyView(trx);
    let notified = 0;
    for (const f of await repo.listFlaggedWithOwner(trx, flagSql(tax, now))) {
      const c = workingContent(f);
      const input = { status: f.status, reviewBy: f.reviewBy, tema: c.tema, tipo: c.tipo, expiresAt: f.expiresAt };
      for (const flag of flagsOf(input, { now, isActiveCode: tax.isActiveCode })) {
        if (!(await repo.recordFlagNotification(trx, f.id, flag, flagOccurrence(flag, input, tax.version), f.ownerId!, now))) continue;
        await recordEvent(trx, 'faq.flagged', { aggregateId: f.id, payload: { id: f.id, flag, ownerId: f.ownerId!, title: c.title } });
        notified++;
      }
    }
    return { expired: expiredIds.length, released: released.length, notified };
  });
}
