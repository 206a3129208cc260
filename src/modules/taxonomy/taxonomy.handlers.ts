import type { Database } from '../../db/database.js';
import type { OutboxDispatcher } from '../../platform/events.js';
import { notifyUser } from '../../platform/notifications.js';

/** The proposer of a taxonomy change hears of the coordinator's decision (kind + params; idempotent per event). */
export function registerTaxonomyNotifications(events: OutboxDispatcher, db: Database): void {
  events.on('taxonomy.proposal_approved', 'onTaxonomyProposalApproved_notifyProposer', async ({ id, payload: p }) => {
    if (!p.proposedBy) return;
    await notifyUser(db, p.proposedBy, { kind: 'taxonomy.proposal_approved', params: { version: p.version, rationale: p.rationale }, link: '/taxonomia', eventId: id, now: new Date() });
  });
  events.on('taxonomy.proposal_rejected', 'onTaxonomyProposalRejected_notifyProposer', async ({ id, payload: p }) => {
    if (!p.proposedBy) return;
    await notifyUser(db, p.proposedBy, { kind: 'taxonomy.proposal_rejected', params: { reason: p.reason }, link: '/taxonomia', eventId: id, now: new Date() });
  });
}
