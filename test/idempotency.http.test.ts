import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

/**
 * `Idempotency-Key` on the creates that lacked it (issue 9, point 22): a retried create with the same
 * key replays the first response and creates nothing more; the same key with another body is a 422.
 */
let t: TestApp;
let celanoAdmin: Client;
let coordinator: Client;

beforeAll(async () => {
  t = await buildTestApp();
  celanoAdmin = await login(t.app, demoEmail('admin', 'comune-celano'));
  coordinator = await login(t.app, demoEmail('coordinatore'));
});
afterAll(async () => {
  await t?.close();
});

let keys = 0;
const newKey = () => `idem-test-${String(++keys).padStart(4, '0')}`;

/** Sends the create twice under one key, then a different create under the same key. */
async function expectIdempotent(client: Client, first: InjectOptions, different: InjectOptions, countRows: () => Promise<number>): Promise<LightMyRequestResponse> {
  const key = newKey();
  const before = await countRows();
  const created = await client.request({ ...first, headers: { ...first.headers, 'idempotency-key': key } });
  expect(created.statusCode, created.body).toBe(201);
  expect(created.headers['idempotent-replayed']).toBeUndefined();
  const replayed = await client.request({ ...first, headers: { ...first.headers, 'idempotency-key': key } });
  expect(replayed.statusCode, replayed.body).toBe(201);
  expect(replayed.headers['idempotent-replayed']).toBe('true');
  expect(replayed.json().id).toBe(created.json().id);
  expect(await countRows()).toBe(before + 1);
  const reused = await client.request({ ...different, headers: { ...different.headers, 'idempotency-key': key } });
  expect(reused.statusCode, reused.body).toBe(422);
  expect(reused.json().code).toBe('idempotency.key_reused');
  expect(await countRows()).toBe(before + 1);
  return created;
}

const count = (table: 'faq_articles' | 'taxonomy_drafts' | 'taxonomy_proposals' | 'taxonomy_local_nodes' | 'history_imports' | 'history_mappings') => async () => {
  const row = await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<string | number | bigint>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
};

const post = (url: string, payload: unknown): InjectOptions => ({ method: 'POST', url, payload: payload as object });

function csvUpload(organisationId: string, content: string): InjectOptions {
  const head = `--B\r\nContent-Disposition: form-data; name="file"; filename="storico.csv"\r\nContent-Type: text/csv\r\n\r\n`;
  return {
    method: 'POST', url: `/api/v1/history-imports?organisationId=${organisationId}`,
    payload: `${head}${content}\r\n--B--\r\n`, headers: { 'content-type': 'multipart/form-data; boundary=B' },
  };
}

describe('Idempotency-Key on every create', () => {
  it('FAQ create', async () => {
    const body = { scope: 'organisation', title: 'Come si richiede il contrassegno disabili?', body: 'Allo sportello della polizia locale, con il certificato medico.' };
    await expectIdempotent(celanoAdmin, post('/api/v1/faq', body), post('/api/v1/faq', { ...body, title: 'Altra domanda sul contrassegno' }), count('faq_articles'));
  });

  it('taxonomy draft', async () => {
    await expectIdempotent(coordinator, post('/api/v1/taxonomy/drafts', { version: '1.1.0' }), post('/api/v1/taxonomy/drafts', { version: '1.2.0' }), count('taxonomy_drafts'));
  });

  it('taxonomy proposal', async () => {
    const body = { organisationId: celanoAdmin.organisationId, rationale: 'Il tema della sanità si chiama «Salute» nei nostri uffici.', operations: [{ op: 'rename', facet: 'tema', code: 'sanita', label: { it: 'Salute' } }] };
    await expectIdempotent(celanoAdmin, post('/api/v1/taxonomy/proposals', body), post('/api/v1/taxonomy/proposals', { ...body, rationale: 'Un altro motivo, abbastanza lungo.' }), count('taxonomy_proposals'));
  });

  it('taxonomy local node', async () => {
    const body = { organisationId: celanoAdmin.organisationId, facet: 'tema', parentCode: 'tributi.tari', localCode: 'riduzioni_compostaggio', label: { it: 'Riduzione TARI per compostaggio' } };
    await expectIdempotent(celanoAdmin, post('/api/v1/taxonomy/local-nodes', body), post('/api/v1/taxonomy/local-nodes', { ...body, localCode: 'altro_nodo' }), count('taxonomy_local_nodes'));
  });

  it('history import upload (the same file replays; another file under the same key is refused)', async () => {
    const csv = 'Id;Creato;Categoria\n1;2024-01-02;Strade\n2;2024-01-03;Rifiuti\n';
    await expectIdempotent(celanoAdmin, csvUpload(celanoAdmin.organisationId, csv), csvUpload(celanoAdmin.organisationId, `${csv}3;2024-01-04;Verde\n`), count('history_imports'));
  });

  it('history import upload as a raw text/csv body', async () => {
    const raw = (content: string): InjectOptions => ({
      method: 'POST', url: `/api/v1/history-imports?organisationId=${celanoAdmin.organisationId}&filename=grezzo.csv`, payload: content, headers: { 'content-type': 'text/csv' },
    });
    const csv = 'Id;Creato;Categoria\n10;2024-02-02;Strade\n';
    await expectIdempotent(celanoAdmin, raw(csv), raw(`${csv}11;2024-02-03;Verde\n`), count('history_imports'));
  });

  it('history mapping', async () => {
    const body = { organisationId: celanoAdmin.organisationId, name: 'vecchio-gestionale', taxonomyVersion: '1.0.0', categories: [], channels: [], statuses: [] };
    await expectIdempotent(celanoAdmin, post('/api/v1/history-mappings', body), post('/api/v1/history-mappings', { ...body, name: 'altro-gestionale' }), count('history_mappings'));
  });
});
