/**
 * Discrete-event simulation of a network of offices answering phone contacts, in which every routing
 * decision is taken by the production policy: `planOffers` chooses which free agent takes which
 * waiting contact, `overflowOfficesFor` which partner offices may take a contact (network run only).
 * Pure and deterministic for a seed; time is simulated seconds from day 0, 00:00 (milliseconds when
 * talking to the policy, which works on epoch milliseconds).
 *
 * Model choices (also in scenarios/README.md):
 * - Contacts arrive as a Poisson process per arrival stream with a piecewise-constant rate (perHour ×
 *   profile weight, zero while the office is closed unless `arrivalsWhenClosed`). Each stream has its
 *   own generator seeded from the scenario seed and draws, per contact and always in this order, the
 *   gap to it, its handle time (from its arrival office's distribution: the time is a property of
 *   the request, whoever answers) and its patience. So the isolated and the network run see exactly
 *   the same contacts.
 * - Agents are identical within an office (no topic or language skills, channel phone with capacity
 *   1). The staffing level follows `agents` while open or the `roster`; an agent whose shift ends
 *   finishes the call in hand first. At closing time (and at the end of the last day) the agents on
 *   duty stay until the contacts already queued at closing are answered or hang up: no new
 *   arrivals, but nobody is left on hold, as real offices do.
 * - Decision points are all events (arrival, end of a call, patience running out, an overflow timer
 *   `afterSeconds` elapsing, shift or opening-hour changes). At each, free agents and waiting
 *   contacts are matched with `planOffers` until no free agent can take any waiting contact; offers
 *   are accepted at once. Busy agents are not passed to `planOffers` (with voice exclusive and
 *   capacity 1 they could take nothing), nor every waiting contact: per office, in queue order,
 *   as many as it has free agents, then as many as its reachable partners have free agents under
 *   the caps (skipping contacts no open route carries, e.g. by topic; the scan stops at the first
 *   contact too recent for any `wait` route). With no priorities or skills the office queue is FIFO,
 *   so these are the contacts `planOffers` would pick from the whole queue. A contact with an own
 *   agent free is not offered to partners in that pass (own office first); should an older overflow
 *   contact of another office take that agent, the next pass offers it to the partners. Passes
 *   repeat until one makes no offer, so after every decision point no free agent could take any
 *   waiting contact. Likewise only the queues an event can have made matchable are looked at (its
 *   office, and in the network the offices routing to it); a test checks that this gives the same
 *   run as looking at every queue at every event.
 * - A route's `cap` counts the contacts of the office being handled by the partner's agents; within
 *   one call of `planOffers` it also counts those already offered to the partner in that call, so a
 *   cap is never exceeded.
 * - Contacts still waiting when nothing more can happen (no agent will ever come back) count as
 *   abandoned.
 */
import { mulberry32 } from '../../../platform/seeded-random.js';
import { EventQueue } from './event-queue.js';
import { estimatedWaitSeconds, type OfficeState, type OverflowRoute, overflowOfficesFor } from '../overflow-policy.js';
import { type OperatorSkills, planOffers, type RoutingItem, type RoutingOperator } from '../routing-policy.js';
import { agentsAt, DAY_SECONDS, type Distribution, inRanges, type Scenario, type ScenarioOffice, weightAt } from './scenario.js';

/** Raw counts of one office in one run (contacts by arrival office, agents by their own office). */
export interface OfficeCounters {
  offered: number;
  answered: number;
  abandoned: number;
  /** Answered within the scenario's service-level target. */
  answeredInTarget: number;
  /** Total wait of the answered contacts, seconds. */
  answeredWaitSeconds: number;
  /** Contacts of this office answered by a partner's agent. */
  overflowOut: number;
  /** Contacts of other offices answered by this office's agents. */
  overflowIn: number;
  /** Agent-seconds spent on calls by this office's agents. */
  busySeconds: number;
  /** Agent-seconds signed in (on shift, or finishing a call after it, or staying to clear the queue at closing). */
  staffedSeconds: number;
}

export interface SimulationRun {
  readonly overflow: boolean;
  readonly officeIds: readonly string[];
  readonly counters: readonly OfficeCounters[];
  /** Events processed (for speed figures). */
  readonly events: number;
  /** Most contacts of an office handled by a partner at once, by `home→partner` (to check caps). */
  readonly peakAtPartner: ReadonlyMap<string, number>;
}

// ---------------------------------------------------------------------------
// Random draws
// ---------------------------------------------------------------------------

export type Sampler = (random: () => number) => number;

export function samplerOf(d: Distribution): Sampler {
  const mean = d.mean;
  switch (d.dist) {
    case 'constant':
      return () => mean;
    case 'exponential':
      return (random) => -mean * Math.log(1 - random());
    case 'lognormal': {
      const sigma2 = Math.log(1 + d.cv * d.cv);
      const sigma = Math.sqrt(sigma2);
      const mu = Math.log(mean) - sigma2 / 2;
      // Box–Muller, always two uniforms per draw so the stream's sequence does not depend on values.
      return (random) => {
        const u1 = 1 - random();
        const u2 = random();
        return Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
      };
    }
  }
}

/** Contiguous pieces of the day with a constant arrival rate (per second). */
interface RatePiece {
  readonly from: number;
  readonly to: number;
  readonly rate: number;
}

function ratePieces(perHour: number, profile: Scenario['arrivals'][number]['profile'], office: ScenarioOffice): RatePiece[] {
  const cuts = new Set<number>([0, DAY_SECONDS]);
  for (const r of profile) cuts.add(r.from).add(r.to);
  for (const r of office.open) cuts.add(r.from).add(r.to);
  const sorted = [...cuts].sort((a, b) => a - b);
  const pieces: RatePiece[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const from = sorted[i]!;
    const to = sorted[i + 1]!;
    const mid = (from + to) / 2;
    const open = office.arrivalsWhenClosed || inRanges(office.open, mid);
    pieces.push({ from, to, rate: open ? (perHour / 3600) * weightAt(profile, mid) : 0 });
  }
  return pieces;
}

// ---------------------------------------------------------------------------
// Runtime state
// ---------------------------------------------------------------------------

const WAITING = 0;
const SERVED = 1;
const ABANDONED = 2;

const OFFLINE = 0;
const FREE = 1;
const BUSY = 2;

/** A contact is its own routing item (with no overflow partners), so none is built per decision. */
interface Contact extends RoutingItem {
  readonly home: OfficeRt;
  /** Seconds. */
  readonly arrival: number;
  readonly handle: number;
  state: number;
  /** Queued when its office closed: agents stay until it is answered or hangs up. */
  drain: boolean;
}

interface Agent {
  readonly office: OfficeRt;
  readonly index: number;
  state: number;
  /** Bumped whenever the agent leaves the free list, so stale entries are recognised. */
  stamp: number;
  serving: Contact | null;
  readonly operator: { id: string; officeId: string; presence: 'available'; idleSince: number; skills: OperatorSkills; capacity: { phone: number }; load: Record<string, never> };
  readonly endEvent: SimEvent;
}

interface OfficeRt {
  readonly index: number;
  readonly def: ScenarioOffice;
  readonly state: { officeId: string; open: boolean; waiting: number; staffed: number; handleSeconds: number; thresholds: OfficeState['thresholds'] };
  readonly counters: OfficeCounters;
  readonly agents: Agent[];
  /** FIFO of contacts (answered or abandoned ones left in place until they reach the head). */
  queue: Contact[];
  head: number;
  /** Position in the list of offices with a queue, -1 when none waits. */
  queuedAt: number;
  /** Free agents in the order they became free (= idleSince order), with the stamp they had then. */
  freeAgents: Agent[];
  freeStamps: number[];
  freeHead: number;
  free: number;
  /** Scheduled agents now (roster or `agents` while open). */
  scheduled: number;
  /** Agents on duty when the office closed, kept while `draining` contacts remain. */
  atClose: number;
  draining: number;
  lastStaffChange: number;
  readonly routes: readonly OverflowRoute[];
  routeTargets: readonly OfficeRt[];
  /** Offices with a route to this one. */
  readonly inbound: OfficeRt[];
  scopeStamp: number;
  /** `afterSeconds` values (> 0) of the routes with a `wait` trigger, for the overflow timers. */
  readonly timers: readonly number[];
  /** Contacts of this office now handled by each partner's agents, by partner id. */
  readonly atPartner: Map<string, number>;
  /** Scratch maps of a matching pass (reused, not reallocated at every event). */
  readonly room: Map<string, number>;
  readonly atPartnerScratch: Map<string, number>;
  /** Times of day (s) where opening or staffing changes, with the state from there. */
  readonly breakpoints: readonly { second: number; open: boolean; agents: number }[];
}

interface Stream {
  readonly office: OfficeRt;
  readonly topic: string | null;
  readonly random: () => number;
  readonly pieces: readonly RatePiece[];
  readonly handle: Sampler;
  readonly patience: Sampler | null;
  piece: number;
  day: number;
  time: number;
  readonly event: SimEvent;
}

type SimEvent =
  | { readonly kind: 'arrival'; readonly stream: Stream }
  | { readonly kind: 'end'; readonly agent: Agent }
  | { readonly kind: 'patience'; readonly contact: Contact }
  | { readonly kind: 'timer'; readonly contact: Contact }
  | { readonly kind: 'schedule'; readonly office: OfficeRt; readonly breakpoint: number; readonly day: number }
  | { readonly kind: 'finish' };

const ANY_SKILLS: OperatorSkills = { topics: [], languages: [], channels: [] };
const NOBODY: readonly string[] = [];

function newCounters(): OfficeCounters {
  return { offered: 0, answered: 0, abandoned: 0, answeredInTarget: 0, answeredWaitSeconds: 0, overflowOut: 0, overflowIn: 0, busySeconds: 0, staffedSeconds: 0 };
}

function breakpointsOf(office: ScenarioOffice): { second: number; open: boolean; agents: number }[] {
  const cuts = new Set<number>([0]);
  for (const r of office.open) cuts.add(r.from).add(r.to % DAY_SECONDS);
  for (const s of office.staffing) cuts.add(s.from).add(s.to % DAY_SECONDS);
  const out: { second: number; open: boolean; agents: number }[] = [];
  for (const second of [...cuts].sort((a, b) => a - b)) {
    const state = { second, open: inRanges(office.open, second), agents: agentsAt(office, second) };
    const last = out[out.length - 1];
    if (!last || last.open !== state.open || last.agents !== state.agents) out.push(state);
  }
  return out;
}

/**
 * Runs the scenario once. `overflow: false` ignores every route (each office on its own);
 * `overflow: true` routes through the network.
 */
export function runSimulation(scenario: Scenario, options: { overflow: boolean; exhaustive?: boolean }): SimulationRun {
  const network = options.overflow;
  const exhaustive = options.exhaustive === true;
  const end = scenario.days * DAY_SECONDS;
  const target = scenario.serviceLevelSeconds + 1e-9;
  const heap = new EventQueue<SimEvent>();

  const offices: OfficeRt[] = [];
  const byId = new Map<string, OfficeRt>();
  const states = new Map<string, OfficeState>();
  scenario.offices.forEach((def, index) => {
    const breakpoints = breakpointsOf(def);
    const maxAgents = Math.max(0, ...breakpoints.map((b) => b.agents));
    const routes = network ? def.overflowTo : [];
    const office: OfficeRt = {
      index,
      def,
      state: { officeId: def.id, open: false, waiting: 0, staffed: 0, handleSeconds: def.handle.mean, thresholds: def.thresholds },
      counters: newCounters(),
      agents: [],
      queue: [],
      head: 0,
      queuedAt: -1,
      freeAgents: [],
      freeStamps: [],
      freeHead: 0,
      free: 0,
      scheduled: 0,
      atClose: 0,
      draining: 0,
      lastStaffChange: 0,
      routes,
      routeTargets: [],
      inbound: [],
      scopeStamp: 0,
      timers: [...new Set(routes.filter((r) => r.when.includes('wait') && r.afterSeconds > 0).map((r) => r.afterSeconds))].sort((a, b) => a - b),
      atPartner: new Map(),
      room: new Map(),
      atPartnerScratch: new Map(),
      breakpoints,
    };
    const width = String(Math.max(1, maxAgents - 1)).length;
    for (let i = 0; i < maxAgents; i++) {
      const agent: Agent = {
        office,
        index: i,
        state: OFFLINE,
        stamp: 0,
        serving: null,
        operator: { id: `${def.id}#${String(i).padStart(width, '0')}`, officeId: def.id, presence: 'available', idleSince: 0, skills: ANY_SKILLS, capacity: { phone: 1 }, load: {} },
        endEvent: undefined as unknown as SimEvent,
      };
      (agent as { endEvent: SimEvent }).endEvent = { kind: 'end', agent };
      office.agents.push(agent);
    }
    offices.push(office);
    byId.set(def.id, office);
    states.set(def.id, office.state);
  });
  for (const office of offices) {
    office.routeTargets = office.routes.map((r) => byId.get(r.toOfficeId)!);
    for (const to of office.routeTargets) if (!to.inbound.includes(office)) to.inbound.push(office);
  }

  let totalFree = 0;
  let totalWaiting = 0;
  /** Offices with someone waiting: the only ones a decision point has to look at. */
  const queued: OfficeRt[] = [];
  let events = 0;
  let now = 0;
  let contactSeq = 0;
  const peakAtPartner = new Map<string, number>();

  // --- agents ---------------------------------------------------------------

  const setSignedIn = (office: OfficeRt, delta: number) => {
    office.counters.staffedSeconds += office.state.staffed * (now - office.lastStaffChange);
    office.lastStaffChange = now;
    office.state.staffed += delta;
  };

  const makeFree = (agent: Agent) => {
    const office = agent.office;
    agent.state = FREE;
    agent.stamp++;
    agent.operator.idleSince = now * 1000;
    office.freeAgents.push(agent);
    office.freeStamps.push(agent.stamp);
    office.free++;
    totalFree++;
  };

  const leaveFree = (agent: Agent, next: number) => {
    agent.state = next;
    agent.stamp++;
    agent.office.free--;
    totalFree--;
  };

  const onDuty = (office: OfficeRt) => (office.draining > 0 ? Math.max(office.scheduled, office.atClose) : office.scheduled);

  const applyStaffing = (office: OfficeRt) => {
    const duty = onDuty(office);
    for (const agent of office.agents) {
      if (agent.index < duty) {
        if (agent.state === OFFLINE) {
          setSignedIn(office, 1);
          makeFree(agent);
        }
      } else if (agent.state === FREE) {
        leaveFree(agent, OFFLINE);
        setSignedIn(office, -1);
      }
    }
  };

  /** The first `count` free agents by idle time, plus any tied with the last one. */
  const freeAgentsOf = (office: OfficeRt, count: number, into: Agent[]) => {
    const list = office.freeAgents;
    const stamps = office.freeStamps;
    let taken = 0;
    let lastIdle = Number.NaN;
    for (let i = office.freeHead; i < list.length; i++) {
      const agent = list[i]!;
      if (agent.state !== FREE || agent.stamp !== stamps[i]) {
        if (i === office.freeHead) office.freeHead++;
        continue;
      }
      if (taken >= count && agent.operator.idleSince !== lastIdle) break;
      into.push(agent);
      lastIdle = agent.operator.idleSince;
      taken++;
    }
    if (office.freeHead > 1024 && office.freeHead * 2 > list.length) {
      office.freeAgents = list.slice(office.freeHead);
      office.freeStamps = stamps.slice(office.freeHead);
      office.freeHead = 0;
    }
  };

  // --- queue ------------------------------------------------------------------

  const leaveQueue = (contact: Contact, state: number, restaff: OfficeRt[]) => {
    const home = contact.home;
    contact.state = state;
    if (--home.state.waiting === 0) {
      // Swap-remove from the offices with a queue.
      const last = queued.pop()!;
      if (last !== home) {
        queued[home.queuedAt] = last;
        last.queuedAt = home.queuedAt;
      }
      home.queuedAt = -1;
    }
    totalWaiting--;
    if (contact.drain) {
      contact.drain = false;
      if (--home.draining === 0) restaff.push(home);
    }
    const queue = home.queue;
    while (home.head < queue.length && queue[home.head]!.state !== WAITING) home.head++;
    if (home.head > 4096 && home.head * 2 > queue.length) {
      home.queue = queue.slice(home.head);
      home.head = 0;
    }
  };

  const close = (office: OfficeRt, previousDuty: number) => {
    // Contacts queued now are served by the agents on duty, even after closing time.
    office.atClose = office.draining > 0 ? Math.max(office.atClose, previousDuty) : previousDuty;
    for (let i = office.head; i < office.queue.length; i++) {
      const c = office.queue[i]!;
      if (c.state === WAITING && !c.drain) {
        c.drain = true;
        office.draining++;
      }
    }
  };

  // --- matching ---------------------------------------------------------------

  const items: RoutingItem[] = [];
  /** The contact behind each item, and the agent behind each operator (same positions). */
  const passed: Contact[] = [];
  const operators: RoutingOperator[] = [];
  const picked: Agent[] = [];
  const need = new Array<number>(offices.length).fill(0);
  /** Offices whose free agents are wanted in this pass (need > 0). */
  const needing: OfficeRt[] = [];
  const addNeed = (office: OfficeRt) => {
    if (need[office.index]!++ === 0) needing.push(office);
  };
  const restaff: OfficeRt[] = [];

  /** Adds the contacts of `office` that could be matched now. */
  const collect = (office: OfficeRt, nowMs: number) => {
    const own = office.free;
    const queue = office.queue;
    const routes = office.routes;
    // What the routes to partners with a free agent (and room under the cap) could offer.
    let partnerRoom = 0;
    let minAfter = Number.POSITIVE_INFINITY;
    let anyTime = false;
    if (routes.length > 0) {
      const s = office.state;
      const queueOver = s.thresholds.maxQueue !== null && s.waiting > s.thresholds.maxQueue;
      const waitOver = s.thresholds.maxWaitSeconds !== null && estimatedWaitSeconds(s.waiting, s.staffed, s.handleSeconds) > s.thresholds.maxWaitSeconds;
      for (let k = 0; k < routes.length; k++) {
        const route = routes[k]!;
        const partner = office.routeTargets[k]!;
        if (partner.free === 0) continue;
        const capRoom = route.cap === null ? partner.free : Math.min(partner.free, route.cap - (office.atPartner.get(partner.def.id) ?? 0));
        if (capRoom <= 0) continue;
        partnerRoom += capRoom;
        const when = route.when;
        if ((!s.open && when.includes('closed')) || (queueOver && when.includes('queue')) || (waitOver && when.includes('wait'))) anyTime = true;
        else if (when.includes('wait')) minAfter = Math.min(minAfter, route.afterSeconds);
      }
    }
    if (own === 0 && partnerRoom === 0) return;
    let ownLeft = own;
    let room: Map<string, number> | null = null;
    let atPartner: Map<string, number> | null = null;
    let partnerLeft = partnerRoom;
    for (let i = office.head; i < queue.length && (ownLeft > 0 || partnerLeft > 0); i++) {
      const c = queue[i]!;
      if (c.state !== WAITING) continue;
      // Contacts behind this one have waited less: no `wait` route opens for them either.
      if (ownLeft === 0 && !anyTime && (nowMs - c.enqueuedAt) / 1000 < minAfter) break;
      // With an own agent free the contact goes to it (own office first): no partner needed.
      let partners = NOBODY;
      if (ownLeft === 0) {
        if (room === null || atPartner === null) {
          // Free agents left at each partner under the cap, and the cap as the policy sees it:
          // contacts at the partner plus those offered to it in this pass.
          room = office.room;
          atPartner = office.atPartnerScratch;
          room.clear();
          atPartner.clear();
          for (const [id, n] of office.atPartner) atPartner.set(id, n);
          routes.forEach((route, k) => {
            const partner = office.routeTargets[k]!;
            const capRoom = route.cap === null ? partner.free : Math.min(partner.free, route.cap - (atPartner!.get(partner.def.id) ?? 0));
            room!.set(partner.def.id, Math.max(0, capRoom));
          });
        }
        const left = room;
        const chosen = overflowOfficesFor(c, office.state, routes, states, atPartner, nowMs).filter((id) => left.get(id)! > 0);
        for (const id of chosen) {
          left.set(id, left.get(id)! - 1);
          atPartner.set(id, (atPartner.get(id) ?? 0) + 1);
          partnerLeft--;
          addNeed(byId.get(id)!);
        }
        if (chosen.length === 0) continue;
        partners = chosen;
      } else ownLeft--;
      addNeed(office);
      passed.push(c);
      items.push(partners === NOBODY ? c : { id: c.id, officeId: c.officeId, channel: c.channel, topic: c.topic, language: null, priority: c.priority, enqueuedAt: c.enqueuedAt, overflowOfficeIds: partners, refusedBy: NOBODY });
    }
  };

  /** Offices whose queues the current decision point looks at, deduplicated by a stamp. */
  const scoped: OfficeRt[] = [];
  let scopeStamp = 0;
  const addScope = (office: OfficeRt) => {
    if (office.scopeStamp === scopeStamp) return;
    office.scopeStamp = scopeStamp;
    scoped.push(office);
  };
  /** The office and, in the network, those routing to it (it may have become reachable for them). */
  const addWithInbound = (office: OfficeRt) => {
    addScope(office);
    if (network) for (const from of office.inbound) addScope(from);
  };

  /**
   * Matches until no free agent can take a waiting contact. Only the queues an event can have made
   * matchable are looked at: `scope` (null: all), plus, with `inbound`, the offices routing to it.
   * A matching pass that answers contacts of an office lowers its queue, which can open it as a
   * partner, so the offices routing to it are looked at in the next pass. `exhaustive` looks at
   * every queue at every decision (same result, slower: kept to test that).
   */
  const dispatch = (scope: OfficeRt | null, inbound: boolean) => {
    const nowMs = now * 1000;
    scopeStamp++;
    scoped.length = 0;
    if (scope !== null && !exhaustive) {
      if (inbound) addWithInbound(scope);
      else addScope(scope);
    }
    for (;;) {
      if (totalFree === 0 || totalWaiting === 0) return;
      items.length = 0;
      passed.length = 0;
      if (scope === null || exhaustive) for (const office of queued) collect(office, nowMs);
      else for (const office of scoped) if (office.state.waiting > 0) collect(office, nowMs);
      if (items.length === 0) return;
      operators.length = 0;
      picked.length = 0;
      for (const office of needing) {
        const n = need[office.index]!;
        need[office.index] = 0;
        freeAgentsOf(office, Math.min(n, office.free), picked);
      }
      needing.length = 0;
      for (const agent of picked) operators.push(agent.operator);
      const offers = planOffers(items, operators, nowMs);
      if (offers.length === 0) return;
      for (const offer of offers) {
        let i = 0;
        while (items[i]!.id !== offer.itemId) i++;
        let j = 0;
        while (operators[j]!.id !== offer.operatorId) j++;
        start(passed[i]!, picked[j]!, restaff);
        if (network) addWithInbound(passed[i]!.home);
      }
      while (restaff.length > 0) applyStaffing(restaff.pop()!);
    }
  };

  const start = (contact: Contact, agent: Agent, restaffing: OfficeRt[]) => {
    const home = contact.home;
    const office = agent.office;
    leaveQueue(contact, SERVED, restaffing);
    leaveFree(agent, BUSY);
    agent.serving = contact;
    const wait = now - contact.arrival;
    const c = home.counters;
    c.answered++;
    c.answeredWaitSeconds += wait;
    if (wait <= target) c.answeredInTarget++;
    if (office !== home) {
      c.overflowOut++;
      office.counters.overflowIn++;
      const atPartner = (home.atPartner.get(office.def.id) ?? 0) + 1;
      home.atPartner.set(office.def.id, atPartner);
      const pair = `${home.def.id}→${office.def.id}`;
      if (atPartner > (peakAtPartner.get(pair) ?? 0)) peakAtPartner.set(pair, atPartner);
    }
    office.counters.busySeconds += contact.handle;
    heap.push(now + contact.handle, agent.endEvent);
  };

  // --- arrivals ---------------------------------------------------------------

  const master = mulberry32(scenario.seed);
  const streams: Stream[] = scenario.arrivals.map((a) => {
    // Seeds drawn in scenario order, so adding a stream at the end leaves the others unchanged.
    const random = mulberry32(Math.floor(master() * 4294967296));
    const office = byId.get(a.office)!;
    const stream: Stream = {
      office,
      topic: a.topic,
      random,
      pieces: ratePieces(a.perHour, a.profile, office.def),
      handle: samplerOf(office.def.handle),
      patience: scenario.patience ? samplerOf(scenario.patience) : null,
      piece: 0,
      day: 0,
      time: 0,
      event: undefined as unknown as SimEvent,
    };
    (stream as { event: SimEvent }).event = { kind: 'arrival', stream };
    return stream;
  });

  /** Time of the stream's next arrival (inverting the integrated rate), or +∞ after the last day. */
  const nextArrival = (s: Stream): number => {
    let remaining = -Math.log(1 - s.random());
    let t = s.time;
    for (;;) {
      const piece = s.pieces[s.piece]!;
      const pieceEnd = s.day * DAY_SECONDS + piece.to;
      if (piece.rate > 0) {
        const available = (pieceEnd - t) * piece.rate;
        if (remaining <= available) {
          t += remaining / piece.rate;
          break;
        }
        remaining -= available;
      }
      s.piece++;
      if (s.piece === s.pieces.length) {
        s.piece = 0;
        s.day++;
      }
      t = s.day * DAY_SECONDS + s.pieces[s.piece]!.from;
      if (t >= end) return Number.POSITIVE_INFINITY;
    }
    s.time = t;
    return t < end ? t : Number.POSITIVE_INFINITY;
  };

  /**
   * When the policy, computing in milliseconds, sees the contact as having waited `after` seconds:
   * `now + after` can fall a rounding error short of it, and the timer would then open nothing.
   */
  const timerTime = (contact: Contact, after: number): number => {
    let t = now + after;
    while ((t * 1000 - contact.enqueuedAt) / 1000 < after) t += Math.max(Number.MIN_VALUE, Math.abs(t) * Number.EPSILON);
    return t;
  };

  const arrive = (s: Stream) => {
    const home = s.office;
    const handle = s.handle(s.random);
    const patience = s.patience ? s.patience(s.random) : Number.POSITIVE_INFINITY;
    const contact: Contact = {
      id: String(contactSeq++),
      officeId: home.def.id,
      channel: 'phone',
      topic: s.topic,
      language: null,
      priority: 0,
      enqueuedAt: now * 1000,
      overflowOfficeIds: NOBODY,
      refusedBy: NOBODY,
      home,
      arrival: now,
      handle,
      state: WAITING,
      drain: false,
    };
    home.queue.push(contact);
    if (home.state.waiting++ === 0) {
      home.queuedAt = queued.length;
      queued.push(home);
    }
    totalWaiting++;
    home.counters.offered++;
    const next = nextArrival(s);
    if (next < Number.POSITIVE_INFINITY) heap.push(next, s.event);
    dispatch(home, false);
    // Timers only for a contact left waiting: most are answered at once under light load.
    if (contact.state !== WAITING) return;
    if (patience < Number.POSITIVE_INFINITY) heap.push(now + patience, { kind: 'patience', contact });
    for (const after of home.timers) heap.push(timerTime(contact, after), { kind: 'timer', contact });
  };

  // --- schedule -----------------------------------------------------------------

  const enterBreakpoint = (office: OfficeRt, open: boolean, agents: number) => {
    const previousDuty = onDuty(office);
    const wasOpen = office.state.open;
    office.state.open = open;
    office.scheduled = agents;
    if (wasOpen && !open) close(office, previousDuty);
    applyStaffing(office);
  };

  for (const office of offices) {
    const first = office.breakpoints[0]!;
    office.state.open = first.open;
    office.scheduled = first.agents;
    applyStaffing(office);
    if (office.breakpoints.length > 1) heap.push(office.breakpoints[1]!.second, { kind: 'schedule', office, breakpoint: 1, day: 0 });
  }
  for (const s of streams) {
    const first = nextArrival(s);
    if (first < Number.POSITIVE_INFINITY) heap.push(first, s.event);
  }
  heap.push(end, { kind: 'finish' });

  // --- main loop ------------------------------------------------------------------

  while (heap.size > 0) {
    now = heap.peekTime();
    const event = heap.pop()!;
    events++;
    let scope: OfficeRt | null = null;
    let inbound = true;
    switch (event.kind) {
      case 'arrival':
        arrive(event.stream);
        continue;
      case 'end': {
        const agent = event.agent;
        scope = agent.office;
        const contact = agent.serving!;
        agent.serving = null;
        if (agent.office !== contact.home) contact.home.atPartner.set(agent.office.def.id, contact.home.atPartner.get(agent.office.def.id)! - 1);
        if (agent.index < onDuty(agent.office)) makeFree(agent);
        else {
          agent.state = OFFLINE;
          setSignedIn(agent.office, -1);
        }
        break;
      }
      case 'patience':
        if (event.contact.state !== WAITING) continue;
        event.contact.home.counters.abandoned++;
        leaveQueue(event.contact, ABANDONED, restaff);
        while (restaff.length > 0) applyStaffing(restaff.pop()!);
        // On its own an office gains nothing from a departure; in the network a partner may stop being saturated.
        if (!network) continue;
        scope = event.contact.home;
        break;
      case 'timer':
        if (event.contact.state !== WAITING) continue;
        scope = event.contact.home;
        inbound = false;
        break;
      case 'schedule': {
        const { office, breakpoint, day } = event;
        const bp = office.breakpoints[breakpoint]!;
        scope = office;
        enterBreakpoint(office, bp.open, bp.agents);
        const nextIndex = (breakpoint + 1) % office.breakpoints.length;
        const nextDay = nextIndex === 0 ? day + 1 : day;
        const at = nextDay * DAY_SECONDS + office.breakpoints[nextIndex]!.second;
        if (at < end) heap.push(at, { kind: 'schedule', office, breakpoint: nextIndex, day: nextDay });
        break;
      }
      case 'finish':
        for (const office of offices) enterBreakpoint(office, false, 0);
        break;
    }
    dispatch(scope, inbound);
  }

  for (const office of offices) {
    // Nobody will ever answer these: they hang up in the end.
    for (let i = office.head; i < office.queue.length; i++) if (office.queue[i]!.state === WAITING) office.counters.abandoned++;
    setSignedIn(office, 0);
  }
  return { overflow: network, officeIds: offices.map((o) => o.def.id), counters: offices.map((o) => o.counters), events, peakAtPartner };
}
