import type { ColumnType, Generated } from 'kysely';

/* Kysely types of the tables created by migration 0034-archive (owned by the archive module). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A `date` column: written as 'YYYY-MM-DD', read back as a Date (pg) or a string; normalised by the repository. */
type DateColumn = ColumnType<Date | string, string, string>;

/** One anonymised record waiting to be compacted into Parquet (no ticket id, code or requester). */
export interface ArchiveRecordsTable {
  record_id: string;
  month: string;
  source: 'ticket' | 'historical';
  organisation_id: string;
  organisation_ipa: string | null;
  office_id: string | null;
  channel: string | null;
  taxonomy_version: string;
  topic_code: string | null;
  classification_json: string;
  territory_code: string | null;
  territory_level: 'comune' | 'provincia' | 'regione' | null;
  opened_day: DateColumn;
  opened_hour: number | null;
  closed_day: DateColumn;
  first_response_minutes: number | null;
  resolution_minutes: number | null;
  offices_involved: number;
  handoffs: number;
  outcome: string | null;
  satisfaction: number | null;
  text: string;
  pii_counts: string;
  part_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ArchivedTicketsTable {
  ticket_id: string;
  archived_at: Timestamp;
}

export interface ArchivePartsTable {
  id: string;
  month: string;
  path: string;
  row_count: number;
  state: Generated<'writing' | 'written'>;
  created_at: Generated<Date>;
  written_at: NullableTimestamp;
}

export interface ArchiveSettingsTable {
  id: Generated<boolean>;
  grace_days: Generated<number>;
  min_comune_population: Generated<number>;
  time_granularity: Generated<'hour' | 'day'>;
  ticket_watermark_at: NullableTimestamp;
  ticket_watermark_id: ColumnType<string | null, string | null | undefined, string | null>;
  version: Generated<number>;
  updated_at: Generated<Date>;
  updated_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ArchiveRunsTable {
  id: string;
  requested_by: string | null;
  requested_at: Generated<Date>;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  state: Generated<'queued' | 'running' | 'done' | 'failed'>;
  tickets_archived: Generated<number>;
  historical_archived: Generated<number>;
  parts_written: Generated<number>;
  error: string | null;
}

export interface ArchiveTables {
  archive_records: ArchiveRecordsTable;
  archived_tickets: ArchivedTicketsTable;
  archive_parts: ArchivePartsTable;
  archive_settings: ArchiveSettingsTable;
  archive_runs: ArchiveRunsTable;
}
