/**
 * The routing decision: which waiting work item goes to which operator. Pure functions over plain
 * snapshots, with no I/O and no clock of their own: the database router (`routing.repository.ts`,
 * rows locked with `FOR UPDATE SKIP LOCKED`) and the discrete-event simulator (`simulation/`) both
 * call `planOffers`, so the simulation measures the production policy and not a model of it.
 *
 * The policy, in the order it is applied:
 * - items are taken by score: priority first (one level is worth `priorityStepSeconds` of waiting),
 *   then ageing (seconds waited), so a low-priority item is never starved;
 * - an item may go to its own office, and to the partner offices it has overflowed to
 *   (`overflow-policy.ts` decides when);
 * - the operator must be available, have a free slot on the item's channel, hold the skill (topic,
 *   language, channel) and not have declined or missed the item before;
 * - voice is exclusive: an operator on a call or callback gets nothing else, and a call goes only to
 *   an operator with no live contact (call, callback or chat) open;
 * - among the operators left, the one idle longest gets it (fairness), ties by id so the choice is
 *   deterministic;
 * - own office first: every item is first matched with its own office's operators, and only what is
 *   left goes to overflow partners, so a partner serves its own callers before overflowed ones.
 */

export const CHANNELS = ['phone', 'callback', 'chat', 'email', 'web'] as const;
export type RoutingChannel = (typeof CHANNELS)[number];

export const PRESENCES = ['available', 'busy', 'after_contact', 'break', 'offline'] as const;
export type Presence = (typeof PRESENCES)[number];

/** Channels that hold the operator's voice: while one is open, nothing else is offered. */
const VOICE: ReadonlySet<RoutingChannel> = new Set(['phone', 'callback']);
/** Channels that count as a live conversation: a call is not offered on top of them. */
const LIVE: ReadonlySet<RoutingChannel> = new Set(['phone', 'callback', 'chat']);

export type ChannelCounts = Readonly<Partial<Record<RoutingChannel, number>>>;

/** What an operator can take at once when nobody configured it (1 call, 3 chats, 6 e-mails). */
export const DEFAULT_CAPACITY: Readonly<Record<RoutingChannel, number>> = { phone: 1, callback: 1, chat: 3, email: 6, web: 6 };

export interface RoutingItem {
  readonly id: string;
  /** The office whose queue holds the item (where the contact arrived). */
  readonly officeId: string;
  readonly channel: RoutingChannel;
  /** Taxonomy code, or null when not classified yet (any topic skill matches). */
  readonly topic: string | null;
  /** ISO 639-1 code, or null (any operator). */
  readonly language: string | null;
  /** 0 (lowest) … 9 (highest). */
  readonly priority: number;
  /** When it entered the queue, milliseconds since the epoch. */
  readonly enqueuedAt: number;
  /** Partner offices whose operators may take it too (decided by the overflow policy). */
  readonly overflowOfficeIds: readonly string[];
  /** Operators who declined or let an offer of this item expire: never offered it again. */
  readonly refusedBy: readonly string[];
}

export interface OperatorSkills {
  /** Taxonomy codes (a code covers its descendants: `ANAG` covers `ANAG.CI`); empty = every topic. */
  readonly topics: readonly string[];
  /** ISO 639-1 codes the operator speaks; empty = Italian only. */
  readonly languages: readonly string[];
  /** Channels the operator works; empty = every channel. */
  readonly channels: readonly RoutingChannel[];
}

export interface RoutingOperator {
  readonly id: string;
  readonly officeId: string;
  readonly presence: Presence;
  /** Since when the operator has had nothing open (ms); the longest idle is served first. */
  readonly idleSince: number;
  readonly skills: OperatorSkills;
  /** Slots per channel; a missing channel falls back to DEFAULT_CAPACITY. */
  readonly capacity: ChannelCounts;
  /** Items offered to or held by the operator now, per channel. */
  readonly load: ChannelCounts;
}

export interface RoutingWeights {
  /** Seconds of waiting one priority level is worth (default 600: priority 5 ≈ 50 minutes ahead). */
  readonly priorityStepSeconds: number;
}

export const DEFAULT_WEIGHTS: RoutingWeights = { priorityStepSeconds: 600 };

export interface PlannedOffer {
  readonly itemId: string;
  readonly operatorId: string;
  /** True when the operator belongs to an overflow partner, not to the item's own office. */
  readonly overflow: boolean;
}

const DEFAULT_LANGUAGE = 'it';

/** The item's place in the queue: higher goes first. */
export function itemScore(item: RoutingItem, now: number, weights: RoutingWeights = DEFAULT_WEIGHTS): number {
  const waited = Math.max(0, now - item.enqueuedAt) / 1000;
  return item.priority * weights.priorityStepSeconds + waited;
}

/** Items in the order they are served: score, then arrival, then id. */
export function queueOrder(items: readonly RoutingItem[], now: number, weights: RoutingWeights = DEFAULT_WEIGHTS): RoutingItem[] {
  return [...items].sort((a, b) => itemScore(b, now, weights) - itemScore(a, now, weights) || a.enqueuedAt - b.enqueuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function capacityOf(operator: RoutingOperator, channel: RoutingChannel): number {
  return operator.capacity[channel] ?? DEFAULT_CAPACITY[channel];
}

function loadOf(load: ChannelCounts, channel: RoutingChannel): number {
  return load[channel] ?? 0;
}

function openOn(load: ChannelCounts, channels: ReadonlySet<RoutingChannel>): number {
  let n = 0;
  for (const c of channels) n += loadOf(load, c);
  return n;
}

/** True when the operator's skills cover the item (topic prefix, language, channel). */
export function hasSkillFor(skills: OperatorSkills, item: Pick<RoutingItem, 'topic' | 'language' | 'channel'>): boolean {
  if (skills.channels.length > 0 && !skills.channels.includes(item.channel)) return false;
  const language = item.language ?? DEFAULT_LANGUAGE;
  if (language !== DEFAULT_LANGUAGE && !skills.languages.includes(language)) return false;
  if (item.topic && skills.topics.length > 0 && !skills.topics.some((t) => item.topic === t || item.topic?.startsWith(`${t}.`))) return false;
  return true;
}

/** True when the operator could take the item now, given what it already holds (`load`). */
export function canTake(operator: RoutingOperator, item: RoutingItem, load: ChannelCounts = operator.load): boolean {
  if (operator.presence !== 'available') return false;
  if (operator.officeId !== item.officeId && !item.overflowOfficeIds.includes(operator.officeId)) return false;
  if (item.refusedBy.includes(operator.id)) return false;
  if (!hasSkillFor(operator.skills, item)) return false;
  if (openOn(load, VOICE) > 0) return false;
  if (VOICE.has(item.channel) && openOn(load, LIVE) > 0) return false;
  return loadOf(load, item.channel) < capacityOf(operator, item.channel);
}

/**
 * The channels on which the operator, holding `load`, could take one more item now (the channel
 * part of `canTake`): none while a call holds their voice, no calls on top of a chat, only the
 * channels they work, below capacity. Kept with the load so routing reads only operators who could
 * take what waits.
 */
export function freeChannels(operator: Pick<RoutingOperator, 'skills' | 'capacity'>, load: ChannelCounts): RoutingChannel[] {
  if (openOn(load, VOICE) > 0) return [];
  const worked = operator.skills.channels.length > 0 ? operator.skills.channels : CHANNELS;
  return worked.filter((c) => loadOf(load, c) < (operator.capacity[c] ?? DEFAULT_CAPACITY[c]) && !(VOICE.has(c) && openOn(load, LIVE) > 0));
}

/**
 * Matches waiting items to available operators: items in queue order, each to the eligible operator
 * idle longest (own office first). Every offer takes one slot, so one pass never gives an operator
 * more than its capacity; an item nobody can take stays waiting and does not block the ones behind.
 */
export function planOffers(
  items: readonly RoutingItem[],
  operators: readonly RoutingOperator[],
  now: number,
  weights: RoutingWeights = DEFAULT_WEIGHTS,
): PlannedOffer[] {
  if (items.length === 0 || operators.length === 0) return [];
  const load = new Map<string, Partial<Record<RoutingChannel, number>>>();
  const idle = new Map<string, number>();
  for (const o of operators) {
    load.set(o.id, { ...o.load });
    idle.set(o.id, o.idleSince);
  }
  // Operators by office: an item looks only at its own office and its overflow partners.
  const byOffice = new Map<string, RoutingOperator[]>();
  for (const o of operators) {
    if (o.presence !== 'available') continue;
    const list = byOffice.get(o.officeId);
    if (list) list.push(o);
    else byOffice.set(o.officeId, [o]);
  }
  const offers: PlannedOffer[] = [];
  const ordered = queueOrder(items, now, weights);
  const offered = new Set<string>();
  // Two sweeps: first every item to its own office's operators, then what is left to overflow
  // partners. A partner's operators thus serve their own callers before anyone else's, however long
  // the overflowed ones waited: overflow uses spare capacity, it does not take it from the partner.
  for (const partners of [false, true]) {
    for (const item of ordered) {
      if (offered.has(item.id)) continue;
      if (partners && item.overflowOfficeIds.length === 0) continue;
      let best: RoutingOperator | null = null;
      let bestKey: [number, string] | null = null;
      const candidates = partners ? item.overflowOfficeIds.flatMap((officeId) => byOffice.get(officeId) ?? []) : (byOffice.get(item.officeId) ?? []);
      for (const o of candidates) {
        const current = load.get(o.id) ?? {};
        if (!canTake(o, item, current)) continue;
        const key: [number, string] = [idle.get(o.id) ?? o.idleSince, o.id];
        if (!bestKey || key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
          best = o;
          bestKey = key;
        }
      }
      if (!best) continue;
      const current = load.get(best.id) ?? {};
      current[item.channel] = loadOf(current, item.channel) + 1;
      load.set(best.id, current);
      // Whoever just got an item is no longer the longest idle: the next one goes to someone else.
      idle.set(best.id, now);
      offered.add(item.id);
      offers.push({ itemId: item.id, operatorId: best.id, overflow: best.officeId !== item.officeId });
    }
  }
  return offers;
}
