import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

interface Fixture {
  groups: { id: string; topic: string; office: string; texts: [string, string][] }[];
  distractors: [string, string][];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/duplicate-groups.json', import.meta.url), 'utf8')) as Fixture;
const orgOf = (officeSlug: string) =>
  ({ 'celano-urp': 'comune-celano', 'napoli-urp': 'comune-napoli', 'salerno-urp': 'comune-salerno', 'cagliari-urp': 'comune-cagliari', 'asl-avezzano-sulmona-laquila-urp': 'asl-avezzano-sulmona-laquila', 'regione-puglia-urp': 'regione-puglia', 'catania-urp': 'comune-catania' })[officeSlug]!;

let t: TestApp;
const clients = new Map<string, Client>();
const client = async (org: string) => {
  if (!clients.has(org)) clients.set(org, await login(t.app, demoEmail('operatore', org)));
  return clients.get(org)!;
};
/** code → group id of every ticket created from the fixture (all texts but the first of each group). */
const groupOf = new Map<string, string>();
/** subject → group id: other bodies' tickets come back without their code (issue 9, point 6); these subjects hold no personal data. */
const groupOfSubject = new Map<string, string>();

beforeAll(async () => {
  t = await buildTestApp();
  for (const g of fixture.groups) {
    const c = await client(orgOf(g.office));
    for (const [subject, description] of g.texts.slice(1)) {
      const res = await c.post('/api/v1/tickets', ticketInput(c, { subject, description, classification: { tipo: 'segnalazione', tema: g.topic } }));
      groupOf.set(res.json().code, g.id);
      groupOfSubject.set(subject, g.id);
    }
  }
  const napoli = await client('comune-napoli');
  for (const [subject, description] of fixture.distractors) {
    const res = await napoli.post('/api/v1/tickets', ticketInput(napoli, { subject, description, classification: { tipo: 'informazione' } }));
    groupOf.set(res.json().code, 'distractor');
    groupOfSubject.set(subject, 'distractor');
  }
  // Other bodies match tickets on their cleaned text, written from the outbox after commit.
  await t.events.drain();
});
afterAll(async () => {
  await t?.close();
});

describe('similar open tickets across the network', () => {
  it('puts a ticket about the same problem first for most new descriptions (labelled set)', async () => {
    const celano = await client('comune-celano');
    let hitsAt1 = 0;
    const misses: string[] = [];
    for (const g of fixture.groups) {
      const [subject, description] = g.texts[0]!;
      const res = await celano.get(`/api/v1/tickets/similar?text=${encodeURIComponent(`${subject}. ${description}`)}&topic=${g.topic}`);
      expect(res.statusCode, res.body).toBe(200);
      const top = res.json().items[0];
      if (top && groupOfSubject.get(top.subject) === g.id) hitsAt1++;
      else misses.push(`${g.id} → ${top?.subject ?? 'nothing'}`);
      // No personal data of other bodies' citizens is exposed.
      expect(JSON.stringify(res.json())).not.toContain('Maria Bianchi');
    }
    expect(hitsAt1 / fixture.groups.length, misses.join('; ')).toBeGreaterThanOrEqual(0.85);
  });

  it('tolerates typos and missing accents without a topic', async () => {
    const celano = await client('comune-celano');
    const res = await celano.get(`/api/v1/tickets/similar?text=${encodeURIComponent('acqua non arriva ai rubinetti in via roma')}`);
    expect(groupOfSubject.get(res.json().items[0].subject)).toBe('acqua-celano');
  });

  it('links a new contact as duplicate of an existing ticket of another body, resolving it', async () => {
    const celano = await client('comune-celano');
    const mine = (await celano.post('/api/v1/tickets', ticketInput(celano, { subject: 'SPID non funziona', description: 'Errore di accesso con SPID sul portale', classification: {} }))).json();
    const target = [...groupOf.entries()].find(([, g]) => g === 'spid-down')![0];
    const res = await celano.post(`/api/v1/tickets/${mine.code}/duplicate-of`, { targetCode: target });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await celano.get(`/api/v1/tickets/${mine.code}`)).json();
    expect(after).toMatchObject({ status: 'resolved', outcome: 'duplicato', classification: { tema: 'identita_digitale.spid', esito: 'duplicato' } });
    expect((await celano.post(`/api/v1/tickets/${mine.code}/duplicate-of`, { targetCode: target })).statusCode).toBe(409);
    expect((await celano.post(`/api/v1/tickets/${mine.code}/duplicate-of`, { targetCode: 'ZZZZ-ZZZZ-Z' })).statusCode).toBe(404);
  });
});

describe('incidents', () => {
  it('groups contacts about one problem and answers all affected citizens with one reply', async () => {
    const celano = await client('comune-celano');
    const inc = await celano.post('/api/v1/incidents', { officeId: celano.officeId, title: 'Interruzione idrica centro storico', description: 'Guasto alla condotta principale', topic: 'manutenzione_urbana.servizio_idrico' });
    expect(inc.statusCode, inc.body).toBe(201);
    const codes = [...groupOf.entries()].filter(([, g]) => g === 'acqua-celano').map(([c]) => c);
    for (const code of codes) expect((await celano.post(`/api/v1/incidents/${inc.json().id}/tickets`, { code })).statusCode).toBe(200);
    const napoli = await client('comune-napoli');
    const foreign = [...groupOf.entries()].find(([, g]) => g === 'tari-napoli')![0];
    expect((await celano.post(`/api/v1/incidents/${inc.json().id}/tickets`, { code: foreign })).statusCode).toBe(404);
    const reply = await celano.post(`/api/v1/incidents/${inc.json().id}/reply`, { body: "Il guasto è in riparazione: l'acqua tornerà entro le 18." });
    expect(reply.json()).toEqual({ replied: expect.arrayContaining(codes), skipped: 0 });
    for (const code of codes) {
      const thread = (await celano.get(`/api/v1/tickets/${code}/messages`)).json().items;
      expect(thread.at(-1)).toMatchObject({ kind: 'reply', body: "Il guasto è in riparazione: l'acqua tornerà entro le 18." });
    }
    // The incident is visible network-wide, its tickets only to who may see them.
    const seen = (await napoli.get(`/api/v1/incidents/${inc.json().id}`)).json();
    expect(seen.incident.ticketCount).toBe(codes.length);
    expect(seen.tickets).toEqual([]);
    expect((await napoli.post(`/api/v1/incidents/${inc.json().id}/resolve`)).statusCode).toBe(403);
    expect((await celano.post(`/api/v1/incidents/${inc.json().id}/resolve`)).json().status).toBe('resolved');
  });
});
