import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * IMAP polling of an office mailbox (issue 15): where the body's mail server keeps the mail (or a PEC
 * provider offers only IMAP), urpnet fetches it instead of receiving it by SMTP.
 *
 * - mailboxes.incoming_imap: the IMAP URL with its credentials, sealed under the server's secret
 *   (platform/sealed.ts); null: the mailbox receives by SMTP only.
 * - mailboxes.incoming_label: what may be shown of it (user@host:port/folder), never the password.
 * - imap_uid_validity, imap_first_uid, imap_last_uid: where the polling stands. imap_first_uid is the
 *   folder's UIDNEXT when urpnet first read it: older messages are taken only if still unread (the
 *   office's past mail is not turned into tickets), newer ones all. A message is taken once, when its
 *   UID passes imap_last_uid. When the folder's UIDVALIDITY changes, its UIDs were renumbered: the
 *   folder is read as if for the first time (the intake recognises Message-IDs it already has).
 * - imap_polled_at, imap_error: the last poll and, when it failed, why (shown to the admin).
 * - imap_lease_until: one instance polls a mailbox at a time; a crashed poller's lease runs out.
 * - imap_failed_uid, imap_failures: a message the intake failed on, and how many polls in a row; at
 *   the third it goes to the quarantine, so one bad message does not hold up the mailbox for good.
 *
 * And an index for the intake's flood check (messages from one sender to one mailbox in the last ten
 * minutes), asked of every message: without it the check read every message the mailbox ever received.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mailboxes add column incoming_imap text`.execute(db);
  await sql`alter table mailboxes add column incoming_label text`.execute(db);
  await sql`alter table mailboxes add column imap_uid_validity text`.execute(db);
  await sql`alter table mailboxes add column imap_first_uid bigint not null default 0`.execute(db);
  await sql`alter table mailboxes add column imap_last_uid bigint not null default 0`.execute(db);
  await sql`alter table mailboxes add column imap_polled_at timestamptz`.execute(db);
  await sql`alter table mailboxes add column imap_error text`.execute(db);
  await sql`alter table mailboxes add column imap_lease_until timestamptz`.execute(db);
  await sql`alter table mailboxes add column imap_failed_uid bigint`.execute(db);
  await sql`alter table mailboxes add column imap_failures integer not null default 0`.execute(db);
  await sql`create index inbound_mail_sender_idx on inbound_mail (mailbox_id, sender, received_at) where sender is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists inbound_mail_sender_idx`.execute(db);
  for (const column of ['imap_failures', 'imap_failed_uid', 'imap_lease_until', 'imap_error', 'imap_polled_at', 'imap_last_uid', 'imap_first_uid', 'imap_uid_validity', 'incoming_label', 'incoming_imap']) {
    await sql`alter table mailboxes drop column ${sql.id(column)}`.execute(db);
  }
}
