/**
 * How many contacts were opened, per day (Italian calendar), office, channel and topic: counts only,
 * for the analytics module's alarms on the days the anonymised archive does not cover yet (a contact
 * reaches the archive only once closed and past its grace period). One grouped statement over the
 * tickets opened in the period, found through the index `tickets_created_at_idx` (migration 0036).
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';

export interface OpenedCount {
  /** YYYY-MM-DD in Europe/Rome. */
  day: string;
  organisationId: string;
  officeId: string;
  channel: string;
  /** The network topic code (facet `tema`) the ticket has now; null when unclassified. */
  topic: string | null;
  contacts: number;
}

/** Contacts opened from `from` (inclusive) to `to` (exclusive), grouped. */
export async function countOpenedTickets(db: Database, from: Date, to: Date): Promise<OpenedCount[]> {
  const rows = await sql<{ day: string; organisation_id: string; office_id: string; channel: string; topic: string | null; contacts: number }>`
    select to_char(created_at at time zone 'Europe/Rome', 'YYYY-MM-DD') as day, organisation_id, office_id, channel, classification->>'tema' as topic, count(*)::int as contacts
    from tickets
    where created_at >= ${from} and created_at < ${to}
    group by 1, 2, 3, 4, 5`.execute(db);
  return rows.rows.map((r) => ({ day: r.day, organisationId: r.organisation_id, officeId: r.office_id, channel: r.channel, topic: r.topic, contacts: Number(r.contacts) }));
}
