import type { Database } from '../../db/database.js';
import type { Role } from '../../platform/actor.js';
import type { Trx } from '../../platform/http.js';

type Db = Database | Trx;

export type InvitationStatus = 'pending' | 'accepted' | 'declined' | 'revoked';

export interface Invitation {
  id: string;
  organisationId: string;
  organisationName: string;
  email: string;
  role: Role;
  officeId: string | null;
  officeName: string | null;
  status: InvitationStatus;
  invitedBy: string | null;
  invitedByName: string | null;
  createdAt: Date;
  answeredAt: Date | null;
}

function selectInvitations(db: Db) {
  return db
    .selectFrom('organisation_invitations as i')
    .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
    .leftJoin('offices as f', 'f.id', 'i.office_id')
    .leftJoin('users as u', 'u.id', 'i.invited_by')
    .select([
      'i.id', 'i.organisation_id', 'o.name as organisation_name', 'i.email', 'i.role', 'i.office_id', 'f.name as office_name', 'i.status',
      'i.invited_by', 'u.name as invited_by_name', 'i.created_at', 'i.answered_at',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectInvitations>['executeTakeFirstOrThrow']>>;

function toInvitation(r: Row): Invitation {
  return {
    id: r.id, organisationId: r.organisation_id, organisationName: r.organisation_name, email: r.email, role: r.role as Role, officeId: r.office_id,
    officeName: r.office_name, status: r.status as InvitationStatus, invitedBy: r.invited_by, invitedByName: r.invited_by_name, createdAt: r.created_at,
    answeredAt: r.answered_at,
  };
}

export async function insertInvitation(db: Db, i: { organisationId: string; email: string; role: Role; officeId: string | null; invitedBy: string }): Promise<Invitation> {
  const { id } = await db
    .insertInto('organisation_invitations')
    .values({ organisation_id: i.organisationId, email: i.email, role: i.role, office_id: i.officeId, invited_by: i.invitedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return toInvitation(await selectInvitations(db).where('i.id', '=', id).executeTakeFirstOrThrow());
}

export async function findInvitation(db: Db, id: string): Promise<Invitation | null> {
  const row = await selectInvitations(db).where('i.id', '=', id).executeTakeFirst();
  return row ? toInvitation(row) : null;
}

/** The organisation's invitations, newest first (the last 200). */
export async function listInvitationsOfOrganisation(db: Db, organisationId: string): Promise<Invitation[]> {
  const rows = await selectInvitations(db).where('i.organisation_id', '=', organisationId).orderBy('i.created_at', 'desc').orderBy('i.id').limit(200).execute();
  return rows.map(toInvitation);
}

/** Pending invitations addressed to an e-mail address (case-insensitive). */
export async function listPendingForEmail(db: Db, email: string): Promise<Invitation[]> {
  const rows = await selectInvitations(db)
    .where((eb) => eb(eb.fn('lower', ['i.email']), '=', email.toLowerCase()))
    .where('i.status', '=', 'pending')
    .orderBy('i.created_at', 'desc')
    .execute();
  return rows.map(toInvitation);
}

/** Moves a pending invitation to its answer; false when it was no longer pending (a concurrent answer). */
export async function answerInvitation(db: Db, id: string, status: Exclude<InvitationStatus, 'pending'>, answeredBy: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('organisation_invitations')
    .set({ status, answered_by: answeredBy, answered_at: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
