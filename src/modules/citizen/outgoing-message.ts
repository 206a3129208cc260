/**
 * What the citizen receives by e-mail or PEC: an operator's public reply, the acknowledgement of a
 * new request, the request to rate a resolved one. Pure: the delivery job fills in the context and
 * sends what this returns.
 *
 * Every message carries the ticket code in the subject (`[URP K7M2-Q9X4-B]`) and a Message-ID that
 * names the delivery (`<delivery.<id>@<domain>>`), so that the citizen's answer, a bounce or a PEC
 * receipt finds its way back to the ticket; it carries our loop header too, so that our own intake
 * never treats it as a citizen's message. Automatic messages say so (RFC 3834 Auto-Submitted), so
 * that well-behaved auto-responders do not answer them.
 */
import { escapeHtml } from '../../platform/html.js';

export type OutgoingKind = 'reply' | 'acknowledgement' | 'rating_request';
type Lang = 'it' | 'en';

export interface OutgoingContext {
  kind: OutgoingKind;
  lang: Lang;
  deliveryId: string;
  /** Domain of our Message-IDs (from MAIL_FROM). */
  domain: string;
  loopValue: string;
  code: string;
  subject: string;
  /** The operator's reply (kind `reply`). */
  body?: string;
  office: { name: string; organisation: string; phone: string | null; email: string | null };
  trackingUrl: string;
  /** Where the citizen's e-mail answer goes (an office mailbox); null: answers go through the tracking page only. */
  replyTo: string | null;
  /** Message-IDs of the citizen's e-mails on this ticket, oldest first (threading). */
  references: readonly string[];
}

export interface OutgoingMail {
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

export const deliveryMessageId = (deliveryId: string, domain: string) => `delivery.${deliveryId}@${domain}`;

/** The delivery a Message-ID of ours names, or null. */
export function deliveryIdOf(messageId: string, domain: string): string | null {
  const m = /^delivery\.([0-9a-f-]{36})@(.+)$/i.exec(messageId.replace(/^<|>$/g, ''));
  return m && m[2]!.toLowerCase() === domain.toLowerCase() ? m[1]!.toLowerCase() : null;
}

/** The domain of an address such as `urpnet <noreply@urp.example.it>`. */
export function domainOf(address: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(address);
  return (m?.[1] ?? 'urpnet.invalid').toLowerCase();
}

const T = {
  it: {
    reply: 'Risposta alla sua richiesta',
    acknowledgement: 'Abbiamo ricevuto la sua richiesta',
    rating_request: 'La sua richiesta è stata risolta: ci dica com\'è andata',
    greeting: 'Gentile cittadina, gentile cittadino,',
    ackBody: (office: string) => `la sua richiesta è stata registrata ed è ora in carico a ${office}. Le risponderemo a questo indirizzo.`,
    ratingBody: "l'ufficio ha indicato come risolta la sua richiesta. Ci aiuta a migliorare dicendoci quanto è soddisfatto della risposta (un clic):",
    ratingScale: ['1 - per niente', '2 - poco', '3 - abbastanza', '4 - molto', '5 - del tutto'],
    code: 'Codice della richiesta',
    follow: 'Segua la richiesta, risponda o alleghi documenti da qui (link personale, non lo inoltri):',
    answer: 'Può rispondere a questa e-mail senza cambiarne l\'oggetto.',
    noAnswer: 'Non risponda a questa e-mail: per scriverci usi il link qui sopra.',
    signature: 'Cordiali saluti',
  },
  en: {
    reply: 'Reply to your request',
    acknowledgement: 'We have received your request',
    rating_request: 'Your request has been resolved: tell us how it went',
    greeting: 'Dear citizen,',
    ackBody: (office: string) => `your request has been recorded and is now handled by ${office}. We will reply to this address.`,
    ratingBody: 'the office has marked your request as resolved. Help us improve by telling us how satisfied you are with the answer (one click):',
    ratingScale: ['1 - not at all', '2 - a little', '3 - fairly', '4 - very', '5 - completely'],
    code: 'Request code',
    follow: 'Follow the request, answer or attach documents here (personal link, do not forward it):',
    answer: 'You can reply to this e-mail without changing its subject.',
    noAnswer: 'Do not reply to this e-mail: to write to us use the link above.',
    signature: 'Kind regards',
  },
} as const;


export function composeCitizenMail(c: OutgoingContext): OutgoingMail {
  const t = T[c.lang];
  const messageId = deliveryMessageId(c.deliveryId, c.domain);
  const subject = `[URP ${c.code}] ${c.kind === 'reply' ? `Re: ${c.subject}` : t[c.kind]}`;
  const paragraphs: string[] = [t.greeting];
  if (c.kind === 'reply') paragraphs.push(c.body ?? '');
  else if (c.kind === 'acknowledgement') paragraphs.push(t.ackBody(`${c.office.name} (${c.office.organisation})`));
  else paragraphs.push(t.ratingBody);
  const ratingLinks = c.kind === 'rating_request' ? t.ratingScale.map((label, i) => ({ label, url: `${c.trackingUrl}&voto=${i + 1}` })) : [];
  const contacts = [c.office.phone, c.office.email].filter((v): v is string => !!v).join(' · ');
  const signature = [t.signature, c.office.name, c.office.organisation, ...(contacts ? [contacts] : [])];
  const text = [
    ...paragraphs,
    ...(ratingLinks.length ? [ratingLinks.map((r) => `${r.label}: ${r.url}`).join('\n')] : []),
    `${t.code}: ${c.code}`,
    `${t.follow}\n${c.trackingUrl}`,
    c.replyTo ? t.answer : t.noAnswer,
    signature.join('\n'),
  ].join('\n\n');
  const para = (s: string) => `<p>${escapeHtml(s).replace(/\n/g, '<br>')}</p>`;
  const html = [
    '<!doctype html><html lang="', c.lang, '"><head><meta charset="utf-8"><title>', escapeHtml(subject), '</title></head><body>',
    ...paragraphs.map(para),
    ...(ratingLinks.length ? ['<ul>', ...ratingLinks.map((r) => `<li><a href="${escapeHtml(r.url)}">${escapeHtml(r.label)}</a></li>`), '</ul>'] : []),
    `<p>${escapeHtml(t.code)}: <strong>${escapeHtml(c.code)}</strong></p>`,
    `<p>${escapeHtml(t.follow)}<br><a href="${escapeHtml(c.trackingUrl)}">${escapeHtml(c.trackingUrl)}</a></p>`,
    para(c.replyTo ? t.answer : t.noAnswer),
    para(signature.join('\n')),
    '</body></html>',
  ].join('');
  const headers: Record<string, string> = { 'X-Urpnet-Loop': c.loopValue, 'X-Urpnet-Ticket': c.code };
  if (c.kind !== 'reply') headers['Auto-Submitted'] = c.kind === 'acknowledgement' ? 'auto-replied' : 'auto-generated';
  const refs = c.references.slice(-10).map((r) => `<${r}>`);
  if (refs.length > 0) {
    headers['In-Reply-To'] = refs[refs.length - 1]!;
    headers.References = refs.join(' ');
  }
  return { subject, text, html, messageId, headers };
}
