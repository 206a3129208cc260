import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * The historical import commit runs as a background job instead of inside the HTTP request:
 * - status `committing` (queued or running) and `failed` (gave up after its retries; can be committed again);
 * - progress_done / progress_total: rows read so far out of the rows in the file, for the progress bar;
 * - commit_error: the code and message of the last failure, never row text (no personal data);
 * - commit_job_id: the job of the current commit request; a late job of an earlier request
 *   (a retry, a dead letter) recognises it is stale and does nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table history_imports drop constraint if exists history_imports_status_check`.execute(db);
  await sql`alter table history_imports add constraint history_imports_status_check check (status in ('uploaded','configured','checked','committing','committed','failed'))`.execute(db);
  await sql`alter table history_imports add column progress_done integer not null default 0`.execute(db);
  await sql`alter table history_imports add column progress_total integer`.execute(db);
  await sql`alter table history_imports add column commit_error jsonb`.execute(db);
  await sql`alter table history_imports add column commit_job_id uuid`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table history_imports drop column commit_job_id`.execute(db);
  await sql`alter table history_imports drop column commit_error`.execute(db);
  await sql`alter table history_imports drop column progress_total`.execute(db);
  await sql`alter table history_imports drop column progress_done`.execute(db);
  await sql`update history_imports set status = 'checked' where status in ('committing','failed')`.execute(db);
  await sql`alter table history_imports drop constraint if exists history_imports_status_check`.execute(db);
  await sql`alter table history_imports add constraint history_imports_status_check check (status in ('uploaded','configured','checked','committed'))`.execute(db);
}
