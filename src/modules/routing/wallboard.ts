/**
 * The supervisors' wallboard: per office and for everything the caller may watch, what waits now
 * (items, oldest wait), operators by state, and today's service: offered, answered, answered within
 * the office's service-level target, abandoned, average speed of answer, overflow in and out.
 * Contacts are counted at the office where they arrived; overflow-in at the office that answered.
 */
import type { Database as Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { instantOfWallClock, ROME, wallClockOf } from '../../platform/time-zone.js';
import * as identity from '../identity/index.js';
import { routingErrors as errors } from './routing.errors.js';
import * as repo from './routing.repository.js';
import { mayManageQueue, officesOfOrganisations } from './routing.service.js';
import { PRESENCES, type Presence } from './routing-policy.js';

export interface WallboardFigures {
  waiting: number;
  oldestWaitSeconds: number | null;
  operators: Record<Presence, number>;
  offered: number;
  answered: number;
  abandoned: number;
  /** Share of offered contacts answered within the target (null: nothing offered yet). */
  serviceLevel: number | null;
  abandonment: number | null;
  asaSeconds: number | null;
  overflowIn: number;
  overflowOut: number;
}

export interface WallboardOffice extends WallboardFigures {
  officeId: string;
  officeName: string;
  organisationId: string;
  open: boolean;
  serviceLevelSeconds: number;
}

export interface Wallboard {
  at: string;
  since: string;
  total: WallboardFigures;
  offices: WallboardOffice[];
  /** Contacts per half hour today, all watched offices together. */
  series: { slot: string; arrived: number; answered: number; abandoned: number }[];
}

/** Offices the actor may watch: the network's for the coordination, else their bodies' (supervisors and administrators). */
export async function watchableOffices(db: Db, actor: Actor): Promise<identity.Office[]> {
  if (actor.grants.some((g) => g.role === 'network_coordinator')) return (await identity.listOffices(db)).filter((o) => o.active);
  // The offices whose queues the actor manages: the same rule as the queue settings.
  return officesOfOrganisations(db, actor.grants.filter((g) => g.role === 'supervisor' || g.role === 'org_admin'), (o) => mayManageQueue(actor, o));
}

const emptyOperators = (): Record<Presence, number> => Object.fromEntries(PRESENCES.map((p) => [p, 0])) as Record<Presence, number>;

function figures(q: Omit<repo.QueueFigures, 'officeId'>, operators: Record<Presence, number>, now: Date): WallboardFigures {
  return {
    waiting: q.waiting,
    oldestWaitSeconds: q.oldestWaitingSince ? Math.max(0, Math.round((now.getTime() - q.oldestWaitingSince.getTime()) / 1000)) : null,
    operators,
    offered: q.offered,
    answered: q.answered,
    abandoned: q.abandoned,
    serviceLevel: q.offered > 0 ? q.answeredInTarget / q.offered : null,
    abandonment: q.offered > 0 ? q.abandoned / q.offered : null,
    asaSeconds: q.answered > 0 ? q.waitSecondsAnswered / q.answered : null,
    overflowIn: q.overflowIn,
    overflowOut: q.overflowOut,
  };
}

/** Start of the current day in Rome (the network's working day). */
function startOfDay(now: Date): Date {
  const wall = wallClockOf(now.getTime(), ROME);
  return new Date(instantOfWallClock(wall - (wall % 86_400_000), ROME));
}

/** The offices of one wallboard: `officeId`, or every office the actor may watch (null); refused when they may watch none. */
export async function wallboardOffices(db: Db, actor: Actor, officeId: string | null): Promise<identity.Office[]> {
  const watchable = await watchableOffices(db, actor);
  const offices = officeId ? watchable.filter((o) => o.id === officeId) : watchable;
  if (offices.length === 0) throw errors.cannotWatch();
  return offices;
}

export async function wallboard(db: Db, actor: Actor, officeId: string | null, now: Date): Promise<Wallboard> {
  const offices = await wallboardOffices(db, actor, officeId);
  const ids = offices.map((o) => o.id);
  const since = startOfDay(now);
  const settings = await repo.settingsOf(db, ids);
  const sl = new Map(ids.map((id) => [id, settings.get(id)!.serviceLevelSeconds]));
  const queues = new Map((await repo.queueFigures(db, ids, since, sl)).map((q) => [q.officeId, q]));
  const operators = new Map<string, Record<Presence, number>>();
  for (const c of await repo.presenceCounts(db, ids)) {
    const o = operators.get(c.officeId) ?? emptyOperators();
    o[c.presence] += c.operators;
    operators.set(c.officeId, o);
  }
  const total: Omit<repo.QueueFigures, 'officeId'> = { waiting: 0, oldestWaitingSince: null, offered: 0, answered: 0, answeredInTarget: 0, abandoned: 0, overflowOut: 0, overflowIn: 0, waitSecondsAnswered: 0 };
  const totalOperators = emptyOperators();
  const rows: WallboardOffice[] = [];
  for (const office of offices) {
    const q = queues.get(office.id)!;
    const ops = operators.get(office.id) ?? emptyOperators();
    for (const p of PRESENCES) totalOperators[p] += ops[p];
    total.waiting += q.waiting;
    if (q.oldestWaitingSince && (!total.oldestWaitingSince || q.oldestWaitingSince < total.oldestWaitingSince)) total.oldestWaitingSince = q.oldestWaitingSince;
    total.offered += q.offered;
    total.answered += q.answered;
    total.answeredInTarget += q.answeredInTarget;
    total.abandoned += q.abandoned;
    total.overflowIn += q.overflowIn;
    total.overflowOut += q.overflowOut;
    total.waitSecondsAnswered += q.waitSecondsAnswered;
    rows.push({
      officeId: office.id,
      officeName: office.name,
      organisationId: office.organisationId,
      open: identity.isOpenAt(office.calendar, now),
      serviceLevelSeconds: sl.get(office.id) ?? 20,
      ...figures(q, ops, now),
    });
  }
  const bySlot = new Map<number, { arrived: number; answered: number; abandoned: number }>();
  for (const r of await repo.halfHourSeries(db, ids, since)) {
    const s = bySlot.get(r.slot.getTime()) ?? { arrived: 0, answered: 0, abandoned: 0 };
    s.arrived += r.arrived;
    s.answered += r.answered;
    s.abandoned += r.abandoned;
    bySlot.set(r.slot.getTime(), s);
  }
  return {
    at: now.toISOString(),
    since: since.toISOString(),
    total: figures(total, totalOperators, now),
    // Busiest first would hide the quiet offices a supervisor also needs: waiting, then name.
    offices: rows.sort((a, b) => b.waiting - a.waiting || a.officeName.localeCompare(b.officeName, 'it')),
    series: [...bySlot].sort((a, b) => a[0] - b[0]).map(([t, s]) => ({ slot: new Date(t).toISOString(), ...s })),
  };
}
