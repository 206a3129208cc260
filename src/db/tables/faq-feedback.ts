import type { ColumnType, Generated } from 'kysely';

/* Kysely types of the tables created by migration 0007-faq-feedback. */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | T, string | T>;

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the feature
export interface FaqFeedbackTables {}

export type _Unused = Generated<number> | Timestamp | Json<unknown>;
