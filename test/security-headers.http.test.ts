import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { buildTestApp, DEMO_PASSWORD, demoEmail, login, type TestApp } from './helpers/test-app.js';

/** Browser-facing hardening: security headers on every response, Secure cookies behind https. */
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

function expectSecurityHeaders(headers: Record<string, unknown> | Headers, what: string) {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : (headers[name] as string | undefined));
  const csp = get('content-security-policy') ?? '';
  expect(csp, what).toMatch(/(^|;\s*)script-src 'self'(;|$)/);
  expect(csp.split(';').find((d) => d.trim().startsWith('script-src')), what).not.toContain('unsafe-inline');
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(get('x-content-type-options'), what).toBe('nosniff');
  expect(get('referrer-policy'), what).toBe('same-origin');
}

describe('security headers', () => {
  it('are on every kind of response: success, problems, pages, docs, framework errors', async () => {
    const operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
    const responses = {
      health: await t.app.inject({ method: 'GET', url: '/healthz' }),
      api: await operator.get('/api/v1/tickets'),
      unauthorised: await t.app.inject({ method: 'GET', url: '/api/v1/tickets' }),
      badToken: await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: { authorization: 'Bearer urp_nope' } }),
      validation: await operator.post('/api/v1/tickets', { subject: 1 }),
      notFound: await t.app.inject({ method: 'GET', url: '/api/v1/nessuna-rotta' }),
      page: await t.app.inject({ method: 'GET', url: '/ticket/qualcosa' }),
      openapi: await t.app.inject({ method: 'GET', url: '/api/openapi.json' }),
      docs: await t.app.inject({ method: 'GET', url: '/api/docs/' }),
      badUrl: await t.app.inject({ method: 'GET', url: '/api/v1/tickets/%E0%A4%A' }),
    };
    for (const [what, res] of Object.entries(responses)) expectSecurityHeaders(res.headers, `${what} (${res.statusCode})`);
    expect(responses.docs.statusCode).toBe(200);
  });

  it('are on the notification stream, which writes its own head', async () => {
    const server = await buildApp({ config: t.config, database: t.database, events: t.events, logger: false });
    try {
      await server.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
      const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: demoEmail('backoffice', 'comune-celano'), password: DEMO_PASSWORD }) });
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const controller = new AbortController();
      const stream = await fetch(`${base}/api/v1/notifications/stream`, { headers: { cookie }, signal: controller.signal });
      expect(stream.status).toBe(200);
      expectSecurityHeaders(stream.headers, 'stream');
      controller.abort();
    } finally {
      await server.close();
    }
  });
});

describe('cookies behind https', () => {
  let secureApp: FastifyInstance;
  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: t.config.dataDir, URPNET_SECRET: t.config.secret, BASE_URL: 'HTTPS://urp.example.it', LOG_LEVEL: 'silent' });
    secureApp = await buildApp({ config: { ...t.config, baseUrl: config.baseUrl, secureCookies: config.secureCookies }, database: t.database, events: t.events, logger: false });
    await secureApp.ready();
  });
  afterAll(async () => {
    await secureApp?.close();
  });

  it('are Secure when BASE_URL is https, set and cleared alike; not on plain http', async () => {
    const res = await secureApp.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: demoEmail('operatore', 'comune-celano'), password: DEMO_PASSWORD } });
    const cookie = res.cookies.find((c) => c.name === 'urpnet_session');
    expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
    const logout = await secureApp.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: `urpnet_session=${cookie?.value}`, 'x-csrf-token': res.json().csrfToken } });
    expect(logout.statusCode).toBe(204);
    expect(logout.cookies.find((c) => c.name === 'urpnet_session')).toMatchObject({ secure: true });
    const plain = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: demoEmail('operatore', 'comune-celano'), password: DEMO_PASSWORD } });
    expect(plain.cookies.find((c) => c.name === 'urpnet_session')?.secure).not.toBe(true);
  });
});
