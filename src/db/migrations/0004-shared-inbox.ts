import { type Kysely, sql } from 'kysely';

/*
 * "Shared with my office" must read the newest shared tickets in order, without visiting every
 * share of the office: each live share carries its ticket's activity time, kept in step by
 * triggers, and an index gives the first page directly. Frozen in time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table ticket_participants add column ticket_updated_at timestamptz`.execute(db);
  await sql`update ticket_participants p set ticket_updated_at = t.updated_at from tickets t where t.id = p.ticket_id`.execute(db);
  await sql`alter table ticket_participants alter column ticket_updated_at set not null`.execute(db);
  await sql`
    create function participant_ticket_updated_at() returns trigger language plpgsql as $$
    begin
      select updated_at into new.ticket_updated_at from tickets where id = new.ticket_id;
      return new;
    end $$`.execute(db);
  await sql`create trigger ticket_participants_fill_sort before insert on ticket_participants for each row execute function participant_ticket_updated_at()`.execute(db);
  await sql`
    create function tickets_sync_participant_sort() returns trigger language plpgsql as $$
    begin
      update ticket_participants set ticket_updated_at = new.updated_at where ticket_id = new.id and ticket_updated_at is distinct from new.updated_at;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger tickets_participant_sort after update of updated_at on tickets
    for each row when (old.updated_at is distinct from new.updated_at) execute function tickets_sync_participant_sort()`.execute(db);
  await sql`create index ticket_participants_office_sort_idx on ticket_participants (office_id, ticket_updated_at desc, ticket_id desc) where status = 'active'`.execute(db);
  await sql`create index ticket_participants_org_sort_idx on ticket_participants (organisation_id, ticket_updated_at desc, ticket_id desc) where status = 'active'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists tickets_participant_sort on tickets`.execute(db);
  await sql`drop function if exists tickets_sync_participant_sort()`.execute(db);
  await sql`drop trigger if exists ticket_participants_fill_sort on ticket_participants`.execute(db);
  await sql`drop function if exists participant_ticket_updated_at()`.execute(db);
  await sql`alter table ticket_participants drop column if exists ticket_updated_at`.execute(db);
}
