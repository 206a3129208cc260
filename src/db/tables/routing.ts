import type { ColumnType, Generated } from 'kysely';

/* Tables of the routing module (migration 0037): settings, dialled numbers, operators, work items and offers. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | T | undefined, string | T>;

export type RoutingChannelColumn = 'phone' | 'callback' | 'chat' | 'email' | 'web';
export type PresenceColumn = 'available' | 'busy' | 'after_contact' | 'break' | 'offline';
export type WorkItemStatusColumn = 'waiting' | 'offered' | 'assigned' | 'completed' | 'abandoned' | 'cancelled';

export interface RoutingSettingsTable {
  office_id: string;
  max_queue: number | null;
  max_wait_seconds: number | null;
  offer_timeout_seconds: Generated<number>;
  service_level_seconds: Generated<number>;
  handle_seconds: Generated<number>;
  callback_after_seconds: number | null;
  version: Generated<number>;
  updated_at: Timestamp;
}

export interface RoutingNumbersTable {
  number: string;
  office_id: string;
}

export interface OperatorStatesTable {
  user_id: string;
  office_id: string;
  presence: Generated<PresenceColumn>;
  presence_since: Timestamp;
  idle_since: Timestamp;
  topics: Json<string[]>;
  languages: Json<string[]>;
  channels: Json<RoutingChannelColumn[]>;
  capacity: Json<Partial<Record<RoutingChannelColumn, number>>>;
  load: Json<Partial<Record<RoutingChannelColumn, number>>>;
  free_channels: Generated<string[]>;
  extension: string | null;
  version: Generated<number>;
  updated_at: Timestamp;
}

export interface WorkItemsTable {
  id: Generated<string>;
  office_id: string;
  organisation_id: string;
  channel: RoutingChannelColumn;
  topic: string | null;
  language: string | null;
  priority: Generated<number>;
  status: Generated<WorkItemStatusColumn>;
  ticket_id: string | null;
  call_id: string | null;
  caller: string | null;
  dialled: string | null;
  subject: string | null;
  enqueued_at: Timestamp;
  not_before: NullableTimestamp;
  overflow_office_ids: Json<string[]>;
  refused_by: Json<string[]>;
  refused_at: NullableTimestamp;
  offers: Generated<number>;
  assigned_to: string | null;
  assigned_office_id: string | null;
  answered_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  outcome: 'answered' | 'abandoned' | 'callback' | 'cancelled' | 'closed' | null;
  cti_state: 'ringing' | 'queued' | 'answered' | 'ended' | 'abandoned' | null;
  version: Generated<number>;
  created_by: string | null;
  updated_at: Timestamp;
}

export interface RoutingOffersTable {
  id: Generated<string>;
  item_id: string;
  user_id: string;
  office_id: string;
  overflow: Generated<boolean>;
  status: Generated<'pending' | 'accepted' | 'declined' | 'expired' | 'withdrawn'>;
  offered_at: Timestamp;
  expires_at: Timestamp;
  decided_at: NullableTimestamp;
}

export interface RoutingTables {
  routing_settings: RoutingSettingsTable;
  routing_numbers: RoutingNumbersTable;
  operator_states: OperatorStatesTable;
  work_items: WorkItemsTable;
  routing_offers: RoutingOffersTable;
}
