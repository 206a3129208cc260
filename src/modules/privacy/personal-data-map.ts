import type { DB } from '../../db/schema.js';

/**
 * Where personal data lives in the live database (issue 13), table by table, and what retention and
 * the data subject's requests do with it. Typed by the database schema: a table added to `DB` without
 * an entry here does not compile, and `test/privacy-map.test.ts` compares the entries with the tables
 * of a migrated database (tables created by raw SQL only, such as `similar_requests`, included).
 *
 * `subject`: whose data — `citizen` (in scope of retention and of art. 15/17 requests), `staff`
 * (accounts of the network's own people: managed by identity, not by citizens' requests), `none`.
 * `handling`: `purge` (retention and erasure act on it), `scrubbed` (only scrubbed text is stored;
 * erasure still removes the subject's values), `delete` (rows removed), `none` (no personal data).
 */
export interface PersonalDataLocation {
  subject: 'citizen' | 'staff' | 'none';
  columns: readonly string[];
  handling: 'purge' | 'scrubbed' | 'delete' | 'archive' | 'none';
  note: string;
}

/** Tables created by raw SQL only (no Kysely type), still to be classified. */
type UntypedTables = 'similar_requests';

const none = (note: string): PersonalDataLocation => ({ subject: 'none', columns: [], handling: 'none', note });
const staff = (columns: string[], note: string): PersonalDataLocation => ({ subject: 'staff', columns, handling: 'none', note });

export const PERSONAL_DATA_LOCATIONS: Readonly<Record<keyof DB | UntypedTables, PersonalDataLocation>> = {
  // Citizens' data held by the tickets module: the heart of retention and erasure.
  requesters: { subject: 'citizen', columns: ['name', 'email', 'phone', 'fiscal_code', 'search_text', 'search_phone', 'search_fiscal_code'], handling: 'purge', note: 'Fields nulled, anonymised_at set (search_* follow by trigger). Kept copies of other offices (ticket_participants.kept_requester_id) too.' },
  tickets: { subject: 'citizen', columns: ['subject', 'description', 'search', 'similar_subject', 'similar_text', 'similar_private'], handling: 'purge', note: 'Text scrubbed (requester values removed by value, then the recogniser); search is generated, similar_* reset by trigger; personal_data_purged_at set.' },
  ticket_messages: { subject: 'citizen', columns: ['body'], handling: 'purge', note: 'Bodies scrubbed with the ticket.' },
  attachments: { subject: 'citizen', columns: ['filename', 'storage_key (file content)'], handling: 'purge', note: 'Files deleted from the store (DATA_DIR/attachments), then rows deleted.' },
  ticket_history: { subject: 'citizen', columns: ['changes'], handling: 'purge', note: 'Append-only; text values (old subjects, requester fields) scrubbed through the purge door of migration 0035.' },
  ticket_participants: { subject: 'citizen', columns: ['reason', 'decline_reason', 'kept_requester_id'], handling: 'purge', note: 'Free text of staff about the ticket: scrubbed; kept requester copies anonymised.' },
  ticket_tasks: { subject: 'citizen', columns: ['title', 'description'], handling: 'purge', note: 'Free text of staff about the ticket: scrubbed.' },
  ticket_transfers: { subject: 'citizen', columns: ['reason', 'decline_reason'], handling: 'purge', note: 'Free text of staff about the ticket: scrubbed.' },
  // Platform tables that copy ticket data.
  notifications: { subject: 'citizen', columns: ['title', 'body', 'params'], handling: 'delete', note: 'May carry a ticket subject or task title: deleted with the purged ticket.' },
  outbox: { subject: 'citizen', columns: ['payload'], handling: 'delete', note: 'Payloads may carry share/transfer reasons and task titles: finished events of a purged ticket deleted.' },
  outbox_deliveries: none('Handler names, attempts and errors of outbox events; deleted with their event.'),
  idempotency_keys: { subject: 'citizen', columns: ['response'], handling: 'delete', note: 'A stored create response may be a whole ticket with its requester: keys older than 7 days deleted at every run; an erasure deletes those mentioning the person.' },
  // Knowledge: citizens' portal searches and comments, scrubbed before storage.
  faq_portal_events: { subject: 'citizen', columns: ['query'], handling: 'scrubbed', note: 'Scrubbed at storage; retention forgets the text after the window; erasure removes the person\'s values.' },
  faq_gaps: { subject: 'citizen', columns: ['query_key', 'samples'], handling: 'scrubbed', note: 'Scrubbed at storage; erasure removes the person\'s values.' },
  faq_feedback: { subject: 'citizen', columns: ['comment'], handling: 'scrubbed', note: 'Scrubbed at storage; erasure removes the person\'s values.' },
  faq_deflection_days: none('Counts of portal sessions per day, body and FAQ; no session, query or person.'),
  faq_deflection_rollup: none('The day up to which those counts are complete.'),
  faq_ticket_sources: none('Links a FAQ draft to its ticket (ids only); the draft\'s text was scrubbed with the requester\'s values when made.'),
  faq_articles: none('Editorial content; drafts made from tickets are scrubbed at creation. Staff ids only.'),
  faq_versions: none('Editorial content snapshots.'),
  faq_thesaurus: none('Vocabulary.'),
  knowledge_revision: none('A counter.'),
  faq_flag_notifications: none('Ids and flags.'),
  faq_uses: none('Ids and counts.'),
  // Classification keeps no text (migration 0009).
  classification_models: none('Serialised weights, no training text.'),
  classification_training_lease: none('A lease.'),
  classification_suggestions: none('Text length and suggested codes only, no text.'),
  classification_feedback: none('Codes chosen, no text.'),
  // Historical contacts: one text column, redacted by the archive.
  historical_contacts: { subject: 'citizen', columns: ['text'], handling: 'archive', note: 'Legacy free text; the archive redacts it when it archives the contact (anonymised=true); erasure removes the person\'s values at any time.' },
  history_imports: none('File metadata and line reports without text; the uploaded file is deleted on commit.'),
  history_mappings: none('Category mappings.'),
  // Sharing.
  incidents: { subject: 'citizen', columns: ['title', 'description'], handling: 'scrubbed', note: 'Scrubbed of personal data at creation (network-visible).' },
  similar_requests: { subject: 'citizen', columns: ['message'], handling: 'scrubbed', note: 'Scrubbed at creation; deleted with its tickets (on delete cascade).' },
  network_agreements: none('Agreements between bodies.'),
  office_competences: none('Topics and territories.'),
  competence_revision: none('A counter.'),
  // Staff accounts: identity's, not in scope of citizens' requests.
  users: staff(['email', 'name', 'password_hash', 'external_subject'], 'Staff accounts: deactivated and managed by identity; not in scope of citizens\' requests.'),
  sessions: staff(['ip', 'user_agent'], 'Staff sessions, expire.'),
  api_tokens: staff(['name'], 'Staff tokens (hashed).'),
  login_throttle: staff(['key'], 'Failure budgets keyed by staff e-mail or address; short windows.'),
  role_grants: staff([], 'Staff roles.'),
  organisation_members: staff([], 'Staff memberships.'),
  organisation_invitations: staff(['email'], 'Invitations of staff.'),
  invitation_links: staff(['token_sealed'], 'Sealed one-time links of staff.'),
  password_tokens: staff(['token_hash'], 'Hashed one-time links of staff.'),
  setup_tokens: none('Hashed first-run token.'),
  organisation_exits: staff(['disabled_user_ids', 'ended_membership_user_ids'], 'Staff ids.'),
  organisations: none('Public bodies (institutional e-mail and PEC).'),
  offices: none('Offices (institutional contacts).'),
  network_settings: none('The network.'),
  // Reference data.
  taxonomy_versions: none('Reference data.'),
  taxonomy_nodes: none('Reference data.'),
  taxonomy_drafts: none('Reference data.'),
  taxonomy_crosswalk: none('Reference data.'),
  taxonomy_proposals: none('Proposals between bodies.'),
  taxonomy_local_nodes: none('Reference data.'),
  territory_regions: none('Reference data.'),
  territory_provinces: none('Reference data.'),
  territory_comuni: none('Reference data.'),
  territory_successions: none('Reference data.'),
  territory_meta: none('Reference data.'),
  // The anonymised archive: no personal data by construction, untouched by requests.
  archive_records: none('Anonymised records (the archive module guarantees it).'),
  archived_tickets: none('Ids of archived tickets.'),
  archive_parts: none('Parquet files of anonymised records.'),
  archive_settings: none('Settings.'),
  archive_runs: none('Runs of the archive sweep (counts, error codes).'),
  // Privacy's own tables.
  retention_policies: none('Months per organisation.'),
  retention_runs: none('Counts only.'),
  data_subject_requests: { subject: 'citizen', columns: ['export'], handling: 'delete', note: 'Criteria never stored (only their kinds); an access export waits until downloaded once or expired (7 days).' },
  // Analytics: plans made by staff about slices of the anonymised archive.
  action_plans: staff(['owner_user_id', 'created_by'], 'Actions on slices of contacts (topic, territory, channel), never on a person; the owner and author are staff.'),
  contact_counts: none('Counts of contacts per day, office, topic, territory and channel: no ticket, no person.'),
  analytics_alarms: none('Alarms on series of counts and on terms of the anonymised archive.'),
  analytics_alarm_states: staff(['status_by'], 'The status each body gave an alarm; who set it is staff.'),
  alarm_watches: staff(['user_id'], 'The slices a staff member watches.'),
  alarm_scans: none('Timing and counts of alarm scans.'),
  // Routing (issue 12): the queue's items carry the caller's number and a short subject until they end.
  routing_settings: none('Queue thresholds and timeouts per office.'),
  routing_numbers: none('Public numbers of offices dialled by citizens.'),
  operator_states: staff(['user_id', 'extension'], 'Presence, skills and load of operators.'),
  work_items: { subject: 'citizen', columns: ['caller', 'subject'], handling: 'purge', note: 'Nulled by the routing.purge job 30 days after the item ended (times, channel and office stay for the wallboard and statistics).' },
  routing_offers: staff(['user_id'], 'Which operator was offered which item, and the answer.'),
  // The citizen channels (issue 15): addresses live in `requesters`; these tables hold only what the channel needs.
  citizen_links: none('Hash of the private tracking token, the reply channel and language: nothing that names the citizen.'),
  citizen_deliveries: none('What was sent to the citizen and how it went; no address (read from the requester at sending time).'),
  ticket_ratings: { subject: 'citizen', columns: ['comment'], handling: 'purge', note: 'The comment is nulled by the citizen purge job once the ticket\'s personal data is purged; the score stays.' },
  mailboxes: none('Addresses of offices, not of people.'),
  inbound_mail: { subject: 'citizen', columns: ['sender', 'subject', 'storage_key (raw message)'], handling: 'purge', note: 'Subject and raw file kept only while quarantined (released or dismissed messages lose them); the sender is kept 30 days for flood detection. The citizen purge job nulls sender, subject and the raw file 30 days after receipt.' },
  portal_challenges: none('Hashes of spent proof-of-work challenges, deleted after a day.'),
  request_fields: none('Form fields an office asks for per topic.'),
  privacy_notices: none('The address of each body\'s privacy notice and its DPO\'s office address.'),
};

/** Tables of the database that are bookkeeping of tools, not of the application. */
export const TOOL_TABLES: readonly string[] = ['urpnet_migrations', 'urpnet_migrations_lock'];
