import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * Competences at national scale (issue 11). Every server instance keeps the declared competences
 * of the network indexed in memory for the directory ("who is competent for X in Y") and the
 * coverage report; `competence_revision` is bumped by a statement trigger on every change of
 * `office_competences`, whichever code path made it, so that each instance notices within seconds
 * that its index is stale (the same device as `knowledge_revision`, migration 0003).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table competence_revision (
      id integer primary key check (id = 1),
      revision bigint not null default 0,
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`insert into competence_revision (id, revision) values (1, 0)`.execute(db);
  await sql`
    create function competence_bump_revision() returns trigger language plpgsql as $$
    begin
      update competence_revision set revision = revision + 1, updated_at = now() where id = 1;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger office_competences_bump_revision after insert or update or delete or truncate on office_competences
    for each statement execute function competence_bump_revision()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists office_competences_bump_revision on office_competences`.execute(db);
  await sql`drop function if exists competence_bump_revision()`.execute(db);
  await sql`drop table if exists competence_revision`.execute(db);
}
