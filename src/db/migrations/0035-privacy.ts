import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * Retention of live personal data and the data subject's requests (GDPR art. 15 and 17), issue 13.
 *
 * - retention_policies: per organisation, how many months after a ticket is closed its requester's
 *   details and free text, and its attachments, are kept. No row: the defaults (24 and 24 months).
 * - retention_runs: one row per organisation and run of the purge, with counts only, never data.
 * - data_subject_requests: erasure and access requests. The search criteria are never stored: only
 *   which kinds of criterion were used (`criteria_kinds`, e.g. ["email","fiscalCode"]) and counts.
 *   An access request's export waits in `export` until the requesting administrator downloads it
 *   once (then it is set to null) or it expires (`export_expires_at`, removed by the retention job).
 * - tickets.personal_data_purged_at: when the ticket's requester and text were purged (retention or
 *   erasure); the purge skips tickets already purged, so runs are idempotent and resume by batch.
 * - ticket_history stays append-only, except for one narrow door: inside a transaction that has set
 *   `urpnet.personal_data_purge` to `on`, an UPDATE may rewrite `changes` (and nothing else), so that
 *   old subjects and requester values recorded in the history can be scrubbed. DELETE stays forbidden.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table retention_policies (
      organisation_id uuid primary key references organisations(id),
      requester_months integer not null default 24 check (requester_months between 1 and 120),
      attachment_months integer not null default 24 check (attachment_months between 1 and 120),
      updated_by uuid references users(id) on delete set null,
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db);

  await sql`
    create table retention_runs (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      trigger text not null check (trigger in ('schedule','manual')),
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      counts jsonb not null default '{}' check (jsonb_typeof(counts) = 'object')
    )`.execute(db);
  await sql`create index retention_runs_organisation_idx on retention_runs (organisation_id, started_at desc, id desc)`.execute(db);

  await sql`
    create table data_subject_requests (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('erasure','access')),
      organisation_id uuid not null references organisations(id),
      status text not null check (status in ('executed','failed')),
      criteria_kinds jsonb not null check (jsonb_typeof(criteria_kinds) = 'array'),
      candidate_count integer not null check (candidate_count >= 0),
      matched jsonb not null default '{}' check (jsonb_typeof(matched) = 'object'),
      result jsonb not null default '{}' check (jsonb_typeof(result) = 'object'),
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      executed_by uuid references users(id) on delete set null,
      executed_at timestamptz,
      export jsonb,
      export_expires_at timestamptz,
      export_downloaded_at timestamptz
    )`.execute(db);
  await sql`create index data_subject_requests_organisation_idx on data_subject_requests (organisation_id, created_at desc, id desc)`.execute(db);
  await sql`create index data_subject_requests_export_idx on data_subject_requests (export_expires_at) where export is not null`.execute(db);

  await sql`alter table tickets add column personal_data_purged_at timestamptz`.execute(db);
  // The retention job looks for closed tickets not purged yet, oldest closure first.
  await sql`create index tickets_retention_idx on tickets (organisation_id, closed_at) where status = 'closed' and personal_data_purged_at is null`.execute(db);
  await sql`create index attachments_created_idx on attachments (ticket_id, created_at)`.execute(db);
  await sql`create index notifications_ticket_idx on notifications (ticket_id) where ticket_id is not null`.execute(db);
  await sql`create index outbox_aggregate_idx on outbox (aggregate_id) where aggregate_id is not null`.execute(db);

  await sql`
    create or replace function forbid_history_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and coalesce(current_setting('urpnet.personal_data_purge', true), '') = 'on'
         and new.id = old.id and new.ticket_id = old.ticket_id and new.actor_id is not distinct from old.actor_id
         and new.action = old.action and new.at = old.at then
        return new;
      end if;
      raise exception 'ticket_history is append-only';
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function forbid_history_change() returns trigger language plpgsql as $$
    begin
      raise exception 'ticket_history is append-only';
    end $$`.execute(db);
  await sql`drop index if exists outbox_aggregate_idx`.execute(db);
  await sql`drop index if exists notifications_ticket_idx`.execute(db);
  await sql`drop index if exists attachments_created_idx`.execute(db);
  await sql`drop index if exists tickets_retention_idx`.execute(db);
  await sql`alter table tickets drop column if exists personal_data_purged_at`.execute(db);
  await sql`drop table if exists data_subject_requests`.execute(db);
  await sql`drop table if exists retention_runs`.execute(db);
  await sql`drop table if exists retention_policies`.execute(db);
}
