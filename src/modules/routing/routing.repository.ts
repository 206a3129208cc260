import { type ExpressionBuilder, sql } from 'kysely';
import type { DB } from '../../db/schema.js';
import { OUTBOX_INSERT } from '../../platform/events.js';
import type { Database as Db } from '../../db/database.js';
import { type ChannelCounts, DEFAULT_CAPACITY, type Presence, type RoutingChannel, type RoutingItem, type RoutingOperator } from './routing-policy.js';

/*
 * Data access of the routing module. Routing decisions lock rows with `FOR UPDATE SKIP LOCKED`: two
 * instances routing at once take disjoint operators and items, and the unique index on pending
 * offers (one per item) turns any slip into an error instead of a double offer.
 */

export interface RoutingSettings {
  officeId: string;
  maxQueue: number | null;
  maxWaitSeconds: number | null;
  offerTimeoutSeconds: number;
  serviceLevelSeconds: number;
  handleSeconds: number;
  callbackAfterSeconds: number | null;
  version: number;
}

export const DEFAULT_SETTINGS: Omit<RoutingSettings, 'officeId'> = {
  maxQueue: null,
  maxWaitSeconds: null,
  offerTimeoutSeconds: 20,
  serviceLevelSeconds: 20,
  handleSeconds: 240,
  callbackAfterSeconds: null,
  version: 0,
};

export interface OperatorState extends RoutingOperator {
  extension: string | null;
  presenceSince: Date;
  version: number;
}

export type WorkItemStatus = 'waiting' | 'offered' | 'assigned' | 'completed' | 'abandoned' | 'cancelled';

export interface WorkItem {
  id: string;
  officeId: string;
  organisationId: string;
  channel: RoutingChannel;
  topic: string | null;
  language: string | null;
  priority: number;
  status: WorkItemStatus;
  ticketId: string | null;
  callId: string | null;
  caller: string | null;
  dialled: string | null;
  subject: string | null;
  enqueuedAt: Date;
  notBefore: Date | null;
  overflowOfficeIds: string[];
  refusedBy: string[];
  offers: number;
  assignedTo: string | null;
  assignedOfficeId: string | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  outcome: 'answered' | 'abandoned' | 'callback' | 'cancelled' | 'closed' | null;
  ctiState: 'ringing' | 'queued' | 'answered' | 'ended' | 'abandoned' | null;
  version: number;
}

export interface Offer {
  id: string;
  itemId: string;
  userId: string;
  officeId: string;
  overflow: boolean;
  status: 'pending' | 'accepted' | 'declined' | 'expired' | 'withdrawn';
  offeredAt: Date;
  expiresAt: Date;
  decidedAt: Date | null;
}

const arrayOf = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? arrayOf(JSON.parse(v)) : []);
const countsOf = (v: unknown): ChannelCounts => {
  const o = typeof v === 'string' ? JSON.parse(v) : v;
  return o && typeof o === 'object' ? (o as ChannelCounts) : {};
};
const dateOf = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : dateOf(v));

/**
 * `free_channels` recomputed in SQL from the row's load, skills and capacity after a slot is freed or
 * a profile changes: the same rule as the policy's `freeChannels`.
 */
const FREE_CHANNELS_SQL = sql.raw(`case when coalesce((load->>'phone')::int, 0) + coalesce((load->>'callback')::int, 0) > 0 then '{}'::text[]
  else array(select c from unnest(array['phone','callback','chat','email','web']) as c
    where (channels = '[]'::jsonb or channels ? c)
      and coalesce((load->>c)::int, 0) < coalesce((capacity->>c)::int, ('${JSON.stringify(DEFAULT_CAPACITY)}'::jsonb->>c)::int)
      and not (c in ('phone', 'callback') and coalesce((load->>'chat')::int, 0) > 0)) end`);

// ------------------------------------------------------------------------------- settings, numbers

type SettingsRow = {
  office_id: string;
  max_queue: number | null;
  max_wait_seconds: number | null;
  offer_timeout_seconds: number;
  service_level_seconds: number;
  handle_seconds: number;
  callback_after_seconds: number | null;
  version: number;
};
const toSettings = (r: SettingsRow): RoutingSettings => ({
  officeId: r.office_id,
  maxQueue: r.max_queue,
  maxWaitSeconds: r.max_wait_seconds,
  offerTimeoutSeconds: r.offer_timeout_seconds,
  serviceLevelSeconds: r.service_level_seconds,
  handleSeconds: r.handle_seconds,
  callbackAfterSeconds: r.callback_after_seconds,
  version: r.version,
});

/** Settings of the given offices (every office when omitted); offices never configured get the defaults. */
export async function settingsOf(db: Db, officeIds: readonly string[]): Promise<Map<string, RoutingSettings>> {
  const map = new Map<string, RoutingSettings>();
  for (const id of officeIds) map.set(id, { officeId: id, ...DEFAULT_SETTINGS });
  if (officeIds.length === 0) return map;
  const rows = await db.selectFrom('routing_settings').selectAll().where('office_id', 'in', [...officeIds]).execute();
  for (const r of rows) map.set(r.office_id, toSettings(r));
  return map;
}

export async function saveSettings(db: Db, s: Omit<RoutingSettings, 'version'>, expectedVersion: number | null, now: Date): Promise<boolean> {
  const values = {
    max_queue: s.maxQueue,
    max_wait_seconds: s.maxWaitSeconds,
    offer_timeout_seconds: s.offerTimeoutSeconds,
    service_level_seconds: s.serviceLevelSeconds,
    handle_seconds: s.handleSeconds,
    callback_after_seconds: s.callbackAfterSeconds,
    updated_at: now,
  };
  const result = await db
    .insertInto('routing_settings')
    .values({ office_id: s.officeId, ...values })
    .onConflict((oc) => {
      const update = oc.column('office_id').doUpdateSet({ ...values, version: sql`routing_settings.version + 1` });
      return expectedVersion === null ? update : update.where('routing_settings.version', '=', expectedVersion);
    })
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function numbersOf(db: Db, officeId: string): Promise<string[]> {
  const rows = await db.selectFrom('routing_numbers').select('number').where('office_id', '=', officeId).orderBy('number').execute();
  return rows.map((r) => r.number);
}

/** Replaces the office's numbers; returns the numbers already held by another office (nothing written then). */
export async function replaceNumbers(db: Db, officeId: string, numbers: readonly string[]): Promise<string[]> {
  if (numbers.length > 0) {
    const taken = await db.selectFrom('routing_numbers').select('number').where('number', 'in', [...numbers]).where('office_id', '<>', officeId).execute();
    if (taken.length > 0) return taken.map((r) => r.number);
  }
  await db.deleteFrom('routing_numbers').where('office_id', '=', officeId).execute();
  if (numbers.length > 0) await db.insertInto('routing_numbers').values(numbers.map((number) => ({ number, office_id: officeId }))).execute();
  return [];
}

export async function officeOfNumber(db: Db, number: string): Promise<string | null> {
  const row = await db.selectFrom('routing_numbers').select('office_id').where('number', '=', number).executeTakeFirst();
  return row?.office_id ?? null;
}

// ------------------------------------------------------------------------------------ operators

type OperatorRow = {
  user_id: string;
  office_id: string;
  presence: Presence;
  presence_since: Date;
  idle_since: Date;
  topics: unknown;
  languages: unknown;
  channels: unknown;
  capacity: unknown;
  load: unknown;
  extension: string | null;
  version: number;
};
const toOperator = (r: OperatorRow): OperatorState => ({
  id: r.user_id,
  officeId: r.office_id,
  presence: r.presence,
  presenceSince: dateOf(r.presence_since),
  idleSince: dateOf(r.idle_since).getTime(),
  skills: { topics: arrayOf(r.topics), languages: arrayOf(r.languages), channels: arrayOf(r.channels) as RoutingChannel[] },
  capacity: countsOf(r.capacity),
  load: countsOf(r.load),
  extension: r.extension,
  version: r.version,
});

export async function findOperator(db: Db, userId: string, options: { lock?: boolean } = {}): Promise<OperatorState | null> {
  let q = db.selectFrom('operator_states').selectAll().where('user_id', '=', userId);
  if (options.lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toOperator(row as OperatorRow) : null;
}

export async function listOperators(db: Db, officeIds: readonly string[]): Promise<OperatorState[]> {
  if (officeIds.length === 0) return [];
  const rows = await db.selectFrom('operator_states').selectAll().where('office_id', 'in', [...officeIds]).orderBy('office_id').orderBy('idle_since').execute();
  return rows.map((r) => toOperator(r as OperatorRow));
}

export interface OperatorProfile {
  officeId: string;
  topics: readonly string[];
  languages: readonly string[];
  channels: readonly RoutingChannel[];
  capacity: ChannelCounts;
  extension: string | null;
}

/** Creates or updates an operator's profile (skills, capacity, office) without touching presence or load. */
export async function saveOperatorProfile(db: Db, userId: string, p: OperatorProfile, now: Date): Promise<void> {
  const values = {
    office_id: p.officeId,
    topics: JSON.stringify(p.topics),
    languages: JSON.stringify(p.languages),
    channels: JSON.stringify(p.channels),
    capacity: JSON.stringify(p.capacity),
    extension: p.extension,
    updated_at: now,
  };
  await db
    .insertInto('operator_states')
    .values({ user_id: userId, ...values, presence_since: now, idle_since: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...values, version: sql`operator_states.version + 1` }))
    .execute();
  await sql`update operator_states set free_channels = ${FREE_CHANNELS_SQL} where user_id = ${userId}`.execute(db);
}

/** Sets an operator's presence and office, with a `routing.presence_changed` event for the wallboards, in one statement. */
export async function setPresence(db: Db, userId: string, presence: Presence, office: { id: string; organisationId: string }, now: Date): Promise<void> {
  // Every CTE reads the snapshot before the update: `old` is the office the operator leaves.
  await sql`
    with old as (select office_id from operator_states where user_id = ${userId}), u as (
      update operator_states set presence = ${presence}, office_id = ${office.id}, presence_since = ${now}, updated_at = ${now}, version = version + 1
      where user_id = ${userId}
      returning user_id, office_id
    )
    ${OUTBOX_INSERT}
    select 'routing.presence_changed', u.user_id::text, ${office.organisationId}::uuid, jsonb_build_object(
      'userId', u.user_id, 'officeId', u.office_id, 'presence', ${presence}::text, 'previousOfficeId', case when old.office_id <> u.office_id then old.office_id end)
    from u left join old on true`.execute(db);
}

/**
 * Locks up to `limit` available operators of the offices in `work` with a free slot on a channel
 * that waits, longest idle first, skipping rows another instance holds (it is routing them right
 * now). Operators at capacity for what waits are not even read, so they never crowd out those who
 * can take something; the policy has the last word on each item.
 */
export async function lockAvailableOperators(db: Db, work: ReadonlyMap<string, readonly RoutingChannel[]>, limit: number): Promise<OperatorState[]> {
  if (work.size === 0) return [];
  const channels = [...new Set([...work.values()].flat())];
  const { rows } = await sql<OperatorRow>`
    select * from operator_states
    where presence = 'available' and free_channels && ${sql.val(channels)}::text[] and office_id = any(${sql.val([...work.keys()])}::uuid[])
    order by idle_since
    limit ${limit}
    for update skip locked`.execute(db);
  return rows.map(toOperator);
}

/**
 * Gives back one slot of `channel` held by the operator (offer declined or expired, item completed).
 * When nothing is left open, the operator's idle clock starts now (longest-idle fairness).
 */
export async function releaseSlot(db: Db, userId: string, channel: RoutingChannel, now: Date): Promise<void> {
  await sql`
    update operator_states set
      load = jsonb_set(load, array[${channel}::text], to_jsonb(greatest(coalesce((load->>${channel})::int, 0) - 1, 0))),
      updated_at = ${now}
    where user_id = ${userId}`.execute(db);
  // A second statement: the free channels and the idle clock read the load just written.
  await sql`
    update operator_states set
      free_channels = ${FREE_CHANNELS_SQL},
      idle_since = case when (select coalesce(sum(greatest(value::int, 0)), 0) from jsonb_each_text(load)) = 0 then ${now}::timestamptz else idle_since end
    where user_id = ${userId}`.execute(db);
}

/** Operators' current state counts per office (for the wallboard and the overflow estimate). */
export async function presenceCounts(db: Db, officeIds: readonly string[] | null): Promise<{ officeId: string; presence: Presence; operators: number }[]> {
  let q = db.selectFrom('operator_states').select(['office_id', 'presence', (eb) => eb.fn.countAll<string>().as('n')]).groupBy(['office_id', 'presence']);
  if (officeIds) {
    if (officeIds.length === 0) return [];
    q = q.where('office_id', 'in', [...officeIds]);
  }
  return (await q.execute()).map((r) => ({ officeId: r.office_id, presence: r.presence, operators: Number(r.n) }));
}

// ------------------------------------------------------------------------------------ work items

type ItemRow = {
  id: string;
  office_id: string;
  organisation_id: string;
  channel: RoutingChannel;
  topic: string | null;
  language: string | null;
  priority: number;
  status: WorkItemStatus;
  ticket_id: string | null;
  call_id: string | null;
  caller: string | null;
  dialled: string | null;
  subject: string | null;
  enqueued_at: Date;
  not_before: Date | null;
  overflow_office_ids: unknown;
  refused_by: unknown;
  offers: number;
  assigned_to: string | null;
  assigned_office_id: string | null;
  answered_at: Date | null;
  ended_at: Date | null;
  outcome: WorkItem['outcome'];
  cti_state: WorkItem['ctiState'];
  version: number;
};
const toItem = (r: ItemRow): WorkItem => ({
  id: r.id,
  officeId: r.office_id,
  organisationId: r.organisation_id,
  channel: r.channel,
  topic: r.topic,
  language: r.language,
  priority: r.priority,
  status: r.status,
  ticketId: r.ticket_id,
  callId: r.call_id,
  caller: r.caller,
  dialled: r.dialled,
  subject: r.subject,
  enqueuedAt: dateOf(r.enqueued_at),
  notBefore: dateOrNull(r.not_before),
  overflowOfficeIds: arrayOf(r.overflow_office_ids),
  refusedBy: arrayOf(r.refused_by),
  offers: r.offers,
  assignedTo: r.assigned_to,
  assignedOfficeId: r.assigned_office_id,
  answeredAt: dateOrNull(r.answered_at),
  endedAt: dateOrNull(r.ended_at),
  outcome: r.outcome,
  ctiState: r.cti_state,
  version: r.version,
});

export function routingItemOf(item: WorkItem): RoutingItem {
  return {
    id: item.id,
    officeId: item.officeId,
    channel: item.channel,
    topic: item.topic,
    language: item.language,
    priority: item.priority,
    enqueuedAt: item.enqueuedAt.getTime(),
    overflowOfficeIds: item.overflowOfficeIds,
    refusedBy: item.refusedBy,
  };
}

export interface NewWorkItem {
  officeId: string;
  organisationId: string;
  channel: RoutingChannel;
  topic: string | null;
  language: string | null;
  priority: number;
  ticketId: string | null;
  callId: string | null;
  caller: string | null;
  dialled: string | null;
  subject: string | null;
  notBefore: Date | null;
  ctiState: WorkItem['ctiState'];
  createdBy: string | null;
  status?: WorkItemStatus;
  outcome?: WorkItem['outcome'];
}

/** Inserts a work item, with its `routing.item_queued` event (the wallboards), in one statement. */
export async function insertItem(db: Db, item: NewWorkItem, now: Date): Promise<WorkItem> {
  const insert = db
    .insertInto('work_items')
    .values({
      office_id: item.officeId,
      organisation_id: item.organisationId,
      channel: item.channel,
      topic: item.topic,
      language: item.language,
      priority: item.priority,
      ticket_id: item.ticketId,
      call_id: item.callId,
      caller: item.caller,
      dialled: item.dialled,
      subject: item.subject,
      not_before: item.notBefore,
      enqueued_at: item.notBefore ?? now,
      cti_state: item.ctiState,
      created_by: item.createdBy,
      overflow_office_ids: '[]',
      refused_by: '[]',
      updated_at: now,
      ...(item.status && { status: item.status }),
      ...(item.outcome !== undefined && { outcome: item.outcome }),
      ...(item.status && item.status !== 'waiting' && { ended_at: now }),
    })
    .returningAll();
  const { rows } = await sql<ItemRow>`
    with i as (${insert}), e as (
      ${OUTBOX_INSERT}
      select 'routing.item_queued', i.id::text, i.organisation_id, jsonb_build_object('itemId', i.id, 'officeId', i.office_id, 'channel', i.channel, 'status', i.status) from i
    )
    select * from i`.execute(db);
  return toItem(rows[0]!);
}

export async function findItem(db: Db, id: string, options: { lock?: boolean } = {}): Promise<WorkItem | null> {
  let q = db.selectFrom('work_items').selectAll().where('id', '=', id);
  if (options.lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toItem(row as ItemRow) : null;
}

/** Several items by id (order not kept). */
/** Whether a ticket already has a work item (its contact is queued or was routed). */
/** Gives the ticket's unfinished items (waiting or offered) the ticket's current topic; the number changed. */
export async function retopicOpenItems(db: Db, ticketId: string, topic: string | null, now: Date): Promise<number> {
  const result = await db
    .updateTable('work_items')
    .set({ topic, updated_at: now, version: sql`version + 1` })
    .where('ticket_id', '=', ticketId)
    .where('status', 'in', ['waiting', 'offered'])
    .where(sql<boolean>`topic is distinct from ${topic}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function ticketHasItem(db: Db, ticketId: string): Promise<boolean> {
  const row = await db.selectFrom('work_items').select('id').where('ticket_id', '=', ticketId).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function findItems(db: Db, ids: readonly string[]): Promise<WorkItem[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('work_items').selectAll().where('id', 'in', [...ids]).execute();
  return rows.map((r) => toItem(r as ItemRow));
}

export async function findItemByCall(db: Db, callId: string, options: { lock?: boolean } = {}): Promise<WorkItem | null> {
  let q = db.selectFrom('work_items').selectAll().where('call_id', '=', callId);
  if (options.lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toItem(row as ItemRow) : null;
}

export interface ItemUpdate {
  status?: WorkItemStatus;
  assignedTo?: string | null;
  assignedOfficeId?: string | null;
  answeredAt?: Date | null;
  endedAt?: Date | null;
  outcome?: WorkItem['outcome'];
  ctiState?: WorkItem['ctiState'];
  refusedBy?: string[];
  topic?: string | null;
  priority?: number;
}

export async function updateItem(db: Db, id: string, u: ItemUpdate, now: Date): Promise<void> {
  await db
    .updateTable('work_items')
    .set({
      ...(u.status !== undefined && { status: u.status }),
      ...(u.assignedTo !== undefined && { assigned_to: u.assignedTo }),
      ...(u.assignedOfficeId !== undefined && { assigned_office_id: u.assignedOfficeId }),
      ...(u.answeredAt !== undefined && { answered_at: u.answeredAt }),
      ...(u.endedAt !== undefined && { ended_at: u.endedAt }),
      ...(u.outcome !== undefined && { outcome: u.outcome }),
      ...(u.ctiState !== undefined && { cti_state: u.ctiState }),
      ...(u.refusedBy !== undefined && { refused_by: JSON.stringify(u.refusedBy), refused_at: now }),
      ...(u.topic !== undefined && { topic: u.topic }),
      ...(u.priority !== undefined && { priority: u.priority }),
      updated_at: now,
      version: sql`version + 1`,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Locks up to `limit` waiting items that operators of `officeIds` may take (their own office's, or
 * overflowed to them), highest priority and oldest first, skipping rows another instance holds.
 */
export async function lockWaitingItems(
  db: Db,
  operators: readonly { id: string; officeId: string }[],
  now: Date,
  limit: number,
  withOverflowed = true,
  { wait = false }: { wait?: boolean } = {},
): Promise<WorkItem[]> {
  if (operators.length === 0) return [];
  // SKIP LOCKED by default; `wait` blocks on rows a concurrent round holds and reads them once it
  // commits (what it offered no longer matches, what it left is taken here).
  const lock = <Q extends { forUpdate(): Q; skipLocked(): Q }>(q: Q): Q => (wait ? q.forUpdate() : q.forUpdate().skipLocked());
  const ids = [...new Set(operators.map((o) => o.officeId))];
  // Items every locked operator of their office has refused are skipped here, not after the read:
  // a head of refused items would otherwise fill the batch and stall the round.
  const takers = sql`(select * from unnest(${sql.val(operators.map((o) => o.id))}::text[], ${sql.val(operators.map((o) => o.officeId))}::uuid[]) as t(user_id, office_id))`;
  const due = (eb: ExpressionBuilder<DB, 'work_items'>) => eb.or([eb('not_before', 'is', null), eb('not_before', '<=', now)]);
  // Two reads, each on its own index: the offices' own queues in serving order, and the items that
  // overflowed to these offices (a jsonb test in the first would force a scan of every waiting row).
  const own = await db
    .selectFrom('work_items')
    .selectAll()
    .where('status', '=', 'waiting')
    .where(due)
    .where('office_id', 'in', ids)
    .where(sql<boolean>`(refused_by = '[]'::jsonb or exists (select 1 from ${takers} t where t.office_id = work_items.office_id and not work_items.refused_by ? t.user_id))`)
    .orderBy('priority', 'desc')
    .orderBy('enqueued_at')
    .limit(limit)
    .$call(lock)
    .execute();
  if (!withOverflowed) return own.map((r) => toItem(r as ItemRow));
  const overflowed = await db
    .selectFrom('work_items')
    .selectAll()
    .where('status', '=', 'waiting')
    .where(sql<boolean>`overflow_office_ids <> '[]'::jsonb`)
    .where(sql<boolean>`overflow_office_ids ?| ${sql.val(ids)}::text[]`)
    .where('office_id', 'not in', ids)
    .where(sql<boolean>`(refused_by = '[]'::jsonb or exists (select 1 from ${takers} t where work_items.overflow_office_ids ? t.office_id::text and not work_items.refused_by ? t.user_id))`)
    .where(due)
    .orderBy('enqueued_at')
    .limit(limit)
    .$call(lock)
    .execute();
  return [...own, ...overflowed].map((r) => toItem(r as ItemRow));
}

/**
 * Forgets refusals older than `before`: a contact every operator declined or let lapse goes back to
 * them after a while rather than waiting forever (an operator's refusal means "not now, not me").
 */
export async function forgetRefusals(db: Db, before: Date): Promise<number> {
  const result = await db.updateTable('work_items').set({ refused_by: '[]', refused_at: null }).where('status', '=', 'waiting').where('refused_at', '<', before).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The next moment a refusal is forgotten (for the sweep's timer). */
export async function nextRefusalExpiry(db: Db, keepMs: number): Promise<Date | null> {
  const row = await db.selectFrom('work_items').select((eb) => eb.fn.min('refused_at').as('t')).where('status', '=', 'waiting').where('refused_at', 'is not', null).executeTakeFirst();
  return row?.t ? new Date(dateOf(row.t).getTime() + keepMs) : null;
}

/** Waiting items of some offices (for the overflow refresh): office, topic, age and where they may overflow now. */
export async function waitingItems(db: Db, officeIds: readonly string[], limit: number): Promise<WorkItem[]> {
  if (officeIds.length === 0) return [];
  const rows = await db.selectFrom('work_items').selectAll().where('status', '=', 'waiting').where('office_id', 'in', [...officeIds]).orderBy('enqueued_at').limit(limit).execute();
  return rows.map((r) => toItem(r as ItemRow));
}

export async function setOverflowOffices(db: Db, changes: readonly { id: string; officeIds: readonly string[] }[], now: Date): Promise<void> {
  if (changes.length === 0) return;
  const values = sql.join(changes.map((c) => sql`(${c.id}::uuid, ${JSON.stringify(c.officeIds)}::jsonb)`));
  await sql`
    update work_items w set overflow_office_ids = v.ids, updated_at = ${now}
    from (values ${values}) as v(id, ids)
    where w.id = v.id and w.status = 'waiting'`.execute(db);
}

/** Items of `fromOfficeId` now at each partner office: waiting with the partner open to them, or held by its operators. */
export async function itemsAtPartners(db: Db): Promise<{ fromOfficeId: string; toOfficeId: string; items: number }[]> {
  const { rows } = await sql<{ from_office: string; to_office: string; n: string }>`
    select office_id::text as from_office, partner as to_office, count(*) as n
    from work_items, jsonb_array_elements_text(overflow_office_ids) as partner
    where status = 'waiting'
    group by 1, 2
    union all
    select office_id::text, assigned_office_id::text, count(*)
    from work_items
    where status in ('offered', 'assigned') and assigned_office_id is not null and assigned_office_id <> office_id
    group by 1, 2`.execute(db);
  return rows.map((r) => ({ fromOfficeId: r.from_office, toOfficeId: r.to_office, items: Number(r.n) }));
}

/** The item's place in its office's queue (1 = next): items ahead by priority, then by age. */
export async function queuePosition(db: Db, item: WorkItem): Promise<number> {
  const row = await db
    .selectFrom('work_items')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('office_id', '=', item.officeId)
    .where('status', 'in', ['waiting', 'offered'])
    .where((eb) => eb.or([eb('priority', '>', item.priority), eb.and([eb('priority', '=', item.priority), eb('enqueued_at', '<=', item.enqueuedAt)])]))
    .executeTakeFirst();
  return Math.max(1, Number(row?.n ?? 1));
}

/** Live items of an office's queue (waiting, offered, held), highest priority and oldest first. */
export async function queueItems(db: Db, officeId: string, status: WorkItemStatus | null): Promise<WorkItem[]> {
  const rows = await db
    .selectFrom('work_items')
    .selectAll()
    .where('office_id', '=', officeId)
    .where('status', 'in', status ? [status] : ['waiting', 'offered', 'assigned'])
    .orderBy('priority', 'desc')
    .orderBy('enqueued_at')
    .limit(500)
    .execute();
  return rows.map((r) => toItem(r as ItemRow));
}

/** Items an operator holds now (accepted and not completed). */
export async function heldItems(db: Db, userId: string): Promise<WorkItem[]> {
  const rows = await db.selectFrom('work_items').selectAll().where('assigned_to', '=', userId).where('status', '=', 'assigned').orderBy('answered_at').limit(50).execute();
  return rows.map((r) => toItem(r as ItemRow));
}

/** What waits where: per office, the channels of the items its operators could take now. */
export interface WaitingWork {
  /** Office id → channels waiting there (own queue, or overflowed to it). */
  channelsByOffice: Map<string, RoutingChannel[]>;
  /** Whether any waiting item overflowed at all (else the overflow read is skipped). */
  overflowed: boolean;
}

/**
 * The (office, channel) pairs of the waiting queue, by a loose index scan (one index probe per pair,
 * however long the queues), plus the offices items overflowed to. Callback slots not yet due count
 * too: an operator may be locked for nothing by one, never offered it.
 */
export async function waitingWork(db: Db): Promise<WaitingWork> {
  const { rows } = await sql<{ office_id: string; channel: RoutingChannel; overflowed: boolean }>`
    with recursive pairs(office_id, channel) as (
      (select office_id, channel from work_items where status = 'waiting' order by office_id, channel limit 1)
      union all
      select n.office_id, n.channel from pairs p, lateral (
        select w.office_id, w.channel from work_items w
        where w.status = 'waiting' and (w.office_id, w.channel) > (p.office_id, p.channel)
        order by w.office_id, w.channel limit 1) n
    )
    select office_id::text as office_id, channel, false as overflowed from pairs
    union
    select jsonb_array_elements_text(overflow_office_ids), channel, true from work_items
    where status = 'waiting' and overflow_office_ids <> '[]'::jsonb`.execute(db);
  const channelsByOffice = new Map<string, RoutingChannel[]>();
  for (const r of rows) {
    const list = channelsByOffice.get(r.office_id) ?? [];
    if (!list.includes(r.channel)) list.push(r.channel);
    channelsByOffice.set(r.office_id, list);
  }
  return { channelsByOffice, overflowed: rows.some((r) => r.overflowed) };
}

/** Waiting items per office (own queue). */
export async function waitingCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('work_items').select(['office_id', (eb) => eb.fn.countAll<string>().as('n')]).where('status', '=', 'waiting').groupBy('office_id').execute();
  return new Map(rows.map((r) => [r.office_id, Number(r.n)]));
}

/** The next moment something waiting becomes due (a callback slot). */
export async function nextNotBefore(db: Db, now: Date): Promise<Date | null> {
  const row = await db.selectFrom('work_items').select((eb) => eb.fn.min('not_before').as('t')).where('status', '=', 'waiting').where('not_before', '>', now).executeTakeFirst();
  return row?.t ? dateOf(row.t) : null;
}

/** Nulls the caller's number and the subject of items that ended before `before`; returns how many. */
export async function purgeEndedItems(db: Db, before: Date): Promise<number> {
  const result = await db
    .updateTable('work_items')
    .set({ caller: null, subject: null })
    .where('ended_at', '<', before)
    .where((eb) => eb.or([eb('caller', 'is not', null), eb('subject', 'is not', null)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ---------------------------------------------------------------------------------------- offers

type OfferRow = { id: string; item_id: string; user_id: string; office_id: string; overflow: boolean; status: Offer['status']; offered_at: Date; expires_at: Date; decided_at: Date | null };
const toOffer = (r: OfferRow): Offer => ({
  id: r.id,
  itemId: r.item_id,
  userId: r.user_id,
  officeId: r.office_id,
  overflow: r.overflow,
  status: r.status,
  offeredAt: dateOf(r.offered_at),
  expiresAt: dateOf(r.expires_at),
  decidedAt: dateOrNull(r.decided_at),
});

/** This transaction's commit does not wait for the WAL flush (see the routing round). */
export async function relaxCommit(trx: Db): Promise<void> {
  await sql`set local synchronous_commit = off`.execute(trx);
}

/**
 * Writes one routing round in a single statement: the offers, the items marked offered, the
 * operators' new loads (their idle clocks restart), and one `routing.offer_made` outbox event per
 * offer for the consoles. One round trip instead of four keeps a round's lock time short.
 */
export async function writeRound(
  db: Db,
  offers: readonly { itemId: string; userId: string; officeId: string; overflow: boolean; expiresAt: Date }[],
  loads: readonly { userId: string; load: ChannelCounts; freeChannels: readonly RoutingChannel[] }[],
  now: Date,
): Promise<Offer[]> {
  if (offers.length === 0) return [];
  const { rows } = await sql<OfferRow>`
    with o as (
      insert into routing_offers (item_id, user_id, office_id, overflow, expires_at, offered_at)
      select v.item_id, v.user_id, v.office_id, v.overflow, v.expires_at, ${now}::timestamptz
      from unnest(${sql.val(offers.map((o) => o.itemId))}::uuid[], ${sql.val(offers.map((o) => o.userId))}::uuid[], ${sql.val(offers.map((o) => o.officeId))}::uuid[],
                  ${sql.val(offers.map((o) => o.overflow))}::boolean[], ${sql.val(offers.map((o) => o.expiresAt.toISOString()))}::timestamptz[])
        as v(item_id, user_id, office_id, overflow, expires_at)
      returning *
    ), i as (
      update work_items w set status = 'offered', offers = w.offers + 1, updated_at = ${now}, version = w.version + 1
      from o where w.id = o.item_id
      returning w.id, w.channel, w.organisation_id, w.office_id
    ), l as (
      update operator_states s set load = v.load, free_channels = string_to_array(v.free, ',')::text[], idle_since = ${now}, updated_at = ${now}
      from unnest(${sql.val(loads.map((l) => l.userId))}::uuid[], ${sql.val(loads.map((l) => JSON.stringify(l.load)))}::jsonb[], ${sql.val(loads.map((l) => l.freeChannels.join(',')))}::text[])
        as v(user_id, load, free)
      where s.user_id = v.user_id
      returning s.user_id
    ), e as (
      ${OUTBOX_INSERT}
      select 'routing.offer_made', o.item_id::text, i.organisation_id, jsonb_build_object(
        'offerId', o.id, 'itemId', o.item_id, 'userId', o.user_id, 'officeId', o.office_id, 'itemOfficeId', i.office_id, 'channel', i.channel,
        'expiresAt', to_char(o.expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'overflow', o.overflow)
      from o join i on i.id = o.item_id
    )
    select o.* from o`.execute(db);
  return rows.map(toOffer);
}

export async function findOffer(db: Db, id: string, options: { lock?: boolean } = {}): Promise<Offer | null> {
  let q = db.selectFrom('routing_offers').selectAll().where('id', '=', id);
  if (options.lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toOffer(row as OfferRow) : null;
}

export async function pendingOffersOf(db: Db, userId: string): Promise<Offer[]> {
  const rows = await db.selectFrom('routing_offers').selectAll().where('user_id', '=', userId).where('status', '=', 'pending').orderBy('offered_at').execute();
  return rows.map((r) => toOffer(r as OfferRow));
}

export async function pendingOfferOfItem(db: Db, itemId: string): Promise<Offer | null> {
  const row = await db.selectFrom('routing_offers').selectAll().where('item_id', '=', itemId).where('status', '=', 'pending').forUpdate().executeTakeFirst();
  return row ? toOffer(row as OfferRow) : null;
}

export async function closeOffer(db: Db, id: string, status: 'accepted' | 'declined' | 'expired' | 'withdrawn', now: Date): Promise<boolean> {
  const result = await db.updateTable('routing_offers').set({ status, decided_at: now }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Locks pending offers past their deadline, skipping those another instance is settling. */
export async function lockExpiredOffers(db: Db, now: Date, limit: number): Promise<Offer[]> {
  const rows = await db.selectFrom('routing_offers').selectAll().where('status', '=', 'pending').where('expires_at', '<=', now).orderBy('expires_at').limit(limit).forUpdate().skipLocked().execute();
  return rows.map((r) => toOffer(r as OfferRow));
}

export async function nextOfferExpiry(db: Db): Promise<Date | null> {
  const row = await db.selectFrom('routing_offers').select((eb) => eb.fn.min('expires_at').as('t')).where('status', '=', 'pending').executeTakeFirst();
  return row?.t ? dateOf(row.t) : null;
}

// ------------------------------------------------------------------------------------- wallboard

export interface QueueFigures {
  officeId: string;
  waiting: number;
  oldestWaitingSince: Date | null;
  offered: number;
  answered: number;
  answeredInTarget: number;
  abandoned: number;
  overflowOut: number;
  overflowIn: number;
  waitSecondsAnswered: number;
}

/**
 * Today's figures per office since `since`: contacts counted at the office where they arrived
 * (overflowIn at the office whose operator answered someone else's contact).
 */
export async function queueFigures(db: Db, officeIds: readonly string[], since: Date, slSeconds: ReadonlyMap<string, number>): Promise<QueueFigures[]> {
  if (officeIds.length === 0) return [];
  const ids = [...officeIds];
  const { rows } = await sql<{
    office_id: string;
    waiting: string;
    oldest: Date | null;
    offered: string;
    answered: string;
    in_target: string;
    abandoned: string;
    overflow_out: string;
    wait_answered: number | null;
  }>`
    select w.office_id,
      count(*) filter (where w.status = 'waiting') as waiting,
      min(w.enqueued_at) filter (where w.status = 'waiting') as oldest,
      count(*) filter (where w.status <> 'cancelled' and w.outcome is distinct from 'cancelled') as offered,
      count(*) filter (where w.answered_at is not null) as answered,
      count(*) filter (where w.answered_at is not null and extract(epoch from w.answered_at - w.enqueued_at) <= coalesce(s.sl, 20)) as in_target,
      count(*) filter (where w.status = 'abandoned') as abandoned,
      count(*) filter (where w.answered_at is not null and w.assigned_office_id <> w.office_id) as overflow_out,
      sum(extract(epoch from w.answered_at - w.enqueued_at)) filter (where w.answered_at is not null) as wait_answered
    from work_items w
    left join (select unnest(${sql.val(ids)}::uuid[]) as office_id, unnest(${sql.val(ids.map((id) => slSeconds.get(id) ?? 20))}::int[]) as sl) s on s.office_id = w.office_id
    where w.office_id = any(${sql.val(ids)}::uuid[]) and (w.enqueued_at >= ${since} or w.status in ('waiting', 'offered', 'assigned'))
    group by w.office_id`.execute(db);
  const incoming = await sql<{ office_id: string; n: string }>`
    select assigned_office_id as office_id, count(*) as n from work_items
    where assigned_office_id = any(${sql.val(ids)}::uuid[]) and assigned_office_id <> office_id and answered_at is not null and enqueued_at >= ${since}
    group by 1`.execute(db);
  const inByOffice = new Map(incoming.rows.map((r) => [r.office_id, Number(r.n)]));
  const byOffice = new Map(rows.map((r) => [r.office_id, r]));
  return ids.map((officeId) => {
    const r = byOffice.get(officeId);
    return {
      officeId,
      waiting: Number(r?.waiting ?? 0),
      oldestWaitingSince: r?.oldest ? dateOf(r.oldest) : null,
      offered: Number(r?.offered ?? 0),
      answered: Number(r?.answered ?? 0),
      answeredInTarget: Number(r?.in_target ?? 0),
      abandoned: Number(r?.abandoned ?? 0),
      overflowOut: Number(r?.overflow_out ?? 0),
      overflowIn: inByOffice.get(officeId) ?? 0,
      waitSecondsAnswered: Number(r?.wait_answered ?? 0),
    };
  });
}

/** Contacts per half hour since `since`, per office: arrived, answered, abandoned (for the wallboard chart). */
export async function halfHourSeries(db: Db, officeIds: readonly string[], since: Date): Promise<{ officeId: string; slot: Date; arrived: number; answered: number; abandoned: number }[]> {
  if (officeIds.length === 0) return [];
  const { rows } = await sql<{ office_id: string; slot: Date; arrived: string; answered: string; abandoned: string }>`
    select office_id, to_timestamp(floor(extract(epoch from enqueued_at) / 1800) * 1800) as slot,
      count(*) as arrived, count(*) filter (where answered_at is not null) as answered, count(*) filter (where status = 'abandoned') as abandoned
    from work_items where office_id = any(${sql.val([...officeIds])}::uuid[]) and enqueued_at >= ${since}
    group by 1, 2 order by 2`.execute(db);
  return rows.map((r) => ({ officeId: r.office_id, slot: dateOf(r.slot), arrived: Number(r.arrived), answered: Number(r.answered), abandoned: Number(r.abandoned) }));
}
