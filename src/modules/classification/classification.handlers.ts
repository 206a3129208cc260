import type { Database } from '../../db/database.js';
import type { OutboxDispatcher } from '../../platform/events.js';
import { fillClassification, findTicketById, SELF_SERVICE_CHANNELS } from '../tickets/index.js';
import { SUGGESTED_FACETS } from './suggested-facets.js';
import { recordFeedback } from './suggestion-feedback.js';
import { type ModelCache, topCodes } from './suggestion.service.js';

/** A suggested code fills an empty facet only this sure (softmax over the active codes). */
export const AUTO_CLASSIFY_CONFIDENCE = 0.5;

/**
 * A ticket opened from a classification suggestion records what the operator kept or corrected, for
 * the next training. Idempotent: feedback is one row per suggestion and facet (re-delivery rewrites it).
 */
export function registerClassificationHandlers(events: OutboxDispatcher, db: Database, cache: ModelCache): void {
  // A request the citizen filed (portal, e-mail, PEC) gets the suggester's codes for the facets it lacks.
  events.on('ticket.created', 'onTicketCreated_classifyCitizenRequest', async ({ payload: p, createdAt }) => {
    if (p.actorId !== null) return;
    const ticket = await findTicketById(db, p.ticketId);
    if (!ticket || !SELF_SERVICE_CHANNELS.has(ticket.channel)) return;
    const missing = SUGGESTED_FACETS.filter((f) => !ticket.classification[f]);
    if (missing.length === 0) return;
    const top = await topCodes(db, cache, `${ticket.subject}\n${ticket.description}`);
    const codes = Object.fromEntries(missing.flatMap((f) => (top[f] && top[f].confidence >= AUTO_CLASSIFY_CONFIDENCE ? [[f, top[f].code]] : [])));
    if (Object.keys(codes).length === 0) return;
    await db.transaction().execute((trx) => fillClassification(trx, ticket.id, codes, createdAt));
  });
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
