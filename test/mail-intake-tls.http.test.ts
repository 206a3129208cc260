import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { smtpIntakePort } from '../src/modules/citizen/index.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

/**
 * The e-mail intake over STARTTLS (issue 15): with a key and certificate the listener offers
 * STARTTLS, and with MAIL_INTAKE_REQUIRE_TLS it refuses mail sent in clear (530), so the sending
 * server retries encrypted. A self-signed certificate made here with openssl.
 */
let t: TestApp;
let admin: Client;
let operator: Client;
let dir: string;
const MAILBOX = 'urp@comune.celano.example.it';

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-intake-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  t = await buildTestApp({
    MAIL_INTAKE_PORT: '0', MAIL_INTAKE_TLS_KEY: path.join(dir, 'key.pem'), MAIL_INTAKE_TLS_CERT: path.join(dir, 'cert.pem'), MAIL_INTAKE_REQUIRE_TLS: 'true',
  });
  admin = await login(t.app, demoEmail('admin', 'comune-celano'));
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  expect((await admin.post(`/api/v1/offices/${operator.officeId}/mailboxes`, { address: MAILBOX, kind: 'email' })).statusCode).toBe(201);
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const raw = (subject: string) => `From: Cittadina <cittadina@example.org>\r\nTo: ${MAILBOX}\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W+/g, '-')}@example.org>\r\nDate: Mon, 07 Dec 2026 10:00:00 +0100\r\n\r\nLampione spento in via Roma da tre sere.\r\n`;

describe('the mail intake over STARTTLS', () => {
  it('refuses mail sent in clear when TLS is required, and takes it over STARTTLS', async () => {
    const port = smtpIntakePort(t.app)!;
    const clear = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    await expect(clear.sendMail({ envelope: { from: 'cittadina@example.org', to: [MAILBOX] }, raw: raw('In chiaro') })).rejects.toMatchObject({ responseCode: 530 });
    clear.close();
    const tls = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
    const info = await tls.sendMail({ envelope: { from: 'cittadina@example.org', to: [MAILBOX] }, raw: raw('Cifrata') });
    tls.close();
    expect(info.accepted).toEqual([MAILBOX]);
    const tickets = (await operator.get('/api/v1/tickets?q=Cifrata')).json().items as { subject: string; channel: string }[];
    expect(tickets.map((x) => [x.subject, x.channel])).toEqual([['Cifrata', 'email']]);
    expect((await operator.get('/api/v1/tickets?q=chiaro')).json().items).toEqual([]);
  });

  it('says what is wrong with the TLS settings at start', () => {
    const base = { URPNET_SECRET: 's'.repeat(40), DATA_DIR: dir };
    expect(() => loadConfig({ ...base, MAIL_INTAKE_TLS_KEY: path.join(dir, 'key.pem') })).toThrow(/MAIL_INTAKE_TLS_KEY e MAIL_INTAKE_TLS_CERT vanno indicati insieme/);
    expect(() => loadConfig({ ...base, MAIL_INTAKE_REQUIRE_TLS: 'true' })).toThrow(/MAIL_INTAKE_REQUIRE_TLS=true richiede/);
    writeFileSync(path.join(dir, 'not.pem'), 'hello');
    expect(() => loadConfig({ ...base, MAIL_INTAKE_TLS_KEY: path.join(dir, 'not.pem'), MAIL_INTAKE_TLS_CERT: path.join(dir, 'missing.pem') })).toThrow(/non è un file PEM[\s\S]*file non leggibile|file non leggibile[\s\S]*non è un file PEM/);
    expect(loadConfig({ ...base, MAIL_INTAKE_TLS_KEY: path.join(dir, 'key.pem'), MAIL_INTAKE_TLS_CERT: path.join(dir, 'cert.pem') }).mailIntakeTls?.required).toBe(false);
  });
});
