/**
 * The identity side of a body leaving the network (issue 11; the use case is sharing's
 * organisation-exit.ts, which also hands its tickets back): the body and its offices become
 * inactive, its people lose it — an account that belongs to no other active body is disabled (its
 * sessions, tokens and streams end: account-deactivation.ts), one that does keeps the account and
 * loses only this membership and its roles here — and its pending invitations are withdrawn.
 * Nothing is deleted: its data stays under its retention policy. What the exit switched off is
 * recorded (organisation_exits), and a coordinator's `rejoin` switches exactly that back on.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import { deactivateAccounts } from './account-deactivation.js';
import * as repo from './identity.repository.js';

type Db = Database | Trx;

export interface MembersExitPlan {
  /** Active accounts that belong to no other active body: disabled. */
  disableUserIds: string[];
  /** Accounts that also belong to another active body: they lose only this membership and its roles. */
  endMembershipUserIds: string[];
  /** Active offices of the body: deactivated. */
  officeIds: string[];
  /** Pending invitations to join the body: withdrawn. */
  pendingInvitations: number;
}

/** Locks the body's row for the exit or return (two coordinators acting at once: one waits). */
export async function lockOrganisation(trx: Trx, organisationId: string): Promise<repo.Organisation | null> {
  await trx.selectFrom('organisations').select('id').where('id', '=', organisationId).forUpdate().executeTakeFirst();
  return repo.findOrganisation(trx, organisationId);
}

/** What leaving would do to the body's people and offices. */
export async function planMembersExit(db: Db, organisationId: string): Promise<MembersExitPlan> {
  // Everyone tied to the body: a member, or holding a role in it.
  const members = await db
    .selectFrom('users as u')
    .select(['u.id', 'u.active'])
    .select((eb) =>
      eb
        .or([
          eb.exists(
            eb.selectFrom('organisation_members as m').innerJoin('organisations as o', 'o.id', 'm.organisation_id')
              .select('m.user_id').whereRef('m.user_id', '=', 'u.id').where('m.organisation_id', '<>', organisationId).where('o.active', '=', true),
          ),
          eb.exists(
            eb.selectFrom('role_grants as g').innerJoin('organisations as o', 'o.id', 'g.organisation_id')
              .select('g.user_id').whereRef('g.user_id', '=', 'u.id').where('g.organisation_id', '<>', organisationId).where('o.active', '=', true),
          ),
        ])
        .as('elsewhere'),
    )
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('organisation_members as m').select('m.user_id').whereRef('m.user_id', '=', 'u.id').where('m.organisation_id', '=', organisationId)),
        eb.exists(eb.selectFrom('role_grants as g').select('g.user_id').whereRef('g.user_id', '=', 'u.id').where('g.organisation_id', '=', organisationId)),
      ]),
    )
    .orderBy('u.id')
    .execute();
  const offices = await db.selectFrom('offices').select('id').where('organisation_id', '=', organisationId).where('active', '=', true).orderBy('id').execute();
  const invitations = await db.selectFrom('organisation_invitations').select((eb) => eb.fn.countAll().as('n')).where('organisation_id', '=', organisationId).where('status', '=', 'pending').executeTakeFirst();
  return {
    disableUserIds: members.filter((m) => !m.elsewhere && m.active).map((m) => m.id),
    endMembershipUserIds: members.filter((m) => m.elsewhere).map((m) => m.id),
    officeIds: offices.map((o) => o.id),
    pendingInvitations: Number(invitations?.n ?? 0),
  };
}

/** Switches the body off as planned (in the exit's transaction) and records what was switched off. */
export async function applyMembersExit(trx: Trx, organisationId: string, plan: MembersExitPlan, input: { actorId: string | null; summary: Record<string, number>; now: Date }): Promise<void> {
  const { now } = input;
  await trx.updateTable('organisations').set((eb) => ({ active: false, version: eb('version', '+', 1), updated_at: now })).where('id', '=', organisationId).execute();
  if (plan.officeIds.length > 0) {
    await trx.updateTable('offices').set((eb) => ({ active: false, version: eb('version', '+', 1), updated_at: now })).where('id', 'in', plan.officeIds).execute();
  }
  if (plan.endMembershipUserIds.length > 0) {
    await trx.deleteFrom('role_grants').where('organisation_id', '=', organisationId).where('user_id', 'in', plan.endMembershipUserIds).execute();
    await trx.deleteFrom('organisation_members').where('organisation_id', '=', organisationId).where('user_id', 'in', plan.endMembershipUserIds).execute();
  }
  // Disabled accounts keep their roles here: the body's return gives them back as they were.
  await deactivateAccounts(trx, plan.disableUserIds, now);
  await trx
    .updateTable('organisation_invitations')
    .set({ status: 'revoked', answered_at: now, answered_by: input.actorId })
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'pending')
    .execute();
  await trx
    .insertInto('organisation_exits')
    .values({
      organisation_id: organisationId, left_at: now, left_by: input.actorId, office_ids: JSON.stringify(plan.officeIds), disabled_user_ids: JSON.stringify(plan.disableUserIds),
      ended_membership_user_ids: JSON.stringify(plan.endMembershipUserIds), summary: JSON.stringify(input.summary),
    })
    .execute();
}

export interface RejoinResult {
  officesReactivated: number;
  usersReactivated: number;
}

/**
 * Brings a body that left back: the body, and the offices and accounts its exit switched off, are
 * active again (their roles here were kept). Memberships that ended because the person belonged to
 * another body are not restored (they join again by invitation), nor are the tickets handed back.
 */
export async function rejoinOrganisation(trx: Trx, organisationId: string, input: { actorId: string | null; now: Date }): Promise<RejoinResult> {
  const { now } = input;
  const exit = await trx.selectFrom('organisation_exits').select(['id', 'office_ids', 'disabled_user_ids']).where('organisation_id', '=', organisationId).where('rejoined_at', 'is', null).executeTakeFirst();
  await trx.updateTable('organisations').set((eb) => ({ active: true, version: eb('version', '+', 1), updated_at: now })).where('id', '=', organisationId).execute();
  if (!exit) return { officesReactivated: 0, usersReactivated: 0 };
  const offices = exit.office_ids.length === 0 ? 0 : Number((await trx.updateTable('offices').set((eb) => ({ active: true, version: eb('version', '+', 1), updated_at: now }))
    .where('id', 'in', exit.office_ids).where('organisation_id', '=', organisationId).where('active', '=', false).executeTakeFirst()).numUpdatedRows);
  const users = exit.disabled_user_ids.length === 0 ? 0 : Number((await trx.updateTable('users').set({ active: true, updated_at: now })
    .where('id', 'in', exit.disabled_user_ids).where('active', '=', false).executeTakeFirst()).numUpdatedRows);
  await trx.updateTable('organisation_exits').set({ rejoined_at: now, rejoined_by: input.actorId }).where('id', '=', exit.id).execute();
  return { officesReactivated: offices, usersReactivated: users };
}

/**
 * The office of the coordinating body that takes over the open shared tickets a leaving body owned:
 * its contact centre, else its URP, else any active office (null when it has none).
 */
export async function coordinationOffice(db: Db, coordinatingOrganisationId: string): Promise<repo.Office | null> {
  const row = await db
    .selectFrom('offices')
    .select('id')
    .where('organisation_id', '=', coordinatingOrganisationId)
    .where('active', '=', true)
    .orderBy(sql`case kind when 'contact_centre' then 0 when 'urp' then 1 else 2 end`)
    .orderBy('name')
    .executeTakeFirst();
  return row ? repo.findOffice(db, row.id) : null;
}
