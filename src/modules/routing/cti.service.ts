/**
 * The telephony (CTI) interface: a PBX (Asterisk ARI, FreeSWITCH ESL, a cloud PBX) reports an
 * incoming call (caller number, dialled number → office) and learns what to do with it — queue it,
 * offer a callback, or say the office is closed — then reports answered / ended / abandoned. Calls are
 * work items of channel `phone`; an operator's acceptance reaches the PBX as `routing.item_assigned`
 * (with the operator's extension) over the CTI stream.
 *
 * Events may arrive twice or out of order (PBX retries, several PBX nodes): a repeated event is a
 * no-op, `ended` before `answered` ends the call all the same, and an event that the call's state no
 * longer allows (`answered` after `ended`) is refused with a clear error — no item is left stuck and
 * none is assigned twice.
 */
import type { Database as Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import * as identity from '../identity/index.js';
import { estimatedWaitSeconds } from './overflow-policy.js';
import { routingErrors as errors } from './routing.errors.js';
import * as repo from './routing.repository.js';
import { acceptOfferFor, endWorkItem, enqueue, mayManageQueue, overflowPartnersOf, staffedOperators } from './routing.service.js';

export type CallDecision = 'queued' | 'closed';

export interface IncomingCall {
  callId: string;
  caller: string | null;
  dialled: string;
}

export interface CallRoute {
  callId: string;
  itemId: string;
  officeId: string;
  officeName: string;
  decision: CallDecision;
  /** Position in the office's queue (1 = next), when queued. */
  position: number | null;
  /** Expected wait in seconds, null when unknown (nobody staffed). */
  estimatedWaitSeconds: number | null;
  /** True when the PBX should offer the caller a callback instead of waiting. */
  callbackOffered: boolean;
  /** When the office opens next (for a closed-office message), ISO. */
  nextOpening: string | null;
  state: repo.WorkItem['ctiState'];
}

async function officeFor(db: Db, actor: Actor, officeId: string): Promise<identity.Office> {
  const office = await identity.findOffice(db, officeId);
  if (!office) throw errors.officeNotFound({ id: officeId });
  if (!mayManageQueue(actor, office)) throw errors.cannotManageQueue();
  return office;
}

/**
 * Reports a new call and returns where it goes. Repeating the same call id with the same numbers
 * returns the same route (the PBX may retry); with other numbers, it is refused.
 */
export async function incomingCall(db: Db, actor: Actor, call: IncomingCall, now: Date): Promise<{ route: CallRoute; created: boolean }> {
  const existing = await repo.findItemByCall(db, call.callId);
  if (existing) {
    if (existing.dialled !== call.dialled || (existing.caller ?? null) !== (call.caller ?? null)) throw errors.callIdReused({ callId: call.callId });
    const office = await officeFor(db, actor, existing.officeId);
    return { route: await routeOf(db, existing, office, now), created: false };
  }
  const officeId = await repo.officeOfNumber(db, call.dialled);
  if (!officeId) throw errors.unknownNumber({ dialled: call.dialled });
  const office = await officeFor(db, actor, officeId);
  const open = identity.isOpenAt(office.calendar, now);
  // A closed office still queues the call when a partner may take it (overflow on `closed`);
  // otherwise the call is recorded as met by the closed message.
  const partnersOpen = open ? true : await hasOpenOverflowPartner(db, office, now);
  try {
    const item = await enqueue(
      db,
      office,
      {
        officeId,
        channel: 'phone',
        caller: call.caller,
        callId: call.callId,
        dialled: call.dialled,
        ctiState: open || partnersOpen ? 'queued' : 'ended',
        ...(!(open || partnersOpen) && { status: 'cancelled' as const, outcome: 'closed' as const }),
      },
      actor.userId,
      now,
    );
    return { route: await routeOf(db, item, office, now), created: true };
  } catch (err) {
    // Two deliveries of the same new call raced: the unique call id kept one; answer like a retry.
    if ((err as { code?: string }).code === '23505') return incomingCall(db, actor, call, now);
    throw err;
  }
}

async function hasOpenOverflowPartner(db: Db, office: identity.Office, now: Date): Promise<boolean> {
  const partners = await overflowPartnersOf(db, office.id, 'closed');
  return partners.some((p) => identity.isOpenAt(p.calendar, now));
}

async function routeOf(db: Db, item: repo.WorkItem, office: identity.Office, now: Date): Promise<CallRoute> {
  const settings = (await repo.settingsOf(db, [office.id])).get(office.id)!;
  const closed = item.outcome === 'closed';
  let position: number | null = null;
  let wait: number | null = null;
  if (item.status === 'waiting' || item.status === 'offered') {
    position = await repo.queuePosition(db, item);
    const staffed = (await staffedOperators(db, [office.id])).get(office.id) ?? 0;
    const estimate = estimatedWaitSeconds(position, staffed, settings.handleSeconds);
    wait = Number.isFinite(estimate) ? Math.round(estimate) : null;
  }
  const next = closed ? identity.nextOpening(office.calendar, now) : null;
  return {
    callId: item.callId ?? '',
    itemId: item.id,
    officeId: office.id,
    officeName: office.name,
    decision: closed ? 'closed' : 'queued',
    position,
    estimatedWaitSeconds: wait,
    callbackOffered: closed || (position !== null && (wait === null || (settings.callbackAfterSeconds !== null && wait > settings.callbackAfterSeconds))),
    nextOpening: next ? next.toISOString() : null,
    state: item.ctiState,
  };
}

export type CallEventType = 'answered' | 'ended' | 'abandoned' | 'callback_requested';

/**
 * Applies a PBX event to a call. Returns the call's route after the event, and whether it changed
 * anything (false for a repeated event).
 */
export async function callEvent(db: Db, actor: Actor, callId: string, event: { type: CallEventType; callbackNumber?: string | null }, now: Date): Promise<{ route: CallRoute; changed: boolean; callback: repo.WorkItem | null }> {
  const found = await repo.findItemByCall(db, callId);
  if (!found) throw errors.callNotFound({ callId });
  const office = await officeFor(db, actor, found.officeId);
  const outcome = await db.transaction().execute(async (trx) => {
    const item = (await repo.findItemByCall(trx, callId, { lock: true }))!;
    const ended = item.status === 'completed' || item.status === 'abandoned' || item.status === 'cancelled';
    switch (event.type) {
      case 'answered': {
        if (item.ctiState === 'answered') return { changed: false, callback: null };
        if (ended) throw errors.callEventRejected({ callId, event: event.type, state: item.ctiState ?? item.status });
        if (item.status === 'offered') {
          // Picked up on the phone before the click: the pending offer is accepted for its operator.
          await acceptOfferFor(trx, item, now);
        } else if (item.status === 'waiting') {
          throw errors.callEventRejected({ callId, event: event.type, state: 'queued' });
        }
        await repo.updateItem(trx, item.id, { ctiState: 'answered' }, now);
        return { changed: true, callback: null };
      }
      case 'ended':
      case 'abandoned': {
        if (ended) return { changed: false, callback: null };
        const answered = item.status === 'assigned';
        await endWorkItem(trx, item, answered ? { status: 'completed', outcome: 'answered' } : { status: 'abandoned', outcome: 'abandoned' }, now);
        await repo.updateItem(trx, item.id, { ctiState: answered ? 'ended' : 'abandoned' }, now);
        return { changed: true, callback: null };
      }
      case 'callback_requested': {
        if (ended && item.outcome === 'callback') return { changed: false, callback: null };
        if (item.status === 'assigned' || (ended && item.outcome !== 'closed')) throw errors.callEventRejected({ callId, event: event.type, state: item.ctiState ?? item.status });
        const number = event.callbackNumber ?? item.caller;
        if (!number) throw errors.callbackNeedsNumber();
        if (!ended) await endWorkItem(trx, item, { status: 'abandoned', outcome: 'callback' }, now);
        else await repo.updateItem(trx, item.id, { outcome: 'callback' }, now);
        await repo.updateItem(trx, item.id, { ctiState: 'ended' }, now);
        // The callback waits for the office's next opening when it is closed now.
        const notBefore = identity.isOpenAt(office.calendar, now) ? null : identity.nextOpening(office.calendar, now);
        const callback = await enqueue(trx, office, { officeId: office.id, channel: 'callback', caller: number, priority: 1, subject: null, notBefore }, actor.userId, now);
        return { changed: true, callback };
      }
    }
  });
  const item = (await repo.findItemByCall(db, callId))!;
  return { route: await routeOf(db, item, office, now), changed: outcome.changed, callback: outcome.callback };
}

/** A call as the PBX reads it back. */
export async function findCall(db: Db, actor: Actor, callId: string, now: Date): Promise<CallRoute> {
  const item = await repo.findItemByCall(db, callId);
  if (!item) throw errors.callNotFound({ callId });
  const office = await officeFor(db, actor, item.officeId);
  return routeOf(db, item, office, now);
}
