import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, DEMO_PASSWORD, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

let t: TestApp;
let admin: Client;
let supervisor: Client;
let operator: Client;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await login(t.app, demoEmail('admin', 'comune-celano'));
  supervisor = await login(t.app, demoEmail('responsabile', 'comune-celano'));
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
});
afterAll(async () => {
  await t?.close();
});

describe('authentication', () => {
  it('rejects wrong passwords without saying which part was wrong, then throttles', async () => {
    const email = demoEmail('operatore', 'comune-salerno');
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nessuno@example.org', password: 'x' } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().code).toBe('auth.invalid_credentials');
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: 'sbagliata' } });
      expect(res.statusCode).toBe(401);
    }
    const locked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('auth.throttled');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('sets an httpOnly SameSite session cookie and requires the CSRF token on cookie writes', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: demoEmail('operatore', 'comune-celano'), password: DEMO_PASSWORD } });
    const cookie = res.cookies.find((c) => c.name === 'urpnet_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { cookie: `urpnet_session=${cookie.value}` }, payload: ticketInput(operator) });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('auth.csrf');
    const session = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: `urpnet_session=${cookie.value}` } });
    expect(session.json().memberships[0]).toMatchObject({ role: 'operator', organisationName: 'Comune di Celano' });
    const logout = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: `urpnet_session=${cookie.value}`, 'x-csrf-token': res.json().csrfToken } });
    expect(logout.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: `urpnet_session=${cookie.value}` } });
    expect(after.statusCode).toBe(401);
  });

  it('creates, uses and revokes API tokens, stored only as hashes', async () => {
    const created = await operator.post('/api/v1/me/tokens', { name: 'CRM integrazione', scopes: ['tickets:read', 'tickets:write'], expiresInDays: 30 });
    expect(created.statusCode).toBe(201);
    const { id, secret } = created.json();
    expect(secret).toMatch(/^urp_/);
    const stored = await t.database.db.selectFrom('api_tokens').select(['token_hash']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(secret);
    const bearer = { authorization: `Bearer ${secret}` };
    const made = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: bearer, payload: ticketInput(operator) });
    expect(made.statusCode).toBe(201);
    const listed = (await operator.get('/api/v1/me/tokens')).json().items;
    expect(listed.map((x: { id: string }) => x.id)).toContain(id);
    expect(listed[0].secret).toBeUndefined();
    expect((await operator.delete(`/api/v1/me/tokens/${id}`)).statusCode).toBe(204);
    const revoked = await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().code).toBe('auth.invalid_token');
    const garbage = await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: { authorization: 'Basic abc' } });
    expect(garbage.json().code).toBe('auth.malformed_authorization');
  });
});

describe('administration of the organisation', () => {
  it('lets the org admin create a user with a role, who can then log in and work', async () => {
    const res = await admin.post('/api/v1/users', {
      email: 'nuovo.operatore@comune.celano.aq.it', name: 'Nuovo Operatore', password: 'una-password-lunga',
      roles: [{ role: 'operator', organisationId: admin.organisationId, officeId: operator.officeId }],
    }, { 'idempotency-key': 'create-user-0001' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().roles).toHaveLength(1);
    const again = await admin.post('/api/v1/users', { email: 'nuovo.operatore@comune.celano.aq.it', name: 'Altro', password: 'una-password-lunga', roles: [{ role: 'operator', organisationId: admin.organisationId }] });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('user.email_taken');
    const newbie = await login(t.app, 'nuovo.operatore@comune.celano.aq.it', 'una-password-lunga');
    expect((await newbie.post('/api/v1/tickets', ticketInput(newbie))).statusCode).toBe(201);
    const users = (await admin.get(`/api/v1/users?organisationId=${admin.organisationId}`)).json().items;
    expect(users.map((u: { email: string }) => u.email)).toContain('nuovo.operatore@comune.celano.aq.it');
    // Deactivation ends the sessions at once.
    expect((await admin.patch(`/api/v1/users/${newbie.userId}`, { active: false })).statusCode).toBe(200);
    expect((await newbie.get('/api/v1/tickets')).statusCode).toBe(401);
  });

  it('refuses role grants that make no sense', async () => {
    const orgWideOnOffice = await admin.post(`/api/v1/users/${operator.userId}/roles`, { role: 'analyst', organisationId: admin.organisationId, officeId: operator.officeId });
    expect(orgWideOnOffice.json().code).toBe('role.scope_invalid');
    const offices = (await admin.get('/api/v1/offices')).json().items as { id: string; organisationId: string }[];
    const foreignOffice = offices.find((o) => o.organisationId !== admin.organisationId)!;
    const outside = await admin.post(`/api/v1/users/${operator.userId}/roles`, { role: 'supervisor', organisationId: admin.organisationId, officeId: foreignOffice.id });
    expect(outside.json().code).toBe('role.office_outside_organisation');
    const coordinator = await admin.post(`/api/v1/users/${operator.userId}/roles`, { role: 'network_coordinator', organisationId: admin.organisationId });
    expect(coordinator.statusCode).toBe(403);
  });

  it('lets the supervisor set split-shift hours and closures, validated', async () => {
    const office = await supervisor.get(`/api/v1/offices/${supervisor.officeId}`);
    const calendar = {
      timeZone: 'Europe/Rome',
      weekly: { mon: [{ open: '08:30', close: '13:00' }, { open: '14:30', close: '17:00' }], wed: [{ open: '09:00', close: '12:00' }] },
      closures: [{ from: '2026-12-24', to: '2026-12-26', reason: 'Chiusura natalizia' }],
    };
    const ok = await supervisor.patch(`/api/v1/offices/${supervisor.officeId}`, { calendar }, { 'if-match': office.headers.etag as string });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().calendar.weekly.mon).toHaveLength(2);
    const bad = await supervisor.patch(`/api/v1/offices/${supervisor.officeId}`, { calendar: { ...calendar, weekly: { tue: [{ open: '13:00', close: '09:00' }] } } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('office.invalid_calendar');
    const stale = await supervisor.patch(`/api/v1/offices/${supervisor.officeId}`, { name: 'Nome' }, { 'if-match': office.headers.etag as string });
    expect(stale.statusCode).toBe(412);
    const byOperator = await operator.patch(`/api/v1/offices/${operator.officeId}`, { name: 'Nome' });
    expect(byOperator.statusCode).toBe(403);
  });

  it('lets the network coordinator add an organisation to the network', async () => {
    const coordinator = await login(t.app, demoEmail('coordinatore'));
    const body = { slug: 'comune-avezzano', name: 'Comune di Avezzano', type: 'comune', ipaCode: 'c_a515', istatCode: '066006', regionIstat: '13' };
    const res = await coordinator.post('/api/v1/organisations', body);
    expect(res.statusCode, res.body).toBe(201);
    const dup = await coordinator.post('/api/v1/organisations', { ...body, ipaCode: 'c_zzzz' });
    expect(dup.json().code).toBe('organisation.slug_taken');
    expect((await admin.post('/api/v1/organisations', { ...body, slug: 'altro' })).statusCode).toBe(403);
  });
});

describe('the demo network', () => {
  it('has the bodies of the founding document with real ISTAT codes and an URP each', async () => {
    const orgs = (await operator.get('/api/v1/organisations')).json().items as { name: string; istatCode: string | null; type: string }[];
    const byName = new Map(orgs.map((o) => [o.name, o]));
    expect(byName.get('Comune di Celano')?.istatCode).toBe('066032');
    expect(byName.get('Comune di Napoli')?.istatCode).toBe('063049');
    expect(byName.get('Regione Abruzzo')?.istatCode).toBe('13');
    expect(orgs.filter((o) => o.type === 'regione')).toHaveLength(6);
    expect(orgs.some((o) => o.type === 'ente_nazionale')).toBe(true);
    const offices = (await operator.get('/api/v1/offices')).json().items as { organisationId: string }[];
    // Every demo body has its URP (the coordinator test above adds one body without offices yet).
    expect(new Set(offices.map((o) => o.organisationId)).size).toBe(orgs.filter((o) => o.name !== 'Comune di Avezzano').length);
  });
});
