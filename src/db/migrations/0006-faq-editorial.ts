import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * The FAQ editorial workflow: an owner and scheduling per article, a working copy (`revision`) that
 * lets editors change a published FAQ while the published text stays live, the version that is
 * live (`published_version`), adoption of network FAQs by an organisation (`adopted_from` plus
 * the values of the template's local fields), the canonical version a translation was made from,
 * and a record of the flag notifications sent to owners (one per flag occurrence).
 * Every new column is nullable or has a default: other features insert FAQs without them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table faq_articles
      add column owner_id uuid references users(id) on delete set null,
      add column publish_at timestamptz,
      add column expires_at timestamptz,
      add column revision jsonb,
      add column revision_status text check (revision_status in ('draft','in_review')),
      add column published_version integer,
      add column adopted_from uuid references faq_articles(id) on delete cascade,
      add column local_fields jsonb not null default '{}',
      add column source_version integer,
      add column review_note text,
      add constraint faq_articles_revision_check check ((revision is null) = (revision_status is null)),
      add constraint faq_articles_schedule_check check (publish_at is null or expires_at is null or expires_at > publish_at)`.execute(db);
  await sql`update faq_articles set published_version = version where status = 'published'`.execute(db);
  // One adoption of a network FAQ per organisation.
  await sql`create unique index faq_articles_adoption_idx on faq_articles (adopted_from, organisation_id) where adopted_from is not null`.execute(db);
  await sql`create index faq_articles_owner_idx on faq_articles (owner_id) where owner_id is not null`.execute(db);
  await sql`create index faq_articles_updated_idx on faq_articles (updated_at desc, id desc)`.execute(db);
  await sql`create index faq_articles_schedule_idx on faq_articles (status, publish_at, expires_at) where publish_at is not null or expires_at is not null`.execute(db);

  await sql`
    create table faq_flag_notifications (
      faq_id uuid not null references faq_articles(id) on delete cascade,
      flag text not null check (flag in ('stale','taxonomy_changed','expiring_soon')),
      occurrence text not null,
      user_id uuid not null references users(id) on delete cascade,
      notified_at timestamptz not null default now(),
      primary key (faq_id, flag, occurrence)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists faq_flag_notifications`.execute(db);
  await sql`drop index if exists faq_articles_adoption_idx`.execute(db);
  await sql`drop index if exists faq_articles_owner_idx`.execute(db);
  await sql`drop index if exists faq_articles_updated_idx`.execute(db);
  await sql`drop index if exists faq_articles_schedule_idx`.execute(db);
  await sql`
    alter table faq_articles
      drop constraint if exists faq_articles_schedule_check,
      drop constraint if exists faq_articles_revision_check,
      drop column if exists owner_id, drop column if exists publish_at, drop column if exists expires_at, drop column if exists revision,
      drop column if exists revision_status, drop column if exists published_version, drop column if exists adopted_from,
      drop column if exists local_fields, drop column if exists source_version, drop column if exists review_note`.execute(db);
}
