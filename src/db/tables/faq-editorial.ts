import type { ColumnType } from 'kysely';

/* Kysely types of the tables created by migration 0006-faq-editorial (its columns of faq_articles are in schema.ts). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface FaqFlagNotificationsTable {
  faq_id: string;
  flag: string;
  occurrence: string;
  user_id: string;
  notified_at: Timestamp;
}

export interface FaqEditorialTables {
  faq_flag_notifications: FaqFlagNotificationsTable;
}
