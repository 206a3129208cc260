import type { Membership, Role } from '../api/types.js';

/** Roles that work on tickets: their home is the office inbox. */
export const TICKET_ROLES: readonly Role[] = ['operator', 'back_office', 'supervisor'];

export const has = (memberships: readonly Membership[], roles: readonly Role[]): boolean => memberships.some((m) => roles.includes(m.role));

/**
 * The page a user lands on: one they can use with their roles, never an error. Ticket workers get
 * the inbox, organisation administrators the administration, the network coordinator the shared
 * FAQ editorial board, analysts the FAQ analytics. The first matching role wins.
 */
export function landingPath(memberships: readonly Membership[]): string {
  if (has(memberships, TICKET_ROLES)) return '/';
  if (has(memberships, ['org_admin'])) return '/admin';
  if (has(memberships, ['network_coordinator'])) return '/faq/redazione';
  if (has(memberships, ['analyst'])) return '/faq/lacune';
  return '/taxonomia';
}
