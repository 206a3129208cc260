import { type Selectable, sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import type { DeliveryKindColumn, DeliveryStatusColumn, InboundOutcomeColumn, ReplyChannelColumn, RequestFieldDefinition } from '../../db/tables/citizen.js';
import type { Trx } from '../../platform/http.js';

/* Reads and writes of the citizen-channels tables (migration 0038). */

type Db = Database | Trx;

export interface CitizenLink {
  ticketId: string;
  tokenSeed: string;
  replyChannel: ReplyChannelColumn;
  lang: 'it' | 'en';
  submissionKey: string | null;
  /** The privacy notice accepted on the portal (its address, or `network`); null for links made by e-mail or staff. */
  consentNotice: string | null;
  createdAt: Date;
}

const toLink = (r: { ticket_id: string; token_seed: string; reply_channel: ReplyChannelColumn; lang: 'it' | 'en'; submission_key: string | null; consent_notice: string | null; created_at: Date }): CitizenLink => ({
  ticketId: r.ticket_id, tokenSeed: r.token_seed, replyChannel: r.reply_channel, lang: r.lang, submissionKey: r.submission_key, consentNotice: r.consent_notice, createdAt: r.created_at,
});

export async function insertLink(trx: Trx, l: { ticketId: string; tokenHash: string; tokenSeed: string; replyChannel: ReplyChannelColumn; lang: 'it' | 'en'; submissionKey: string | null; consentNotice?: string; now: Date }): Promise<void> {
  await trx
    .insertInto('citizen_links')
    .values({ ticket_id: l.ticketId, token_hash: l.tokenHash, token_seed: l.tokenSeed, reply_channel: l.replyChannel, lang: l.lang, submission_key: l.submissionKey, consent_notice: l.consentNotice ?? null, created_at: l.now })
    .execute();
}

export async function findLinkByTokenHash(db: Db, tokenHash: string): Promise<CitizenLink | null> {
  const row = await db.selectFrom('citizen_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return row ? toLink(row) : null;
}

export async function findLinkBySubmission(db: Db, submissionKey: string): Promise<CitizenLink | null> {
  const row = await db.selectFrom('citizen_links').selectAll().where('submission_key', '=', submissionKey).executeTakeFirst();
  return row ? toLink(row) : null;
}

export async function findLink(db: Db, ticketId: string): Promise<CitizenLink | null> {
  const row = await db.selectFrom('citizen_links').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
  return row ? toLink(row) : null;
}

/** Links a ticket opened by staff (phone, desk) the first time something is sent to its requester; the existing link when there is one. */
export async function ensureLink(db: Db, l: { ticketId: string; tokenHash: string; tokenSeed: string; replyChannel: ReplyChannelColumn; lang: 'it' | 'en'; now: Date }): Promise<CitizenLink> {
  await db
    .insertInto('citizen_links')
    .values({ ticket_id: l.ticketId, token_hash: l.tokenHash, token_seed: l.tokenSeed, reply_channel: l.replyChannel, lang: l.lang, created_at: l.now })
    .onConflict((oc) => oc.column('ticket_id').doNothing())
    .execute();
  return (await findLink(db, l.ticketId))!;
}

/** Spends a proof-of-work challenge; false when it was spent already. */
export async function spendChallenge(trx: Trx, hash: string, now: Date): Promise<boolean> {
  const row = await trx.insertInto('portal_challenges').values({ challenge_hash: hash, spent_at: now }).onConflict((oc) => oc.column('challenge_hash').doNothing()).returning('challenge_hash').executeTakeFirst();
  return row !== undefined;
}

export async function forgetSpentChallenges(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom('portal_challenges').where('spent_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// Deliveries

export interface Delivery {
  id: string;
  ticketId: string;
  messageId: string | null;
  kind: DeliveryKindColumn;
  channel: ReplyChannelColumn;
  status: DeliveryStatusColumn;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type DeliveryRow = { id: string; ticket_id: string; message_id: string | null; kind: DeliveryKindColumn; channel: ReplyChannelColumn; status: DeliveryStatusColumn; attempts: number; last_error: string | null; created_at: Date; updated_at: Date };
const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id, ticketId: r.ticket_id, messageId: r.message_id, kind: r.kind, channel: r.channel, status: r.status, attempts: r.attempts, lastError: r.last_error, createdAt: r.created_at, updatedAt: r.updated_at,
});

/** Queues a delivery; null when this message already has one of this kind (an event handled twice). */
export async function insertDelivery(db: Db, d: { ticketId: string; messageId: string | null; kind: DeliveryKindColumn; channel: ReplyChannelColumn; status?: DeliveryStatusColumn; now: Date }): Promise<string | null> {
  const row = await db
    .insertInto('citizen_deliveries')
    .values({ ticket_id: d.ticketId, message_id: d.messageId, kind: d.kind, channel: d.channel, status: d.status ?? 'queued', created_at: d.now, updated_at: d.now })
    .onConflict((oc) => oc.columns(['message_id', 'kind']).where('message_id', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function findDelivery(db: Db, id: string): Promise<Delivery | null> {
  const row = await db.selectFrom('citizen_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toDelivery(row) : null;
}

export async function listDeliveries(db: Db, ticketId: string): Promise<Delivery[]> {
  const rows = await db.selectFrom('citizen_deliveries').selectAll().where('ticket_id', '=', ticketId).orderBy('created_at').execute();
  return rows.map(toDelivery);
}

/** Moves a delivery on; `from` guards against going back (a late "sent" never overwrites "delivered" or "bounced"). */
export async function updateDelivery(db: Db, id: string, patch: { status: DeliveryStatusColumn; lastError?: string | null; attempt?: boolean; from: readonly DeliveryStatusColumn[] }, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('citizen_deliveries')
    .set((eb) => ({
      status: patch.status,
      updated_at: now,
      ...(patch.lastError !== undefined ? { last_error: patch.lastError } : {}),
      ...(patch.attempt ? { attempts: eb('attempts', '+', 1) } : {}),
    }))
    .where('id', '=', id)
    .where('status', 'in', patch.from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

// Ratings

export interface Rating {
  score: number;
  comment: string | null;
  via: 'portal' | 'email';
  ratedAt: Date;
}

export async function findRating(db: Db, ticketId: string): Promise<Rating | null> {
  const row = await db.selectFrom('ticket_ratings').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
  return row ? { score: row.score, comment: row.comment, via: row.via, ratedAt: row.rated_at } : null;
}

/** false when the ticket was rated already. */
export async function insertRating(trx: Trx, r: { ticketId: string; score: number; comment: string | null; via: 'portal' | 'email'; now: Date }): Promise<boolean> {
  const row = await trx
    .insertInto('ticket_ratings')
    .values({ ticket_id: r.ticketId, score: r.score, comment: r.comment, via: r.via, rated_at: r.now })
    .onConflict((oc) => oc.column('ticket_id').doNothing())
    .returning('ticket_id')
    .executeTakeFirst();
  return row !== undefined;
}

// Mailboxes

export interface Mailbox {
  id: string;
  officeId: string;
  address: string;
  kind: ReplyChannelColumn;
  active: boolean;
  createdAt: Date;
  /** The mailbox's own outgoing server, sealed; null: the network's relay. */
  outgoingSealed: string | null;
  /** user@host:port of that server (no password). */
  outgoingLabel: string | null;
  /** The IMAP server the mailbox's mail is fetched from, sealed; null: SMTP intake only. */
  incomingSealed: string | null;
  /** user@host:port/folder of that server (no password). */
  incomingLabel: string | null;
  /** Where the IMAP polling stands. */
  imap: { uidValidity: string | null; firstUid: number; lastUid: number; polledAt: Date | null; error: string | null };
}

type MailboxRow = Selectable<DB['mailboxes']>;
const toMailbox = (r: MailboxRow): Mailbox => ({
  id: r.id, officeId: r.office_id, address: r.address, kind: r.kind, active: r.active, createdAt: r.created_at, outgoingSealed: r.outgoing_smtp, outgoingLabel: r.outgoing_label,
  incomingSealed: r.incoming_imap, incomingLabel: r.incoming_label,
  imap: { uidValidity: r.imap_uid_validity, firstUid: Number(r.imap_first_uid), lastUid: Number(r.imap_last_uid), polledAt: r.imap_polled_at, error: r.imap_error },
});

/** Sets (or with nulls, clears) the mailbox's own outgoing server. */
export async function setMailboxOutgoing(db: Db, id: string, outgoing: { sealed: string; label: string } | null): Promise<Mailbox | null> {
  const row = await db
    .updateTable('mailboxes')
    .set({ outgoing_smtp: outgoing?.sealed ?? null, outgoing_label: outgoing?.label ?? null })
    .where('id', '=', id)
    .where('active', '=', true)
    .returningAll()
    .executeTakeFirst();
  return row ? toMailbox(row) : null;
}

/** Sets (or with null, clears) the IMAP server the mailbox is polled from; the polling starts again from the folder's start. */
export async function setMailboxIncoming(db: Db, id: string, incoming: { sealed: string; label: string } | null): Promise<Mailbox | null> {
  const row = await db
    .updateTable('mailboxes')
    .set({
      incoming_imap: incoming?.sealed ?? null, incoming_label: incoming?.label ?? null, imap_uid_validity: null, imap_first_uid: 0, imap_last_uid: 0,
      imap_polled_at: null, imap_error: null, imap_failed_uid: null, imap_failures: 0,
    })
    .where('id', '=', id)
    .where('active', '=', true)
    .returningAll()
    .executeTakeFirst();
  return row ? toMailbox(row) : null;
}

/** The active mailboxes fetched by IMAP. */
export async function imapMailboxIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('mailboxes').select('id').where('active', '=', true).where('incoming_imap', 'is not', null).orderBy('address').execute();
  return rows.map((r) => r.id);
}

/** Takes the mailbox for one poll until `until`; null when another instance holds it (or it has no IMAP server). */
export async function claimImapPoll(db: Db, id: string, now: Date, until: Date): Promise<Mailbox | null> {
  const row = await db
    .updateTable('mailboxes')
    .set({ imap_lease_until: until })
    .where('id', '=', id)
    .where('active', '=', true)
    .where('incoming_imap', 'is not', null)
    .where((eb) => eb.or([eb('imap_lease_until', 'is', null), eb('imap_lease_until', '<', now)]))
    .returningAll()
    .executeTakeFirst();
  return row ? toMailbox(row) : null;
}

/**
 * Records the last UID taken, only while the mailbox still polls the same server (`sealed`): an admin
 * who changed the server meanwhile has reset the progress, and it stays reset. A poll that makes
 * progress keeps its lease (a long first read is not taken over by another instance).
 */
export async function saveImapProgress(db: Db, id: string, sealed: string, p: { uidValidity: string; firstUid: number; lastUid: number }, leaseUntil: Date): Promise<void> {
  await db.updateTable('mailboxes').set({ imap_uid_validity: p.uidValidity, imap_first_uid: p.firstUid, imap_last_uid: p.lastUid, imap_lease_until: leaseUntil }).where('id', '=', id).where('incoming_imap', '=', sealed).execute();
}

/** Counts one more poll in a row failing on message `uid` (a different message starts again at 1); returns the count. */
export async function countImapFailure(db: Db, id: string, sealed: string, uid: number): Promise<number> {
  const row = await db
    .updateTable('mailboxes')
    .set((eb) => ({ imap_failed_uid: uid, imap_failures: eb.case().when('imap_failed_uid', '=', uid).then(eb('imap_failures', '+', 1)).else(1).end() }))
    .where('id', '=', id)
    .where('incoming_imap', '=', sealed)
    .returning('imap_failures')
    .executeTakeFirst();
  return row?.imap_failures ?? 0;
}

/** Ends a poll: when it ran, why it failed (null: it did not), and the lease is released. */
export async function endImapPoll(db: Db, id: string, sealed: string, r: { error: string | null; now: Date }): Promise<void> {
  await db.updateTable('mailboxes').set({ imap_polled_at: r.now, imap_error: r.error, imap_lease_until: null }).where('id', '=', id).where('incoming_imap', '=', sealed).execute();
  await db.updateTable('mailboxes').set({ imap_lease_until: null }).where('id', '=', id).execute();
}

export async function findMailboxByAddress(db: Db, address: string): Promise<Mailbox | null> {
  const row = await db.selectFrom('mailboxes').selectAll().where('address', '=', address.toLowerCase()).where('active', '=', true).executeTakeFirst();
  return row ? toMailbox(row) : null;
}

export async function findMailbox(db: Db, id: string): Promise<Mailbox | null> {
  const row = await db.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toMailbox(row) : null;
}

export async function listMailboxes(db: Db, officeIds?: readonly string[]): Promise<Mailbox[]> {
  let q = db.selectFrom('mailboxes').selectAll().where('active', '=', true).orderBy('address');
  if (officeIds) {
    if (officeIds.length === 0) return [];
    q = q.where('office_id', 'in', officeIds);
  }
  return (await q.execute()).map(toMailbox);
}

/** The office's first active mailbox of a kind (replies go out from it). */
export async function mailboxOfOffice(db: Db, officeId: string, kind: ReplyChannelColumn): Promise<Mailbox | null> {
  const row = await db.selectFrom('mailboxes').selectAll().where('office_id', '=', officeId).where('kind', '=', kind).where('active', '=', true).orderBy('created_at').limit(1).executeTakeFirst();
  return row ? toMailbox(row) : null;
}

/** null when the address is taken (by an active or a retired mailbox: addresses are never reused). */
export async function insertMailbox(db: Db, m: { officeId: string; address: string; kind: ReplyChannelColumn; outgoing?: { sealed: string; label: string } | null; incoming?: { sealed: string; label: string } | null; now: Date }): Promise<Mailbox | null> {
  const row = await db
    .insertInto('mailboxes')
    .values({
      office_id: m.officeId, address: m.address.toLowerCase(), kind: m.kind, outgoing_smtp: m.outgoing?.sealed ?? null, outgoing_label: m.outgoing?.label ?? null,
      incoming_imap: m.incoming?.sealed ?? null, incoming_label: m.incoming?.label ?? null, created_at: m.now,
    })
    .onConflict((oc) => oc.column('address').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toMailbox(row) : null;
}

export async function retireMailbox(db: Db, id: string): Promise<boolean> {
  const r = await db.updateTable('mailboxes').set({ active: false }).where('id', '=', id).where('active', '=', true).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

// Inbound mail

export interface InboundRecord {
  id: string;
  mailboxId: string;
  messageId: string | null;
  receivedAt: Date;
  outcome: InboundOutcomeColumn;
  reason: string | null;
  ticketId: string | null;
  sender: string | null;
  subject: string | null;
  storageKey: string | null;
  size: number;
}

type InboundRow = { id: string; mailbox_id: string; message_id: string | null; received_at: Date; outcome: InboundOutcomeColumn; reason: string | null; ticket_id: string | null; sender: string | null; subject: string | null; storage_key: string | null; size: number };
const toInbound = (r: InboundRow): InboundRecord => ({
  id: r.id, mailboxId: r.mailbox_id, messageId: r.message_id, receivedAt: r.received_at, outcome: r.outcome, reason: r.reason, ticketId: r.ticket_id,
  sender: r.sender, subject: r.subject, storageKey: r.storage_key, size: r.size,
});

/** Records a received message; null when this mailbox already received this Message-ID (a re-delivery). */
export async function insertInbound(db: Db, m: Omit<InboundRecord, 'id'>): Promise<string | null> {
  const row = await db
    .insertInto('inbound_mail')
    .values({
      mailbox_id: m.mailboxId, message_id: m.messageId, received_at: m.receivedAt, outcome: m.outcome, reason: m.reason, ticket_id: m.ticketId,
      sender: m.sender, subject: m.subject, storage_key: m.storageKey, size: m.size,
    })
    .onConflict((oc) => oc.columns(['mailbox_id', 'message_id']).where('message_id', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function findInbound(db: Db, id: string): Promise<InboundRecord | null> {
  const row = await db.selectFrom('inbound_mail').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toInbound(row) : null;
}

export async function listQuarantine(db: Db, mailboxIds: readonly string[], limit: number): Promise<InboundRecord[]> {
  if (mailboxIds.length === 0) return [];
  const rows = await db.selectFrom('inbound_mail').selectAll().where('outcome', '=', 'quarantined').where('mailbox_id', 'in', mailboxIds).orderBy('received_at', 'desc').limit(limit).execute();
  return rows.map(toInbound);
}

/** Settles a quarantined message (released into a ticket, or dismissed): its sender, subject and raw file go. */
export async function settleInbound(trx: Trx, id: string, s: { outcome: 'released' | 'dismissed'; ticketId: string | null; userId: string; now: Date }): Promise<boolean> {
  const r = await trx
    .updateTable('inbound_mail')
    .set({ outcome: s.outcome, ticket_id: s.ticketId, settled_by: s.userId, settled_at: s.now, sender: null, subject: null, storage_key: null })
    .where('id', '=', id)
    .where('outcome', '=', 'quarantined')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Quarantined messages older than the cut-off: their raw files are removed by the caller, then the rows lose sender and subject. */
export async function expiredQuarantine(db: Db, before: Date, limit: number): Promise<{ id: string; storageKey: string | null }[]> {
  return db.selectFrom('inbound_mail').select(['id', 'storage_key as storageKey']).where('outcome', '=', 'quarantined').where('received_at', '<', before).limit(limit).execute();
}

export async function forgetQuarantined(db: Db, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('inbound_mail').set({ outcome: 'dismissed', reason: sql<string>`coalesce(reason, '') || ' (scaduto)'`, sender: null, subject: null, storage_key: null, settled_at: now }).where('id', 'in', ids).execute();
}

/** Message-IDs of the citizen's e-mails that made or joined this ticket, oldest first (our replies thread on them). */
export async function inboundMessageIds(db: Db, ticketId: string): Promise<string[]> {
  const rows = await db.selectFrom('inbound_mail').select('message_id').where('ticket_id', '=', ticketId).where('outcome', 'in', ['ticket_created', 'ticket_joined', 'released']).where('message_id', 'is not', null).orderBy('received_at').execute();
  return rows.map((r) => r.message_id!);
}

/** How many messages this sender sent to this mailbox since `since` (loop and flood detection). */
/**
 * What the intake checks before taking a message, in one round trip: the message already recorded on
 * this mailbox under its Message-ID (a sender's retry), and how many messages its sender sent to the
 * mailbox since `since` (the flood check). Either part is skipped when its key is null.
 */
export async function intakeChecks(db: Db, mailboxId: string, messageId: string | null, sender: string | null, since: Date): Promise<{ seen: { id: string; ticketId: string | null } | null; recent: number }> {
  const { rows } = await sql<{ seen_id: string | null; seen_ticket: string | null; recent: string | number }>`
    select s.id as seen_id, s.ticket_id as seen_ticket,
      (select count(*) from inbound_mail where ${sender !== null} and mailbox_id = ${mailboxId} and received_at >= ${since} and sender = ${sender}) as recent
    from (select 1) as one
    left join lateral (select id, ticket_id from inbound_mail where ${messageId !== null} and mailbox_id = ${mailboxId} and message_id = ${messageId} limit 1) as s on true`.execute(db);
  const row = rows[0]!;
  return { seen: row.seen_id ? { id: row.seen_id, ticketId: row.seen_ticket } : null, recent: Number(row.recent) };
}

// Request fields

export async function findRequestFields(db: Db, officeId: string, topics: readonly string[]): Promise<{ topic: string; fields: RequestFieldDefinition[] }[]> {
  if (topics.length === 0) return [];
  return db.selectFrom('request_fields').select(['topic', 'fields']).where('office_id', '=', officeId).where('topic', 'in', topics).execute();
}

export async function listRequestFields(db: Db, officeId: string): Promise<{ topic: string; fields: RequestFieldDefinition[] }[]> {
  return db.selectFrom('request_fields').select(['topic', 'fields']).where('office_id', '=', officeId).orderBy('topic').execute();
}

export async function upsertRequestFields(db: Db, officeId: string, topic: string, fields: RequestFieldDefinition[], now: Date): Promise<void> {
  await db
    .insertInto('request_fields')
    .values({ office_id: officeId, topic, fields: JSON.stringify(fields), updated_at: now })
    .onConflict((oc) => oc.columns(['office_id', 'topic']).doUpdateSet({ fields: JSON.stringify(fields), updated_at: now }))
    .execute();
}

export async function deleteRequestFields(db: Db, officeId: string, topic: string): Promise<void> {
  await db.deleteFrom('request_fields').where('office_id', '=', officeId).where('topic', '=', topic).execute();
}

// ------------------------------------------------------------------ privacy notices

export interface PrivacyNotice {
  organisationId: string;
  url: string;
  dpoEmail: string | null;
  updatedAt: Date;
}

/** The bodies' own privacy notices, by organisation id (those without one use the network's). */
export async function findPrivacyNotices(db: Db, organisationIds?: readonly string[]): Promise<Map<string, PrivacyNotice>> {
  if (organisationIds && organisationIds.length === 0) return new Map();
  let query = db.selectFrom('privacy_notices').selectAll();
  if (organisationIds) query = query.where('organisation_id', 'in', [...organisationIds]);
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.organisation_id, { organisationId: r.organisation_id, url: r.notice_url, dpoEmail: r.dpo_email, updatedAt: r.updated_at }]));
}

export async function upsertPrivacyNotice(db: Db, n: { organisationId: string; url: string; dpoEmail: string | null; now: Date }): Promise<void> {
  await db
    .insertInto('privacy_notices')
    .values({ organisation_id: n.organisationId, notice_url: n.url, dpo_email: n.dpoEmail, updated_at: n.now })
    .onConflict((oc) => oc.column('organisation_id').doUpdateSet({ notice_url: n.url, dpo_email: n.dpoEmail, updated_at: n.now }))
    .execute();
}

export async function deletePrivacyNotice(db: Db, organisationId: string): Promise<boolean> {
  const result = await db.deleteFrom('privacy_notices').where('organisation_id', '=', organisationId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * What the citizen channels hold about tickets whose personal data is purged (retention, erasure):
 * rating comments (the score stays) and the senders of their inbound mail. Returns rows changed.
 */
export async function purgeOfTickets(db: Db, ticketIds: readonly string[]): Promise<number> {
  if (ticketIds.length === 0) return 0;
  const ratings = await db.updateTable('ticket_ratings').set({ comment: null }).where('ticket_id', 'in', ticketIds).where('comment', 'is not', null).executeTakeFirst();
  const mail = await db.updateTable('inbound_mail').set({ sender: null, subject: null }).where('ticket_id', 'in', ticketIds).where((eb) => eb.or([eb('sender', 'is not', null), eb('subject', 'is not', null)])).executeTakeFirst();
  return Number(ratings.numUpdatedRows) + Number(mail.numUpdatedRows);
}

/** Senders of inbound mail older than the cut-off (kept that long for flood detection). */
export async function forgetOldSenders(db: Db, before: Date): Promise<number> {
  const r = await db.updateTable('inbound_mail').set({ sender: null }).where('received_at', '<', before).where('sender', 'is not', null).where('outcome', '!=', 'quarantined').executeTakeFirst();
  return Number(r.numUpdatedRows);
}
