import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedMessageError, type ParsedInbound, parseInbound, sanitiseHtml, stripQuotedReply } from './inbound-message.js';
import { ticketCodesIn } from './ticket-code-scan.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../test/fixtures/mail');
const OPTIONS = { ownLoopHeaderValue: 'urpnet-comune-esempio', ownAddresses: ['urp@comune.esempio.it'] };

function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

function parse(name: string, options: Parameters<typeof parseInbound>[1] = OPTIONS): Promise<ParsedInbound> {
  return parseInbound(fixture(name), options);
}

function names(parsed: ParsedInbound): Array<[string, string, number, boolean]> {
  return parsed.attachments.map((a) => [a.filename, a.contentType, a.size, a.inline]);
}

interface FixtureCase {
  file: string;
  kind: ParsedInbound['kind'];
  reason: string | null;
  fields: Partial<ParsedInbound>;
}

/** Every fixture with its kind, reason and the fields it must yield (compared with toMatchObject). */
const CASES: FixtureCase[] = [
  // Citizens writing
  {
    file: 'gmail-new-message-it.eml',
    kind: 'message',
    reason: null,
    fields: {
      messageId: 'CAH3x5Lq8+vXo=Tt9kPq2m7d1W0cZ0yN7r1sWQ@mail.gmail.com',
      inReplyTo: [],
      references: [],
      from: { address: 'maria.bianchi82@gmail.com', name: 'Maria Bianchi' },
      replyTo: null,
      subject: 'Richiesta certificato di residenza – delega',
      text: 'Buongiorno,\n\nvorrei sapere come ottenere il certificato di residenza per mia madre, che è invalida e non può venire allo sportello.\nÈ possibile delegare qualcuno?\n\nGrazie mille,\nMaria Bianchi',
      attachments: [],
      bounce: null,
      pecReceipt: null,
      pec: false,
      ticketCodes: [],
    },
  },
  {
    file: 'gmail-reply-it.eml',
    kind: 'message',
    reason: null,
    fields: {
      inReplyTo: ['20261201094512.4M5WE0V41@urpnet.comune.esempio.it'],
      references: ['20261201094512.4M5WE0V41@urpnet.comune.esempio.it'],
      from: { address: 'maria.bianchi82@gmail.com', name: 'Maria Bianchi' },
      subject: 'Re: [URP 4M5W-E0V4-1] Richiesta certificato di residenza',
      text: 'Buongiorno,\n\nallego quanto richiesto. La delega è firmata da mia madre.\n\nCordiali saluti\nMaria Bianchi',
      ticketCodes: ['4M5W-E0V4-1'],
    },
  },
  {
    file: 'outlook-reply-it-latin1.eml',
    kind: 'message',
    reason: null,
    fields: {
      messageId: 'AM9PR07MB75210F3A2C1B4D5E6F708192A1B2C@AM9PR07MB7521.eurprd07.prod.outlook.com',
      from: { address: 'g.verdi@studioverdi.it', name: 'Giuseppe Verdi' },
      subject: 'R: Rif. 98BCC1K5A pratica TARI – rettifica non ricevuta',
      text: 'Buongiorno,\n\nla pratica TARI risulta ancora aperta, perché non ho ricevuto la rettifica.\nPotete verificare? La mia utenza è in via Roma 12, città di Esempio.\n\nDistinti saluti\nGiuseppe Verdi',
      ticketCodes: ['98BC-C1K5-A'],
    },
  },
  {
    file: 'thunderbird-reply-en.eml',
    kind: 'message',
    reason: null,
    fields: {
      from: { address: 'john.smith@example.co.uk', name: 'John Smith' },
      // format=flowed joins the soft-broken line
      text: 'Hello,\n\nthank you. I will bring the vehicle registration document on Thursday morning. Is an appointment needed?\n\nBest regards,\nJohn',
      ticketCodes: ['DWGW-A2B6-J'],
    },
  },
  {
    file: 'outlook-original-message-en.eml',
    kind: 'message',
    reason: null,
    fields: {
      messageId: '000001db4899$2f6a1b20$8e3e5160$@acme-consulting.example',
      from: { address: 'anna.weber@acme-consulting.example', name: 'Anna Weber' },
      text: 'Good afternoon,\n\nplease find our renewal request below. The fee has been paid on 5 December.\n\nRegards,\nAnna Weber',
      ticketCodes: ['JGPC-8337-R'],
    },
  },
  {
    file: 'apple-mail-html-only-inline-image.eml',
    kind: 'message',
    reason: null,
    fields: {
      messageId: 'A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF@icloud.com',
      from: { address: 'luca.ferri@icloud.com', name: 'Luca Ferri' },
      subject: 'Buca in via Garibaldi',
      text: "Buonasera,\n\nsegnalo una buca pericolosa in via Garibaldi all'altezza del civico 8 (foto sotto).\n\nVedi anche la mappa (https://www.google.com/maps/place/Via+Garibaldi) e questo link.\n\nInviato da iPhone",
    },
  },
  {
    file: 'thunderbird-mixed-pdf-attachment.eml',
    kind: 'message',
    reason: null,
    fields: {
      from: { address: 'f.russo@libero.it', name: 'Francesca Russo' },
      subject: 'Domanda contributo affitto – documentazione',
      text: "Buongiorno,\ninvio in allegato l'ISEE e il contratto di locazione per la domanda di\ncontributo all'affitto.\n\nSaluti,\nFrancesca Russo",
      html: null,
    },
  },
  {
    file: 'webmail-latin1-8bit.eml',
    kind: 'message',
    reason: null,
    fields: {
      from: { address: 'pino.esposito@tiscali.it', name: 'Pino Esposito' },
      subject: 'Perché la città non ritira più il vetro?',
      text: 'Salve,\nda due settimane in via Verdi non passano più a ritirare il vetro.\nÈ normale? Chi devo contattare?\n\nPino Esposito',
    },
  },
  {
    file: 'attachments-without-filenames.eml',
    kind: 'message',
    reason: null,
    fields: { subject: 'Documenti scansionati', text: 'Documenti richiesti per la pratica di accesso agli atti.' },
  },
  {
    file: 'outlook-forward-it.eml',
    kind: 'message',
    reason: null,
    fields: { subject: 'I: Lampione spento in via Manzoni', references: ['CAK9m2P1q0=condomino.rossi@mail.gmail.com'] },
  },
  {
    file: 'citizen-fuori-sede-new-message.eml',
    kind: 'message',
    reason: null,
    fields: { subject: 'Fuori sede: voto per gli studenti alle elezioni comunali', from: { address: 'giulia.marino99@outlook.it', name: 'Giulia Marino' } },
  },
  {
    file: 'broken-boundaries.eml',
    kind: 'message',
    reason: null,
    fields: { messageId: 'broken.1@example.org', subject: 'Richiesta orari ufficio anagrafe' },
  },
  // Automatic answers and bulk mail
  {
    file: 'auto-reply-exchange-it.eml',
    kind: 'auto_reply',
    reason: 'auto-submitted header',
    fields: {
      from: { address: 'paolo.neri@regione.esempio.it', name: 'Paolo Neri' },
      inReplyTo: ['20261208112900.98BCC1K5A@urpnet.comune.esempio.it'],
      text: "Sono fuori ufficio fino a lunedì 14 dicembre. Per urgenze contattare l'ufficio protocollo.",
      ticketCodes: ['98BC-C1K5-A'],
    },
  },
  { file: 'auto-reply-x-autoreply.eml', kind: 'auto_reply', reason: 'x-autoreply header', fields: { ticketCodes: ['JGPC-8337-R'] } },
  { file: 'auto-reply-precedence-bulk.eml', kind: 'auto_reply', reason: 'precedence: bulk', fields: { from: { address: 'noreply@portale.fornitore.example', name: 'Portale Fornitori' } } },
  { file: 'mailing-list-newsletter.eml', kind: 'auto_reply', reason: 'mailing list', fields: { subject: 'Le novità di dicembre per i Comuni' } },
  { file: 'auto-reply-fuori-sede-subject.eml', kind: 'auto_reply', reason: 'auto-reply subject', fields: { subject: 'Fuori sede fino al 15/12' } },
  { file: 'read-receipt-mdn.eml', kind: 'auto_reply', reason: 'read receipt', fields: { ticketCodes: ['DWGW-A2B6-J'] } },
  // Bounces
  {
    file: 'bounce-postfix-dsn.eml',
    kind: 'bounce',
    reason: 'dsn report',
    fields: {
      from: { address: 'mailer-daemon@mx.comune.esempio.it', name: 'Mail Delivery System' },
      subject: 'Undelivered Mail Returned to Sender',
      bounce: {
        originalMessageId: '20261209090000.Q4VW63V86@urpnet.comune.esempio.it',
        recipient: 'm.romano@example.it',
        status: '5.1.1',
        diagnostic: '550 5.1.1 <m.romano@example.it>: Recipient address rejected: User unknown in virtual mailbox table',
      },
    },
  },
  {
    file: 'bounce-gmail-dsn-headers.eml',
    kind: 'bounce',
    reason: 'dsn report',
    fields: {
      subject: 'Delivery Status Notification (Failure)',
      bounce: {
        originalMessageId: '20261209095900.DWGWA2B6J@urpnet.comune.esempio.it',
        recipient: 'nonexistent.user.2026@gmail.com',
        status: '5.1.1',
        diagnostic: '550-5.1.1 The email account that you tried to reach does not exist.',
      },
    },
  },
  {
    file: 'bounce-exchange-ndr-it.eml',
    kind: 'bounce',
    reason: 'dsn report',
    fields: {
      subject: 'Non recapitabile: [URP JGPC-8337-R] Richiesta parere',
      text: "Impossibile recapitare il messaggio a uff.pareri@regione.esempio.it.\nL'indirizzo di posta elettronica non è stato trovato nel dominio.",
      bounce: {
        originalMessageId: '20261209102900.JGPC8337R@urpnet.comune.esempio.it',
        recipient: 'uff.pareri@regione.esempio.it',
        status: '5.1.10',
        diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
      },
      ticketCodes: ['JGPC-8337-R'],
    },
  },
  {
    file: 'bounce-qmail-failure-notice.eml',
    kind: 'bounce',
    reason: 'bounce sender and subject',
    fields: {
      messageId: null,
      subject: 'failure notice',
      bounce: { originalMessageId: '20261209105958.4M5WE0V41@urpnet.comune.esempio.it', recipient: 's.gatti@vecchio-provider.example', status: null, diagnostic: null },
    },
  },
  {
    file: 'bounce-exim-messaggio-non-recapitato.eml',
    kind: 'bounce',
    reason: 'bounce sender and subject',
    fields: {
      bounce: { originalMessageId: '20261209115950.98BCC1K5A@urpnet.comune.esempio.it', recipient: 'sandro.pellegrini@provider-italia.example', status: null, diagnostic: null },
      ticketCodes: ['98BC-C1K5-A'],
    },
  },
  // PEC receipts
  {
    file: 'pec-ricevuta-accettazione.eml',
    kind: 'pec_receipt',
    reason: 'x-ricevuta: accettazione',
    fields: {
      subject: 'ACCETTAZIONE: [URP Q4VW-63V8-6] Comunicazione esito istanza',
      from: { address: 'posta-certificata@pec.aruba.it', name: null },
      pecReceipt: { type: 'accettazione', refMessageId: '20261209125958.Q4VW63V86@urpnet.comune.esempio.it' },
      pec: false,
      bounce: null,
      ticketCodes: ['Q4VW-63V8-6'],
    },
  },
  {
    file: 'pec-ricevuta-avvenuta-consegna.eml',
    kind: 'pec_receipt',
    reason: 'x-ricevuta: avvenuta-consegna',
    fields: {
      subject: 'CONSEGNA: [URP Q4VW-63V8-6] Comunicazione esito istanza',
      pecReceipt: { type: 'avvenuta-consegna', refMessageId: '20261209125958.Q4VW63V86@urpnet.comune.esempio.it' },
      pec: false,
    },
  },
  {
    file: 'pec-ricevuta-errore-consegna.eml',
    kind: 'pec_receipt',
    reason: 'x-ricevuta: errore-consegna',
    // no X-Riferimento-Message-ID header: the reference comes from daticert.xml
    fields: { pecReceipt: { type: 'errore-consegna', refMessageId: '20261209125958.Q4VW63V86@urpnet.comune.esempio.it' } },
  },
  // PEC transport envelopes
  {
    file: 'pec-busta-trasporto.eml',
    kind: 'message',
    reason: null,
    fields: {
      pec: true,
      messageId: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9@pec.it',
      from: { address: 'mario.rossi@pec.it', name: 'Mario Rossi' },
      replyTo: 'mario.rossi@pec.it',
      subject: 'Istanza di accesso agli atti – Rif. Q4VW63V86',
      text: "Spett.le Comune,\n\ncon la presente chiedo l'accesso agli atti relativi alla pratica edilizia n. 45/2025.\nAllego istanza firmata e documento di identità.\n\nDistinti saluti\nMario Rossi",
      html: null,
      pecReceipt: null,
      ticketCodes: ['Q4VW-63V8-6'],
    },
  },
  {
    file: 'pec-busta-senza-postacert.eml',
    kind: 'message',
    reason: null,
    fields: {
      pec: true,
      messageId: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9@pec.it',
      from: { address: 'mario.rossi@pec.it', name: null },
      replyTo: 'mario.rossi@pec.it',
      subject: 'Istanza di accesso agli atti – Rif. Q4VW63V86',
      ticketCodes: ['Q4VW-63V8-6'],
    },
  },
  // Loops
  { file: 'loop-own-header.eml', kind: 'loop', reason: 'own loop header', fields: { from: { address: 'inoltro@ufficio.example.it', name: 'Inoltro automatico' } } },
  { file: 'loop-own-address.eml', kind: 'loop', reason: 'own address', fields: { from: { address: 'urp@comune.esempio.it', name: 'URP Comune di Esempio' }, ticketCodes: ['4M5W-E0V4-1'] } },
  { file: 'loop-too-many-received.eml', kind: 'loop', reason: 'too many received headers', fields: { subject: 'Messaggio rimbalzato tra server' } },
];

describe('parseInbound over the fixtures', () => {
  it('covers every fixture file', () => {
    const files = readdirSync(FIXTURES).filter((file) => file.endsWith('.eml'));
    const malformed = ['binary-garbage.eml', 'no-headers.eml'];
    expect(CASES.length).toBeGreaterThanOrEqual(25);
    expect([...CASES.map((c) => c.file), ...malformed].sort()).toEqual(files.sort());
  });

  it.each(CASES)('$file → $kind ($reason)', async ({ file, kind, reason, fields }) => {
    const parsed = await parse(file);
    expect(parsed.kind).toBe(kind);
    expect(parsed.reason).toBe(reason);
    expect(parsed).toMatchObject(fields);
    if (kind !== 'bounce') expect(parsed.bounce).toBeNull();
    if (kind !== 'pec_receipt') expect(parsed.pecReceipt).toBeNull();
  });
});

describe('text and quoted history', () => {
  it('keeps the quoted history in fullText', async () => {
    const parsed = await parse('gmail-reply-it.eml');
    expect(parsed.fullText).toContain('ha scritto:');
    expect(parsed.fullText).toContain('> per il certificato serve una delega firmata');
    expect(parsed.text).not.toContain('Gentile signora');
  });

  it('strips an Outlook Da:/Inviato: block after the underscore rule', async () => {
    const parsed = await parse('outlook-reply-it-latin1.eml');
    expect(parsed.fullText).toContain('Inviato: venerdì 4 dicembre 2026 09:15');
    expect(parsed.text).not.toContain('Ufficio Tributi');
  });

  it('does not strip a forwarded message: the forwarded text is the point of it', async () => {
    const parsed = await parse('outlook-forward-it.eml');
    expect(parsed.text).toBe(parsed.fullText);
    expect(parsed.text).toContain('Il lampione davanti al civico 21 è spento da una settimana.');
  });

  it('derives the text of an HTML-only message from the sanitised HTML', async () => {
    const parsed = await parse('apple-mail-html-only-inline-image.eml');
    expect(parsed.text).not.toContain('alert');
    expect(parsed.text).not.toContain('Segnalazione'); // the <title>
  });

  it('parses broken MIME boundaries best effort', async () => {
    const parsed = await parse('broken-boundaries.eml');
    expect(parsed.text).toContain("quali sono gli orari dell'ufficio anagrafe il sabato?");
  });
});

describe('HTML', () => {
  it('sanitises hostile markup and keeps cid: images and http(s) links', async () => {
    const { html } = await parse('apple-mail-html-only-inline-image.eml');
    expect(html).not.toBeNull();
    const safe = html ?? '';
    for (const banned of ['<script', '<style', '<iframe', '<form', '<input', 'onerror', 'onclick', 'javascript:', 'tracker.example.net', '<title']) {
      expect(safe.toLowerCase()).not.toContain(banned);
    }
    expect(safe).toContain('<img src="cid:F3A9C2D1-7B4E-4C2A-9E1F-0A1B2C3D4E5F" alt="buca" />');
    expect(safe).toContain('<a href="https://www.google.com/maps/place/Via+Garibaldi" rel="noopener noreferrer nofollow">mappa</a>');
    expect(safe).toContain('<b>buca pericolosa</b>');
  });

  it('keeps cid: links instead of inlining the image', async () => {
    const { html } = await parse('outlook-reply-it-latin1.eml');
    expect(html).toContain('src="cid:image001.png@01DB4821.5A3C2F10"');
    expect(html).not.toContain('data:image');
    expect(html).not.toContain('<style');
  });

  it('keeps data: images only for png, jpeg and gif', () => {
    expect(sanitiseHtml('<img src="data:image/png;base64,iVBORw0KGgo=">')).toBe('<img src="data:image/png;base64,iVBORw0KGgo=" />');
    expect(sanitiseHtml('<img src="data:image/gif;base64,R0lGODlh">')).toContain('<img');
    expect(sanitiseHtml('<img src="data:image/svg+xml;base64,PHN2Zz4=">')).toBe('');
    expect(sanitiseHtml('<img src="data:text/html;base64,PHNjcmlwdD4=">')).toBe('');
    expect(sanitiseHtml('<img src="https://example.org/a.png">')).toBe('');
    expect(sanitiseHtml('<img src="//example.org/a.png">')).toBe('');
  });

  it('keeps mailto links and drops other schemes', () => {
    expect(sanitiseHtml('<a href="mailto:urp@comune.esempio.it">scrivi</a>')).toBe('<a href="mailto:urp@comune.esempio.it" rel="noopener noreferrer nofollow">scrivi</a>');
    expect(sanitiseHtml('<a href="JaVaScRiPt:alert(1)">x</a>')).toBe('<a rel="noopener noreferrer nofollow">x</a>');
    expect(sanitiseHtml('<a href="vbscript:msgbox(1)">x</a>')).toBe('<a rel="noopener noreferrer nofollow">x</a>');
    expect(sanitiseHtml('<a href="data:text/html,hi">x</a>')).toBe('<a rel="noopener noreferrer nofollow">x</a>');
  });

  it('drops objects, embeds, frames, forms and style attributes', () => {
    const out = sanitiseHtml('<p style="background:url(x)">a</p><object data="x.swf"></object><embed src="x"><iframe src="x"></iframe><form><button>b</button></form><svg onload="x()"></svg>');
    expect(out).toBe('<p>a</p>b');
  });

  it('neutralises code-like tokens even in text', () => {
    expect(sanitiseHtml('scrivete javascript:alert(1) e onerror=x')).toBe('scrivete javascript&#58;alert(1) e onerror&#61;x');
    expect(sanitiseHtml('&lt;script&gt;')).toBe('&lt;script&gt;');
  });

  it('never outputs <script, onerror= or javascript: (property)', () => {
    const fragments = fc.constantFrom(
      '<script>alert(1)</script>', '<scr<script>ipt>', '<SCRIPT SRC=//x.js>', '<img src=x onerror=alert(1)>', '<img src="x" onerror = "a()">',
      '<a href="javascript:alert(1)">', '<a href="jav&#x61;script:alert(1)">', '<a href="&#106;avascript:x">', '<a href=" javascript:x">',
      'javascript:', 'JAVASCRIPT:', 'onerror=', 'ONERROR =', '<svg/onload=alert(1)>', '<iframe src="javascript:x">', '<body onerror="x">',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', '<!--<script>-->', '<![CDATA[<script>]]>', '<p title="</p><script>">',
      '<', '>', '"', "'", '=', ':', '&', '&lt;', '&#60;', 'script', 'on', 'error', 'java', '<a ', '<img ', ' src=', 'href=',
    );
    const input = fc.array(fc.oneof(fragments, fc.string({ maxLength: 8 })), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(input, (html) => {
        const out = sanitiseHtml(html).toLowerCase();
        return !out.includes('<script') && !out.includes('onerror=') && !out.includes('javascript:');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('attachments', () => {
  it('keeps a PDF with an RFC 2231 file name', async () => {
    const parsed = await parse('thunderbird-mixed-pdf-attachment.eml');
    expect(names(parsed)).toEqual([['ISEE 2026 – Russo.pdf', 'application/pdf', 131, false]]);
    expect(parsed.attachments[0]?.content.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    expect(parsed.attachments[0]?.contentId).toBeNull();
  });

  it('names attachments without a file name allegato-N.ext', async () => {
    const parsed = await parse('attachments-without-filenames.eml');
    expect(names(parsed)).toEqual([
      ['allegato-1.pdf', 'application/pdf', 131, false],
      ['allegato-2.jpg', 'image/jpeg', 22, false],
    ]);
  });

  it('marks inline images: declared inline, or in multipart/related without a disposition (Outlook)', async () => {
    const apple = await parse('apple-mail-html-only-inline-image.eml');
    expect(apple.attachments).toMatchObject([{ filename: 'IMG_4821.png', contentType: 'image/png', size: 70, inline: true, contentId: 'F3A9C2D1-7B4E-4C2A-9E1F-0A1B2C3D4E5F' }]);
    const outlook = await parse('outlook-reply-it-latin1.eml');
    expect(outlook.attachments).toMatchObject([{ filename: 'image001.png', inline: true, contentId: 'image001.png@01DB4821.5A3C2F10' }]);
    expect(outlook.attachments[0]?.content.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('keeps the report parts of a bounce as attachments', async () => {
    const parsed = await parse('bounce-postfix-dsn.eml');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['allegato-1.txt', 'message/delivery-status'],
      ['allegato-2.eml', 'message/rfc822'],
    ]);
  });

  it('decodes a 3 MB base64 attachment exactly', async () => {
    const size = 3 * 1024 * 1024 + 17;
    const payload = Buffer.alloc(size);
    let seed = 7;
    for (let i = 0; i < size; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      payload[i] = seed >>> 24;
    }
    const base64 = payload.toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = Buffer.from(
      [
        'From: Ufficio Tecnico <tecnico@studio.example>',
        'To: urp@comune.esempio.it',
        'Subject: Planimetrie [URP JGPC-8337-R]',
        'Message-ID: <big.1@studio.example>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="big-boundary"',
        '',
        '--big-boundary',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'In allegato le planimetrie.',
        '--big-boundary',
        'Content-Type: application/zip; name="planimetrie.zip"',
        'Content-Disposition: attachment; filename="planimetrie.zip"',
        'Content-Transfer-Encoding: base64',
        '',
        base64,
        '--big-boundary--',
        '',
      ].join('\r\n'),
    );
    const parsed = await parseInbound(raw, OPTIONS);
    expect(parsed.kind).toBe('message');
    expect(parsed.text).toBe('In allegato le planimetrie.');
    expect(parsed.ticketCodes).toEqual(['JGPC-8337-R']);
    expect(names(parsed)).toEqual([['planimetrie.zip', 'application/zip', size, false]]);
    expect(parsed.attachments[0]?.content.equals(payload)).toBe(true);
  });
});

describe('PEC', () => {
  it('describes the original of a transport envelope, not the envelope', async () => {
    const parsed = await parse('pec-busta-trasporto.eml');
    expect(names(parsed)).toEqual([['istanza_accesso_atti.pdf', 'application/pdf', 131, false]]);
    expect(parsed.fullText).not.toContain('Messaggio di posta certificata');
  });

  it('falls back to the envelope when postacert.eml is missing', async () => {
    const parsed = await parse('pec-busta-senza-postacert.eml');
    expect(parsed.text).toContain('Il messaggio originale è incluso in allegato.');
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['daticert.xml', 'smime.p7s']);
  });

  it('keeps postacert.eml and daticert.xml of a receipt as attachments', async () => {
    const parsed = await parse('pec-ricevuta-avvenuta-consegna.eml');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['daticert.xml', 'application/xml'],
      ['postacert.eml', 'message/rfc822'],
      ['smime.p7s', 'application/x-pkcs7-signature'],
    ]);
  });

  it('reads a loop header inside the envelope original', async () => {
    const raw = fixture('pec-busta-trasporto.eml').toString('utf8').replace('\r\nMessage-ID: <5e6f7a8b', '\r\nX-Urpnet-Loop: urpnet-comune-esempio\r\nMessage-ID: <5e6f7a8b');
    const parsed = await parseInbound(Buffer.from(raw), OPTIONS);
    expect([parsed.kind, parsed.reason, parsed.pec]).toEqual(['loop', 'own loop header', true]);
  });
});

describe('classification rules', () => {
  const plain = (headers: string, subject = 'Informazioni'): Buffer =>
    Buffer.from(`From: Mario Rossi <mario.rossi@example.it>\r\nTo: urp@comune.esempio.it\r\nSubject: ${subject}\r\nMessage-ID: <m.1@example.it>\r\n${headers}\r\nTesto.\r\n`);

  it('does not treat X-Auto-Response-Suppress alone as an auto-reply (Outlook sets it on ordinary mail)', async () => {
    const parsed = await parseInbound(plain('X-Auto-Response-Suppress: All\r\n'), OPTIONS);
    expect(parsed.kind).toBe('message');
  });

  it('honours Auto-Submitted: no (RFC 3834)', async () => {
    expect((await parseInbound(plain('Auto-Submitted: no\r\n'), OPTIONS)).kind).toBe('message');
    expect((await parseInbound(plain('Auto-Submitted: auto-replied\r\n'), OPTIONS)).reason).toBe('auto-submitted header');
  });

  it('reads X-Precedence and X-Autorespond', async () => {
    expect((await parseInbound(plain('X-Precedence: junk\r\n'), OPTIONS)).reason).toBe('x-precedence: junk');
    expect((await parseInbound(plain('X-Autorespond: yes\r\n'), OPTIONS)).reason).toBe('x-autorespond header');
    expect((await parseInbound(plain('Precedence: first-class\r\n'), OPTIONS)).kind).toBe('message');
  });

  it('recognises vacation subjects', async () => {
    for (const subject of ['Risposta automatica: Informazioni', 'Automatic reply: Information', 'Out of Office: Info', 'Autoreply: ricevuto', 'AutoReply: Info']) {
      expect((await parseInbound(plain('', subject), OPTIONS)).reason, subject).toBe('auto-reply subject');
    }
    expect((await parseInbound(plain('', 'Auto: rimozione veicolo abbandonato'), OPTIONS)).kind).toBe('message');
    expect((await parseInbound(plain('In-Reply-To: <x@urpnet>\r\n', 'Auto: Informazioni'), OPTIONS)).reason).toBe('auto-reply subject');
  });

  it('needs both a daemon sender and a failure subject for a plain-text bounce', async () => {
    const fromDaemon = (subject: string): Buffer => Buffer.from(`From: MAILER-DAEMON@mx.example.it\r\nTo: urp@comune.esempio.it\r\nSubject: ${subject}\r\n\r\nx\r\n`);
    expect((await parseInbound(fromDaemon('Returned mail: see transcript for details'), OPTIONS)).kind).toBe('bounce');
    expect((await parseInbound(fromDaemon('Undeliverable: Info'), OPTIONS)).kind).toBe('bounce');
    expect((await parseInbound(fromDaemon('Warning: could not send message for past 4 hours'), OPTIONS)).kind).toBe('message');
    expect((await parseInbound(plain('', 'Messaggio non recapitato'), OPTIONS)).kind).toBe('message');
    expect((await parseInbound(plain('Return-Path: <>\r\n', 'Mail delivery failed: returning message to sender'), OPTIONS)).reason).toBe('bounce sender and subject');
  });

  it('orders the rules loop → PEC receipt → bounce → auto-reply', async () => {
    // A DSN also carries Auto-Submitted: it is a bounce.
    expect((await parse('bounce-postfix-dsn.eml')).kind).toBe('bounce');
    // A PEC receipt carrying our loop header is a loop.
    const receipt = fixture('pec-ricevuta-accettazione.eml').toString('utf8').replace('X-Ricevuta:', 'X-Urpnet-Loop: urpnet-comune-esempio\r\nX-Ricevuta:');
    expect((await parseInbound(Buffer.from(receipt), OPTIONS)).reason).toBe('own loop header');
    // A PEC receipt with Auto-Submitted is still a receipt.
    const autoReceipt = fixture('pec-ricevuta-accettazione.eml').toString('utf8').replace('X-Ricevuta:', 'Auto-Submitted: auto-generated\r\nX-Ricevuta:');
    expect((await parseInbound(Buffer.from(autoReceipt), OPTIONS)).kind).toBe('pec_receipt');
  });

  it('takes the loop options into account', async () => {
    expect((await parse('loop-own-header.eml', {})).kind).toBe('message');
    expect((await parse('loop-own-header.eml', { ownLoopHeaderValue: 'another-instance' })).kind).toBe('message');
    expect((await parse('loop-own-address.eml', { ownAddresses: ['URP@comune.esempio.it'] })).reason).toBe('own address');
    expect((await parse('loop-too-many-received.eml', { maxReceivedHeaders: 40 })).kind).toBe('message');
    expect((await parse('gmail-new-message-it.eml', { maxReceivedHeaders: 1 })).reason).toBe('too many received headers');
  });
});

describe('malformed input', () => {
  it('throws MalformedMessageError for random binary bytes', async () => {
    await expect(parse('binary-garbage.eml')).rejects.toBeInstanceOf(MalformedMessageError);
  });

  it('throws MalformedMessageError for a body without headers', async () => {
    await expect(parse('no-headers.eml')).rejects.toBeInstanceOf(MalformedMessageError);
  });

  it('throws MalformedMessageError for empty input and header-like noise', async () => {
    await expect(parseInbound(Buffer.alloc(0), OPTIONS)).rejects.toBeInstanceOf(MalformedMessageError);
    await expect(parseInbound(Buffer.from('\r\n\r\nsolo corpo'), OPTIONS)).rejects.toBeInstanceOf(MalformedMessageError);
    await expect(parseInbound(Buffer.from('Foo: bar\r\n\r\nnessun campo reale'), OPTIONS)).rejects.toBeInstanceOf(MalformedMessageError);
  });

  it('accepts an mbox From_ line before the headers', async () => {
    const parsed = await parseInbound(Buffer.from('From mario@example.it Mon Dec  7 10:00:00 2026\nFrom: mario@example.it\nSubject: Ciao\n\nTesto\n'), OPTIONS);
    expect([parsed.kind, parsed.subject, parsed.text]).toEqual(['message', 'Ciao', 'Testo']);
  });

  it('never throws anything but MalformedMessageError on random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        try {
          await parseInbound(Buffer.from(bytes), OPTIONS);
        } catch (err) {
          if (!(err instanceof MalformedMessageError)) throw err;
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('stripQuotedReply', () => {
  it.each([
    ['Italian Gmail attribution', 'Va bene, grazie.\n\nIl giorno mar 8 dic 2026 alle ore 09:00 URP <urp@comune.esempio.it> ha scritto:\n> testo\n', 'Va bene, grazie.'],
    ['Italian Thunderbird attribution', 'Confermo.\n\nIl 08/12/2026 09:00, URP Comune ha scritto:\n> testo\n', 'Confermo.'],
    ['English attribution wrapped by Gmail', 'Thanks.\n\nOn Tue, Dec 8, 2026 at 9:00 AM URP Comune di Esempio <\nurp@comune.esempio.it> wrote:\n\n> text\n', 'Thanks.'],
    ['Messaggio originale', 'Ok.\n-----Messaggio originale-----\nDa: URP\nInviato: 8 dicembre\nOggetto: x\n\ntesto', 'Ok.'],
    ['Original Message', 'Ok.\n\n-----Original Message-----\nFrom: URP\ntext', 'Ok.'],
    ['Outlook Da:/Inviato: block', 'Grazie.\n\nDa: URP Comune <urp@comune.esempio.it>\nInviato: martedì 8 dicembre 2026 09:00\nA: Mario\nOggetto: R: x\n\ntesto', 'Grazie.'],
    ['Outlook From:/Sent: block', 'Thanks.\n\nFrom: URP <urp@comune.esempio.it>\nSent: Tuesday, December 8, 2026 9:00 AM\nTo: John\n\ntext', 'Thanks.'],
    ['interleaved answers', '> Quando è nato?\nIl 3 maggio 1970.\n> Dove?\nA Torino.', 'Il 3 maggio 1970.\nA Torino.'],
    ['CRLF line endings', 'Sì.\r\n\r\n> domanda\r\n', 'Sì.'],
  ])('%s', (_name, input, expected) => {
    expect(stripQuotedReply(input)).toBe(expected);
  });

  it('keeps prose that merely looks like a separator', () => {
    expect(stripQuotedReply('Il sindaco ha scritto:\nche il mercato si sposta.')).toBe('Il sindaco ha scritto:\nche il mercato si sposta.');
    expect(stripQuotedReply('Da: lunedì il servizio riprende.\nGrazie')).toBe('Da: lunedì il servizio riprende.\nGrazie');
  });
});

describe('ticket codes in the subject', () => {
  it.each([
    ['[URP 4M5W-E0V4-1] Richiesta', ['4M5W-E0V4-1']],
    ['Re: [urp 4m5w-e0v4-1] richiesta', ['4M5W-E0V4-1']],
    ['Rif. 98BCC1K5A pratica TARI', ['98BC-C1K5-A']],
    ['rif: 98bc c1k5 a', ['98BC-C1K5-A']],
    ['Ticket #JGPC8337R', ['JGPC-8337-R']],
    ['[DWGWA2B6J] e [URP Q4VW-63V8-6], ancora [URP 4M5W-E0V4-1] e Q4VW-63V8-6', ['DWGW-A2B6-J', 'Q4VW-63V8-6', '4M5W-E0V4-1']],
    // O read as 0 (Crockford), as normalizeTicketCode does
    ['Pratica 98BC-C1K5-A e JGPC-8337-R', ['98BC-C1K5-A', 'JGPC-8337-R']],
  ])('%s', (subject, expected) => {
    expect(ticketCodesIn(subject)).toEqual(expected);
  });

  it('rejects wrong check symbols, bare nine-letter words and longer tokens', () => {
    expect(ticketCodesIn('[URP 4M5W-E0V4-2]')).toEqual([]);
    expect(ticketCodesIn('RICHIESTA INFORMAZIONI 98BCC1K5A')).toEqual([]);
    expect(ticketCodesIn('X4M5W-E0V4-1 and 4M5W-E0V4-1X')).toEqual([]);
  });
});
