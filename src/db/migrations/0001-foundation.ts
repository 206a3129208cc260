import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 * Personal data of citizens lives only in `requesters` (plus free text of tickets and messages),
 * so that anonymisation and erasure have a short, known list of places to visit.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create extension if not exists unaccent`.execute(db);

  await sql`
    create table organisations (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      name text not null check (length(name) between 2 and 200),
      type text not null check (type in ('regione','provincia','citta_metropolitana','comune','asl','ente_nazionale','altro')),
      ipa_code text not null unique,
      istat_code text,
      tax_code text,
      region_istat text,
      parent_id uuid references organisations(id),
      active boolean not null default true,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table offices (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      name text not null check (length(name) between 2 and 200),
      kind text not null check (kind in ('urp','back_office','contact_centre')),
      email text,
      pec text,
      phone text,
      address text,
      channels jsonb not null default '[]',
      calendar jsonb not null,
      territory jsonb not null default '[]',
      active boolean not null default true,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index offices_organisation_idx on offices (organisation_id)`.execute(db);

  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      name text not null,
      password_hash text,
      locale text not null default 'it' check (locale in ('it','en')),
      active boolean not null default true,
      external_subject text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_login_at timestamptz
    )`.execute(db);
  await sql`create unique index users_email_idx on users (lower(email))`.execute(db);
  // Reserved for OIDC single sign-on: (issuer, subject) identifies an external identity.
  await sql`create unique index users_external_subject_idx on users (external_subject) where external_subject is not null`.execute(db);

  await sql`
    create table role_grants (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      role text not null check (role in ('operator','back_office','supervisor','org_admin','network_coordinator','analyst')),
      organisation_id uuid not null references organisations(id),
      office_id uuid references offices(id),
      created_at timestamptz not null default now(),
      created_by uuid references users(id)
    )`.execute(db);
  await sql`create unique index role_grants_unique_idx on role_grants (user_id, role, organisation_id, coalesce(office_id, '00000000-0000-0000-0000-000000000000'::uuid))`.execute(db);
  await sql`create index role_grants_office_idx on role_grants (office_id)`.execute(db);

  await sql`
    create table sessions (
      id text primary key,
      user_id uuid not null references users(id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now(),
      ip text,
      user_agent text
    )`.execute(db);
  await sql`create index sessions_user_idx on sessions (user_id)`.execute(db);

  await sql`
    create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      name text not null,
      prefix text not null,
      token_hash text not null unique,
      scopes jsonb not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      expires_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`create index api_tokens_user_idx on api_tokens (user_id)`.execute(db);

  await sql`
    create table login_throttle (
      key text primary key,
      failures integer not null default 0,
      window_started_at timestamptz not null default now(),
      locked_until timestamptz
    )`.execute(db);

  await sql`
    create table taxonomy_versions (
      id uuid primary key default gen_random_uuid(),
      scheme text not null,
      version text not null,
      status text not null default 'published' check (status in ('draft','published','retired')),
      content jsonb not null,
      published_at timestamptz,
      created_at timestamptz not null default now(),
      unique (scheme, version)
    )`.execute(db);
  await sql`
    create table taxonomy_nodes (
      version_id uuid not null references taxonomy_versions(id) on delete cascade,
      facet text not null,
      code text not null,
      parent_code text,
      path text not null,
      depth integer not null,
      position integer not null,
      label jsonb not null,
      description jsonb,
      deprecated boolean not null default false,
      primary key (version_id, facet, code)
    )`.execute(db);

  await sql`
    create table requesters (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      name text,
      email text,
      phone text,
      fiscal_code text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      anonymised_at timestamptz
    )`.execute(db);
  await sql`create index requesters_organisation_idx on requesters (organisation_id)`.execute(db);

  await sql`
    create table tickets (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      organisation_id uuid not null references organisations(id),
      office_id uuid not null references offices(id),
      channel text not null,
      subject text not null,
      description text not null,
      priority text not null default 'normal' check (priority in ('low','normal','high','urgent')),
      status text not null default 'new' check (status in ('new','open','pending_citizen','pending_office','resolved','closed')),
      outcome text,
      classification jsonb not null default '{}',
      taxonomy_version text not null,
      topic_path text,
      requester_id uuid references requesters(id),
      assignee_id uuid references users(id),
      created_by uuid references users(id),
      due_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      resolved_at timestamptz,
      closed_at timestamptz,
      version integer not null default 1,
      search tsvector generated always as (
        setweight(to_tsvector('italian', coalesce(subject, '')), 'A') || setweight(to_tsvector('italian', coalesce(description, '')), 'B')
      ) stored
    )`.execute(db);
  await sql`create index tickets_office_updated_idx on tickets (office_id, updated_at desc, id desc)`.execute(db);
  await sql`create index tickets_office_status_idx on tickets (office_id, status, updated_at desc)`.execute(db);
  await sql`create index tickets_assignee_idx on tickets (assignee_id, updated_at desc) where assignee_id is not null`.execute(db);
  await sql`create index tickets_organisation_idx on tickets (organisation_id, updated_at desc)`.execute(db);
  await sql`create index tickets_search_idx on tickets using gin (search)`.execute(db);
  await sql`create index tickets_topic_idx on tickets (topic_path text_pattern_ops)`.execute(db);

  await sql`
    create table ticket_messages (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets(id),
      kind text not null check (kind in ('reply','note','citizen')),
      body text not null,
      author_id uuid references users(id),
      organisation_id uuid references organisations(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index ticket_messages_ticket_idx on ticket_messages (ticket_id, created_at)`.execute(db);

  await sql`
    create table attachments (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets(id),
      message_id uuid references ticket_messages(id),
      filename text not null,
      content_type text not null,
      size integer not null,
      sha256 text not null,
      storage_key text not null,
      uploaded_by uuid references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index attachments_ticket_idx on attachments (ticket_id)`.execute(db);

  // Append-only audit history: no UPDATE or DELETE is ever accepted on it.
  await sql`
    create table ticket_history (
      id bigserial primary key,
      ticket_id uuid not null references tickets(id),
      actor_id uuid references users(id),
      action text not null,
      changes jsonb not null default '{}',
      at timestamptz not null default now()
    )`.execute(db);
  await sql`create index ticket_history_ticket_idx on ticket_history (ticket_id, id)`.execute(db);
  await sql`
    create function forbid_history_change() returns trigger language plpgsql as $$
    begin
      raise exception 'ticket_history is append-only';
    end $$`.execute(db);
  await sql`
    create trigger ticket_history_append_only before update or delete on ticket_history
    for each row execute function forbid_history_change()`.execute(db);

  await sql`
    create table idempotency_keys (
      user_id uuid not null references users(id) on delete cascade,
      key text not null,
      method text not null,
      path text not null,
      request_hash text not null,
      status_code integer,
      response jsonb,
      headers jsonb,
      created_at timestamptz not null default now(),
      primary key (user_id, key)
    )`.execute(db);

  // Transactional outbox: written in the same transaction as the change, dispatched after commit.
  await sql`
    create table outbox (
      id bigserial primary key,
      topic text not null,
      aggregate_id text,
      organisation_id uuid,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      dispatched_at timestamptz
    )`.execute(db);
  await sql`create index outbox_pending_idx on outbox (id) where dispatched_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'outbox', 'idempotency_keys', 'ticket_history', 'attachments', 'ticket_messages', 'tickets', 'requesters',
    'taxonomy_nodes', 'taxonomy_versions', 'login_throttle', 'api_tokens', 'sessions', 'role_grants', 'users',
    'offices', 'organisations',
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  await sql`drop function if exists forbid_history_change()`.execute(db);
}
