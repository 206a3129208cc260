/**
 * A synthetic but realistic stream of citizens' e-mail for the intake benchmark: plain text,
 * HTML multipart/alternative, ~30 % with a PDF or JPEG attachment of 50–500 KB, ~20 % replies to
 * existing tickets by code in the subject, and a few auto-replies and bounces taken from the test
 * fixtures (which the intake quarantines). Every message has a Message-ID of its own (a repeated one
 * is a sender's retry and is not recorded again), and senders are spread so that none reaches the
 * flood limit (30 messages in 10 minutes).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root } from './processes.js';
import { mulberry32 } from './scale-stats.js';

export type MailKind = 'plain' | 'html' | 'attachment_pdf' | 'attachment_jpeg' | 'reply' | 'auto_reply' | 'bounce';

export interface BenchMail {
  kind: MailKind;
  envelopeFrom: string;
  raw: string;
}

const SUBJECTS = [
  'Buca pericolosa in via Roma', 'Richiesta certificato di residenza', 'Rimborso TARI pagata due volte', 'Orari dello sportello anagrafe',
  'Lampione spento in piazza Garibaldi', 'Rinnovo carta d’identità elettronica', 'Iscrizione al servizio mensa scolastica', 'Permesso ZTL per residenti',
  'Segnalazione rifiuti abbandonati', 'Informazioni bonus affitto', 'Accesso agli atti della pratica edilizia', 'Contrassegno disabili scaduto',
];
const BODIES = [
  'Buongiorno,\nvorrei segnalare che da tre giorni il problema non è stato risolto e chiedo un intervento.\nCordiali saluti',
  'Gentile ufficio,\nchiedo informazioni sui documenti necessari e sugli orari di apertura. Posso prenotare un appuntamento online?\nGrazie',
  'Salve,\nallego la documentazione richiesta per completare la pratica. Resto a disposizione per chiarimenti.\nDistinti saluti',
  'Buonasera,\nho ricevuto un avviso di pagamento che ritengo errato: la rata risulta già pagata a giugno.\nGrazie per l’attenzione',
];
const FIXTURES = ['auto-reply-x-autoreply.eml', 'auto-reply-fuori-sede-subject.eml', 'auto-reply-exchange-it.eml'];
const BOUNCES = ['bounce-postfix-dsn.eml', 'bounce-gmail-dsn-headers.eml', 'bounce-exim-messaggio-non-recapitato.eml'];
const fixture = (name: string) => readFileSync(path.join(root, 'test', 'fixtures', 'mail', name), 'latin1');

function headers(h: Record<string, string>): string {
  return Object.entries(h)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
}

/** Base64 in 76-character lines, as MIME wants it. */
const base64Lines = (b: Buffer) => (b.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');

function attachmentBytes(kind: 'pdf' | 'jpeg', size: number, rnd: () => number): Buffer {
  const head = kind === 'pdf' ? Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1') : Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
  const body = Buffer.alloc(size - head.length);
  for (let i = 0; i < body.length; i += 4) body.writeUInt32LE(Math.floor(rnd() * 0x1_0000_0000), Math.min(i, body.length - 4));
  return Buffer.concat([head, body]);
}

/**
 * `count` messages for `mailbox`; replies quote one of `ticketCodes` in the subject.
 * Deterministic for a given seed.
 */
export function mailCorpus(count: number, mailbox: string, ticketCodes: readonly string[], seed = 42): BenchMail[] {
  const rnd = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const out: BenchMail[] = [];
  const run = Date.now().toString(36);
  for (let i = 0; i < count; i++) {
    const messageId = `<bench-${run}-${i}@mail.example.org>`;
    // 3 messages per sender on average: realistic, and far from the flood limit.
    const sender = `cittadino.${Math.floor(i / 3)}@example.org`;
    const date = new Date().toUTCString();
    const r = rnd();
    let kind: MailKind;
    if (r < 0.02) kind = 'auto_reply';
    else if (r < 0.04) kind = 'bounce';
    else if (r < 0.24 && ticketCodes.length > 0) kind = 'reply';
    else if (r < 0.39) kind = 'attachment_pdf';
    else if (r < 0.54) kind = 'attachment_jpeg';
    else if (r < 0.77) kind = 'html';
    else kind = 'plain';

    if (kind === 'auto_reply' || kind === 'bounce') {
      const text = fixture(pick(kind === 'auto_reply' ? FIXTURES : BOUNCES))
        .replace(/^Message-I[dD]: .*$/m, `Message-ID: ${messageId}`)
        .replace(/^To: .*$/m, `To: ${mailbox}`);
      out.push({ kind, envelopeFrom: kind === 'bounce' ? '' : sender, raw: text.replace(/\r?\n/g, '\r\n') });
      continue;
    }
    const subject = kind === 'reply' ? `Re: [URP ${pick(ticketCodes)}] ${pick(SUBJECTS)}` : pick(SUBJECTS);
    const body = pick(BODIES);
    const base = { From: `Cittadino ${i} <${sender}>`, To: mailbox, Date: date, Subject: subject, 'Message-ID': messageId, 'MIME-Version': '1.0' };
    let raw: string;
    if (kind === 'plain' || kind === 'reply') {
      raw = `${headers({ ...base, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Transfer-Encoding': '8bit' })}\r\n\r\n${body.replace(/\n/g, '\r\n')}\r\n`;
    } else {
      const alt = `alt-${i}`;
      const html = `<html><body>${body
        .split('\n')
        .map((l) => `<p>${l}</p>`)
        .join('')}</body></html>`;
      const alternative = [
        `--${alt}`, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', body.replace(/\n/g, '\r\n'),
        `--${alt}`, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', html,
        `--${alt}--`, '',
      ].join('\r\n');
      if (kind === 'html') {
        raw = `${headers({ ...base, 'Content-Type': `multipart/alternative; boundary="${alt}"` })}\r\n\r\n${alternative}`;
      } else {
        const mixed = `mixed-${i}`;
        const type = kind === 'attachment_pdf' ? 'pdf' : 'jpeg';
        const size = 50 * 1024 + Math.floor(rnd() * 450 * 1024);
        const filename = type === 'pdf' ? `documento-${i}.pdf` : `foto-${i}.jpg`;
        const contentType = type === 'pdf' ? 'application/pdf' : 'image/jpeg';
        raw = [
          `${headers({ ...base, 'Content-Type': `multipart/mixed; boundary="${mixed}"` })}`, '',
          `--${mixed}`, `Content-Type: multipart/alternative; boundary="${alt}"`, '', alternative,
          `--${mixed}`, `Content-Type: ${contentType}; name="${filename}"`, `Content-Disposition: attachment; filename="${filename}"`, 'Content-Transfer-Encoding: base64', '',
          base64Lines(attachmentBytes(type, size, rnd)),
          `--${mixed}--`, '',
        ].join('\r\n');
      }
    }
    out.push({ kind, envelopeFrom: sender, raw });
  }
  return out;
}
