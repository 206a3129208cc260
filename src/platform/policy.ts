import type { Actor, Role, TokenScope } from './actor.js';
import { TICKET_ROLES } from './actor.js';

/**
 * Declarative authorisation. Every route declares an `access` rule; resource checks go through
 * `can(actor, action, resource)`. Ticket-level rules live with the tickets module but use the
 * same scope computed here.
 */
export type Access =
  | { kind: 'public' }
  /** Any signed-in member; a token only when it holds one of `tokenScopes` (none: sessions only). */
  | { kind: 'authenticated'; tokenScopes: readonly TokenScope[] }
  | { kind: 'permission'; permission: Permission };

export type Permission = 'tickets:read' | 'tickets:write' | 'org:manage' | 'network:manage' | 'analytics:read';

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  operator: ['tickets:read', 'tickets:write'],
  back_office: ['tickets:read', 'tickets:write'],
  supervisor: ['tickets:read', 'tickets:write'],
  org_admin: ['org:manage'],
  network_coordinator: ['network:manage', 'org:manage'],
  analyst: ['analytics:read'],
};

const SCOPE_PERMISSIONS: Record<TokenScope, readonly Permission[]> = {
  'tickets:read': ['tickets:read'],
  'tickets:write': ['tickets:read', 'tickets:write'],
  admin: ['org:manage', 'network:manage'],
  profile: [],
  notifications: [],
  'faq:feedback': [],
  routing: [],
  cti: [],
};

/** A scope also satisfies the scopes it includes: writing tickets includes reading them. */
const SCOPE_INCLUDES: Partial<Record<TokenScope, readonly TokenScope[]>> = { 'tickets:write': ['tickets:read'] };

export const access = {
  public: { kind: 'public' } as Access,
  /** Any signed-in member through a session; API tokens are refused. */
  authenticated: { kind: 'authenticated', tokenScopes: [] } as Access,
  /** Any signed-in member through a session, or a token holding one of the scopes. */
  authenticatedWith: (...tokenScopes: TokenScope[]): Access => ({ kind: 'authenticated', tokenScopes }),
  permission: (permission: Permission): Access => ({ kind: 'permission', permission }),
};

/** Sessions pass; a token passes when one of its scopes is, or includes, one of the route's. */
export function tokenMayUse(actor: Actor, routeScopes: readonly TokenScope[]): boolean {
  if (actor.scopes === null) return true;
  return actor.scopes.some((s) => routeScopes.includes(s) || (SCOPE_INCLUDES[s] ?? []).some((included) => routeScopes.includes(included)));
}

function scopeAllows(actor: Actor, permission: Permission): boolean {
  if (actor.scopes === null) return true;
  return actor.scopes.some((s) => SCOPE_PERMISSIONS[s].includes(permission));
}

/** True when some role of the actor (anywhere) grants the permission. */
export function hasPermission(actor: Actor, permission: Permission): boolean {
  return scopeAllows(actor, permission) && actor.grants.some((g) => ROLE_PERMISSIONS[g.role].includes(permission));
}

/**
 * The offices and organisations whose tickets an actor may work on: office-level ticket roles give
 * that office; organisation-wide ticket roles give every office of the organisation.
 */
export interface TicketScope {
  readonly officeIds: readonly string[];
  readonly organisationIds: readonly string[];
}

export function ticketScope(actor: Actor, permission: 'tickets:read' | 'tickets:write' = 'tickets:read'): TicketScope {
  if (!scopeAllows(actor, permission)) return { officeIds: [], organisationIds: [] };
  const officeIds = new Set<string>();
  const organisationIds = new Set<string>();
  for (const g of actor.grants) {
    if (!TICKET_ROLES.includes(g.role)) continue;
    if (g.officeId) officeIds.add(g.officeId);
    else organisationIds.add(g.organisationId);
  }
  return { officeIds: [...officeIds], organisationIds: [...organisationIds] };
}

export function scopeIncludes(scope: TicketScope, ticket: { officeId: string; organisationId: string }): boolean {
  return scope.officeIds.includes(ticket.officeId) || scope.organisationIds.includes(ticket.organisationId);
}

/** Organisations the actor administers (org_admin there), or every one for a network coordinator. */
export function canManageOrganisation(actor: Actor, organisationId: string): boolean {
  if (!scopeAllows(actor, 'org:manage')) return false;
  return actor.grants.some(
    (g) => g.role === 'network_coordinator' || (g.role === 'org_admin' && g.organisationId === organisationId),
  );
}

export function canManageNetwork(actor: Actor): boolean {
  return hasPermission(actor, 'network:manage');
}

/** Supervisors manage their office's settings (hours, closures); org admins any office of theirs. */
export function canManageOffice(actor: Actor, office: { id: string; organisationId: string }): boolean {
  if (canManageOrganisation(actor, office.organisationId)) return true;
  if (!scopeAllows(actor, 'tickets:write')) return false;
  return actor.grants.some(
    (g) => g.role === 'supervisor' && g.organisationId === office.organisationId && (g.officeId === null || g.officeId === office.id),
  );
}
