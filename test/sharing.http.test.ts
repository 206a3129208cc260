import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

let t: TestApp;
const users: Record<string, Client> = {};
let offices: { id: string; slug: string; organisationId: string; name: string }[];
const officeId = (slug: string) => offices.find((o) => o.slug === slug)!.id;

async function as(prefix: string, org: string): Promise<Client> {
  const key = `${prefix}.${org}`;
  users[key] ??= await login(t.app, demoEmail(prefix, org));
  return users[key]!;
}

async function newTicket(owner: Client, overrides: Record<string, unknown> = {}) {
  const res = await owner.post('/api/v1/tickets', ticketInput(owner, { classification: { tipo: 'informazione', tema: 'sanita.esenzioni_ticket' }, subject: 'Esenzione ticket per reddito', ...overrides }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { code: string; id: string };
}

async function share(owner: Client, code: string, slug: string, mode: 'consult' | 'collaborate', shareRequester = false) {
  const res = await owner.post(`/api/v1/tickets/${code}/shares`, { officeId: officeId(slug), mode, reason: 'Serve il vostro parere', shareRequester });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; status: string };
}

beforeAll(async () => {
  t = await buildTestApp();
  const celano = await as('operatore', 'comune-celano');
  offices = (await celano.get('/api/v1/offices')).json().items;
});
afterAll(async () => {
  await t?.close();
});

describe('directory: who is competent', () => {
  it('answers a natural question with the competent health offices for the province of L’Aquila', async () => {
    const celano = await as('operatore', 'comune-celano');
    const res = await celano.get(`/api/v1/directory?q=${encodeURIComponent("chi è competente per esenzione ticket sanitario in provincia dell'Aquila?")}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.place).toEqual({ code: '066', name: "L'Aquila" });
    expect(body.topics[0].code).toBe('sanita.esenzioni_ticket');
    const top = body.results.slice(0, 3).map((r: { office: { slug: string } }) => r.office.slug);
    expect(top[0]).toBe('regione-abruzzo-sanita-esenzioni');
    expect(top).toContain('asl-avezzano-sulmona-laquila-urp');
    // Offices of other regions are not competent there.
    expect(body.results.map((r: { organisationName: string }) => r.organisationName)).not.toContain('Regione Campania');
  });
});

describe('transfer: the ticket travels, the citizen keeps the code', () => {
  it('moves ownership on acceptance and lets the previous office follow it', async () => {
    const celano = await as('operatore', 'comune-celano');
    const regione = await as('operatore', 'regione-abruzzo');
    const ticket = await newTicket(celano);
    const target = officeId('regione-abruzzo-sanita-esenzioni');
    const sameOffice = await celano.post(`/api/v1/tickets/${ticket.code}/transfers`, { officeId: celano.officeId, kind: 'transfer', reasonCode: 'not_competent', reason: 'x x x' });
    expect(sameOffice.json().code).toBe('share.same_office');
    const req = await celano.post(`/api/v1/tickets/${ticket.code}/transfers`, { officeId: target, kind: 'transfer', reasonCode: 'not_competent', reason: 'Esenzioni: competenza regionale' });
    expect(req.statusCode, req.body).toBe(201);
    expect(req.json().status).toBe('pending');
    const twice = await celano.post(`/api/v1/tickets/${ticket.code}/transfers`, { officeId: target, kind: 'transfer', reasonCode: 'not_competent', reason: 'di nuovo' });
    expect(twice.json().code).toBe('transfer.already_pending');
    expect((await celano.get(`/api/v1/tickets?view=waiting&officeId=${celano.officeId}`)).json().items.map((i: { code: string }) => i.code)).toContain(ticket.code);

    // The Regione's URP operator works in another office: not the recipient, and sees nothing.
    expect((await regione.post(`/api/v1/transfers/${req.json().id}/accept`)).statusCode).toBe(404);
    // The officer of the Regione's health back office sees the request (not yet the ticket) and accepts it.
    const officer = await as('backoffice', 'regione-abruzzo');
    const incoming = (await officer.get('/api/v1/requests/incoming')).json();
    expect(incoming.transfers.map((x: { ticket: { code: string } }) => x.ticket.code)).toContain(ticket.code);
    expect((await officer.get(`/api/v1/tickets/${ticket.code}`)).statusCode).toBe(404);
    const declineNoReason = await officer.post(`/api/v1/transfers/${req.json().id}/decline`, {});
    expect(declineNoReason.json().code).toBe('share.decline_reason_required');
    const accepted = await officer.post(`/api/v1/transfers/${req.json().id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().status).toBe('accepted');
    const again = await officer.post(`/api/v1/transfers/${req.json().id}/accept`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('transfer.not_pending');

    const now = (await officer.get(`/api/v1/tickets/${ticket.code}`)).json();
    expect(now).toMatchObject({ code: ticket.code, officeId: target, organisationName: 'Regione Abruzzo', myAccess: { relation: 'owner' } });
    expect(now.requester.name).toBe('Maria Bianchi');
    // Celano follows by consultation: reads the thread, cannot change it.
    const follow = (await celano.get(`/api/v1/tickets/${ticket.code}`)).json();
    expect(follow.myAccess).toMatchObject({ relation: 'consult', formerOwner: true });
    // As former owner it keeps the requester data it recorded (issue 9, point 15: test/former-owner.http.test.ts).
    expect(follow.requester.name).toBe('Maria Bianchi');
    expect((await celano.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'open' }, { 'if-match': '*' })).statusCode).toBe(403);
    const history = (await officer.get(`/api/v1/tickets/${ticket.code}/history`)).json().items.map((h: { action: string }) => h.action);
    expect(history).toEqual(expect.arrayContaining(['transfer_requested', 'transferred']));
    // The citizen, with the same code (as read over the phone, lower case, no dashes), sees who handles it now.
    const citizen = await t.app.inject({ method: 'GET', url: `/api/v1/portal/tickets/${ticket.code.replace(/-/g, '').toLowerCase()}` });
    expect(citizen.statusCode, citizen.body).toBe(200);
    expect(citizen.json()).toMatchObject({
      code: ticket.code, status: 'new', handledBy: { organisation: 'Regione Abruzzo' },
      previousOffices: [{ name: 'URP – Sportello del Cittadino di Celano', organisation: 'Comune di Celano' }],
    });
    expect(citizen.body).not.toContain('Maria Bianchi');
    expect(citizen.body).not.toContain('Esenzione ticket per reddito');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/portal/tickets/0000-0000-0' })).json().code).toBe('ticket.not_found');
    // The receiving office was notified (by the event's handler, after commit).
    await t.events.drain();
    const notes = (await officer.get('/api/v1/notifications')).json();
    expect(notes.items.some((n: { kind: string; ticketCode: string }) => n.kind === 'transfer.requested' && n.ticketCode === ticket.code)).toBe(true);
  });

  it('refuses transfers of closed tickets and circular escalations', async () => {
    const celano = await as('operatore', 'comune-celano');
    const napoli = await as('operatore', 'comune-napoli');
    const ticket = await newTicket(celano);
    // Celano escalates to Napoli (via an auto-accept agreement), Napoli tries to escalate back.
    const celanoAdmin = await as('admin', 'comune-celano');
    const napoliAdmin = await as('admin', 'comune-napoli');
    const agreement = await celanoAdmin.post('/api/v1/agreements', { fromOrganisationId: celanoAdmin.organisationId, toOrganisationId: napoliAdmin.organisationId, kinds: ['escalation', 'share'], autoAccept: true });
    expect(agreement.statusCode, agreement.body).toBe(201);
    expect((await celanoAdmin.post(`/api/v1/agreements/${agreement.json().id}/approve`)).statusCode).toBe(403);
    expect((await napoliAdmin.post(`/api/v1/agreements/${agreement.json().id}/approve`)).json().status).toBe('active');
    const up = await celano.post(`/api/v1/tickets/${ticket.code}/transfers`, { officeId: napoli.officeId, kind: 'escalation', reasonCode: 'needs_authority', reason: 'Serve il Comune capoluogo' });
    expect(up.json().status).toBe('accepted');
    const back = await napoli.post(`/api/v1/tickets/${ticket.code}/transfers`, { officeId: celano.officeId, kind: 'escalation', reasonCode: 'not_competent', reason: 'Torna indietro' });
    expect(back.statusCode).toBe(409);
    expect(back.json().code).toBe('transfer.circular');

    const closed = await newTicket(celano);
    const tk = (await celano.get(`/api/v1/tickets/${closed.code}`));
    const resolved = await celano.post(`/api/v1/tickets/${closed.code}/status`, { status: 'resolved', outcome: 'risposta_fornita' }, { 'if-match': tk.headers.etag as string });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const late = await celano.post(`/api/v1/tickets/${closed.code}/transfers`, { officeId: napoli.officeId, kind: 'transfer', reasonCode: 'not_competent', reason: 'tardi' });
    expect(late.json().code).toBe('transfer.ticket_closed');
  });
});

describe('shares: consultation and collaboration without giving the ticket away', () => {
  it('keeps each organisation’s notes private, hides the requester, and waits for tasks before resolving', async () => {
    const celano = await as('operatore', 'comune-celano');
    const asl = await as('operatore', 'asl-avezzano-sulmona-laquila');
    const ticket = await newTicket(celano);
    await celano.post(`/api/v1/tickets/${ticket.code}/messages`, { kind: 'note', body: 'Nota riservata del Comune' });
    await celano.post(`/api/v1/tickets/${ticket.code}/messages`, { kind: 'reply', body: 'Risposta pubblica al cittadino' });
    const s = await share(celano, ticket.code, 'asl-avezzano-sulmona-laquila-urp', 'collaborate');
    expect(s.status).toBe('pending');
    expect((await asl.get(`/api/v1/tickets/${ticket.code}`)).statusCode).toBe(404);
    expect((await asl.post(`/api/v1/shares/${s.id}/accept`)).json().status).toBe('active');

    const seen = (await asl.get(`/api/v1/tickets/${ticket.code}`)).json();
    expect(seen.myAccess.relation).toBe('collaborate');
    expect(seen.requester).toBeNull();
    expect(seen.allowedTransitions).toEqual([]);
    const thread = (await asl.get(`/api/v1/tickets/${ticket.code}/messages`)).json().items.map((m: { body: string }) => m.body);
    expect(thread).toEqual(['Risposta pubblica al cittadino']);
    expect((await asl.post(`/api/v1/tickets/${ticket.code}/messages`, { kind: 'note', body: 'Nota interna della ASL' })).statusCode).toBe(201);
    const ownerThread = (await celano.get(`/api/v1/tickets/${ticket.code}/messages`)).json().items.map((m: { body: string }) => m.body);
    expect(ownerThread).not.toContain('Nota interna della ASL');
    expect(ownerThread).toContain('Nota riservata del Comune');

    // The ASL takes a task; the owner cannot resolve until it is done.
    const task = await asl.post(`/api/v1/tickets/${ticket.code}/tasks`, { officeId: asl.officeId, title: 'Verificare il codice di esenzione', assigneeId: asl.userId });
    expect(task.statusCode, task.body).toBe(201);
    const foreignTask = await asl.post(`/api/v1/tickets/${ticket.code}/tasks`, { officeId: celano.officeId, title: 'Compito per il Comune' });
    expect(foreignTask.statusCode).toBe(403);
    const etag = (await celano.get(`/api/v1/tickets/${ticket.code}`)).headers.etag as string;
    const early = await celano.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'resolved', outcome: 'risposta_fornita' }, { 'if-match': etag });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('ticket.open_tasks');
    expect((await asl.patch(`/api/v1/tasks/${task.json().id}`, { status: 'done' })).json().status).toBe('done');
    const etag2 = (await celano.get(`/api/v1/tickets/${ticket.code}`)).headers.etag as string;
    expect((await celano.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'resolved', outcome: 'risposta_fornita' }, { 'if-match': etag2 })).statusCode).toBe(200);

    // Shared view and counts for the ASL office.
    const shared = (await asl.get(`/api/v1/tickets?view=shared`)).json().items.map((i: { code: string }) => i.code);
    expect(shared).toContain(ticket.code);
    expect((await asl.get(`/api/v1/tickets?view=office`)).json().items.map((i: { code: string }) => i.code)).not.toContain(ticket.code);
    const counts = (await celano.get('/api/v1/tickets/counts')).json();
    expect(Object.keys(counts).sort()).toEqual(['all', 'mine', 'office', 'shared', 'waiting']);

    // Revocation removes access at once; a revoked share cannot be accepted.
    expect((await celano.post(`/api/v1/shares/${s.id}/revoke`)).json().status).toBe('revoked');
    expect((await asl.get(`/api/v1/tickets/${ticket.code}`)).statusCode).toBe(404);
    const late = await asl.post(`/api/v1/shares/${s.id}/accept`);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('share.not_pending');
  });

  it('resolves concurrent accept and decline of one share to exactly one outcome', async () => {
    const celano = await as('operatore', 'comune-celano');
    const salerno = await as('operatore', 'comune-salerno');
    const colleague = await as('responsabile', 'comune-salerno');
    const ticket = await newTicket(celano);
    const s = await share(celano, ticket.code, 'salerno-urp', 'consult');
    const results = await Promise.all([salerno.post(`/api/v1/shares/${s.id}/accept`), colleague.post(`/api/v1/shares/${s.id}/decline`, { reason: 'Non di nostra competenza' })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const history = (await celano.get(`/api/v1/tickets/${ticket.code}/history`)).json().items.map((h: { action: string }) => h.action);
    expect(history.filter((a: string) => a === 'share_accepted' || a === 'share_declined')).toHaveLength(1);
  });

  it('rejects shares with unknown or the same office, duplicates, and auto-accepts under an agreement', async () => {
    const celano = await as('operatore', 'comune-celano');
    const ticket = await newTicket(celano);
    const unknown = await celano.post(`/api/v1/tickets/${ticket.code}/shares`, { officeId: randomUUID(), mode: 'consult', reason: 'perché sì' });
    expect(unknown.json().code).toBe('share.unknown_office');
    const same = await celano.post(`/api/v1/tickets/${ticket.code}/shares`, { officeId: celano.officeId, mode: 'consult', reason: 'perché sì' });
    expect(same.json().code).toBe('share.same_office');
    await share(celano, ticket.code, 'cagliari-urp', 'consult');
    const dup = await celano.post(`/api/v1/tickets/${ticket.code}/shares`, { officeId: officeId('cagliari-urp'), mode: 'collaborate', reason: 'di nuovo' });
    expect(dup.json().code).toBe('share.already_participant');
    // Celano ↔ Napoli have an active auto-accept agreement for shares (previous test).
    const auto = await share(celano, ticket.code, 'napoli-urp', 'consult');
    expect(auto.status).toBe('active');
  });
});

describe('visibility matrix: role × participation × action, through HTTP', () => {
  const ROLES = ['operatore', 'backoffice', 'responsabile', 'admin'] as const;
  const ACTIONS = ['read_thread', 'read_requester', 'write_reply', 'write_note', 'change_status', 'resolve', 'reshare'] as const;
  type Relation = 'owner' | 'collaborate+requester' | 'collaborate' | 'consult' | 'none';
  const ORG: Record<Relation, { org: string; office: string }> = {
    owner: { org: 'comune-celano', office: 'celano-urp' },
    'collaborate+requester': { org: 'regione-molise', office: 'regione-molise-urp' },
    collaborate: { org: 'regione-basilicata', office: 'regione-basilicata-urp' },
    consult: { org: 'comune-siracusa', office: 'siracusa-urp' },
    none: { org: 'comune-tricase', office: 'tricase-urp' },
  };
  // Expected, written independently of the implementation's table.
  const ALLOWED: Record<Relation, (typeof ACTIONS)[number][]> = {
    owner: [...ACTIONS],
    'collaborate+requester': ['read_thread', 'read_requester', 'write_reply', 'write_note'],
    collaborate: ['read_thread', 'write_reply', 'write_note'],
    consult: ['read_thread', 'write_note'],
    none: [],
  };

  it('allows and denies exactly as the policy says', async () => {
    const owner = await as('operatore', 'comune-celano');
    const ticket = await newTicket(owner);
    for (const [relation, mode, withRequester] of [['collaborate+requester', 'collaborate', true], ['collaborate', 'collaborate', false], ['consult', 'consult', false]] as const) {
      const s = await share(owner, ticket.code, ORG[relation].office, mode, withRequester);
      const responder = await as('operatore', ORG[relation].org);
      if (s.status === 'pending') expect((await responder.post(`/api/v1/shares/${s.id}/accept`)).statusCode).toBe(200);
    }
    const outcomes: string[] = [];
    for (const relation of Object.keys(ORG) as Relation[]) {
      for (const role of ROLES) {
        const c = await as(role, ORG[relation].org);
        const expected = role === 'admin' ? [] : ALLOWED[relation];
        const probe = async (action: (typeof ACTIONS)[number]): Promise<boolean> => {
          const url = `/api/v1/tickets/${ticket.code}`;
          switch (action) {
            case 'read_thread':
              return (await c.get(`${url}/messages`)).statusCode === 200;
            case 'read_requester': {
              const r = await c.get(url);
              return r.statusCode === 200 && r.json().requester !== null;
            }
            case 'write_reply':
              return (await c.post(`${url}/messages`, { kind: 'reply', body: `Risposta di ${role}` })).statusCode === 201;
            case 'write_note':
              return (await c.post(`${url}/messages`, { kind: 'note', body: `Nota di ${role}` })).statusCode === 201;
            // Permitted callers reach the business rule behind the policy (409/422); others get 403/404.
            case 'change_status':
              return (await c.post(`${url}/status`, { status: 'new' }, { 'if-match': '*' })).statusCode === 409;
            case 'resolve':
              return (await c.post(`${url}/status`, { status: 'resolved', outcome: 'esito_inesistente' }, { 'if-match': '*' })).statusCode === 422;
            case 'reshare':
              return (await c.post(`${url}/shares`, { officeId: randomUUID(), mode: 'consult', reason: 'verifica' })).statusCode === 422;
          }
        };
        for (const action of ACTIONS) {
          const allowed = await probe(action);
          outcomes.push(`${relation}/${role}/${action}=${allowed}`);
          expect(allowed, `${relation} × ${role} × ${action}`).toBe(expected.includes(action));
        }
      }
    }
    expect(outcomes).toHaveLength(5 * 4 * 7);
  });
});

describe('privacy of lists', () => {
  it('shows the requester name in lists only where the ticket itself shows it', async () => {
    const celano = await as('operatore', 'comune-celano');
    const ticket = await newTicket(celano);
    const consult = await share(celano, ticket.code, 'catania-urp', 'consult');
    const catania = await as('operatore', 'comune-catania');
    if (consult.status === 'pending') await catania.request({ method: 'POST', url: `/api/v1/shares/${consult.id}/accept`, headers: { 'content-type': 'application/json' }, payload: '' });
    const item = (await catania.get('/api/v1/tickets?view=shared')).json().items.find((i: { code: string }) => i.code === ticket.code);
    expect(item).toBeDefined();
    expect(item.requesterName).toBeNull();
    const own = (await celano.get(`/api/v1/tickets?q=${ticket.code}`)).json().items[0];
    expect(own.requesterName).toBe('Maria Bianchi');
    expect((await catania.get('/api/v1/tickets/counts')).json().all).toBeGreaterThan(0);
  });
});

describe('shared with my office: ordered by latest activity, paginated', () => {
  it('pages through shares newest first and moves a ticket up when it changes', async () => {
    const celano = await as('operatore', 'comune-celano');
    const enna = await as('operatore', 'libero-consorzio-enna');
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const ticket = await newTicket(celano, { subject: `Condiviso con Enna ${i}` });
      const s = await share(celano, ticket.code, 'libero-consorzio-enna-urp', 'consult');
      if (s.status === 'pending') await enna.post(`/api/v1/shares/${s.id}/accept`);
      codes.push(ticket.code);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await enna.get(`/api/v1/tickets?view=shared&officeId=${enna.officeId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json() as { items: { code: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((i) => i.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...codes].reverse());
    // New activity on the oldest one (a public reply by the owner) brings it to the top.
    await celano.post(`/api/v1/tickets/${codes[0]}/messages`, { kind: 'reply', body: 'Aggiornamento' });
    const first = (await enna.get(`/api/v1/tickets?view=shared&officeId=${enna.officeId}&limit=1`)).json().items[0];
    expect(first.code).toBe(codes[0]);
  });
});
