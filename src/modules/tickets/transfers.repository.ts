import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import * as identity from '../identity/index.js';

/*
 * Transfers and escalations of a ticket to another office. The sharing module decides them (who may
 * ask, agreements, escalation loops); they are written only inside a ticket change
 * (`TicketChangeContext.addTransfer` / `transitionTransfer`), like shares and tasks.
 */

type Db = Database | Trx;

export interface Transfer {
  id: string;
  ticketId: string;
  kind: 'transfer' | 'escalation';
  fromOfficeId: string;
  fromOfficeName: string;
  toOfficeId: string;
  toOfficeName: string;
  toOrganisationId: string;
  reasonCode: string;
  reason: string;
  status: 'pending' | 'accepted' | 'declined' | 'cancelled';
  declineReason: string | null;
  requestedAt: Date;
  respondedAt: Date | null;
}

function transferQuery(db: Db) {
  return db
    .selectFrom('ticket_transfers as x')
    .innerJoin(identity.officeDirectory().as('f'), 'f.id', 'x.from_office_id')
    .innerJoin(identity.officeDirectory().as('t'), 't.id', 'x.to_office_id')
    .select([
      'x.id', 'x.ticket_id', 'x.kind', 'x.from_office_id', 'f.name as from_office_name', 'x.to_office_id', 't.name as to_office_name',
      't.organisation_id as to_organisation_id', 'x.reason_code', 'x.reason', 'x.status', 'x.decline_reason', 'x.requested_at', 'x.responded_at',
    ]);
}

type TransferRow = Awaited<ReturnType<ReturnType<typeof transferQuery>['executeTakeFirstOrThrow']>>;

function toTransfer(r: TransferRow): Transfer {
  return {
    id: r.id, ticketId: r.ticket_id, kind: r.kind as Transfer['kind'], fromOfficeId: r.from_office_id, fromOfficeName: r.from_office_name,
    toOfficeId: r.to_office_id, toOfficeName: r.to_office_name, toOrganisationId: r.to_organisation_id, reasonCode: r.reason_code, reason: r.reason,
    status: r.status as Transfer['status'], declineReason: r.decline_reason, requestedAt: r.requested_at, respondedAt: r.responded_at,
  };
}

export async function findTransfer(db: Db, id: string): Promise<Transfer | null> {
  const row = await transferQuery(db).where('x.id', '=', id).executeTakeFirst();
  return row ? toTransfer(row) : null;
}

export async function listTransfersOfTicket(db: Db, ticketId: string): Promise<Transfer[]> {
  return (await transferQuery(db).where('x.ticket_id', '=', ticketId).orderBy('x.requested_at').execute()).map(toTransfer);
}

export async function listIncomingTransfers(db: Db, officeIds: readonly string[]): Promise<Transfer[]> {
  if (officeIds.length === 0) return [];
  return (await transferQuery(db).where('x.to_office_id', 'in', officeIds).where('x.status', '=', 'pending').orderBy('x.requested_at', 'desc').limit(200).execute()).map(toTransfer);
}

export async function insertTransfer(
  trx: Trx,
  t: { ticketId: string; kind: 'transfer' | 'escalation'; fromOfficeId: string; toOfficeId: string; reasonCode: string; reason: string; requestedBy: string | null; now: Date },
): Promise<string | null> {
  const row = await trx
    .insertInto('ticket_transfers')
    .values({
      ticket_id: t.ticketId, kind: t.kind, from_office_id: t.fromOfficeId, to_office_id: t.toOfficeId, reason_code: t.reasonCode, reason: t.reason,
      status: 'pending', requested_by: t.requestedBy, requested_at: t.now,
    })
    .onConflict((oc) => oc.column('ticket_id').where('status', '=', 'pending').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Conditional transition: only one of several concurrent responses can move a pending transfer. */
export async function transitionTransfer(trx: Trx, ticketId: string, id: string, to: Transfer['status'], by: string | null, now: Date, declineReason: string | null = null): Promise<boolean> {
  const result = await trx
    .updateTable('ticket_transfers')
    .set((eb) => ({ status: to, responded_by: by, responded_at: now, decline_reason: declineReason, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('ticket_id', '=', ticketId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
