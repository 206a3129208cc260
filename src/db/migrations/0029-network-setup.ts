import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * The first run of a real network (issue 11): the network's own record (its name), the one-time
 * setup token that guards the first-run page while no coordinator exists, and one-time links that
 * let a person set their password (the first coordinator, later invited users). Only hashes of the
 * tokens are stored.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table network_settings (
      id boolean primary key default true check (id),
      name text not null check (length(name) between 3 and 200),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table setup_tokens (
      id boolean primary key default true check (id),
      token_hash text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table password_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      token_hash text not null unique,
      purpose text not null check (purpose in ('first_password', 'reset')),
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index password_tokens_user_idx on password_tokens (user_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists password_tokens`.execute(db);
  await sql`drop table if exists setup_tokens`.execute(db);
  await sql`drop table if exists network_settings`.execute(db);
}
