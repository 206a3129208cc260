import { type Attachment, type ParsedMail, simpleParser } from 'mailparser';
import { htmlToText, sanitiseHtml } from './html-sanitiser.js';
import {
  autoReplyReason,
  bounceDetails,
  bounceReason,
  type Classification,
  findPecOriginal,
  type InboundKind,
  isPecEnvelope,
  loopReason,
  pecReceiptReference,
  pecReceiptType,
  stripPecSubjectPrefix,
} from './mail-classification.js';
import { fieldsFromHeaderLines, firstHeader, firstMessageId, type HeaderField, messageIdsIn } from './mail-headers.js';
import { stripQuotedReply } from './quoted-reply.js';
import { ticketCodesIn } from './ticket-code-scan.js';

/**
 * The pure half of the citizen e-mail channel (ordinary e-mail and PEC): one raw RFC 5322
 * message in, a description of it out — what kind of mail it is, who wrote it, the citizen's own
 * words without the quoted history, safe HTML, attachments, and the ticket codes it refers to.
 * No I/O: fetching the mail and turning it into tickets belong to the callers.
 */

export type { InboundKind } from './mail-classification.js';
export { sanitiseHtml } from './html-sanitiser.js';
export { stripQuotedReply } from './quoted-reply.js';

export interface InboundAttachment {
  filename: string;
  contentType: string;
  size: number;
  content: Buffer;
  inline: boolean;
  contentId: string | null;
}

export interface ParsedInbound {
  kind: InboundKind;
  /** Why it was classified so (e.g. 'auto-submitted header', 'dsn report', 'x-ricevuta: accettazione', 'own loop header', 'too many received headers'); for audit. Null for a plain message. */
  reason: string | null;
  /** Without angle brackets. */
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  /** Lower-cased address. */
  from: { address: string; name: string | null } | null;
  replyTo: string | null;
  /** Decoded, trimmed, '' if none. */
  subject: string;
  /** The citizen's own text: the text part (or text derived from the sanitised HTML), without the quoted history when the message is a reply. */
  text: string;
  /** The whole text, quoted history included. */
  fullText: string;
  /** Sanitised HTML (see sanitiseHtml), or null. */
  html: string | null;
  /** Every part that is not the body text, inline images included (inline: true). */
  attachments: InboundAttachment[];
  /** For kind 'bounce': our message that bounced, and the failed recipient, status and diagnostic. */
  bounce: { originalMessageId: string | null; recipient: string | null; status: string | null; diagnostic: string | null } | null;
  /** For kind 'pec_receipt': the receipt type and the Message-ID of the message it is about. */
  pecReceipt: {
    type: 'accettazione' | 'avvenuta-consegna' | 'non-accettazione' | 'errore-consegna' | 'preavviso-errore-consegna' | 'presa-in-carico' | 'rilevazione-virus' | string;
    refMessageId: string | null;
  } | null;
  /** True when the message came in a PEC envelope; the fields then describe the original message of its postacert.eml (or the envelope itself when that is missing or unreadable). */
  pec: boolean;
  /** Ticket codes in the subject, normalised to XXXX-XXXX-C, in order of appearance. */
  ticketCodes: string[];
}

export interface ParseInboundOptions {
  /** Value of the `X-Urpnet-Loop` header we put on the messages we send. */
  ownLoopHeaderValue?: string;
  /** Our own sending addresses; mail from them is a loop. */
  ownAddresses?: readonly string[];
  /** More `Received:` headers than this means a loop (default 30). */
  maxReceivedHeaders?: number;
}

/** Thrown by {@link parseInbound} when the bytes are not a usable message: empty, no header lines, binary data, or a parser failure. */
export class MalformedMessageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MalformedMessageError';
  }
}

/** Header fields every real message has at least one of. */
const ESSENTIAL_FIELDS = new Set(['from', 'to', 'subject', 'date', 'message-id', 'received', 'return-path', 'sender', 'content-type', 'mime-version', 'delivered-to']);
const HEADER_SCAN_LIMIT = 64 * 1024;

/**
 * Rejects what cannot be a message before mailparser turns it into an empty one: mailparser
 * accepts anything and would make random bytes the "text" of a message without sender.
 * A message must start with a header field (or an mbox `From ` line), contain no NUL in its
 * header section, and carry at least one of the fields every real message has.
 */
function assertLooksLikeMessage(raw: Buffer): void {
  if (raw.length === 0) throw new MalformedMessageError('empty message');
  const head = raw.subarray(0, HEADER_SCAN_LIMIT).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const section = end >= 0 ? head.slice(0, end) : head;
  if (section.includes('\u0000')) throw new MalformedMessageError('binary data in the header section');
  const lines = section.split(/\r?\n/);
  if (lines[0]?.startsWith('From ')) lines.shift();
  if (!/^[!-9;-~]+[ \t]*:/.test(lines[0] ?? '')) throw new MalformedMessageError('the message does not start with a header field');
  const names = lines.map((line) => /^([!-9;-~]+)[ \t]*:/.exec(line)?.[1]?.toLowerCase()).filter((name) => name !== undefined);
  if (!names.some((name) => ESSENTIAL_FIELDS.has(name))) throw new MalformedMessageError('no message header fields');
}

async function parseMime(raw: Buffer): Promise<ParsedMail> {
  try {
    return await simpleParser(raw, {
      // cid: links stay as they are (the console serves inline images itself), delivery-status
      // parts stay parts (bounce details are read from them), and the HTML is converted to text
      // only after sanitising (htmlToText), never from the raw markup. Attached messages stay
      // whole attachments even when marked inline (PEC's postacert.eml is): their bytes are
      // what the PEC unwrapping and the bounce details read.
      ignoreEmbedded: true,
      keepCidLinks: true,
      keepDeliveryStatus: true,
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
    });
  } catch (err) {
    throw new MalformedMessageError(`unparseable message: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'image/tiff': 'tif', 'text/plain': 'txt',
  'text/html': 'html', 'text/calendar': 'ics', 'text/csv': 'csv', 'text/xml': 'xml', 'application/xml': 'xml', 'message/rfc822': 'eml',
  'message/global': 'eml', 'text/rfc822-headers': 'txt', 'message/delivery-status': 'txt', 'message/global-delivery-status': 'txt',
  'application/pkcs7-signature': 'p7s', 'application/x-pkcs7-signature': 'p7s', 'application/zip': 'zip', 'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx', 'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx', 'application/vnd.oasis.opendocument.text': 'odt',
};

function toAttachment(part: Attachment, index: number): InboundAttachment {
  const contentType = part.contentType.toLowerCase();
  const contentId = part.cid?.trim() || part.contentId?.trim().replace(/^<|>$/g, '') || null;
  // Inline = shown inside the HTML: declared inline, or (Outlook) no disposition but part of a
  // multipart/related body. Either way only a part with a Content-ID can be referenced.
  const disposition = part.contentDisposition?.toLowerCase();
  const inline = contentId !== null && (disposition === 'inline' || (disposition === undefined && part.related === true));
  return {
    filename: part.filename?.trim() || `allegato-${index + 1}.${EXTENSIONS[contentType] ?? 'bin'}`,
    contentType,
    size: part.content.length,
    content: part.content,
    inline,
    contentId,
  };
}

function normaliseText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

const REPLY_PREFIX = /^\s*(?:re|r|risp|aw|sv|antw|odp)\s*(?:\[\d+\])?\s*:/i;
const FORWARD_PREFIX = /^\s*(?:fwd?|i|inoltro|inoltrato|wg|tr)\s*:/i;

/**
 * A reply is what answers something: a reply prefix in the subject, or In-Reply-To/References
 * without a forward prefix (a forwarded message carries the same headers, but the forwarded
 * content is the point of it and must not be stripped).
 */
function isReply(subject: string, inReplyTo: readonly string[], references: readonly string[]): boolean {
  if (REPLY_PREFIX.test(subject)) return true;
  return (inReplyTo.length > 0 || references.length > 0) && !FORWARD_PREFIX.test(subject);
}

interface DescribedMessage {
  fields: HeaderField[];
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: { address: string; name: string | null } | null;
  replyTo: string | null;
  subject: string;
  fullText: string;
  html: string | null;
  attachments: InboundAttachment[];
}

function firstAddress(value: ParsedMail['from']): { address: string; name: string | null } | null {
  for (const entry of value?.value ?? []) {
    const candidates = entry.group ?? [entry];
    for (const candidate of candidates) {
      const address = candidate.address?.trim().toLowerCase();
      if (address) return { address, name: candidate.name?.trim() || null };
    }
  }
  return null;
}

function describe(mail: ParsedMail): DescribedMessage {
  const fields = fieldsFromHeaderLines(mail.headerLines);
  const html = typeof mail.html === 'string' && mail.html.trim() !== '' ? sanitiseHtml(mail.html) : null;
  let fullText = normaliseText(mail.text ?? '');
  if (fullText === '' && html !== null) fullText = htmlToText(html);
  const references = Array.isArray(mail.references) ? mail.references.flatMap((ref) => messageIdsIn(ref)) : messageIdsIn(mail.references);
  return {
    fields,
    messageId: firstMessageId(mail.messageId),
    inReplyTo: messageIdsIn(mail.inReplyTo),
    references,
    from: firstAddress(mail.from),
    replyTo: firstAddress(mail.replyTo)?.address ?? null,
    subject: (mail.subject ?? '').replace(/\s+/g, ' ').trim(),
    fullText,
    html,
    attachments: mail.attachments.map(toAttachment),
  };
}

/**
 * A PEC envelope whose postacert.eml is missing or unreadable still describes the original well
 * enough: the provider writes the sender as `"Per conto di: mario.rossi@pec.it" <posta-certificata@…>`
 * with the sender in Reply-To, the original subject after "POSTA CERTIFICATA: ", and the original
 * Message-ID in X-Riferimento-Message-ID.
 */
function describeEnvelopeAsOriginal(envelope: DescribedMessage): DescribedMessage {
  const onBehalf = /per conto di\s*:?\s*([^\s<>"]+@[^\s<>"]+)/i.exec(envelope.from?.name ?? '')?.[1]?.toLowerCase();
  const sender = onBehalf ?? envelope.replyTo;
  return {
    ...envelope,
    from: sender ? { address: sender, name: null } : envelope.from,
    subject: stripPecSubjectPrefix(envelope.subject),
    messageId: firstMessageId(firstHeader(envelope.fields, 'x-riferimento-message-id')) ?? envelope.messageId,
  };
}

async function unwrapPec(envelope: DescribedMessage): Promise<DescribedMessage> {
  const original = findPecOriginal(envelope.attachments);
  if (original === null) return describeEnvelopeAsOriginal(envelope);
  try {
    assertLooksLikeMessage(original.content);
    const inner = describe(await parseMime(original.content));
    return {
      ...inner,
      messageId: inner.messageId ?? firstMessageId(firstHeader(envelope.fields, 'x-riferimento-message-id')),
      // The provider copies the sender into the envelope's Reply-To; keep the original's own when it has one.
      replyTo: inner.replyTo ?? envelope.replyTo,
    };
  } catch (err) {
    if (err instanceof MalformedMessageError) return describeEnvelopeAsOriginal({ ...envelope, attachments: envelope.attachments.filter((part) => part !== original) });
    throw err;
  }
}

function classify(envelope: DescribedMessage, described: DescribedMessage, options: ParseInboundOptions): Classification {
  const loop = loopReason(envelope.fields, described.fields, described.from?.address ?? null, options);
  if (loop !== null) return { kind: 'loop', reason: loop };
  const receipt = pecReceiptType(envelope.fields);
  if (receipt !== null) return { kind: 'pec_receipt', reason: `x-ricevuta: ${receipt}` };
  const bounce = bounceReason(described.fields, described.from?.address ?? null, described.subject);
  if (bounce !== null) return { kind: 'bounce', reason: bounce };
  const answersSomething = described.inReplyTo.length > 0 || described.references.length > 0;
  const autoReply = autoReplyReason(described.fields, described.subject, answersSomething);
  if (autoReply !== null) return { kind: 'auto_reply', reason: autoReply };
  return { kind: 'message', reason: null };
}

/**
 * Parses and classifies one inbound message (see mail-classification.ts for the rules and their
 * order). A PEC transport envelope is unwrapped: the result describes the original message and
 * has `pec: true`.
 *
 * @throws MalformedMessageError when `raw` is not a usable message.
 */
export async function parseInbound(raw: Buffer, options: ParseInboundOptions = {}): Promise<ParsedInbound> {
  assertLooksLikeMessage(raw);
  const envelope = describe(await parseMime(raw));
  const pec = isPecEnvelope(envelope.fields);
  const described = pec ? await unwrapPec(envelope) : envelope;
  const { kind, reason } = classify(envelope, described, options);
  const reply = isReply(described.subject, described.inReplyTo, described.references);
  const stripped = reply ? stripQuotedReply(described.fullText) : described.fullText;
  return {
    kind,
    reason,
    messageId: described.messageId,
    inReplyTo: described.inReplyTo,
    references: described.references,
    from: described.from,
    replyTo: described.replyTo,
    subject: described.subject,
    // Never hide the whole message behind a false-positive separator: if stripping leaves
    // nothing, the citizen's words are the full text.
    text: stripped === '' ? described.fullText : stripped,
    fullText: described.fullText,
    html: described.html,
    attachments: described.attachments,
    bounce: kind === 'bounce' ? bounceDetails(described.fields, described.attachments, described.fullText) : null,
    pecReceipt:
      kind === 'pec_receipt' ? { type: pecReceiptType(envelope.fields) ?? '', refMessageId: pecReceiptReference(envelope.fields, envelope.attachments) } : null,
    pec,
    ticketCodes: ticketCodesIn(described.subject),
  };
}
