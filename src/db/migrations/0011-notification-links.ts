import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * Notifications about something other than a ticket (a FAQ to review, a taxonomy proposal) carry the
 * web app's path of that object. Only app-relative paths: a notification never links elsewhere.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table notifications add column link text check (link is null or (link ~ '^/[^/\\\\]' and length(link) <= 300))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table notifications drop column if exists link`.execute(db);
}
