import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

let t: TestApp;
let celano: Client;
let napoli: Client;
let avezzano: Client;
let offices: { id: string; slug: string }[];
const officeId = (slug: string) => offices.find((o) => o.slug === slug)!.id;

const caller = { name: 'Giuseppe Verdì', email: 'G.Verdi@Example.org', phone: '+39 347 555 1234', fiscalCode: 'VRDGPP80A01C426Y' };

beforeAll(async () => {
  t = await buildTestApp();
  celano = await login(t.app, demoEmail('operatore', 'comune-celano'));
  napoli = await login(t.app, demoEmail('operatore', 'comune-napoli'));
  avezzano = await login(t.app, demoEmail('operatore', 'asl-avezzano-sulmona-laquila'));
  offices = (await celano.get('/api/v1/offices')).json().items;
});
afterAll(async () => {
  await t?.close();
});

async function createTicket(client: Client, overrides: Record<string, unknown> = {}) {
  const res = await client.post('/api/v1/tickets', ticketInput(client, overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { code: string };
}

const search = async (client: Client, q: string) => {
  const res = await client.get(`/api/v1/tickets?q=${encodeURIComponent(q)}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { code: string; requesterName: string | null }[]).map((i) => i.code);
};

describe('the inbox search finds a caller’s earlier tickets', () => {
  it('by name (any order, without accents), e-mail, phone as dictated and codice fiscale', async () => {
    const first = await createTicket(celano, { requester: caller, subject: 'Rinnovo carta d’identità elettronica' });
    const second = await createTicket(celano, { requester: { ...caller, email: null, fiscalCode: null }, subject: 'Certificato di residenza' });
    const other = await createTicket(celano, { requester: { name: 'Anna Neri', email: 'anna.neri@example.org', phone: '0863 123456', fiscalCode: 'NRENNA85B41C426Z' } });
    for (const q of ['verdi', 'Giuseppe Verdì', 'VERDI giuseppe', '3475551234', '347 555 1234', '+39 347 5551234', '0039 347 555 1234']) {
      const found = await search(celano, q);
      expect(found, q).toEqual(expect.arrayContaining([first.code, second.code]));
      expect(found, q).not.toContain(other.code);
    }
    for (const q of ['vrdgpp80a01c426y', 'VRDGPP80A01C426Y', 'g.verdi@example.org', 'G.Verdi@']) {
      const found = await search(celano, q);
      expect(found, q).toContain(first.code);
      expect(found, q).not.toContain(second.code);
    }
    expect(await search(celano, '0863123456')).toEqual([other.code]);
    // The subject and description search still works alongside.
    expect(await search(celano, 'certificato residenza')).toContain(second.code);
    // A name that no requester has finds nothing.
    expect(await search(celano, 'Giuseppe Garibaldi')).not.toContain(first.code);
  });

  it('never across organisations: other bodies and consultations do not find the person', async () => {
    const mine = await createTicket(celano, { requester: { name: 'Ottavio Pellegrinotti', email: 'ottavio.p@example.org', phone: '+39 320 987 6543', fiscalCode: 'PLLTTV70C12C426K' } });
    for (const q of ['Pellegrinotti', 'ottavio.p@example.org', '3209876543', 'PLLTTV70C12C426K']) {
      expect(await search(celano, q), q).toContain(mine.code);
      expect(await search(napoli, q), q).toEqual([]);
    }
    // A consultation shows the ticket but not the requester: searching the person must not reveal it.
    const consult = await celano.post(`/api/v1/tickets/${mine.code}/shares`, { officeId: officeId('asl-avezzano-sulmona-laquila-urp'), mode: 'consult', reason: 'Per conoscenza', shareRequester: false });
    expect(consult.statusCode, consult.body).toBe(201);
    const pending = (await avezzano.get('/api/v1/requests/incoming')).json().shares.find((x: { ticket: { code: string } }) => x.ticket.code === mine.code);
    expect((await avezzano.post(`/api/v1/shares/${pending.share.id}/accept`)).statusCode).toBe(200);
    expect((await avezzano.get(`/api/v1/tickets/${mine.code}`)).statusCode).toBe(200);
    expect(await search(avezzano, 'Rinnovo carta')).toContain(mine.code);
    for (const q of ['Pellegrinotti', '3209876543', 'PLLTTV70C12C426K']) expect(await search(avezzano, q), q).toEqual([]);
  });

  it('in tickets shared with the caller when the share grants the requester data', async () => {
    const shared = await createTicket(celano, { requester: { name: 'Ludovica Sparapanetti', email: null, phone: '+39 333 444 5566', fiscalCode: null } });
    const res = await celano.post(`/api/v1/tickets/${shared.code}/shares`, { officeId: officeId('napoli-urp'), mode: 'collaborate', reason: 'Serve il vostro aiuto', shareRequester: true });
    expect(res.statusCode, res.body).toBe(201);
    expect(await search(napoli, 'Sparapanetti')).toEqual([]);
    const pending = (await napoli.get('/api/v1/requests/incoming')).json().shares.find((s: { ticket: { code: string } }) => s.ticket.code === shared.code);
    expect((await napoli.post(`/api/v1/shares/${pending.share.id}/accept`)).statusCode).toBe(200);
    expect(await search(napoli, 'Sparapanetti')).toEqual([shared.code]);
    expect(await search(napoli, '333 444 5566')).toEqual([shared.code]);
  });
});
