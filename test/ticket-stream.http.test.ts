import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/platform/actor.js';
import { startRealtimeHub } from '../src/platform/realtime.js';
import { type SseEvent, type SseStream, dataOf, openSse } from './helpers/sse.js';
import { buildTestApp, type Client, DEMO_PASSWORD, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

/**
 * Ticket changes on the notification stream: each open stream gets `event: ticket` for the tickets
 * its user may see by the tickets API's own rule (owner office, active share), an internal note only
 * on the sides of the note's organisation, and nothing about other tickets. Over real HTTP on
 * loopback, through the app's realtime hub (its LISTEN on the outbox).
 */
let t: TestApp;
let base: string;
const opened: SseStream[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  for (const s of opened) await s.close();
  await t?.close();
});

/** A stream opened with a session of its own for the client's user (as a second browser tab would). */
async function streamOf(client: Client): Promise<SseStream> {
  const email = (await client.get('/api/v1/auth/session')).json().user.email as string;
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD } });
  const cookie = `urpnet_session=${res.cookies.find((c) => c.name === 'urpnet_session')?.value}`;
  const s = await openSse(`${base}/api/v1/notifications/stream`, { cookie });
  expect(s.status).toBe(200);
  opened.push(s);
  return s;
}

const about = (code: string, topic?: string) => (e: SseEvent) => e.event === 'ticket' && dataOf(e).code === code && (topic === undefined || dataOf(e).topic === topic);

async function newTicket(owner: Client, subject: string): Promise<string> {
  const res = await owner.post('/api/v1/tickets', ticketInput(owner, { subject }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json().code as string;
}

async function write(client: Client, code: string, kind: 'reply' | 'note', body: string) {
  const res = await client.post(`/api/v1/tickets/${code}/messages`, { kind, body });
  expect(res.statusCode, res.body).toBe(201);
}

describe('ticket events on the stream', () => {
  it('reach the sides that may see the ticket, notes only their organisation, and nobody else', async () => {
    const celano = await login(t.app, demoEmail('operatore', 'comune-celano'));
    const asl = await login(t.app, demoEmail('operatore', 'asl-avezzano-sulmona-laquila'));
    const napoli = await login(t.app, demoEmail('operatore', 'comune-napoli'));
    const [celanoStream, aslStream, napoliStream] = [await streamOf(celano), await streamOf(asl), await streamOf(napoli)];
    const token = await celano.post('/api/v1/me/tokens', { name: 'solo notifiche', scopes: ['notifications'] });
    expect(token.statusCode, token.body).toBe(201);
    const tokenStream = await openSse(`${base}/api/v1/notifications/stream`, { authorization: `Bearer ${token.json().secret}` });
    opened.push(tokenStream);
    expect(tokenStream.status).toBe(200);

    const code = await newTicket(celano, 'Stream: esenzione ticket');
    await write(celano, code, 'reply', 'Prima risposta, prima della condivisione.');
    const first = await celanoStream.waitFor(about(code, 'ticket.reply_added'), 3000);
    expect(dataOf(first)).toEqual({ code, topic: 'ticket.reply_added', at: expect.any(String) });
    expect(first.id).toBeNull();

    // Shared with the ASL and accepted: from now on the ASL sees the ticket.
    const share = await celano.post(`/api/v1/tickets/${code}/shares`, { officeId: asl.officeId, mode: 'collaborate', reason: 'Serve il vostro parere' });
    expect(share.statusCode, share.body).toBe(201);
    expect((await asl.post(`/api/v1/shares/${share.json().id}/accept`)).statusCode).toBe(200);
    await aslStream.waitFor(about(code, 'ticket.share_accepted'), 3000);
    await write(celano, code, 'note', 'Nota interna del Comune.');
    await write(celano, code, 'reply', 'Seconda risposta, dopo la condivisione.');
    await celanoStream.waitFor(about(code, 'ticket.note_added'), 3000);
    await aslStream.waitFor(about(code, 'ticket.reply_added'), 3000);

    // A marker Napoli may see, written last: once it arrives, every earlier event was offered to Napoli's stream.
    const own = await newTicket(napoli, 'Stream: marcatore di Napoli');
    await write(napoli, own, 'reply', 'Marcatore.');
    await napoliStream.waitFor(about(own, 'ticket.reply_added'), 3000);
    await celanoStream.waitFor(about(code, 'ticket.reply_added'), 3000);

    const topics = (s: SseStream, c: string) => s.events.filter(about(c)).map((e) => dataOf<{ topic: string }>(e).topic);
    // The ASL saw neither the reply written before it had access nor the Comune's internal note.
    expect(topics(aslStream, code)).not.toContain('ticket.note_added');
    expect(topics(aslStream, code).filter((x) => x === 'ticket.reply_added')).toHaveLength(1);
    expect(topics(aslStream, code)[0]).toBe('ticket.share_accepted');
    expect(topics(celanoStream, code)).toEqual(expect.arrayContaining(['ticket.created', 'ticket.reply_added', 'ticket.shared', 'ticket.share_accepted', 'ticket.note_added']));
    expect(topics(napoliStream, code)).toEqual([]);
    expect(topics(celanoStream, own)).toEqual([]);
    // A token without tickets:read follows its notifications only.
    expect(tokenStream.events.filter((e) => e.event === 'ticket')).toEqual([]);
  }, 60_000);

  it('keeps every held stream alive from one hub timer, and stops when released', async () => {
    const hub = await startRealtimeHub(t.database, { keepAliveMs: 40 });
    try {
      const actor = { userId: 'nessuno' } as unknown as Actor;
      const pings = [0, 0];
      const releases = pings.map((_, i) => hub.holdCredential(actor, { end: () => undefined, keepAlive: () => {
        pings[i] = (pings[i] ?? 0) + 1;
      } }));
      await new Promise((r) => setTimeout(r, 150));
      expect(pings.every((n) => n >= 2)).toBe(true);
      for (const release of releases) release();
      const after = [...pings];
      await new Promise((r) => setTimeout(r, 120));
      expect(pings).toEqual(after);
      expect(hub.stats().streams).toBe(0);
    } finally {
      await hub.close();
    }
  });
});
