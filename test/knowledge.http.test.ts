import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

const corpus = readFileSync(path.resolve(import.meta.dirname, '..', 'data-seed', 'faq', 'corpus.jsonl'), 'utf8');

let t: TestApp;
let coordinator: Client;
let operator: Client;

const importBody = (client: Client, body: string) => client.request({ method: 'POST', url: '/api/v1/faq/import', payload: body, headers: { 'content-type': 'text/plain; charset=utf-8' } });
const portal = (query: string) => t.app.inject({ method: 'GET', url: `/api/v1/portal/faq/search?${query}` });

beforeAll(async () => {
  t = await buildTestApp();
  coordinator = await login(t.app, demoEmail('coordinatore'));
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  const res = await importBody(coordinator, corpus);
  expect(res.statusCode, res.body).toBe(200);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('FAQ import and export', () => {
  it('imported the corpus as published FAQs, local ones owned by their organisation', async () => {
    const list = (await portal('q=orari%20urp%20celano')).json();
    const first = list.items[0];
    expect(first).toMatchObject({ externalId: 'faq-0261', scope: 'organisation', organisation: { name: 'Comune di Celano' } });
    const faq = (await operator.get(`/api/v1/faq/${first.id}`)).json();
    expect(faq).toMatchObject({ status: 'published', version: 1, tema: expect.any(String), tags: expect.arrayContaining(['URP Celano']) });
  });

  it('updates on re-import instead of duplicating, and reports malformed lines by number', async () => {
    const lines = corpus.trim().split('\n');
    const changed = JSON.parse(lines[0]!);
    changed.title = 'Che cos’è lo SPID e come si ottiene?';
    const body = [JSON.stringify(changed), lines[1], '{"id": "rotta"', JSON.stringify({ id: 'faq-new', title: 'x', body: 'y' }), JSON.stringify({ id: 'faq-9000', title: 'Nuova FAQ di prova sul canone unico', body: 'Testo.', scope: 'network', owner: 'Rete URP', tags: [], lang: 'it' })].join('\n');
    const res = await importBody(coordinator, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ lines: 5, inserted: 1, updated: 1, unchanged: 1 });
    expect(res.json().errors.map((e: { line: number }) => e.line)).toEqual([3, 4]);
    const again = await importBody(coordinator, body);
    expect(again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    const exported = await coordinator.get('/api/v1/faq/export');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toContain('application/x-ndjson');
    const records = exported.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(records).toHaveLength(336);
    expect(records.find((r: { id: string }) => r.id === 'faq-0001')).toMatchObject({ title: 'Che cos’è lo SPID e come si ottiene?', version: 2 });
    expect(records.find((r: { id: string }) => r.id === 'faq-0321')).toMatchObject({ lang: 'en', translation_of: 'faq-0001' });
    // The change is visible to search at once on this instance.
    expect((await portal('q=canone%20unico%20prova')).json().items[0].externalId).toBe('faq-9000');
  });

  it('warns when a re-import replaces the live text of a FAQ that has an edit in progress', async () => {
    const lines = corpus.trim().split('\n');
    const record = JSON.parse(lines[5]!);
    const id = (await portal(`q=${encodeURIComponent(record.title)}`)).json().items.find((i: { externalId: string }) => i.externalId === record.id).id;
    const faq = (await coordinator.get(`/api/v1/faq/${id}`)).json();
    const edit = await coordinator.patch(`/api/v1/faq/${id}`, { body: `${record.body} Modifica in redazione.` }, { 'if-match': `"${faq.version}"` });
    expect(edit.statusCode, edit.body).toBe(200);
    const res = await importBody(coordinator, JSON.stringify({ ...record, body: `${record.body} Testo importato.` }));
    expect(res.json()).toMatchObject({ updated: 1, warnings: [{ line: 1, id: record.id, message: expect.stringContaining('modifica in corso') }] });
    const after = (await coordinator.get(`/api/v1/faq/${id}`)).json();
    expect(after.body).toContain('Testo importato.');
    expect(after.revision.body).toContain('Modifica in redazione.');
  });

  it('lets only the editorial board import and export', async () => {
    expect((await importBody(operator, corpus)).statusCode).toBe(403);
    expect((await operator.get('/api/v1/faq/export')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/faq/import', payload: corpus, headers: { 'content-type': 'text/plain' } })).statusCode).toBe(401);
    const bad = '{"id":"faq-9200","title":"x","body":"testo"}\nnon json';
    const inItalian = (await importBody(coordinator, bad)).json();
    expect(inItalian.errors.map((e: { line: number; message: string }) => [e.line, e.message])).toEqual([
      [1, '«title» deve avere da 3 a 300 caratteri (ne ha 1)'],
      [2, expect.stringMatching(/^JSON non valido: /)],
    ]);
    const inEnglish = await coordinator.request({ method: 'POST', url: '/api/v1/faq/import', payload: bad, headers: { 'content-type': 'text/plain', 'accept-language': 'en' } });
    expect(inEnglish.json().errors.map((e: { message: string }) => e.message)).toEqual(['“title” must have 3 to 300 characters (it has 1)', expect.stringMatching(/^Invalid JSON: /)]);
    const empty = await importBody(coordinator, '\n\n');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe('faq.import_empty');
  });
});

describe('FAQ search', () => {
  it('answers anonymous citizens on the portal, with acronyms, synonyms, typos and places', async () => {
    const cases: [string, string][] = [['spid', 'faq-0001'], ['tari%20napoli%20scadenza', 'faq-0269'], ['cambio%20resideza', 'faq-0025']];
    for (const [q, expected] of cases) {
      const res = await portal(`q=${q}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().items.slice(0, 5).map((i: { externalId: string }) => i.externalId), q).toContain(expected);
    }
    const first = (await portal('q=carta%20identit%C3%A0%20elettronica&limit=3')).json();
    expect(first.items).toHaveLength(3);
    expect(first.items[0]).toMatchObject({ title: expect.any(String), snippet: expect.any(String), score: expect.any(Number) });
    expect(first).not.toHaveProperty('interpretation');
    const detail = await t.app.inject({ method: 'GET', url: `/api/v1/portal/faq/${first.items[0].id}` });
    expect(detail.statusCode).toBe(200);
  });

  it('boosts the FAQs of the portal’s place', async () => {
    const res = (await portal('q=orari%20urp&place=Celano')).json();
    expect(res.items[0].externalId).toBe('faq-0261');
  });

  it('answers bad input with problem+json or empty results, never a 500', async () => {
    for (const q of ['', 'x'.repeat(2000)]) {
      const res = await portal(`q=${q}`);
      expect(res.statusCode, q.slice(0, 10)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('request.validation');
    }
    expect((await portal('')).statusCode).toBe(400);
    expect((await portal('q=spid&lang=xx')).statusCode).toBe(400);
    expect((await portal('q=spid&limit=1000')).statusCode).toBe(400);
    for (const q of ['?!?!...', '%27%3B%20drop%20table%20faq_articles%3B%20--', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'where%20is%20the%20registry%20office', '%E6%A3%80%E7%B4%A2']) {
      const res = await portal(`q=${q}`);
      expect(res.statusCode, q).toBe(200);
      expect(Array.isArray(res.json().items)).toBe(true);
    }
    expect((await portal('q=%3F%21%3F')).json()).toMatchObject({ items: [], notice: expect.any(String) });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/portal/faq/00000000-0000-0000-0000-000000000000' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/portal/faq/not-a-uuid' })).statusCode).toBe(400);
  });

  it('falls back to Italian when the requested language has no answer', async () => {
    const en = (await portal('q=passport&lang=en')).json();
    expect(en.lang).toBe('en');
    expect(en.items[0].externalId).toBe('faq-0329');
    const fallback = (await portal('q=cambio%20residenza&lang=de')).json();
    expect(fallback.lang).toBe('it');
    expect(fallback.items.length).toBeGreaterThan(0);
  });

  it('gives operators suggestions from a ticket text, with the interpretation', async () => {
    const q = encodeURIComponent('La cittadina chiede come pagare la tassa sui rifiuti a rate');
    const res = await operator.get(`/api/v1/faq/search?q=${q}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().interpretation.expansions).toContain('tar');
    expect(res.json().items.slice(0, 5).map((i: { tema: string }) => i.tema)).toContain('tributi.tari');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/faq/search?q=spid' })).statusCode).toBe(401);
  });

  it('uses thesaurus entries added by the editorial board', async () => {
    const before = (await portal('q=mondezzaio')).json().items;
    expect(before.map((i: { tema: string }) => i.tema)).not.toContain('tributi.tari');
    const denied = await operator.post('/api/v1/faq/thesaurus', { kind: 'synonym', terms: ['mondezzaio', 'TARI'] });
    expect(denied.statusCode).toBe(403);
    const bad = await coordinator.post('/api/v1/faq/thesaurus', { kind: 'synonym', terms: ['di', 'la'] });
    expect(bad.statusCode).toBe(400);
    const added = await coordinator.post('/api/v1/faq/thesaurus', { kind: 'synonym', terms: ['mondezzaio', 'TARI'] });
    expect(added.statusCode, added.body).toBe(201);
    expect((await portal('q=mondezzaio')).json().items[0].tema).toBe('tributi.tari');
    expect((await operator.get('/api/v1/faq/thesaurus')).json().items.length).toBeGreaterThan(100);
    expect((await coordinator.delete(`/api/v1/faq/thesaurus/${added.json().id}`)).statusCode).toBe(204);
    expect((await portal('q=mondezzaio')).json().items.map((i: { tema: string }) => i.tema)).not.toContain('tributi.tari');
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const p of ['/api/v1/portal/faq/search', '/api/v1/faq/search', '/api/v1/faq/{id}', '/api/v1/faq/import']) expect(doc.paths, p).toHaveProperty([p]);
  });
});

describe('the search index of another server instance', () => {
  it('notices a change made elsewhere through the revision counter and rebuilds', async () => {
    const { createFaqSearchEngine } = await import('../src/modules/knowledge/index.js');
    // Without the general lexicon, which would bridge "disinfestazione" to "pulizia": the point here is that nothing matches before the import.
    const other = createFaqSearchEngine(t.database.db, { checkIntervalMs: 0, lexicon: new Map() });
    await other.warm();
    expect((await other.search({ query: 'zanzara tigre disinfestazione' })).items).toEqual([]);
    const res = await importBody(coordinator, JSON.stringify({ id: 'faq-9100', title: 'Disinfestazione dalla zanzara tigre', body: 'Il Comune programma i trattamenti.', scope: 'network', owner: 'Rete URP', tags: [], lang: 'it' }));
    expect(res.json().inserted).toBe(1);
    // The first search after the change still answers from the old index while the new one is built.
    await other.search({ query: 'zanzara tigre disinfestazione' });
    await expect.poll(async () => (await other.search({ query: 'zanzara tigre disinfestazione' })).items[0]?.faq.externalId, { timeout: 10_000 }).toBe('faq-9100');
  });
});
