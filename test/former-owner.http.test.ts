import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

let t: TestApp;
let celano: Client;
let officer: Client;
let offices: { id: string; slug: string }[];
const officeId = (slug: string) => offices.find((o) => o.slug === slug)!.id;

const typed = { name: 'Carlotta Ziantoni', email: 'carlotta.ziantoni@example.org', phone: '+39 348 111 2233', fiscalCode: 'ZNTCLT75D41C426W' };

beforeAll(async () => {
  t = await buildTestApp();
  celano = await login(t.app, demoEmail('operatore', 'comune-celano'));
  officer = await login(t.app, demoEmail('backoffice', 'regione-abruzzo'));
  offices = (await celano.get('/api/v1/offices')).json().items;
});
afterAll(async () => {
  await t?.close();
});

/** Celano records the call, transfers it to the Regione's health back office, which accepts. */
async function transferredTicket() {
  const created = await celano.post('/api/v1/tickets', ticketInput(celano, { requester: typed, subject: 'Esenzione ticket per reddito', classification: { tipo: 'informazione', tema: 'sanita.esenzioni_ticket' } }));
  expect(created.statusCode, created.body).toBe(201);
  const code = created.json().code as string;
  const req = await celano.post(`/api/v1/tickets/${code}/transfers`, { officeId: officeId('regione-abruzzo-sanita-esenzioni'), kind: 'transfer', reasonCode: 'not_competent', reason: 'Esenzioni: competenza regionale' });
  expect(req.statusCode, req.body).toBe(201);
  const accepted = await officer.post(`/api/v1/transfers/${req.json().id}/accept`);
  expect(accepted.statusCode, accepted.body).toBe(200);
  return code;
}

describe('the office that recorded the call, after a transfer (former owner)', () => {
  it('keeps reading the requester data it typed, as a consultation marked as former owner', async () => {
    const code = await transferredTicket();
    const view = (await celano.get(`/api/v1/tickets/${code}`)).json();
    expect(view.myAccess).toMatchObject({ relation: 'consult', formerOwner: true });
    expect(view.myAccess.actions).toEqual(expect.arrayContaining(['read_thread', 'read_requester', 'write_note']));
    for (const action of ['write_reply', 'edit', 'change_status', 'resolve', 'transfer', 'reshare']) expect(view.myAccess.actions).not.toContain(action);
    expect(view.requester).toEqual(typed);
    // Read only: the requester cannot be changed by the former owner.
    const edit = await celano.patch(`/api/v1/tickets/${code}`, { requester: { ...typed, phone: '+39 348 000 0000' } }, { 'if-match': `"${view.version}"` });
    expect(edit.statusCode).toBe(403);
    // Its inbox shows the name, and finds the ticket by the person's data.
    const found = (await celano.get(`/api/v1/tickets?q=${encodeURIComponent('Ziantoni')}`)).json().items;
    expect(found).toEqual([expect.objectContaining({ code, requesterName: typed.name })]);
    expect((await celano.get(`/api/v1/tickets?q=${encodeURIComponent(typed.fiscalCode)}`)).json().items.map((i: { code: string }) => i.code)).toEqual([code]);
    // The new owner sees itself as owner, not as former owner.
    expect((await officer.get(`/api/v1/tickets/${code}`)).json().myAccess).toMatchObject({ relation: 'owner', formerOwner: false });
  });

  it('keeps what it typed, not what the new owner changes afterwards', async () => {
    const code = await transferredTicket();
    const current = await officer.get(`/api/v1/tickets/${code}`);
    const changed = { ...typed, phone: '+39 349 999 8877', email: 'c.ziantoni@pec.example.org' };
    const edit = await officer.patch(`/api/v1/tickets/${code}`, { requester: changed }, { 'if-match': current.headers.etag as string });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json().requester).toEqual(changed);
    expect((await officer.get(`/api/v1/tickets/${code}`)).json().requester).toEqual(changed);

    expect((await celano.get(`/api/v1/tickets/${code}`)).json().requester).toEqual(typed);
    // The former owner finds it by what it typed, never by the new owner's data.
    expect((await celano.get('/api/v1/tickets?q=3481112233')).json().items.map((i: { code: string }) => i.code)).toContain(code);
    expect((await celano.get('/api/v1/tickets?q=3499998877')).json().items).toEqual([]);
    expect((await officer.get('/api/v1/tickets?q=3499998877')).json().items.map((i: { code: string }) => i.code)).toEqual([code]);
    // A second change by the new owner still leaves the former owner's copy as typed.
    const again = await officer.patch(`/api/v1/tickets/${code}`, { requester: { ...changed, name: 'Carlotta Ziantoni Rossi' } }, { 'if-match': edit.headers.etag as string });
    expect(again.statusCode, again.body).toBe(200);
    expect((await celano.get(`/api/v1/tickets/${code}`)).json().requester).toEqual(typed);
  });

  it('loses it with the follow-up share, like any consultation', async () => {
    const code = await transferredTicket();
    const shares = (await officer.get(`/api/v1/tickets/${code}/participants`)).json().shares as { id: string; officeId: string; status: string }[];
    const follow = shares.find((s) => s.officeId === celano.officeId && s.status === 'active')!;
    const revoke = await officer.post(`/api/v1/shares/${follow.id}/revoke`, { reason: 'Pratica conclusa' });
    expect(revoke.statusCode, revoke.body).toBe(200);
    expect((await celano.get(`/api/v1/tickets/${code}`)).statusCode).toBe(404);
    expect((await celano.get('/api/v1/tickets?q=Ziantoni')).json().items.map((i: { code: string }) => i.code)).not.toContain(code);
  });
});
