import { firstHeader, firstMessageId, type HeaderField, headerValues, messageIdsIn, parseFieldGroups, parseHeaderBlock } from './mail-headers.js';

/**
 * How an inbound message is told apart from a citizen writing to the office. Each rule names the
 * signal it trusts and, where there is one, the RFC behind it. The caller applies them in the
 * order loop → PEC receipt → bounce → auto-reply, so that the cheapest and most certain signal
 * (our own header coming back) wins and a bounce of an auto-reply is still a bounce.
 */

export type InboundKind = 'message' | 'auto_reply' | 'bounce' | 'pec_receipt' | 'loop';

export interface Classification {
  kind: InboundKind;
  reason: string | null;
}

/** The part of an attachment the rules look at. */
export interface PartLike {
  contentType: string;
  filename: string;
  content: Buffer;
}

export const LOOP_HEADER = 'x-urpnet-loop';
export const DEFAULT_MAX_RECEIVED_HEADERS = 30;

export interface LoopOptions {
  ownLoopHeaderValue?: string;
  ownAddresses?: readonly string[];
  maxReceivedHeaders?: number;
}

/**
 * Mail loops. We put `X-Urpnet-Loop: <value>` on every message we send, so the value coming back
 * means we are reading our own mail (the same idea as Postfix's and Sieve's `X-Loop`, RFC 5230
 * §4.7 for vacation responders). A message "from" one of our own addresses is ours too. And RFC
 * 5321 §6.3 tells a receiver to treat a message with too many `Received:` trace fields as looping
 * (100 is the classic limit; we stop earlier because a citizen's mail never needs 30 hops).
 */
export function loopReason(
  envelope: readonly HeaderField[],
  described: readonly HeaderField[],
  fromAddress: string | null,
  options: LoopOptions,
): string | null {
  const own = options.ownLoopHeaderValue?.trim();
  if (own) {
    const values = [...headerValues(envelope, LOOP_HEADER), ...(described === envelope ? [] : headerValues(described, LOOP_HEADER))];
    if (values.some((value) => value.trim() === own)) return 'own loop header';
  }
  const ownAddresses = (options.ownAddresses ?? []).map((address) => address.trim().toLowerCase());
  if (fromAddress !== null && ownAddresses.includes(fromAddress)) return 'own address';
  const maxReceived = options.maxReceivedHeaders ?? DEFAULT_MAX_RECEIVED_HEADERS;
  if (headerValues(envelope, 'received').length > maxReceived) return 'too many received headers';
  return null;
}

/**
 * PEC receipts (ricevute, DPR 68/2005 and its technical rules, DM 2 novembre 2005): the provider
 * marks every receipt with `X-Ricevuta: <type>` and names the message it is about in
 * `X-Riferimento-Message-ID`. Returns the receipt type, lower-cased, or null.
 */
export function pecReceiptType(fields: readonly HeaderField[]): string | null {
  const value = firstHeader(fields, 'x-ricevuta');
  return value === null ? null : value.trim().toLowerCase();
}

/**
 * The message a PEC receipt is about: `X-Riferimento-Message-ID`, else the `<msgid>` of the
 * certification data (`daticert.xml`), which carries it as escaped text (`&lt;id@host&gt;`).
 */
export function pecReceiptReference(fields: readonly HeaderField[], parts: readonly PartLike[]): string | null {
  const fromHeader = firstMessageId(firstHeader(fields, 'x-riferimento-message-id'));
  if (fromHeader !== null) return fromHeader;
  const daticert = parts.find((part) => part.filename.toLowerCase() === 'daticert.xml');
  const msgid = daticert ? /<msgid>([\s\S]*?)<\/msgid>/i.exec(daticert.content.toString('utf8'))?.[1] : undefined;
  return msgid === undefined ? null : firstMessageId(msgid.replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
}

/**
 * A PEC transport envelope ("busta di trasporto", `X-Trasporto: posta-certificata`) or anomaly
 * envelope (`X-Trasporto: errore`) wraps the sender's original message as `postacert.eml`.
 */
export function isPecEnvelope(fields: readonly HeaderField[]): boolean {
  const value = firstHeader(fields, 'x-trasporto')?.trim().toLowerCase();
  return value === 'posta-certificata' || value === 'errore';
}

/** The original message inside a PEC envelope: `postacert.eml`, else the first attached message. */
export function findPecOriginal<T extends PartLike>(parts: readonly T[]): T | null {
  return (
    parts.find((part) => part.filename.toLowerCase() === 'postacert.eml') ??
    parts.find((part) => /^message\/(?:rfc822|global)$/i.test(part.contentType)) ??
    null
  );
}

const SUBJECT_PEC_PREFIX = /^\s*(?:posta certificata|anomalia messaggio)\s*:\s*/i;

/** The original subject inside an envelope subject ("POSTA CERTIFICATA: <subject>"). */
export function stripPecSubjectPrefix(subject: string): string {
  return subject.replace(SUBJECT_PEC_PREFIX, '').trim();
}

function contentTypeOf(fields: readonly HeaderField[]): { type: string; reportType: string | null } {
  const value = firstHeader(fields, 'content-type') ?? '';
  const type = (value.split(';')[0] ?? '').trim().toLowerCase();
  const reportType = /;\s*report-type\s*=\s*"?([\w-]+)"?/i.exec(value)?.[1]?.toLowerCase() ?? null;
  return { type, reportType };
}

const BOUNCE_SUBJECT =
  /^\s*(?:undelivered mail returned to sender|delivery status notification \(failure\)|mail delivery failed|messaggio non recapitato|non recapitabile\s*:|undeliverable\s*:|undelivered mail|returned mail|failure notice|delivery failure|mail delivery subsystem|notifica di mancato recapito|impossibile recapitare)/i;
const DAEMON_LOCAL_PART = /^(?:mailer-daemon|mailer_daemon|postmaster|mail-daemon|microsoftexchange[0-9a-f]{32})$/i;

/**
 * Bounces. The standard form is an RFC 3464 delivery status notification, a
 * `multipart/report; report-type=delivery-status` (RFC 6522). Older MTAs (qmail, some Exim and
 * Exchange set-ups) send plain text instead, so a failure subject from the null reverse-path
 * (`Return-Path: <>`, RFC 5321 §4.5.5) or from MAILER-DAEMON / postmaster counts too.
 */
export function bounceReason(fields: readonly HeaderField[], fromAddress: string | null, subject: string): string | null {
  const { type, reportType } = contentTypeOf(fields);
  if (type === 'multipart/report' && reportType === 'delivery-status') return 'dsn report';
  const returnPath = headerValues(fields, 'return-path');
  const nullSender = returnPath.some((value) => /^<\s*>$/.test(value.trim()));
  const localPart = fromAddress === null ? null : (fromAddress.split('@')[0] ?? '');
  const daemon = localPart === null || DAEMON_LOCAL_PART.test(localPart);
  if ((nullSender || daemon) && BOUNCE_SUBJECT.test(subject)) return 'bounce sender and subject';
  return null;
}

export interface BounceDetails {
  originalMessageId: string | null;
  recipient: string | null;
  status: string | null;
  diagnostic: string | null;
}

/** `rfc822; user@example.org` → `user@example.org` (RFC 3464 §2.3: address-type ";" address). */
function typedValue(value: string | null | undefined): string | null {
  if (!value) return null;
  const semicolon = value.indexOf(';');
  const rest = (semicolon >= 0 ? value.slice(semicolon + 1) : value).trim();
  return rest === '' ? null : rest;
}

/**
 * What a bounce says: the failed recipient, status and diagnostic from the
 * `message/delivery-status` part (RFC 3464 §2.3; the first recipient whose Action is `failed`,
 * else the first one), and the Message-ID of our message from the returned original
 * (`message/rfc822`) or its headers (`text/rfc822-headers`, RFC 6522 §4), else In-Reply-To /
 * References, else a `Message-ID:` line quoted in the text of a non-standard bounce.
 * Without a delivery-status part, the recipient comes from `X-Failed-Recipients` (Exim) or the
 * `<address>:` line that starts a Postfix or qmail plain-text report.
 */
export function bounceDetails(fields: readonly HeaderField[], parts: readonly PartLike[], text: string): BounceDetails {
  let recipient: string | null = null;
  let status: string | null = null;
  let diagnostic: string | null = null;
  const statusPart = parts.find((part) => /^message\/(?:global-)?delivery-status$/i.test(part.contentType));
  if (statusPart) {
    const recipients = parseFieldGroups(statusPart.content.toString('utf8')).filter(
      (group) => firstHeader(group, 'final-recipient') !== null || firstHeader(group, 'original-recipient') !== null,
    );
    const chosen = recipients.find((group) => firstHeader(group, 'action')?.toLowerCase() === 'failed') ?? recipients[0];
    if (chosen) {
      recipient = typedValue(firstHeader(chosen, 'final-recipient') ?? firstHeader(chosen, 'original-recipient'))?.toLowerCase() ?? null;
      status = (firstHeader(chosen, 'status') ?? '').split(/\s/)[0] || null;
      diagnostic = typedValue(firstHeader(chosen, 'diagnostic-code'));
    }
  }
  recipient ??=
    firstHeader(fields, 'x-failed-recipients')?.split(',')[0]?.trim().toLowerCase() ||
    // Postfix and qmail plain-text reports start each failure with "<address>:".
    /^<([^<>\s]+@[^<>\s]+)>:/m.exec(text)?.[1]?.toLowerCase() ||
    null;

  let originalMessageId: string | null = null;
  for (const part of parts) {
    if (!/^(?:message\/(?:rfc822|global|global-headers)|text\/rfc822-headers)$/i.test(part.contentType)) continue;
    originalMessageId = firstMessageId(firstHeader(parseHeaderBlock(part.content.toString('utf8')), 'message-id'));
    if (originalMessageId !== null) break;
  }
  originalMessageId ??=
    firstMessageId(firstHeader(fields, 'in-reply-to')) ??
    messageIdsIn(firstHeader(fields, 'references')).at(-1) ??
    firstMessageId(/^[ \t>]*Message-ID:[ \t]*(<[^>\s]+>)/im.exec(text)?.[1]);
  return { originalMessageId, recipient, status, diagnostic };
}

/** Subjects only vacation responders write. */
const AUTO_REPLY_SUBJECT =
  /^\s*(?:risposta automatica|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|out of (?:the )?office|fuori ufficio|assenza dall'ufficio|réponse automatique|abwesenheitsnotiz|automatische antwort)\b/i;
/**
 * Subjects that are auto-replies only when they answer something: "Auto: …" (Lotus/HCL Notes) and
 * "Fuori sede" are also how a citizen may start a new message about a car or about students living
 * away from home ("studenti fuori sede"), so without In-Reply-To/References they are not trusted.
 */
const WEAK_AUTO_REPLY_SUBJECT = /^\s*(?:auto\s*:|fuori sede\b)/i;
const BULK_PRECEDENCE = new Set(['bulk', 'junk', 'list', 'auto_reply', 'auto-reply']);
const NEGATIVE = new Set(['no', 'false', '0', 'off']);

/**
 * Automatic answers and bulk mail, which must never open a ticket nor be answered (RFC 3834 §2
 * forbids answering them, and answering a responder starts a loop):
 * - `Auto-Submitted` with any value but `no` (RFC 3834 §5);
 * - `X-Autoreply` / `X-Autorespond` / `X-Autogenerated` (vacation programs, cPanel, Exchange);
 * - `Precedence` / `X-Precedence` bulk, junk, list or auto_reply (a convention, RFC 3834 §3.1.8
 *   recommends honouring it);
 * - `List-Id` (RFC 2919) or `List-Unsubscribe` (RFC 2369): a mailing list or newsletter;
 * - a read receipt, `multipart/report; report-type=disposition-notification` (RFC 8098);
 * - a vacation subject ("Risposta automatica:", "Out of Office", …).
 * `X-Auto-Response-Suppress` is deliberately not a signal: Outlook sets it on ordinary mail too,
 * it asks *others* not to auto-reply.
 */
export function autoReplyReason(fields: readonly HeaderField[], subject: string, answersSomething: boolean): string | null {
  const autoSubmitted = firstHeader(fields, 'auto-submitted');
  if (autoSubmitted !== null && !NEGATIVE.has((autoSubmitted.split(';')[0] ?? '').trim().toLowerCase())) return 'auto-submitted header';
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autogenerated']) {
    const value = firstHeader(fields, name);
    if (value !== null && !NEGATIVE.has(value.trim().toLowerCase())) return `${name} header`;
  }
  for (const name of ['precedence', 'x-precedence']) {
    const value = firstHeader(fields, name)?.trim().toLowerCase();
    if (value !== undefined && BULK_PRECEDENCE.has(value)) return `${name}: ${value}`;
  }
  if (firstHeader(fields, 'list-id') !== null || firstHeader(fields, 'list-unsubscribe') !== null) return 'mailing list';
  const { type, reportType } = contentTypeOf(fields);
  if (type === 'multipart/report' && reportType === 'disposition-notification') return 'read receipt';
  if (AUTO_REPLY_SUBJECT.test(subject)) return 'auto-reply subject';
  if (answersSomething && WEAK_AUTO_REPLY_SUBJECT.test(subject)) return 'auto-reply subject';
  return null;
}
