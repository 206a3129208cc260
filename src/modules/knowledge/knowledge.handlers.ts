import type { Database } from '../../db/database.js';
import type { OutboxDispatcher } from '../../platform/events.js';
import { notifyUser } from '../../platform/notifications.js';

/** The owner of a flagged FAQ is told once per occurrence (the clock records each once; the handler is idempotent per event). */
export function registerKnowledgeNotifications(events: OutboxDispatcher, db: Database): void {
  events.on('faq.flagged', 'onFaqFlagged_notifyOwner', async ({ id, payload: p }) => {
    await notifyUser(db, p.ownerId, { kind: `faq.${p.flag}`, params: { title: p.title }, link: `/faq/redazione/${p.id}`, eventId: id, now: new Date() });
  });
}
