import type { ColumnType, Generated } from 'kysely';
import type { FaqEditorialTables } from './tables/faq-editorial.js';
import type { FaqFeedbackTables } from './tables/faq-feedback.js';
import type { TaxonomyGovernanceTables } from './tables/taxonomy-governance.js';
import type { ClassificationTables } from './tables/classification.js';
import type { HistoricalImportTables } from './tables/historical-import.js';
import type { IdentityMembershipTables } from './tables/identity-membership.js';
import type { PrivacyTables } from './tables/privacy.js';
import type { AnalyticsTables } from './tables/analytics.js';
import type { ArchiveTables } from './tables/archive.js';
import type { RoutingTables } from './tables/routing.js';
import type { CitizenTables } from './tables/citizen.js';

/** Timestamps are written as Date or ISO strings and always read back as Date. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** Same read/insert/update shapes as Timestamp; columns with a database default are simply optional on insert. */
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | T, string | T>;

/**
 * A value recorded in a ticket's history: a code, a text, a number, a yes/no, a list of codes, or
 * (in entries written before per-facet lines) a small record such as a whole classification.
 */
export type HistoryValue = string | number | boolean | null | string[] | { [key: string]: string | null };
/* Values the tables' CHECK constraints allow; the modules' constant lists are checked against them. */
export type TaxonomyVersionStatus = 'draft' | 'published' | 'retired';
export type TicketStatusValue = 'new' | 'open' | 'pending_citizen' | 'pending_office' | 'resolved' | 'closed';
export type ShareStatus = 'pending' | 'active' | 'declined' | 'revoked';
export type TransferStatus = 'pending' | 'accepted' | 'declined' | 'cancelled';
export type FaqStatus = 'draft' | 'in_review' | 'published' | 'archived';

/** The fields one history entry changed, each from one value to another. */
export type HistoryChanges = Record<string, { from: HistoryValue; to: HistoryValue }>;

export interface OrganisationsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  type: string;
  ipa_code: string;
  istat_code: string | null;
  tax_code: string | null;
  region_istat: string | null;
  parent_id: string | null;
  /** E-mail and PEC of the IPA register (migration 0031, bulk onboarding). */
  email: ColumnType<string | null, string | null | undefined, string | null>;
  pec: ColumnType<string | null, string | null | undefined, string | null>;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OfficesTable {
  id: Generated<string>;
  organisation_id: string;
  slug: string;
  name: string;
  kind: string;
  email: string | null;
  pec: string | null;
  phone: string | null;
  address: string | null;
  channels: Json<string[]>;
  calendar: Json<unknown>;
  territory: Json<string[]>;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string | null;
  locale: Generated<string>;
  active: Generated<boolean>;
  external_subject: string | null;
  /** The organisation that created the account: only its administrators (or a network coordinator) manage it. */
  home_organisation_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_login_at: NullableTimestamp;
}

export interface RoleGrantsTable {
  id: Generated<string>;
  user_id: string;
  role: string;
  organisation_id: string;
  office_id: string | null;
  created_at: Timestamp;
  created_by: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  scopes: Json<string[]>;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

/** Fixed-window failure budgets of login attempts, keyed `account:<email>` or `address:<address>` (identity/login-throttle.ts). */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: Timestamp;
}

export interface TaxonomyVersionsTable {
  id: Generated<string>;
  scheme: string;
  version: string;
  status: Generated<TaxonomyVersionStatus>;
  content: Json<unknown>;
  published_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface TaxonomyNodesTable {
  version_id: string;
  facet: string;
  code: string;
  parent_code: string | null;
  path: string;
  depth: number;
  position: number;
  label: Json<Record<string, string>>;
  description: Json<Record<string, string> | null>;
  deprecated: Generated<boolean>;
}

export interface RequestersTable {
  id: Generated<string>;
  organisation_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  fiscal_code: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  anonymised_at: NullableTimestamp;
}

export interface TicketsTable {
  id: Generated<string>;
  code: string;
  organisation_id: string;
  office_id: string;
  channel: string;
  subject: string;
  description: string;
  priority: string;
  status: TicketStatusValue;
  outcome: string | null;
  classification: Json<Record<string, string>>;
  taxonomy_version: string;
  topic_path: string | null;
  requester_id: string | null;
  assignee_id: string | null;
  created_by: string | null;
  due_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  resolved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  version: Generated<number>;
  search: ColumnType<string, never, never>;
  incident_id: ColumnType<string | null, string | null | undefined, string | null>;
  duplicate_of_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the requester's details and the ticket's text were purged (retention or erasure, migration 0035). */
  personal_data_purged_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface TicketMessagesTable {
  id: Generated<string>;
  ticket_id: string;
  kind: 'reply' | 'note' | 'citizen';
  body: string;
  author_id: string | null;
  organisation_id: string | null;
  created_at: Timestamp;
  /** Where a citizen's message came from (migration 0038); null for staff messages. */
  channel: ColumnType<'web' | 'email' | 'pec' | null, 'web' | 'email' | 'pec' | null | undefined, 'web' | 'email' | 'pec' | null>;
  /** The Message-ID of a message that came or went by e-mail, so replies thread. */
  email_message_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AttachmentsTable {
  id: Generated<string>;
  ticket_id: string;
  message_id: string | null;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string | null;
  created_at: Timestamp;
}

export interface TicketHistoryTable {
  id: Generated<number>;
  ticket_id: string;
  actor_id: string | null;
  action: string;
  changes: Json<HistoryChanges>;
  at: Timestamp;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  status_code: number | null;
  response: Json<unknown> | null;
  headers: Json<Record<string, string>> | null;
  created_at: Timestamp;
}

export interface OutboxTable {
  id: Generated<number>;
  topic: string;
  aggregate_id: string | null;
  organisation_id: string | null;
  payload: Json<unknown>;
  created_at: Timestamp;
  dispatched_at: NullableTimestamp;
}

export interface OutboxDeliveriesTable {
  event_id: number;
  handler: string;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: Generated<Date>;
  done_at: NullableTimestamp;
  dead_at: NullableTimestamp;
}

export interface TicketParticipantsTable {
  id: Generated<string>;
  ticket_id: string;
  office_id: string;
  organisation_id: string;
  mode: 'collaborate' | 'consult';
  status: ShareStatus;
  share_requester: Generated<boolean>;
  reason: string;
  decline_reason: string | null;
  requested_by: string | null;
  requested_at: Timestamp;
  responded_by: string | null;
  responded_at: NullableTimestamp;
  version: Generated<number>;
  /** The ticket's updated_at, kept in step by triggers (sort key of "shared with my office"). */
  ticket_updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface TicketTransfersTable {
  id: Generated<string>;
  ticket_id: string;
  kind: 'transfer' | 'escalation';
  from_office_id: string;
  to_office_id: string;
  reason_code: string;
  reason: string;
  status: TransferStatus;
  decline_reason: string | null;
  requested_by: string | null;
  requested_at: Timestamp;
  responded_by: string | null;
  responded_at: NullableTimestamp;
  version: Generated<number>;
}

export interface TicketTasksTable {
  id: Generated<string>;
  ticket_id: string;
  office_id: string;
  title: string;
  description: string | null;
  assignee_id: string | null;
  status: Generated<'open' | 'done' | 'cancelled'>;
  due_at: NullableTimestamp;
  created_by: string | null;
  created_at: Timestamp;
  completed_at: NullableTimestamp;
  version: Generated<number>;
}

export interface NetworkAgreementsTable {
  id: Generated<string>;
  from_organisation_id: string;
  to_organisation_id: string;
  kinds: Json<string[]>;
  topics: Json<string[]>;
  auto_accept: Generated<boolean>;
  status: 'proposed' | 'active' | 'rejected' | 'revoked';
  note: string | null;
  proposed_by: string | null;
  proposed_at: Timestamp;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  version: Generated<number>;
  /** Overflow terms of an agreement with kind `overflow` (migration 0037). */
  overflow: ColumnType<AgreementOverflowColumn | null, string | null | undefined, string | null>;
}

export interface AgreementOverflowColumn {
  afterSeconds: number;
  cap: number | null;
  when: ('closed' | 'queue' | 'wait')[];
}

export interface OfficeCompetencesTable {
  id: Generated<string>;
  office_id: string;
  topic: string;
  territory: Json<string[]>;
  note: string | null;
}

/** How many times the declared competences changed (one row, bumped by a trigger; migration 0032). */
export interface CompetenceRevisionTable {
  id: number;
  revision: ColumnType<string, string | number | undefined, string | number>;
  updated_at: Timestamp;
}

export interface IncidentsTable {
  id: Generated<string>;
  organisation_id: string;
  office_id: string;
  title: string;
  description: string;
  topic: string | null;
  territory: Json<string[]>;
  status: Generated<'open' | 'resolved'>;
  created_by: string | null;
  created_at: Timestamp;
  resolved_at: NullableTimestamp;
  version: Generated<number>;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: string;
  kind: string;
  ticket_id: string | null;
  /** The ticket's code at the time (migration 0028); the ticket keeps its code for life. */
  ticket_code: ColumnType<string | null, string | null | undefined, string | null>;
  /** Only on rows stored before notifications were written from kind + params (migration 0024). */
  title: ColumnType<string | null, string | null | undefined, string | null>;
  body: ColumnType<string | null, string | null | undefined, string | null>;
  /** The outbox event whose handler wrote the notification (unique per user and kind). */
  event_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** App-relative path of the object the notification is about, when it is not a ticket. */
  link: ColumnType<string | null, string | null | undefined, string | null>;
  /** What the web app needs to write the notification in the reader's language (see platform/notifications.ts). */
  params: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Timestamp;
  read_at: NullableTimestamp;
}

export interface FaqArticlesTable {
  id: Generated<string>;
  external_id: string | null;
  organisation_id: string | null;
  scope: string;
  owner_label: string;
  canonical_id: string | null;
  lang: string;
  title: string;
  body: string;
  tema: string | null;
  tipo: string | null;
  ente_competente: string | null;
  tags: Json<string[]>;
  status: FaqStatus;
  version: Generated<number>;
  review_by: ColumnType<string | null, string | null | undefined, string | null>;
  published_at: NullableTimestamp;
  created_by: string | null;
  updated_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  search: ColumnType<string, never, never>;
  // 0006-faq-editorial
  owner_id: ColumnType<string | null, string | null | undefined, string | null>;
  publish_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revision: ColumnType<FaqContentJson | null, string | null | undefined, string | null>;
  revision_status: ColumnType<string | null, string | null | undefined, string | null>;
  published_version: ColumnType<number | null, number | null | undefined, number | null>;
  adopted_from: ColumnType<string | null, string | null | undefined, string | null>;
  local_fields: ColumnType<Record<string, string>, string | undefined, string>;
  source_version: ColumnType<number | null, number | null | undefined, number | null>;
  review_note: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The content of a FAQ working copy (faq_articles.revision). */
export interface FaqContentJson {
  title: string;
  body: string;
  tema: string | null;
  tipo: string | null;
  enteCompetente: string | null;
  tags: string[];
}

export interface FaqVersionsTable {
  faq_id: string;
  version: number;
  title: string;
  body: string;
  tema: string | null;
  tipo: string | null;
  ente_competente: string | null;
  tags: Json<string[]>;
  status: FaqStatus;
  changed_by: string | null;
  changed_at: Timestamp;
  note: string | null;
}

export interface FaqThesaurusTable {
  id: Generated<string>;
  kind: string;
  lang: Generated<string>;
  terms: Json<string[]>;
  note: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface KnowledgeRevisionTable {
  id: number;
  revision: number;
  updated_at: Timestamp;
}

/** The network itself (one row, migration 0029). */
export interface NetworkSettingsTable {
  id: Generated<boolean>;
  name: string;
  created_at: Generated<Date>;
}

/** The one-time token of the first-run page, while no coordinator exists (one row at most). */
export interface SetupTokensTable {
  id: Generated<boolean>;
  token_hash: string;
  created_at: Generated<Date>;
}

/** One-time links to set a password (the first coordinator's, later invitations and resets). */
export interface PasswordTokensTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  purpose: 'first_password' | 'reset';
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

/** The Italian territory (migration 0030): reference data owned by the territory module. */
export interface TerritoryTables {
  territory_regions: { code: string; name: string };
  territory_provinces: { code: string; sigla: string; name: string; region_code: string; kind: string };
  territory_comuni: { code: string; name: string; alt_name: string | null; province_code: string; region_code: string; cadastral_code: string | null; population: number | null };
  territory_successions: { old_code: string; old_name: string; new_code: string; since: ColumnType<string | null, string | null, string | null> };
  territory_meta: { id: Generated<boolean>; version: string; source: string; updated_at: Generated<Date> };
}

/** A one-time link inviting an imported person to set their password, sealed with the server secret until handed over (migration 0031). */
export interface InvitationLinksTable {
  id: Generated<string>;
  user_id: string;
  /** The organisation whose import created the account: its administrators may hand the link over. */
  organisation_id: string | null;
  token_sealed: string;
  expires_at: Timestamp;
  mailed_at: NullableTimestamp;
  created_at: Generated<Date>;
}

/** A body's exit from the network and what it switched off, to restore on its return (migration 0033). */
export interface OrganisationExitsTable {
  id: Generated<string>;
  organisation_id: string;
  left_at: Generated<Date>;
  left_by: string | null;
  office_ids: Json<string[]>;
  disabled_user_ids: Json<string[]>;
  ended_membership_user_ids: Json<string[]>;
  summary: Json<Record<string, number>>;
  rejoined_at: NullableTimestamp;
  rejoined_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DB extends TerritoryTables, FaqEditorialTables, FaqFeedbackTables, TaxonomyGovernanceTables, ClassificationTables, HistoricalImportTables, IdentityMembershipTables, ArchiveTables, PrivacyTables, AnalyticsTables, RoutingTables, CitizenTables {
  organisations: OrganisationsTable;
  offices: OfficesTable;
  users: UsersTable;
  role_grants: RoleGrantsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  network_settings: NetworkSettingsTable;
  setup_tokens: SetupTokensTable;
  password_tokens: PasswordTokensTable;
  invitation_links: InvitationLinksTable;
  organisation_exits: OrganisationExitsTable;
  taxonomy_versions: TaxonomyVersionsTable;
  taxonomy_nodes: TaxonomyNodesTable;
  requesters: RequestersTable;
  tickets: TicketsTable;
  ticket_messages: TicketMessagesTable;
  attachments: AttachmentsTable;
  ticket_history: TicketHistoryTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox: OutboxTable;
  outbox_deliveries: OutboxDeliveriesTable;
  ticket_participants: TicketParticipantsTable;
  ticket_transfers: TicketTransfersTable;
  ticket_tasks: TicketTasksTable;
  network_agreements: NetworkAgreementsTable;
  office_competences: OfficeCompetencesTable;
  competence_revision: CompetenceRevisionTable;
  incidents: IncidentsTable;
  notifications: NotificationsTable;
  faq_articles: FaqArticlesTable;
  faq_versions: FaqVersionsTable;
  faq_thesaurus: FaqThesaurusTable;
  knowledge_revision: KnowledgeRevisionTable;
}
