import type { Database } from '../../db/database.js';
import type { Actor, Role } from '../../platform/actor.js';
import { isUniqueViolation } from '../../platform/errors.js';
import type { Trx } from '../../platform/http.js';
import { canManageOrganisation } from '../../platform/policy.js';
import { identityErrors as errors } from './identity.errors.js';
import * as repo from './identity.repository.js';
import { assertCanManageOrganisation, ORGANISATION_WIDE_ROLES, requireRolePlace } from './identity.service.js';
import * as invitations from './invitations.repository.js';

export type { Invitation } from './invitations.repository.js';

/**
 * An organisation's administrator invites someone by e-mail to a role there. Nothing changes for the
 * invited user until they accept: this is how a user of one body joins another (issue 9, point 2).
 * The address need not have an account yet: the invitation waits for it.
 */
export async function inviteMember(
  trx: Trx,
  actor: Actor,
  input: { organisationId: string; email: string; role: Role; officeId: string | null },
): Promise<invitations.Invitation> {
  assertCanManageOrganisation(actor, input.organisationId);
  if (input.officeId !== null && ORGANISATION_WIDE_ROLES.includes(input.role)) throw errors.roleNeedsOrganisationScope({ role: input.role });
  await requireRolePlace(trx, input.organisationId, input.officeId);
  const email = input.email.trim();
  const existing = await repo.findUserByEmail(trx, email);
  if (existing && (await repo.isMember(trx, existing.id, input.organisationId))) throw errors.alreadyMember();
  try {
    return await invitations.insertInvitation(trx, { organisationId: input.organisationId, email, role: input.role, officeId: input.officeId, invitedBy: actor.userId });
  } catch (err) {
    if (isUniqueViolation(err, 'organisation_invitations_pending_idx')) throw errors.invitationPending();
    throw err;
  }
}

export async function listInvitations(db: Database, actor: Actor, organisationId: string): Promise<invitations.Invitation[]> {
  assertCanManageOrganisation(actor, organisationId);
  return invitations.listInvitationsOfOrganisation(db, organisationId);
}

/** Withdraws a pending invitation; someone outside the inviting organisation learns nothing about it. */
export async function revokeInvitation(trx: Trx, actor: Actor, id: string, now: Date): Promise<void> {
  const found = await invitations.findInvitation(trx, id);
  if (!found || !canManageOrganisation(actor, found.organisationId)) throw errors.invitationNotFound();
  if (!(await invitations.answerInvitation(trx, id, 'revoked', actor.userId, now))) throw errors.invitationAnswered({ status: found.status });
}

/** The caller's pending invitations (matched on the account's e-mail address). */
export function myInvitations(db: Database, actor: Actor): Promise<invitations.Invitation[]> {
  return invitations.listPendingForEmail(db, actor.email);
}

/**
 * The invited user accepts (joins the organisation with the invited role) or declines. Only from a
 * signed-in session: an API token acts for integrations, not for the person's own memberships.
 */
export async function answerInvitation(trx: Trx, actor: Actor, id: string, answer: 'accept' | 'decline', now: Date): Promise<invitations.Invitation> {
  if (actor.via !== 'session') throw errors.invitationNeedsSession();
  const found = await invitations.findInvitation(trx, id);
  if (!found || found.email.toLowerCase() !== actor.email.toLowerCase()) throw errors.invitationNotFound();
  if (!(await invitations.answerInvitation(trx, id, answer === 'accept' ? 'accepted' : 'declined', actor.userId, now))) throw errors.invitationAnswered({ status: found.status });
  if (answer === 'accept') {
    await repo.addMember(trx, { userId: actor.userId, organisationId: found.organisationId, joinedVia: 'invitation', invitationId: found.id });
    await repo.insertGrant(trx, { userId: actor.userId, role: found.role, organisationId: found.organisationId, officeId: found.officeId, createdBy: found.invitedBy });
  }
  return (await invitations.findInvitation(trx, id))!;
}
