import { readFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpIntakePort } from '../src/modules/citizen/index.js';
import { routingSettled } from '../src/modules/routing/index.js';
import { seal } from '../src/platform/sealed.js';
import { type SmtpSink, type SunkMessage, startSmtpSink } from './helpers/smtp-sink.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

/**
 * E-mail and PEC intake end to end on loopback, both directions over real SMTP: citizens' messages
 * sent to the app's intake listener become tickets or join them, the offices' replies leave through
 * the outgoing relay (a loopback SMTP server standing for the organisation's relay) and come back
 * as bounces, PEC receipts or the citizen's answers.
 */

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/mail');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'latin1');

let t: TestApp;
let relay: SmtpSink;
let sent: SunkMessage[] = [];
let intake: nodemailer.Transporter;
let admin: Client;
let operator: Client;
const MAILBOX = 'urp@comune.celano.example.it';
const PEC = 'urp@pec.comune.celano.example.it';

beforeAll(async () => {
  relay = await startSmtpSink();
  sent = relay.messages;
  t = await buildTestApp({
    SMTP_URL: relay.url, MAIL_FROM: 'Rete URP <noreply@urp.example.it>', BASE_URL: 'https://urp.example.it',
    MAIL_INTAKE_PORT: '0', MAIL_INTAKE_MAX_BYTES: '300000',
  });
  intake = nodemailer.createTransport({ host: '127.0.0.1', port: smtpIntakePort(t.app)!, secure: false, ignoreTLS: true });
  admin = await login(t.app, demoEmail('admin', 'comune-celano'));
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  expect((await admin.post(`/api/v1/offices/${operator.officeId}/mailboxes`, { address: MAILBOX, kind: 'email' })).statusCode).toBe(201);
  expect((await admin.post(`/api/v1/offices/${operator.officeId}/mailboxes`, { address: PEC, kind: 'pec' })).statusCode).toBe(201);
});
afterAll(async () => {
  intake?.close();
  await t?.close();
  await relay?.close();
});

/** Events, jobs and the routing pass they start, all finished. */
async function settle() {
  await t.events.drain();
  await routingSettled(t.app);
  await t.jobs.runDue();
  await t.events.drain();
  await routingSettled(t.app);
}

const send = (raw: string, to = MAILBOX, from = 'cittadino@example.org') => intake.sendMail({ envelope: { from, to: [to] }, raw });

function mail(headers: Record<string, string>, body: string): string {
  const lines = Object.entries({ From: 'Anna Verdi <anna.verdi@example.org>', To: MAILBOX, Date: new Date().toUTCString(), 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\n/g, '\r\n')}\r\n`;
}

async function ticketOf(code: string) {
  return (await operator.get(`/api/v1/tickets/${code}`)).json();
}

async function codeFromLatest(to: string, outbox: SunkMessage[] = sent): Promise<{ code: string; messageId: string; raw: string }> {
  await expect.poll(() => outbox.find((m) => m.to.includes(to)), { timeout: 5000 }).toBeDefined();
  const m = [...outbox].reverse().find((s) => s.to.includes(to))!;
  const code = /\[URP ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z])\]/.exec(m.raw)![1]!;
  const messageId = /^Message-ID: <([^>]+)>/im.exec(m.raw)![1]!;
  return { code, messageId, raw: m.raw };
}

describe('e-mail intake', () => {
  let code: string;
  let ackId: string;

  it('turns a citizen e-mail into a ticket on channel email and acknowledges it with the code, the link and the office mailbox as Reply-To', async () => {
    await send(mail({ Subject: 'Buca pericolosa in via Roma', 'Message-ID': '<anna-1@example.org>' }, 'Buongiorno,\nin via Roma 12 c’è una buca profonda davanti al civico.\nAnna Verdi'));
    await settle();
    const ack = await codeFromLatest('anna.verdi@example.org');
    code = ack.code;
    ackId = ack.messageId;
    expect(ack.raw).toMatch(/^Reply-To: urp@comune\.celano\.example\.it/im);
    expect(ack.raw).toMatch(/^From: [^\n]*(\r?\n [^\n]*)*<urp@comune\.celano\.example\.it>/im);
    expect(ack.raw).toMatch(/^In-Reply-To: <anna-1@example\.org>/im);
    expect(ack.raw).toContain('https://urp.example.it/segui#');
    const ticket = await ticketOf(code);
    expect(ticket).toMatchObject({ channel: 'email', subject: 'Buca pericolosa in via Roma', status: 'new' });
    expect(ticket.description).toContain('buca profonda');
    expect(ticket.requester).toMatchObject({ name: 'Anna Verdi', email: 'anna.verdi@example.org' });
  });

  it('joins the ticket when the citizen answers the acknowledgement, keeping the attachment and sanitising the HTML', async () => {
    const boundary = 'b1';
    const raw = mail({
      Subject: `Re: [URP ${code}] Abbiamo ricevuto la sua richiesta`, 'Message-ID': '<anna-2@example.org>', 'In-Reply-To': `<${ackId}>`, References: `<anna-1@example.org> <${ackId}>`,
      'Content-Type': `multipart/mixed; boundary="${boundary}"`,
    }, [
      `--${boundary}`, 'Content-Type: text/html; charset=utf-8', '', '<p>Allego la foto della buca.<script>alert(1)</script></p><blockquote>vecchio testo</blockquote>',
      `--${boundary}`, 'Content-Type: application/pdf; name="segnalazione.pdf"', 'Content-Disposition: attachment; filename="segnalazione.pdf"', 'Content-Transfer-Encoding: base64', '',
      Buffer.from('%PDF-1.4\n% segnalazione\n%%EOF').toString('base64'),
      `--${boundary}`, 'Content-Type: application/x-msdownload; name="virus.exe"', 'Content-Disposition: attachment; filename="virus.exe"', 'Content-Transfer-Encoding: base64', '',
      Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64)]).toString('base64'),
      `--${boundary}--`,
    ].join('\n'));
    await send(raw);
    await settle();
    const thread = (await operator.get(`/api/v1/tickets/${code}/messages`)).json().items as { kind: string; channel: string; body: string; attachments: { filename: string }[] }[];
    const citizen = thread.filter((m) => m.kind === 'citizen');
    expect(citizen).toHaveLength(1);
    expect(citizen[0]!.channel).toBe('email');
    expect(citizen[0]!.body).toContain('Allego la foto della buca.');
    expect(citizen[0]!.body).not.toContain('alert(1)');
    expect(citizen[0]!.body).toContain('[Allegato non importato: virus.exe');
    expect(citizen[0]!.attachments.map((a) => a.filename)).toEqual(['segnalazione.pdf']);
  });

  it('takes the same message delivered twice once', async () => {
    const raw = mail({ Subject: 'Richiesta certificato di residenza', 'Message-ID': '<twice@example.org>' }, 'Vorrei un certificato di residenza.');
    await send(raw);
    await send(raw);
    await settle();
    const list = (await operator.get('/api/v1/tickets?q=certificato%20residenza')).json().items as { subject: string }[];
    expect(list.filter((i) => i.subject === 'Richiesta certificato di residenza')).toHaveLength(1);
  });

  it("delivers the operator's reply, records its bounce, and the citizen's answer by e-mail reopens the ticket", async () => {
    expect((await operator.post(`/api/v1/tickets/${code}/messages`, { kind: 'reply', body: 'Grazie, abbiamo inoltrato la segnalazione alla manutenzione strade.' })).statusCode).toBe(201);
    const current = await operator.get(`/api/v1/tickets/${code}`);
    expect((await operator.post(`/api/v1/tickets/${code}/status`, { status: 'pending_citizen' }, { 'if-match': current.headers.etag as string })).statusCode).toBe(200);
    await settle();
    await expect.poll(() => sent.find((m) => m.raw.includes('manutenzione strade')), { timeout: 5000 }).toBeDefined();
    const reply = sent.find((m) => m.raw.includes('manutenzione strade'))!;
    const replyId = /^Message-ID: <([^>]+)>/im.exec(reply.raw)![1]!;
    expect(reply.raw).toMatch(/^References: <anna-1@example\.org> <anna-2@example\.org>/im);
    // The relay bounces it: a DSN about our Message-ID comes back to the mailbox.
    await send(fixture('bounce-postfix-dsn.eml').replaceAll('20261209090000.Q4VW63V86@urpnet.comune.esempio.it', replyId).replace(/^To: .*$/m, `To: ${MAILBOX}`), MAILBOX, '');
    await settle();
    const contact = (await operator.get(`/api/v1/tickets/${code}/citizen-contact`)).json();
    const delivery = contact.deliveries.find((d: { kind: string }) => d.kind === 'reply');
    expect(delivery).toMatchObject({ status: 'bounced' });
    expect(delivery.lastError).toBeTruthy();
    // The citizen answers anyway, by replying to the reply.
    await send(mail({ Subject: `R: [URP ${code}] Re: Buca pericolosa in via Roma`, 'Message-ID': '<anna-3@example.org>', 'In-Reply-To': `<${replyId}>` }, 'Grazie a voi.\n\nIl giorno lun 7 dic 2026, URP ha scritto:\n> Grazie, abbiamo inoltrato'));
    await settle();
    expect((await ticketOf(code)).status).toBe('open');
    const last = (await operator.get(`/api/v1/tickets/${code}/messages`)).json().items.at(-1);
    expect(last).toMatchObject({ kind: 'citizen', body: 'Grazie a voi.' });
  });

  it("opens a new ticket when a forged In-Reply-To or code points at another organisation's ticket", async () => {
    const other = await login(t.app, demoEmail('operatore', 'comune-napoli'));
    const foreign = (await other.post('/api/v1/tickets', { officeId: other.officeId, channel: 'telefono', subject: 'Pratica di Napoli', description: 'Una pratica di un altro ente.', requester: { email: 'napoletano@example.org' }, classification: { tipo: 'informazione', tema: 'tributi' } })).json();
    expect(foreign.code).toBeTruthy();
    await send(mail({ Subject: `Re: [URP ${foreign.code}] Pratica`, 'Message-ID': '<forged@example.org>' }, 'Voglio leggere la pratica di Napoli.'));
    await settle();
    const napoli = (await other.get(`/api/v1/tickets/${foreign.code}/messages`)).json().items as { kind: string }[];
    expect(napoli.some((m) => m.kind === 'citizen')).toBe(false);
    const mine = (await operator.get('/api/v1/tickets?q=pratica%20Napoli')).json().items as { code: string; channel: string }[];
    expect(mine.some((i) => i.code !== foreign.code)).toBe(true);
  });

  it('quarantines auto-replies, loops and malformed MIME, never making tickets of them; an admin sees, releases or dismisses them', async () => {
    await send(mail({ Subject: 'Risposta automatica: Buca', 'Auto-Submitted': 'auto-replied', 'Message-ID': '<ooo@example.org>' }, 'Sono fuori sede fino al 10 dicembre.'));
    await send(mail({ Subject: 'Ping', 'X-Urpnet-Loop': 'forged-but-ours?', 'Message-ID': '<loop-1@example.org>' }, 'loop'));
    const ownLoop = sent[0]!.raw.match(/^X-Urpnet-Loop: (\S+)/im)![1]!;
    await send(mail({ Subject: 'Echo', 'X-Urpnet-Loop': ownLoop, 'Message-ID': '<loop-2@example.org>' }, 'our own message coming back'));
    await send(fixture('binary-garbage.eml'));
    await settle();
    const q = (await admin.get('/api/v1/mail/quarantine')).json().items as { id: string; reason: string; subject: string | null }[];
    expect(q.some((i) => i.reason.startsWith('auto_reply'))).toBe(true);
    expect(q.some((i) => i.reason.startsWith('loop'))).toBe(true);
    expect(q.some((i) => i.reason.startsWith('malformed'))).toBe(true);
    // A foreign loop header value is just a header: that message is a citizen's.
    expect(q.some((i) => i.subject === 'Ping')).toBe(false);
    expect((await operator.get('/api/v1/mail/quarantine')).json().items).toEqual([]);
    const ooo = q.find((i) => i.reason.startsWith('auto_reply'))!;
    const raw = await admin.get(`/api/v1/mail/quarantine/${ooo.id}/raw`);
    expect(raw.statusCode).toBe(200);
    expect(raw.body).toContain('fuori sede');
    const released = await admin.post(`/api/v1/mail/quarantine/${ooo.id}/release`, {});
    expect(released.statusCode).toBe(200);
    expect(released.json().outcome).toBe('ticket_created');
    expect((await ticketOf(released.json().ticketCode)).channel).toBe('email');
    const garbage = q.find((i) => i.reason.startsWith('malformed'))!;
    expect((await admin.post(`/api/v1/mail/quarantine/${garbage.id}/dismiss`)).statusCode).toBe(204);
    const left = (await admin.get('/api/v1/mail/quarantine')).json().items as { id: string }[];
    expect(left.map((i) => i.id)).not.toContain(garbage.id);
    expect(left.map((i) => i.id)).not.toContain(ooo.id);
  });

  it('quarantines a flood from one sender (a responder loop) past 30 messages in 10 minutes, still recognising a retry, and leaves other senders alone', async () => {
    const db = t.database.db;
    const mailbox = await db.selectFrom('mailboxes').select('id').where('address', '=', MAILBOX).executeTakeFirstOrThrow();
    // 30 messages of the last minutes from one responder, and one older than the window from another sender.
    await db.insertInto('inbound_mail').values(Array.from({ length: 30 }, (_, i) => ({
      mailbox_id: mailbox.id, message_id: `flood-${i}@robot.example.net`, outcome: 'ticket_created' as const, sender: 'robot@robot.example.net', size: 10, received_at: new Date(Date.now() - 60_000),
    }))).execute();
    await db.insertInto('inbound_mail').values(Array.from({ length: 30 }, (_, i) => ({
      mailbox_id: mailbox.id, message_id: `old-${i}@example.net`, outcome: 'ticket_created' as const, sender: 'paziente@example.net', size: 10, received_at: new Date(Date.now() - 11 * 60_000),
    }))).execute();
    const from = (address: string) => ({ From: address });
    await send(mail({ ...from('robot@robot.example.net'), Subject: 'Notifica 31', 'Message-ID': '<flood-31@robot.example.net>' }, 'Messaggio automatico.'));
    // A retry of a message already taken is a retry, not the flood's 32nd.
    await send(mail({ ...from('robot@robot.example.net'), Subject: 'Notifica 3', 'Message-ID': '<flood-3@robot.example.net>' }, 'Messaggio automatico.'));
    await send(mail({ ...from('paziente@example.net'), Subject: 'Richiesta dopo molti messaggi', 'Message-ID': '<patient-31@example.net>' }, 'Scrivo ancora.'));
    await settle();
    const rows = await db.selectFrom('inbound_mail').select(['message_id', 'outcome', 'reason']).where('mailbox_id', '=', mailbox.id).where('message_id', 'in', ['flood-31@robot.example.net', 'flood-3@robot.example.net', 'patient-31@example.net']).execute();
    expect(Object.fromEntries(rows.map((r) => [r.message_id, [r.outcome, r.reason?.split(':')[0] ?? null]]))).toEqual({
      'flood-3@robot.example.net': ['ticket_created', null],
      'flood-31@robot.example.net': ['quarantined', 'flood'],
      'patient-31@example.net': ['ticket_created', null],
    });
  });

  it('refuses mail for an unknown mailbox and an oversized message during the SMTP exchange, so the sender keeps it', async () => {
    await expect(send(mail({ Subject: 'x' }, 'x'), 'nessuno@comune.celano.example.it')).rejects.toMatchObject({ responseCode: 550 });
    await expect(send(mail({ Subject: 'Allegato enorme' }, 'x'.repeat(400_000)))).rejects.toMatchObject({ responseCode: 552 });
    // Sub-addresses reach their mailbox.
    await send(mail({ Subject: 'Con sottoindirizzo', 'Message-ID': '<plus@example.org>' }, 'Scrivo a urp+info.'), 'urp+info@comune.celano.example.it');
    await settle();
    expect((await operator.get('/api/v1/tickets?q=sottoindirizzo')).json().items).toHaveLength(1);
  });
});

describe('PEC intake', () => {
  it('takes a citizen PEC from its transport envelope, answers by PEC through the provider and records the consegna receipt on the delivery', async () => {
    // The PEC mailbox sends through its provider's server, logged in as the mailbox: a PEC leaves only that way.
    const provider = await startSmtpSink({ requireAuth: { user: PEC, password: 'segreta-pec-2026' } });
    try {
      await pecThroughProvider(provider);
    } finally {
      await provider.close();
    }
  });
});

/** A PEC answered through the PEC mailbox's own provider, then the mailbox back on the network's relay. */
async function pecThroughProvider(provider: SmtpSink): Promise<void> {
  const mailboxes = (await admin.get('/api/v1/mailboxes')).json().items as { id: string; address: string }[];
  const pecBox = mailboxes.find((m) => m.address === PEC)!;
  expect((await admin.put(`/api/v1/mailboxes/${pecBox.id}/outgoing`, { url: 'ftp://elsewhere' })).json().code).toBe('mailbox.outgoing_invalid');
  const url = `smtp://${encodeURIComponent(PEC)}:segreta-pec-2026@127.0.0.1:${provider.port}`;
  expect((await operator.put(`/api/v1/mailboxes/${pecBox.id}/outgoing`, { url })).statusCode).toBe(404);
  const set = await admin.put(`/api/v1/mailboxes/${pecBox.id}/outgoing`, { url });
  expect(set.statusCode).toBe(200);
  expect(set.json().outgoing).toBe(`smtp://${PEC}@127.0.0.1:${provider.port}`);
  expect(JSON.stringify((await admin.get('/api/v1/mailboxes')).json())).not.toContain('segreta-pec-2026');
  const stored = await t.database.db.selectFrom('mailboxes').select('outgoing_smtp').where('id', '=', pecBox.id).executeTakeFirstOrThrow();
  expect(stored.outgoing_smtp).not.toContain('segreta');
  const relayedBefore = sent.length;
  const envelope = fixture('pec-busta-trasporto.eml').replace(/^To: .*$/m, `To: ${PEC}`);
  await send(envelope, PEC, 'posta-certificata@pec.aruba.it');
  await settle();
  const list = (await operator.get('/api/v1/tickets?channel=pec')).json().items as { code: string; channel: string }[];
  const pec = list.find((i) => i.channel === 'pec');
  expect(pec).toBeDefined();
  const ticket = await ticketOf(pec!.code);
  expect(ticket.requester.email).toBe('mario.rossi@pec.it');
  const ack = await codeFromLatest('mario.rossi@pec.it', provider.messages);
  expect(ack.raw).toMatch(/^From: [^\n]*(\r?\n [^\n]*)*<urp@pec\.comune\.celano\.example\.it>/im);
  const receipt = fixture('pec-ricevuta-avvenuta-consegna.eml').replaceAll('20261209125958.Q4VW63V86@urpnet.comune.esempio.it', ack.messageId).replace(/^To: .*$/m, `To: ${PEC}`);
  await send(receipt, PEC, 'posta-certificata@pec.aruba.it');
  await settle();
  const contact = (await operator.get(`/api/v1/tickets/${pec!.code}/citizen-contact`)).json();
  expect(contact.replyChannel).toBe('pec');
  expect(contact.deliveries).toEqual([expect.objectContaining({ kind: 'acknowledgement', channel: 'pec', status: 'delivered' })]);
  // It left through the provider, authenticated; nothing for the citizen went through the network's relay.
  expect(provider.messages.map((m) => ({ to: m.to, user: m.user }))).toEqual([{ to: ['mario.rossi@pec.it'], user: PEC }]);
  expect(sent.slice(relayedBefore).filter((m) => m.to.includes('mario.rossi@pec.it'))).toEqual([]);
  // A sealed server that no longer opens (the server's secret changed): the reply must not leave as a
  // plain e-mail, and no retry can mend it, so the delivery fails at once and says what to do.
  await t.database.db.updateTable('mailboxes').set({ outgoing_smtp: seal('un-altro-segreto-del-server-2026', 'mailbox-outgoing-smtp', url) }).where('id', '=', pecBox.id).execute();
  const second = envelope.replaceAll('5e6f7a8b-9c0d', '6f7a8b9c-0d1e').replaceAll('opec21012.20261209140002', 'opec21012.20261209150003').replaceAll('mario.rossi@pec.it', 'lucia.bianchi@pec.it');
  await send(second, PEC, 'posta-certificata@pec.aruba.it');
  await settle();
  const lucia = ((await operator.get('/api/v1/tickets?channel=pec')).json().items as { code: string }[]).map((i) => i.code).filter((c) => c !== pec!.code);
  expect(lucia).toHaveLength(1);
  const failed = (await operator.get(`/api/v1/tickets/${lucia[0]}/citizen-contact`)).json();
  expect(failed.deliveries).toEqual([expect.objectContaining({ kind: 'acknowledgement', status: 'failed', attempts: 1, lastError: expect.stringContaining('/posta') })]);
  expect(provider.messages).toHaveLength(1);
  expect(sent.slice(relayedBefore).filter((m) => m.to.includes('lucia.bianchi@pec.it'))).toEqual([]);
  // Back to the network's relay.
  expect((await admin.delete(`/api/v1/mailboxes/${pecBox.id}/outgoing`)).json().outgoing).toBeNull();
}
