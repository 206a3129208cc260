import { type Kysely, sql } from 'kysely';

/*
 * One ticket across the network: participant offices (consultation / collaboration shares),
 * transfers and escalations between bodies, tasks per participant office, network agreements,
 * declared competences of offices, incidents grouping many contacts, duplicates, and per-user
 * notifications. Frozen in time: never imports application code.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table ticket_participants (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets(id),
      office_id uuid not null references offices(id),
      organisation_id uuid not null references organisations(id),
      mode text not null check (mode in ('consult','collaborate')),
      status text not null check (status in ('pending','active','declined','revoked')),
      share_requester boolean not null default false,
      reason text not null,
      decline_reason text,
      requested_by uuid references users(id),
      requested_at timestamptz not null default now(),
      responded_by uuid references users(id),
      responded_at timestamptz,
      version integer not null default 1
    )`.execute(db);
  // At most one live participation per office and ticket.
  await sql`create unique index ticket_participants_live_idx on ticket_participants (ticket_id, office_id) where status in ('pending','active')`.execute(db);
  await sql`create index ticket_participants_office_idx on ticket_participants (office_id, status)`.execute(db);
  await sql`create index ticket_participants_ticket_idx on ticket_participants (ticket_id)`.execute(db);

  await sql`
    create table ticket_transfers (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets(id),
      kind text not null check (kind in ('transfer','escalation')),
      from_office_id uuid not null references offices(id),
      to_office_id uuid not null references offices(id),
      reason_code text not null,
      reason text not null,
      status text not null check (status in ('pending','accepted','declined','cancelled')),
      decline_reason text,
      requested_by uuid references users(id),
      requested_at timestamptz not null default now(),
      responded_by uuid references users(id),
      responded_at timestamptz,
      version integer not null default 1
    )`.execute(db);
  await sql`create unique index ticket_transfers_pending_idx on ticket_transfers (ticket_id) where status = 'pending'`.execute(db);
  await sql`create index ticket_transfers_to_idx on ticket_transfers (to_office_id, status)`.execute(db);

  await sql`
    create table ticket_tasks (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets(id),
      office_id uuid not null references offices(id),
      title text not null,
      description text,
      assignee_id uuid references users(id),
      status text not null default 'open' check (status in ('open','done','cancelled')),
      due_at timestamptz,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      completed_at timestamptz,
      version integer not null default 1
    )`.execute(db);
  await sql`create index ticket_tasks_ticket_idx on ticket_tasks (ticket_id)`.execute(db);
  await sql`create index ticket_tasks_office_idx on ticket_tasks (office_id, status)`.execute(db);

  await sql`
    create table network_agreements (
      id uuid primary key default gen_random_uuid(),
      from_organisation_id uuid not null references organisations(id),
      to_organisation_id uuid not null references organisations(id),
      kinds jsonb not null,
      topics jsonb not null default '[]',
      auto_accept boolean not null default false,
      status text not null check (status in ('proposed','active','rejected','revoked')),
      note text,
      proposed_by uuid references users(id),
      proposed_at timestamptz not null default now(),
      decided_by uuid references users(id),
      decided_at timestamptz,
      version integer not null default 1,
      check (from_organisation_id <> to_organisation_id)
    )`.execute(db);
  await sql`create index network_agreements_pair_idx on network_agreements (from_organisation_id, to_organisation_id, status)`.execute(db);

  await sql`
    create table office_competences (
      id uuid primary key default gen_random_uuid(),
      office_id uuid not null references offices(id),
      topic text not null,
      territory jsonb not null default '[]',
      note text,
      unique (office_id, topic)
    )`.execute(db);
  await sql`create index office_competences_topic_idx on office_competences (topic text_pattern_ops)`.execute(db);

  await sql`
    create table incidents (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      office_id uuid not null references offices(id),
      title text not null,
      description text not null,
      topic text,
      territory jsonb not null default '[]',
      status text not null default 'open' check (status in ('open','resolved')),
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      resolved_at timestamptz,
      version integer not null default 1
    )`.execute(db);
  await sql`alter table tickets add column incident_id uuid references incidents(id)`.execute(db);
  await sql`alter table tickets add column duplicate_of_id uuid references tickets(id)`.execute(db);
  await sql`create index tickets_incident_idx on tickets (incident_id) where incident_id is not null`.execute(db);
  await sql`create index tickets_trgm_subject_idx on tickets using gin (subject gin_trgm_ops)`.execute(db);

  await sql`
    create table notifications (
      id bigserial primary key,
      user_id uuid not null references users(id) on delete cascade,
      kind text not null,
      ticket_id uuid references tickets(id),
      title text not null,
      body text,
      created_at timestamptz not null default now(),
      read_at timestamptz
    )`.execute(db);
  await sql`create index notifications_user_idx on notifications (user_id, id desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists notifications`.execute(db);
  await sql`alter table tickets drop column if exists duplicate_of_id`.execute(db);
  await sql`alter table tickets drop column if exists incident_id`.execute(db);
  for (const t of ['incidents', 'office_competences', 'network_agreements', 'ticket_tasks', 'ticket_transfers', 'ticket_participants']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
