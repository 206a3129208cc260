import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * Notifications are written by event handlers from `kind` + `params` alone: `title` becomes
 * nullable (older rows keep the Italian text they were stored with, and are shown with it).
 * `event_id` names the outbox event a handler wrote the notification for; the unique index makes a
 * retried handler insert nothing twice (one notification of a kind per event and user).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table notifications alter column title drop not null`.execute(db);
  await sql`alter table notifications add column event_id bigint`.execute(db);
  await sql`create unique index notifications_event_user_kind_idx on notifications (event_id, user_id, kind) where event_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists notifications_event_user_kind_idx`.execute(db);
  await sql`alter table notifications drop column if exists event_id`.execute(db);
  await sql`update notifications set title = kind where title is null`.execute(db);
  await sql`alter table notifications alter column title set not null`.execute(db);
}
