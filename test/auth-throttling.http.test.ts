import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { addressKey } from '../src/platform/client-address.js';
import { buildTestApp, DEMO_PASSWORD, demoEmail, login, type TestApp } from './helpers/test-app.js';

/**
 * Login throttling and rate limits cannot be reset by the client: not by rotating X-Forwarded-For,
 * not by a fresh cookie per request, not by sending guesses in parallel, not by failing auth.
 */
let t: TestApp;
const extraApps: FastifyInstance[] = [];

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  for (const app of extraApps) await app.close();
  await t?.close();
});

/** Another app instance over the same database, with a different configuration. */
async function appWith(overrides: Partial<typeof t.config>): Promise<FastifyInstance> {
  const app = await buildApp({ config: Object.freeze({ ...t.config, ...overrides }), database: t.database, events: t.events, logger: false });
  await app.ready();
  extraApps.push(app);
  return app;
}

const randomIp = () => `198.51.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

function attempt(app: FastifyInstance, email: string, password: string, options: Partial<InjectOptions> = {}) {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, ...options });
}

describe('login throttling', () => {
  it('locks an account after 5 failures even when every guess claims another X-Forwarded-For', async () => {
    const email = demoEmail('operatore', 'comune-napoli');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await attempt(t.app, email, `sbagliata-${i}`, { remoteAddress: '203.0.113.10', headers: { 'x-forwarded-for': randomIp() } });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const right = await attempt(t.app, email, DEMO_PASSWORD, { remoteAddress: '203.0.113.10' });
    expect(right.statusCode).toBe(429);
    expect(right.json().code).toBe('auth.throttled');
  });

  it('locks an account whatever the address the guesses come from', async () => {
    const email = demoEmail('backoffice', 'comune-napoli');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await attempt(t.app, email, `sbagliata-${i}`, { remoteAddress: randomIp() })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect((await attempt(t.app, email, DEMO_PASSWORD, { remoteAddress: '203.0.113.99' })).statusCode).toBe(429);
  });

  it('evaluates at most 5 of 20 wrong passwords sent at once', async () => {
    const email = demoEmail('responsabile', 'comune-napoli');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(t.app, email, `parallela-${i}`, { remoteAddress: '203.0.113.20' })));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect(results.filter((r) => r.statusCode === 429).every((r) => r.json().code === 'auth.throttled')).toBe(true);
  });

  it('limits failures per address across accounts, and a success does not reset it', async () => {
    const address = '203.0.113.30';
    await login(t.app, demoEmail('operatore', 'comune-salerno'));
    for (let i = 0; i < 20; i++) {
      const res = await attempt(t.app, `nessuno-${i}@example.org`, 'x', { remoteAddress: address });
      expect(res.statusCode, `attempt ${i}`).toBe(401);
      if (i === 10) {
        // A correct login of another account from the same address gives back only its own attempt.
        expect((await attempt(t.app, demoEmail('backoffice', 'comune-salerno'), DEMO_PASSWORD, { remoteAddress: address })).statusCode).toBe(200);
      }
    }
    const blocked = await attempt(t.app, demoEmail('operatore', 'comune-salerno'), DEMO_PASSWORD, { remoteAddress: address });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // The account itself is not locked: from another address it logs in.
    expect((await attempt(t.app, demoEmail('operatore', 'comune-salerno'), DEMO_PASSWORD, { remoteAddress: '203.0.113.31' })).statusCode).toBe(200);
  });

  it('believes X-Forwarded-For only from a configured proxy', async () => {
    const proxied = await appWith({ trustProxy: ['127.0.0.1'] });
    const whoAmI = async (app: FastifyInstance, remoteAddress: string) => {
      const email = `spia-${randomBytes(4).toString('hex')}@example.org`;
      await attempt(app, email, 'x', { remoteAddress, headers: { 'x-forwarded-for': '192.0.2.77' } });
      const keys = await t.database.db.selectFrom('login_throttle').select('key').where('key', 'like', 'address:%').execute();
      return keys.map((k) => k.key);
    };
    expect(await whoAmI(proxied, '127.0.0.1')).toContain('address:192.0.2.77');
    await t.database.db.deleteFrom('login_throttle').where('key', '=', 'address:192.0.2.77').execute();
    // The same header from a peer that is not the configured proxy is ignored.
    const keys = await whoAmI(proxied, '203.0.113.40');
    expect(keys).toContain('address:203.0.113.40');
    expect(keys).not.toContain('address:192.0.2.77');
    // Without TRUST_PROXY nobody is believed.
    expect(await whoAmI(t.app, '127.0.0.1')).not.toContain('address:192.0.2.77');
  });
});

describe('rate-limit keys', () => {
  it('does not give the login route a fresh budget per cookie value', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) {
      const res = await t.app.inject({
        method: 'POST', url: '/api/v1/auth/login', payload: {}, remoteAddress: '203.0.113.50',
        headers: { cookie: `urpnet_session=${randomBytes(16).toString('hex')}`, 'x-forwarded-for': randomIp() },
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) expect(res.json().code).toBe('request.rate_limited');
    }
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429, 429, 429, 429]);
  });

  it('limits code guesses on the citizen status endpoint per address, whatever cookie or X-Forwarded-For', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 33; i++) {
      const res = await t.app.inject({
        method: 'GET', url: '/api/v1/portal/tickets/ABCD-EFGH-0', remoteAddress: '203.0.113.80',
        headers: { cookie: `urpnet_session=${randomBytes(16).toString('hex')}`, 'x-forwarded-for': randomIp() },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 30).every((s) => s === 400 || s === 404)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429, 429]);
    // Another address still has its budget.
    expect([400, 404]).toContain((await t.app.inject({ method: 'GET', url: '/api/v1/portal/tickets/ABCD-EFGH-0', remoteAddress: '203.0.113.81' })).statusCode);
  });

  it('counts requests rejected with 401 (bad bearer tokens, random cookies) against the address', async () => {
    const app = await appWith({ rateLimitPerMinute: 10 });
    const bearer: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await app.inject({ method: 'GET', url: '/api/v1/tickets', remoteAddress: '203.0.113.60', headers: { authorization: `Bearer urp_${randomBytes(12).toString('hex')}` } });
      bearer.push(res.statusCode);
    }
    expect(bearer).toEqual([...Array(10).fill(401), 429, 429]);
    const cookies: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await app.inject({ method: 'GET', url: '/api/v1/tickets', remoteAddress: '203.0.113.61', headers: { cookie: `urpnet_session=${randomBytes(16).toString('hex')}` } });
      cookies.push(res.statusCode);
    }
    expect(cookies).toEqual([...Array(10).fill(401), 429, 429]);
  });

  it('keys an authenticated caller by identity, not by address', async () => {
    const app = await appWith({ rateLimitPerMinute: 10 });
    const session = (await attempt(app, demoEmail('operatore', 'comune-celano'), DEMO_PASSWORD, { remoteAddress: '203.0.113.70' })).cookies.find((c) => c.name === 'urpnet_session')!;
    const call = (remoteAddress: string) => app.inject({ method: 'GET', url: '/api/v1/tickets', remoteAddress, headers: { cookie: `urpnet_session=${session.value}` } });
    const statuses: number[] = [];
    // The same user from rotating addresses shares one budget.
    for (let i = 0; i < 11; i++) statuses.push((await call(randomIp())).statusCode);
    expect(statuses).toEqual([...Array(10).fill(200), 429]);
    // Another caller at the first address is not affected.
    expect((await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.70' })).statusCode).toBe(200);
  });
});

describe('TRUST_PROXY and address keys', () => {
  it('is off by default and takes a list of addresses or CIDRs', () => {
    const base = { DATA_DIR: t.config.dataDir, URPNET_SECRET: t.config.secret };
    expect(loadConfig(base).trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.5, 192.168.0.0/16,::1,loopback' }).trustProxy).toEqual(['10.0.0.5', '192.168.0.0/16', '::1', 'loopback']);
    for (const bad of ['true', '10.0.0.0/33', 'proxy.example.org', '10.0.0.1/8/2']) {
      expect(() => loadConfig({ ...base, TRUST_PROXY: bad }), bad).toThrow(ConfigError);
    }
  });

  it('keys an IPv6 client by its /64 and an IPv4-mapped address as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::5')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
  });
});
