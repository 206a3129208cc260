import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { TOKEN_SCOPES } from '../src/platform/actor.js';
import { buildTestApp, type Client, DEMO_PASSWORD, demoEmail, login, type TestApp } from './helpers/test-app.js';

/** What a credential may do: token scopes on every route, and streams that end with their session. */
let t: TestApp;
let operator: Client;
let faqId: string;

beforeAll(async () => {
  t = await buildTestApp();
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  faqId = (await t.app.inject({ method: 'GET', url: `/api/v1/portal/faq/search?q=${encodeURIComponent('rinnovo carta identità elettronica')}` })).json().items[0].id;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

async function tokenWith(...scopes: string[]): Promise<{ id: string; auth: Record<string, string> }> {
  const res = await operator.post('/api/v1/me/tokens', { name: `test ${scopes.join(' ')}`, scopes });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id, auth: { authorization: `Bearer ${res.json().secret}` } };
}

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload !== undefined && { payload }) });

describe('token scopes', () => {
  it('refuses a tickets:read token on the profile, its tokens, FAQ votes and notifications', async () => {
    const reader = await tokenWith('tickets:read');
    const other = await tokenWith('tickets:write');
    const attempts = [
      await call('PATCH', '/api/v1/me', reader.auth, { name: 'Preso dal token' }),
      await call('GET', '/api/v1/me/tokens', reader.auth),
      await call('DELETE', `/api/v1/me/tokens/${other.id}`, reader.auth),
      await call('POST', `/api/v1/faq/${faqId}/feedback`, reader.auth, { helpful: false }),
      await call('POST', `/api/v1/faq/${faqId}/uses`, reader.auth, { context: 'reply' }),
      await call('GET', '/api/v1/notifications', reader.auth),
      await call('POST', '/api/v1/notifications/read', reader.auth, {}),
      await call('GET', '/api/v1/notifications/stream', reader.auth),
    ];
    for (const res of attempts) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().code).toBe('auth.token_scope');
    }
    // Nothing changed: the name, the other token.
    expect((await operator.get('/api/v1/auth/session')).json().user.name).not.toBe('Preso dal token');
    expect((await call('GET', '/api/v1/tickets', other.auth)).statusCode).toBe(200);
    // What the scope is for still works, and so does the network's reference data.
    expect((await call('GET', '/api/v1/tickets', reader.auth)).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/taxonomy', reader.auth)).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/organisations', reader.auth)).statusCode).toBe(200);
  });

  it('lets an explicit scope do what it names, and nothing else', async () => {
    const profile = await tokenWith('profile');
    const victim = await tokenWith('tickets:read');
    expect((await call('PATCH', '/api/v1/me', profile.auth, { locale: 'it' })).statusCode).toBe(204);
    expect((await call('GET', '/api/v1/me/tokens', profile.auth)).statusCode).toBe(200);
    expect((await call('DELETE', `/api/v1/me/tokens/${victim.id}`, profile.auth)).statusCode).toBe(204);
    expect((await call('POST', '/api/v1/me/tokens', profile.auth, { name: 'altro', scopes: ['admin'] })).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/tickets', profile.auth)).statusCode).toBe(403);

    const notifications = await tokenWith('notifications');
    expect((await call('GET', '/api/v1/notifications', notifications.auth)).statusCode).toBe(200);
    expect((await call('POST', '/api/v1/notifications/read', notifications.auth, {})).statusCode).toBe(204);
    expect((await call('PATCH', '/api/v1/me', notifications.auth, { locale: 'it' })).statusCode).toBe(403);

    const feedback = await tokenWith('faq:feedback');
    expect((await call('POST', `/api/v1/faq/${faqId}/feedback`, feedback.auth, { helpful: true })).statusCode).toBe(200);
    expect((await call('GET', '/api/v1/notifications', feedback.auth)).statusCode).toBe(403);
  });

  it('has every route declare what a token needs, and offers the scopes to token creation', async () => {
    const authenticated = t.app.routeTable.filter((r) => r.access.kind === 'authenticated');
    expect(authenticated.length).toBeGreaterThan(10);
    const rules = new Map(authenticated.map((r) => [`${r.method} ${r.url}`, r.access.kind === 'authenticated' ? r.access.tokenScopes : null]));
    expect(rules.get('PATCH /api/v1/me')).toEqual(['profile']);
    expect(rules.get('POST /api/v1/me/tokens')).toEqual([]);
    expect(rules.get('POST /api/v1/notifications/read')).toEqual(['notifications']);
    expect(rules.get('POST /api/v1/faq/:id/feedback')).toEqual(['faq:feedback']);
    for (const scopes of rules.values()) for (const s of scopes ?? []) expect(TOKEN_SCOPES).toContain(s);
    const openapi = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const scopeEnum = JSON.stringify(openapi.paths['/api/v1/me/tokens'].post.requestBody);
    for (const s of ['profile', 'notifications', 'faq:feedback']) expect(scopeEnum).toContain(s);
  });
});

describe('notification stream', () => {
  let server: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    server = await buildApp({ config: t.config, database: t.database, events: t.events, logger: false });
    await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server?.close();
  });

  async function signIn(email: string) {
    const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
    expect(res.status).toBe(200);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
  }

  /** Reads the stream until it ends (resolves true) or `ms` pass (resolves false). */
  async function endsWithin(body: ReadableStream<Uint8Array>, ms: number): Promise<boolean> {
    const reader = body.getReader();
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), ms));
    const drained = (async () => {
      for (;;) if ((await reader.read()).done) return true as const;
    })();
    const ended = await Promise.race([drained, timeout]);
    if (!ended) await reader.cancel().catch(() => undefined);
    return ended;
  }

  it('closes an open stream when its session logs out', async () => {
    const session = await signIn(demoEmail('operatore', 'comune-napoli'));
    const stream = await fetch(`${base}/api/v1/notifications/stream`, { headers: { cookie: session.cookie } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const logout = await fetch(`${base}/api/v1/auth/logout`, { method: 'POST', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } });
    expect(logout.status).toBe(204);
    expect(await endsWithin(stream.body!, 8000)).toBe(true);
  }, 20_000);

  it('closes it when the session expires or the token is revoked, and keeps a live one open', async () => {
    const kept = await signIn(demoEmail('backoffice', 'comune-napoli'));
    const expiring = await signIn(demoEmail('responsabile', 'comune-napoli'));
    const token = await tokenWith('notifications');
    const open = (headers: Record<string, string>) => fetch(`${base}/api/v1/notifications/stream`, { headers });
    const [keptStream, expiringStream, tokenStream] = await Promise.all([open({ cookie: kept.cookie }), open({ cookie: expiring.cookie }), open(token.auth)]);
    expect([keptStream.status, expiringStream.status, tokenStream.status]).toEqual([200, 200, 200]);
    const responsabile = await t.database.db.selectFrom('users').select('id').where('email', '=', demoEmail('responsabile', 'comune-napoli')).executeTakeFirstOrThrow();
    await t.database.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', responsabile.id).execute();
    expect((await operator.delete(`/api/v1/me/tokens/${token.id}`)).statusCode).toBe(204);
    const [expiredEnded, revokedEnded, keptEnded] = await Promise.all([endsWithin(expiringStream.body!, 8000), endsWithin(tokenStream.body!, 8000), endsWithin(keptStream.body!, 5000)]);
    expect({ expiredEnded, revokedEnded, keptEnded }).toEqual({ expiredEnded: true, revokedEnded: true, keptEnded: false });
  }, 30_000);
});
