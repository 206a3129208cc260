import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { recordEvent } from '../../platform/events.js';
import type { Trx } from '../../platform/http.js';
import { canManageNetwork, hasPermission } from '../../platform/policy.js';
import { addDays, localIsoDate, ROME } from '../../platform/time-zone.js';
import { listOrganisations } from '../identity/index.js';
import { findTicketById, findTicketIdByCode, lastPublicReply, normalizeTicketCode, ticketBriefs } from '../tickets/index.js';
import type { FaqSearchEngine } from './faq-search.js';
import { canRead } from './faq-editorial.policy.js';
import { faqFeedbackErrors as errors } from './faq-feedback.errors.js';
import { knowledgeErrors } from './knowledge.errors.js';
import * as repo from './faq-feedback.repository.js';
import { firstOpenDay, romeMidnight, splitByCountedDays } from './deflection-days.js';
import * as knowledge from './knowledge.repository.js';
import { scrubPii } from '../../platform/privacy/index.js';
import { placeKey, placeOfOrganisationName, placesNamed } from './place-names.js';
import { loadTerritory } from '../territory/index.js';
import { analyseTerms, normaliseText, type SearchLanguage } from '../../platform/text/text-analysis.js';

type Db = Database | Trx;

/**
 * Below this score a search counts as "no good answer". The search's scores add up over the query's
 * words, so the best score is divided by the square root of the number of query terms to compare
 * short and long questions. Measured on the development queries (../shared/data/faq/dev-queries.jsonl)
 * against the 320 FAQs: 95% of the searches whose first result is right reach 3.8 (90% reach 4.8),
 * while a third of a dozen off-topic questions ("ricetta della carbonara", "meteo domani") stay under
 * 3.0. 3.0 thus flags few good answers; the explicit signals (a "not helpful" rating, a contact)
 * catch the rest.
 */
export const LOW_SCORE_THRESHOLD = 3.0;

/** The best score of a search, comparable across query lengths (see LOW_SCORE_THRESHOLD). */
export function answerScore(bestScore: number, queryTerms: number): number {
  return Math.round((bestScore / Math.sqrt(Math.max(1, queryTerms))) * 1000) / 1000;
}
/** A portal session counts as deflected when no contact intent follows its first FAQ read within this window. */
export const DEFLECTION_WINDOW_MINUTES = 30;

/**
 * The organisation whose territory a portal's `place` names ("Celano" → Comune di Celano), or, for a
 * comune with no body of its own in the network, the body of its province or region; null otherwise.
 */
async function organisationOfPlace(db: Db, place: string | null): Promise<string | null> {
  if (!place) return null;
  const key = placeKey(place);
  if (!key) return null;
  const orgs = await listOrganisations(db);
  const byPlace = new Map<string, string>();
  for (const o of orgs) {
    const p = placeOfOrganisationName(o.name);
    if (p && !byPlace.has(p)) byPlace.set(p, o.id);
  }
  const direct = byPlace.get(key) ?? byPlace.get(placeOfOrganisationName(place) ?? '');
  if (direct) return direct;
  const named = placesNamed(await loadTerritory(db), [place]);
  for (const p of [...named.places, ...named.enclosing]) {
    const id = byPlace.get(p);
    if (id) return id;
  }
  return null;
}

/** A FAQ that citizens can see now: published, inside its publish/expiry window (and, if adopted, its network FAQ too). */
async function liveFaq(db: Db, id: string, now: Date): Promise<repo.FaqRef> {
  const faq = await repo.findLiveFaqRef(db, id, now);
  if (!faq) throw errors.faqNotFound({ id });
  return faq;
}

/** The scrubbed, normalised key of a query: two citizens typing the same words meet on one gap. */
export function gapKey(scrubbedQuery: string): string {
  return normaliseText(scrubbedQuery).slice(0, 500);
}

async function addGap(db: Db, s: { query: string; lang: string; place: string | null; organisationId: string | null }, signal: repo.GapSignal, occurrence: boolean, at: Date) {
  const key = gapKey(s.query);
  if (key === '') return;
  await repo.recordGap(db, {
    lang: s.lang, queryKey: key, territory: s.place ? placeKey(s.place).slice(0, 100) : '', organisationId: s.organisationId, sample: s.query,
    signal, occurrence, at,
  });
}

/** A negative signal (not helpful, contact intent) turns the session's latest search into a gap, once. */
async function flagLastSearch(db: Db, sessionId: string, signal: 'not_helpful' | 'contact', now: Date): Promise<void> {
  const since = new Date(now.getTime() - DEFLECTION_WINDOW_MINUTES * 60_000);
  const search = await repo.lastSearchOfSession(db, sessionId, since);
  if (!search || search.alreadyFlagged) return;
  // A search already counted as poor (no results, low score) gets the signal but is not counted twice.
  const alreadyGap = search.resultCount === 0 || (search.topScore ?? 0) < LOW_SCORE_THRESHOLD;
  await addGap(db, search, signal, !alreadyGap, now);
}

export interface PortalEventInput {
  sessionId: string;
  kind: 'search' | 'read' | 'contact';
  faqId?: string | undefined;
  query?: string | undefined;
  lang?: SearchLanguage | undefined;
  place?: string | undefined;
}

/**
 * Records one anonymous event of a portal session. A search is run again here with the portal's
 * own engine (the client's word on the outcome is not trusted) and, when it found no good answer,
 * its scrubbed query becomes (or adds to) a FAQ gap. Only scrubbed text is stored.
 */
export async function recordPortalEvent(db: Database, engine: FaqSearchEngine, input: PortalEventInput, now = new Date()): Promise<void> {
  const lang = input.lang ?? 'it';
  const place = input.place?.trim() ? input.place.trim() : null;
  const placeOrg = await organisationOfPlace(db, place);
  const base = { sessionId: input.sessionId, lang, place, helpful: null, at: now };
  if (input.kind === 'search') {
    if (!input.query?.trim()) throw errors.eventInvalid({ problem: 'search_needs_query', kind: input.kind });
    if (input.faqId) throw errors.eventInvalid({ problem: 'search_with_faq', kind: input.kind });
    const result = await engine.search({ query: input.query, lang, place, limit: 5 });
    const query = scrubPii(input.query.trim()).slice(0, 500);
    const top = result.items[0] ?? null;
    const score = top ? answerScore(top.score, result.interpretation.terms.length) : null;
    await db.transaction().execute(async (trx) => {
      await repo.insertPortalEvent(trx, {
        ...base, kind: 'search', faqId: top?.faq.id ?? null, organisationId: placeOrg, query, resultCount: result.items.length, topScore: score,
      });
      // A query without any searchable word ("???") says nothing about missing answers.
      if (result.interpretation.terms.length === 0) return;
      if (score === null) await addGap(trx, { query, lang, place, organisationId: placeOrg }, 'no_results', true, now);
      else if (score < LOW_SCORE_THRESHOLD) await addGap(trx, { query, lang, place, organisationId: placeOrg }, 'low_score', true, now);
    });
    return;
  }
  if (input.query) throw errors.eventInvalid({ problem: 'query_not_allowed', kind: input.kind });
  if (input.kind === 'read' && !input.faqId) throw errors.eventInvalid({ problem: 'read_needs_faq', kind: input.kind });
  const faq = input.faqId ? await liveFaq(db, input.faqId, now) : null;
  await db.transaction().execute(async (trx) => {
    // Flag first: the event itself must not count as the signal that already followed the search.
    if (input.kind === 'contact') await flagLastSearch(trx, input.sessionId, 'contact', now);
    await repo.insertPortalEvent(trx, {
      ...base, kind: input.kind, faqId: faq?.id ?? null, organisationId: placeOrg ?? faq?.organisationId ?? null, query: null, resultCount: null, topScore: null,
    });
  });
}

/** A citizen's rating from the portal: one per session and FAQ (a second one replaces the first). */
export async function rateAsCitizen(db: Database, faqId: string, input: { sessionId: string; helpful: boolean; comment?: string | null | undefined; place?: string | undefined }, now = new Date()) {
  const faq = await liveFaq(db, faqId, now);
  const placeOrg = await organisationOfPlace(db, input.place ?? null);
  const comment = input.comment?.trim() ? scrubPii(input.comment.trim()).slice(0, 1000) : null;
  return db.transaction().execute(async (trx) => {
    const { created } = await repo.upsertFeedback(trx, { faqId, source: 'citizen', sessionId: input.sessionId, userId: null, helpful: input.helpful, comment, now });
    if (!input.helpful) await flagLastSearch(trx, input.sessionId, 'not_helpful', now);
    await repo.insertPortalEvent(trx, {
      sessionId: input.sessionId, kind: 'rate', faqId, organisationId: placeOrg ?? faq.organisationId, query: null, lang: 'it', place: input.place ?? null,
      resultCount: null, topScore: null, helpful: input.helpful, at: now,
    });
    return { created };
  });
}

function memberOf(actor: Actor, organisationId: string | null): boolean {
  return organisationId !== null && actor.grants.some((g) => g.organisationId === organisationId);
}

/** The FAQ if the caller may read it, by the one editorial read rule (drafts stay with their authors). */
async function visibleFaq(db: Db, actor: Actor, id: string): Promise<repo.FaqRef> {
  const faq = await repo.findFaqWithAccess(db, id);
  if (!faq || !canRead(actor, faq)) throw errors.faqNotFound({ id });
  return faq;
}

/** An operator's rating: one per user and FAQ; any member of the network may rate the shared FAQs. */
export async function rateAsOperator(db: Database, actor: Actor, faqId: string, input: { helpful: boolean; comment?: string | null | undefined }, now = new Date()) {
  const faq = await visibleFaq(db, actor, faqId);
  const comment = input.comment?.trim() ? scrubPii(input.comment.trim()).slice(0, 1000) : null;
  return db.transaction().execute(async (trx) => {
    const { created } = await repo.upsertFeedback(trx, { faqId, source: 'operator', sessionId: null, userId: actor.userId, helpful: input.helpful, comment, now });
    return { created, stats: await stats(trx, faqId, memberOf(actor, faq.organisationId)) };
  });
}

/** An operator pasted the FAQ's answer into a reply or a description: a helpfulness signal. */
export async function recordUse(db: Database, actor: Actor, faqId: string, context: 'reply' | 'description', now = new Date()): Promise<void> {
  await liveFaq(db, faqId, now);
  const organisationId = actor.grants[0]?.organisationId ?? null;
  await repo.insertUse(db, { faqId, userId: actor.userId, organisationId, context, now });
}

export interface FaqFeedbackStats extends repo.FeedbackStats {
  helpful: number;
  notHelpful: number;
  /** helpful / (helpful + notHelpful), null without votes. */
  ratio: number | null;
  sourceTicket: { code: string } | null;
}

/** The FAQ's ratings; the ticket it was drafted from only for members of the FAQ's organisation. */
export async function stats(db: Db, faqId: string, showSourceTicket = false): Promise<FaqFeedbackStats> {
  const s = await repo.feedbackStats(db, faqId);
  const helpful = s.citizens.helpful + s.operators.helpful;
  const notHelpful = s.citizens.notHelpful + s.operators.notHelpful;
  const sourceId = showSourceTicket ? await repo.sourceTicketIdOf(db, faqId) : null;
  const [source] = sourceId ? await ticketBriefs(db, [sourceId]) : [];
  return { ...s, helpful, notHelpful, ratio: helpful + notHelpful > 0 ? Math.round((helpful / (helpful + notHelpful)) * 1000) / 1000 : null, sourceTicket: source ? { code: source.code } : null };
}

export async function feedbackOf(db: Database, actor: Actor, faqId: string): Promise<FaqFeedbackStats> {
  const faq = await visibleFaq(db, actor, faqId);
  return stats(db, faqId, memberOf(actor, faq.organisationId));
}

export function assertAnalyst(actor: Actor): void {
  if (!hasPermission(actor, 'analytics:read') && !canManageNetwork(actor)) throw errors.analyticsForbidden();
}

const DAY = 86_400_000;

/** Start of the day (or ISO week, Monday) of `d` in Rome time, as the label of its period. */
function periodOf(d: Date, granularity: 'day' | 'week'): string {
  const day = new Date(`${localIsoDate(d, ROME)}T00:00:00Z`);
  if (granularity === 'week') day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

export interface DeflectionReport {
  from: Date;
  to: Date;
  windowMinutes: number;
  granularity: 'day' | 'week';
  totals: { sessions: number; deflected: number; contacted: number; pending: number; rate: number | null };
  series: { period: string; sessions: number; deflected: number }[];
  byFaq: { faqId: string; title: string; deflected: number }[];
  byOrganisation: { organisationId: string | null; name: string | null; deflected: number }[];
}

type DeflectionQuery = { from?: string | undefined; to?: string | undefined; organisationId?: string | undefined };

/** The period and body of a deflection question, checked: ISO dates, in order, at most 366 days (30 days up to `to` by default). */
function deflectionPeriod(q: DeflectionQuery, now: Date) {
  const iso = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
  if ((q.from && !iso.test(q.from)) || (q.to && !iso.test(q.to))) throw errors.periodInvalid({ problem: 'not_iso' });
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw errors.periodInvalid({ problem: 'not_iso' });
  if (from >= to) throw errors.periodInvalid({ problem: 'reversed' });
  if (to.getTime() - from.getTime() > 366 * DAY) throw errors.periodInvalid({ problem: 'too_long' });
  return { from, to, now, windowMinutes: DEFLECTION_WINDOW_MINUTES, organisationId: q.organisationId ?? null };
}

/**
 * The totals of `deflection` alone (the analytics dashboard's figure): the whole days already
 * counted by `countDeflectionDays` are added up, only the rest (the period's partial first and last
 * days, the days not counted yet) is counted from the sessions, by the database.
 */
export async function deflectionTotals(db: Database, q: DeflectionQuery, now = new Date()): Promise<{ sessions: number; deflected: number; rate: number | null }> {
  const period = deflectionPeriod(q, now);
  const split = splitByCountedDays(period.from, period.to, await repo.deflectionDaysThrough(db));
  const parts = await Promise.all([
    ...(split.days ? [repo.deflectionDayTotals(db, { fromDay: split.days.from, toDay: split.days.to, organisationId: period.organisationId })] : []),
    ...split.live.map((range) => repo.closedSessionTotals(db, { ...period, ...range })),
  ]);
  const sessions = parts.reduce((n, p) => n + p.sessions, 0);
  const deflected = parts.reduce((n, p) => n + p.deflected, 0);
  return { sessions, deflected, rate: sessions > 0 ? Math.round((deflected / sessions) * 1000) / 1000 : null };
}

/** At most this many days per transaction of the counting job (a first run over years of log). */
const COUNT_DAYS_PER_STEP = 31;

/**
 * Counts into `faq_deflection_days` every day whose sessions have all closed their window and that
 * is not counted yet, a month per transaction; the rollup row's lock keeps two instances off the
 * same days. Returns the days counted and how far the counts now reach.
 */
export async function countDeflectionDays(db: Database, now = new Date()): Promise<{ days: number; through: string | null }> {
  const open = firstOpenDay(now, DEFLECTION_WINDOW_MINUTES);
  let days = 0;
  for (;;) {
    const step = await db.transaction().execute(async (trx) => {
      const through = await repo.deflectionDaysThrough(trx, { lock: true });
      const first = through ?? (await repo.firstPortalRead(trx).then((at) => (at ? localIsoDate(at, ROME) : null)));
      if (first === null || first >= open) return { counted: 0, through };
      let toDay = addDays(first, COUNT_DAYS_PER_STEP);
      if (toDay > open) toDay = open;
      await repo.countDeflectionDays(trx, { fromDay: first, toDay, from: romeMidnight(first), to: romeMidnight(toDay), now, windowMinutes: DEFLECTION_WINDOW_MINUTES });
      return { counted: Math.round((romeMidnight(toDay).getTime() - romeMidnight(first).getTime()) / DAY), through: toDay };
    });
    days += step.counted;
    if (step.counted === 0 || step.through === open) return { days, through: step.through };
  }
}

/**
 * Deflected contacts: portal sessions that searched, read at least one FAQ and expressed no contact
 * intent within the window after their first read. Sessions whose window has not ended yet are not
 * counted (reported as pending). Periods are days or ISO weeks in Rome time, by the first read.
 */
export async function deflection(db: Database, q: DeflectionQuery & { granularity?: 'day' | 'week' | undefined }, now = new Date()): Promise<DeflectionReport> {
  const params = deflectionPeriod(q, now);
  const { from, to } = params;
  const granularity = q.granularity ?? 'day';
  const sessions = await repo.sessionsWithClosedWindow(db, params);
  const pending = await repo.pendingSessions(db, params);
  const series = new Map<string, { sessions: number; deflected: number }>();
  const byFaq = new Map<string, { faqId: string; title: string; deflected: number }>();
  const byOrg = new Map<string, { organisationId: string | null; name: string | null; deflected: number }>();
  let deflected = 0;
  for (const s of sessions) {
    const period = periodOf(s.firstRead, granularity);
    const entry = series.get(period) ?? { sessions: 0, deflected: 0 };
    entry.sessions++;
    series.set(period, entry);
    if (s.contacted) continue;
    deflected++;
    entry.deflected++;
    if (s.faqId) {
      const f = byFaq.get(s.faqId) ?? { faqId: s.faqId, title: s.faqTitle ?? '', deflected: 0 };
      f.deflected++;
      byFaq.set(s.faqId, f);
    }
    const orgKey = s.organisationId ?? '';
    const o = byOrg.get(orgKey) ?? { organisationId: s.organisationId, name: s.organisationName, deflected: 0 };
    o.deflected++;
    byOrg.set(orgKey, o);
  }
  return {
    from, to, windowMinutes: DEFLECTION_WINDOW_MINUTES, granularity,
    totals: { sessions: sessions.length, deflected, contacted: sessions.length - deflected, pending, rate: sessions.length > 0 ? Math.round((deflected / sessions.length) * 1000) / 1000 : null },
    series: [...series].sort(([a], [b]) => a.localeCompare(b)).map(([period, v]) => ({ period, ...v })),
    byFaq: [...byFaq.values()].sort((a, b) => b.deflected - a.deflected || a.title.localeCompare(b.title)).slice(0, 50),
    byOrganisation: [...byOrg.values()].sort((a, b) => b.deflected - a.deflected),
  };
}

/** Network coordinators see every gap; an organisation's administrators the gaps of their territory. */
function gapScope(actor: Actor, organisationId: string | undefined): string | null {
  if (canManageNetwork(actor)) return organisationId ?? null;
  const administered = actor.grants.filter((g) => g.role === 'org_admin').map((g) => g.organisationId);
  if (administered.length === 0 || (actor.scopes !== null && !actor.scopes.includes('admin'))) throw errors.gapsForbidden();
  const wanted = organisationId ?? administered[0]!;
  if (!administered.includes(wanted)) throw errors.gapsForbidden();
  return wanted;
}

export async function listGaps(db: Database, actor: Actor, q: { status?: repo.GapStatus | 'all' | undefined; organisationId?: string | undefined; q?: string | undefined; limit?: number | undefined; offset?: number | undefined }) {
  const organisationId = gapScope(actor, q.organisationId);
  const status = q.status === 'all' ? null : (q.status ?? 'open');
  const text = q.q ? normaliseText(q.q) : null;
  return repo.listGaps(db, { status, organisationId, q: text || null, limit: q.limit ?? 50, offset: q.offset ?? 0 });
}

export async function decideGap(trx: Trx, actor: Actor, id: string, input: { status: repo.GapStatus; faqId?: string | null | undefined; note?: string | null | undefined; version?: number | undefined }, now = new Date()) {
  const gap = await repo.findGap(trx, id);
  if (!gap) throw errors.gapNotFound({ id });
  // Administrators decide the gaps of their own territory; other gaps do not exist for them.
  if (!canManageNetwork(actor)) {
    const mine = actor.grants.some((g) => g.role === 'org_admin' && g.organisationId === gap.organisationId) && (actor.scopes === null || actor.scopes.includes('admin'));
    if (!mine) throw actor.grants.some((g) => g.role === 'org_admin') ? errors.gapNotFound({ id }) : errors.gapsForbidden();
  }
  let faqId: string | null = null;
  if (input.status === 'addressed') {
    if (!input.faqId) throw errors.gapFaqRequired();
    if (!(await repo.findFaqRef(trx, input.faqId))) throw errors.faqNotFound({ id: input.faqId });
    faqId = input.faqId;
  }
  const note = input.note?.trim() ? scrubPii(input.note.trim()) : null;
  if (!(await repo.updateGap(trx, id, input.version ?? null, { status: input.status, faqId, note, actorId: actor.userId, now }))) throw errors.gapVersionConflict();
  await recordEvent(trx, 'faq.gap_decided', { aggregateId: id, payload: { id, status: input.status, faqId } });
  return (await repo.findGap(trx, id))!;
}

/** Edits a thesaurus group; the caller invalidates the search index afterwards. */
export async function editThesaurusEntry(trx: Trx, actor: Actor, id: string, input: { kind?: 'synonym' | 'acronym' | undefined; terms?: string[] | undefined; note?: string | null | undefined }) {
  const current = await repo.findThesaurusEntry(trx, id);
  if (!current) throw knowledgeErrors.thesaurusEntryNotFound({ id });
  let terms: string[] | undefined;
  if (input.terms) {
    terms = [...new Set(input.terms.map((t) => t.trim()).filter((t) => t !== ''))];
    const distinct = new Set(terms.map((t) => analyseTerms(t, current.lang as SearchLanguage).join(' ')).filter((k) => k !== ''));
    if (distinct.size < 2) throw knowledgeErrors.thesaurusEntryInvalid();
  }
  const updated = await repo.updateThesaurusEntry(trx, id, { ...(input.kind && { kind: input.kind }), ...(terms && { terms }), ...(input.note !== undefined && { note: input.note }) }, actor.userId);
  if (!updated) throw knowledgeErrors.thesaurusEntryNotFound({ id });
  await recordEvent(trx, 'faq.thesaurus_changed', { aggregateId: id, payload: { id } });
  return updated;
}

/** Supervisors of the owning office (or of the whole organisation) and the organisation's administrators. */
function mayDraftFromTicket(actor: Actor, ticket: { officeId: string; organisationId: string }): 'yes' | 'forbidden' | 'unrelated' {
  const grants = actor.grants.filter((g) => g.organisationId === ticket.organisationId);
  if (grants.length === 0) return 'unrelated';
  const tokenOk = actor.scopes === null || actor.scopes.includes('admin') || actor.scopes.includes('tickets:write');
  const allowed = grants.some((g) => g.role === 'org_admin' || (g.role === 'supervisor' && (g.officeId === null || g.officeId === ticket.officeId)));
  return allowed && tokenOk ? 'yes' : 'forbidden';
}

/**
 * Turns a resolved or closed ticket into a draft FAQ of its organisation: the subject becomes the
 * question, the last public reply the answer, both scrubbed of personal data (the requester's
 * name, e-mail, phone and fiscal code from the ticket are removed explicitly, the rest by the
 * recognisers), classified like the ticket and linked to it.
 */
export async function draftFromTicket(trx: Trx, actor: Actor, rawCode: string, now = new Date()) {
  const code = normalizeTicketCode(rawCode);
  const notFound = () => errors.ticketNotFoundForDraft({ ticketCode: code ?? rawCode });
  if (!code) throw notFound();
  const ticketId = await findTicketIdByCode(trx, code);
  const ticket = ticketId ? await findTicketById(trx, ticketId) : null;
  if (!ticket) throw notFound();
  const allowed = mayDraftFromTicket(actor, ticket);
  if (allowed === 'unrelated') throw notFound();
  if (allowed === 'forbidden') throw errors.draftForbidden();
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') throw errors.ticketNotResolved({ ticketCode: code });
  const existing = await repo.draftOfTicket(trx, ticket.id);
  if (existing) throw errors.draftExists({ ticketCode: code, faqId: existing });
  const reply = await lastPublicReply(trx, ticket.id);
  if (!reply) throw errors.ticketWithoutReply({ ticketCode: code });
  const r = ticket.requester;
  const known = { names: [r?.name], values: [r?.email, r?.phone, r?.fiscalCode] };
  let title = scrubPii(ticket.subject, { known }).trim().slice(0, 300);
  if (title.length < 3) title = 'Domanda da definire';
  const body = scrubPii(reply, { known }).trim().slice(0, 20000);
  const write: knowledge.FaqWrite = {
    externalId: null, organisationId: ticket.organisationId, scope: 'organisation', ownerLabel: ticket.organisationName, canonicalId: null, lang: 'it',
    title, body, tema: ticket.classification.tema ?? null, tipo: ticket.classification.tipo ?? null, enteCompetente: null, tags: [], status: 'draft',
  };
  const [faqId] = await knowledge.insertFaqs(trx, [write], actor.userId, now);
  await knowledge.snapshotVersions(trx, [faqId!], actor.userId, `bozza dal ticket ${code}`);
  await repo.insertTicketSource(trx, { faqId: faqId!, ticketId: ticket.id, actorId: actor.userId, now });
  await recordEvent(trx, 'faq.drafted_from_ticket', { aggregateId: faqId!, organisationId: ticket.organisationId, payload: { faqId: faqId!, ticketId: ticket.id } });
  return { id: faqId!, title, body, tema: write.tema, tipo: write.tipo, status: 'draft' as const, organisationId: ticket.organisationId, sourceTicket: { code } };
}
