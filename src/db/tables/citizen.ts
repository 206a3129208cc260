import type { ColumnType, Generated } from 'kysely';

/* Tables of the citizen-channels module (migration 0038): tracking links, deliveries, ratings, mailboxes, inbound mail. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | T | undefined, string | T>;

export type ReplyChannelColumn = 'email' | 'pec';
export type DeliveryKindColumn = 'reply' | 'acknowledgement' | 'rating_request';
export type DeliveryStatusColumn = 'queued' | 'sent' | 'delivered' | 'bounced' | 'failed' | 'no_contact';
export type InboundOutcomeColumn = 'ticket_created' | 'ticket_joined' | 'receipt' | 'bounce' | 'quarantined' | 'released' | 'dismissed';

export interface CitizenLinksTable {
  ticket_id: string;
  token_hash: string;
  token_seed: string;
  reply_channel: Generated<ReplyChannelColumn>;
  lang: Generated<'it' | 'en'>;
  submission_key: string | null;
  /** The privacy notice accepted on the portal: its address, or `network` (migration 0039). */
  consent_notice: string | null;
  created_at: Timestamp;
}

export interface CitizenDeliveriesTable {
  id: Generated<string>;
  ticket_id: string;
  message_id: string | null;
  kind: DeliveryKindColumn;
  channel: ReplyChannelColumn;
  status: Generated<DeliveryStatusColumn>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TicketRatingsTable {
  ticket_id: string;
  score: number;
  comment: string | null;
  via: 'portal' | 'email';
  rated_at: Timestamp;
}

export interface MailboxesTable {
  id: Generated<string>;
  office_id: string;
  address: string;
  kind: Generated<ReplyChannelColumn>;
  active: Generated<boolean>;
  created_at: Timestamp;
  /** The mailbox's own SMTP URL with credentials, sealed (platform/sealed.ts); null: the network's relay (migration 0040). */
  outgoing_smtp: string | null;
  /** user@host:port of that server, to show. */
  outgoing_label: string | null;
  /** The mailbox's IMAP URL with credentials, sealed; null: SMTP intake only (migration 0042). */
  incoming_imap: string | null;
  /** user@host:port/folder of that server, to show. */
  incoming_label: string | null;
  imap_uid_validity: string | null;
  /** The folder's UIDNEXT when first read: messages below it are taken only if unread. */
  imap_first_uid: Generated<number>;
  /** The highest UID taken from the folder (of imap_uid_validity). */
  imap_last_uid: Generated<number>;
  imap_polled_at: NullableTimestamp;
  imap_error: string | null;
  imap_lease_until: NullableTimestamp;
  /** A message the intake failed on, and in how many polls in a row (third: quarantined). */
  imap_failed_uid: number | null;
  imap_failures: Generated<number>;
}

export interface InboundMailTable {
  id: Generated<string>;
  mailbox_id: string;
  message_id: string | null;
  received_at: Timestamp;
  outcome: InboundOutcomeColumn;
  reason: string | null;
  ticket_id: string | null;
  sender: string | null;
  subject: string | null;
  storage_key: string | null;
  size: number;
  settled_by: string | null;
  settled_at: NullableTimestamp;
}

export interface PortalChallengesTable {
  challenge_hash: string;
  spent_at: Timestamp;
}

export interface RequestFieldDefinition {
  key: string;
  label: { it: string; en?: string };
  type: 'text' | 'textarea' | 'date' | 'number' | 'select';
  required: boolean;
  options?: { value: string; label: { it: string; en?: string } }[];
}

export interface RequestFieldsTable {
  office_id: string;
  topic: string;
  fields: Json<RequestFieldDefinition[]>;
  updated_at: Timestamp;
}

export interface PrivacyNoticesTable {
  organisation_id: string;
  notice_url: string;
  dpo_email: string | null;
  updated_at: Timestamp;
}

export interface CitizenTables {
  citizen_links: CitizenLinksTable;
  citizen_deliveries: CitizenDeliveriesTable;
  ticket_ratings: TicketRatingsTable;
  mailboxes: MailboxesTable;
  inbound_mail: InboundMailTable;
  portal_challenges: PortalChallengesTable;
  request_fields: RequestFieldsTable;
  privacy_notices: PrivacyNoticesTable;
}
