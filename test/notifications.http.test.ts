import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../src/platform/events.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

let t: TestApp;
const users: Record<string, Client> = {};
let offices: { id: string; slug: string; name: string }[];
const office = (slug: string) => offices.find((o) => o.slug === slug)!;

async function as(prefix: string, org: string): Promise<Client> {
  users[`${prefix}.${org}`] ??= await login(t.app, demoEmail(prefix, org));
  return users[`${prefix}.${org}`]!;
}

interface Note {
  id: number;
  kind: string;
  ticketCode: string | null;
  title: string;
  params: Record<string, unknown>;
  readAt: string | null;
}

/** The user's notifications about one ticket, oldest first, after the ticket events were handled. */
async function notesAbout(user: Client, code: string): Promise<Note[]> {
  await t.events.drain();
  const res = await user.get('/api/v1/notifications');
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as Note[]).filter((n) => n.ticketCode === code).reverse();
}

async function newTicket(owner: Client, overrides: Record<string, unknown> = {}) {
  const res = await owner.post('/api/v1/tickets', ticketInput(owner, { classification: { tipo: 'informazione', tema: 'sanita.esenzioni_ticket' }, subject: 'Esenzione ticket per reddito', ...overrides }));
  expect(res.statusCode, res.body).toBe(201);
  await t.events.drain();
  return res.json() as { code: string; id: string };
}

async function etag(user: Client, code: string): Promise<string> {
  return (await user.get(`/api/v1/tickets/${code}`)).headers.etag as string;
}

/** A Celano ticket shared for collaboration with the Regione's health back office, accepted there. */
async function sharedTicket() {
  const celano = await as('operatore', 'comune-celano');
  const regione = await as('backoffice', 'regione-abruzzo');
  const ticket = await newTicket(celano);
  const share = await celano.post(`/api/v1/tickets/${ticket.code}/shares`, { officeId: office('regione-abruzzo-sanita-esenzioni').id, mode: 'collaborate', reason: 'Serve il vostro parere' });
  expect(share.statusCode, share.body).toBe(201);
  expect((await regione.post(`/api/v1/shares/${share.json().id}/accept`)).statusCode).toBe(200);
  return { celano, regione, ticket, shareId: share.json().id as string };
}

beforeAll(async () => {
  t = await buildTestApp();
  offices = (await (await as('operatore', 'comune-celano')).get('/api/v1/offices')).json().items;
});
afterAll(async () => {
  await t?.close();
});

describe('notifications follow the work on a ticket', () => {
  it("tells the owner office of a partner's reply, and the partner of the owner's reply, but never the author", async () => {
    const { celano, regione, ticket } = await sharedTicket();
    const reply = await regione.post(`/api/v1/tickets/${ticket.code}/messages`, { kind: 'reply', body: 'L’esenzione E02 si chiede alla ASL.' });
    expect(reply.statusCode, reply.body).toBe(201);
    const atCelano = (await notesAbout(celano, ticket.code)).filter((n) => n.kind === 'ticket.partner_reply');
    expect(atCelano).toHaveLength(1);
    expect(atCelano[0]!.params).toMatchObject({ code: ticket.code, subject: 'Esenzione ticket per reddito', office: office('regione-abruzzo-sanita-esenzioni').name });
    expect((await notesAbout(regione, ticket.code)).filter((n) => n.kind.startsWith('ticket.partner_'))).toEqual([]);

    expect((await celano.post(`/api/v1/tickets/${ticket.code}/messages`, { kind: 'reply', body: 'Grazie, rispondiamo noi alla cittadina.' })).statusCode).toBe(201);
    const atRegione = (await notesAbout(regione, ticket.code)).filter((n) => n.kind === 'ticket.partner_reply');
    expect(atRegione.map((n) => n.params.office)).toEqual([offices.find((o) => o.id === celano.officeId)!.name]);
    // An internal note of Celano stays in Celano: the Regione is not told about it.
    expect((await celano.post(`/api/v1/tickets/${ticket.code}/messages`, { kind: 'note', body: 'Nota solo per noi' })).statusCode).toBe(201);
    expect((await notesAbout(regione, ticket.code)).filter((n) => n.kind === 'ticket.partner_note')).toEqual([]);
  });

  it('tells a user when someone else assigns a ticket to them, not when they take it themselves', async () => {
    const operator = await as('operatore', 'comune-celano');
    const supervisor = await as('responsabile', 'comune-celano');
    const ticket = await newTicket(operator);
    const assigned = await supervisor.patch(`/api/v1/tickets/${ticket.code}`, { assigneeId: operator.userId }, { 'if-match': await etag(supervisor, ticket.code) });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const notes = (await notesAbout(operator, ticket.code)).filter((n) => n.kind === 'ticket.assigned');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.params).toMatchObject({ code: ticket.code, subject: 'Esenzione ticket per reddito' });

    const own = await newTicket(operator);
    expect((await operator.patch(`/api/v1/tickets/${own.code}`, { assigneeId: operator.userId }, { 'if-match': await etag(operator, own.code) })).statusCode).toBe(200);
    expect((await notesAbout(operator, own.code)).filter((n) => n.kind === 'ticket.assigned')).toEqual([]);
    // Assigned at creation by a colleague counts too.
    const created = await newTicket(supervisor, { officeId: operator.officeId, assigneeId: operator.userId });
    expect((await notesAbout(operator, created.code)).map((n) => n.kind)).toContain('ticket.assigned');
  });

  it('tells the assignee when someone else reopens their resolved ticket', async () => {
    const operator = await as('operatore', 'comune-celano');
    const supervisor = await as('responsabile', 'comune-celano');
    const ticket = await newTicket(operator, { assigneeId: operator.userId });
    const resolved = await operator.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'resolved', outcome: 'risposta_fornita' }, { 'if-match': await etag(operator, ticket.code) });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect((await notesAbout(operator, ticket.code)).filter((n) => n.kind === 'ticket.reopened')).toEqual([]);
    const reopened = await supervisor.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'open', reason: 'La cittadina ha richiamato' }, { 'if-match': resolved.headers.etag as string });
    expect(reopened.statusCode, reopened.body).toBe(200);
    const notes = (await notesAbout(operator, ticket.code)).filter((n) => n.kind === 'ticket.reopened');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.params).toMatchObject({ code: ticket.code, status: 'open' });
    expect((await notesAbout(supervisor, ticket.code)).filter((n) => n.kind === 'ticket.reopened')).toEqual([]);
  });

  it("tells the assignee of a citizen's message recorded on the ticket (the message-added path, kind citizen)", async () => {
    const operator = await as('operatore', 'comune-celano');
    const ticket = await newTicket(operator, { assigneeId: operator.userId });
    // No citizen channel writes messages yet: record one as such a channel would, with its event.
    await t.database.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ id: string }>`insert into ticket_messages (ticket_id, kind, body) values (${ticket.id}::uuid, 'citizen', 'Ho inviato i documenti') returning id`.execute(trx);
      await recordEvent(trx, 'ticket.citizen_added', { aggregateId: ticket.id, payload: { ticketId: ticket.id, code: ticket.code, messageId: rows[0]!.id, kind: 'citizen', authorId: null, organisationId: null } });
    });
    const notes = (await notesAbout(operator, ticket.code)).filter((n) => n.kind === 'ticket.citizen_message');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.params.code).toBe(ticket.code);
  });
});

describe('handled notifications are marked read', () => {
  it('opening the ticket marks what its notifications said as read, for the reader only', async () => {
    const { celano, regione, ticket } = await sharedTicket();
    const colleague = await as('backoffice', 'comune-celano');
    expect((await regione.post(`/api/v1/tickets/${ticket.code}/messages`, { kind: 'reply', body: 'Risposta del partner' })).statusCode).toBe(201);
    const before = (await notesAbout(celano, ticket.code)).filter((n) => n.kind === 'ticket.partner_reply');
    expect(before.map((n) => n.readAt)).toEqual([null]);
    expect((await celano.get(`/api/v1/tickets/${ticket.code}`)).statusCode).toBe(200);
    const after = (await notesAbout(celano, ticket.code)).filter((n) => n.kind === 'ticket.partner_reply');
    expect(after[0]!.readAt).not.toBeNull();
    // So is everything else it was told about this ticket (the share accepted).
    expect((await notesAbout(celano, ticket.code)).filter((n) => n.readAt === null)).toEqual([]);
    // The colleague of the same office got it too and has not opened the ticket yet.
    const theirs = (await notesAbout(colleague, ticket.code)).filter((n) => n.kind === 'ticket.partner_reply');
    expect(theirs.map((n) => n.readAt)).toEqual([null]);
  });

  it('a transfer request stays unread until it is answered, then it is handled for the whole receiving office', async () => {
    const celano = await as('operatore', 'comune-celano');
    const officer = await as('backoffice', 'regione-abruzzo');
    const supervisor = await as('responsabile', 'regione-abruzzo');
    const ticket = await newTicket(celano);
    const req = await celano.post(`/api/v1/tickets/${ticket.code}/transfers`, { officeId: office('regione-abruzzo-sanita-esenzioni').id, kind: 'transfer', reasonCode: 'not_competent', reason: 'Competenza regionale' });
    expect(req.statusCode, req.body).toBe(201);
    const requested = (await notesAbout(officer, ticket.code)).filter((n) => n.kind === 'transfer.requested');
    expect(requested).toHaveLength(1);
    expect(requested[0]).toMatchObject({ readAt: null, params: { code: ticket.code, transferKind: 'transfer', reasonCode: 'not_competent', reason: 'Competenza regionale', transferId: req.json().id } });
    const supervisorGotIt = (await notesAbout(supervisor, ticket.code)).some((n) => n.kind === 'transfer.requested');
    expect((await officer.post(`/api/v1/transfers/${req.json().id}/accept`)).statusCode).toBe(200);
    expect((await notesAbout(officer, ticket.code)).find((n) => n.kind === 'transfer.requested')!.readAt).not.toBeNull();
    if (supervisorGotIt) expect((await notesAbout(supervisor, ticket.code)).find((n) => n.kind === 'transfer.requested')!.readAt).not.toBeNull();
    // The requesting office is told, with the receiving office's name as a parameter.
    expect((await notesAbout(celano, ticket.code)).find((n) => n.kind === 'transfer.accepted')!.params).toMatchObject({ code: ticket.code, office: office('regione-abruzzo-sanita-esenzioni').name });
  });
});

describe('stored as kind and parameters', () => {
  it('keeps notifications written before parameters existed readable, with empty parameters', async () => {
    const operator = await as('operatore', 'comune-celano');
    await sql`insert into notifications (user_id, kind, title, body) values (${operator.userId}::uuid, 'share.revoked', 'Condivisione del ticket ABCD revocata', null)`.execute(t.database.db);
    const items = (await operator.get('/api/v1/notifications')).json().items as Note[];
    expect(items.find((n) => n.title === 'Condivisione del ticket ABCD revocata')).toMatchObject({ kind: 'share.revoked', params: {} });
  });
});
