import type { Actor } from '../../platform/actor.js';
import { canManageNetwork, canManageOrganisation } from '../../platform/policy.js';

/** What an administrator may do with one user account. */
export interface UserAdminRights {
  /** See the account (name, e-mail, state) and the roles in `roleOrganisations`. */
  read: boolean;
  /** Rename, deactivate, reset the password: only the organisation that created the account, or a coordinator. */
  account: boolean;
  /** Whose roles the administrator sees: 'all' for a network coordinator, else the organisations they administer. */
  roleOrganisations: 'all' | ReadonlySet<string>;
}

export interface ManagedUserFacts {
  homeOrganisationId: string | null;
  /** Organisations the user joined: created there, accepted an invitation, or added by a coordinator. */
  memberOrganisationIds: readonly string[];
  /** The user is a network coordinator: only another coordinator manages such an account. */
  isCoordinator: boolean;
}

/**
 * An organisation's administrator manages only its members: the accounts it created (the whole
 * account) and the users who accepted its invitation (their roles there, not their account). A role
 * given in one's own organisation never reaches a user of another body by itself (issue 9, point 2).
 */
export function userAdminRights(actor: Actor, user: ManagedUserFacts): UserAdminRights {
  const administered = administeredOrganisations(actor);
  if (administered === 'all') return { read: true, account: true, roleOrganisations: 'all' };
  const home = user.homeOrganisationId !== null && administered.has(user.homeOrganisationId);
  const member = user.memberOrganisationIds.some((id) => administered.has(id));
  return { read: home || member, account: home && !user.isCoordinator, roleOrganisations: administered };
}

/** Every organisation for a network coordinator, else those where the actor is an administrator. */
export function administeredOrganisations(actor: Actor): 'all' | ReadonlySet<string> {
  if (canManageNetwork(actor)) return 'all';
  return new Set(actor.grants.filter((g) => g.role === 'org_admin' && canManageOrganisation(actor, g.organisationId)).map((g) => g.organisationId));
}
