import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * A mailbox's own outgoing server (issue 15): a PEC is a PEC only when it leaves through the PEC
 * provider's SMTP server with that mailbox's credentials, and a body may want replies from its e-mail
 * address to leave through its own relay too.
 *
 * - mailboxes.outgoing_smtp: the SMTP URL with its credentials, sealed under the server's secret
 *   (AES-256-GCM, platform/sealed.ts); null: the network's relay (SMTP_URL).
 * - mailboxes.outgoing_label: what may be shown of it (user@host:port), never the password.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mailboxes add column outgoing_smtp text`.execute(db);
  await sql`alter table mailboxes add column outgoing_label text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table mailboxes drop column outgoing_label`.execute(db);
  await sql`alter table mailboxes drop column outgoing_smtp`.execute(db);
}
