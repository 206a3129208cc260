/**
 * When a waiting item may also go to partner offices (overflow), and to which. Pure: the database
 * router and the simulator hand it the offices' state as they see it and get back the partner
 * offices whose operators may take the item now. The item stays in its own office's queue (its own
 * operators keep first call on it) and its ticket stays with the owning organisation.
 *
 * A route (from a network agreement of kind `overflow`, or a scenario's `overflowTo`) opens when:
 * - `closed`: the item's office is closed now (hours, holidays, patron saint, closures);
 * - `queue`: the office has more than `maxQueue` items waiting;
 * - `wait`: the item has waited `afterSeconds`, or the office's estimated wait already exceeds
 *   `maxWaitSeconds` (no point making the citizen wait the threshold out first).
 * It leads only to a partner that is open, not saturated itself, and below the route's cap (items of
 * this office waiting at or being handled by the partner), so no partner drowns.
 */
import type { RoutingItem } from './routing-policy.js';

export const OVERFLOW_TRIGGERS = ['closed', 'queue', 'wait'] as const;
export type OverflowTrigger = (typeof OVERFLOW_TRIGGERS)[number];

export interface OverflowRoute {
  readonly toOfficeId: string;
  /** Seconds an item waits before the `wait` trigger opens the route. */
  readonly afterSeconds: number;
  /** Taxonomy codes the route carries (prefixes); empty = every topic. */
  readonly topics: readonly string[];
  /** At most this many items of the source office at the partner at once; null = no cap. */
  readonly cap: number | null;
  readonly when: readonly OverflowTrigger[];
}

export interface OfficeThresholds {
  /** More waiting items than this opens `queue` routes; null = never. */
  readonly maxQueue: number | null;
  /** An estimated wait above this opens `wait` routes at once; null = only `afterSeconds`. */
  readonly maxWaitSeconds: number | null;
}

export interface OfficeState {
  readonly officeId: string;
  readonly open: boolean;
  /** Items waiting in the office's own queue. */
  readonly waiting: number;
  /** Operators signed in and not on break or offline (available, busy, after-contact work). */
  readonly staffed: number;
  /** Mean handle time, seconds (for the wait estimate). */
  readonly handleSeconds: number;
  readonly thresholds: OfficeThresholds;
}

/**
 * Expected wait of the item at `position` (1 = next) in a queue served by `staffed` operators:
 * each operator frees a place every `handleSeconds` on average. Infinite when nobody is staffed.
 */
export function estimatedWaitSeconds(position: number, staffed: number, handleSeconds: number): number {
  if (position <= 0) return 0;
  if (staffed <= 0) return Number.POSITIVE_INFINITY;
  return (position * handleSeconds) / staffed;
}

/** True when the office takes no more overflow: closed, queue over its limit, or wait over its limit. */
export function isSaturated(office: OfficeState): boolean {
  if (!office.open) return true;
  const { maxQueue, maxWaitSeconds } = office.thresholds;
  if (maxQueue !== null && office.waiting > maxQueue) return true;
  if (maxWaitSeconds !== null && estimatedWaitSeconds(office.waiting, office.staffed, office.handleSeconds) > maxWaitSeconds) return true;
  return false;
}

function routeCarries(route: OverflowRoute, topic: string | null): boolean {
  if (route.topics.length === 0) return true;
  if (!topic) return false;
  return route.topics.some((t) => topic === t || topic.startsWith(`${t}.`));
}

/** Which triggers hold now for an item of `home`. */
export function activeTriggers(item: Pick<RoutingItem, 'enqueuedAt'>, home: OfficeState, now: number, afterSeconds: number): Set<OverflowTrigger> {
  const active = new Set<OverflowTrigger>();
  if (!home.open) active.add('closed');
  if (home.thresholds.maxQueue !== null && home.waiting > home.thresholds.maxQueue) active.add('queue');
  const waited = (now - item.enqueuedAt) / 1000;
  const estimate = estimatedWaitSeconds(home.waiting, home.staffed, home.handleSeconds);
  if (waited >= afterSeconds || (home.thresholds.maxWaitSeconds !== null && estimate > home.thresholds.maxWaitSeconds)) active.add('wait');
  return active;
}

/**
 * The partner offices that may take `item` now. `atPartner` counts, per partner office, the items of
 * the home office already there (waiting for or held by its operators): the cap applies to them.
 */
export function overflowOfficesFor(
  item: Pick<RoutingItem, 'enqueuedAt' | 'topic'>,
  home: OfficeState,
  routes: readonly OverflowRoute[],
  partners: ReadonlyMap<string, OfficeState>,
  atPartner: ReadonlyMap<string, number>,
  now: number,
): string[] {
  const chosen: string[] = [];
  for (const route of routes) {
    if (route.toOfficeId === home.officeId || chosen.includes(route.toOfficeId)) continue;
    if (!routeCarries(route, item.topic)) continue;
    const partner = partners.get(route.toOfficeId);
    if (!partner || isSaturated(partner)) continue;
    if (route.cap !== null && (atPartner.get(route.toOfficeId) ?? 0) >= route.cap) continue;
    const active = activeTriggers(item, home, now, route.afterSeconds);
    if (route.when.some((t) => active.has(t))) chosen.push(route.toOfficeId);
  }
  return chosen;
}
