/**
 * The open tickets a body leaving the network is involved in (issue 11), for sharing's
 * organisation-exit.ts, which hands them back through `changeTicket`:
 *
 * - tickets of other bodies it takes part in: a live share (pending or active) to one of its
 *   offices, a pending transfer or escalation to one, or an open task of one;
 * - tickets it owns that are shared: a live share to an office of another body, or a pending
 *   transfer to one. `returnOfficeId` is the office outside the body that handed the ticket to it
 *   (its latest accepted transfer or escalation into the body), if any;
 * - how many open tickets it owns that nobody else follows: they stay with it, as its data.
 */
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import * as identity from '../identity/index.js';

type Db = Database | Trx;

export interface OwnedSharedTicket {
  ticketId: string;
  code: string;
  /** The office outside the body the ticket was transferred from (latest first), or null. */
  returnOfficeId: string | null;
}

export interface TicketsOfLeavingBody {
  /** Open tickets of other bodies the leaving body takes part in. */
  participating: { ticketId: string; code: string }[];
  owned: OwnedSharedTicket[];
  /** Open tickets the body owns and nobody else follows. */
  ownedUnshared: number;
}

const OPEN = ['resolved', 'closed'] as const;

export async function ticketsOfLeavingBody(db: Db, organisationId: string): Promise<TicketsOfLeavingBody> {
  const bodyOffices = db.selectFrom(identity.officeDirectory().as('bo')).select('bo.id').where('bo.organisation_id', '=', organisationId);
  const participating = await db
    .selectFrom('tickets as t')
    .select(['t.id', 't.code'])
    .where('t.organisation_id', '<>', organisationId)
    .where('t.status', 'not in', OPEN)
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('ticket_participants as p').select('p.id').whereRef('p.ticket_id', '=', 't.id').where('p.organisation_id', '=', organisationId).where('p.status', 'in', ['pending', 'active'])),
        eb.exists(eb.selectFrom('ticket_transfers as x').select('x.id').whereRef('x.ticket_id', '=', 't.id').where('x.status', '=', 'pending').where('x.to_office_id', 'in', bodyOffices)),
        eb.exists(eb.selectFrom('ticket_tasks as k').select('k.id').whereRef('k.ticket_id', '=', 't.id').where('k.status', '=', 'open').where('k.office_id', 'in', bodyOffices)),
      ]),
    )
    .orderBy('t.created_at')
    .execute();
  const owned = await db
    .selectFrom('tickets as t')
    .select(['t.id', 't.code'])
    .select((eb) =>
      eb
        .or([
          eb.exists(eb.selectFrom('ticket_participants as p').select('p.id').whereRef('p.ticket_id', '=', 't.id').where('p.organisation_id', '<>', organisationId).where('p.status', 'in', ['pending', 'active'])),
          eb.exists(
            eb.selectFrom('ticket_transfers as x').select('x.id').whereRef('x.ticket_id', '=', 't.id').where('x.status', '=', 'pending').where('x.to_office_id', 'not in', bodyOffices),
          ),
        ])
        .as('shared'),
    )
    .select((eb) =>
      eb
        .selectFrom('ticket_transfers as x')
        .select('x.from_office_id')
        .whereRef('x.ticket_id', '=', 't.id')
        .where('x.status', '=', 'accepted')
        .where('x.from_office_id', 'not in', bodyOffices)
        .where('x.to_office_id', 'in', bodyOffices)
        .orderBy('x.responded_at', 'desc')
        .limit(1)
        .as('return_office_id'),
    )
    .where('t.organisation_id', '=', organisationId)
    .where('t.status', 'not in', OPEN)
    .orderBy('t.created_at')
    .execute();
  return {
    participating: participating.map((r) => ({ ticketId: r.id, code: r.code })),
    owned: owned.filter((r) => r.shared).map((r) => ({ ticketId: r.id, code: r.code, returnOfficeId: r.return_office_id ?? null })),
    ownedUnshared: owned.filter((r) => !r.shared).length,
  };
}
