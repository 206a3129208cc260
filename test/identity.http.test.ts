import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, grantRole } from '../src/modules/identity/index.js';
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
    expect(bad.json().errors[0].message).toContain("l'apertura (13:00) deve precedere la chiusura (09:00)");
    const badEn = await supervisor.patch(`/api/v1/offices/${supervisor.officeId}`, { calendar: { ...calendar, weekly: { tue: [{ open: '13:00', close: '09:00' }] } } }, { 'accept-language': 'en' });
    expect(badEn.json()).toMatchObject({ code: 'office.invalid_calendar', errors: [{ path: 'calendar', message: 'weekly.tue[0]: the opening (13:00) must come before the closing (09:00).' }] });
    expect(badEn.json().detail).toBe('Invalid opening hours: weekly.tue[0]: the opening (13:00) must come before the closing (09:00).');
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

describe('cross-organisation account takeover (issue 9, point 2)', () => {
  it("refuses Napoli's admin a role on Celano's admin, and then every read, rename, deactivation and password reset of that account", async () => {
    const napoliAdmin = await login(t.app, demoEmail('admin', 'comune-napoli'));
    const celanoAdmin = await login(t.app, demoEmail('admin', 'comune-celano'));
    const ticket = (await operator.post('/api/v1/tickets', ticketInput(operator))).json();
    // User ids are visible network-wide (a FAQ's ownerUser, for example): the attacker knows this one.
    const grant = await napoliAdmin.post(`/api/v1/users/${celanoAdmin.userId}/roles`, { role: 'operator', organisationId: napoliAdmin.organisationId });
    expect(grant.statusCode, grant.body).toBe(403);
    expect(grant.json().code).toBe('role.not_member');
    const orgAdminGrant = await napoliAdmin.post(`/api/v1/users/${celanoAdmin.userId}/roles`, { role: 'org_admin', organisationId: napoliAdmin.organisationId });
    expect(orgAdminGrant.statusCode).toBe(403);

    const read = await napoliAdmin.get(`/api/v1/users/${celanoAdmin.userId}`);
    expect(read.statusCode).toBe(404);
    expect(read.json().code).toBe('user.not_found');
    for (const patch of [{ name: 'Account preso' }, { active: false }, { password: 'password-scelta-da-napoli' }]) {
      const res = await napoliAdmin.patch(`/api/v1/users/${celanoAdmin.userId}`, patch);
      expect(res.statusCode, JSON.stringify(patch)).toBe(404);
    }
    const napoliUsers = (await napoliAdmin.get(`/api/v1/users?organisationId=${napoliAdmin.organisationId}`)).json().items as { id: string }[];
    expect(napoliUsers.map((u) => u.id)).not.toContain(celanoAdmin.userId);

    // The account is untouched: same name, still active, the attacker's password does not open it.
    const self = await celanoAdmin.get(`/api/v1/users/${celanoAdmin.userId}`);
    expect(self.statusCode).toBe(200);
    expect(self.json().name).not.toBe('Account preso');
    expect(self.json().active).toBe(true);
    expect(self.json().roles.map((r: { organisationId: string }) => r.organisationId)).toEqual([celanoAdmin.organisationId]);
    const hijack = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: demoEmail('admin', 'comune-celano'), password: 'password-scelta-da-napoli' } });
    expect(hijack.statusCode).toBe(401);
    expect((await celanoAdmin.get('/api/v1/auth/session')).statusCode).toBe(200);

    // Celano's data stay unreadable to Napoli's admin.
    expect([403, 404]).toContain((await napoliAdmin.get(`/api/v1/tickets/${ticket.code}`)).statusCode);
    expect([403, 404]).toContain((await napoliAdmin.get(`/api/v1/tickets/${ticket.code}/messages`)).statusCode);
    expect((await napoliAdmin.get(`/api/v1/users?organisationId=${celanoAdmin.organisationId}`)).statusCode).toBe(403);
  });

  it('lets a user join another body only by accepting its invitation; the inviting body then manages the membership, not the account', async () => {
    const napoliAdmin = await login(t.app, demoEmail('admin', 'comune-napoli'));
    const napoliOperator = await login(t.app, demoEmail('operatore', 'comune-napoli'));
    const guest = await login(t.app, demoEmail('backoffice', 'comune-celano'));
    const napoliOffice = napoliOperator.officeId;

    const invite = await napoliAdmin.post(`/api/v1/organisations/${napoliAdmin.organisationId}/invitations`,
      { email: demoEmail('backoffice', 'comune-celano').toUpperCase(), role: 'back_office', officeId: napoliOffice }, { 'idempotency-key': 'invite-guest-0001' });
    expect(invite.statusCode, invite.body).toBe(201);
    expect(invite.json()).toMatchObject({ status: 'pending', role: 'back_office', officeId: napoliOffice, organisationId: napoliAdmin.organisationId });
    const replay = await napoliAdmin.post(`/api/v1/organisations/${napoliAdmin.organisationId}/invitations`,
      { email: demoEmail('backoffice', 'comune-celano').toUpperCase(), role: 'back_office', officeId: napoliOffice }, { 'idempotency-key': 'invite-guest-0001' });
    expect(replay.json().id).toBe(invite.json().id);
    const twice = await napoliAdmin.post(`/api/v1/organisations/${napoliAdmin.organisationId}/invitations`, { email: demoEmail('backoffice', 'comune-celano'), role: 'operator' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('invitation.pending_exists');
    // Only the body's own administrators invite into it.
    const foreign = await admin.post(`/api/v1/organisations/${napoliAdmin.organisationId}/invitations`, { email: 'chiunque@example.org', role: 'operator' });
    expect(foreign.statusCode).toBe(403);
    expect((await admin.get(`/api/v1/organisations/${napoliAdmin.organisationId}/invitations`)).statusCode).toBe(403);
    expect((await napoliAdmin.get(`/api/v1/organisations/${napoliAdmin.organisationId}/invitations`)).json().items.map((i: { id: string }) => i.id)).toContain(invite.json().id);

    // Until the user accepts, a grant is still refused.
    const early = await napoliAdmin.post(`/api/v1/users/${guest.userId}/roles`, { role: 'operator', organisationId: napoliAdmin.organisationId, officeId: napoliOffice });
    expect(early.json().code).toBe('role.not_member');

    // Only the addressee sees and answers the invitation, and only from a session.
    expect((await operator.get('/api/v1/me/invitations')).json().items).toEqual([]);
    expect((await operator.post(`/api/v1/me/invitations/${invite.json().id}/accept`)).statusCode).toBe(404);
    const token = (await guest.post('/api/v1/me/tokens', { name: 'crm', scopes: ['tickets:read', 'tickets:write'] })).json();
    const byToken = await t.app.inject({ method: 'POST', url: `/api/v1/me/invitations/${invite.json().id}/accept`, headers: { authorization: `Bearer ${token.secret}` } });
    expect(byToken.statusCode).toBe(403);
    const mine = (await guest.get('/api/v1/me/invitations')).json().items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: invite.json().id, organisationName: 'Comune di Napoli', role: 'back_office' });
    const accepted = await guest.post(`/api/v1/me/invitations/${invite.json().id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().status).toBe('accepted');
    expect((await guest.post(`/api/v1/me/invitations/${invite.json().id}/accept`)).statusCode).toBe(409);
    const session = (await guest.get('/api/v1/auth/session')).json();
    expect(session.memberships).toEqual(expect.arrayContaining([expect.objectContaining({ role: 'back_office', organisationName: 'Comune di Napoli', officeId: napoliOffice })]));

    // Napoli now manages the membership: it sees the user, with Napoli's roles only, and grants more roles…
    const seen = await napoliAdmin.get(`/api/v1/users/${guest.userId}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().roles.map((r: { organisationId: string }) => r.organisationId)).toEqual([napoliAdmin.organisationId]);
    const more = await napoliAdmin.post(`/api/v1/users/${guest.userId}/roles`, { role: 'operator', organisationId: napoliAdmin.organisationId, officeId: napoliOffice });
    expect(more.statusCode, more.body).toBe(201);
    expect((await napoliAdmin.delete(`/api/v1/users/${guest.userId}/roles/${more.json().id}`)).statusCode).toBe(204);
    // …but the account stays with the body that created it.
    for (const patch of [{ name: 'Rinominato da Napoli' }, { active: false }, { password: 'password-scelta-da-napoli' }]) {
      const res = await napoliAdmin.patch(`/api/v1/users/${guest.userId}`, patch);
      expect(res.statusCode, JSON.stringify(patch)).toBe(403);
      expect(res.json().code).toBe('user.not_account_owner');
    }
    expect((await admin.patch(`/api/v1/users/${guest.userId}`, { name: 'Nome aggiornato da Celano' })).statusCode).toBe(200);
    // Celano does not see or revoke the roles Napoli gave.
    const fromCelano = (await admin.get(`/api/v1/users/${guest.userId}`)).json();
    expect(fromCelano.roles.every((r: { organisationId: string }) => r.organisationId === admin.organisationId)).toBe(true);
  });

  it('lets the user decline, the inviting body revoke, and a network coordinator add a member directly', async () => {
    const napoliAdmin = await login(t.app, demoEmail('admin', 'comune-napoli'));
    const invitedEmail = demoEmail('responsabile', 'comune-celano');
    const first = (await napoliAdmin.post(`/api/v1/organisations/${napoliAdmin.organisationId}/invitations`, { email: invitedEmail, role: 'supervisor' })).json();
    const declined = await supervisor.post(`/api/v1/me/invitations/${first.id}/decline`);
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json().status).toBe('declined');
    expect((await napoliAdmin.post(`/api/v1/users/${supervisor.userId}/roles`, { role: 'supervisor', organisationId: napoliAdmin.organisationId })).statusCode).toBe(403);

    const second = (await napoliAdmin.post(`/api/v1/organisations/${napoliAdmin.organisationId}/invitations`, { email: invitedEmail, role: 'supervisor' })).json();
    expect((await admin.delete(`/api/v1/invitations/${second.id}`)).statusCode).toBe(404);
    expect((await napoliAdmin.delete(`/api/v1/invitations/${second.id}`)).statusCode).toBe(204);
    expect((await supervisor.get('/api/v1/me/invitations')).json().items).toEqual([]);
    expect((await supervisor.post(`/api/v1/me/invitations/${second.id}/accept`)).statusCode).toBe(409);

    const coordinator = await login(t.app, demoEmail('coordinatore'));
    const direct = await coordinator.post(`/api/v1/users/${supervisor.userId}/roles`, { role: 'analyst', organisationId: napoliAdmin.organisationId });
    expect(direct.statusCode, direct.body).toBe(201);
    // Once a member, Napoli's admin manages that membership too.
    expect((await napoliAdmin.get(`/api/v1/users/${supervisor.userId}`)).statusCode).toBe(200);
  });

  it('makes an account created by the command line (no home yet) belong to the organisation of its first role', async () => {
    const user = await t.database.db.transaction().execute(async (trx) => {
      const u = await createUser(trx, { email: 'anna.cli@comune.celano.aq.it', name: 'Anna Riga', password: 'password-da-riga-di-comando', locale: 'it' });
      await grantRole(trx, null, { userId: u.id, role: 'operator', organisationId: admin.organisationId, officeId: null });
      return u;
    });
    expect((await admin.patch(`/api/v1/users/${user.id}`, { name: 'Anna Riga Neri' })).statusCode).toBe(200);
    const napoliAdmin = await login(t.app, demoEmail('admin', 'comune-napoli'));
    expect((await napoliAdmin.get(`/api/v1/users/${user.id}`)).statusCode).toBe(404);
  });
});
