import { sql } from 'kysely';
import type { AddressInfo } from 'node:net';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeWaitingItems, routingSettled } from '../src/modules/routing/index.js';
import { erlangC } from '../src/platform/queueing/erlang.js';
import { openSse } from './helpers/sse.js';
import { buildTestApp, type Client, DEMO_PASSWORD, demoEmail, login, TEST_ENGINE, type TestApp, ticketInput } from './helpers/test-app.js';

/**
 * Routing over HTTP (issue 12): presence, offers and their answers, expiry and re-offer, overflow
 * to a partner body under an agreement, the CTI interface (duplicated and out-of-order events), the
 * wallboard, the Erlang calculator, and who may do what.
 */
let t: TestApp;
let operator: Client;
let supervisor: Client;
let napoliOperator: Client;
let napoliSupervisor: Client;
let celanoAdmin: Client;
let napoliAdmin: Client;
let celanoOffice: string;
let napoliOffice: string;
let ctiAuth: Record<string, string>;

const ALWAYS_OPEN = {
  timeZone: 'Europe/Rome',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]])),
  closures: [],
  observeNationalHolidays: false,
};
const NEVER_OPEN = { timeZone: 'Europe/Rome', weekly: {}, closures: [], observeNationalHolidays: false };

async function setCalendar(officeId: string, calendar: object) {
  await sql`update offices set calendar = ${JSON.stringify(calendar)}::jsonb where id = ${officeId}`.execute(t.database.db);
}

async function resetQueues() {
  const db = t.database.db;
  await sql`update routing_offers set status = 'withdrawn' where status = 'pending'`.execute(db);
  await sql`update work_items set status = 'cancelled' where status in ('waiting', 'offered', 'assigned')`.execute(db);
  await sql`update operator_states set presence = 'offline', load = '{}'::jsonb, free_channels = '{phone,callback,chat,email,web}'`.execute(db);
  await sql`update network_agreements set status = 'revoked' where kinds ? 'overflow'`.execute(db);
}

const me = async (c: Client) => (await c.get('/api/v1/routing/me')).json();

/** Requests answer before the routing pass they start is over: the helpers wait for it. */
function settling(c: Client): Client {
  const wait = <T>(p: Promise<T>) => p.then(async (r) => {
    await routingSettled(t.app);
    return r;
  });
  return { ...c, post: (...a) => wait(c.post(...a)), put: (...a) => wait(c.put(...a)), delete: (...a) => wait(c.delete(...a)), patch: (...a) => wait(c.patch(...a)) };
}

/** The live status of an item, as the office's supervisors see it. */
const statusOf = async (id: string) => {
  const items = (await supervisor.get(`/api/v1/routing/queue?officeId=${celanoOffice}`)).json().items as { id: string; status: string }[];
  return items.find((i) => i.id === id)?.status ?? 'gone';
};

beforeAll(async () => {
  t = await buildTestApp();
  operator = settling(await login(t.app, demoEmail('operatore', 'comune-celano')));
  supervisor = settling(await login(t.app, demoEmail('responsabile', 'comune-celano')));
  napoliOperator = settling(await login(t.app, demoEmail('operatore', 'comune-napoli')));
  napoliSupervisor = settling(await login(t.app, demoEmail('responsabile', 'comune-napoli')));
  celanoAdmin = settling(await login(t.app, demoEmail('admin', 'comune-celano')));
  napoliAdmin = settling(await login(t.app, demoEmail('admin', 'comune-napoli')));
  celanoOffice = operator.officeId;
  napoliOffice = napoliOperator.officeId;
  await setCalendar(celanoOffice, ALWAYS_OPEN);
  await setCalendar(napoliOffice, ALWAYS_OPEN);
  const token = (await supervisor.post('/api/v1/me/tokens', { name: 'centralino', scopes: ['cti'] })).json();
  ctiAuth = { authorization: `Bearer ${token.secret}` };
});
afterAll(async () => {
  await t?.close();
});

describe('presence and offers', () => {
  it('an available operator is offered a queued contact, accepts it and completes it', async () => {
    await resetQueues();
    const presence = await operator.put('/api/v1/routing/me/presence', { presence: 'available' });
    expect(presence.statusCode, presence.body).toBe(200);
    expect(presence.json().state).toMatchObject({ presence: 'available', officeId: celanoOffice });

    const queued = await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'chat', subject: 'Orari della biblioteca' });
    expect(queued.statusCode, queued.body).toBe(201);
    const item = queued.json();
    expect(await statusOf(item.id)).toBe('offered');

    const view = await me(operator);
    expect(view.offers).toHaveLength(1);
    expect(view.offers[0].item.id).toBe(item.id);
    expect(view.state.load.chat).toBe(1);

    const accepted = await operator.post(`/api/v1/routing/offers/${view.offers[0].offer.id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().item).toMatchObject({ status: 'assigned', assignedTo: operator.userId, outcome: 'answered' });
    // Accepting twice: the offer is closed.
    const again = await operator.post(`/api/v1/routing/offers/${view.offers[0].offer.id}/accept`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('routing.offer_closed');

    const done = await operator.post(`/api/v1/routing/items/${item.id}/complete`, {});
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('completed');
    expect((await me(operator)).state.load.chat).toBe(0);
  });

  it('an accepted contact with a ticket assigns the ticket to the operator of the owning office', async () => {
    await resetQueues();
    await operator.put('/api/v1/routing/me/presence', { presence: 'available' });
    const ticket = (await supervisor.post('/api/v1/tickets', ticketInput(supervisor, { channel: 'web' }))).json();
    await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'web', ticketId: ticket.id });
    const offer = (await me(operator)).offers[0].offer;
    await operator.post(`/api/v1/routing/offers/${offer.id}/accept`);
    expect((await operator.get(`/api/v1/tickets/${ticket.code}`)).json().assignee?.id).toBe(operator.userId);
  });

  it('a declined contact goes to another operator, and back to the one who declined only once the refusal has lapsed', async () => {
    await resetQueues();
    await operator.put('/api/v1/routing/me/presence', { presence: 'available' });
    const item = (await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'email', subject: 'Tassa rifiuti' })).json();
    const offer = (await me(operator)).offers[0].offer;
    expect((await operator.post(`/api/v1/routing/offers/${offer.id}/decline`)).statusCode).toBe(204);
    expect((await me(operator)).offers).toHaveLength(0);
    // The supervisor signs in: the contact reaches them.
    await supervisor.put('/api/v1/routing/me/presence', { presence: 'available' });
    const theirs = (await me(supervisor)).offers;
    expect(theirs.map((o: { item: { id: string } }) => o.item.id)).toEqual([item.id]);
    // The supervisor declines too: nobody left; two minutes later the refusals lapse and it comes back.
    await supervisor.post(`/api/v1/routing/offers/${theirs[0].offer.id}/decline`);
    expect(await statusOf(item.id)).toBe('waiting');
    await sql`update work_items set refused_at = now() - interval '3 minutes' where id = ${item.id}`.execute(t.database.db);
    await t.jobs.send('routing.sweep', {});
    await t.jobs.runDue();
    expect(await statusOf(item.id)).toBe('offered');
  });

  it('an offer left unanswered expires and is offered again; accepting it late is refused', async () => {
    await resetQueues();
    await operator.put('/api/v1/routing/me/presence', { presence: 'available' });
    const item = (await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'web' })).json();
    const offer = (await me(operator)).offers[0].offer;
    await sql`update routing_offers set expires_at = now() - interval '1 second' where id = ${offer.id}`.execute(t.database.db);
    await supervisor.put('/api/v1/routing/me/presence', { presence: 'available' });
    await t.jobs.send('routing.sweep', {});
    await t.jobs.runDue();
    const late = await operator.post(`/api/v1/routing/offers/${offer.id}/accept`);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('routing.offer_closed');
    const theirs = (await me(supervisor)).offers;
    expect(theirs.map((o: { item: { id: string } }) => o.item.id)).toEqual([item.id]);
    expect((await me(operator)).state.load.web ?? 0).toBe(0);
  });

  it('skills and capacity decide who gets what', async () => {
    await resetQueues();
    const profile = await supervisor.put(`/api/v1/routing/operators/${operator.userId}/profile`, {
      officeId: celanoOffice, topics: ['tributi'], languages: ['en'], channels: ['email'], capacity: { email: 2 }, extension: '201',
    });
    expect(profile.statusCode, profile.body).toBe(200);
    await operator.put('/api/v1/routing/me/presence', { presence: 'available' });
    const chat = (await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'chat' })).json();
    const other = (await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'email', topic: 'anagrafe' })).json();
    const english = (await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'email', topic: 'tributi.imu', language: 'en' })).json();
    const third = [1, 2].map(async () => (await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'email', topic: 'tributi' })).json());
    const [a, b] = await Promise.all(third);
    expect(await statusOf(chat.id)).toBe('waiting');
    expect(await statusOf(other.id)).toBe('waiting');
    expect(await statusOf(english.id)).toBe('offered');
    const offered = (await me(operator)).offers.map((o: { item: { id: string } }) => o.item.id);
    // Capacity 2 e-mails: the English one and one of the two others.
    expect(offered).toHaveLength(2);
    expect(offered).toContain(english.id);
    expect([a.id, b.id].filter((id) => offered.includes(id))).toHaveLength(1);
    await supervisor.put(`/api/v1/routing/operators/${operator.userId}/profile`, { officeId: celanoOffice, topics: [], languages: [], channels: [], capacity: {}, extension: '201' });
  });

  it('refuses presence to people who take no contacts, for offices not theirs, and while an offer waits', async () => {
    await resetQueues();
    const analyst = await login(t.app, demoEmail('analista'));
    const refused = await analyst.put('/api/v1/routing/me/presence', { presence: 'available' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('routing.not_an_operator');
    const notMine = await operator.put('/api/v1/routing/me/presence', { presence: 'available', officeId: napoliOffice });
    expect(notMine.json().code).toBe('routing.office_not_yours');
    const anonymous = await t.app.inject({ method: 'PUT', url: '/api/v1/routing/me/presence', payload: { presence: 'available' } });
    expect(anonymous.statusCode).toBe(401);
    await operator.put('/api/v1/routing/me/presence', { presence: 'available' });
    await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'chat' });
    const offline = await operator.put('/api/v1/routing/me/presence', { presence: 'offline' });
    expect(offline.statusCode).toBe(409);
    expect(offline.json().code).toBe('routing.offer_pending');
    const bad = await operator.put('/api/v1/routing/me/presence', { presence: 'sleeping' });
    expect(bad.statusCode).toBe(400);
  });
});

/** The app on a loopback port (streams are read over real HTTP), once for the file. */
let baseUrl: string | null = null;
async function listening(): Promise<string> {
  if (!baseUrl) {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  }
  return baseUrl;
}

/** A session cookie for a stream opened with fetch. */
async function cookieOf(email: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD } });
  return `urpnet_session=${res.cookies.find((c) => c.name === 'urpnet_session')?.value}`;
}

describe("the operator's stream", () => {
  it('carries the offer, its withdrawal and the assignment to the operator it concerns only', async () => {
    await resetQueues();
    const base = await listening();
    const mine = await openSse(`${base}/api/v1/routing/stream`, { cookie: await cookieOf(demoEmail('operatore', 'comune-celano')) });
    const theirs = await openSse(`${base}/api/v1/routing/stream`, { cookie: await cookieOf(demoEmail('operatore', 'comune-napoli')) });
    try {
      expect(mine.status).toBe(200);
      await operator.put('/api/v1/routing/me/presence', { presence: 'available' });
      const item = (await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'chat', subject: 'In diretta' })).json();
      const offer = await mine.waitFor((e) => e.event === 'offer' && JSON.parse(e.data).itemId === item.id, 10_000);
      const offerId = JSON.parse(offer.data).offerId as string;
      await operator.post(`/api/v1/routing/offers/${offerId}/accept`);
      await mine.waitFor((e) => e.event === 'assigned' && JSON.parse(e.data).itemId === item.id, 10_000);
      expect(theirs.events.filter((e) => e.event !== 'message')).toEqual([]);
    } finally {
      await mine.close();
      await theirs.close();
    }
  });
});

describe("the wallboard's stream", () => {
  it('says "changed" to the wallboards of the office a contact joins and an operator moves in, and to no other body', async () => {
    await resetQueues();
    const base = await listening();
    const celanoCookie = await cookieOf(demoEmail('responsabile', 'comune-celano'));
    // Another body's office, and an operator's own attempt: refused before any stream opens.
    const refused = await openSse(`${base}/api/v1/routing/wallboard/stream?officeId=${napoliOffice}`, { cookie: celanoCookie });
    expect(refused.status).toBe(403);
    await refused.close();
    const forbidden = await openSse(`${base}/api/v1/routing/wallboard/stream`, { cookie: await cookieOf(demoEmail('operatore', 'comune-celano')) });
    expect(forbidden.status).toBe(403);
    await forbidden.close();
    const board = await openSse(`${base}/api/v1/routing/wallboard/stream?officeId=${celanoOffice}`, { cookie: celanoCookie });
    const napoliBoard = await openSse(`${base}/api/v1/routing/wallboard/stream`, { cookie: await cookieOf(demoEmail('responsabile', 'comune-napoli')) });
    const changedFor = (e: { event: string; data: string }, office: string) => e.event === 'changed' && (JSON.parse(e.data).officeIds as string[]).includes(office);
    try {
      expect(board.status).toBe(200);
      // A contact joins the queue (nobody available: no offer, only the queue moved).
      await operator.put('/api/v1/routing/me/presence', { presence: 'offline' });
      const seen = board.events.length;
      await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'email', subject: 'Sul pannello' });
      await board.waitFor((e) => board.events.indexOf(e) >= seen && changedFor(e, celanoOffice), 10_000);
      // An operator goes available (and is offered the contact).
      const before = board.events.length;
      await operator.put('/api/v1/routing/me/presence', { presence: 'available' });
      await board.waitFor((e) => board.events.indexOf(e) >= before && changedFor(e, celanoOffice), 10_000);
      // The operator takes the contact and completes it with after-contact work: presence changes again.
      const offer = (await me(operator)).offers[0];
      expect((await operator.post(`/api/v1/routing/offers/${offer.offer.id}/accept`)).statusCode).toBe(200);
      expect((await operator.post(`/api/v1/routing/items/${offer.item.id}/complete`, { wrapUp: true })).statusCode).toBe(200);
      expect((await me(operator)).state.presence).toBe('after_contact');
      const presence = await t.database.db.selectFrom('outbox').select(['organisation_id', 'payload']).where('topic', '=', 'routing.presence_changed').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(presence).toMatchObject({ organisation_id: operator.organisationId, payload: { userId: operator.userId, officeId: celanoOffice, presence: 'after_contact', previousOfficeId: null } });
      expect(napoliBoard.events.filter((e) => e.event === 'changed')).toEqual([]);
    } finally {
      await board.close();
      await napoliBoard.close();
    }
  });
});

describe('overflow between bodies', () => {
  it('a contact overflows to a partner body only under an active overflow agreement, within its cap', async () => {
    await resetQueues();
    // No agreement: Napoli's available operator does not see Celano's contact.
    await napoliOperator.put('/api/v1/routing/me/presence', { presence: 'available' });
    const first = (await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'chat', subject: 'primo' })).json();
    expect(first.status).toBe('waiting');

    const proposed = await celanoAdmin.post('/api/v1/agreements', {
      fromOrganisationId: celanoAdmin.organisationId, toOrganisationId: napoliAdmin.organisationId, kinds: ['overflow'], overflow: { afterSeconds: 0, cap: 1, when: ['wait'] },
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    expect(proposed.json().overflow).toEqual({ afterSeconds: 0, cap: 1, when: ['wait'] });
    expect((await napoliAdmin.post(`/api/v1/agreements/${proposed.json().id}/approve`)).statusCode).toBe(200);

    const second = (await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'chat', subject: 'secondo' })).json();
    const offers = (await me(napoliOperator)).offers;
    // Cap 1: one of Celano's contacts at Napoli at a time.
    expect(offers).toHaveLength(1);
    expect([first.id, second.id]).toContain(offers[0].item.id);
    expect(offers[0].offer.overflow).toBe(true);
    const accepted = await napoliOperator.post(`/api/v1/routing/offers/${offers[0].offer.id}/accept`);
    expect(accepted.json().item).toMatchObject({ assignedOfficeId: napoliOffice, officeId: celanoOffice, organisationId: celanoAdmin.organisationId });

    // A queued e-mail with its ticket: the partner's operator who accepts it gets the ticket shared
    // (once the first contact is done: the cap of 1 counts contacts held at the partner too).
    expect((await napoliOperator.post(`/api/v1/routing/items/${offers[0].item.id}/complete`, {})).statusCode).toBe(200);
    await sql`update routing_offers set status = 'withdrawn' where status = 'pending'`.execute(t.database.db);
    await sql`update work_items set status = 'cancelled' where status = 'waiting'`.execute(t.database.db);
    const ticket = (await operator.post('/api/v1/tickets', ticketInput(operator, { channel: 'email', subject: 'Rimborso TARI pagata due volte' }))).json();
    expect((await napoliOperator.get(`/api/v1/tickets/${ticket.code}`)).statusCode).toBe(404);
    const withTicket = (await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'email', ticketId: ticket.id })).json();
    const ticketOffer = (await me(napoliOperator)).offers.find((o: { item: { id: string } }) => o.item.id === withTicket.id);
    expect(ticketOffer, 'the ticket item reaches the partner').toBeTruthy();
    expect((await napoliOperator.post(`/api/v1/routing/offers/${ticketOffer.offer.id}/accept`)).statusCode).toBe(200);
    const seen = await napoliOperator.get(`/api/v1/tickets/${ticket.code}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().organisationId).toBe(celanoAdmin.organisationId);
    // A ticket of another body cannot ride on a queued contact.
    const napoliTicket = (await napoliOperator.post('/api/v1/tickets', ticketInput(napoliOperator))).json();
    const foreign = await supervisor.post('/api/v1/routing/items', { officeId: celanoOffice, channel: 'email', ticketId: napoliTicket.id });
    expect(foreign.json().code).toBe('routing.ticket_not_found');

    const board = (await supervisor.get(`/api/v1/routing/wallboard?officeId=${celanoOffice}`)).json();
    expect(board.offices[0]).toMatchObject({ officeId: celanoOffice, overflowOut: 2 });
    const napoliBoard = (await napoliSupervisor.get(`/api/v1/routing/wallboard?officeId=${napoliOffice}`)).json();
    expect(napoliBoard.offices[0].overflowIn).toBe(2);
  });
});

describe('telephony (CTI)', () => {
  const inject = async (options: InjectOptions) => {
    const res = await t.app.inject(options);
    await routingSettled(t.app);
    return res;
  };
  const call = (callId: string, over: Record<string, unknown> = {}) => inject({ method: 'POST', url: '/api/v1/cti/calls', headers: ctiAuth, payload: { callId, caller: '+393331234567', dialled: '+390863795111', ...over } });
  const event = (callId: string, type: string, over: Record<string, unknown> = {}) => inject({ method: 'POST', url: `/api/v1/cti/calls/${callId}/events`, headers: ctiAuth, payload: { type, ...over } });

  it('a call to an office number is queued, offered, answered and ended; repeats and late events change nothing', async () => {
    await resetQueues();
    const settings = await supervisor.put(`/api/v1/routing/offices/${celanoOffice}/settings`, {
      maxQueue: 10, maxWaitSeconds: 300, offerTimeoutSeconds: 20, serviceLevelSeconds: 20, handleSeconds: 180, callbackAfterSeconds: 120, numbers: ['+390863795111'],
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const unknown = await call('c-0', { dialled: '+390000000000' });
    expect(unknown.json().code).toBe('routing.unknown_number');

    const created = await call('c-1');
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ decision: 'queued', position: 1, officeId: celanoOffice });
    expect(created.json().callbackOffered).toBe(true); // nobody staffed: the wait is unknown
    const retry = await call('c-1');
    expect(retry.statusCode).toBe(200);
    expect(retry.json().itemId).toBe(created.json().itemId);
    expect((await call('c-1', { caller: '+393339999999' })).json().code).toBe('routing.call_id_reused');

    await operator.put('/api/v1/routing/me/presence', { presence: 'available' });
    const offered = (await me(operator)).offers;
    expect(offered[0].item).toMatchObject({ channel: 'phone', callId: 'c-1', caller: '+393331234567' });
    // Answered on the phone before the click in the console: the offer is accepted for the operator.
    const answered = await event('c-1', 'answered');
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ changed: true, call: { state: 'answered' } });
    expect((await event('c-1', 'answered')).json().changed).toBe(false);
    expect((await me(operator)).items.map((i: { callId: string }) => i.callId)).toEqual(['c-1']);
    expect((await event('c-1', 'ended')).json()).toMatchObject({ changed: true, call: { state: 'ended' } });
    expect((await event('c-1', 'ended')).json().changed).toBe(false);
    const late = await event('c-1', 'answered');
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('routing.call_event_rejected');
    expect((await me(operator)).state.load.phone).toBe(0);
  });

  it('a caller who hangs up while waiting is abandoned; a closed office offers a callback', async () => {
    await resetQueues();
    await call('c-2');
    expect((await event('c-2', 'abandoned')).json().call.state).toBe('abandoned');
    expect((await event('c-missing', 'ended')).json().code).toBe('routing.call_not_found');

    await setCalendar(celanoOffice, NEVER_OPEN);
    const closed = (await call('c-3')).json();
    expect(closed).toMatchObject({ decision: 'closed', callbackOffered: true });
    const callback = await event('c-3', 'callback_requested');
    expect(callback.statusCode, callback.body).toBe(200);
    expect(callback.json().callbackItemId).toBeTruthy();
    await setCalendar(celanoOffice, ALWAYS_OPEN);
  });

  it('needs a token with the cti scope of someone who manages the office', async () => {
    const napoliToken = (await napoliSupervisor.post('/api/v1/me/tokens', { name: 'altro', scopes: ['cti'] })).json();
    const foreign = await t.app.inject({ method: 'POST', url: '/api/v1/cti/calls', headers: { authorization: `Bearer ${napoliToken.secret}` }, payload: { callId: 'x-1', caller: null, dialled: '+390863795111' } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('routing.cannot_manage_queue');
    const wrongScope = (await supervisor.post('/api/v1/me/tokens', { name: 'ticket', scopes: ['tickets:read'] })).json();
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/cti/calls', headers: { authorization: `Bearer ${wrongScope.secret}` }, payload: { callId: 'x-2', caller: null, dialled: '+390863795111' } });
    expect(refused.statusCode).toBe(403);
  });
});

describe('queues, wallboard and calculator', () => {
  it('settings, queues and wallboards of another body are refused', async () => {
    expect((await napoliSupervisor.get(`/api/v1/routing/offices/${celanoOffice}/settings`)).json().code).toBe('routing.cannot_manage_queue');
    expect((await napoliSupervisor.get(`/api/v1/routing/queue?officeId=${celanoOffice}`)).statusCode).toBe(403);
    expect((await napoliSupervisor.get(`/api/v1/routing/wallboard?officeId=${celanoOffice}`)).json().code).toBe('routing.cannot_watch');
    expect((await operator.get('/api/v1/routing/wallboard')).statusCode).toBe(403);
    const coordinator = await login(t.app, demoEmail('coordinatore'));
    const network = (await coordinator.get('/api/v1/routing/wallboard')).json();
    expect(network.offices.length).toBeGreaterThan(20);
  });

  it('a number belongs to one office only', async () => {
    const taken = await napoliSupervisor.put(`/api/v1/routing/offices/${napoliOffice}/settings`, {
      maxQueue: null, maxWaitSeconds: null, offerTimeoutSeconds: 20, serviceLevelSeconds: 20, handleSeconds: 240, callbackAfterSeconds: null, numbers: ['+390863795111'],
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('routing.number_taken');
  });

  it('the Erlang calculator answers as the pure functions do', async () => {
    const res = await operator.post('/api/v1/routing/erlang', { model: 'C', callsPerHour: 100, handleSeconds: 180, serviceLevelSeconds: 20, agents: 7 });
    expect(res.statusCode, res.body).toBe(200);
    const expected = erlangC({ arrivalRate: 100 / 3600, handleTime: 180 }, 7, 20);
    expect(res.json().serviceLevel).toBeCloseTo(expected.serviceLevel, 10);
    const staffing = (await operator.post('/api/v1/routing/erlang', { model: 'A', callsPerHour: 100, handleSeconds: 180, serviceLevelSeconds: 20, patienceSeconds: 120, targetServiceLevel: 0.8, shrinkage: 0.3 })).json();
    expect(staffing.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(staffing.rostered).toBeGreaterThan(staffing.agents);
  });
});

describe('concurrent routing', () => {
  it('parallel routing passes never offer an item twice nor exceed a capacity', async () => {
    await resetQueues();
    await operator.put('/api/v1/routing/me/presence', { presence: 'available' });
    await supervisor.put('/api/v1/routing/me/presence', { presence: 'available' });
    const db = t.database.db;
    // 30 e-mails straight into the queue (no kick), then four passes at once.
    await sql`insert into work_items (office_id, organisation_id, channel, overflow_office_ids, refused_by)
      select ${celanoOffice}, ${operator.organisationId}, 'email', '[]', '[]' from generate_series(1, 30)`.execute(db);
    const now = new Date();
    await Promise.all([1, 2, 3, 4].map(() => routeWaitingItems(db, now)));
    const { rows } = await sql<{ item_id: string; n: string }>`select item_id, count(*) as n from routing_offers where status = 'pending' group by 1`.execute(db);
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
    // Two operators × 6 e-mails each.
    expect(rows).toHaveLength(12);
    const loads = await sql<{ n: number }>`select (load->>'email')::int as n from operator_states where presence = 'available'`.execute(db);
    expect(loads.rows.map((r) => r.n)).toEqual([6, 6]);
  });

  it.skipIf(TEST_ENGINE !== 'postgres')('a pass that finds the queue held by a concurrent round waits for it and takes what it left (PostgreSQL: two connections)', async () => {
    await resetQueues();
    await operator.put('/api/v1/routing/me/presence', { presence: 'available' });
    await supervisor.put('/api/v1/routing/me/presence', { presence: 'available' });
    const db = t.database.db;
    await sql`insert into work_items (office_id, organisation_id, channel, overflow_office_ids, refused_by)
      select ${celanoOffice}, ${operator.organisationId}, 'email', '[]', '[]' from generate_series(1, 30)`.execute(db);
    // Another round's transaction holds every waiting item (as a round whose batch outgrew its
    // operators does) while this pass locks the operators and reads the queue.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const holder = db.transaction().execute(async (trx) => {
      await sql`select id from work_items where status = 'waiting' for update`.execute(trx);
      held();
      await released;
    });
    await holding;
    const pass = routeWaitingItems(db, new Date());
    let settled = false;
    void pass.then(() => (settled = true));
    // The pass is blocked on the held rows, not finished empty-handed.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    release();
    await holder;
    const { offers } = await pass;
    expect(offers).toHaveLength(12);
  });
});
