import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * Requester search in the inbox (by name, e-mail, phone, codice fiscale) and the automatic close of
 * resolved tickets.
 *
 * - Each requester carries normalised search columns, kept by a trigger so that every writer (ticket
 *   creation, edits, transfers, anonymisation, imports) keeps them right:
 *   `search_text` (name and e-mail, lower case, without accents) and `search_phone` (digits only,
 *   without an international +39/0039 prefix) with trigram indexes for substring matches,
 *   `search_fiscal_code` (upper case, no spaces) with a btree for exact matches.
 * - `tickets (requester_id)`: from the few matching requesters to their tickets, whatever the size
 *   of the network.
 * - `ticket_participants.kept_requester_id`: the requester record an office that handed the ticket
 *   over keeps reading, once the new owner has changed the requester data (null: the ticket's own).
 * - `tickets (resolved_at) where status = 'resolved'`: the auto-close job reads only what it closes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table requesters add column search_text text, add column search_phone text, add column search_fiscal_code text`.execute(db);
  await sql`
    create function requesters_search_columns() returns trigger language plpgsql as $$
    begin
      new.search_text := nullif(trim(lower(unaccent(coalesce(new.name, '') || ' ' || coalesce(new.email, '')))), '');
      new.search_phone := nullif(regexp_replace(regexp_replace(coalesce(new.phone, ''), '^\\s*(\\+|00)\\s*39', ''), '\\D', '', 'g'), '');
      new.search_fiscal_code := nullif(upper(regexp_replace(coalesce(new.fiscal_code, ''), '\\s', '', 'g')), '');
      return new;
    end $$`.execute(db);
  await sql`
    create trigger requesters_search_columns before insert or update of name, email, phone, fiscal_code on requesters
    for each row execute function requesters_search_columns()`.execute(db);
  // Fire the trigger once on the rows written before it existed.
  await sql`update requesters set name = name`.execute(db);
  await sql`create index requesters_search_text_trgm_idx on requesters using gin (search_text gin_trgm_ops)`.execute(db);
  await sql`create index requesters_search_phone_trgm_idx on requesters using gin (search_phone gin_trgm_ops)`.execute(db);
  await sql`create index requesters_search_fiscal_code_idx on requesters (search_fiscal_code)`.execute(db);
  await sql`create index tickets_requester_idx on tickets (requester_id) where requester_id is not null`.execute(db);
  await sql`alter table ticket_participants add column kept_requester_id uuid references requesters(id)`.execute(db);
  await sql`create index ticket_participants_kept_requester_idx on ticket_participants (kept_requester_id) where kept_requester_id is not null`.execute(db);
  await sql`create index tickets_resolved_at_idx on tickets (resolved_at) where status = 'resolved'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists tickets_resolved_at_idx`.execute(db);
  await sql`alter table ticket_participants drop column if exists kept_requester_id`.execute(db);
  await sql`drop index if exists tickets_requester_idx`.execute(db);
  await sql`drop trigger if exists requesters_search_columns on requesters`.execute(db);
  await sql`drop function if exists requesters_search_columns()`.execute(db);
  await sql`alter table requesters drop column if exists search_text, drop column if exists search_phone, drop column if exists search_fiscal_code`.execute(db);
}
