import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSimilarTickets } from '../src/modules/tickets/similar.repository.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

let t: TestApp;
const clients = new Map<string, Client>();
const client = async (org: string) => {
  if (!clients.has(org)) clients.set(org, await login(t.app, demoEmail('operatore', org)));
  return clients.get(org)!;
};
const similar = async (c: Client, text: string, extra = '') => {
  const res = await c.get(`/api/v1/tickets/similar?text=${encodeURIComponent(text)}${extra}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as { ref: string; readable: boolean; code?: string; subject: string; office: { id: string; name: string }; organisation: { id: string; name: string } }[];
};

// A Celano citizen whose name, phone and fiscal code are in the ticket's text.
const PERSON = { name: 'Ottavio Pelliccione', email: 'ottavio.pelliccione@example.org', phone: '+39 347 5551234', fiscalCode: 'PLLTTV61C12C426K' };
let celanoCode = '';

beforeAll(async () => {
  t = await buildTestApp();
  const celano = await client('comune-celano');
  const res = await celano.post('/api/v1/tickets', ticketInput(celano, {
    subject: 'Perdita di acqua dal tombino, segnala il sig. Pelliccione',
    description: 'Pelliccione riferisce una perdita di acqua dal tombino davanti alla scuola elementare da tre giorni. Richiamare al 347 5551234, codice fiscale PLLTTV61C12C426K.',
    requester: PERSON,
    classification: { tipo: 'segnalazione', tema: 'manutenzione_urbana.servizio_idrico' },
  }));
  expect(res.statusCode, res.body).toBe(201);
  celanoCode = res.json().code;
  await t.events.drain();
});
afterAll(async () => {
  await t?.close();
});

describe('similar tickets of other bodies show no personal data (issue 9, point 6)', () => {
  it("finds nothing outside the caller's own and shared tickets for a citizen's name, phone or fiscal code", async () => {
    const napoli = await client('comune-napoli');
    for (const probe of ['Pelliccione', 'Ottavio Pelliccione', '347 5551234', '3475551234', 'PLLTTV61C12C426K', 'ottavio.pelliccione@example.org']) {
      expect(await similar(napoli, probe), probe).toEqual([]);
    }
    // The owning office still finds its own ticket by the citizen's name.
    const celano = await client('comune-celano');
    const own = await similar(celano, 'Pelliccione');
    expect(own[0]).toMatchObject({ readable: true, code: celanoCode });
  });

  it("labels each item's topic in the caller's language", async () => {
    const napoli = await client('comune-napoli');
    const text = encodeURIComponent('perdita di acqua dal tombino davanti alla scuola');
    const label = async (lang: string) =>
      ((await napoli.get(`/api/v1/tickets/similar?text=${text}`, { 'accept-language': lang })).json().items[0] as { topic: { code: string; label: string } }).topic;
    const [italian, english] = [await label('it'), await label('en')];
    expect(italian.code).toBe('manutenzione_urbana.servizio_idrico');
    expect(english.code).toBe(italian.code);
    expect(english.label).not.toBe(italian.label);
  });

  it('shows the problem to another body cleaned, with an opaque reference instead of the ticket code', async () => {
    const napoli = await client('comune-napoli');
    const items = await similar(napoli, 'perdita di acqua dal tombino davanti alla scuola');
    const hit = items[0]!;
    expect(hit).toMatchObject({ readable: false, organisation: { name: expect.stringContaining('Celano') } });
    expect(hit).not.toHaveProperty('code');
    const body = JSON.stringify(items);
    for (const secret of ['Pelliccione', 'Ottavio', '5551234', 'PLLTTV61C12C426K', celanoCode]) expect(body).not.toContain(secret);
    expect(hit.subject).toContain('tombino');
    expect(hit.ref).not.toContain(celanoCode.replace(/-/g, ''));
    // Stable: the same ticket has the same reference in the next search.
    const again = await similar(napoli, 'tombino perdita acqua scuola');
    expect(again.find((i) => i.ref === hit.ref)).toBeDefined();
  });

  it('shows the code and the text to a body the ticket is shared with', async () => {
    const celano = await client('comune-celano');
    const salerno = await client('comune-salerno');
    expect(await similar(salerno, 'Pelliccione')).toEqual([]);
    const share = await celano.post(`/api/v1/tickets/${celanoCode}/shares`, { officeId: salerno.officeId, mode: 'consult', reason: 'Stesso gestore idrico' });
    expect(share.statusCode, share.body).toBe(201);
    expect((await salerno.post(`/api/v1/shares/${share.json().id}/accept`)).statusCode).toBe(200);
    const found = await similar(salerno, 'Pelliccione');
    expect(found[0]).toMatchObject({ readable: true, code: celanoCode });
  });

  it('lets an operator ask the owning office to share, link or open an incident by reference', async () => {
    const napoli = await client('comune-napoli');
    const mine = (await napoli.post('/api/v1/tickets', ticketInput(napoli, { subject: 'Perdita acqua tombino scuola', description: 'Acqua che esce dal tombino vicino alla scuola.' }))).json();
    const hit = (await similar(napoli, 'perdita di acqua dal tombino davanti alla scuola')).find((i) => !i.readable);
    const res = await napoli.post(`/api/v1/tickets/similar/${hit!.ref}/requests`, { kind: 'share', ticketCode: mine.code, message: 'Abbiamo un contatto sullo stesso problema' });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().id).toEqual(expect.any(String));
    const celano = await client('comune-celano');
    await t.events.drain(); // the owner office is told by the event's handler, after commit
    const notes = (await celano.get('/api/v1/notifications')).json().items as { kind: string; ticketCode: string | null; title: string; body: string | null }[];
    const note = notes.find((n) => n.kind === 'similar.requested');
    expect(note).toMatchObject({ ticketCode: celanoCode });
    // The asking office's citizen code is not handed to the other body.
    expect(JSON.stringify(note)).not.toContain(mine.code);
    // Only for the caller's own tickets, and only for references that exist.
    const other = (await (await client('comune-salerno')).post('/api/v1/tickets', ticketInput(await client('comune-salerno')))).json();
    expect((await napoli.post(`/api/v1/tickets/similar/${hit!.ref}/requests`, { kind: 'link', ticketCode: other.code })).statusCode).toBe(404);
    expect((await napoli.post('/api/v1/tickets/similar/AAAAAAAAAAAAAAAAAAAAAA/requests', { kind: 'link', ticketCode: mine.code })).statusCode).toBe(404);
  });

  it('keeps the same privacy on the index path used above a few thousand open tickets', async () => {
    // The same search as the route, forced to take its candidates from the indexes.
    const find = (c: Client, text: string) =>
      findSimilarTickets(t.database.db, { text, topic: null, territory: null, windowDays: 30, limit: 10, readable: { officeIds: [c.officeId], organisationIds: [] }, exhaustiveBelow: 0 });
    const napoli = await client('comune-napoli');
    const celano = await client('comune-celano');
    for (const probe of ['Pelliccione', 'Ottavio Pelliccione', '347 5551234', 'PLLTTV61C12C426K']) expect(await find(napoli, probe), probe).toEqual([]);
    expect((await find(celano, 'Pelliccione'))[0]).toMatchObject({ code: celanoCode, readable: true });
    const other = (await find(napoli, 'perdita di acqua dal tombino davanti alla scuola')).find((i) => i.code === celanoCode);
    expect(other).toMatchObject({ readable: false });
    expect(other!.subject).not.toContain('Pelliccione');
  });

  it('cleans the copy again when the requester data change, not only the text', async () => {
    const celano = await client('comune-celano');
    const napoli = await client('comune-napoli');
    const created = await celano.post('/api/v1/tickets', ticketInput(celano, {
      subject: 'Cassonetti rovesciati in piazza del mercato',
      description: 'Chiama Quagliarella: cassonetti rovesciati in piazza del mercato dopo il vento di stanotte.',
      requester: { name: 'Anna Neri' },
    }));
    expect(created.statusCode, created.body).toBe(201);
    await t.events.drain();
    const byName = async () => (await similar(napoli, 'Quagliarella')).filter((i) => i.subject.includes('Cassonetti'));
    // The recogniser alone cannot tell that this surname is a person's: the copy holds it…
    expect(await byName()).toHaveLength(1);
    const edit = await celano.patch(`/api/v1/tickets/${created.json().code}`, { requester: { name: 'Quagliarella' } }, { 'if-match': created.headers.etag as string });
    expect(edit.statusCode, edit.body).toBe(200);
    await t.events.drain();
    const items = await similar(napoli, 'cassonetti rovesciati piazza mercato');
    expect(items.length).toBeGreaterThan(0);
    expect(JSON.stringify(items)).not.toContain('Quagliarella');
    // …until the operator records it as the requester's name: the copy is cleaned again with it.
    expect(await byName()).toEqual([]);
  });

  it('cleans incident titles and descriptions seen by the whole network', async () => {
    const celano = await client('comune-celano');
    const inc = await celano.post('/api/v1/incidents', {
      officeId: celano.officeId, title: 'Guasto condotta segnalato da Ottavio Pelliccione',
      description: 'La sig.ra Maria Bianchi (tel. 333 1234567) segnala acqua assente in tutto il centro.',
    });
    expect(inc.statusCode, inc.body).toBe(201);
    const napoli = await client('comune-napoli');
    const list = JSON.stringify((await napoli.get('/api/v1/incidents')).json());
    const one = JSON.stringify((await napoli.get(`/api/v1/incidents/${inc.json().id}`)).json());
    for (const text of [list, one]) {
      expect(text).toContain('Guasto condotta');
      for (const secret of ['Pelliccione', 'Bianchi', '1234567']) expect(text).not.toContain(secret);
    }
  });
});

describe('duplicate-of follows the rules of a resolve (issue 9, point 11)', () => {
  it('refuses while tasks are open', async () => {
    const celano = await client('comune-celano');
    const napoli = await client('comune-napoli');
    const target = (await napoli.post('/api/v1/tickets', ticketInput(napoli))).json();
    const mine = (await celano.post('/api/v1/tickets', ticketInput(celano))).json();
    expect((await celano.post(`/api/v1/tickets/${mine.code}/tasks`, { officeId: celano.officeId, title: 'Richiamare il cittadino' })).statusCode).toBe(201);
    const res = await celano.post(`/api/v1/tickets/${mine.code}/duplicate-of`, { targetCode: target.code });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().code).toBe('ticket.open_tasks');
    expect((await celano.get(`/api/v1/tickets/${mine.code}`)).json()).toMatchObject({ status: 'new', outcome: null });
  });

  it('refuses when a required facet is still missing', async () => {
    const celano = await client('comune-celano');
    const napoli = await client('comune-napoli');
    const target = (await napoli.post('/api/v1/tickets', ticketInput(napoli, { classification: { tipo: 'informazione' } }))).json();
    const mine = (await celano.post('/api/v1/tickets', ticketInput(celano, { classification: {} }))).json();
    const res = await celano.post(`/api/v1/tickets/${mine.code}/duplicate-of`, { targetCode: target.code });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().code).toBe('ticket.classification_incomplete');
  });

  it("never copies another body's local taxonomy code: the network parent is taken instead", async () => {
    const napoliAdmin = await login(t.app, demoEmail('admin', 'comune-napoli'));
    const local = await napoliAdmin.post('/api/v1/taxonomy/local-nodes', {
      organisationId: napoliAdmin.organisationId, facet: 'tema', parentCode: 'tributi.tari', localCode: 'riduzioni_isee', label: { it: 'Riduzioni ISEE' },
    });
    expect(local.statusCode, local.body).toBe(201);
    const napoli = await client('comune-napoli');
    const target = (await napoli.post('/api/v1/tickets', ticketInput(napoli, { classification: { tipo: 'informazione', tema: local.json().code } }))).json();
    expect(target.code, JSON.stringify(target)).toBeDefined();
    const celano = await client('comune-celano');
    const mine = (await celano.post('/api/v1/tickets', ticketInput(celano, { classification: { tipo: 'segnalazione' } }))).json();
    const res = await celano.post(`/api/v1/tickets/${mine.code}/duplicate-of`, { targetCode: target.code });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await celano.get(`/api/v1/tickets/${mine.code}`)).json();
    expect(after).toMatchObject({ status: 'resolved', outcome: 'duplicato', classification: { tipo: 'segnalazione', tema: 'tributi.tari', esito: 'duplicato' } });
  });
});

interface LabelledSet {
  groups: { id: string; topic: string; org: string; texts: [string, string][] }[];
  distractors: [string, string, string][];
}

describe('similar-ticket ranking on held-out groups (issue 9, point 23)', () => {
  // Held-out groups (bench/similar-precision.heldout.json), asked by a body that owns none of them, so
  // matched on cleaned texts. With the topic the operator has chosen (as the new-ticket form sends
  // it) the issue's targets hold; on text alone the floor is the plain TF-IDF measured by the bench.
  it('puts a ticket of the same problem first and finds its group-mates, above a plain TF-IDF', async () => {
    const set = JSON.parse(readFileSync(new URL('../bench/similar-precision.heldout.json', import.meta.url), 'utf8')) as LabelledSet;
    const app = await buildTestApp();
    try {
      const groupOf = new Map<string, string>();
      const logins = new Map<string, Client>();
      const as = async (org: string) => {
        if (!logins.has(org)) logins.set(org, await login(app.app, demoEmail('operatore', org)));
        return logins.get(org)!;
      };
      for (const g of set.groups) {
        const c = await as(g.org);
        for (const [subject, description] of g.texts.slice(0, 3)) {
          const res = await c.post('/api/v1/tickets', ticketInput(c, { subject, description, requester: undefined, classification: { tipo: 'segnalazione', tema: g.topic } }));
          expect(res.statusCode, res.body).toBe(201);
          groupOf.set(res.json().code, g.id);
        }
      }
      for (const [subject, description, org] of set.distractors) {
        const c = await as(org);
        const res = await c.post('/api/v1/tickets', ticketInput(c, { subject, description, requester: undefined, classification: { tipo: 'informazione' } }));
        groupOf.set(res.json().code, 'distractor');
      }
      await app.events.drain();
      // Asked by a body that owns none of them: matched on the cleaned texts; the owners' view checks the codes.
      const asker = await login(app.app, demoEmail('operatore', 'comune-celano'));
      const refGroup = new Map<string, string>();
      for (const [org, c] of logins) {
        for (const g of set.groups.filter((x) => x.org === org)) {
          const items = (await c.get(`/api/v1/tickets/similar?text=${encodeURIComponent(g.texts.slice(0, 3).map((x) => x.join('. ')).join(' '))}&limit=50`)).json().items as { ref: string; code?: string }[];
          for (const i of items) if (i.code) refGroup.set(i.ref, groupOf.get(i.code)!);
        }
      }
      const measure = async (withTopic: boolean) => {
        let p1 = 0;
        let recall = 0;
        const misses: string[] = [];
        for (const g of set.groups) {
          const [subject, description] = g.texts[3]!;
          const url = `/api/v1/tickets/similar?text=${encodeURIComponent(`${subject}. ${description}`)}${withTopic ? `&topic=${g.topic}` : ''}`;
          const items = (await asker.get(url)).json().items as { ref: string }[];
          const groups = items.map((i) => refGroup.get(i.ref));
          if (groups[0] === g.id) p1++;
          else misses.push(`${g.id} → ${groups[0]}`);
          recall += groups.slice(0, 5).filter((x) => x === g.id).length / 3;
        }
        return { p1: p1 / set.groups.length, recall: recall / set.groups.length, misses: misses.join('; ') };
      };
      const withTopic = await measure(true);
      expect(withTopic.p1, withTopic.misses).toBeGreaterThanOrEqual(0.9);
      expect(withTopic.recall).toBeGreaterThanOrEqual(0.85);
      // Plain TF-IDF on the same texts scored 0.784 / 0.730 (bench/similar-precision.bench.ts).
      const textOnly = await measure(false);
      expect(textOnly.p1, textOnly.misses).toBeGreaterThanOrEqual(0.85);
      expect(textOnly.recall).toBeGreaterThanOrEqual(0.75);
    } finally {
      await app.close();
    }
  }, 180_000);
});
