import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * The FAQ base in use: ratings of citizens and operators, the anonymous events of portal sessions
 * (from which deflected contacts are computed), operators' use of an answer, the searches without a
 * good answer (FAQ gaps) and the link from a draft FAQ to the ticket it was made from. No personal
 * data: portal sessions are random ids kept by the browser, and free text is scrubbed before it is
 * stored.
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table faq_feedback (
      id uuid primary key default gen_random_uuid(),
      faq_id uuid not null references faq_articles(id) on delete cascade,
      source text not null check (source in ('citizen','operator')),
      session_id text check (session_id ~ '^[A-Za-z0-9_-]{16,64}$'),
      user_id uuid references users(id),
      helpful boolean not null,
      comment text check (length(comment) <= 1000),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((source = 'citizen') = (session_id is not null and user_id is null)),
      check ((source = 'operator') = (user_id is not null and session_id is null))
    )`.execute(db);
  await sql`create unique index faq_feedback_session_idx on faq_feedback (faq_id, session_id) where session_id is not null`.execute(db);
  await sql`create unique index faq_feedback_user_idx on faq_feedback (faq_id, user_id) where user_id is not null`.execute(db);

  await sql`
    create table faq_portal_events (
      id bigserial primary key,
      session_id text not null check (session_id ~ '^[A-Za-z0-9_-]{16,64}$'),
      kind text not null check (kind in ('search','read','rate','contact')),
      faq_id uuid references faq_articles(id) on delete set null,
      organisation_id uuid references organisations(id) on delete set null,
      query text check (length(query) <= 500),
      lang text not null default 'it',
      place text check (length(place) <= 100),
      result_count integer,
      top_score real,
      helpful boolean,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index faq_portal_events_session_idx on faq_portal_events (session_id, created_at)`.execute(db);
  await sql`create index faq_portal_events_time_idx on faq_portal_events (created_at, kind)`.execute(db);

  await sql`
    create table faq_uses (
      id bigserial primary key,
      faq_id uuid not null references faq_articles(id) on delete cascade,
      user_id uuid references users(id),
      organisation_id uuid references organisations(id),
      context text not null check (context in ('reply','description')),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index faq_uses_faq_idx on faq_uses (faq_id)`.execute(db);

  await sql`
    create table faq_gaps (
      id uuid primary key default gen_random_uuid(),
      lang text not null,
      query_key text not null check (length(query_key) between 1 and 500),
      territory text not null default '',
      organisation_id uuid references organisations(id) on delete set null,
      samples jsonb not null default '[]',
      occurrences integer not null default 0,
      no_results integer not null default 0,
      low_score integer not null default 0,
      not_helpful integer not null default 0,
      contact integer not null default 0,
      first_seen_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      status text not null default 'open' check (status in ('open','addressed','dismissed')),
      faq_id uuid references faq_articles(id) on delete set null,
      note text check (length(note) <= 500),
      decided_by uuid references users(id),
      decided_at timestamptz,
      version integer not null default 1
    )`.execute(db);
  await sql`create unique index faq_gaps_key_idx on faq_gaps (lang, query_key, territory)`.execute(db);
  await sql`create index faq_gaps_rank_idx on faq_gaps (status, occurrences desc)`.execute(db);

  await sql`
    create table faq_ticket_sources (
      faq_id uuid primary key references faq_articles(id) on delete cascade,
      ticket_id uuid not null references tickets(id),
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index faq_ticket_sources_ticket_idx on faq_ticket_sources (ticket_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['faq_ticket_sources', 'faq_gaps', 'faq_uses', 'faq_portal_events', 'faq_feedback']) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
}
