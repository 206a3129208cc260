import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * Who may manage whom. An account belongs to the organisation that created it
 * (`users.home_organisation_id`): only that organisation's administrators (or a network coordinator)
 * rename, deactivate or reset it. A user is a member of other organisations only through an
 * invitation they accepted, or when a network coordinator added them (`organisation_members`), and
 * an organisation's administrators grant roles only to its members.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column home_organisation_id uuid references organisations(id)`.execute(db);

  await sql`
    create table organisation_members (
      user_id uuid not null references users(id) on delete cascade,
      organisation_id uuid not null references organisations(id),
      joined_via text not null check (joined_via in ('created','invitation','coordinator')),
      invitation_id uuid,
      created_at timestamptz not null default now(),
      primary key (user_id, organisation_id)
    )`.execute(db);
  await sql`create index organisation_members_organisation_idx on organisation_members (organisation_id)`.execute(db);

  await sql`
    create table organisation_invitations (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      email text not null check (length(email) between 3 and 320),
      role text not null check (role in ('operator','back_office','supervisor','org_admin','analyst')),
      office_id uuid references offices(id),
      status text not null default 'pending' check (status in ('pending','accepted','declined','revoked')),
      invited_by uuid references users(id) on delete set null,
      answered_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      answered_at timestamptz
    )`.execute(db);
  await sql`create unique index organisation_invitations_pending_idx on organisation_invitations (organisation_id, lower(email)) where status = 'pending'`.execute(db);
  await sql`create index organisation_invitations_email_idx on organisation_invitations (lower(email)) where status = 'pending'`.execute(db);

  // Existing accounts belong to the organisation of their first role.
  await sql`
    update users u set home_organisation_id = (
      select g.organisation_id from role_grants g where g.user_id = u.id order by g.created_at, g.id limit 1
    )`.execute(db);
  // Existing roles become memberships where they were given legitimately: in the home organisation, by
  // the system (seed, command line) or by a network coordinator. A role another organisation's
  // administrator gave to a user of a different body (the takeover of issue 9) makes no membership.
  await sql`
    insert into organisation_members (user_id, organisation_id, joined_via)
    select distinct g.user_id, g.organisation_id,
           case when g.organisation_id = u.home_organisation_id then 'created' else 'coordinator' end
    from role_grants g
    join users u on u.id = g.user_id
    where g.organisation_id = u.home_organisation_id
       or g.created_by is null
       or exists (select 1 from role_grants c where c.user_id = g.created_by and c.role = 'network_coordinator')
    on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists organisation_invitations`.execute(db);
  await sql`drop table if exists organisation_members`.execute(db);
  await sql`alter table users drop column if exists home_organisation_id`.execute(db);
}
