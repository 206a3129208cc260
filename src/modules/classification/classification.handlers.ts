import type { Database } from '../../db/database.js';
import type { OutboxDispatcher } from '../../platform/events.js';
import { SUGGESTED_FACETS } from './suggested-facets.js';
import { recordFeedback } from './suggestion-feedback.js';

/**
 * A ticket opened from a classification suggestion records what the operator kept or corrected, for
 * the next training. Idempotent: feedback is one row per suggestion and facet (re-delivery rewrites it).
 */
export function registerClassificationHandlers(events: OutboxDispatcher, db: Database): void {
  events.on('ticket.created', 'onTicketCreated_recordSuggestionFeedback', async ({ payload: p, createdAt }) => {
    if (!p.classificationSuggestionId || !p.actorId) return;
    const userId = p.actorId;
    const suggestionId = p.classificationSuggestionId;
    const chosen = Object.entries(p.classification ?? {})
      .filter(([facet]) => (SUGGESTED_FACETS as readonly string[]).includes(facet))
      .map(([facet, code]) => ({ facet, code }));
    if (chosen.length === 0) return;
    await db.transaction().execute((trx) => recordFeedback(trx, { userId }, suggestionId, chosen, p.ticketId, createdAt, false));
  });
}
