import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, type SunkMessage, startSmtpSink } from './helpers/smtp-sink.js';
import { buildTestApp, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

let t: TestApp;
let smtp: SmtpSink;
let received: SunkMessage[] = [];

beforeAll(async () => {
  smtp = await startSmtpSink();
  received = smtp.messages;
  t = await buildTestApp({ SMTP_URL: smtp.url, BASE_URL: 'https://urpnet.example.it' });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
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
