import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * Bulk onboarding (issue 11): an organisation keeps the e-mail and PEC of the IPA register, and the
 * one-time links that invite imported people to set their password are kept, sealed with a key
 * derived from the server secret, until they are handed over (e-mailed, or listed for the
 * administrator when no SMTP server is configured). The link's token itself lives, hashed, in
 * password_tokens: a sealed copy here alone opens nothing without the server secret.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table organisations add column email text check (length(email) <= 254)`.execute(db);
  await sql`alter table organisations add column pec text check (length(pec) <= 254)`.execute(db);
  await sql`
    create table invitation_links (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      organisation_id uuid references organisations(id),
      token_sealed text not null,
      expires_at timestamptz not null,
      mailed_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index invitation_links_user_idx on invitation_links (user_id, expires_at desc)`.execute(db);
  await sql`create index invitation_links_organisation_idx on invitation_links (organisation_id, expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists invitation_links`.execute(db);
  await sql`alter table organisations drop column if exists pec`.execute(db);
  await sql`alter table organisations drop column if exists email`.execute(db);
}
