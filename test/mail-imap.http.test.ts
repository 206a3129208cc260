import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestMail, loopHeaderValue, pollMailbox } from '../src/modules/citizen/index.js';
import { DOVECOT, type ImapTestServer, startImapServer } from './helpers/imap-server.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

/**
 * IMAP polling of an office mailbox against a real IMAP server (Dovecot on loopback): what arrives in
 * the folder becomes tickets through the same intake as SMTP, is flagged read on the server and never
 * taken twice; the office's old read mail is left alone; a message over the limit is recorded in the
 * quarantine and stays on the server; a wrong password or a missing folder is shown to the admin and
 * loses nothing.
 */

const MAILBOX = 'urp.imap@comune.celano.example.it';
const SECOND = 'protocollo.imap@comune.celano.example.it';
const PASSWORD = 'parola-segreta-imap';

let t: TestApp;
let imap: ImapTestServer;
let admin: Client;
let operator: Client;
let otherAdmin: Client;
let mailboxId: string;

function mail(headers: Record<string, string>, body: string): string {
  const lines = Object.entries({ From: 'Bruno Neri <bruno.neri@example.org>', To: MAILBOX, Date: new Date().toUTCString(), 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\n/g, '\r\n')}\r\n`;
}

const url = (user: string, password = PASSWORD, folder = '') => `imap://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${imap.port}/${folder}`;

/** What the app hands the IMAP poller, for the tests that call it directly. */
const intakeOptions = () => ({
  secret: t.config.secret, dataDir: t.config.dataDir, mailFrom: t.config.mailFrom, loopValue: loopHeaderValue(t.config.secret),
  maxAttachmentBytes: t.config.maxAttachmentBytes, maxBytes: t.config.mailIntakeMaxBytes,
});

async function mailbox(id = mailboxId) {
  const items = (await admin.get('/api/v1/mailboxes')).json().items as { id: string; incoming: string | null; imap: { polledAt: string | null; error: string | null; lastUid: number } | null }[];
  return items.find((m) => m.id === id)!;
}

async function ticketsFrom(subject: string) {
  const r = await operator.get(`/api/v1/tickets?q=${encodeURIComponent(subject)}`);
  return (r.json().items as { code: string; subject: string; channel: string }[]).filter((x) => x.subject === subject);
}

describe.skipIf(!DOVECOT)('IMAP polling of an office mailbox (Dovecot on loopback)', () => {
  beforeAll(async () => {
    imap = await startImapServer({ [MAILBOX]: PASSWORD, [SECOND]: PASSWORD });
    t = await buildTestApp({ MAIL_FROM: 'Rete URP <noreply@urp.example.it>', BASE_URL: 'https://urp.example.it', MAIL_INTAKE_MAX_BYTES: '300000' });
    admin = await login(t.app, demoEmail('admin', 'comune-celano'));
    operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
    otherAdmin = await login(t.app, demoEmail('admin', 'comune-napoli'));
  });
  afterAll(async () => {
    await t?.close();
    await imap?.close();
  });

  it('refuses a server that is not an IMAP URL with credentials, and lets only the office admin set it', async () => {
    const created = await admin.post(`/api/v1/offices/${operator.officeId}/mailboxes`, { address: MAILBOX, kind: 'email' });
    expect(created.statusCode).toBe(201);
    mailboxId = created.json().id;
    expect(created.json()).toMatchObject({ incoming: null, imap: null });
    for (const bad of ['smtp://u:p@host', `imap://127.0.0.1:${imap.port}/`, 'imaps://solo-utente@imap.example.org', 'non un indirizzo']) {
      const r = await admin.put(`/api/v1/mailboxes/${mailboxId}/incoming`, { url: bad });
      expect(r.statusCode, bad).toBe(400);
      expect(r.json().code).toBe('mailbox.incoming_invalid');
    }
    expect((await operator.put(`/api/v1/mailboxes/${mailboxId}/incoming`, { url: url(MAILBOX) })).statusCode).toBe(404);
    expect((await otherAdmin.put(`/api/v1/mailboxes/${mailboxId}/incoming`, { url: url(MAILBOX) })).statusCode).toBe(404);
    expect((await otherAdmin.post(`/api/v1/mailboxes/${mailboxId}/poll`)).statusCode).toBe(404);
    const noServer = await admin.post(`/api/v1/mailboxes/${mailboxId}/poll`);
    expect(noServer.statusCode).toBe(409);
    expect(noServer.json().code).toBe('mailbox.no_incoming_server');
  });

  it('takes the unread mail already in the folder on the first read, leaves the read mail alone, and flags what it took as read', async () => {
    const oldRead = await imap.append(MAILBOX, mail({ Subject: 'Vecchia posta già letta', 'Message-ID': '<old-read@example.org>' }, 'Letta dall\u2019ufficio mesi fa.'), 'INBOX', ['\\Seen']);
    const unread = await imap.append(MAILBOX, mail({ Subject: 'Lampione spento in piazza', 'Message-ID': '<bruno-1@example.org>' }, 'Buongiorno,\nil lampione in piazza IX Maggio è spento da una settimana.\nBruno Neri'));
    const set = await admin.put(`/api/v1/mailboxes/${mailboxId}/incoming`, { url: url(MAILBOX) });
    expect(set.statusCode).toBe(200);
    expect(set.json().incoming).toBe(`imap://${MAILBOX}@127.0.0.1:${imap.port}/INBOX`);
    const stored = await t.database.db.selectFrom('mailboxes').select('incoming_imap').where('id', '=', mailboxId).executeTakeFirstOrThrow();
    expect(stored.incoming_imap).not.toContain(PASSWORD);
    await t.jobs.runDue(); // setting the server queued a first poll

    const made = await ticketsFrom('Lampione spento in piazza');
    expect(made).toHaveLength(1);
    expect(made[0]!.channel).toBe('email');
    const ticket = (await operator.get(`/api/v1/tickets/${made[0]!.code}`)).json();
    expect(ticket.description).toContain('lampione in piazza IX Maggio');
    expect(ticket.requester).toMatchObject({ name: 'Bruno Neri', email: 'bruno.neri@example.org' });
    expect(await ticketsFrom('Vecchia posta già letta')).toEqual([]);
    const flags = await imap.flags(MAILBOX);
    expect(flags.get(unread)).toContain('\\Seen');
    expect(flags.get(oldRead)).toContain('\\Seen');
    expect(await mailbox()).toMatchObject({ imap: { error: null, lastUid: unread } });
    expect((await mailbox()).imap!.polledAt).not.toBeNull();
  });

  it('takes every new message on the following polls, even one opened in a mail client first, and never the same message twice', async () => {
    const openedFirst = await imap.append(MAILBOX, mail({ Subject: 'Rifiuti non raccolti', 'Message-ID': '<bruno-2@example.org>' }, 'In via Roma i rifiuti non sono stati raccolti.'), 'INBOX', ['\\Seen']);
    // The same message delivered twice (the citizen's server retried): one ticket.
    await imap.append(MAILBOX, mail({ Subject: 'Rifiuti non raccolti', 'Message-ID': '<bruno-2@example.org>' }, 'In via Roma i rifiuti non sono stati raccolti.'));
    await t.jobs.send('citizen.imap-poll', {});
    await t.jobs.runDue();
    expect(await ticketsFrom('Rifiuti non raccolti')).toHaveLength(1);
    expect((await mailbox()).imap!.lastUid).toBeGreaterThan(openedFirst);
    // Nothing new: a poll takes nothing, and the tickets stay as they are.
    const again = await pollMailbox(t.database.db, intakeOptions(), mailboxId);
    expect(again).toMatchObject({ taken: 0, error: null });
    expect(await ticketsFrom('Lampione spento in piazza')).toHaveLength(1);
  });

  it('records a message over the size limit in the quarantine without downloading it, and leaves it unread on the server', async () => {
    const big = 'x'.repeat(76) + '\r\n';
    const uid = await imap.append(MAILBOX, mail({ Subject: 'Planimetria enorme', 'Message-ID': '<bruno-big@example.org>' }, big.repeat(5000)));
    expect((await admin.post(`/api/v1/mailboxes/${mailboxId}/poll`)).json()).toEqual({ queued: true });
    await t.jobs.runDue();
    const q = (await admin.get('/api/v1/mail/quarantine')).json().items as { id: string; reason: string; subject: string | null; sender: string | null; size: number; kept: boolean }[];
    const entry = q.find((x) => x.subject === 'Planimetria enorme')!;
    expect(entry.reason).toMatch(/^too_big: /);
    expect(entry.sender).toBe('bruno.neri@example.org');
    expect(entry.size).toBeGreaterThan(300_000);
    expect(entry.kept).toBe(false);
    expect((await imap.flags(MAILBOX)).get(uid)).not.toContain('\\Seen');
    const release = await admin.post(`/api/v1/mail/quarantine/${entry.id}/release`, {});
    expect(release.statusCode).toBe(409);
    expect(release.json().code).toBe('mail.quarantine_not_kept');
    expect((await admin.get(`/api/v1/mail/quarantine/${entry.id}/raw`)).statusCode).toBe(409);
    expect((await admin.post(`/api/v1/mail/quarantine/${entry.id}/dismiss`)).statusCode).toBe(204);
    expect(await ticketsFrom('Planimetria enorme')).toEqual([]);
  });

  it('shows the admin a refused password and loses nothing: once the server is set again, the waiting message is taken', async () => {
    await imap.setPassword(MAILBOX, 'password-cambiata');
    await imap.append(MAILBOX, mail({ Subject: 'Marciapiede dissestato', 'Message-ID': '<bruno-3@example.org>' }, 'Il marciapiede di via Garibaldi è dissestato.'));
    await admin.post(`/api/v1/mailboxes/${mailboxId}/poll`);
    await t.jobs.runDue();
    expect((await mailbox()).imap!.error).toMatch(/^Accesso rifiutato dal server IMAP/);
    expect(await ticketsFrom('Marciapiede dissestato')).toEqual([]);
    await admin.put(`/api/v1/mailboxes/${mailboxId}/incoming`, { url: url(MAILBOX, 'password-cambiata') });
    await t.jobs.runDue();
    expect(await ticketsFrom('Marciapiede dissestato')).toHaveLength(1);
    expect((await mailbox()).imap!.error).toBeNull();
  });

  it('quarantines a message the intake fails on three polls in a row, and takes the mail behind it', async () => {
    const bad = await imap.append(MAILBOX, mail({ Subject: 'Messaggio che fa fallire la ricezione', 'Message-ID': '<bruno-poison@example.org>' }, 'Qualcosa in questo messaggio manda in errore la ricezione.'));
    await imap.append(MAILBOX, mail({ Subject: 'Semaforo guasto', 'Message-ID': '<bruno-5@example.org>' }, 'Il semaforo di viale Roma è guasto.'));
    const ingest: typeof ingestMail = (db, o, box, raw, now) => (raw.toString('latin1').includes('bruno-poison') ? Promise.reject(new Error('errore di prova')) : ingestMail(db, o, box, raw, now));
    for (const poll of [1, 2]) {
      const r = await pollMailbox(t.database.db, { ...intakeOptions(), ingest }, mailboxId);
      expect(r?.error, `poll ${poll}`).toContain('errore di prova');
      expect(await ticketsFrom('Semaforo guasto')).toEqual([]);
    }
    const third = await pollMailbox(t.database.db, { ...intakeOptions(), ingest }, mailboxId);
    expect(third).toMatchObject({ error: null, taken: 2, outcomes: { quarantined: 1, ticket_created: 1 } });
    expect(await ticketsFrom('Semaforo guasto')).toHaveLength(1);
    const held = ((await admin.get('/api/v1/mail/quarantine')).json().items as { subject: string | null; reason: string; kept: boolean }[]).find((q) => q.subject === 'Messaggio che fa fallire la ricezione')!;
    expect(held).toMatchObject({ reason: 'intake_failed: errore di prova', kept: true });
    expect((await imap.flags(MAILBOX)).get(bad)).toContain('\\Seen');
  });

  it('reads a named folder, tells the admin when it does not exist, and reads it again when its UIDs are renumbered', async () => {
    const second = (await admin.post(`/api/v1/offices/${operator.officeId}/mailboxes`, { address: SECOND, kind: 'email', incomingImapUrl: url(SECOND, PASSWORD, 'Richieste') })).json();
    expect(second.incoming).toBe(`imap://${SECOND}@127.0.0.1:${imap.port}/Richieste`);
    await admin.post(`/api/v1/mailboxes/${second.id}/poll`);
    await t.jobs.runDue();
    expect((await mailbox(second.id)).imap!.error).toMatch(/^Cartella non trovata/);
    await imap.append(SECOND, mail({ To: SECOND, Subject: 'Certificato di residenza', 'Message-ID': '<carla-1@example.org>' }, 'Vorrei sapere come avere il certificato.'), 'Richieste');
    await admin.post(`/api/v1/mailboxes/${second.id}/poll`);
    await t.jobs.runDue();
    expect(await ticketsFrom('Certificato di residenza')).toHaveLength(1);
    const before = await t.database.db.selectFrom('mailboxes').select('imap_uid_validity').where('id', '=', second.id).executeTakeFirstOrThrow();
    // The folder is deleted and made again (a new UIDVALIDITY): the old message comes back unread, with a new one.
    await imap.recreate(SECOND, 'Richieste');
    await imap.append(SECOND, mail({ To: SECOND, Subject: 'Certificato di residenza', 'Message-ID': '<carla-1@example.org>' }, 'Vorrei sapere come avere il certificato.'), 'Richieste');
    await imap.append(SECOND, mail({ To: SECOND, Subject: 'Carta d’identità elettronica', 'Message-ID': '<carla-2@example.org>' }, 'Quando posso rinnovarla?'), 'Richieste');
    await admin.post(`/api/v1/mailboxes/${second.id}/poll`);
    await t.jobs.runDue();
    const after = await t.database.db.selectFrom('mailboxes').select('imap_uid_validity').where('id', '=', second.id).executeTakeFirstOrThrow();
    expect(after.imap_uid_validity).not.toBe(before.imap_uid_validity);
    expect(await ticketsFrom('Certificato di residenza')).toHaveLength(1);
    expect(await ticketsFrom('Carta d’identità elettronica')).toHaveLength(1);
  });

  it('lets one poller at a time read a mailbox, and stops reading it when the admin removes the server', async () => {
    const [a, b] = await Promise.all([pollMailbox(t.database.db, intakeOptions(), mailboxId), pollMailbox(t.database.db, intakeOptions(), mailboxId)]);
    expect([a, b].filter((r) => r === null)).toHaveLength(1);
    const removed = await admin.delete(`/api/v1/mailboxes/${mailboxId}/incoming`);
    expect(removed.json()).toMatchObject({ incoming: null, imap: null });
    await imap.append(MAILBOX, mail({ Subject: 'Dopo la rimozione', 'Message-ID': '<bruno-4@example.org>' }, 'Questo resta sul server.'));
    await t.jobs.send('citizen.imap-poll', {});
    await t.jobs.runDue();
    expect(await ticketsFrom('Dopo la rimozione')).toEqual([]);
    expect(await pollMailbox(t.database.db, intakeOptions(), mailboxId)).toBeNull();
  });
});
