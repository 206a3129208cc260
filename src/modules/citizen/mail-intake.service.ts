import path from 'node:path';
import { Readable } from 'node:stream';
import type { Database } from '../../db/database.js';
import type { InboundOutcomeColumn } from '../../db/tables/citizen.js';
import { allowedContentType, attachmentsRoot, contentMatches, removeStored, safeFilename, storeStream } from '../../platform/file-storage.js';
import * as identity from '../identity/index.js';
import * as tickets from '../tickets/index.js';
import { refusedContent } from './attachment-policy.js';
import * as repo from './citizen.repository.js';
import { type InboundAttachment, MalformedMessageError, type ParsedInbound, parseInbound } from './mail/inbound-message.js';
import { deliveryIdOf, domainOf } from './outgoing-message.js';
import { linkTicket } from './portal.service.js';

/**
 * E-mail and PEC intake: one received message for one office mailbox becomes a new ticket, joins the
 * ticket it answers, records a bounce or a PEC receipt on the delivery it is about, or goes to the
 * quarantine with a reason (auto-replies, loops, floods, malformed MIME, unmatched bounces). Every
 * message ends in one of these places: none is dropped. A Message-ID received twice on a mailbox (a
 * sender's retry) is recognised and not recorded again.
 *
 * A reply joins a ticket only if the ticket belongs to the organisation of the receiving mailbox: a
 * forged In-Reply-To or a code of another body's ticket opens a new ticket instead.
 */

export interface IntakeOptions {
  secret: string;
  dataDir: string;
  mailFrom: string;
  loopValue: string;
  maxAttachmentBytes: number;
  /** More messages than this from one sender to one mailbox in 10 minutes: the rest is quarantined (a responder loop). */
  floodLimit?: number;
}

export interface IntakeResult {
  outcome: InboundOutcomeColumn | 'duplicate';
  reason: string | null;
  ticketId: string | null;
  ticketCode: string | null;
  inboundId: string | null;
}

const FLOOD_WINDOW_MS = 10 * 60_000;
const DEFAULT_FLOOD_LIMIT = 30;

export const quarantineRoot = (dataDir: string) => path.join(dataDir, 'mail-quarantine');

/** `urp+K7M2Q9X4B@ente.it` → `urp@ente.it`: sub-addresses reach their mailbox. */
export function mailboxAddress(address: string): string {
  const [local = '', domain = ''] = address.trim().toLowerCase().split('@');
  return `${local.split('+')[0]}@${domain}`;
}

export async function findMailboxFor(db: Database, recipient: string): Promise<repo.Mailbox | null> {
  return repo.findMailboxByAddress(db, mailboxAddress(recipient));
}

/** A message an admin releases from the quarantine: taken as a citizen's message whatever it looked like. */
export interface Release {
  /** Join this ticket (of the mailbox's organisation) instead of opening a new one. */
  ticketCode?: string | undefined;
}

/** What an unreadable message becomes when an admin releases it anyway: its bytes as text. */
function unreadable(raw: Buffer): ParsedInbound {
  return {
    kind: 'message', reason: null, messageId: null, inReplyTo: [], references: [], from: null, replyTo: null, subject: '(messaggio non leggibile)',
    text: raw.toString('latin1').slice(0, 20_000), fullText: '', html: null, attachments: [], bounce: null, pecReceipt: null, pec: false, ticketCodes: [],
  };
}

export async function ingestMail(db: Database, options: IntakeOptions, mailbox: repo.Mailbox, raw: Buffer, now = new Date(), release?: Release): Promise<IntakeResult> {
  let parsed: ParsedInbound;
  try {
    parsed = await parseInbound(raw, { ownLoopHeaderValue: options.loopValue, ownAddresses: [mailboxAddress(options.mailFrom.replace(/^.*<|>.*$/g, ''))] });
  } catch (err) {
    if (!(err instanceof MalformedMessageError)) throw err;
    if (!release) return quarantine(db, options, mailbox, raw, { messageId: null, sender: null, subject: null }, `malformed: ${err.message}`.slice(0, 300), now);
    parsed = unreadable(raw);
  }
  const who = { messageId: release ? null : parsed.messageId, sender: parsed.from?.address ?? null, subject: parsed.subject.slice(0, 500) };
  let recent = 0;
  if (release) {
    parsed = { ...parsed, kind: 'message', messageId: null, ticketCodes: release.ticketCode ? [release.ticketCode] : parsed.ticketCodes };
  } else if (parsed.messageId || (parsed.kind === 'message' && who.sender)) {
    // A sender's retry (same Message-ID) and a flood from one sender, in one round trip.
    const checks = await repo.intakeChecks(db, mailbox.id, parsed.messageId, parsed.kind === 'message' ? who.sender : null, new Date(now.getTime() - FLOOD_WINDOW_MS));
    if (checks.seen) return { outcome: 'duplicate', reason: null, ticketId: checks.seen.ticketId, ticketCode: null, inboundId: checks.seen.id };
    recent = checks.recent;
  }
  const domain = domainOf(options.mailFrom);
  switch (parsed.kind) {
    case 'loop':
    case 'auto_reply':
      return quarantine(db, options, mailbox, raw, who, `${parsed.kind}: ${parsed.reason ?? ''}`, now);
    case 'bounce': {
      const deliveryId = parsed.bounce?.originalMessageId ? deliveryIdOf(parsed.bounce.originalMessageId, domain) : null;
      const delivery = deliveryId ? await repo.findDelivery(db, deliveryId) : null;
      if (!delivery) return quarantine(db, options, mailbox, raw, who, `bounce_unmatched: ${parsed.reason ?? ''}`, now);
      const detail = [parsed.bounce?.status, parsed.bounce?.diagnostic].filter(Boolean).join(' ').slice(0, 500) || 'Messaggio respinto dal server del destinatario';
      await repo.updateDelivery(db, delivery.id, { status: 'bounced', lastError: detail, from: ['queued', 'sent', 'delivered'] }, now);
      return record(db, mailbox, { ...who, sender: null, subject: null }, 'bounce', parsed.bounce?.status ?? null, delivery.ticketId, raw.length, now);
    }
    case 'pec_receipt': {
      const deliveryId = parsed.pecReceipt?.refMessageId ? deliveryIdOf(parsed.pecReceipt.refMessageId, domain) : null;
      const delivery = deliveryId ? await repo.findDelivery(db, deliveryId) : null;
      const type = parsed.pecReceipt?.type ?? 'sconosciuta';
      if (!delivery) return quarantine(db, options, mailbox, raw, who, `receipt_unmatched: ${type}`, now);
      if (type === 'avvenuta-consegna') await repo.updateDelivery(db, delivery.id, { status: 'delivered', lastError: null, from: ['queued', 'sent'] }, now);
      else if (type === 'accettazione' || type === 'presa-in-carico') await repo.updateDelivery(db, delivery.id, { status: 'sent', from: ['queued'] }, now);
      else await repo.updateDelivery(db, delivery.id, { status: 'bounced', lastError: `Ricevuta PEC: ${type}`, from: ['queued', 'sent', 'delivered'] }, now);
      return record(db, mailbox, { ...who, sender: null, subject: null }, 'receipt', type, delivery.ticketId, raw.length, now);
    }
    case 'message':
      break;
  }
  if (recent >= (options.floodLimit ?? DEFAULT_FLOOD_LIMIT)) {
    return quarantine(db, options, mailbox, raw, who, 'flood: troppi messaggi dallo stesso mittente in 10 minuti', now);
  }
  const channel = parsed.pec ? 'pec' : 'email';
  const target = await ticketAnswered(db, parsed, domain, mailbox.officeId);
  const files = await storeAttachments(options, parsed.attachments);
  const notes = files.refused.map((r) => `[Allegato non importato: ${r}]`);
  const text = [parsed.text.trim() || parsed.fullText.trim() || '(messaggio senza testo)', ...notes].join('\n\n');
  try {
    return await db.transaction().execute(async (trx) => {
      if (target && target.status !== 'closed') {
        const attachmentIds = await insertFiles(trx, target.id, files.stored);
        try {
          await tickets.addCitizenMessage(trx, target.id, { body: text, channel, emailMessageId: parsed.messageId, attachmentIds }, now);
          const id = release ? null : await repo.insertInbound(trx, { mailboxId: mailbox.id, messageId: parsed.messageId, receivedAt: now, outcome: 'ticket_joined', reason: null, ticketId: target.id, sender: who.sender, subject: null, storageKey: null, size: raw.length });
          return { outcome: 'ticket_joined' as const, reason: null, ticketId: target.id, ticketCode: target.code, inboundId: id };
        } catch (err) {
          // A resolved ticket past its reopen window takes no message: the citizen's mail opens a new one.
          if ((err as { code?: string }).code !== 'ticket.reopen_window_expired') throw err;
          await tickets.deleteUnlinkedAttachments(trx, target.id, attachmentIds);
        }
      }
      const followUp = target ? `Seguito della richiesta ${target.code}.\n\n` : '';
      const ticket = await tickets.createCitizenTicket(trx, {
        officeId: mailbox.officeId, channel, subject: (parsed.subject || '(senza oggetto)').slice(0, 200), description: `${followUp}${text}`,
        requester: { name: parsed.from?.name ?? null, email: parsed.replyTo && !parsed.pec ? parsed.replyTo : (parsed.from?.address ?? null) },
      }, now);
      await linkTicket(trx, options.secret, ticket.id, { replyChannel: channel, lang: 'it' }, now);
      // The request's files stay with the request (the citizen's uploads, like the portal form's).
      await insertFiles(trx, ticket.id, files.stored);
      const id = release ? null : await repo.insertInbound(trx, { mailboxId: mailbox.id, messageId: parsed.messageId, receivedAt: now, outcome: 'ticket_created', reason: null, ticketId: ticket.id, sender: who.sender, subject: null, storageKey: null, size: raw.length });
      return { outcome: 'ticket_created' as const, reason: null, ticketId: ticket.id, ticketCode: ticket.code, inboundId: id };
    });
  } catch (err) {
    await Promise.all(files.stored.map((f) => removeStored(attachmentsRoot(options.dataDir), f.storageKey)));
    throw err;
  }
}

/** The ticket this message answers, by our Message-IDs it refers to, else by a code in its subject; only a ticket of the mailbox's organisation. */
async function ticketAnswered(db: Database, parsed: ParsedInbound, domain: string, officeId: string): Promise<tickets.Ticket | null> {
  const candidates: string[] = [];
  for (const id of [...parsed.inReplyTo, ...[...parsed.references].reverse()]) {
    const deliveryId = deliveryIdOf(id, domain);
    const delivery = deliveryId ? await repo.findDelivery(db, deliveryId) : null;
    if (delivery) candidates.push(delivery.ticketId);
  }
  for (const code of parsed.ticketCodes) {
    const id = await tickets.findTicketIdByCode(db, code);
    if (id) candidates.push(id);
  }
  if (candidates.length === 0) return null;
  // Read only for a reply: a new message (most of them) needs no office here.
  const office = await identity.findOffice(db, officeId);
  if (!office) return null;
  for (const id of candidates) {
    const ticket = await tickets.findTicketById(db, id);
    if (ticket && ticket.organisationId === office.organisationId) return ticket;
  }
  return null;
}

interface StoredAttachment {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
}

/** Stores the attachments the ticket may hold; the others are named in the message (type or size refused). */
async function storeAttachments(options: IntakeOptions, attachments: readonly InboundAttachment[]): Promise<{ stored: StoredAttachment[]; refused: string[] }> {
  const stored: StoredAttachment[] = [];
  const refused: string[] = [];
  const root = attachmentsRoot(options.dataDir);
  for (const a of attachments) {
    const filename = safeFilename(a.filename);
    const contentType = allowedContentType(filename);
    if (a.size > options.maxAttachmentBytes) {
      refused.push(`${filename} (${Math.ceil(a.size / 1048576)} MB, oltre il limite di ${Math.round(options.maxAttachmentBytes / 1048576)} MB)`);
      continue;
    }
    if (!contentType || !contentMatches(contentType, a.content.subarray(0, 16)) || refusedContent(filename, a.content.subarray(0, 16))) {
      refused.push(`${filename} (tipo di file non accettato)`);
      continue;
    }
    const s = await storeStream(root, Readable.from([a.content]), options.maxAttachmentBytes);
    stored.push({ filename, contentType, size: s.size, sha256: s.sha256, storageKey: s.storageKey });
  }
  return { stored, refused };
}

async function insertFiles(trx: Parameters<typeof tickets.insertAttachment>[0], ticketId: string, files: readonly StoredAttachment[]): Promise<string[]> {
  const ids: string[] = [];
  for (const f of files) {
    const a = await tickets.insertAttachment(trx, { ticketId, filename: f.filename, contentType: f.contentType, size: f.size, sha256: f.sha256, storageKey: f.storageKey, uploadedBy: null });
    ids.push(a.id);
  }
  return ids;
}

async function record(db: Database, mailbox: repo.Mailbox, who: { messageId: string | null; sender: string | null; subject: string | null }, outcome: InboundOutcomeColumn, reason: string | null, ticketId: string | null, size: number, now: Date): Promise<IntakeResult> {
  const id = await repo.insertInbound(db, { mailboxId: mailbox.id, messageId: who.messageId, receivedAt: now, outcome, reason, ticketId, sender: who.sender, subject: who.subject, storageKey: null, size });
  return { outcome: id ? outcome : 'duplicate', reason, ticketId, ticketCode: null, inboundId: id };
}

/**
 * A message the intake did not download (over the size limit, fetched by IMAP): recorded in the
 * quarantine with what its headers say, so an admin sees it, while the message stays on the server.
 */
export function recordUnkept(db: Database, mailbox: repo.Mailbox, who: { messageId: string | null; sender: string | null; subject: string | null }, reason: string, size: number, now: Date): Promise<IntakeResult> {
  return record(db, mailbox, who, 'quarantined', reason, null, size, now);
}

/** Keeps the raw message for an admin to look at, release into a ticket or dismiss. */
export async function quarantine(db: Database, options: IntakeOptions, mailbox: repo.Mailbox, raw: Buffer, who: { messageId: string | null; sender: string | null; subject: string | null }, reason: string, now: Date): Promise<IntakeResult> {
  const stored = await storeStream(quarantineRoot(options.dataDir), Readable.from([raw]), Number.MAX_SAFE_INTEGER);
  const id = await repo.insertInbound(db, { mailboxId: mailbox.id, messageId: who.messageId, receivedAt: now, outcome: 'quarantined', reason, ticketId: null, sender: who.sender, subject: who.subject, storageKey: stored.storageKey, size: raw.length });
  if (!id) await removeStored(quarantineRoot(options.dataDir), stored.storageKey);
  return { outcome: id ? 'quarantined' : 'duplicate', reason, ticketId: null, ticketCode: null, inboundId: id };
}
