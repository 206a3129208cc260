import { type Kysely, sql } from 'kysely';

/*
 * Taxonomy governance: drafts of the next network version (a list of change operations applied to
 * the version they start from), the crosswalk between versions, change proposals from
 * organisations, and organisation-local sub-nodes under network nodes.
 * Frozen in time: this migration never imports application code.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table taxonomy_drafts (
      id uuid primary key default gen_random_uuid(),
      scheme text not null,
      base_version text not null,
      version text not null check (version ~ '^[0-9]+\\.[0-9]+\\.[0-9]+$'),
      operations jsonb not null default '[]',
      status text not null default 'open' check (status in ('open','published','discarded')),
      note text,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      published_at timestamptz,
      revision integer not null default 1
    )`.execute(db);
  // One open draft per scheme: every change of the next version goes through it.
  await sql`create unique index taxonomy_drafts_open_idx on taxonomy_drafts (scheme) where status = 'open'`.execute(db);

  await sql`
    create table taxonomy_crosswalk (
      scheme text not null,
      facet text not null,
      from_version text not null,
      from_code text not null,
      to_version text not null,
      to_code text not null,
      relation text not null check (relation in ('exact','broader','narrower','split','merge')),
      note text,
      created_at timestamptz not null default now(),
      primary key (scheme, from_version, facet, from_code, to_code)
    )`.execute(db);
  await sql`create index taxonomy_crosswalk_to_idx on taxonomy_crosswalk (scheme, to_version)`.execute(db);

  await sql`
    create table taxonomy_proposals (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      proposed_by uuid references users(id),
      operations jsonb not null,
      rationale text not null,
      status text not null default 'pending' check (status in ('pending','approved','rejected')),
      decision_reason text,
      decided_by uuid references users(id),
      decided_at timestamptz,
      draft_id uuid references taxonomy_drafts(id),
      created_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db);
  await sql`create index taxonomy_proposals_status_idx on taxonomy_proposals (status, created_at)`.execute(db);
  await sql`create index taxonomy_proposals_organisation_idx on taxonomy_proposals (organisation_id, created_at)`.execute(db);

  await sql`
    create table taxonomy_local_nodes (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      facet text not null,
      code text not null unique check (code ~ '^[a-z0-9_.]+$'),
      parent_code text not null,
      network_version text not null,
      label jsonb not null,
      description jsonb,
      status text not null default 'active' check (status in ('active','orphaned','retired')),
      status_note text,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db);
  await sql`create index taxonomy_local_nodes_organisation_idx on taxonomy_local_nodes (organisation_id, facet)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['taxonomy_local_nodes', 'taxonomy_proposals', 'taxonomy_crosswalk', 'taxonomy_drafts']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
