import type { ColumnType, Generated } from 'kysely';

/* Kysely types of the tables created by migration 0007-faq-feedback. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | T, string | T>;

export interface FaqFeedbackTable {
  id: Generated<string>;
  faq_id: string;
  source: string;
  session_id: string | null;
  user_id: string | null;
  helpful: boolean;
  comment: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FaqPortalEventsTable {
  id: Generated<string>;
  session_id: string;
  kind: string;
  faq_id: string | null;
  organisation_id: string | null;
  query: string | null;
  lang: Generated<string>;
  place: string | null;
  result_count: number | null;
  top_score: number | null;
  helpful: boolean | null;
  created_at: Timestamp;
}

/** Deflected contacts counted per day of the first read, body and FAQ (migration 0043). */
export interface FaqDeflectionDaysTable {
  day: ColumnType<string, string, string>;
  organisation_id: string | null;
  faq_id: string | null;
  sessions: number;
  deflected: number;
}

/** Up to which day (exclusive) faq_deflection_days is complete. */
export interface FaqDeflectionRollupTable {
  id: Generated<number>;
  through: ColumnType<string | null, string | null, string | null>;
  updated_at: Generated<Timestamp>;
}

export interface FaqUsesTable {
  id: Generated<string>;
  faq_id: string;
  user_id: string | null;
  organisation_id: string | null;
  context: string;
  created_at: Timestamp;
}

export interface FaqGapsTable {
  id: Generated<string>;
  lang: string;
  query_key: string;
  territory: Generated<string>;
  organisation_id: string | null;
  samples: Json<string[]>;
  occurrences: Generated<number>;
  no_results: Generated<number>;
  low_score: Generated<number>;
  not_helpful: Generated<number>;
  contact: Generated<number>;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  status: Generated<string>;
  faq_id: string | null;
  note: string | null;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  version: Generated<number>;
}

export interface FaqTicketSourcesTable {
  faq_id: string;
  ticket_id: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface FaqFeedbackTables {
  faq_feedback: FaqFeedbackTable;
  faq_portal_events: FaqPortalEventsTable;
  faq_deflection_days: FaqDeflectionDaysTable;
  faq_deflection_rollup: FaqDeflectionRollupTable;
  faq_uses: FaqUsesTable;
  faq_gaps: FaqGapsTable;
  faq_ticket_sources: FaqTicketSourcesTable;
}
