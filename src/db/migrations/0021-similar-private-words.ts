import { type Kysely, sql } from 'kysely';

/*
 * Similar tickets at scale (issue 9, point 23), frozen in time.
 *
 * - `similar_private`: the words of a ticket's own text that its cleaned copy lacks (a citizen's
 *   name, numbers, what an address held), written by the application with the cleaned copy. The
 *   owner and the offices the ticket is shared with may match on them; everyone matches on the
 *   cleaned copy. A small GIN index on open tickets finds them, instead of searching the full text
 *   of every open ticket of the network and then keeping the caller's own.
 * - The cleaned copy is cleaned with the requester's own data by value, so it goes stale when those
 *   data change, not only when the ticket's text or requester does.
 * - The cleaned copies of open tickets are computed again (streets are now kept without the house
 *   number, and the private words are new): dropped and queued through the outbox, as in 0014.
 * - The trigram index on the cleaned subject is dropped: no query uses it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tickets add column similar_private tsvector`.execute(db);
  await sql`create index tickets_open_similar_private_idx on tickets using gin (similar_private) where status not in ('resolved','closed')`.execute(db);
  await sql`drop index if exists tickets_open_similar_subject_trgm_idx`.execute(db);
  await sql`
    create or replace function tickets_similar_text_stale() returns trigger language plpgsql as $$
    begin
      if new.subject is distinct from old.subject or new.description is distinct from old.description or new.requester_id is distinct from old.requester_id then
        new.similar_subject := null;
        new.similar_text := null;
        new.similar_private := null;
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create function requesters_similar_text_stale() returns trigger language plpgsql as $$
    begin
      update tickets set similar_subject = null, similar_text = null, similar_private = null
      where requester_id = new.id and similar_text is not null;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger requesters_similar_text_stale after update of name, email, phone, fiscal_code on requesters for each row
    when (old.name is distinct from new.name or old.email is distinct from new.email or old.phone is distinct from new.phone or old.fiscal_code is distinct from new.fiscal_code)
    execute function requesters_similar_text_stale()`.execute(db);
  await sql`update tickets set similar_subject = null, similar_text = null where status not in ('resolved','closed') and similar_text is not null`.execute(db);
  await sql`
    insert into outbox (topic, aggregate_id, organisation_id, payload)
    select 'ticket.similar_text_pending', id::text, organisation_id, jsonb_build_object('ticketId', id)
    from tickets where status not in ('resolved','closed')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists requesters_similar_text_stale on requesters`.execute(db);
  await sql`drop function if exists requesters_similar_text_stale()`.execute(db);
  await sql`
    create or replace function tickets_similar_text_stale() returns trigger language plpgsql as $$
    begin
      if new.subject is distinct from old.subject or new.description is distinct from old.description or new.requester_id is distinct from old.requester_id then
        new.similar_subject := null;
        new.similar_text := null;
      end if;
      return new;
    end $$`.execute(db);
  await sql`create index if not exists tickets_open_similar_subject_trgm_idx on tickets using gin (similar_subject gin_trgm_ops) where status not in ('resolved','closed')`.execute(db);
  await sql`drop index if exists tickets_open_similar_private_idx`.execute(db);
  await sql`alter table tickets drop column if exists similar_private`.execute(db);
}
