import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import type { Trx } from './http.js';

type Db = Database | Trx;

/**
 * What a notification says, as data: the web app writes it in the reader's language from `kind` and
 * these values (ticket code, office names, the reason typed by a user…). Free text typed by users is
 * passed as it was written; everything else is a code or a name.
 */
export type NotificationParams = Record<string, string | number | boolean | null>;

/**
 * An in-app notification for one user: about a ticket (`ticketId`) or another object of the app
 * (`link`, an app-relative path). Stored as `kind` + `params` only: readers write it in their
 * language (the web app from its dictionary, the API and the office e-mail with notification-texts.ts).
 */
export interface UserNotification {
  kind: string;
  params?: NotificationParams;
  ticketId?: string | null;
  link?: string | null;
  /**
   * The outbox event a handler writes this notification for: a retried handler then inserts nothing
   * twice (one notification of a kind per event and user, migration 0024).
   */
  eventId?: number;
  /** Stored as read: a request that was answered before its notification was written. */
  read?: boolean;
  now: Date;
}

/**
 * Kinds that ask the reader to act (accept or decline): opening the ticket does not handle them,
 * answering the request does (see `markRequestNotificationsHandled`).
 */
const ACTION_KINDS = ['share.requested', 'transfer.requested'] as const;

export async function notifyUser(trx: Db, userId: string, n: UserNotification): Promise<void> {
  await notifyUsers(trx, [userId], n);
}

/** The same notification for several users (duplicates and an empty list allowed). */
export async function notifyUsers(trx: Db, userIds: readonly string[], n: UserNotification): Promise<void> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return;
  await trx
    .insertInto('notifications')
    .values(ids.map((userId) => ({
      user_id: userId, kind: n.kind, ticket_id: n.ticketId ?? null, link: n.link ?? null, params: JSON.stringify(n.params ?? {}), event_id: n.eventId ?? null, created_at: n.now, read_at: n.read ? n.now : null,
    })))
    .onConflict((oc) => oc.columns(['event_id', 'user_id', 'kind']).where('event_id', 'is not', null).doNothing())
    .execute();
}

/**
 * Opening a ticket handles what its notifications told the user (a message, an assignment, a
 * reopen…): they are marked read. Requests still waiting for an answer stay unread.
 */
export async function markTicketNotificationsRead(db: Db, userId: string, ticketId: string, now: Date): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('ticket_id', '=', ticketId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .where('kind', 'not in', [...ACTION_KINDS])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * A share or transfer request has been answered (or withdrawn): the request notifications about it
 * are handled for everyone who received them, whoever answered.
 */
export async function markRequestNotificationsHandled(trx: Trx, ticketId: string, request: { shareId: string } | { transferId: string }, now: Date): Promise<void> {
  const [key, value] = 'shareId' in request ? ['shareId', request.shareId] : ['transferId', request.transferId];
  await trx
    .updateTable('notifications')
    .set({ read_at: now })
    .where('ticket_id', '=', ticketId)
    .where('read_at', 'is', null)
    .where('kind', 'in', [...ACTION_KINDS])
    .where(sql<boolean>`params ->> ${key} = ${value}`)
    .execute();
}
