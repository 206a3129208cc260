import type { ColumnType, Generated } from 'kysely';

/* Kysely types of the tables created by migration 0009-classification-models. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | T, string | T>;

export interface ClassificationModelsTable {
  id: Generated<string>;
  facet: string;
  version: number;
  taxonomy_version: string;
  trigger: string;
  trained_by: string | null;
  trained_at: Timestamp;
  train_ms: number;
  training_counts: Json<Record<string, number>>;
  metrics: Json<Record<string, number | null>>;
  model_format: number;
  model_bytes: number;
  model: string;
}

export interface ClassificationTrainingLeaseTable {
  id: number;
  holder: string | null;
  acquired_at: NullableTimestamp;
  expires_at: Timestamp;
}

/** Per facet: the model that suggested and its top codes with confidences. */
export type SuggestedJson = Record<string, { modelId: string; modelVersion: number; codes: { code: string; confidence: number }[] }>;

export interface ClassificationSuggestionsTable {
  id: Generated<string>;
  user_id: string;
  organisation_id: string | null;
  text_length: number;
  suggested: Json<SuggestedJson>;
  created_at: Timestamp;
}

export interface ClassificationFeedbackTable {
  id: Generated<string>;
  suggestion_id: string;
  model_id: string;
  model_version: number;
  facet: string;
  suggested_code: string;
  chosen_code: string;
  chosen_rank: number | null;
  ticket_id: string | null;
  user_id: string;
  organisation_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ClassificationTables {
  classification_models: ClassificationModelsTable;
  classification_training_lease: ClassificationTrainingLeaseTable;
  classification_suggestions: ClassificationSuggestionsTable;
  classification_feedback: ClassificationFeedbackTable;
}
