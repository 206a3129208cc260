import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

let t: TestApp;
let smtp: SMTPServer;
const received: { to: string[]; data: string }[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => {
        data += chunk.toString('utf8');
      });
      stream.on('end', () => {
        // Undo quoted-printable soft line breaks so assertions read the text as written.
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data: data.replace(/=\r?\n/g, '').replace(/=3D/g, '=') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  t = await buildTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, BASE_URL: 'https://urpnet.example.it' });
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('e-mail to the office mailbox', () => {
  it('tells the receiving office of a share request by e-mail, with a link to the ticket', async () => {
    const celano = await login(t.app, demoEmail('operatore', 'comune-celano'));
    const offices = (await celano.get('/api/v1/offices')).json().items as { id: string; slug: string; email: string }[];
    const napoli = offices.find((o) => o.slug === 'napoli-urp')!;
    const ticket = (await celano.post('/api/v1/tickets', ticketInput(celano))).json();
    expect((await celano.post(`/api/v1/tickets/${ticket.code}/shares`, { officeId: napoli.id, mode: 'consult', reason: 'Parere sul caso' })).statusCode).toBe(201);
    await t.events.drain();
    await expect.poll(() => received.length, { timeout: 5000 }).toBeGreaterThan(0);
    const mail = received.find((m) => m.to.includes(napoli.email))!;
    expect(mail).toBeDefined();
    expect(mail.data).toContain(ticket.code);
    expect(mail.data).toContain(`https://urpnet.example.it/tickets/${ticket.code}`);
    // No personal data of the citizen travels in the e-mail.
    expect(mail.data).not.toContain('Maria Bianchi');
  });
});
