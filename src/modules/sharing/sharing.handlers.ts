import type { Database } from '../../db/database.js';
import type { OutboxDispatcher } from '../../platform/events.js';
import { notifyUsers } from '../../platform/notifications.js';
import { noticeContext, OFFICE_NOTICES } from './office-notices.js';
import { officeWorkerIds } from '../identity/index.js';

/**
 * The in-app side of the office notices (office-notices.ts): `<event>_notifyOffice` tells every
 * worker of the office, after the change committed. Idempotent: a retried delivery of the same
 * event inserts nothing twice (notifications are unique per event, user and kind).
 */
export function registerOfficeNotifications(events: OutboxDispatcher, db: Database): void {
  const ctx = noticeContext(db);
  for (const entry of OFFICE_NOTICES) {
    events.on(entry.topic, `${entry.name}_notifyOffice`, async (event) => {
      const notice = await entry.notice(event.payload, ctx);
      if (!notice) return;
      await notifyUsers(db, await officeWorkerIds(db, [notice.officeId]), { kind: notice.kind, ticketId: notice.ticketId, ticketCode: typeof notice.params.code === 'string' ? notice.params.code : null, params: notice.params, eventId: event.id, read: notice.handled ?? false, now: new Date() });
    });
  }
}
