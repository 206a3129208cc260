import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * Open notification streams end when their credential stops being valid. Instead of each stream
 * re-reading its session every 2 s, a write that can end a credential (a session deleted or its
 * expiry changed, a token revoked or deleted, a user deactivated) notifies `urpnet_credentials` once
 * per statement, and each instance re-checks all its open streams in one query.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function urpnet_notify_credentials() returns trigger language plpgsql as $$
    begin
      perform pg_notify('urpnet_credentials', '');
      return null;
    end $$`.execute(db);
  await sql`create trigger sessions_notify_credentials after update of expires_at or delete on sessions for each statement execute function urpnet_notify_credentials()`.execute(db);
  await sql`create trigger api_tokens_notify_credentials after update of revoked_at, expires_at or delete on api_tokens for each statement execute function urpnet_notify_credentials()`.execute(db);
  await sql`create trigger users_notify_credentials after update of active on users for each statement execute function urpnet_notify_credentials()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists users_notify_credentials on users`.execute(db);
  await sql`drop trigger if exists api_tokens_notify_credentials on api_tokens`.execute(db);
  await sql`drop trigger if exists sessions_notify_credentials on sessions`.execute(db);
  await sql`drop function if exists urpnet_notify_credentials()`.execute(db);
}
