import type { ColumnType, Generated } from 'kysely';

/* Kysely types of the tables created by migration 0008-taxonomy-governance. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | T, string | T>;

export interface TaxonomyDraftsTable {
  id: Generated<string>;
  scheme: string;
  base_version: string;
  version: string;
  /** TaxonomyOperation[] (see src/modules/taxonomy/taxonomy-changes.ts). */
  operations: Json<unknown[]>;
  status: Generated<string>;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: NullableTimestamp;
  revision: Generated<number>;
}

export interface TaxonomyCrosswalkTable {
  scheme: string;
  facet: string;
  from_version: string;
  from_code: string;
  to_version: string;
  to_code: string;
  relation: string;
  note: string | null;
  created_at: Timestamp;
}

export interface TaxonomyProposalsTable {
  id: Generated<string>;
  organisation_id: string;
  proposed_by: string | null;
  operations: Json<unknown[]>;
  rationale: string;
  status: Generated<string>;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  draft_id: string | null;
  created_at: Timestamp;
  version: Generated<number>;
}

export interface TaxonomyLocalNodesTable {
  id: Generated<string>;
  organisation_id: string;
  facet: string;
  code: string;
  parent_code: string;
  network_version: string;
  label: Json<Record<string, string>>;
  description: Json<Record<string, string> | null>;
  status: Generated<string>;
  status_note: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface TaxonomyGovernanceTables {
  taxonomy_drafts: TaxonomyDraftsTable;
  taxonomy_crosswalk: TaxonomyCrosswalkTable;
  taxonomy_proposals: TaxonomyProposalsTable;
  taxonomy_local_nodes: TaxonomyLocalNodesTable;
}
