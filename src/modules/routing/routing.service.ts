/**
 * Use cases of routing: operators' presence, the queue's work items, offers and their answers, the
 * routing pass and the sweep that runs timers (offer expiry, overflow, callbacks). Every decision is
 * taken inside a transaction on rows locked in the database, never in one process's memory, so any
 * number of instances can route the same queues.
 */
import type { Database as Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { TICKET_ROLES } from '../../platform/actor.js';
import { recordEvent } from '../../platform/events.js';
import type { Trx } from '../../platform/http.js';
import { platformErrors } from '../../platform/errors.js';
import * as identity from '../identity/index.js';
import * as sharing from '../sharing/index.js';
import * as tickets from '../tickets/index.js';
import { type OfficeState, type OverflowRoute, type OverflowTrigger, overflowOfficesFor } from './overflow-policy.js';
import { routingErrors as errors } from './routing.errors.js';
import * as repo from './routing.repository.js';
import { type ChannelCounts, freeChannels, type Presence, planOffers, type RoutingChannel } from './routing-policy.js';

/** Operators locked per routing transaction: enough for throughput, few enough to keep transactions short. */
const OPERATOR_BATCH = 16;
const ITEM_BATCH = 32;
/** A routing pass stops after this many transactions and leaves the rest to the next wake-up. */
const MAX_ROUNDS = 600;
/** How long an operator's refusal of a contact holds (then the contact may be offered to them again). */
const REFUSAL_KEEP_MS = 120_000;
/** Caller numbers and subjects of ended items are kept this long (wallboard detail, disputes). */
export const ENDED_ITEM_RETENTION_DAYS = 30;

export interface RoutingClock {
  now(): Date;
}

/** Schedules the next sweep (a delayed job) at `at`: the routing module's only timer. */
export type ScheduleSweep = (at: Date) => Promise<void>;

// ---------------------------------------------------------------------------------- routing pass

export interface PassResult {
  offers: repo.Offer[];
  rounds: number;
}

/**
 * Offers waiting items to available operators until no more match. Each round is one transaction:
 * lock a batch of available operators (longest idle first) and the waiting items they may take
 * (SKIP LOCKED: another instance's round takes other rows), plan with the pure policy, write offers,
 * items and loads, and record one `routing.offer_made` event per offer for the consoles.
 */
export async function routeWaitingItems(db: Db, now: Date, only: readonly string[] | null = null): Promise<PassResult> {
  const offers: repo.Offer[] = [];
  let rounds = 0;
  // Only operators of offices with something to take: locking the longest idle of the whole network
  // could pick a batch with nothing for them and leave the offices with a queue unserved.
  const work = await repo.waitingWork(db);
  if (only) for (const id of [...work.channelsByOffice.keys()]) if (!only.includes(id)) work.channelsByOffice.delete(id);
  const officeIds = [...work.channelsByOffice.keys()];
  if (officeIds.length === 0) return { offers, rounds };
  // Read once per pass, outside the rounds' locks (settings change rarely; a round uses the value
  // current when the pass began). Not overlapped with the first round: a round holding its
  // connection and locks must never wait for a second connection of a busy pool.
  const settings = await repo.settingsOf(db, officeIds);
  for (; rounds < MAX_ROUNDS; rounds++) {
    // Each round on its own clock: an offer's answer time starts when it is made, not when the pass
    // (which may have expired offers and recomputed overflow first) began.
    const at = new Date(Math.max(now.getTime(), Date.now()));
    const made = await db.transaction().execute(async (trx) => {
      const operators = await repo.lockAvailableOperators(trx, work.channelsByOffice, OPERATOR_BATCH);
      if (operators.length === 0) return null;
      // A round acknowledges nothing to anyone: if the server dies before its commit reaches the
      // disk, the whole round (offers, items, loads, events) is lost together and the items simply
      // wait to be offered again. Not waiting for the WAL flush keeps the locks short.
      await repo.relaxCommit(trx);
      let items = await repo.lockWaitingItems(trx, operators, at, ITEM_BATCH, work.overflowed);
      // Nothing free may only mean that a concurrent round holds the head of the queue (its batch
      // is larger than its operators can take): wait for its commit and read what it left, or these
      // operators would idle beside waiting work until the next kick. Never a deadlock: a round that
      // waits holds no item, and a round holding items never waits for one.
      if (items.length === 0) items = await repo.lockWaitingItems(trx, operators, at, ITEM_BATCH, work.overflowed, { wait: true });
      if (items.length === 0) return null;
      const planned = planOffers(items.map(repo.routingItemOf), operators, at.getTime());
      if (planned.length === 0) return { offers: [] as repo.Offer[], full: false };
      const itemById = new Map(items.map((i) => [i.id, i]));
      const operatorById = new Map(operators.map((o) => [o.id, o]));
      const loads = new Map<string, Partial<Record<RoutingChannel, number>>>();
      for (const p of planned) {
        const channel = itemById.get(p.itemId)!.channel;
        const load = loads.get(p.operatorId) ?? { ...operatorById.get(p.operatorId)!.load };
        load[channel] = (load[channel] ?? 0) + 1;
        loads.set(p.operatorId, load);
      }
      // Each locked operator's free channels once this round's offers are counted.
      const freeAfter = new Map(operators.map((o) => [o.id, freeChannels(o, loads.get(o.id) ?? o.load)]));
      const written = await repo.writeRound(
        trx,
        planned.map((p) => {
          const operator = operatorById.get(p.operatorId)!;
          const timeout = settings.get(operator.officeId)?.offerTimeoutSeconds ?? repo.DEFAULT_SETTINGS.offerTimeoutSeconds;
          return { itemId: p.itemId, userId: p.operatorId, officeId: operator.officeId, overflow: p.overflow, expiresAt: new Date(at.getTime() + timeout * 1000) };
        }),
        [...loads].map(([userId, load]) => ({ userId, load, freeChannels: freeAfter.get(userId)! })),
        at,
      );
      // Another round helps only if more operators may be available, or if the item batch was full
      // and a locked operator still has a free slot on a channel waiting for them. Otherwise (the
      // steady state: one operator frees one slot and takes one item) it would only lock nothing.
      const spare = operators.some((o) => freeAfter.get(o.id)!.some((c) => work.channelsByOffice.get(o.officeId)?.includes(c)));
      return { offers: written, full: operators.length === OPERATOR_BATCH || (items.length === ITEM_BATCH && spare) };
    });
    if (!made) break;
    offers.push(...made.offers);
    if (made.offers.length === 0 || !made.full) {
      rounds++;
      break;
    }
  }
  return { offers, rounds };
}

// ---------------------------------------------------------------------------------------- timers

/**
 * Gives expired offers back to the queue: the item waits again (never re-offered to the operator
 * who let it lapse), the operator's slot is freed. Returns how many expired.
 */
export async function expireOffers(db: Db, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await db.transaction().execute(async (trx) => {
      // Operators' rows in one order in every transaction: two instances expiring at once never
      // wait on each other's rows in opposite orders (deadlock).
      const offers = (await repo.lockExpiredOffers(trx, now, 200)).sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : a.id < b.id ? -1 : 1));
      for (const offer of offers) await settleOffer(trx, offer, 'expired', now);
      return offers.length;
    });
    total += expired;
    if (expired < 200) return total;
  }
}

/** Closes a pending offer without acceptance: back to the queue, slot freed, console told. */
async function settleOffer(trx: Trx, offer: repo.Offer, status: 'declined' | 'expired' | 'withdrawn', now: Date): Promise<void> {
  if (!(await repo.closeOffer(trx, offer.id, status, now))) return;
  const item = await repo.findItem(trx, offer.itemId, { lock: true });
  if (item && item.status === 'offered') {
    const refusedBy = status === 'withdrawn' ? item.refusedBy : [...new Set([...item.refusedBy, offer.userId])];
    await repo.updateItem(trx, item.id, { status: 'waiting', refusedBy }, now);
  }
  if (item) await repo.releaseSlot(trx, offer.userId, item.channel, now);
  await recordEvent(trx, 'routing.offer_closed', { aggregateId: offer.itemId, ...(item && { organisationId: item.organisationId }), payload: { offerId: offer.id, itemId: offer.itemId, userId: offer.userId, officeId: offer.officeId, itemOfficeId: item?.officeId ?? null, status } });
}

interface OverflowNetwork {
  routesByOffice: Map<string, OverflowRoute[]>;
  offices: Map<string, identity.Office>;
}

/** Overflow routes of every office: from each office of a body to the URPs of its overflow partners. */
async function overflowNetwork(db: Db): Promise<OverflowNetwork> {
  const agreements = (await sharing.activeOverflowAgreements(db)).filter((a) => a.overflow);
  const routesByOffice = new Map<string, OverflowRoute[]>();
  if (agreements.length === 0) return { routesByOffice, offices: new Map() };
  // Only the offices of bodies in an overflow agreement: a sweep runs after every change, and most
  // of a national network's offices are in none.
  const organisations = [...new Set(agreements.flatMap((a) => [a.fromOrganisationId, a.toOrganisationId]))];
  const offices = new Map((await identity.listOffices(db, organisations)).filter((o) => o.active).map((o) => [o.id, o]));
  const byOrganisation = new Map<string, identity.Office[]>();
  for (const o of offices.values()) byOrganisation.set(o.organisationId, [...(byOrganisation.get(o.organisationId) ?? []), o]);
  for (const a of agreements) {
    const terms = a.overflow;
    if (!terms) continue;
    const targets = (byOrganisation.get(a.toOrganisationId) ?? []).filter((o) => o.kind !== 'back_office');
    for (const from of byOrganisation.get(a.fromOrganisationId) ?? []) {
      const routes = routesByOffice.get(from.id) ?? [];
      for (const t of targets) routes.push({ toOfficeId: t.id, afterSeconds: terms.afterSeconds, topics: a.topics, cap: terms.cap, when: terms.when });
      routesByOffice.set(from.id, routes);
    }
  }
  return { routesByOffice, offices };
}

/** The partner offices a body's office overflows to when `trigger` holds (closed, queue, wait). */
export async function overflowPartnersOf(db: Db, officeId: string, trigger: OverflowTrigger): Promise<identity.Office[]> {
  const network = await overflowNetwork(db);
  return (network.routesByOffice.get(officeId) ?? []).filter((r) => r.when.includes(trigger)).map((r) => network.offices.get(r.toOfficeId)).filter((o): o is identity.Office => o !== undefined);
}

/**
 * Recomputes where each waiting item may overflow now (closed office, long queue, long wait), within
 * the partners' caps. Returns the next moment an item's `afterSeconds` falls due, for the sweep.
 */
export async function refreshOverflow(db: Db, now: Date): Promise<Date | null> {
  const network = await overflowNetwork(db);
  // Only offices with overflow routes have anything to recompute (most of the network, most days).
  if (network.routesByOffice.size === 0) return null;
  const waiting = await repo.waitingItems(db, [...network.routesByOffice.keys()], 20_000);
  if (waiting.length === 0) return null;
  const involved = new Set<string>();
  for (const [from, routes] of network.routesByOffice) {
    involved.add(from);
    for (const r of routes) involved.add(r.toOfficeId);
  }
  const states = await officeStates(db, [...involved], network.offices, now);
  const atPartner = new Map<string, Map<string, number>>();
  for (const r of await repo.itemsAtPartners(db)) {
    const m = atPartner.get(r.fromOfficeId) ?? new Map<string, number>();
    m.set(r.toOfficeId, (m.get(r.toOfficeId) ?? 0) + r.items);
    atPartner.set(r.fromOfficeId, m);
  }
  const changes: { id: string; officeIds: string[] }[] = [];
  let next: number | null = null;
  for (const item of waiting) {
    const routes = network.routesByOffice.get(item.officeId) ?? [];
    const home = states.get(item.officeId);
    let target: string[] = [];
    if (home && routes.length > 0) {
      const counts = atPartner.get(item.officeId) ?? new Map<string, number>();
      // The item's own current partners are not counted against their cap (it is already there).
      const own = new Map(counts);
      for (const p of item.overflowOfficeIds) own.set(p, Math.max(0, (own.get(p) ?? 0) - 1));
      target = overflowOfficesFor({ enqueuedAt: item.enqueuedAt.getTime(), topic: item.topic }, home, routes, states, own, now.getTime());
      for (const r of routes) {
        const due = item.enqueuedAt.getTime() + r.afterSeconds * 1000;
        if (due > now.getTime() && (next === null || due < next)) next = due;
      }
      for (const p of target) if (!item.overflowOfficeIds.includes(p)) counts.set(p, (counts.get(p) ?? 0) + 1);
      for (const p of item.overflowOfficeIds) if (!target.includes(p)) counts.set(p, Math.max(0, (counts.get(p) ?? 0) - 1));
      atPartner.set(item.officeId, counts);
    }
    if (target.length !== item.overflowOfficeIds.length || target.some((t) => !item.overflowOfficeIds.includes(t))) changes.push({ id: item.id, officeIds: target });
  }
  await repo.setOverflowOffices(db, changes, now);
  return next === null ? null : new Date(next);
}

/** Operators signed in and working (available, busy, after-contact work) per office: who will serve the queue. */
export async function staffedOperators(db: Db, officeIds: readonly string[]): Promise<Map<string, number>> {
  const staffed = new Map<string, number>();
  for (const c of await repo.presenceCounts(db, officeIds)) {
    if (c.presence === 'available' || c.presence === 'busy' || c.presence === 'after_contact') staffed.set(c.officeId, (staffed.get(c.officeId) ?? 0) + c.operators);
  }
  return staffed;
}

async function officeStates(db: Db, officeIds: readonly string[], offices: ReadonlyMap<string, identity.Office>, now: Date): Promise<Map<string, OfficeState>> {
  const settings = await repo.settingsOf(db, officeIds);
  const waiting = await repo.waitingCounts(db);
  const staffed = await staffedOperators(db, officeIds);
  const states = new Map<string, OfficeState>();
  for (const id of officeIds) {
    const office = offices.get(id);
    const s = settings.get(id)!;
    states.set(id, {
      officeId: id,
      open: office ? identity.isOpenAt(office.calendar, now) : false,
      waiting: waiting.get(id) ?? 0,
      staffed: staffed.get(id) ?? 0,
      handleSeconds: s.handleSeconds,
      thresholds: { maxQueue: s.maxQueue, maxWaitSeconds: s.maxWaitSeconds },
    });
  }
  return states;
}

/**
 * The routing module's heartbeat, run as a job: expire lapsed offers, recompute overflow, route what
 * can be routed, then schedule itself for the next moment something falls due (an offer's deadline,
 * an item's overflow time, a callback slot). Safe on any number of instances at once.
 */
export async function sweep(db: Db, now: Date, schedule: ScheduleSweep | null): Promise<{ expired: number; offers: number; next: Date | null }> {
  const expired = await expireOffers(db, now);
  await repo.forgetRefusals(db, new Date(now.getTime() - REFUSAL_KEEP_MS));
  const overflowDue = await refreshOverflow(db, now);
  const { offers } = await routeWaitingItems(db, now);
  const candidates = [await repo.nextOfferExpiry(db), overflowDue, await repo.nextNotBefore(db, now), await repo.nextRefusalExpiry(db, REFUSAL_KEEP_MS)].filter((d): d is Date => d !== null);
  const next = candidates.length > 0 ? new Date(Math.max(now.getTime() + 1000, Math.min(...candidates.map((d) => d.getTime())))) : null;
  if (next && schedule) await schedule(next);
  return { expired, offers: offers.length, next };
}

// ---------------------------------------------------------------------------------- operators

/** The offices an actor may take contacts for: where they hold a ticket role. */
export async function operatorOffices(db: Db, actor: Actor): Promise<identity.Office[]> {
  const grants = actor.grants.filter((g) => TICKET_ROLES.includes(g.role));
  return officesOfOrganisations(db, grants, (o) => grants.some((g) => g.organisationId === o.organisationId && (g.officeId === null || g.officeId === o.id)));
}

/** The active offices of the grants' organisations that pass `keep` (one read). */
export async function officesOfOrganisations(db: Db, grants: readonly { organisationId: string }[], keep: (office: identity.Office) => boolean): Promise<identity.Office[]> {
  const organisations = [...new Set(grants.map((g) => g.organisationId))];
  const offices = await identity.listOffices(db, organisations);
  return offices.filter((o) => o.active && keep(o));
}

export interface PresenceInput {
  presence: Presence;
  officeId?: string;
}

/**
 * Sets the caller's presence (and the office they work for). Going on break or offline is refused
 * while an offer waits for an answer; items already held stay with the operator.
 */
export async function setPresence(db: Db, actor: Actor, input: PresenceInput, now: Date): Promise<repo.OperatorState> {
  const offices = await operatorOffices(db, actor);
  if (offices.length === 0) throw errors.notAnOperator();
  return db.transaction().execute(async (trx) => {
    const current = await repo.findOperator(trx, actor.userId, { lock: true });
    const officeId = input.officeId ?? current?.officeId ?? (offices.length === 1 ? offices[0]!.id : null);
    if (!officeId) throw errors.officeRequired();
    if (!offices.some((o) => o.id === officeId)) throw errors.officeNotYours({ officeId });
    if (!current) await repo.saveOperatorProfile(trx, actor.userId, { officeId, topics: [], languages: [], channels: [], capacity: {}, extension: null }, now);
    if (input.presence !== 'available') {
      const pending = await repo.pendingOffersOf(trx, actor.userId);
      if (pending.length > 0 && (input.presence === 'offline' || input.presence === 'break')) throw errors.offerPending({ offerId: pending[0]!.id });
    }
    await repo.setPresence(trx, actor.userId, input.presence, offices.find((o) => o.id === officeId)!, now);
    return (await repo.findOperator(trx, actor.userId))!;
  });
}

export async function operatorView(db: Db, actor: Actor): Promise<{ state: repo.OperatorState | null; offices: identity.Office[]; offers: repo.Offer[]; items: repo.WorkItem[] }> {
  const offices = await operatorOffices(db, actor);
  const state = await repo.findOperator(db, actor.userId);
  const offers = await repo.pendingOffersOf(db, actor.userId);
  const items = await repo.heldItems(db, actor.userId);
  return { state, offices, offers, items };
}

// ------------------------------------------------------------------------------------- offers

export interface AcceptedOffer {
  offer: repo.Offer;
  item: repo.WorkItem;
}

/**
 * Accepts an offer made to the caller: the item becomes theirs (a call is bridged by the PBX to
 * their extension). An offer that expired, was declined or went to someone else cannot be accepted.
 */
export async function acceptOffer(db: Db, actor: Actor, offerId: string, now: Date): Promise<AcceptedOffer> {
  return db.transaction().execute(async (trx) => {
    const offer = await repo.findOffer(trx, offerId, { lock: true });
    if (!offer || offer.userId !== actor.userId) throw errors.offerNotFound({ id: offerId });
    if (offer.status !== 'pending') throw errors.offerClosed({ id: offerId, status: offer.status });
    if (offer.expiresAt.getTime() <= now.getTime()) {
      await settleOffer(trx, offer, 'expired', now);
      return { expired: true as const };
    }
    return { accepted: await acceptPending(trx, offer, now) };
  }).then((r) => {
    // The expiry is committed before the error: the item is back in the queue either way.
    if ('expired' in r) throw errors.offerClosed({ id: offerId, status: 'expired' });
    return r.accepted;
  });
}

/** Accepts the pending offer of an item on behalf of its operator (the PBX saw the call answered). */
export async function acceptOfferFor(trx: Trx, item: repo.WorkItem, now: Date): Promise<AcceptedOffer | null> {
  const offer = await repo.pendingOfferOfItem(trx, item.id);
  return offer ? acceptPending(trx, offer, now) : null;
}

async function acceptPending(trx: Trx, offer: repo.Offer, now: Date): Promise<AcceptedOffer> {
  await repo.closeOffer(trx, offer.id, 'accepted', now);
  const item = (await repo.findItem(trx, offer.itemId, { lock: true }))!;
  await repo.updateItem(trx, item.id, { status: 'assigned', assignedTo: offer.userId, assignedOfficeId: offer.officeId, answeredAt: now, outcome: 'answered' }, now);
  if (item.ticketId) {
    const office = await identity.findOffice(trx, offer.officeId);
    if (office) await tickets.routeTicketTo(trx, item.ticketId, { userId: offer.userId, officeId: office.id, organisationId: office.organisationId }, now);
  }
  const operator = await repo.findOperator(trx, offer.userId);
  await recordEvent(trx, 'routing.item_assigned', {
    aggregateId: item.id,
    organisationId: item.organisationId,
    payload: { itemId: item.id, userId: offer.userId, officeId: offer.officeId, itemOfficeId: item.officeId, channel: item.channel, callId: item.callId, extension: operator?.extension ?? null },
  });
  return { offer: { ...offer, status: 'accepted' as const, decidedAt: now }, item: (await repo.findItem(trx, item.id))! };
}

/** Declines an offer: the item goes back to the queue and is never offered to the caller again. */
export async function declineOffer(db: Db, actor: Actor, offerId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const offer = await repo.findOffer(trx, offerId, { lock: true });
    if (!offer || offer.userId !== actor.userId) throw errors.offerNotFound({ id: offerId });
    if (offer.status !== 'pending') throw errors.offerClosed({ id: offerId, status: offer.status });
    await settleOffer(trx, offer, 'declined', now);
  });
}

/**
 * Ends an item the caller holds (conversation over, e-mail answered). The slot is freed; after a
 * call, the operator goes to after-contact work when asked (`wrapUp`), and back to available later.
 */
export async function completeItem(db: Db, actor: Actor, itemId: string, input: { wrapUp?: boolean }, now: Date): Promise<repo.WorkItem> {
  return db.transaction().execute(async (trx) => {
    const item = await repo.findItem(trx, itemId, { lock: true });
    if (!item || item.assignedTo !== actor.userId) throw errors.itemNotFound({ id: itemId });
    if (item.status !== 'assigned') throw errors.itemNotHeld({ id: itemId, status: item.status });
    await endWorkItem(trx, item, { status: 'completed', outcome: item.outcome ?? 'answered' }, now);
    if (input.wrapUp) {
      const operator = await repo.findOperator(trx, actor.userId, { lock: true });
      const office = operator?.presence === 'available' ? await identity.findOffice(trx, operator.officeId) : null;
      if (office) await repo.setPresence(trx, actor.userId, 'after_contact', office, now);
    }
    return (await repo.findItem(trx, itemId))!;
  });
}

/** Ends an item for good, freeing whatever slot it held and withdrawing a pending offer. */
export async function endWorkItem(trx: Trx, item: repo.WorkItem, end: { status: 'completed' | 'abandoned' | 'cancelled'; outcome: repo.WorkItem['outcome'] }, now: Date): Promise<void> {
  if (item.status === 'offered') {
    const pending = await repo.pendingOfferOfItem(trx, item.id);
    if (pending) {
      await repo.closeOffer(trx, pending.id, 'withdrawn', now);
      await repo.releaseSlot(trx, pending.userId, item.channel, now);
      await recordEvent(trx, 'routing.offer_closed', { aggregateId: item.id, organisationId: item.organisationId, payload: { offerId: pending.id, itemId: item.id, userId: pending.userId, officeId: pending.officeId, itemOfficeId: item.officeId, status: 'withdrawn' } });
    }
  } else if (item.status === 'assigned' && item.assignedTo) {
    await repo.releaseSlot(trx, item.assignedTo, item.channel, now);
  }
  await repo.updateItem(trx, item.id, { status: end.status, outcome: end.outcome, endedAt: now }, now);
  await recordEvent(trx, 'routing.item_ended', { aggregateId: item.id, organisationId: item.organisationId, payload: { itemId: item.id, officeId: item.officeId, outcome: end.outcome ?? end.status } });
}

// --------------------------------------------------------------------------------- work items

export interface EnqueueInput {
  officeId: string;
  channel: RoutingChannel;
  topic?: string | null;
  language?: string | null;
  priority?: number;
  ticketId?: string | null;
  subject?: string | null;
  caller?: string | null;
  notBefore?: Date | null;
}

/** Puts a contact in an office's queue (chat, e-mail, web request, callback from an integration). */
export async function enqueue(
  db: Db,
  office: identity.Office,
  input: EnqueueInput & { callId?: string | null; dialled?: string | null; ctiState?: repo.WorkItem['ctiState']; status?: repo.WorkItemStatus; outcome?: repo.WorkItem['outcome'] },
  createdBy: string | null,
  now: Date,
): Promise<repo.WorkItem> {
  if (input.ticketId) {
    // Only the body's own tickets: accepting the contact shares its ticket with whoever takes it.
    const ticket = await tickets.findTicketById(db, input.ticketId);
    if (!ticket || ticket.organisationId !== office.organisationId) throw errors.ticketNotFound({ id: input.ticketId });
  }
  return repo.insertItem(
    db,
    {
      officeId: office.id,
      organisationId: office.organisationId,
      channel: input.channel,
      topic: input.topic ?? null,
      language: input.language ?? null,
      priority: input.priority ?? 0,
      ticketId: input.ticketId ?? null,
      callId: input.callId ?? null,
      caller: input.caller ?? null,
      dialled: input.dialled ?? null,
      subject: input.subject ?? null,
      notBefore: input.notBefore ?? null,
      ctiState: input.ctiState ?? null,
      createdBy,
      ...(input.status && { status: input.status }),
      ...(input.outcome !== undefined && { outcome: input.outcome }),
    },
    now,
  );
}

/** Cancels a waiting or offered item (the contact went away by another way). */
export async function cancelItem(db: Db, itemId: string, now: Date): Promise<repo.WorkItem | null> {
  return db.transaction().execute(async (trx) => {
    const item = await repo.findItem(trx, itemId, { lock: true });
    if (!item) return null;
    if (item.status === 'waiting' || item.status === 'offered') await endWorkItem(trx, item, { status: 'cancelled', outcome: 'cancelled' }, now);
    return repo.findItem(trx, itemId);
  });
}


/** Nulls callers' numbers and subjects of items ended more than the retention ago. */
export async function purgeEndedItems(db: Db, now: Date): Promise<number> {
  return repo.purgeEndedItems(db, new Date(now.getTime() - ENDED_ITEM_RETENTION_DAYS * 86_400_000));
}

// ----------------------------------------------------------------------- settings and profiles

/** Who manages an office's queue (settings, numbers, operators' skills, calls): its body's supervisors and administrators, or the coordination. */
export function mayManageQueue(actor: Actor, office: { id: string; organisationId: string }): boolean {
  if (actor.grants.some((g) => g.role === 'network_coordinator')) return true;
  return actor.grants.some((g) => g.organisationId === office.organisationId && (g.role === 'org_admin' || (g.role === 'supervisor' && (g.officeId === null || g.officeId === office.id))));
}

export async function managedOffice(db: Db, actor: Actor, officeId: string): Promise<identity.Office> {
  const office = await identity.findOffice(db, officeId);
  if (!office) throw errors.officeNotFound({ id: officeId });
  if (!mayManageQueue(actor, office)) throw errors.cannotManageQueue();
  return office;
}

export interface QueueSettings extends repo.RoutingSettings {
  numbers: string[];
}

export async function queueSettings(db: Db, actor: Actor, officeId: string): Promise<QueueSettings> {
  await managedOffice(db, actor, officeId);
  const settings = (await repo.settingsOf(db, [officeId])).get(officeId)!;
  return { ...settings, numbers: await repo.numbersOf(db, officeId) };
}

/** Replaces an office's queue settings and dialled numbers; `expectedVersion` from If-Match when given. */
export async function saveQueueSettings(db: Db, actor: Actor, officeId: string, input: Omit<QueueSettings, 'officeId' | 'version'>, expectedVersion: number | null, now: Date): Promise<QueueSettings> {
  await managedOffice(db, actor, officeId);
  await db.transaction().execute(async (trx) => {
    const current = (await repo.settingsOf(trx, [officeId])).get(officeId)!;
    if (expectedVersion !== null && expectedVersion !== current.version) throw platformErrors.preconditionFailed();
    const { numbers, ...settings } = input;
    await repo.saveSettings(trx, { officeId, ...settings }, current.version === 0 ? null : current.version, now);
    const taken = await repo.replaceNumbers(trx, officeId, numbers);
    if (taken.length > 0) throw errors.numberTaken({ numbers: taken });
  });
  return queueSettings(db, actor, officeId);
}

/** The operators signed in to routing for the offices the actor manages (or one of them). */
export async function officeOperators(db: Db, actor: Actor, officeId: string): Promise<(repo.OperatorState & { name: string })[]> {
  await managedOffice(db, actor, officeId);
  const operators = await repo.listOperators(db, [officeId]);
  const names = await Promise.all(operators.map((o) => identity.findUser(db, o.id)));
  return operators.map((o, i) => ({ ...o, name: names[i]?.name ?? '' }));
}

/** A supervisor sets an operator's skills, capacity and extension (for an office the operator works for). */
export async function saveOperatorProfile(db: Db, actor: Actor, userId: string, profile: repo.OperatorProfile, now: Date): Promise<repo.OperatorState> {
  const office = await managedOffice(db, actor, profile.officeId);
  if (!(await identity.isTicketWorker(db, userId, office))) throw errors.officeNotYours({ officeId: office.id });
  await repo.saveOperatorProfile(db, userId, profile, now);
  return (await repo.findOperator(db, userId))!;
}

/** Items waiting in (or offered or held from) an office's queue, oldest first. */
export async function officeQueue(db: Db, actor: Actor, officeId: string, status: repo.WorkItemStatus | null): Promise<repo.WorkItem[]> {
  await managedOffice(db, actor, officeId);
  return repo.queueItems(db, officeId, status);
}
