import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

let t: TestApp;
let celano: Client;
let celanoBack: Client;
let napoli: Client;

beforeAll(async () => {
  t = await buildTestApp();
  celano = await login(t.app, demoEmail('operatore', 'comune-celano'));
  celanoBack = await login(t.app, demoEmail('backoffice', 'comune-celano'));
  napoli = await login(t.app, demoEmail('operatore', 'comune-napoli'));
});
afterAll(async () => {
  await t?.close();
});

async function createTicket(client: Client, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await client.post('/api/v1/tickets', ticketInput(client, overrides), headers);
  expect(res.statusCode, res.body).toBe(201);
  return { ticket: res.json(), etag: res.headers.etag as string };
}

describe('the path of a phone call at the Comune di Celano', () => {
  it('records, finds, answers, assigns, resolves and audits a ticket', async () => {
    const { ticket, etag } = await createTicket(celano);
    expect(ticket.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/);
    expect(ticket).toMatchObject({
      status: 'new', channel: 'telefono', officeName: 'URP – Sportello del Cittadino di Celano', organisationName: 'Comune di Celano',
      classification: { tipo: 'informazione', tema: 'identita_digitale.cie', canale: 'telefono' }, taxonomyVersion: '1.0.0',
      requester: { name: 'Maria Bianchi', fiscalCode: 'BNCMRA80A41C426X' },
    });
    expect(etag).toBe(`"${ticket.version}"`);
    expect(new Date(ticket.dueAt).getTime()).toBeGreaterThan(new Date(ticket.createdAt).getTime());

    // Found again in the office inbox with each filter.
    const base = `/api/v1/tickets?officeId=${celano.officeId}`;
    for (const filter of ['', '&status=new', '&channel=telefono', '&topic=identita_digitale', '&topic=identita_digitale.cie', '&assignee=none', '&q=carta%20identit%C3%A0', '&q=documenti', `&q=${ticket.code}`, `&q=${ticket.code.toLowerCase().replace(/-/g, '')}`]) {
      const list = await celano.get(base + filter);
      expect(list.statusCode, filter).toBe(200);
      expect(list.json().items.map((i: { code: string }) => i.code), filter).toContain(ticket.code);
    }
    for (const filter of ['&status=resolved', '&channel=email', '&topic=tributi', '&assignee=me', '&q=parcheggio']) {
      const list = await celano.get(base + filter);
      expect(list.json().items.map((i: { code: string }) => i.code), filter).not.toContain(ticket.code);
    }

    // Public reply (opens the ticket) and internal note.
    const reply = await celano.post(`/api/v1/tickets/${ticket.code}/messages`, { kind: 'reply', body: 'Può prenotare su agendacie.it portando la vecchia carta e una foto.' });
    expect(reply.statusCode, reply.body).toBe(201);
    const note = await celano.post(`/api/v1/tickets/${ticket.code}/messages`, { kind: 'note', body: 'Cittadina già richiamata una volta.' });
    expect(note.statusCode).toBe(201);
    const thread = (await celano.get(`/api/v1/tickets/${ticket.code}/messages`)).json().items;
    expect(thread.map((m: { kind: string }) => m.kind)).toEqual(['reply', 'note']);

    // Assign to self, with the current ETag.
    const current = await celano.get(`/api/v1/tickets/${ticket.code}`);
    expect(current.json().status).toBe('open');
    const assigned = await celano.patch(`/api/v1/tickets/${ticket.code}`, { assigneeId: celano.userId }, { 'if-match': current.headers.etag as string });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json().assignee.id).toBe(celano.userId);
    expect((await celano.get(`${base}&assignee=me`)).json().items.map((i: { code: string }) => i.code)).toContain(ticket.code);

    // Status change and resolution with an outcome.
    const pending = await celano.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'pending_citizen' }, { 'if-match': assigned.headers.etag as string });
    expect(pending.statusCode, pending.body).toBe(200);
    const resolved = await celano.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'resolved', outcome: 'risposta_fornita' }, { 'if-match': pending.headers.etag as string });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({ status: 'resolved', outcome: 'risposta_fornita', classification: { esito: 'risposta_fornita' } });
    expect(resolved.json().resolvedAt).not.toBeNull();
    expect(resolved.json().allowedTransitions).toEqual(expect.arrayContaining(['closed', 'open']));

    // Every change is in the history, in order, with who and before/after.
    const history = (await celano.get(`/api/v1/tickets/${ticket.code}/history`)).json().items;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['created', 'reply_added', 'note_added', 'updated', 'status_changed', 'status_changed']);
    expect(history.every((h: { actor: { id: string } }) => h.actor.id === celano.userId)).toBe(true);
    expect(history[3].changes.assignee).toEqual({ from: null, to: celano.userId });
    expect(history[5].changes.status).toEqual({ from: 'pending_citizen', to: 'resolved' });
    expect(history[1].changes.status).toEqual({ from: 'new', to: 'open' });
  });

  it('lets a colleague of the same office work on it, but no one from another organisation', async () => {
    const { ticket } = await createTicket(celano);
    expect((await celanoBack.get(`/api/v1/tickets/${ticket.code}`)).statusCode).toBe(200);
    for (const res of [
      await napoli.get(`/api/v1/tickets/${ticket.code}`),
      await napoli.get(`/api/v1/tickets/${ticket.code}/messages`),
      await napoli.get(`/api/v1/tickets/${ticket.code}/history`),
      await napoli.patch(`/api/v1/tickets/${ticket.code}`, { subject: 'preso' }, { 'if-match': '"1"' }),
      await napoli.post(`/api/v1/tickets/${ticket.code}/messages`, { kind: 'note', body: 'x' }),
      await napoli.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'open' }, { 'if-match': '"1"' }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('ticket.not_found');
    }
    const list = await napoli.get(`/api/v1/tickets?q=${ticket.code}`);
    expect(list.json().items).toEqual([]);
    const foreignOffice = await napoli.get(`/api/v1/tickets?officeId=${celano.officeId}`);
    expect(foreignOffice.json().items).toEqual([]);
    const create = await napoli.post('/api/v1/tickets', ticketInput(celano));
    expect(create.statusCode).toBe(403);
    expect(create.json().code).toBe('ticket.office_forbidden');
  });

  it('reopens a resolved ticket within the window and requires an outcome to resolve', async () => {
    const { ticket, etag } = await createTicket(celano);
    const noOutcome = await celano.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'resolved' }, { 'if-match': etag });
    expect(noOutcome.statusCode).toBe(422);
    expect(noOutcome.json().code).toBe('ticket.outcome_required');
    const badOutcome = await celano.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'resolved', outcome: 'boh' }, { 'if-match': etag });
    expect(badOutcome.json().code).toBe('ticket.invalid_outcome');
    const resolved = await celano.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'resolved', outcome: 'risolto_primo_contatto' }, { 'if-match': etag });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const reopened = await celano.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'open', reason: 'La cittadina ha richiamato' }, { 'if-match': resolved.headers.etag as string });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'open', outcome: null, resolvedAt: null });
    expect(reopened.json().classification.esito).toBeUndefined();
    const history = (await celano.get(`/api/v1/tickets/${ticket.code}/history`)).json().items;
    expect(history.at(-1)).toMatchObject({ action: 'reopened', changes: { reason: { from: null, to: 'La cittadina ha richiamato' } } });
  });

  it('refuses to resolve an incompletely classified ticket, naming the missing facet', async () => {
    const { ticket, etag } = await createTicket(celano, { classification: { tema: 'tributi' } });
    const res = await celano.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'resolved', outcome: 'risposta_fornita' }, { 'if-match': etag });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('ticket.classification_incomplete');
    expect(res.json().detail).toContain('(tipo)');
    expect((await celano.get(`/api/v1/tickets/${ticket.code}`)).json().status).toBe('new');
  });

  it('paginates the inbox with a cursor, newest activity first, without duplicates', async () => {
    const office = celanoBack.officeId;
    const codes = new Set<string>();
    for (let i = 0; i < 5; i++) codes.add((await createTicket(celanoBack, { subject: `Paginazione ${i}`, classification: { tipo: 'reclamo' } })).ticket.code);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/tickets?officeId=${office}&limit=2&q=Paginazione${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await celanoBack.get(url)).json() as { items: { code: string; updatedAt: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((i) => i.code));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(codes);
    const bad = await celanoBack.get(`/api/v1/tickets?cursor=garbage`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('pagination.invalid_cursor');
  });
});

describe('API conventions on tickets', () => {
  it('returns the same ticket for a retried create with the same Idempotency-Key', async () => {
    const body = ticketInput(celano, { subject: 'Idempotenza' });
    const headers = { 'idempotency-key': 'retry-key-0001' };
    const [a, b] = await Promise.all([celano.post('/api/v1/tickets', body, headers), celano.post('/api/v1/tickets', body, headers)]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).toBe(b.json().id);
    const c = await celano.post('/api/v1/tickets', body, headers);
    expect(c.json().id).toBe(a.json().id);
    expect(c.headers['idempotent-replayed']).toBe('true');
    const count = (await celano.get(`/api/v1/tickets?q=Idempotenza`)).json().items.length;
    expect(count).toBe(1);
    const reused = await celano.post('/api/v1/tickets', { ...body, subject: 'Altro oggetto' }, headers);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().code).toBe('idempotency.key_reused');
  });

  it('rejects a stale If-Match with 412 and a missing one with 428, writing nothing', async () => {
    const { ticket, etag } = await createTicket(celano);
    const first = await celano.patch(`/api/v1/tickets/${ticket.code}`, { priority: 'high' }, { 'if-match': etag });
    expect(first.statusCode).toBe(200);
    const stale = await celano.patch(`/api/v1/tickets/${ticket.code}`, { subject: 'Sovrascrittura' }, { 'if-match': etag });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.json().code).toBe('precondition.failed');
    const missing = await celano.patch(`/api/v1/tickets/${ticket.code}`, { subject: 'Sovrascrittura' });
    expect(missing.statusCode).toBe(428);
    const after = (await celano.get(`/api/v1/tickets/${ticket.code}`)).json();
    expect(after.subject).toBe(ticket.subject);
    expect(after.priority).toBe('high');
    expect(new Date(after.dueAt).getTime()).toBeLessThan(new Date(ticket.dueAt).getTime());
  });

  it('answers bad input with problem+json that says what to fix, and creates nothing', async () => {
    const before = (await celano.get(`/api/v1/tickets?officeId=${celano.officeId}&limit=100`)).json().items.length;
    const cases: [unknown, number, string, string?][] = [
      [{ ...ticketInput(celano), surprise: 1 }, 400, 'request.validation', 'surprise'],
      [{ ...ticketInput(celano), priority: 5 }, 400, 'request.validation', 'priority'],
      [{ ...ticketInput(celano), subject: undefined }, 400, 'request.validation', 'subject'],
      [{ ...ticketInput(celano), channel: 'piccione' }, 400, 'request.validation', 'channel'],
      [ticketInput(celano, { classification: { tema: 'tema.inesistente' } }), 422, 'ticket.invalid_classification', 'tema.inesistente'],
      [ticketInput(celano, { classification: { colore: 'blu' } }), 422, 'ticket.invalid_classification', 'colore'],
      [ticketInput(celano, { requester: { fiscalCode: 'NONVALIDO' } }), 400, 'request.validation', 'fiscalCode'],
      [ticketInput(celano, { officeId: '00000000-0000-4000-8000-000000000000' }), 422, 'ticket.office_unknown'],
      [ticketInput(celano, { assigneeId: napoli.userId }), 422, 'ticket.invalid_assignee'],
    ];
    for (const [payload, status, code, mention] of cases) {
      const res = await celano.post('/api/v1/tickets', payload);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe(code);
      if (mention) expect(res.json().detail).toContain(mention);
    }
    const malformed = await celano.request({ method: 'POST', url: '/api/v1/tickets', payload: '{"officeId": ', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('request.malformed_json');
    const huge = await celano.post('/api/v1/tickets', ticketInput(celano, { description: 'x'.repeat(300_000) }));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe('request.body_too_large');
    const after = (await celano.get(`/api/v1/tickets?officeId=${celano.officeId}&limit=100`)).json().items.length;
    expect(after).toBe(before);
  });

  it('distinguishes malformed codes from unknown ones and rejects illegal transitions', async () => {
    const malformed = await celano.get('/api/v1/tickets/ABCD-EFGH-Z');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('ticket.malformed_code');
    const { ticket, etag } = await createTicket(celano);
    const closed = await celano.post(`/api/v1/tickets/${ticket.code}/status`, { status: 'closed' }, { 'if-match': etag });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('ticket.illegal_transition');
    expect(closed.json().allowed).toEqual(['open', 'pending_citizen', 'pending_office', 'resolved']);
  });

  it('serialises concurrent updates: exactly one of two writers with the same ETag wins', async () => {
    const { ticket, etag } = await createTicket(celano);
    const results = await Promise.all([
      celano.patch(`/api/v1/tickets/${ticket.code}`, { subject: 'Scrittore A' }, { 'if-match': etag }),
      celanoBack.patch(`/api/v1/tickets/${ticket.code}`, { subject: 'Scrittore B' }, { 'if-match': etag }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 412]);
    const history = (await celano.get(`/api/v1/tickets/${ticket.code}/history`)).json().items;
    expect(history.filter((h: { action: string }) => h.action === 'updated')).toHaveLength(1);
  });
});
