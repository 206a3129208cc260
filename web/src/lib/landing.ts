import type { Membership, Role } from '../api/types.js';
import { hasRole } from './session.js';

/** Roles that work on tickets: their home is the office inbox. */
export const TICKET_ROLES: readonly Role[] = ['operator', 'back_office', 'supervisor'];

/**
 * The page a user lands on: one they can use with their roles, never an error. Ticket workers get
 * the inbox, organisation administrators the administration, the network coordinator the shared
 * FAQ editorial board, analysts the FAQ analytics. The first matching role wins.
 */
export function landingPath(memberships: readonly Membership[]): string {
  if (hasRole(memberships, TICKET_ROLES)) return '/';
  if (hasRole(memberships, ['org_admin'])) return '/admin';
  if (hasRole(memberships, ['network_coordinator'])) return '/faq/redazione';
  if (hasRole(memberships, ['analyst'])) return '/faq/lacune';
  return '/taxonomia';
}
