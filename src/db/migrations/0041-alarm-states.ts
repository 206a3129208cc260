import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * An alarm's status belongs to each body (issue 14): the alarms are the network's, but one body
 * taking an alarm in hand or setting it aside says nothing for the others. Until now one supervisor
 * of any body acknowledged or dismissed an alarm for the whole network.
 *
 * - analytics_alarm_states: the status a body gave an alarm (no row: open for that body), who set
 *   it and when. The statuses already given move to the body of the user who gave them (their home
 *   organisation, else the organisation of their oldest grant); the network-wide columns go.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table analytics_alarm_states (
      alarm_id uuid not null references analytics_alarms(id) on delete cascade,
      organisation_id uuid not null references organisations(id) on delete cascade,
      status text not null check (status in ('acknowledged','dismissed')),
      status_by uuid references users(id) on delete set null,
      status_at timestamptz not null,
      primary key (organisation_id, alarm_id)
    )`.execute(db);
  await sql`
    insert into analytics_alarm_states (alarm_id, organisation_id, status, status_by, status_at)
    select a.id, o.organisation_id, a.status, a.status_by, coalesce(a.status_at, a.created_at)
    from analytics_alarms a
    join users u on u.id = a.status_by
    cross join lateral (
      select coalesce(u.home_organisation_id, (select g.organisation_id from role_grants g where g.user_id = u.id order by g.created_at limit 1)) as organisation_id
    ) o
    where a.status <> 'open' and o.organisation_id is not null`.execute(db);
  await sql`alter table analytics_alarms drop column status, drop column status_by, drop column status_at`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table analytics_alarms add column status text not null default 'open' check (status in ('open','acknowledged','dismissed'))`.execute(db);
  await sql`alter table analytics_alarms add column status_by uuid references users(id) on delete set null`.execute(db);
  await sql`alter table analytics_alarms add column status_at timestamptz`.execute(db);
  await sql`drop table analytics_alarm_states`.execute(db);
}
