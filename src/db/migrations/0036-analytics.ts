import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * The analytics module (issue 14).
 *
 * - action_plans: a preventive or corrective action launched from
 * an alarm, a trend or a FAQ gap, on a slice of the network's contacts (topic, territory, channel,
 * office, organisation), with an owner, a due date and a status. When the action is done, the
 * forecast of the slice made from the archive up to the day it took effect is frozen in
 * `counterfactual`: the effect is what the archive then observes against it.
 * - contact_counts: contacts opened per day, organisation, office, topic, territory and channel, kept
 *   as tickets are opened (no ticket, no person: counts only). The archive receives a contact only
 *   once it is closed and past its grace period; these counts let alarms watch the days the archive
 *   does not cover yet.
 * - analytics_alarms: what the alarm scan found on a watched series (a slice of topic × territory ×
 *   channel) or in the archive's text (an emerging term), one row per series, day and kind.
 * - alarm_watches: the slices a user watches (alarms on them reach the user, in the app and in the
 *   daily digest).
 * - alarm_scans: one row per scan, with counts and timing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table action_plans (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      title text not null check (char_length(title) between 1 and 200),
      description text not null default '' check (char_length(description) <= 5000),
      kind text not null check (kind in ('preventive','corrective')),
      action_type text not null check (action_type in ('publish_faq','fix_online_form','extend_hours','inform_body','other')),
      origin text not null check (origin in ('alarm','trend','faq_gap','manual')),
      origin_ref text check (char_length(origin_ref) <= 200),
      slice jsonb not null default '{}' check (jsonb_typeof(slice) = 'object'),
      owner_user_id uuid references users(id) on delete set null,
      due_date date,
      status text not null default 'planned' check (status in ('planned','in_progress','done','cancelled')),
      effective_date date,
      counterfactual jsonb check (counterfactual is null or jsonb_typeof(counterfactual) = 'object'),
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1,
      check (status <> 'done' or effective_date is not null)
    )`.execute(db);
  await sql`create index action_plans_organisation_idx on action_plans (organisation_id, status, due_date)`.execute(db);

  await sql`
    create table contact_counts (
      day date not null,
      organisation_id uuid not null references organisations(id),
      office_id uuid not null references offices(id),
      topic_code text not null default '',
      territory_code text not null default '',
      channel text not null default '',
      contacts integer not null check (contacts >= 0),
      primary key (day, organisation_id, office_id, topic_code, territory_code, channel)
    )`.execute(db);

  // The contacts opened in a period, counted hourly for the days the archive does not cover yet (tickets/opened-counts.ts).
  await sql`create index tickets_created_at_idx on tickets (created_at)`.execute(db);

  await sql`
    create table analytics_alarms (
      id uuid primary key default gen_random_uuid(),
      series_key text not null,
      slice jsonb not null check (jsonb_typeof(slice) = 'object'),
      kind text not null check (kind in ('spike','level_shift','trend','drop','emerging_term')),
      day date not null,
      since date not null,
      term text not null default '',
      observed double precision not null,
      expected double precision not null,
      score double precision not null,
      status text not null default 'open' check (status in ('open','acknowledged','dismissed')),
      status_by uuid references users(id) on delete set null,
      status_at timestamptz,
      created_at timestamptz not null default now(),
      unique (series_key, kind, day, term)
    )`.execute(db);
  await sql`create index analytics_alarms_day_idx on analytics_alarms (day desc, id)`.execute(db);

  await sql`
    create table alarm_watches (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      slice jsonb not null check (jsonb_typeof(slice) = 'object'),
      slice_key text not null,
      digest boolean not null default true,
      created_at timestamptz not null default now(),
      unique (user_id, slice_key)
    )`.execute(db);

  await sql`
    create table alarm_scans (
      id uuid primary key default gen_random_uuid(),
      trigger text not null check (trigger in ('schedule','manual')),
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      series_scanned integer not null default 0,
      alarms_found integer not null default 0,
      records_read bigint not null default 0,
      through_day date,
      error text
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index tickets_created_at_idx`.execute(db);
  for (const table of ['alarm_scans', 'alarm_watches', 'analytics_alarms', 'contact_counts', 'action_plans']) await sql.raw(`drop table ${table}`).execute(db);
}
