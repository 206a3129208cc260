import type { DB } from './schema.js';

/** Who owns a table: a module under src/modules, or the platform (src/platform). */
export type TableOwner = 'identity' | 'territory' | 'taxonomy' | 'tickets' | 'sharing' | 'knowledge' | 'classification' | 'history-import' | 'platform';

/**
 * Every table has exactly one owner, and only the owner's code names it in a query; other modules
 * go through the owner's exported use cases and read views (e.g. identity's `directory`).
 * `test/module-boundaries.test.ts` checks the source against this map; a new table without an
 * owner does not compile.
 */
export const TABLE_OWNERS: Record<keyof DB, TableOwner> = {
  organisations: 'identity',
  offices: 'identity',
  users: 'identity',
  role_grants: 'identity',
  sessions: 'identity',
  api_tokens: 'identity',
  login_throttle: 'identity',
  organisation_members: 'identity',
  organisation_invitations: 'identity',
  taxonomy_versions: 'taxonomy',
  taxonomy_nodes: 'taxonomy',
  taxonomy_drafts: 'taxonomy',
  taxonomy_crosswalk: 'taxonomy',
  taxonomy_proposals: 'taxonomy',
  taxonomy_local_nodes: 'taxonomy',
  requesters: 'tickets',
  tickets: 'tickets',
  ticket_messages: 'tickets',
  attachments: 'tickets',
  ticket_history: 'tickets',
  ticket_participants: 'tickets',
  ticket_tasks: 'tickets',
  ticket_transfers: 'tickets',
  network_agreements: 'sharing',
  office_competences: 'sharing',
  incidents: 'sharing',
  faq_articles: 'knowledge',
  faq_versions: 'knowledge',
  faq_thesaurus: 'knowledge',
  knowledge_revision: 'knowledge',
  faq_flag_notifications: 'knowledge',
  faq_feedback: 'knowledge',
  faq_portal_events: 'knowledge',
  faq_uses: 'knowledge',
  faq_gaps: 'knowledge',
  faq_ticket_sources: 'knowledge',
  classification_models: 'classification',
  classification_training_lease: 'classification',
  classification_suggestions: 'classification',
  classification_feedback: 'classification',
  history_mappings: 'history-import',
  history_imports: 'history-import',
  historical_contacts: 'history-import',
  idempotency_keys: 'platform',
  outbox: 'platform',
  outbox_deliveries: 'platform',
  notifications: 'platform',
  network_settings: 'identity',
  setup_tokens: 'identity',
  password_tokens: 'identity',
  invitation_links: 'identity',
  territory_regions: 'territory',
  territory_provinces: 'territory',
  territory_comuni: 'territory',
  territory_successions: 'territory',
  territory_meta: 'territory',
};
