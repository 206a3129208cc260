import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { Trx } from '../../platform/http.js';
import type { Participation } from './ticket-access.js';
import * as identity from '../identity/index.js';

type Db = Database | Trx;

export interface Participant extends Participation {
  id: string;
  ticketId: string;
  officeName: string;
  organisationName: string;
  reason: string;
  declineReason: string | null;
  requestedBy: string | null;
  requestedAt: Date;
  respondedAt: Date | null;
  version: number;
}

/** The participation `p` follows a ticket its office owned before an accepted transfer or escalation. */
export function formerOwner(eb: ExpressionBuilder<DB & { p: DB['ticket_participants'] }, 'p'>) {
  return eb.exists(eb.selectFrom('ticket_transfers as x').select('x.id').whereRef('x.ticket_id', '=', 'p.ticket_id').whereRef('x.from_office_id', '=', 'p.office_id').where('x.status', '=', 'accepted'));
}

function participantQuery(db: Db) {
  return db
    .selectFrom('ticket_participants as p')
    .innerJoin(identity.officeDirectory().as('f'), 'f.id', 'p.office_id')
    .innerJoin(identity.organisationDirectory().as('o'), 'o.id', 'p.organisation_id')
    .select([
      'p.id', 'p.ticket_id', 'p.office_id', 'p.organisation_id', 'f.name as office_name', 'o.name as organisation_name', 'p.mode', 'p.status',
      'p.share_requester', 'p.reason', 'p.decline_reason', 'p.requested_by', 'p.requested_at', 'p.responded_at', 'p.version', 'p.kept_requester_id',
    ])
    .select((eb) => formerOwner(eb).as('former_owner'));
}

type Row = Awaited<ReturnType<ReturnType<typeof participantQuery>['executeTakeFirstOrThrow']>>;

function toParticipant(r: Row): Participant {
  return {
    id: r.id, ticketId: r.ticket_id, officeId: r.office_id, organisationId: r.organisation_id, officeName: r.office_name, organisationName: r.organisation_name,
    mode: r.mode as Participant['mode'], status: r.status as Participant['status'], shareRequester: r.share_requester, reason: r.reason,
    declineReason: r.decline_reason, requestedBy: r.requested_by, requestedAt: r.requested_at, respondedAt: r.responded_at, version: r.version,
    formerOwner: Boolean(r.former_owner), keptRequesterId: r.kept_requester_id,
  };
}

export async function listParticipants(db: Db, ticketId: string): Promise<Participant[]> {
  return (await participantQuery(db).where('p.ticket_id', '=', ticketId).orderBy('p.requested_at').execute()).map(toParticipant);
}

export async function findParticipant(db: Db, id: string): Promise<Participant | null> {
  const row = await participantQuery(db).where('p.id', '=', id).executeTakeFirst();
  return row ? toParticipant(row) : null;
}

/** Pending shares addressed to the given offices, newest first (the requests they have to answer). */
export function incomingShares(db: Db, officeIds: readonly string[]): Promise<Participant[]> {
  return listIncomingShares(db, officeIds, 'pending');
}

/** Live (pending or active) shares addressed to the given offices, newest first. */
export async function listIncomingShares(db: Db, officeIds: readonly string[], status: 'pending' | 'active'): Promise<Participant[]> {
  if (officeIds.length === 0) return [];
  const rows = await participantQuery(db).where('p.office_id', 'in', officeIds).where('p.status', '=', status).orderBy('p.requested_at', 'desc').limit(200).execute();
  return rows.map(toParticipant);
}

export async function insertParticipant(
  trx: Trx,
  p: { ticketId: string; officeId: string; organisationId: string; mode: 'consult' | 'collaborate'; status: 'pending' | 'active'; shareRequester: boolean; reason: string; requestedBy: string | null; now: Date },
): Promise<string | null> {
  const row = await trx
    .insertInto('ticket_participants')
    .values({
      ticket_id: p.ticketId, office_id: p.officeId, organisation_id: p.organisationId, mode: p.mode, status: p.status, share_requester: p.shareRequester,
      reason: p.reason, requested_by: p.requestedBy, requested_at: p.now, ...(p.status === 'active' && { responded_at: p.now }),
    })
    .onConflict((oc) => oc.columns(['ticket_id', 'office_id']).where('status', 'in', ['pending', 'active']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Moves a participation from one status to another; false when it was not in `from` any more. */
export async function transitionParticipant(
  trx: Trx,
  ticketId: string,
  id: string,
  from: readonly Participant['status'][],
  to: Participant['status'],
  by: string | null,
  now: Date,
  declineReason: string | null = null,
): Promise<boolean> {
  const result = await trx
    .updateTable('ticket_participants')
    .set((eb) => ({ status: to, responded_by: by, responded_at: now, decline_reason: declineReason, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('ticket_id', '=', ticketId)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface Task {
  id: string;
  ticketId: string;
  officeId: string;
  officeName: string;
  title: string;
  description: string | null;
  assignee: { id: string; name: string } | null;
  status: 'open' | 'done' | 'cancelled';
  dueAt: Date | null;
  createdAt: Date;
  completedAt: Date | null;
  version: number;
}

function taskQuery(db: Db) {
  return db
    .selectFrom('ticket_tasks as k')
    .innerJoin(identity.officeDirectory().as('f'), 'f.id', 'k.office_id')
    .leftJoin(identity.userDirectory().as('u'), 'u.id', 'k.assignee_id')
    .select(['k.id', 'k.ticket_id', 'k.office_id', 'f.name as office_name', 'k.title', 'k.description', 'k.assignee_id', 'u.name as assignee_name', 'k.status', 'k.due_at', 'k.created_at', 'k.completed_at', 'k.version']);
}

type TaskRow = Awaited<ReturnType<ReturnType<typeof taskQuery>['executeTakeFirstOrThrow']>>;

function toTask(r: TaskRow): Task {
  return {
    id: r.id, ticketId: r.ticket_id, officeId: r.office_id, officeName: r.office_name, title: r.title, description: r.description,
    assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null, status: r.status as Task['status'], dueAt: r.due_at,
    createdAt: r.created_at, completedAt: r.completed_at, version: r.version,
  };
}

export async function listTasks(db: Db, ticketId: string): Promise<Task[]> {
  return (await taskQuery(db).where('k.ticket_id', '=', ticketId).orderBy('k.created_at').execute()).map(toTask);
}

export async function findTask(db: Db, id: string): Promise<Task | null> {
  const row = await taskQuery(db).where('k.id', '=', id).executeTakeFirst();
  return row ? toTask(row) : null;
}

export async function insertTask(trx: Trx, t: { ticketId: string; officeId: string; title: string; description: string | null; assigneeId: string | null; dueAt: Date | null; createdBy: string | null; now: Date }): Promise<string> {
  const row = await trx
    .insertInto('ticket_tasks')
    .values({ ticket_id: t.ticketId, office_id: t.officeId, title: t.title, description: t.description, assignee_id: t.assigneeId, due_at: t.dueAt, created_by: t.createdBy, created_at: t.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateTask(trx: Trx, ticketId: string, id: string, expectedVersion: number, patch: { status?: Task['status']; assigneeId?: string | null; now: Date }): Promise<boolean> {
  const result = await trx
    .updateTable('ticket_tasks')
    .set((eb) => ({
      ...(patch.status !== undefined && { status: patch.status, completed_at: patch.status === 'open' ? null : patch.now }),
      ...(patch.assigneeId !== undefined && { assignee_id: patch.assigneeId }),
      version: eb('version', '+', 1),
    }))
    .where('id', '=', id)
    .where('ticket_id', '=', ticketId)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countOpenTasks(db: Db, ticketId: string): Promise<number> {
  const row = await db.selectFrom('ticket_tasks').select((eb) => eb.fn.countAll<number>().as('n')).where('ticket_id', '=', ticketId).where('status', '=', 'open').executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Before the owner changes requester data: the active former-owner shares that still read the
 * ticket's requester keep `requesterId` (the record as they knew it). Returns how many did.
 */
export async function keepRequesterForFormerOwners(trx: Trx, ticketId: string, requesterId: string): Promise<number> {
  const result = await trx
    .updateTable('ticket_participants as p')
    .set({ kept_requester_id: requesterId })
    .where('p.ticket_id', '=', ticketId)
    .where('p.status', '=', 'active')
    .where('p.kept_requester_id', 'is', null)
    .where((eb) => formerOwner(eb))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
