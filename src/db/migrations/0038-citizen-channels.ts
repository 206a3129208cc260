import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * The citizen channels (issue 15): the citizen files a request on the portal or writes by e-mail/PEC,
 * hears back on the same channel and on a private tracking page, answers and rates the answer.
 *
 * - citizen_links: one per ticket a citizen can follow. The private tracking token is an HMAC of
 *   `token_seed` under the server's secret (so later e-mails can carry the link again, while a copy of
 *   the database alone opens nothing); `token_hash` (its SHA-256) finds the link; `reply_channel` says whether replies go out by
 *   e-mail or PEC (the address is the requester's, in `requesters`, so retention and erasure already
 *   cover it); `submission_key` makes a portal form posted twice one request.
 * - citizen_deliveries: each message sent to the citizen (an operator's public reply, the
 *   acknowledgement of a new request, the rating request) and how it went: queued, sent (accepted by
 *   the relay), delivered (PEC consegna), bounced, failed after retries, or no_contact. No address is
 *   stored here: it is read from the requester when the message is sent.
 * - ticket_ratings: the citizen's rating of the answer (1-5 and a comment), one per ticket.
 * - mailboxes: the e-mail and PEC addresses of an office where citizens write.
 * - inbound_mail: every message received on a mailbox and what became of it (a ticket made or joined,
 *   a receipt or bounce recorded, or quarantined with a reason). Sender, subject and the raw message
 *   (a file under DATA_DIR) are kept only while quarantined: an admin releases or dismisses it, and
 *   the purge job removes what is left after 30 days.
 * - portal_challenges: proof-of-work challenges already spent (a challenge buys one request).
 * - request_fields: the fields an office asks for on the portal form, per topic.
 * - ticket_messages.channel / email_message_id: where a citizen's message came from, and the
 *   Message-ID of an e-mail so replies thread.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table citizen_links (
      ticket_id uuid primary key references tickets(id),
      token_hash text not null unique,
      token_seed text not null,
      reply_channel text not null default 'email' check (reply_channel in ('email','pec')),
      lang text not null default 'it' check (lang in ('it','en')),
      submission_key text unique,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table citizen_deliveries (
      id uuid primary key default gen_random_uuid(),
      ticket_id uuid not null references tickets(id),
      message_id uuid references ticket_messages(id),
      kind text not null check (kind in ('reply','acknowledgement','rating_request')),
      channel text not null check (channel in ('email','pec')),
      status text not null default 'queued' check (status in ('queued','sent','delivered','bounced','failed','no_contact')),
      attempts integer not null default 0,
      last_error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index citizen_deliveries_ticket_idx on citizen_deliveries (ticket_id, created_at)`.execute(db);
  await sql`create unique index citizen_deliveries_message_idx on citizen_deliveries (message_id, kind) where message_id is not null`.execute(db);

  await sql`
    create table ticket_ratings (
      ticket_id uuid primary key references tickets(id),
      score smallint not null check (score between 1 and 5),
      comment text check (length(comment) <= 2000),
      via text not null check (via in ('portal','email')),
      rated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table mailboxes (
      id uuid primary key default gen_random_uuid(),
      office_id uuid not null references offices(id),
      address text not null check (address = lower(address) and address ~ '^[^@\\s]+@[^@\\s]+$'),
      kind text not null default 'email' check (kind in ('email','pec')),
      active boolean not null default true,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index mailboxes_address_idx on mailboxes (address)`.execute(db);
  await sql`create index mailboxes_office_idx on mailboxes (office_id)`.execute(db);

  await sql`
    create table inbound_mail (
      id uuid primary key default gen_random_uuid(),
      mailbox_id uuid not null references mailboxes(id),
      message_id text,
      received_at timestamptz not null default now(),
      outcome text not null check (outcome in ('ticket_created','ticket_joined','receipt','bounce','quarantined','released','dismissed')),
      reason text,
      ticket_id uuid references tickets(id),
      sender text,
      subject text,
      storage_key text,
      size integer not null,
      settled_by uuid references users(id),
      settled_at timestamptz
    )`.execute(db);
  await sql`create unique index inbound_mail_message_idx on inbound_mail (mailbox_id, message_id) where message_id is not null`.execute(db);
  await sql`create index inbound_mail_quarantine_idx on inbound_mail (received_at) where outcome = 'quarantined'`.execute(db);
  await sql`create index inbound_mail_ticket_idx on inbound_mail (ticket_id) where ticket_id is not null`.execute(db);

  await sql`
    create table portal_challenges (
      challenge_hash text primary key,
      spent_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table request_fields (
      office_id uuid not null references offices(id),
      topic text not null,
      fields jsonb not null check (jsonb_typeof(fields) = 'array'),
      updated_at timestamptz not null default now(),
      primary key (office_id, topic)
    )`.execute(db);

  await sql`alter table ticket_messages add column channel text check (channel in ('web','email','pec'))`.execute(db);
  await sql`alter table ticket_messages add column email_message_id text`.execute(db);
  await sql`create index ticket_messages_email_idx on ticket_messages (email_message_id) where email_message_id is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table ticket_messages drop column email_message_id`.execute(db);
  await sql`alter table ticket_messages drop column channel`.execute(db);
  for (const table of ['request_fields', 'portal_challenges', 'inbound_mail', 'mailboxes', 'ticket_ratings', 'citizen_deliveries', 'citizen_links']) await sql.raw(`drop table ${table}`).execute(db);
}
