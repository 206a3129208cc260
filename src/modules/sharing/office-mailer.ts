import type { Database } from '../../db/database.js';
import type { OutboxDispatcher } from '../../platform/events.js';
import type { Mailer } from '../../platform/mailer.js';
import { renderNotification } from '../../platform/notification-texts.js';
import { noticeContext, OFFICE_NOTICES, type OfficeNotice } from './office-notices.js';
import * as identity from '../identity/index.js';

/**
 * Sends each office notice (share or transfer requests, answers, tasks; office-notices.ts) to the
 * office's mailbox, written in Italian from the notice's kind and parameters: `<event>_mailOffice`.
 * Runs from the outbox after the change committed; a failed delivery is logged and not retried, the
 * in-app notification being the record.
 */
export function registerOfficeMailer(events: OutboxDispatcher, db: Database, mailer: Mailer, options: { baseUrl: string; onError: (err: unknown) => void }): void {
  const ctx = noticeContext(db);
  const send = async (n: OfficeNotice) => {
    const office = await identity.findOffice(db, n.officeId);
    if (!office?.email) return;
    const text = renderNotification('it', n.kind, n.params);
    if (!text) return;
    const code = typeof n.params.code === 'string' ? n.params.code : undefined;
    const link = code ? `\n\nApri il ticket: ${options.baseUrl.replace(/\/$/, '')}/tickets/${code}` : '';
    try {
      await mailer.send({ to: office.email, subject: `[urpnet] ${text.title}`, text: `${office.name},\n\n${text.title}${text.body ? `\n\n${text.body}` : ''}${link}\n\n— urpnet, rete degli URP` });
    } catch (err) {
      options.onError(err);
    }
  };
  for (const entry of OFFICE_NOTICES) {
    events.on(entry.topic, `${entry.name}_mailOffice`, async (event) => {
      const notice = await entry.notice(event.payload, ctx);
      if (notice && !notice.handled) await send(notice);
    });
  }
}
