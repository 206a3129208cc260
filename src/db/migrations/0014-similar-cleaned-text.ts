import { type Kysely, sql } from 'kysely';

/*
 * Similar tickets across the network (issue 9, point 6): a ticket of another body is matched and
 * shown only through its text with personal data removed. The cleaned subject and text are written
 * by the application (the Italian recogniser is application code; a migration never imports it),
 * after each change of the ticket, and null until then: a null row is simply not matchable by other
 * bodies. Open tickets that exist already are queued for cleaning through the outbox.
 * Requests from another office about a similar ticket (share, link, incident) are kept as asked.
 * Frozen in time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tickets add column similar_subject text, add column similar_text text`.execute(db);
  await sql`
    alter table tickets add column similar_search tsvector generated always as (
      setweight(to_tsvector('italian', coalesce(similar_subject, '')), 'A') || setweight(to_tsvector('italian', coalesce(similar_text, '')), 'B')
    ) stored`.execute(db);
  await sql`create index tickets_open_similar_search_idx on tickets using gin (similar_search) where status not in ('resolved','closed')`.execute(db);
  await sql`create index tickets_open_similar_subject_trgm_idx on tickets using gin (similar_subject gin_trgm_ops) where status not in ('resolved','closed')`.execute(db);
  // A change of what the text says makes the cleaned copy stale: drop it until it is cleaned again.
  await sql`
    create function tickets_similar_text_stale() returns trigger language plpgsql as $$
    begin
      if new.subject is distinct from old.subject or new.description is distinct from old.description or new.requester_id is distinct from old.requester_id then
        new.similar_subject := null;
        new.similar_text := null;
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger tickets_similar_text_stale before update of subject, description, requester_id on tickets for each row execute function tickets_similar_text_stale()`.execute(db);
  await sql`
    insert into outbox (topic, aggregate_id, organisation_id, payload)
    select 'ticket.similar_text_pending', id::text, organisation_id, jsonb_build_object('ticketId', id)
    from tickets where status not in ('resolved','closed')`.execute(db);
  await sql`
    create table similar_requests (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets(id) on delete cascade,
      from_ticket_id uuid not null references tickets(id) on delete cascade,
      from_office_id uuid not null references offices(id),
      kind text not null check (kind in ('link','share','incident')),
      message text,
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index similar_requests_ticket_idx on similar_requests (ticket_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists similar_requests`.execute(db);
  await sql`drop trigger if exists tickets_similar_text_stale on tickets`.execute(db);
  await sql`drop function if exists tickets_similar_text_stale()`.execute(db);
  await sql`drop index if exists tickets_open_similar_subject_trgm_idx`.execute(db);
  await sql`drop index if exists tickets_open_similar_search_idx`.execute(db);
  await sql`alter table tickets drop column if exists similar_search, drop column if exists similar_subject, drop column if exists similar_text`.execute(db);
}
