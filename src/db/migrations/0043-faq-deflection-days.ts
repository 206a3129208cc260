import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * Deflected contacts, day by day (issues 11 and 14). Counting them means reading every portal
 * session of the period; over a year of a national portal that is millions of sessions at each load
 * of the analytics dashboard. Once a day's sessions have all closed their window (30 minutes after
 * their first read), their outcome can no longer change: a job counts them once into
 * faq_deflection_days, and readers add up days instead of sessions.
 *
 * - faq_deflection_days: per day of the first read (Italian calendar), per body and FAQ credited
 *   with the session (its last read within the window; null when the read named none), how many
 *   sessions and how many of them made no contact. Anonymous counts: no foreign keys, so a body or
 *   FAQ removed later leaves its history.
 * - faq_deflection_rollup: the single row saying up to which day (exclusive) the counts are complete
 *   (null: nothing counted yet). The job locks it, so two instances never count the same days at once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table faq_deflection_days (
      day date not null,
      organisation_id uuid,
      faq_id uuid,
      sessions integer not null check (sessions >= 0),
      deflected integer not null check (deflected >= 0 and deflected <= sessions)
    )`.execute(db);
  await sql`create unique index faq_deflection_days_key on faq_deflection_days (day, organisation_id, faq_id) nulls not distinct`.execute(db);
  await sql`
    create table faq_deflection_rollup (
      id smallint primary key default 1 check (id = 1),
      through date,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`insert into faq_deflection_rollup (id, through) values (1, null)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table faq_deflection_rollup`.execute(db);
  await sql`drop table faq_deflection_days`.execute(db);
}
