/**
 * Who may do what in the FAQ editorial workflow. Pure.
 *
 * - Organisation FAQs: the organisation's supervisors and org admins create, edit, submit, publish,
 *   reject, archive and adopt network FAQs; its operators and back-office staff propose drafts
 *   (create, edit their own unpublished drafts, submit them). Every staff member of the
 *   organisation reads its unpublished FAQs; other organisations only see published ones.
 * - Network FAQs: the network editorial board (network coordinators) authors and publishes them;
 *   coordinators also read every unpublished FAQ.
 * - API tokens write only with the `admin` scope.
 */
import type { Actor, Role } from '../../platform/actor.js';

export interface FaqAccessSubject {
  scope: 'network' | 'organisation';
  organisationId: string | null;
  createdBy: string | null;
  status: string;
  /** Has this article ever been published (so it is no longer a private proposal)? */
  everPublished: boolean;
}

const AUTHOR_ROLES: readonly Role[] = ['supervisor', 'org_admin'];
const PROPOSER_ROLES: readonly Role[] = ['operator', 'back_office', 'supervisor', 'org_admin'];

function writes(actor: Actor): boolean {
  return actor.scopes === null || actor.scopes.includes('admin');
}

function hasRole(actor: Actor, roles: readonly Role[], organisationId: string | null): boolean {
  return actor.grants.some((g) => roles.includes(g.role) && (organisationId === null || g.organisationId === organisationId));
}

export function isEditorialBoard(actor: Actor): boolean {
  return actor.grants.some((g) => g.role === 'network_coordinator');
}

/** Organisations whose unpublished FAQs the actor reads. */
export function readableOrganisations(actor: Actor): string[] {
  return [...new Set(actor.grants.filter((g) => PROPOSER_ROLES.includes(g.role)).map((g) => g.organisationId))];
}

/** Organisations for which the actor authors and publishes FAQs (and adopts network ones). */
export function authoredOrganisations(actor: Actor): string[] {
  if (!writes(actor)) return [];
  return [...new Set(actor.grants.filter((g) => AUTHOR_ROLES.includes(g.role)).map((g) => g.organisationId))];
}

/** May the actor author at all (the editorial page is shown to them)? */
export function canAuthorSomething(actor: Actor): boolean {
  return writes(actor) && (isEditorialBoard(actor) || hasRole(actor, PROPOSER_ROLES, null));
}

export function canRead(actor: Actor, f: FaqAccessSubject): boolean {
  if (f.status === 'published' || isEditorialBoard(actor)) return true;
  if (f.scope === 'organisation') return f.organisationId !== null && readableOrganisations(actor).includes(f.organisationId);
  return f.createdBy === actor.userId;
}

export function canCreate(actor: Actor, scope: 'network' | 'organisation', organisationId: string | null): boolean {
  if (!writes(actor)) return false;
  if (scope === 'network') return isEditorialBoard(actor);
  return organisationId !== null && hasRole(actor, PROPOSER_ROLES, organisationId);
}

/** Publishing, rejecting, archiving, adopting: the organisation's authors, or the board for network FAQs. */
export function canPublish(actor: Actor, f: Pick<FaqAccessSubject, 'scope' | 'organisationId'>): boolean {
  if (!writes(actor)) return false;
  if (f.scope === 'network') return isEditorialBoard(actor);
  return f.organisationId !== null && hasRole(actor, AUTHOR_ROLES, f.organisationId);
}

/** Editing content and submitting: authors, or the proposer of a never-published draft of their organisation. */
export function canEdit(actor: Actor, f: FaqAccessSubject): boolean {
  if (canPublish(actor, f)) return true;
  if (!writes(actor) || f.scope !== 'organisation' || f.organisationId === null) return false;
  return f.createdBy === actor.userId && !f.everPublished && f.status !== 'archived' && hasRole(actor, PROPOSER_ROLES, f.organisationId);
}
