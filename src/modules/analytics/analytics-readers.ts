/**
 * Who reads analytics (issue 14), said once: the analysts and the network coordination read the
 * whole network; a body's own figures (its forecast, its staffing) are also its members'.
 */
import type { Actor } from '../../platform/actor.js';
import { canManageNetwork, hasPermission } from '../../platform/policy.js';

/** Analysts and the network coordination: the whole network's analytics. */
export function readsNetworkAnalytics(actor: Actor): boolean {
  return canManageNetwork(actor) || hasPermission(actor, 'analytics:read');
}

/** A member of the body holds a role in it. */
export function isMemberOf(actor: Actor, organisationId: string): boolean {
  return actor.grants.some((g) => g.organisationId === organisationId);
}

/** A body's forecasts and staffing: its members, the analysts and the coordination. */
export function readsBodyAnalytics(actor: Actor, organisationId: string): boolean {
  return readsNetworkAnalytics(actor) || isMemberOf(actor, organisationId);
}
