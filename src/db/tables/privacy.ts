import type { ColumnType, Generated } from 'kysely';

/* Tables of the privacy module (migration 0035): retention policies and runs, data subject requests. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | T, string | T>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export interface RetentionPoliciesTable {
  organisation_id: string;
  requester_months: Generated<number>;
  attachment_months: Generated<number>;
  updated_by: string | null;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface RetentionRunsTable {
  id: Generated<string>;
  organisation_id: string;
  trigger: 'schedule' | 'manual';
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  /** Counts only (tickets purged, files deleted, …), never the data. */
  counts: Json<Record<string, number>>;
}

export interface DataSubjectRequestsTable {
  id: Generated<string>;
  kind: 'erasure' | 'access';
  organisation_id: string;
  status: 'executed' | 'failed';
  /** Which kinds of criterion were searched (`email`, `phone`, `fiscalCode`, `name`): never their values. */
  criteria_kinds: Json<string[]>;
  candidate_count: number;
  /** Matched records per organisation id (counts). */
  matched: Json<Record<string, Record<string, number>>>;
  /** What the execution changed or exported (counts). */
  result: Json<Record<string, number>>;
  created_by: string | null;
  created_at: Timestamp;
  executed_by: string | null;
  executed_at: NullableTimestamp;
  /** An access request's export, until downloaded once or expired. */
  export: NullableJson<unknown>;
  export_expires_at: NullableTimestamp;
  export_downloaded_at: NullableTimestamp;
}

export interface PrivacyTables {
  retention_policies: RetentionPoliciesTable;
  retention_runs: RetentionRunsTable;
  data_subject_requests: DataSubjectRequestsTable;
}
