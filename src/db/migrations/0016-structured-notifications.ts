import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * Notifications carry their parameters (ticket code, office names, reason…) beside their `kind`, so
 * the web app writes them in the reader's language. `title` and `body` stay: the Italian text of the
 * office e-mail, and what older rows (params `{}`) are shown with.
 *
 * The partial index serves "mark handled": a user opening a ticket marks its unread notifications read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table notifications add column params jsonb not null default '{}'::jsonb check (jsonb_typeof(params) = 'object')`.execute(db);
  await sql`create index notifications_unread_ticket_idx on notifications (ticket_id, user_id) where read_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists notifications_unread_ticket_idx`.execute(db);
  await sql`alter table notifications drop column if exists params`.execute(db);
}
