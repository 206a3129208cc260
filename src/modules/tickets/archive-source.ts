/**
 * Closed tickets as the anonymised archive needs them (issue 13): the archive module never reads
 * the tickets' tables, it asks here. One statement per batch, keyset-paginated on (closed_at, id)
 * (the partial index `tickets_closed_archive_idx`), with the aggregates computed in SQL — first
 * public reply, offices involved, accepted transfers — so that a million tickets cost a thousand
 * queries, not a million.
 *
 * Only tickets that can no longer change are returned: closed before `closedBefore` and resolved
 * more than the reopen window ago (a closed ticket can be reopened within the window counted from
 * its resolution, see ticket-status.ts). Whether a ticket is already archived is the archive's
 * business: it filters the ids it has seen with its own table.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import { DEFAULT_REOPEN_WINDOW_DAYS } from './ticket-status.js';

type Db = Database | Trx;

const DAY_MS = 86_400_000;

/** A closed ticket, read for anonymisation: what the archive record is computed from. */
export interface ClosedTicketForArchive {
  /** For the archive's idempotency only: never written into a record. */
  id: string;
  organisationId: string;
  officeId: string;
  channel: string;
  taxonomyVersion: string;
  /** Network or local codes by facet, as the ticket was classified. */
  classification: Record<string, string>;
  outcome: string | null;
  subject: string;
  description: string;
  createdAt: Date;
  resolvedAt: Date | null;
  closedAt: Date;
  /** The first public reply (kind `reply`) to the citizen, if any. */
  firstReplyAt: Date | null;
  /** The owner office plus every other office that worked on it (accepted shares, accepted transfers). */
  officesInvolved: number;
  /** Accepted transfers and escalations. */
  handoffs: number;
  /** The citizen's rating of the answer (1-5), from the ticket's history, if they rated it. */
  satisfaction: number | null;
  /**
   * The requester's known personal data (name, e-mail, phone, fiscal code): handed over only so that
   * the anonymiser can remove it from the text wherever it appears; never stored.
   */
  known: { names: string[]; values: string[] };
}

export interface ClosedTicketsQuery {
  closedBefore: Date;
  /** The clock: tickets resolved within the reopen window before it may still reopen. */
  now: Date;
  /** Keyset cursor: the (closed_at, id) of the last ticket of the previous batch. */
  after: { closedAt: Date; id: string } | null;
  limit: number;
  reopenWindowDays?: number;
}

/** The instant before which every closed ticket is final: closed before both cut-offs, it cannot reopen nor still be waiting. */
export function finalBefore(q: Pick<ClosedTicketsQuery, 'closedBefore' | 'now' | 'reopenWindowDays'>): Date {
  const resolvedBefore = q.now.getTime() - (q.reopenWindowDays ?? DEFAULT_REOPEN_WINDOW_DAYS) * DAY_MS;
  // resolved_at ≤ closed_at always (a ticket closes from resolved): closed before this, it is final.
  return new Date(Math.min(q.closedBefore.getTime(), resolvedBefore));
}

/** One batch of final closed tickets after the cursor, in (closed_at, id) order. */
export async function closedTicketsForArchive(db: Db, q: ClosedTicketsQuery): Promise<ClosedTicketForArchive[]> {
  const resolvedBefore = new Date(q.now.getTime() - (q.reopenWindowDays ?? DEFAULT_REOPEN_WINDOW_DAYS) * DAY_MS);
  const after = q.after ? sql`and (t.closed_at, t.id) > (${q.after.closedAt}::timestamptz, ${q.after.id}::uuid)` : sql``;
  const result = await sql<{
    id: string; organisation_id: string; office_id: string; channel: string; taxonomy_version: string; classification: Record<string, string> | string;
    outcome: string | null; subject: string; description: string; created_at: Date | string; resolved_at: Date | string | null; closed_at: Date | string;
    first_reply_at: Date | string | null; offices_involved: number | string; handoffs: number | string; satisfaction: number | string | null;
    requester_name: string | null; requester_email: string | null; requester_phone: string | null; requester_fiscal_code: string | null;
  }>`
    with batch as (
      select t.* from tickets t
      where t.status = 'closed' and t.closed_at < ${q.closedBefore}::timestamptz
        and (t.resolved_at is null or t.resolved_at < ${resolvedBefore}::timestamptz)
        ${after}
      order by t.closed_at, t.id
      limit ${q.limit}
    )
    select b.id, b.organisation_id, b.office_id, b.channel, b.taxonomy_version, b.classification, b.outcome, b.subject, b.description,
      b.created_at, b.resolved_at, b.closed_at,
      (select min(m.created_at) from ticket_messages m where m.ticket_id = b.id and m.kind = 'reply') as first_reply_at,
      (select count(distinct o)::int from (
        select b.office_id as o
        union all select p.office_id from ticket_participants p where p.ticket_id = b.id and (p.status = 'active' or (p.status = 'revoked' and p.responded_at is not null))
        union all select x.from_office_id from ticket_transfers x where x.ticket_id = b.id and x.status = 'accepted'
      ) offices) as offices_involved,
      (select count(*)::int from ticket_transfers x where x.ticket_id = b.id and x.status = 'accepted') as handoffs,
      (select (h.changes -> 'rating' ->> 'to')::int from ticket_history h where h.ticket_id = b.id and h.action = 'rated_by_citizen' order by h.at desc limit 1) as satisfaction,
      r.name as requester_name, r.email as requester_email, r.phone as requester_phone, r.fiscal_code as requester_fiscal_code
    from batch b
    left join requesters r on r.id = b.requester_id
    order by b.closed_at, b.id`.execute(db);
  const date = (v: Date | string) => (v instanceof Date ? v : new Date(v));
  return result.rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    officeId: r.office_id,
    channel: r.channel,
    taxonomyVersion: r.taxonomy_version,
    classification: typeof r.classification === 'string' ? (JSON.parse(r.classification) as Record<string, string>) : r.classification,
    outcome: r.outcome,
    subject: r.subject,
    description: r.description,
    createdAt: date(r.created_at),
    resolvedAt: r.resolved_at === null ? null : date(r.resolved_at),
    closedAt: date(r.closed_at),
    firstReplyAt: r.first_reply_at === null ? null : date(r.first_reply_at),
    officesInvolved: Number(r.offices_involved),
    handoffs: Number(r.handoffs),
    satisfaction: r.satisfaction === null ? null : Number(r.satisfaction),
    known: {
      names: r.requester_name ? [r.requester_name] : [],
      values: [r.requester_email, r.requester_phone, r.requester_fiscal_code].filter((v): v is string => !!v),
    },
  }));
}
