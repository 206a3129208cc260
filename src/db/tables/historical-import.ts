import type { ColumnType, Generated } from 'kysely';

/* Kysely types of the tables created by migration 0010-historical-import. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | T, string | T>;
/** bigint: PGlite returns a JS bigint, pg a string; normalised in the repository. */
type BigIntColumn = ColumnType<string | number | bigint, number, number>;

export interface HistoryMappingsTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  version: number;
  taxonomy_version: string;
  content: Json<unknown>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface HistoryImportsTable {
  id: Generated<string>;
  organisation_id: string;
  source: string;
  filename: string;
  storage_key: string | null;
  size: BigIntColumn;
  sha256: string;
  compression: Generated<string>;
  encoding: string;
  delimiter: string;
  has_header: boolean;
  columns: Json<string[]>;
  row_count: number;
  settings: Json<unknown> | null;
  mapping_id: string | null;
  unmapped_policy: string | null;
  status: Generated<string>;
  report: Json<unknown> | null;
  imported_count: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  committed_at: NullableTimestamp;
  committed_by: string | null;
  version: Generated<number>;
  progress_done: Generated<number>;
  progress_total: number | null;
  commit_error: Json<{ code: string; message: string }> | null;
  commit_job_id: string | null;
}

/** `text` is the one column holding personal data (see the migration comment). */
export interface HistoricalContactsTable {
  id: Generated<string>;
  organisation_id: string;
  source: string;
  import_id: string;
  legacy_id: string;
  created_at: ColumnType<Date, Date | string, Date | string>;
  closed_at: NullableTimestamp;
  legacy_channel: string | null;
  legacy_category: string | null;
  legacy_status: string | null;
  taxonomy_version: string;
  classification: Json<Record<string, string>>;
  tema: string | null;
  classified: boolean;
  text: string | null;
  anonymised: Generated<boolean>;
  anonymised_at: NullableTimestamp;
  imported_at: Timestamp;
}

export interface HistoricalImportTables {
  history_mappings: HistoryMappingsTable;
  history_imports: HistoryImportsTable;
  historical_contacts: HistoricalContactsTable;
}

export type _Unused = Generated<number> | Timestamp | Json<unknown>;
