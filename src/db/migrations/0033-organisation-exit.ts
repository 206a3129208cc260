import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * A body leaves the network (issue 11): each exit is recorded with what it switched off — the
 * offices it deactivated and the accounts it disabled (people who belonged to no other active body)
 * — so that a coordinator who brings the body back restores exactly those, and not offices or
 * accounts that had been switched off before for other reasons. At most one open exit per body.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table organisation_exits (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      left_at timestamptz not null default now(),
      left_by uuid references users(id),
      office_ids jsonb not null default '[]',
      disabled_user_ids jsonb not null default '[]',
      ended_membership_user_ids jsonb not null default '[]',
      summary jsonb not null default '{}',
      rejoined_at timestamptz,
      rejoined_by uuid references users(id)
    )`.execute(db);
  await sql`create unique index organisation_exits_open_idx on organisation_exits (organisation_id) where rejoined_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists organisation_exits`.execute(db);
}
