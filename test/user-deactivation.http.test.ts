import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/platform/actor.js';
import { issuePasswordToken } from '../src/modules/identity/network-setup.js';
import { startRealtimeHub } from '../src/platform/realtime.js';
import { openSse, type SseStream } from './helpers/sse.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

/**
 * Deactivating a user ends their sessions, API tokens and notification streams at once (issue 11),
 * over real HTTP on loopback: the session cookie and the token answer 401 from the next request,
 * the open streams (cookie and token) end without waiting for the periodic credential check, a
 * second instance's hub (its own LISTEN) ends its held stream too, and a one-time password link of
 * the account is refused. Re-activating the account brings back neither the sessions nor the token.
 */
let t: TestApp;
let base: string;
let admin: Client;
const opened: SseStream[] = [];

beforeAll(async () => {
  // The app's hub re-checks credentials every 30 s by the clock: what ends the streams within 3 s below is the deactivation's NOTIFY.
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  admin = await login(t.app, demoEmail('admin', 'comune-celano'));
}, 120_000);
afterAll(async () => {
  for (const s of opened) await s.close();
  await t?.close();
});

async function stream(headers: Record<string, string>): Promise<SseStream> {
  const s = await openSse(`${base}/api/v1/notifications/stream`, headers);
  opened.push(s);
  expect(s.status).toBe(200);
  return s;
}

describe('deactivating a user', () => {
  it('ends sessions, tokens, open streams on every instance and password links at once', async () => {
    const email = 'da.disattivare@comune.celano.aq.it';
    const created = await admin.post('/api/v1/users', {
      email, name: 'Operatore Uscente', password: 'una-password-lunga', roles: [{ role: 'operator', organisationId: admin.organisationId }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const userId = created.json().id as string;
    const user = await login(t.app, email, 'una-password-lunga');
    const cookie = { cookie: (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'una-password-lunga' } })).headers['set-cookie']!.toString().split(';')[0]! };
    const token = await user.post('/api/v1/me/tokens', { name: 'integrazione', scopes: ['tickets:read', 'notifications'] });
    expect(token.statusCode, token.body).toBe(201);
    const bearer = { authorization: `Bearer ${token.json().secret}` };
    expect((await user.get('/api/v1/tickets')).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer })).statusCode).toBe(200);
    const [cookieStream, tokenStream] = [await stream(cookie), await stream(bearer)];

    // A second instance: its own hub and LISTEN connection on the same database, holding a stream of the user.
    const hubB = await startRealtimeHub(t.database, { credentialCheckMs: 600_000 });
    let endedOnB = false;
    try {
      const session = await t.database.db.selectFrom('sessions').select('id').where('user_id', '=', userId).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      hubB.holdCredential({ userId, sessionId: session.id, tokenId: null } as unknown as Actor, { end: () => { endedOnB = true; } });
      const { token: link } = await t.database.db.transaction().execute((trx) => issuePasswordToken(trx, t.config.secret, userId, 'reset', 24, new Date()));

      const deactivated = await admin.patch(`/api/v1/users/${userId}`, { active: false });
      expect(deactivated.statusCode, deactivated.body).toBe(200);
      expect(deactivated.json().active).toBe(false);

      expect((await user.get('/api/v1/tickets')).statusCode).toBe(401);
      const refused = await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().code).toBe('auth.invalid_token');
      expect(await cookieStream.endsWithin(3000)).toBe(true);
      expect(await tokenStream.endsWithin(3000)).toBe(true);
      await expect.poll(() => endedOnB, { timeout: 3000 }).toBe(true);
      const sessions = await t.database.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute();
      expect(sessions).toEqual([]);
      const tokens = await t.database.db.selectFrom('api_tokens').select('revoked_at').where('user_id', '=', userId).execute();
      expect(tokens.every((x) => x.revoked_at !== null)).toBe(true);
      const usedLink = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-link', payload: { token: link, password: 'altra-password-lunga' } });
      expect(usedLink.statusCode).toBe(410);
      expect(usedLink.json().code).toBe('auth.password_link_invalid');
      const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'una-password-lunga' } });
      expect(signIn.statusCode).toBe(401);

      // Back again: the account signs in anew, but the revoked token stays revoked.
      expect((await admin.patch(`/api/v1/users/${userId}`, { active: true })).statusCode).toBe(200);
      const again = await login(t.app, email, 'una-password-lunga');
      expect((await again.get('/api/v1/tickets')).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer })).statusCode).toBe(401);
    } finally {
      await hubB.close();
    }
  }, 60_000);
});
