import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * The routing module (issue 12): traffic distribution among the network's URPs.
 *
 * - routing_settings: per office, the queue's thresholds (overflow when the queue is longer than
 *   `max_queue` or the estimated wait above `max_wait_seconds`), how long an offer waits for an
 *   answer, the service-level target, the handle time used for wait estimates, and when a caller is
 *   offered a callback instead of waiting.
 * - routing_numbers: the numbers a PBX reports as dialled, each leading to one office.
 * - operator_states: one row per operator signed in to routing: the office they work for now, their
 *   presence, skills, capacity per channel and what they hold (load), and the channels on which they
 *   could take one more item now (`free_channels`, kept with the load). Routing locks these rows.
 * - work_items: calls, callbacks, chats, e-mails and web requests waiting in an office's queue, then
 *   offered, assigned and completed (or abandoned). `caller` is the caller's number (personal data:
 *   purged with the retention of the office's organisation, see the privacy map).
 * - routing_offers: each offer of an item to an operator; at most one pending offer per item is a
 *   unique index, so two instances can never offer the same item twice.
 * - network_agreements.overflow: the overflow terms of an agreement of kind `overflow`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table routing_settings (
      office_id uuid primary key references offices(id),
      max_queue integer check (max_queue >= 0),
      max_wait_seconds integer check (max_wait_seconds > 0),
      offer_timeout_seconds integer not null default 20 check (offer_timeout_seconds between 5 and 600),
      service_level_seconds integer not null default 20 check (service_level_seconds between 1 and 86400),
      handle_seconds integer not null default 240 check (handle_seconds between 10 and 86400),
      callback_after_seconds integer check (callback_after_seconds > 0),
      version integer not null default 1,
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table routing_numbers (
      number text primary key check (number ~ '^\\+?[0-9]{2,20}$'),
      office_id uuid not null references offices(id)
    )`.execute(db);
  await sql`create index routing_numbers_office_idx on routing_numbers (office_id)`.execute(db);

  await sql`
    create table operator_states (
      user_id uuid primary key references users(id),
      office_id uuid not null references offices(id),
      presence text not null default 'offline' check (presence in ('available','busy','after_contact','break','offline')),
      presence_since timestamptz not null default now(),
      idle_since timestamptz not null default now(),
      topics jsonb not null default '[]' check (jsonb_typeof(topics) = 'array'),
      languages jsonb not null default '[]' check (jsonb_typeof(languages) = 'array'),
      channels jsonb not null default '[]' check (jsonb_typeof(channels) = 'array'),
      capacity jsonb not null default '{}' check (jsonb_typeof(capacity) = 'object'),
      load jsonb not null default '{}' check (jsonb_typeof(load) = 'object'),
      free_channels text[] not null default '{phone,callback,chat,email,web}',
      extension text check (char_length(extension) <= 40),
      version integer not null default 1,
      updated_at timestamptz not null default now()
    )`.execute(db);
  // Routing reads the available operators longest idle first and keeps those with a free slot on a
  // channel that waits (a cheap array test per row): operators at capacity for it stay available but
  // are never locked, so they never crowd out those who can take something.
  await sql`create index operator_states_available_idx on operator_states (idle_since) where presence = 'available'`.execute(db);

  await sql`
    create table work_items (
      id uuid primary key default gen_random_uuid(),
      office_id uuid not null references offices(id),
      organisation_id uuid not null references organisations(id),
      channel text not null check (channel in ('phone','callback','chat','email','web')),
      topic text check (char_length(topic) <= 100),
      language text check (language ~ '^[a-z]{2}$'),
      priority smallint not null default 0 check (priority between 0 and 9),
      status text not null default 'waiting' check (status in ('waiting','offered','assigned','completed','abandoned','cancelled')),
      ticket_id uuid references tickets(id),
      call_id text check (char_length(call_id) between 1 and 200),
      caller text check (char_length(caller) <= 40),
      dialled text check (char_length(dialled) <= 40),
      subject text check (char_length(subject) <= 300),
      enqueued_at timestamptz not null default now(),
      not_before timestamptz,
      overflow_office_ids jsonb not null default '[]' check (jsonb_typeof(overflow_office_ids) = 'array'),
      refused_by jsonb not null default '[]' check (jsonb_typeof(refused_by) = 'array'),
      refused_at timestamptz,
      offers integer not null default 0,
      assigned_to uuid references users(id),
      assigned_office_id uuid references offices(id),
      answered_at timestamptz,
      ended_at timestamptz,
      outcome text check (outcome in ('answered','abandoned','callback','cancelled','closed')),
      cti_state text check (cti_state in ('ringing','queued','answered','ended','abandoned')),
      version integer not null default 1,
      created_by uuid references users(id),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index work_items_waiting_idx on work_items (office_id, priority desc, enqueued_at) where status = 'waiting'`.execute(db);
  // The queue in serving order across offices (a routing round reads its head and stops), and the
  // few items that overflowed (read apart, so the head query needs no scan of the jsonb column).
  // What waits where: (office, channel) pairs read by a loose index scan, one probe per pair.
  await sql`create index work_items_waiting_kind_idx on work_items (office_id, channel) where status = 'waiting'`.execute(db);
  await sql`create index work_items_queue_order_idx on work_items (priority desc, enqueued_at) where status = 'waiting'`.execute(db);
  await sql`create index work_items_overflowed_idx on work_items (enqueued_at) where status = 'waiting' and overflow_office_ids <> '[]'::jsonb`.execute(db);
  // The sweep's timers: callback slots and refusals to forget, each a handful of rows among the queue.
  await sql`create index work_items_not_before_idx on work_items (not_before) where status = 'waiting' and not_before is not null`.execute(db);
  await sql`create index work_items_refused_idx on work_items (refused_at) where status = 'waiting' and refused_at is not null`.execute(db);
  await sql`create unique index work_items_call_idx on work_items (call_id) where call_id is not null`.execute(db);
  await sql`create index work_items_office_day_idx on work_items (office_id, enqueued_at)`.execute(db);
  await sql`create index work_items_assigned_idx on work_items (assigned_to) where status in ('offered','assigned')`.execute(db);
  await sql`create index work_items_ticket_idx on work_items (ticket_id) where ticket_id is not null`.execute(db);

  await sql`
    create table routing_offers (
      id uuid primary key default gen_random_uuid(),
      item_id uuid not null references work_items(id),
      user_id uuid not null references users(id),
      office_id uuid not null references offices(id),
      overflow boolean not null default false,
      status text not null default 'pending' check (status in ('pending','accepted','declined','expired','withdrawn')),
      offered_at timestamptz not null default now(),
      expires_at timestamptz not null,
      decided_at timestamptz
    )`.execute(db);
  await sql`create unique index routing_offers_pending_item_idx on routing_offers (item_id) where status = 'pending'`.execute(db);
  await sql`create index routing_offers_user_idx on routing_offers (user_id) where status = 'pending'`.execute(db);
  await sql`create index routing_offers_expiry_idx on routing_offers (expires_at) where status = 'pending'`.execute(db);

  await sql`alter table network_agreements add column overflow jsonb check (overflow is null or jsonb_typeof(overflow) = 'object')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table network_agreements drop column overflow`.execute(db);
  for (const table of ['routing_offers', 'work_items', 'operator_states', 'routing_numbers', 'routing_settings']) await sql.raw(`drop table ${table}`).execute(db);
}
