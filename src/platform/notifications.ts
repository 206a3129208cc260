import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import type { Trx } from './http.js';
import type { Language } from './messages.js';
import { renderNotification } from './notification-texts.js';

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
  /** The ticket's code as shown to the reader (stored with the notification: the platform does not read tickets). */
  ticketCode?: string | null;
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
      user_id: userId, kind: n.kind, ticket_id: n.ticketId ?? null, ticket_code: n.ticketCode ?? null, link: n.link ?? null, params: JSON.stringify(n.params ?? {}), event_id: n.eventId ?? null, created_at: n.now, read_at: n.read ? n.now : null,
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

export interface Notification {
  id: number;
  kind: string;
  ticketId: string | null;
  ticketCode: string | null;
  link: string | null;
  title: string;
  body: string | null;
  params: NotificationParams;
  createdAt: Date;
  readAt: Date | null;
}

/**
 * The user's notifications, newest first, written in `lang` from kind + params; rows stored before
 * that (migration 0024) or of a kind the server cannot write keep their stored text.
 */
export async function listNotifications(db: Db, userId: string, options: { afterId?: number; unreadOnly?: boolean; limit: number; lang?: Language }): Promise<Notification[]> {
  let q = selectNotifications(db).where('n.user_id', '=', userId);
  if (options.afterId !== undefined) q = q.where('n.id', '>', options.afterId);
  if (options.unreadOnly) q = q.where('n.read_at', 'is', null);
  const rows = await q.orderBy('n.id', 'desc').limit(options.limit).execute();
  return rows.map((r) => presentNotification(toStoredNotification(r), options.lang ?? 'it'));
}

/** A notification as stored, before it is written in the reader's language. */
export interface StoredNotification {
  id: number;
  userId: string;
  kind: string;
  ticketId: string | null;
  ticketCode: string | null;
  link: string | null;
  title: string | null;
  body: string | null;
  params: NotificationParams;
  createdAt: Date;
  readAt: Date | null;
}

const selectNotifications = (db: Db) =>
  db
    .selectFrom('notifications as n')
    .select(['n.id', 'n.user_id', 'n.kind', 'n.ticket_id', 'n.ticket_code', 'n.link', 'n.title', 'n.body', 'n.params', 'n.created_at', 'n.read_at']);

function toStoredNotification(r: { id: number; user_id: string; kind: string; ticket_id: string | null; ticket_code: string | null; link: string | null; title: string | null; body: string | null; params: unknown; created_at: Date; read_at: Date | null }): StoredNotification {
  return {
    id: Number(r.id), userId: r.user_id, kind: r.kind, ticketId: r.ticket_id, ticketCode: r.ticket_code, link: r.link, title: r.title, body: r.body,
    params: (r.params ?? {}) as NotificationParams, createdAt: r.created_at, readAt: r.read_at,
  };
}

/** Written in `lang` from kind + params; rows stored before structured kinds keep their stored text. */
export function presentNotification(n: StoredNotification, lang: Language): Notification {
  const text = renderNotification(lang, n.kind, n.params);
  return {
    id: n.id, kind: n.kind, ticketId: n.ticketId, ticketCode: n.ticketCode, link: n.link, title: text?.title ?? n.title ?? n.kind, body: text?.body ?? n.body ?? null, params: n.params,
    createdAt: n.createdAt, readAt: n.readAt,
  };
}

/** Notifications of every user after `afterId`, oldest first: what the realtime hub fans out to open streams. */
export async function listNotificationsAfter(db: Db, afterId: number, limit: number): Promise<StoredNotification[]> {
  const rows = await selectNotifications(db).where('n.id', '>', afterId).orderBy('n.id', 'asc').limit(limit).execute();
  return rows.map(toStoredNotification);
}

export async function latestNotificationId(db: Db): Promise<number> {
  const row = await db.selectFrom('notifications').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

export async function countUnread(db: Db, userId: string): Promise<number> {
  const row = await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markRead(db: Db, userId: string, ids: number[] | 'all', now: Date): Promise<void> {
  let q = db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') q = q.where('id', 'in', ids.length > 0 ? ids : [-1]);
  await q.execute();
}
