import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * Each body's own privacy notice for the portal (issue 15): the citizen consents to the notice of the
 * body that will handle the request, not to a generic one.
 *
 * - privacy_notices: per organisation, the address of its notice (on its own website) and the
 *   contact of its data protection officer. A body without a row uses the network's notice (/privacy).
 * - citizen_links.consent_notice: which notice the citizen accepted when filing on the portal (the
 *   address, or `network` for the network's own), so the body can show what was consented to; the
 *   time is the link's created_at.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table privacy_notices (
      organisation_id uuid primary key references organisations(id),
      notice_url text not null check (notice_url ~ '^https?://'),
      dpo_email text,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`alter table citizen_links add column consent_notice text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table citizen_links drop column consent_notice`.execute(db);
  await sql`drop table privacy_notices`.execute(db);
}
