import { type ExpressionBuilder, expressionBuilder, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { DB, HistoryChanges, TicketStatusValue } from '../../db/schema.js';
import { OUTBOX_INSERT } from '../../platform/events.js';
import type { Cursor, Trx } from '../../platform/http.js';
import type { TicketScope } from '../../platform/policy.js';
import { formerOwner } from './participants.repository.js';
import { parseRequesterSearch, type RequesterSearch } from './requester-search.js';
import type { TicketStatus } from './ticket-status.js';
import * as identity from '../identity/index.js';

type Db = Database | Trx;

export interface Requester {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  fiscalCode: string | null;
}

export interface PersonRef {
  id: string;
  name: string;
}

export interface Ticket {
  id: string;
  code: string;
  version: number;
  organisationId: string;
  organisationName: string;
  officeId: string;
  officeName: string;
  channel: string;
  subject: string;
  description: string;
  priority: string;
  status: TicketStatus;
  outcome: string | null;
  classification: Record<string, string>;
  taxonomyVersion: string;
  requester: Requester | null;
  assignee: PersonRef | null;
  createdBy: PersonRef | null;
  dueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

function ticketQuery(db: Db) {
  return db
    .selectFrom('tickets as t')
    .innerJoin(identity.officeDirectory().as('f'), 'f.id', 't.office_id')
    .innerJoin(identity.organisationDirectory().as('o'), 'o.id', 't.organisation_id')
    .leftJoin('requesters as r', 'r.id', 't.requester_id')
    .leftJoin(identity.userDirectory().as('a'), 'a.id', 't.assignee_id')
    .leftJoin(identity.userDirectory().as('c'), 'c.id', 't.created_by')
    .select([
      't.id', 't.code', 't.version', 't.organisation_id', 'o.name as organisation_name', 't.office_id', 'f.name as office_name', 't.channel',
      't.subject', 't.description', 't.priority', 't.status', 't.outcome', 't.classification', 't.taxonomy_version', 't.requester_id',
      'r.name as requester_name', 'r.email as requester_email', 'r.phone as requester_phone', 'r.fiscal_code as requester_fiscal_code',
      't.assignee_id', 'a.name as assignee_name', 't.created_by', 'c.name as created_by_name', 't.due_at', 't.created_at', 't.updated_at',
      't.resolved_at', 't.closed_at',
    ]);
}

type TicketRow = Awaited<ReturnType<ReturnType<typeof ticketQuery>['executeTakeFirstOrThrow']>>;

function toTicket(r: TicketRow): Ticket {
  return {
    id: r.id, code: r.code, version: r.version, organisationId: r.organisation_id, organisationName: r.organisation_name, officeId: r.office_id,
    officeName: r.office_name, channel: r.channel, subject: r.subject, description: r.description, priority: r.priority,
    status: r.status as TicketStatus, outcome: r.outcome, classification: r.classification, taxonomyVersion: r.taxonomy_version,
    requester: r.requester_id
      ? { id: r.requester_id, name: r.requester_name, email: r.requester_email, phone: r.requester_phone, fiscalCode: r.requester_fiscal_code }
      : null,
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
    createdBy: r.created_by ? { id: r.created_by, name: r.created_by_name ?? '' } : null,
    dueAt: r.due_at, createdAt: r.created_at, updatedAt: r.updated_at, resolvedAt: r.resolved_at, closedAt: r.closed_at,
  };
}

export async function findTicketByCode(db: Db, code: string): Promise<Ticket | null> {
  const row = await ticketQuery(db).where('t.code', '=', code).executeTakeFirst();
  return row ? toTicket(row) : null;
}

export async function findTicketById(db: Db, id: string): Promise<Ticket | null> {
  const row = await ticketQuery(db).where('t.id', '=', id).executeTakeFirst();
  return row ? toTicket(row) : null;
}

/** Locks the ticket row for the rest of the transaction (serialises concurrent updates). */
export async function lockTicket(trx: Trx, id: string): Promise<number | null> {
  const row = await trx.selectFrom('tickets').select('version').where('id', '=', id).forUpdate().executeTakeFirst();
  return row?.version ?? null;
}

/** The last reply sent to the citizen (kind "reply"), or null. */
export async function lastPublicReply(db: Db, ticketId: string): Promise<string | null> {
  const row = await db
    .selectFrom('ticket_messages')
    .select('body')
    .where('ticket_id', '=', ticketId)
    .where('kind', '=', 'reply')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.body ?? null;
}

/**
 * The most recently resolved or closed tickets with their classification, newest first: what the
 * suggester learns from. A resolved ticket is as labelled as a closed one (its classification was
 * checked complete on resolving); waiting for the close would leave out the network's last weeks.
 */
export async function labelledTickets(db: Db, limit: number) {
  return db
    .selectFrom('tickets as t')
    .select(['t.id', 't.subject', 't.description', 't.classification'])
    .where('t.status', 'in', ['resolved', 'closed'])
    .orderBy(sql`coalesce(t.closed_at, t.resolved_at)`, 'desc')
    .limit(limit)
    .execute();
}

/** Whether any ticket is classified with `facet:code`. */
export async function ticketsUseCode(db: Db, facet: string, code: string): Promise<boolean> {
  const row = await sql<{ used: boolean }>`select exists (select 1 from tickets where classification ->> ${facet} = ${code}) as used`.execute(db);
  return row.rows[0]?.used ?? false;
}

export async function findTicketIdByCode(db: Db, code: string): Promise<string | null> {
  const row = await db.selectFrom('tickets').select('id').where('code', '=', code).executeTakeFirst();
  return row?.id ?? null;
}

/** The requester record follows the ticket to its new owning organisation (its new controller). */
export async function moveRequester(trx: Trx, id: string, organisationId: string, now: Date): Promise<void> {
  await trx.updateTable('requesters').set({ organisation_id: organisationId, updated_at: now }).where('id', '=', id).execute();
}

/** A ticket as a duplicate link needs it: its classification and what it duplicates. */
export async function findDuplicateLink(db: Db, code: string) {
  const row = await db
    .selectFrom('tickets')
    .select(['id', 'code', 'classification', 'duplicate_of_id'])
    .where('code', '=', code)
    .executeTakeFirst();
  return row ? { id: row.id, code: row.code, classification: row.classification, duplicateOfId: row.duplicate_of_id } : null;
}

/** Codes and statuses of the tickets linked to an incident, oldest first. */
export async function findIncidentTickets(db: Db, incidentId: string): Promise<{ code: string; status: TicketStatusValue }[]> {
  return db.selectFrom('tickets').select(['code', 'status']).where('incident_id', '=', incidentId).orderBy('created_at').execute();
}

export async function countIncidentTickets(db: Db, incidentId: string): Promise<number> {
  const row = await db.selectFrom('tickets').select((eb) => eb.fn.countAll<number>().as('n')).where('incident_id', '=', incidentId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findRequester(db: Db, id: string): Promise<Requester | null> {
  const r = await db.selectFrom('requesters').select(['id', 'name', 'email', 'phone', 'fiscal_code']).where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, name: r.name, email: r.email, phone: r.phone, fiscalCode: r.fiscal_code } : null;
}

export async function insertRequester(trx: Trx, organisationId: string, r: Omit<Requester, 'id'>): Promise<string> {
  const row = await trx
    .insertInto('requesters')
    .values({ organisation_id: organisationId, name: r.name, email: r.email, phone: r.phone, fiscal_code: r.fiscalCode })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateRequester(trx: Trx, id: string, r: Omit<Requester, 'id'>): Promise<void> {
  await trx.updateTable('requesters').set({ name: r.name, email: r.email, phone: r.phone, fiscal_code: r.fiscalCode, updated_at: new Date() }).where('id', '=', id).execute();
}

export interface NewTicketRow {
  code: string;
  organisationId: string;
  officeId: string;
  channel: string;
  subject: string;
  description: string;
  priority: string;
  classification: Record<string, string>;
  taxonomyVersion: string;
  topicPath: string | null;
  requesterId: string | null;
  assigneeId: string | null;
  createdBy: string | null;
  dueAt: Date | null;
  now: Date;
  classificationSuggestionId?: string | null;
}

/**
 * Inserts a new ticket with its requester, its first history entry and its outbox event in ONE
 * statement (a data-modifying CTE): creation is the hottest write path and each round trip counts.
 * Returns null when the code is already taken; the requester row written alongside is then removed
 * by the caller's retry (it is deleted here), so no personal data is left orphaned.
 */
export async function insertNewTicket(
  trx: Trx,
  t: NewTicketRow & { requester: Omit<Requester, 'id'> | null; history: HistoryChanges },
): Promise<{ id: string; requesterId: string | null } | null> {
  const r = t.requester;
  const result = await sql<{ ticket_id: string | null; requester_id: string | null }>`
    with r as (
      insert into requesters (organisation_id, name, email, phone, fiscal_code)
      select ${t.organisationId}::uuid, ${r?.name ?? null}, ${r?.email ?? null}, ${r?.phone ?? null}, ${r?.fiscalCode ?? null}
      where ${r !== null}
      returning id
    ), t as (
      insert into tickets (code, organisation_id, office_id, channel, subject, description, priority, status, classification, taxonomy_version,
        topic_path, requester_id, assignee_id, created_by, due_at, created_at, updated_at)
      values (${t.code}, ${t.organisationId}::uuid, ${t.officeId}::uuid, ${t.channel}, ${t.subject}, ${t.description}, ${t.priority}, 'new',
        ${JSON.stringify(t.classification)}::jsonb, ${t.taxonomyVersion}, ${t.topicPath}, (select id from r), ${t.assigneeId}::uuid, ${t.createdBy}::uuid,
        ${t.dueAt}::timestamptz, ${t.now}::timestamptz, ${t.now}::timestamptz)
      on conflict (code) do nothing
      returning id
    ), h as (
      insert into ticket_history (ticket_id, actor_id, action, changes, at)
      select id, ${t.createdBy}::uuid, 'created', ${JSON.stringify(t.history)}::jsonb, ${t.now}::timestamptz from t
    ), o as (
      ${OUTBOX_INSERT}
      select 'ticket.created', id::text, ${t.organisationId}::uuid, jsonb_build_object('ticketId', id, 'code', ${t.code}::text, 'officeId', ${t.officeId}::text, 'actorId', ${t.createdBy}::text, 'assigneeId', ${t.assigneeId}::text,
        'classification', ${JSON.stringify(t.classification)}::jsonb, 'classificationSuggestionId', ${t.classificationSuggestionId}::text) from t
    )
    select (select id from t) as ticket_id, (select id from r) as requester_id`.execute(trx);
  const row = result.rows[0];
  if (!row?.ticket_id) {
    if (row?.requester_id) await trx.deleteFrom('requesters').where('id', '=', row.requester_id).execute();
    return null;
  }
  return { id: row.ticket_id, requesterId: row.requester_id };
}

/**
 * Closes up to `limit` tickets resolved before `cutoff`, oldest first, in ONE statement (like the
 * create above): each close bumps the version, appends an `auto_closed` history entry without an
 * actor and records a `ticket.closed` event. Rows another transaction holds are skipped, and the
 * update re-checks the status, so concurrent runs never close a ticket twice. Returns how many closed.
 */
export async function closeResolvedBefore(db: Db, c: { cutoff: Date; now: Date; limit: number; changes: HistoryChanges }): Promise<number> {
  const result = await sql<{ n: number }>`
    with expired as (
      select id from tickets
      where status = 'resolved' and resolved_at < ${c.cutoff}::timestamptz
      order by resolved_at
      limit ${c.limit}
      for update skip locked
    ), closed as (
      update tickets t set status = 'closed', closed_at = ${c.now}::timestamptz, updated_at = ${c.now}::timestamptz, version = t.version + 1
      from expired e
      where t.id = e.id and t.status = 'resolved'
      returning t.id, t.code, t.organisation_id
    ), h as (
      insert into ticket_history (ticket_id, actor_id, action, changes, at)
      select id, null, 'auto_closed', ${JSON.stringify(c.changes)}::jsonb, ${c.now}::timestamptz from closed
    ), o as (
      ${OUTBOX_INSERT}
      select 'ticket.closed', id::text, organisation_id, jsonb_build_object('ticketId', id, 'code', code, 'from', 'resolved', 'to', 'closed', 'automatic', true) from closed
    )
    select count(*)::int as n from closed`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

export interface TicketBrief {
  id: string;
  code: string;
  subject: string;
  topic: string | null;
  status: TicketStatusValue;
  officeName: string;
}

/** Just enough of each ticket for a list of requests about them (no personal data). */
export async function findTicketBriefs(db: Db, ids: readonly string[]): Promise<TicketBrief[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('tickets as t')
    .innerJoin(identity.officeDirectory().as('f'), 'f.id', 't.office_id')
    .select(['t.id', 't.code', 't.subject', 't.classification', 't.status', 'f.name as office_name'])
    .where('t.id', 'in', ids)
    .execute();
  return rows.map((t) => ({ id: t.id, code: t.code, subject: t.subject, topic: t.classification.tema ?? null, status: t.status, officeName: t.office_name }));
}

/** The owning office as a ticket needs it: names for presentation, calendar for the SLA. */
export async function findOwningOffice(db: Db, officeId: string) {
  return db
    .selectFrom(identity.officeDirectory().as('f'))
    .innerJoin(identity.organisationDirectory().as('o'), 'o.id', 'f.organisation_id')
    .select(['f.id', 'f.name', 'f.organisation_id', 'o.name as organisation_name', 'f.calendar', 'f.active'])
    .where('f.id', '=', officeId)
    .executeTakeFirst();
}

export interface TicketUpdate {
  /** Ownership (an accepted transfer or escalation): the owning office and its organisation. */
  officeId?: string;
  organisationId?: string;
  subject?: string;
  description?: string;
  priority?: string;
  classification?: Record<string, string>;
  topicPath?: string | null;
  assigneeId?: string | null;
  requesterId?: string | null;
  status?: TicketStatusValue;
  outcome?: string | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  dueAt?: Date | null;
  duplicateOfId?: string | null;
  incidentId?: string | null;
}

/** Applies an update guarded by the expected version; returns false when the version moved. */
export async function updateTicket(trx: Trx, id: string, expectedVersion: number, u: TicketUpdate, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('tickets')
    .set((eb) => ({
      ...(u.officeId !== undefined && { office_id: u.officeId }),
      ...(u.organisationId !== undefined && { organisation_id: u.organisationId }),
      ...(u.subject !== undefined && { subject: u.subject }),
      ...(u.description !== undefined && { description: u.description }),
      ...(u.priority !== undefined && { priority: u.priority }),
      ...(u.classification !== undefined && { classification: JSON.stringify(u.classification) }),
      ...(u.topicPath !== undefined && { topic_path: u.topicPath }),
      ...(u.assigneeId !== undefined && { assignee_id: u.assigneeId }),
      ...(u.requesterId !== undefined && { requester_id: u.requesterId }),
      ...(u.status !== undefined && { status: u.status }),
      ...(u.outcome !== undefined && { outcome: u.outcome }),
      ...(u.resolvedAt !== undefined && { resolved_at: u.resolvedAt }),
      ...(u.closedAt !== undefined && { closed_at: u.closedAt }),
      ...(u.dueAt !== undefined && { due_at: u.dueAt }),
      ...(u.duplicateOfId !== undefined && { duplicate_of_id: u.duplicateOfId }),
      ...(u.incidentId !== undefined && { incident_id: u.incidentId }),
      updated_at: now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function appendHistory(trx: Trx, entry: { ticketId: string; actorId: string | null; action: string; changes: HistoryChanges; at: Date }): Promise<void> {
  await trx
    .insertInto('ticket_history')
    .values({ ticket_id: entry.ticketId, actor_id: entry.actorId, action: entry.action, changes: JSON.stringify(entry.changes), at: entry.at })
    .execute();
}

export interface HistoryEntry {
  id: number;
  action: string;
  actor: PersonRef | null;
  at: Date;
  changes: HistoryChanges;
}

export async function listHistory(db: Db, ticketId: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('ticket_history as h')
    .leftJoin(identity.userDirectory().as('u'), 'u.id', 'h.actor_id')
    .select(['h.id', 'h.action', 'h.actor_id', 'u.name as actor_name', 'h.at', 'h.changes'])
    .where('h.ticket_id', '=', ticketId)
    .orderBy('h.id')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), action: r.action, actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '' } : null, at: r.at, changes: r.changes }));
}

export interface ListFilters {
  scope: TicketScope;
  userId: string;
  view?: InboxView;
  officeId?: string;
  statuses?: string[];
  channel?: string;
  topicPath?: string;
  assignee?: { kind: 'none' } | { kind: 'user'; id: string };
  priority?: string;
  text?: string;
  code?: string;
  cursor: Cursor | null;
  limit: number;
}

export interface TicketSummary {
  id: string;
  code: string;
  subject: string;
  status: TicketStatusValue;
  priority: string;
  channel: string;
  classification: Record<string, string>;
  assignee: PersonRef | null;
  requesterName: string | null;
  officeId: string;
  createdAt: Date;
  updatedAt: Date;
  dueAt: Date | null;
}

export type InboxView = 'all' | 'mine' | 'office' | 'shared' | 'waiting';

/**
 * The caller's scope on a row's office and organisation columns (and, when given, that office): an
 * office role matches the office, an organisation-wide role the organisation. Always applied.
 */
function inScope(scope: TicketScope, office: string, organisation: string, officeId?: string): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [];
  if (scope.officeIds.length > 0) parts.push(sql<boolean>`${sql.ref(office)} in (${sql.join(scope.officeIds)})`);
  if (scope.organisationIds.length > 0) parts.push(sql<boolean>`${sql.ref(organisation)} in (${sql.join(scope.organisationIds)})`);
  if (parts.length === 0) return sql<boolean>`false`;
  const either = sql<boolean>`(${sql.join(parts, sql` or `)})`;
  return officeId ? sql<boolean>`(${sql.ref(office)} = ${officeId} and ${either})` : either;
}

/** Owned by an office in scope (and, when given, by that office). */
const ownedInScope = (scope: TicketScope, officeId?: string) => inScope(scope, 't.office_id', 't.organisation_id', officeId);

/**
 * Tickets shared (actively) with an office in scope; organisation-wide roles match by participant
 * organisation. `grantingRequester`: only the shares that show the requester (same rule as
 * ticket-access.ts): a collaboration that grants it, or a former owner without a kept copy of its own.
 */
function sharedInScope(eb: ExpressionBuilder<DB & { t: DB['tickets'] }, 't'>, scope: TicketScope, officeId?: string, grantingRequester = false) {
  return eb.exists(
    eb
      .selectFrom('ticket_participants as p')
      .select('p.id')
      .whereRef('p.ticket_id', '=', 't.id')
      .where('p.status', '=', 'active')
      .$if(grantingRequester, (qb) =>
        qb.where((e) => e.or([e.and([e('p.mode', '=', 'collaborate'), e('p.share_requester', '=', true)]), e.and([e('p.kept_requester_id', 'is', null), formerOwner(e)])])),
      )
      .where(inScope(scope, 'p.office_id', 'p.organisation_id', officeId)),
  );
}

/** Whether the caller may see the current requester of ticket `t`: the owner, or a share that grants it. */
const requesterVisible = (eb: ExpressionBuilder<DB & { t: DB['tickets'] }, 't'>, scope: TicketScope) => eb.or([ownedInScope(scope), sharedInScope(eb, scope, undefined, true)]);

/** The requester's name as the caller may see it (`r` joined on the ticket): the ticket's, else a former owner's kept copy, else null. */
function requesterName(eb: ExpressionBuilder<DB & { t: DB['tickets']; r: DB['requesters'] }, 't' | 'r'>, scope: TicketScope) {
  const keptName = eb
    .selectFrom('ticket_participants as p')
    .innerJoin('requesters as k', 'k.id', 'p.kept_requester_id')
    .select('k.name')
    .whereRef('p.ticket_id', '=', 't.id')
    .where('p.status', '=', 'active')
    .where(inScope(scope, 'p.office_id', 'p.organisation_id'))
    .limit(1);
  return eb.fn.coalesce(eb.case().when(requesterVisible(eb, scope)).then(eb.ref('r.name')).end(), keptName);
}

/** Owned tickets whose progress depends on another office: pending_office, a pending transfer, or another office's open task. */
function waitingOnOthers(eb: ExpressionBuilder<DB & { t: DB['tickets'] }, 't'>) {
  return eb.or([
    eb('t.status', '=', 'pending_office'),
    eb.exists(eb.selectFrom('ticket_transfers as x').select('x.id').whereRef('x.ticket_id', '=', 't.id').where('x.status', '=', 'pending')),
    eb.exists(eb.selectFrom('ticket_tasks as k').select('k.id').whereRef('k.ticket_id', '=', 't.id').whereRef('k.office_id', '!=', 't.office_id').where('k.status', '=', 'open')),
  ]);
}

/** Builds conditions on the tickets table aliased `t` outside a query's own callbacks (the inbox filters). */
const ticketConditions = expressionBuilder<DB & { t: DB['tickets'] }, 't'>();

const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');

/** The user-chosen filters of the inbox, as conditions on the tickets table aliased `t`. */
function filterConditions(f: Omit<ListFilters, 'cursor' | 'limit'>): RawBuilder<boolean>[] {
  const out: RawBuilder<boolean>[] = [];
  if (f.statuses && f.statuses.length > 0) out.push(sql<boolean>`t.status in (${sql.join(f.statuses)})`);
  if (f.channel) out.push(sql<boolean>`t.channel = ${f.channel}`);
  if (f.priority) out.push(sql<boolean>`t.priority = ${f.priority}`);
  if (f.topicPath) out.push(sql<boolean>`(t.topic_path = ${f.topicPath} or t.topic_path like ${`${escapeLike(f.topicPath)}/%`})`);
  if (f.assignee?.kind === 'none') out.push(sql<boolean>`t.assignee_id is null`);
  if (f.assignee?.kind === 'user') out.push(sql<boolean>`t.assignee_id = ${f.assignee.id}::uuid`);
  if (f.code) out.push(sql<boolean>`t.code = ${f.code}`);
  else if (f.text) {
    const requester = parseRequesterSearch(f.text);
    const byRequester = requester ? sql<boolean>` or ${requesterMatches(requester, f.scope)}` : sql<boolean>``;
    out.push(sql<boolean>`(t.search @@ websearch_to_tsquery('italian', ${f.text}) or t.subject ilike ${`%${escapeLike(f.text)}%`}${byRequester})`);
  }
  return out;
}

/**
 * Tickets whose requester matches, as `requester_id = any(array(…))`: the matching requesters are
 * found first through the trigram and btree indexes of migration 0015 (a handful of rows even at
 * 1M tickets), then their tickets through `tickets_requester_idx`, so the planner can OR this with
 * the full-text and subject indexes instead of reading every ticket in scope.
 */
function requesterMatches(q: RequesterSearch, scope: TicketScope): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [];
  if (q.words.length > 0) parts.push(sql<boolean>`(${sql.join(q.words.map((w) => sql`r.search_text like ${`%${escapeLike(w)}%`}`), sql` and `)})`);
  if (q.phoneDigits) parts.push(sql<boolean>`r.search_phone like ${`%${q.phoneDigits}%`}`);
  if (q.fiscalCode) parts.push(sql<boolean>`r.search_fiscal_code = ${q.fiscalCode}`);
  const matches = sql.join(parts, sql` or `);
  // Only requesters the caller can reach: a requester record belongs to the ticket's owner
  // organisation (it moves with a transfer), else it is on a ticket shared with the caller. A common
  // surname then costs the matches of one organisation, not of the whole network.
  const ownOrganisations = sql`select f.organisation_id from ${identity.officeDirectory()} f where ${inScope(scope, 'f.id', 'f.organisation_id')}`;
  const onShares = sql`select s.requester_id from ticket_participants p join tickets s on s.id = p.ticket_id
    where p.status = 'active' and s.requester_id is not null and ${inScope(scope, 'p.office_id', 'p.organisation_id')}`;
  const matching = sql`select r.id from requesters r where (${matches}) and (r.organisation_id in (${ownOrganisations}) or r.id in (${onShares}))`;
  // A former owner whose copy was kept (the new owner changed the data) searches its own copy.
  const kept = sql`select p.ticket_id from ticket_participants p join requesters r on r.id = p.kept_requester_id
    where p.status = 'active' and ${inScope(scope, 'p.office_id', 'p.organisation_id')} and (${matches})`;
  return sql<boolean>`((t.requester_id = any(array(${matching})) and ${requesterVisible(ticketConditions, scope)}) or t.id = any(array(${kept})))`;
}

/** The inbox query: scoped by construction (owned by or shared with the caller's offices), then filtered. */
function inboxQuery(db: Db, f: Omit<ListFilters, 'cursor' | 'limit'>) {
  const view = f.view ?? 'all';
  let q = db
    .selectFrom('tickets as t')
    .leftJoin(identity.userDirectory().as('a'), 'a.id', 't.assignee_id')
    .leftJoin('requesters as r', 'r.id', 't.requester_id')
    .select([
      't.id', 't.code', 't.subject', 't.status', 't.priority', 't.channel', 't.classification', 't.assignee_id', 'a.name as assignee_name',
      't.office_id', 't.created_at', 't.updated_at', 't.due_at',
    ])
    // The requester's name is personal data: only where the caller's relation grants it.
    .select((eb) => requesterName(eb, f.scope).as('requester_name'))
    .where((eb) => {
      switch (view) {
        case 'office':
        case 'mine':
          return ownedInScope(f.scope, f.officeId);
        case 'waiting':
          return eb.and([ownedInScope(f.scope, f.officeId), waitingOnOthers(eb)]);
        case 'shared':
          return eb.and([eb.not(ownedInScope(f.scope, f.officeId)), sharedInScope(eb, f.scope, f.officeId)]);
        default:
          return eb.or([ownedInScope(f.scope, f.officeId), sharedInScope(eb, f.scope, f.officeId)]);
      }
    });
  if (view === 'mine') q = q.where('t.assignee_id', '=', f.userId);
  for (const condition of filterConditions(f)) q = q.where(condition);
  return q;
}

/**
 * "Shared with my office" for one office, read in order from the share index (office, ticket
 * activity time): the first page costs the same with 10 or 100,000 shares.
 */
async function listSharedWithOffice(db: Db, f: ListFilters, officeId: string) {
  let q = db
    .selectFrom('ticket_participants as p')
    .innerJoin('tickets as t', 't.id', 'p.ticket_id')
    .leftJoin(identity.userDirectory().as('a'), 'a.id', 't.assignee_id')
    .leftJoin('requesters as r', 'r.id', 't.requester_id')
    .select([
      't.id', 't.code', 't.subject', 't.status', 't.priority', 't.channel', 't.classification', 't.assignee_id', 'a.name as assignee_name',
      't.office_id', 't.created_at', 't.updated_at', 't.due_at',
    ])
    .select((eb) => requesterName(eb, f.scope).as('requester_name'))
    .where('p.office_id', '=', officeId)
    .where('p.status', '=', 'active')
    .where((eb) => eb.not(ownedInScope(f.scope)));
  for (const condition of filterConditions(f)) q = q.where(condition);
  if (f.cursor) q = q.where(sql<boolean>`(p.ticket_updated_at, p.ticket_id) < (${new Date(f.cursor.at)}::timestamptz, ${f.cursor.id}::uuid)`);
  return q.orderBy('p.ticket_updated_at', 'desc').orderBy('p.ticket_id', 'desc').limit(f.limit).execute();
}

/** The one office whose shares a "shared" view reads, when it is a single office in the caller's scope. */
function singleSharedOffice(f: ListFilters): string | null {
  // Organisation-wide roles see shares of several offices: they take the general query.
  if (f.view !== 'shared' || f.scope.organisationIds.length > 0) return null;
  if (f.officeId) return f.scope.officeIds.includes(f.officeId) ? f.officeId : null;
  return f.scope.officeIds.length === 1 ? f.scope.officeIds[0]! : null;
}

/** Newest activity first, keyset-paginated on (updated_at, id). */
export async function listTickets(db: Db, f: ListFilters): Promise<TicketSummary[]> {
  const sharedOffice = singleSharedOffice(f);
  let rows: Awaited<ReturnType<typeof listSharedWithOffice>>;
  if (sharedOffice) rows = await listSharedWithOffice(db, f, sharedOffice);
  else {
    let q = inboxQuery(db, f);
    if (f.cursor) {
      const { at, id } = f.cursor;
      q = q.where(sql<boolean>`(t.updated_at, t.id) < (${new Date(at)}::timestamptz, ${id}::uuid)`);
    }
    rows = await q.orderBy('t.updated_at', 'desc').orderBy('t.id', 'desc').limit(f.limit).execute();
  }
  return rows.map((r) => ({
    id: r.id, code: r.code, subject: r.subject, status: r.status, priority: r.priority, channel: r.channel, classification: r.classification,
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null, requesterName: r.requester_name, officeId: r.office_id,
    createdAt: r.created_at, updatedAt: r.updated_at, dueAt: r.due_at,
  }));
}

export interface Attachment {
  id: string;
  ticketId: string;
  messageId: string | null;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
  createdAt: Date;
}

export interface Message {
  id: string;
  kind: 'reply' | 'note' | 'citizen';
  channel: 'web' | 'email' | 'pec' | null;
  body: string;
  /** The author's organisation (null for the citizen's messages). */
  organisationId: string | null;
  /** The Message-ID of a message that came by e-mail (replies thread on it). */
  emailMessageId: string | null;
  author: PersonRef | null;
  createdAt: Date;
  attachments: Attachment[];
}

function toAttachment(r: { id: string; ticket_id: string; message_id: string | null; filename: string; content_type: string; size: number; sha256: string; storage_key: string; created_at: Date }): Attachment {
  return { id: r.id, ticketId: r.ticket_id, messageId: r.message_id, filename: r.filename, contentType: r.content_type, size: r.size, sha256: r.sha256, storageKey: r.storage_key, createdAt: r.created_at };
}

export async function insertMessage(
  trx: Trx,
  m: { ticketId: string; kind: 'reply' | 'note' | 'citizen'; body: string; authorId: string | null; organisationId: string | null; now: Date; channel?: 'web' | 'email' | 'pec' | null; emailMessageId?: string | null },
): Promise<string> {
  const row = await trx
    .insertInto('ticket_messages')
    .values({ ticket_id: m.ticketId, kind: m.kind, body: m.body, author_id: m.authorId, organisation_id: m.organisationId, created_at: m.now, channel: m.channel ?? null, email_message_id: m.emailMessageId ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Links unlinked attachments of this ticket to a message; returns how many were linked. */
export async function linkAttachments(trx: Trx, ticketId: string, messageId: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await trx
    .updateTable('attachments')
    .set({ message_id: messageId })
    .where('ticket_id', '=', ticketId)
    .where('id', 'in', ids)
    .where('message_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The thread as one organisation sees it: every public message, and only its own internal notes. */
/** The thread as a viewer of this organisation sees it; null: the citizen's view (public replies and their own messages). */
export async function listMessages(db: Db, ticketId: string, viewerOrganisationId: string | null): Promise<Message[]> {
  const rows = await db
    .selectFrom('ticket_messages as m')
    .leftJoin(identity.userDirectory().as('u'), 'u.id', 'm.author_id')
    .select(['m.id', 'm.kind', 'm.channel', 'm.body', 'm.author_id', 'u.name as author_name', 'm.created_at', 'm.organisation_id', 'm.email_message_id'])
    .where('m.ticket_id', '=', ticketId)
    .where((eb) => (viewerOrganisationId === null ? eb('m.kind', '!=', 'note') : eb.or([eb('m.kind', '!=', 'note'), eb('m.organisation_id', '=', viewerOrganisationId)])))
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
  const attachments = await db.selectFrom('attachments').selectAll().where('ticket_id', '=', ticketId).where('message_id', 'is not', null).execute();
  const byMessage = new Map<string, Attachment[]>();
  for (const a of attachments) {
    const list = byMessage.get(a.message_id ?? '') ?? [];
    list.push(toAttachment(a));
    byMessage.set(a.message_id ?? '', list);
  }
  return rows.map((r) => ({
    id: r.id, kind: r.kind, channel: r.channel, body: r.body, organisationId: r.organisation_id, emailMessageId: r.email_message_id, author: r.author_id ? { id: r.author_id, name: r.author_name ?? '' } : null, createdAt: r.created_at,
    attachments: byMessage.get(r.id) ?? [],
  }));
}

export async function insertAttachment(db: Db, a: Omit<Attachment, 'id' | 'createdAt' | 'messageId'> & { uploadedBy: string | null }): Promise<Attachment> {
  const row = await db
    .insertInto('attachments')
    .values({ ticket_id: a.ticketId, filename: a.filename, content_type: a.contentType, size: a.size, sha256: a.sha256, storage_key: a.storageKey, uploaded_by: a.uploadedBy })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAttachment(row);
}

/** An attachment the viewer may download: on a public message, on their organisation's note, or their own unlinked upload. */
export async function findAttachment(db: Db, ticketId: string, id: string, viewer: { organisationId: string; userId: string }): Promise<Attachment | null> {
  const row = await db
    .selectFrom('attachments as a')
    .leftJoin('ticket_messages as m', 'm.id', 'a.message_id')
    .selectAll('a')
    .where('a.ticket_id', '=', ticketId)
    .where('a.id', '=', id)
    .where((eb) =>
      eb.or([
        eb.and([eb('a.message_id', 'is', null), eb('a.uploaded_by', '=', viewer.userId)]),
        // The citizen's own uploads (portal, e-mail): every side that reads the ticket sees them.
        eb.and([eb('a.message_id', 'is', null), eb('a.uploaded_by', 'is', null)]),
        eb('m.kind', '!=', 'note'),
        eb('m.organisation_id', '=', viewer.organisationId),
      ]),
    )
    .executeTakeFirst();
  return row ? toAttachment(row) : null;
}

/** Open work per inbox view (resolved and closed tickets are not counted). */
export async function countInbox(db: Db, f: Omit<ListFilters, 'cursor' | 'limit' | 'view'>): Promise<Record<InboxView, number>> {
  const views = ['all', 'mine', 'office', 'shared', 'waiting'] as const;
  const counts = await Promise.all(
    views.map(async (view) => {
      const row = await inboxQuery(db, { ...f, view })
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('t.status', 'not in', ['resolved', 'closed'])
        .executeTakeFirstOrThrow();
      return [view, Number(row.n)] as const;
    }),
  );
  return Object.fromEntries(counts) as Record<InboxView, number>;
}

/** Files the citizen sent that no message carries (the portal form's attachments, uploads not yet sent with a reply). */
export async function citizenUploads(db: Db, ticketId: string): Promise<Attachment[]> {
  const rows = await db.selectFrom('attachments').selectAll().where('ticket_id', '=', ticketId).where('message_id', 'is', null).where('uploaded_by', 'is', null).orderBy('created_at').execute();
  return rows.map(toAttachment);
}

/** An attachment the citizen may download: on a public message, or one of their own uploads. */
export async function findCitizenAttachment(db: Db, ticketId: string, id: string): Promise<Attachment | null> {
  const row = await db
    .selectFrom('attachments as a')
    .leftJoin('ticket_messages as m', 'm.id', 'a.message_id')
    .selectAll('a')
    .where('a.ticket_id', '=', ticketId)
    .where('a.id', '=', id)
    .where((eb) => eb.or([eb.and([eb('a.message_id', 'is', null), eb('a.uploaded_by', 'is', null)]), eb('m.kind', 'in', ['reply', 'citizen'])]))
    .executeTakeFirst();
  return row ? toAttachment(row) : null;
}

/** How many files the citizen has sent on a ticket (the portal caps them). */
export async function countCitizenAttachments(db: Db, ticketId: string): Promise<number> {
  const row = await db
    .selectFrom('attachments as a')
    .leftJoin('ticket_messages as m', 'm.id', 'a.message_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('a.ticket_id', '=', ticketId)
    .where((eb) => eb.or([eb('a.uploaded_by', 'is', null).and('a.message_id', 'is', null), eb('m.kind', '=', 'citizen')]))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Removes attachment rows not linked to any message (a message that could not be added after all); the files stay for the caller. */
export async function deleteUnlinkedAttachments(trx: Trx, ticketId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.deleteFrom('attachments').where('ticket_id', '=', ticketId).where('id', 'in', ids).where('message_id', 'is', null).execute();
}
