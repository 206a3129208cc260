import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import { liveArticles } from './knowledge.repository.js';
import type { FaqAccessSubject } from './faq-editorial.policy.js';
import * as identity from '../identity/index.js';

type Db = Database | Trx;

export type FeedbackSource = 'citizen' | 'operator';
export const PORTAL_EVENT_KINDS = ['search', 'read', 'rate', 'contact'] as const;
export type PortalEventKind = (typeof PORTAL_EVENT_KINDS)[number];
export const GAP_STATUSES = ['open', 'addressed', 'dismissed'] as const;
export type GapStatus = (typeof GAP_STATUSES)[number];
export type GapSignal = 'no_results' | 'low_score' | 'not_helpful' | 'contact';

export interface FaqRef {
  id: string;
  organisationId: string | null;
  title: string;
  status: string;
}

export async function findFaqRef(db: Db, id: string): Promise<FaqRef | null> {
  const row = await db.selectFrom('faq_articles').select(['id', 'organisation_id', 'title', 'status']).where('id', '=', id).executeTakeFirst();
  return row ? { id: row.id, organisationId: row.organisation_id, title: row.title, status: row.status } : null;
}

/** A FAQ with what the editorial read rule (faq-editorial.policy canRead) needs. */
export async function findFaqWithAccess(db: Db, id: string): Promise<(FaqRef & FaqAccessSubject) | null> {
  const row = await db
    .selectFrom('faq_articles')
    .select(['id', 'organisation_id', 'title', 'status', 'scope', 'created_by', 'published_version'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id, organisationId: row.organisation_id, title: row.title, status: row.status, scope: row.scope as FaqAccessSubject['scope'],
    createdBy: row.created_by, everPublished: row.published_version !== null,
  };
}

/** The FAQ if it is live at `now` (see knowledge.repository liveIds), in one query. */
export async function findLiveFaqRef(db: Db, id: string, now: Date): Promise<FaqRef | null> {
  const row = await liveArticles(db, now).select(['f.id', 'f.organisation_id', 'f.title', 'f.status']).where('f.id', '=', id).executeTakeFirst();
  return row ? { id: row.id, organisationId: row.organisation_id, title: row.title, status: row.status } : null;
}

/** One vote per portal session (citizens) or per user (operators) and FAQ: a second vote replaces the first. */
export async function upsertFeedback(
  db: Db,
  f: { faqId: string; source: FeedbackSource; sessionId: string | null; userId: string | null; helpful: boolean; comment: string | null; now: Date },
): Promise<{ created: boolean }> {
  const target = f.source === 'citizen' ? sql`(faq_id, session_id) where session_id is not null` : sql`(faq_id, user_id) where user_id is not null`;
  const result = await sql<{ created: boolean }>`
    insert into faq_feedback (faq_id, source, session_id, user_id, helpful, comment, created_at, updated_at)
    values (${f.faqId}, ${f.source}, ${f.sessionId}, ${f.userId}, ${f.helpful}, ${f.comment}, ${f.now}, ${f.now})
    on conflict ${target} do update set helpful = excluded.helpful, comment = excluded.comment, updated_at = excluded.updated_at
    returning (xmax = 0) as created`.execute(db);
  return { created: result.rows[0]?.created ?? true };
}

export interface FeedbackStats {
  citizens: { helpful: number; notHelpful: number };
  operators: { helpful: number; notHelpful: number };
  uses: number;
  comments: { helpful: boolean; source: FeedbackSource; comment: string; at: Date }[];
}

export async function feedbackStats(db: Db, faqId: string): Promise<FeedbackStats> {
  const counts = await db
    .selectFrom('faq_feedback')
    .select(['source', 'helpful', (eb) => eb.fn.countAll<string>().as('n')])
    .where('faq_id', '=', faqId)
    .groupBy(['source', 'helpful'])
    .execute();
  const n = (source: string, helpful: boolean) => Number(counts.find((c) => c.source === source && c.helpful === helpful)?.n ?? 0);
  const uses = await db.selectFrom('faq_uses').select((eb) => eb.fn.countAll<string>().as('n')).where('faq_id', '=', faqId).executeTakeFirst();
  const comments = await db
    .selectFrom('faq_feedback')
    .select(['helpful', 'source', 'comment', 'updated_at'])
    .where('faq_id', '=', faqId)
    .where('comment', 'is not', null)
    .orderBy('updated_at', 'desc')
    .limit(20)
    .execute();
  return {
    citizens: { helpful: n('citizen', true), notHelpful: n('citizen', false) },
    operators: { helpful: n('operator', true), notHelpful: n('operator', false) },
    uses: Number(uses?.n ?? 0),
    comments: comments.map((c) => ({ helpful: c.helpful, source: c.source as FeedbackSource, comment: c.comment ?? '', at: c.updated_at })),
  };
}

export async function insertUse(db: Db, u: { faqId: string; userId: string; organisationId: string | null; context: 'reply' | 'description'; now: Date }): Promise<void> {
  await db.insertInto('faq_uses').values({ faq_id: u.faqId, user_id: u.userId, organisation_id: u.organisationId, context: u.context, created_at: u.now }).execute();
}

export interface PortalEvent {
  sessionId: string;
  kind: PortalEventKind;
  faqId: string | null;
  organisationId: string | null;
  query: string | null;
  lang: string;
  place: string | null;
  resultCount: number | null;
  topScore: number | null;
  helpful: boolean | null;
  at: Date;
}

export async function insertPortalEvent(db: Db, e: PortalEvent): Promise<void> {
  await db
    .insertInto('faq_portal_events')
    .values({
      session_id: e.sessionId, kind: e.kind, faq_id: e.faqId, organisation_id: e.organisationId, query: e.query, lang: e.lang, place: e.place,
      result_count: e.resultCount, top_score: e.topScore, helpful: e.helpful, created_at: e.at,
    })
    .execute();
}

export interface SessionSearch {
  query: string;
  lang: string;
  place: string | null;
  organisationId: string | null;
  resultCount: number;
  topScore: number | null;
  at: Date;
  /** Whether a "not helpful" rating or a contact intent already followed this search. */
  alreadyFlagged: boolean;
}

/** The session's latest search since `since`, with whether a negative signal already followed it. */
export async function lastSearchOfSession(db: Db, sessionId: string, since: Date): Promise<SessionSearch | null> {
  const row = await db
    .selectFrom('faq_portal_events as s')
    .select([
      's.query', 's.lang', 's.place', 's.organisation_id', 's.result_count', 's.top_score', 's.created_at',
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom('faq_portal_events as f')
              .select('f.id')
              .whereRef('f.session_id', '=', 's.session_id')
              .whereRef('f.created_at', '>=', 's.created_at')
              .where((w) => w.or([w('f.kind', '=', 'contact'), w.and([w('f.kind', '=', 'rate'), w('f.helpful', '=', false)])])),
          )
          .as('flagged'),
    ])
    .where('s.session_id', '=', sessionId)
    .where('s.kind', '=', 'search')
    .where('s.created_at', '>=', since)
    .where('s.query', 'is not', null)
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row?.query) return null;
  return {
    query: row.query, lang: row.lang, place: row.place, organisationId: row.organisation_id, resultCount: row.result_count ?? 0, topScore: row.top_score,
    at: row.created_at, alreadyFlagged: Boolean(row.flagged),
  };
}

/** Adds one poor search (or one more signal on it) to its gap, creating the gap on first sight. */
export async function recordGap(
  db: Db,
  g: { lang: string; queryKey: string; territory: string; organisationId: string | null; sample: string; signal: GapSignal; occurrence: boolean; at: Date },
): Promise<void> {
  const one = (s: GapSignal) => (g.signal === s ? 1 : 0);
  await sql`
    insert into faq_gaps (lang, query_key, territory, organisation_id, samples, occurrences, no_results, low_score, not_helpful, contact, first_seen_at, last_seen_at)
    values (${g.lang}, ${g.queryKey}, ${g.territory}, ${g.organisationId}, ${JSON.stringify([g.sample])}::jsonb, ${g.occurrence ? 1 : 0},
      ${one('no_results')}, ${one('low_score')}, ${one('not_helpful')}, ${one('contact')}, ${g.at}, ${g.at})
    on conflict (lang, query_key, territory) do update set
      occurrences = faq_gaps.occurrences + excluded.occurrences,
      no_results = faq_gaps.no_results + excluded.no_results,
      low_score = faq_gaps.low_score + excluded.low_score,
      not_helpful = faq_gaps.not_helpful + excluded.not_helpful,
      contact = faq_gaps.contact + excluded.contact,
      organisation_id = coalesce(faq_gaps.organisation_id, excluded.organisation_id),
      last_seen_at = greatest(faq_gaps.last_seen_at, excluded.last_seen_at),
      samples = case when faq_gaps.samples @> excluded.samples or jsonb_array_length(faq_gaps.samples) >= 5 then faq_gaps.samples
                     else faq_gaps.samples || excluded.samples end`.execute(db);
}

export interface Gap {
  id: string;
  lang: string;
  queryKey: string;
  territory: string;
  organisationId: string | null;
  organisationName: string | null;
  samples: string[];
  occurrences: number;
  signals: Record<GapSignal, number>;
  firstSeenAt: Date;
  lastSeenAt: Date;
  status: GapStatus;
  faq: { id: string; title: string } | null;
  note: string | null;
  decidedAt: Date | null;
  version: number;
}

function gapQuery(db: Db) {
  return db
    .selectFrom('faq_gaps as g')
    .leftJoin(identity.organisationDirectory().as('o'), 'o.id', 'g.organisation_id')
    .leftJoin('faq_articles as f', 'f.id', 'g.faq_id')
    .select([
      'g.id', 'g.lang', 'g.query_key', 'g.territory', 'g.organisation_id', 'o.name as organisation_name', 'g.samples', 'g.occurrences', 'g.no_results',
      'g.low_score', 'g.not_helpful', 'g.contact', 'g.first_seen_at', 'g.last_seen_at', 'g.status', 'g.faq_id', 'f.title as faq_title', 'g.note',
      'g.decided_at', 'g.version',
    ]);
}

type GapRow = Awaited<ReturnType<ReturnType<typeof gapQuery>['executeTakeFirstOrThrow']>>;

function toGap(r: GapRow): Gap {
  return {
    id: r.id, lang: r.lang, queryKey: r.query_key, territory: r.territory, organisationId: r.organisation_id, organisationName: r.organisation_name,
    samples: r.samples, occurrences: r.occurrences,
    signals: { no_results: r.no_results, low_score: r.low_score, not_helpful: r.not_helpful, contact: r.contact },
    firstSeenAt: r.first_seen_at, lastSeenAt: r.last_seen_at, status: r.status as GapStatus,
    faq: r.faq_id ? { id: r.faq_id, title: r.faq_title ?? '' } : null, note: r.note, decidedAt: r.decided_at, version: r.version,
  };
}

/** Gaps by how often citizens met them (signals of any kind when no search counted), most frequent first. */
export async function listGaps(db: Db, f: { status: GapStatus | null; organisationId: string | null; q: string | null; limit: number; offset: number }): Promise<{ items: Gap[]; total: number }> {
  let query = gapQuery(db);
  let count = db.selectFrom('faq_gaps as g').select((eb) => eb.fn.countAll<string>().as('n'));
  if (f.status) {
    query = query.where('g.status', '=', f.status);
    count = count.where('g.status', '=', f.status);
  }
  if (f.organisationId) {
    query = query.where('g.organisation_id', '=', f.organisationId);
    count = count.where('g.organisation_id', '=', f.organisationId);
  }
  if (f.q) {
    query = query.where('g.query_key', 'like', `%${f.q}%`);
    count = count.where('g.query_key', 'like', `%${f.q}%`);
  }
  const rows = await query
    .orderBy(sql`g.occurrences + g.not_helpful + g.contact`, 'desc')
    .orderBy('g.last_seen_at', 'desc')
    .orderBy('g.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  const total = await count.executeTakeFirst();
  return { items: rows.map(toGap), total: Number(total?.n ?? 0) };
}

export async function findGap(db: Db, id: string): Promise<Gap | null> {
  const row = await gapQuery(db).where('g.id', '=', id).executeTakeFirst();
  return row ? toGap(row) : null;
}

export async function updateGap(
  trx: Trx,
  id: string,
  expectedVersion: number | null,
  u: { status: GapStatus; faqId: string | null; note: string | null; actorId: string; now: Date },
): Promise<boolean> {
  let q = trx
    .updateTable('faq_gaps')
    .set({ status: u.status, faq_id: u.faqId, note: u.note, decided_by: u.status === 'open' ? null : u.actorId, decided_at: u.status === 'open' ? null : u.now, version: sql`version + 1` })
    .where('id', '=', id);
  if (expectedVersion !== null) q = q.where('version', '=', expectedVersion);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface DeflectionRow {
  sessionId: string;
  firstRead: Date;
  faqId: string | null;
  faqTitle: string | null;
  organisationId: string | null;
  organisationName: string | null;
}

type DeflectionPeriod = { from: Date; to: Date; now: Date; windowMinutes: number; organisationId: string | null };

/**
 * The sessions of `sessionsWithClosedWindow` (session, first read, contacted, and with `credited` the
 * credited read's FAQ and body), as a subquery. Without `credited` and a body, the read that earns
 * the credit is not looked up: counting needs only whether the session went on to a contact.
 */
function closedSessions(p: DeflectionPeriod, credited = true) {
  const lookUp = credited || p.organisationId !== null;
  const window = sql`make_interval(mins => ${p.windowMinutes})`;
  return sql`(
    with s as (
      -- One pass over the period (and the window after it, where a late contact may fall): each
      -- session's first search and first read, and the times of its contacts.
      select session_id,
        min(created_at) filter (where kind = 'search' and created_at < ${p.to}) as first_search,
        min(created_at) filter (where kind = 'read' and created_at < ${p.to}) as first_read,
        array_agg(created_at) filter (where kind = 'contact') as contacts
      from faq_portal_events
      where created_at >= ${p.from}::timestamptz - ${window} and created_at < ${p.to}::timestamptz + ${window}
      group by session_id
    ), closed as (
      select * from s
      where first_search is not null and first_read is not null and first_search <= first_read
        and first_read >= ${p.from} and first_read < ${p.to} and first_read + ${window} <= ${p.now}
    )
    select c.session_id, c.first_read,
      coalesce((select bool_or(x >= c.first_search and x < c.first_read + ${window}) from unnest(c.contacts) as x), false) as contacted
      ${lookUp ? sql`, r.faq_id, r.organisation_id` : sql``}
    from closed c
    ${lookUp ? sql`left join lateral (
      select e.faq_id, e.organisation_id from faq_portal_events e
      where e.session_id = c.session_id and e.kind = 'read' and e.created_at < c.first_read + ${window}
      order by e.created_at desc, e.id desc limit 1
    ) r on true` : sql``}
    ${p.organisationId ? sql`where r.organisation_id = ${p.organisationId}` : sql``}
  )`;
}

/**
 * Portal sessions whose first FAQ read falls in [from, to) and whose window after that read has
 * ended by `now`, with whether they expressed contact intent between their first search and the
 * end of the window; the FAQ read last within the window is the one credited.
 */
export async function sessionsWithClosedWindow(db: Db, p: DeflectionPeriod) {
  const result = await sql<{
    session_id: string;
    first_read: Date;
    contacted: boolean;
    faq_id: string | null;
    faq_title: string | null;
    organisation_id: string | null;
    organisation_name: string | null;
  }>`
    select c.session_id, c.first_read, c.contacted, c.faq_id, f.title as faq_title, c.organisation_id, o.name as organisation_name
    from ${closedSessions(p)} c
    left join faq_articles f on f.id = c.faq_id
    left join ${identity.organisationDirectory()} o on o.id = c.organisation_id`.execute(db);
  return result.rows.map((r) => ({
    sessionId: r.session_id, firstRead: new Date(r.first_read), contacted: Boolean(r.contacted), faqId: r.faq_id, faqTitle: r.faq_title,
    organisationId: r.organisation_id, organisationName: r.organisation_name,
  }));
}

/** The same sessions counted in the database (the dashboard's figure): how many, and how many made no contact. */
export async function closedSessionTotals(db: Db, p: DeflectionPeriod): Promise<{ sessions: number; deflected: number }> {
  const r = await sql<{ sessions: string | number; deflected: string | number }>`
    select count(*) as sessions, count(*) filter (where not c.contacted) as deflected from ${closedSessions(p, false)} c`.execute(db);
  return { sessions: Number(r.rows[0]?.sessions ?? 0), deflected: Number(r.rows[0]?.deflected ?? 0) };
}

/** Up to which day (exclusive, 'YYYY-MM-DD') the day counts are complete; null: none yet. `lock` holds the row (the counting job). */
export async function deflectionDaysThrough(db: Db, options: { lock?: boolean } = {}): Promise<string | null> {
  const r = await sql<{ through: string | null }>`select through::text as through from faq_deflection_rollup where id = 1 ${options.lock ? sql`for update` : sql``}`.execute(db);
  return r.rows[0]?.through ?? null;
}

/** The first read ever recorded, or null: where counting starts. */
export async function firstPortalRead(db: Db): Promise<Date | null> {
  const r = await sql<{ at: Date | null }>`select min(created_at) as at from faq_portal_events where kind = 'read'`.execute(db);
  return r.rows[0]?.at ? new Date(r.rows[0].at) : null;
}

/**
 * Counts the sessions of the days [fromDay, toDay) (by their first read, Rome) into
 * faq_deflection_days, per body and FAQ credited, replacing what those days held, and records the
 * counts as complete up to `toDay`. Run in the transaction that locked the rollup row.
 */
export async function countDeflectionDays(trx: Db, p: { fromDay: string; toDay: string; from: Date; to: Date; now: Date; windowMinutes: number }): Promise<number> {
  await sql`delete from faq_deflection_days where day >= ${p.fromDay}::date and day < ${p.toDay}::date`.execute(trx);
  const inserted = await sql`
    insert into faq_deflection_days (day, organisation_id, faq_id, sessions, deflected)
    select (c.first_read at time zone 'Europe/Rome')::date, c.organisation_id, c.faq_id, count(*), count(*) filter (where not c.contacted)
    from ${closedSessions({ from: p.from, to: p.to, now: p.now, windowMinutes: p.windowMinutes, organisationId: null })} c
    group by 1, 2, 3`.execute(trx);
  await sql`update faq_deflection_rollup set through = ${p.toDay}::date, updated_at = now() where id = 1`.execute(trx);
  return Number(inserted.numAffectedRows ?? 0);
}

/** The day counts of [fromDay, toDay) added up, for the network or one body. */
export async function deflectionDayTotals(db: Db, p: { fromDay: string; toDay: string; organisationId: string | null }): Promise<{ sessions: number; deflected: number }> {
  const r = await sql<{ sessions: string | number | null; deflected: string | number | null }>`
    select sum(sessions) as sessions, sum(deflected) as deflected from faq_deflection_days
    where day >= ${p.fromDay}::date and day < ${p.toDay}::date ${p.organisationId ? sql`and organisation_id = ${p.organisationId}` : sql``}`.execute(db);
  return { sessions: Number(r.rows[0]?.sessions ?? 0), deflected: Number(r.rows[0]?.deflected ?? 0) };
}

/** Sessions that read a FAQ in the period but whose window is still running (not counted yet). */
export async function pendingSessions(db: Db, p: { from: Date; to: Date; now: Date; windowMinutes: number }): Promise<number> {
  const window = sql`make_interval(mins => ${p.windowMinutes})`;
  const r = await sql<{ n: string }>`
    select count(*) as n from (
      select session_id, min(created_at) filter (where kind = 'read') as first_read
      from faq_portal_events where created_at >= ${p.from}::timestamptz - ${window} and created_at < ${p.to} group by session_id
    ) s where first_read >= ${p.from} and first_read < ${p.to} and first_read + ${window} > ${p.now}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

export async function updateThesaurusEntry(
  trx: Trx,
  id: string,
  u: { kind?: string; terms?: string[]; note?: string | null },
  actorId: string,
): Promise<{ id: string; kind: string; lang: string; terms: string[]; note: string | null; updatedAt: Date } | null> {
  const row = await trx
    .updateTable('faq_thesaurus')
    .set({
      ...(u.kind !== undefined && { kind: u.kind }),
      ...(u.terms !== undefined && { terms: JSON.stringify(u.terms) }),
      ...(u.note !== undefined && { note: u.note }),
      updated_by: actorId,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? { id: row.id, kind: row.kind, lang: row.lang, terms: row.terms, note: row.note, updatedAt: row.updated_at } : null;
}

export async function findThesaurusEntry(db: Db, id: string) {
  return db.selectFrom('faq_thesaurus').select(['id', 'kind', 'lang', 'terms']).where('id', '=', id).executeTakeFirst();
}

export async function draftOfTicket(db: Db, ticketId: string): Promise<string | null> {
  const row = await db.selectFrom('faq_ticket_sources').select('faq_id').where('ticket_id', '=', ticketId).executeTakeFirst();
  return row?.faq_id ?? null;
}

/** The ticket an FAQ was drafted from, if any. */
export async function sourceTicketIdOf(db: Db, faqId: string): Promise<string | null> {
  const row = await db.selectFrom('faq_ticket_sources').select('ticket_id').where('faq_id', '=', faqId).executeTakeFirst();
  return row?.ticket_id ?? null;
}

export async function insertTicketSource(trx: Trx, s: { faqId: string; ticketId: string; actorId: string; now: Date }): Promise<void> {
  await trx.insertInto('faq_ticket_sources').values({ faq_id: s.faqId, ticket_id: s.ticketId, created_by: s.actorId, created_at: s.now }).execute();
}
