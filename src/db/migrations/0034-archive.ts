import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * The anonymised archive (issue 13). Every closed contact is stored once more, without personal
 * data, for analysis; the analysis files are Parquet under DATA_DIR/archive/month=YYYY-MM/, and
 * these tables are only the way there:
 *
 * - archive_records: the staging buffer of anonymised records not yet compacted into Parquet.
 *   Nothing in a record leads back to a live ticket: no ticket id or code, no requester, no keyed
 *   pseudonym, not even a creation timestamp or a serial number (the insertion order would line
 *   records up with archived_tickets). `part_id` is set when a compaction claims the row.
 * - archived_tickets: which live tickets have already been archived (idempotency of the sweep). It
 *   deliberately does not point at the record.
 * - archive_parts: the Parquet files, `writing` until the file is renamed into place and its staged
 *   rows deleted (then `written`): a crash between the steps redoes the step.
 * - archive_settings: one row: grace period, minimum population of a comune, time granularity,
 *   and the sweep's watermark over closed tickets (see the archive module's sweep).
 * - archive_runs: runs asked for through the API or the CLI, with their progress.
 *
 * The sweep reads closed tickets by (closed_at, id) with the count of their accepted transfers: the
 * two partial indexes at the end serve it (on tables of the tickets module, which runs that query;
 * created here because the archive is why they exist).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table archive_records (
      record_id uuid primary key,
      month text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
      source text not null check (source in ('ticket','historical')),
      organisation_id uuid not null,
      organisation_ipa text,
      office_id uuid,
      channel text,
      taxonomy_version text not null,
      topic_code text,
      classification_json text not null,
      territory_code text,
      territory_level text check (territory_level in ('comune','provincia','regione')),
      opened_day date not null,
      opened_hour smallint check (opened_hour between 0 and 23),
      closed_day date not null,
      first_response_minutes integer,
      resolution_minutes integer,
      offices_involved integer not null,
      handoffs integer not null,
      outcome text,
      satisfaction smallint,
      text text not null,
      pii_counts text not null,
      part_id uuid
    )`.execute(db);
  await sql`create index archive_records_part_idx on archive_records (part_id, record_id)`.execute(db);
  await sql`create index archive_records_staged_idx on archive_records (month) where part_id is null`.execute(db);

  await sql`
    create table archived_tickets (
      ticket_id uuid primary key,
      archived_at timestamptz not null
    )`.execute(db);

  await sql`
    create table archive_parts (
      id uuid primary key,
      month text not null,
      path text not null,
      row_count integer not null,
      state text not null default 'writing' check (state in ('writing','written')),
      created_at timestamptz not null default now(),
      written_at timestamptz
    )`.execute(db);
  await sql`create index archive_parts_writing_idx on archive_parts (created_at) where state = 'writing'`.execute(db);

  await sql`
    create table archive_settings (
      id boolean primary key default true check (id),
      grace_days integer not null default 7 check (grace_days between 0 and 365),
      min_comune_population integer not null default 5000 check (min_comune_population >= 0),
      time_granularity text not null default 'day' check (time_granularity in ('hour','day')),
      ticket_watermark_at timestamptz,
      ticket_watermark_id uuid,
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      updated_by uuid
    )`.execute(db);
  await sql`insert into archive_settings (id) values (true)`.execute(db);

  await sql`
    create table archive_runs (
      id uuid primary key,
      requested_by uuid,
      requested_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      state text not null default 'queued' check (state in ('queued','running','done','failed')),
      tickets_archived integer not null default 0,
      historical_archived integer not null default 0,
      parts_written integer not null default 0,
      error text
    )`.execute(db);

  await sql`create index tickets_closed_archive_idx on tickets (closed_at, id) where status = 'closed'`.execute(db);
  await sql`create index ticket_transfers_accepted_idx on ticket_transfers (ticket_id) where status = 'accepted'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists ticket_transfers_accepted_idx`.execute(db);
  await sql`drop index if exists tickets_closed_archive_idx`.execute(db);
  for (const table of ['archive_runs', 'archive_settings', 'archive_parts', 'archived_tickets', 'archive_records']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
