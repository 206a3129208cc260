import type { Trx } from './http.js';

/** An in-app notification for one user: about a ticket (`ticketId`) or another object of the app (`link`, an app-relative path). */
export interface UserNotification {
  kind: string;
  title: string;
  body: string | null;
  ticketId?: string | null;
  link?: string | null;
  now: Date;
}

export async function notifyUser(trx: Trx, userId: string, n: UserNotification): Promise<void> {
  await trx
    .insertInto('notifications')
    .values({ user_id: userId, kind: n.kind, ticket_id: n.ticketId ?? null, title: n.title, body: n.body, link: n.link ?? null, created_at: n.now })
    .execute();
}
