import type { Database } from '../../db/database.js';
import type { DomainEvent, OutboxDispatcher } from '../../platform/events.js';
import type { Mailer } from '../../platform/mailer.js';

interface OfficeNotification {
  officeId: string;
  kind: string;
  ticketId: string | null;
  title: string;
  body: string | null;
}

/**
 * Sends each office notification (share or transfer requests, answers, tasks) to the office's
 * mailbox. Runs from the outbox after the change committed; a failed delivery is logged and not
 * retried, the in-app notification being the record.
 */
export function registerOfficeMailer(events: OutboxDispatcher, db: Database, mailer: Mailer, options: { baseUrl: string; onError: (err: unknown) => void }): void {
  events.subscribe('notification.office', async (event: DomainEvent) => {
    const n = event.payload as OfficeNotification;
    const office = await db.selectFrom('offices').select(['email', 'name']).where('id', '=', n.officeId).executeTakeFirst();
    if (!office?.email) return;
    const code = n.ticketId ? (await db.selectFrom('tickets').select('code').where('id', '=', n.ticketId).executeTakeFirst())?.code : undefined;
    const link = code ? `\n\nApri il ticket: ${options.baseUrl.replace(/\/$/, '')}/tickets/${code}` : '';
    try {
      await mailer.send({ to: office.email, subject: `[urpnet] ${n.title}`, text: `${office.name},\n\n${n.title}${n.body ? `\n\n${n.body}` : ''}${link}\n\n— urpnet, rete degli URP` });
    } catch (err) {
      options.onError(err);
    }
  });
}
