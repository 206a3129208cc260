/**
 * Personal data in the platform's own tables, for retention and erasure (issue 13; the map of every
 * place is `PERSONAL_DATA_LOCATIONS` in the privacy module):
 * - notifications of a ticket may carry its subject (older rows' title/body, a task title in params);
 * - outbox payloads may carry free text about a ticket (share and transfer reasons, task titles);
 * - idempotency_keys.response stores the response of a create, which may be a whole ticket with its
 *   requester.
 * Notifications and finished outbox events of a purged ticket are deleted (months after the ticket
 * closed nobody needs them); an event still being delivered is left alone (its payload is ids and
 * codes for the ticket's own topics). Idempotency keys only serve a client's retries: older than
 * `IDEMPOTENCY_KEY_RETENTION_DAYS` they are deleted at every retention run, whatever they hold.
 */
import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import type { Trx } from './http.js';
import { scrubPii } from './privacy/index.js';

type Db = Database | Trx;

/** A client retries a create within minutes; a week is generous. */
export const IDEMPOTENCY_KEY_RETENTION_DAYS = 7;

/** Deletes the notifications about these tickets. Returns how many. */
export async function deleteTicketNotifications(db: Db, ticketIds: readonly string[]): Promise<number> {
  if (ticketIds.length === 0) return 0;
  const done = await db.deleteFrom('notifications').where('ticket_id', 'in', [...ticketIds]).executeTakeFirst();
  return Number(done.numDeletedRows);
}

/**
 * Deletes the outbox events about these aggregates (or naming them as `ticketId`) that every handler
 * has finished with (dispatched, no delivery pending). Returns how many.
 */
export async function deleteFinishedEventsOf(db: Db, aggregateIds: readonly string[]): Promise<number> {
  if (aggregateIds.length === 0) return 0;
  const ids = [...aggregateIds];
  const { numAffectedRows } = await sql`
    delete from outbox o
    where (o.aggregate_id = any(${ids}::text[]) or o.payload ->> 'ticketId' = any(${ids}::text[]))
      and o.dispatched_at is not null
      and not exists (select 1 from outbox_deliveries d where d.event_id = o.id and d.done_at is null and d.dead_at is null)`.execute(db);
  return Number(numAffectedRows ?? 0);
}

/** Payload members that carry free text written about a ticket (share and transfer reasons, task titles, messages). */
const FREE_TEXT_MEMBERS = ['reason', 'title', 'message', 'subject', 'body', 'comment'] as const;

/**
 * Scrubs the free text of the events about these aggregates that are still being delivered (those
 * `deleteFinishedEventsOf` leaves): ids and codes stay, so their handlers still work. Returns how many.
 */
export async function scrubPendingEventsOf(db: Db, aggregateIds: readonly string[], known: { names: string[]; values: string[] }): Promise<number> {
  if (aggregateIds.length === 0) return 0;
  const ids = [...aggregateIds];
  const { rows } = await sql<{ id: number; payload: Record<string, unknown> }>`
    select id, payload from outbox where aggregate_id = any(${ids}::text[]) or payload ->> 'ticketId' = any(${ids}::text[])`.execute(db);
  let changed = 0;
  for (const row of rows) {
    const payload = { ...row.payload };
    for (const member of FREE_TEXT_MEMBERS) {
      const value = payload[member];
      if (typeof value === 'string') payload[member] = scrubPii(value, { known });
    }
    if (JSON.stringify(payload) === JSON.stringify(row.payload)) continue;
    await db.updateTable('outbox').set({ payload: JSON.stringify(payload) }).where('id', '=', row.id).execute();
    changed++;
  }
  return changed;
}

/** Deletes idempotency keys created before `before`. Returns how many. */
export async function deleteIdempotencyKeysBefore(db: Db, before: Date): Promise<number> {
  const done = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(done.numDeletedRows);
}

/** Deletes idempotency keys whose stored response mentions any of these values (ticket ids and codes, the person's data). */
export async function deleteIdempotencyKeysMentioning(db: Db, values: readonly string[]): Promise<number> {
  const patterns = values.filter((v) => v.length >= 3).map((v) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (patterns.length === 0) return 0;
  const { numAffectedRows } = await sql`delete from idempotency_keys where response is not null and response::text ilike any(${patterns}::text[])`.execute(db);
  return Number(numAffectedRows ?? 0);
}
