import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * Outbox delivery per handler. An outbox event used to be marked dispatched and handed to every
 * handler after commit, at most once: a handler that threw lost the event. Now claiming an event only
 * fans it out into one `outbox_deliveries` row per subscribed handler (by the handler's stable name),
 * and each row is retried with backoff until it succeeds, or is dead-lettered (`dead_at`) after too
 * many attempts. A claimed row carries a lease (`next_attempt_at` in the future): a process that dies
 * mid-handler leaves it to be retried when the lease runs out.
 *
 * Wake-ups: inserting into `outbox` or `notifications` notifies the `urpnet_outbox` /
 * `urpnet_notifications` channels once per statement, so dispatchers and the realtime hub of every
 * instance react at commit instead of polling. The payload is empty: listeners catch up by the last id
 * they have seen, which also covers notifications missed while a listener was reconnecting.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table outbox_deliveries (
      event_id bigint not null references outbox (id) on delete cascade,
      handler text not null,
      attempts integer not null default 0,
      last_error text,
      next_attempt_at timestamptz not null default now(),
      done_at timestamptz,
      dead_at timestamptz,
      primary key (event_id, handler)
    )`.execute(db);
  await sql`create index outbox_deliveries_due_idx on outbox_deliveries (next_attempt_at) where done_at is null and dead_at is null`.execute(db);

  await sql`
    create function urpnet_notify_outbox() returns trigger language plpgsql as $$
    begin
      perform pg_notify('urpnet_outbox', '');
      return null;
    end $$`.execute(db);
  await sql`create trigger outbox_notify after insert on outbox for each statement execute function urpnet_notify_outbox()`.execute(db);
  await sql`
    create function urpnet_notify_notifications() returns trigger language plpgsql as $$
    begin
      perform pg_notify('urpnet_notifications', '');
      return null;
    end $$`.execute(db);
  await sql`create trigger notifications_notify after insert on notifications for each statement execute function urpnet_notify_notifications()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists notifications_notify on notifications`.execute(db);
  await sql`drop function if exists urpnet_notify_notifications()`.execute(db);
  await sql`drop trigger if exists outbox_notify on outbox`.execute(db);
  await sql`drop function if exists urpnet_notify_outbox()`.execute(db);
  await sql`drop table if exists outbox_deliveries`.execute(db);
}
