import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNetwork, renewSetupToken } from '../src/modules/identity/index.js';
import { buildTestApp, login, type TestApp } from './helpers/test-app.js';

/**
 * The first run of a real network (issue 11): an empty database (URPNET_SEED_DEMO=false) has no way
 * in until the first-run page, guarded by the setup token, or `urpnet network init` creates the
 * network and its first coordinator.
 */
let t: TestApp;

const setupBody = (token: string, overrides: Record<string, unknown> = {}) => ({
  token,
  networkName: 'Rete URP Regione Abruzzo',
  organisation: { name: 'Regione Abruzzo', ipaCode: 'r_abruzz', type: 'regione' },
  coordinator: { name: 'Anna Coordinatrice', email: 'anna@regione.abruzzo.it', password: 'una-password-lunga', locale: 'it' },
  ...overrides,
});
const post = (url: string, payload: object, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload, headers });

beforeAll(async () => {
  t = await buildTestApp({ URPNET_SEED_DEMO: 'false' });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('first run from the web page', () => {
  it('is open while no coordinator exists, refuses a wrong token, creates the network once, then closes', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ required: true, networkName: null });
    const first = await renewSetupToken(t.database.db, t.config.secret);
    const token = await renewSetupToken(t.database.db, t.config.secret);
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(token).not.toBe(first);

    // An earlier token stops working when the server renews it at start-up; a made-up one never works.
    for (const wrong of [first!, 'indovinato']) {
      const refused = await post('/api/v1/setup', setupBody(wrong));
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('setup.invalid_token');
    }
    const weak = await post('/api/v1/setup', setupBody(token!, { coordinator: { name: 'Anna', email: 'anna@regione.abruzzo.it', password: 'corta' } }));
    expect(weak.statusCode).toBe(422);
    expect(weak.json().code).toBe('user.weak_password');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/setup' })).json().required).toBe(true);

    const created = await post('/api/v1/setup', setupBody(token!), { 'accept-language': 'en' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({ email: 'anna@regione.abruzzo.it' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ required: false, networkName: 'Rete URP Regione Abruzzo' });

    const reused = await post('/api/v1/setup', setupBody(token!, { coordinator: { name: 'Intruso', email: 'intruso@example.org', password: 'una-password-lunga' } }));
    expect(reused.statusCode).toBe(409);
    expect(reused.json().code).toBe('setup.already_done');
    expect(await renewSetupToken(t.database.db, t.config.secret)).toBeNull();

    const anna = await login(t.app, 'anna@regione.abruzzo.it', 'una-password-lunga');
    const session = (await anna.get('/api/v1/auth/session')).json();
    expect(session.memberships.map((m: { role: string; organisationName: string }) => `${m.role}@${m.organisationName}`).sort()).toEqual(['network_coordinator@Regione Abruzzo', 'org_admin@Regione Abruzzo']);
    // The coordinator can now build the network: a first member body.
    const body = await anna.post('/api/v1/organisations', { slug: 'comune-di-pescara', name: 'Comune di Pescara', type: 'comune', ipaCode: 'c_g482' });
    expect(body.statusCode, body.body).toBe(201);
  });
});

describe('first run from the command line, and the one-time link', () => {
  it('refuses a second network, and the link sets the password once, before it expires', async () => {
    const init = (email: string) =>
      t.database.db.transaction().execute((trx) =>
        initNetwork(trx, t.config.secret, {
          networkName: 'Altra rete', organisation: { name: 'Altro ente', ipaCode: null, type: 'altro' },
          coordinator: { email, name: 'Bruno', password: null, locale: 'it' },
        }, new Date()),
      );
    await expect(init('bruno@example.org')).rejects.toMatchObject({ code: 'setup.already_done' });
    // Nothing of the refused attempt stays behind.
    const ghost = await t.database.db.selectFrom('users').select('id').where('email', '=', 'bruno@example.org').executeTakeFirst();
    expect(ghost).toBeUndefined();
  });

  it('sets a first password through the link: once, not after it expires, never for a made-up token', async () => {
    // A second, fresh empty network for the command-line path.
    const other = await buildTestApp({ URPNET_SEED_DEMO: 'false' });
    try {
      const created = await other.database.db.transaction().execute((trx) =>
        initNetwork(trx, other.config.secret, {
          networkName: 'Rete URP Regione Molise', organisation: { name: 'Regione Molise', ipaCode: null, type: 'regione' },
          coordinator: { email: 'carla@regione.molise.it', name: 'Carla', password: null, locale: 'it' },
        }, new Date()),
      );
      expect(created.passwordToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(created.passwordTokenExpiresAt!.getTime() - Date.now()).toBeGreaterThan(71 * 3_600_000);
      // No password yet: no way in.
      const noPassword = await other.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'carla@regione.molise.it', password: 'qualunque-cosa' } });
      expect(noPassword.statusCode).toBe(401);

      const setPassword = (token: string, password = 'password-di-carla') => other.app.inject({ method: 'POST', url: '/api/v1/auth/password-link', payload: { token, password } });
      expect((await setPassword('inventato')).json().code).toBe('auth.password_link_invalid');
      expect((await setPassword(created.passwordToken!, 'corta')).json().code).toBe('user.weak_password');
      const ok = await setPassword(created.passwordToken!);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toEqual({ email: 'carla@regione.molise.it' });
      const again = await setPassword(created.passwordToken!, 'altra-password-lunga');
      expect(again.statusCode).toBe(410);
      expect(again.json().code).toBe('auth.password_link_invalid');
      await login(other.app, 'carla@regione.molise.it', 'password-di-carla');

      // An expired link: issued in the past.
      const { issuePasswordToken } = await import('../src/modules/identity/network-setup.js');
      const carla = await other.database.db.selectFrom('users').select('id').where('email', '=', 'carla@regione.molise.it').executeTakeFirstOrThrow();
      const old = await other.database.db.transaction().execute((trx) => issuePasswordToken(trx, other.config.secret, carla.id, 'reset', 1, new Date(Date.now() - 2 * 3_600_000)));
      const expired = await setPassword(old.token, 'nuova-password-lunga');
      expect(expired.statusCode).toBe(410);
    } finally {
      await other.close();
    }
  }, 120_000);
});

describe('two first runs at once', () => {
  it('lets exactly one of them create the network', async () => {
    const fresh = await buildTestApp({ URPNET_SEED_DEMO: 'false' });
    try {
      const token = (await renewSetupToken(fresh.database.db, fresh.config.secret))!;
      const attempt = (email: string) => fresh.app.inject({ method: 'POST', url: '/api/v1/setup', payload: setupBody(token, { coordinator: { name: 'Persona', email, password: 'una-password-lunga' } }) });
      const answers = await Promise.all([attempt('uno@example.org'), attempt('due@example.org'), attempt('tre@example.org')]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409]);
      // Refused as «already set up», not by some unique index half-way through.
      expect(answers.filter((a) => a.statusCode === 409).map((a) => a.json().code)).toEqual(['setup.already_done', 'setup.already_done']);
      const coordinators = await fresh.database.db.selectFrom('role_grants').select('user_id').where('role', '=', 'network_coordinator').execute();
      expect(coordinators).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  }, 120_000);
});
