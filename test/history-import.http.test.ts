import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMIT_JOB, type CommitJobData, runCommitJob } from '../src/modules/history-import/history-import.service.js';
import { createJobRunner, type JobRunner, poolExecutor } from '../src/platform/jobs/index.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

const FIXTURES = path.resolve('test/fixtures/history-import');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const alessandriaMapping = JSON.parse(readFileSync('data-seed/mappings/alessandria.json', 'utf8'));
const bostonMapping = JSON.parse(readFileSync('data-seed/mappings/boston-311.json', 'utf8'));

let t: TestApp;
let admin: Client;
let napoliAdmin: Client;
let operator: Client;

beforeAll(async () => {
  t = await buildTestApp();
  admin = await login(t.app, demoEmail('admin', 'comune-celano'));
  napoliAdmin = await login(t.app, demoEmail('admin', 'comune-napoli'));
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/**
 * The commit as the web page sees it: the request answers 202 with the import `committing`, the
 * job runs (here: when the test says so), and the import's page then shows the report.
 */
async function commit(client: Client, id: string, body: { mappingId: string; unmappedPolicy: string }) {
  const res = await client.post(`/api/v1/history-imports/${id}/commit`, body);
  expect(res.statusCode, res.body).toBe(202);
  expect(res.headers.location).toBe(`/api/v1/history-imports/${id}`);
  expect(res.json()).toMatchObject({ id, status: 'committing', progress: { done: 0, total: expect.any(Number) }, error: null });
  await t.jobs.runDue();
  const after = await client.get(`/api/v1/history-imports/${id}`);
  expect(after.statusCode).toBe(200);
  return { import: after.json(), report: after.json().report };
}

function multipart(filename: string, content: Buffer | string) {
  const head = Buffer.from(`--B\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`);
  return { payload: Buffer.concat([head, Buffer.isBuffer(content) ? content : Buffer.from(content), Buffer.from('\r\n--B--\r\n')]), headers: { 'content-type': 'multipart/form-data; boundary=B' } };
}

async function upload(client: Client, filename: string, content: Buffer | string, query = '') {
  return client.request({ method: 'POST', url: `/api/v1/history-imports?organisationId=${admin.organisationId}${query}`, ...multipart(filename, content) });
}

function mappingBody(doc: { name: string; taxonomyVersion: string; categories: unknown[]; channels: unknown[]; statuses: unknown[] }, overrides: Record<string, unknown> = {}) {
  return { organisationId: admin.organisationId, name: doc.name, taxonomyVersion: doc.taxonomyVersion, categories: doc.categories, channels: doc.channels, statuses: doc.statuses, ...overrides };
}

describe('historical contacts import', () => {
  let importId = '';
  let mappingId = '';

  it('uploads a CSV, sniffs encoding, delimiter and header, and previews it', async () => {
    const res = await upload(admin, 'alessandria-sample.csv', fixture('alessandria-sample.csv'));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ encoding: 'utf-8', delimiter: ';', hasHeader: true, rowCount: 11, status: 'uploaded', source: 'alessandria-sample', fileAvailable: true });
    expect(body.columns).toEqual(['Id', 'Stato', 'Anno', 'Creato', 'Chiusa', 'DescrizioneBreve', 'Categoria']);
    expect(body.preview.rows[0]).toEqual({ line: 2, cells: ['655788', 'chiusa', '2023', '2023-05-08', '2023-05-25', 'App Municipium', 'Buche'] });
    expect(body.preview.rows[1].cells[6]).toBe('Buche;Tombini');
    expect(body.preview.dateFormats.Chiusa).toEqual(['iso']);
    importId = body.id;
  });

  it('saves a mapping as a versioned resource, and refuses codes absent from the taxonomy', async () => {
    const first = await admin.post('/api/v1/history-mappings', mappingBody(alessandriaMapping));
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ name: 'alessandria-municipium', version: 1, taxonomyVersion: '1.0.0' });
    mappingId = first.json().id;
    const same = await admin.post('/api/v1/history-mappings', mappingBody(alessandriaMapping));
    expect(same.statusCode).toBe(200);
    expect(same.json().id).toBe(mappingId);
    const bad = await admin.post('/api/v1/history-mappings', mappingBody(alessandriaMapping, {
      categories: [{ legacy: 'Buche', tema: 'manutenzione_urbana.buche' }, { legacy: 'Altro', tema: 'rapporti_pa', tipo: 'lamentela' }],
    }));
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().code).toBe('history_mapping.invalid');
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(['categories[0].tema', 'categories[1].tipo']);
    expect(bad.json().detail).toContain('manutenzione_urbana.buche');
    const badEn = await admin.post('/api/v1/history-mappings', mappingBody(alessandriaMapping, {
      categories: [{ legacy: 'Buche', tema: 'manutenzione_urbana.buche' }, { legacy: 'Altro', tema: 'rapporti_pa', tipo: 'lamentela' }],
    }), { 'accept-language': 'en' });
    expect(badEn.json()).toMatchObject({ code: 'history_mapping.invalid', errors: [{ path: 'categories[0].tema' }, { path: 'categories[1].tipo' }] });
    expect(badEn.json().errors[0].message).toMatch(/^no code “manutenzione_urbana\.buche” in the facet “tema” of taxonomy /);
    expect(badEn.json().detail).toMatch(/^Invalid mapping: no code “manutenzione_urbana\.buche”/);
    const unknownVersion = await admin.post('/api/v1/history-mappings', mappingBody(alessandriaMapping, { taxonomyVersion: '9.9.9' }));
    expect(unknownVersion.json().code).toBe('history_mapping.unknown_taxonomy_version');
    const v2 = await admin.post('/api/v1/history-mappings', mappingBody(alessandriaMapping, { categories: [...alessandriaMapping.categories, { legacy: 'Altro', tema: 'manutenzione_urbana' }] }));
    expect(v2.statusCode).toBe(201);
    expect(v2.json().version).toBe(2);
    const list = (await admin.get(`/api/v1/history-mappings?organisationId=${admin.organisationId}`)).json().items;
    expect(list.map((m: { version: number }) => m.version)).toEqual([2, 1]);
  });

  it('needs column roles before listing values, and rejects unknown columns', async () => {
    expect((await admin.get(`/api/v1/history-imports/${importId}/values`)).json().code).toBe('history_import.not_configured');
    const bad = await admin.request({ method: 'PUT', url: `/api/v1/history-imports/${importId}/columns`, payload: { ...alessandriaMapping.columns, category: 'Categorie' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('history_import.unknown_column');
    expect(bad.json().detail).toContain('«Categorie»');
    const ok = await admin.request({ method: 'PUT', url: `/api/v1/history-imports/${importId}/columns`, payload: alessandriaMapping.columns });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('configured');
  });

  it('lists the distinct legacy values with counts and whether the mapping covers them', async () => {
    const res = await admin.get(`/api/v1/history-imports/${importId}/values?mappingId=${mappingId}`);
    expect(res.statusCode, res.body).toBe(200);
    const { categories, combinations, channels, statuses } = res.json();
    const byValue = Object.fromEntries(categories.map((c: { value: string }) => [c.value, c]));
    expect(byValue.Buche).toEqual({ value: 'Buche', count: 5, mapped: true });
    expect(byValue.Tombini).toEqual({ value: 'Tombini', count: 1, mapped: true });
    expect(byValue.Altro).toEqual({ value: 'Altro', count: 1, mapped: false });
    expect(byValue['']).toEqual({ value: '', count: 1, mapped: false });
    expect(combinations).toEqual([{ value: 'Buche + Tombini', count: 1, mapped: false }]);
    expect(channels).toEqual([{ value: 'App Municipium', count: 10, mapped: true }]);
    expect(statuses.find((s: { value: string }) => s.value === 'chiusa')).toMatchObject({ mapped: false });
  });

  it('dry run reports importable, rejected (line and reason) and unmapped rows without writing', async () => {
    const res = await admin.post(`/api/v1/history-imports/${importId}/dry-run`, { mappingId, unmappedPolicy: 'skip' });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json().report;
    expect(r).toMatchObject({ mode: 'dry_run', totalRows: 11, imported: 5, unclassified: 0, alreadyPresent: 0, rejected: 6 });
    expect(r.rejectedByReason).toMatchObject({ missing_id: 1, bad_date: 1, column_count: 1, duplicate_id: 1, unmapped_category: 2 });
    expect(r.rejectedRows.map((x: { line: number; reason: string }) => [x.line, x.reason])).toEqual([
      [5, 'unmapped_category'], [6, 'missing_id'], [7, 'bad_date'], [8, 'column_count'], [10, 'duplicate_id'], [12, 'unmapped_category'],
    ]);
    expect(r.unmappedCategories).toEqual([{ value: '', count: 1 }, { value: 'Altro', count: 1 }]);
    expect(res.json().import.status).toBe('checked');
    expect((await admin.get(`/api/v1/history-imports/${importId}/contacts`)).json().total).toBe(0);
  });

  it('commits, importing unmapped rows as unclassified when asked, with personal data held for anonymisation', async () => {
    const res = await commit(admin, importId, { mappingId, unmappedPolicy: 'unclassified' });
    expect(res.report).toMatchObject({ mode: 'commit', imported: 7, unclassified: 2, rejected: 4 });
    expect(res.import).toMatchObject({ status: 'committed', importedCount: 7, fileAvailable: false, progress: { done: 11, total: 11 }, error: null });
    const contacts = (await admin.get(`/api/v1/history-imports/${importId}/contacts?limit=200`)).json();
    expect(contacts.total).toBe(7);
    const first = contacts.items.find((c: { legacyId: string }) => c.legacyId === '655788');
    expect(first).toMatchObject({
      createdAt: '2023-05-07T22:00:00.000Z', closedAt: '2023-05-24T22:00:00.000Z', legacyChannel: 'App Municipium', legacyCategory: 'Buche', legacyStatus: 'chiusa',
      taxonomyVersion: '1.0.0', classification: { tema: 'manutenzione_urbana.buche_strade', tipo: 'segnalazione', canale: 'app' }, classified: true, anonymised: false,
    });
    const combo = contacts.items.find((c: { legacyId: string }) => c.legacyId === '656534');
    expect(combo).toMatchObject({ legacyCategory: 'Buche + Tombini', classification: { tema: 'manutenzione_urbana.buche_strade' } });
    const cancelled = contacts.items.find((c: { legacyId: string }) => c.legacyId === '656600');
    expect(cancelled).toMatchObject({ classified: false, classification: { canale: 'app', esito: 'annullato' } });
    expect(readdirSync(path.join(t.config.dataDir, 'history-imports'), { recursive: true }).filter((f) => String(f).includes('-'))).toEqual([]);
    const again = await admin.post(`/api/v1/history-imports/${importId}/commit`, { mappingId, unmappedPolicy: 'unclassified' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('history_import.already_committed');
  });

  it('does not duplicate when the same file is imported again', async () => {
    const up = (await upload(admin, 'alessandria-sample.csv', fixture('alessandria-sample.csv'))).json();
    await admin.request({ method: 'PUT', url: `/api/v1/history-imports/${up.id}/columns`, payload: alessandriaMapping.columns });
    const dry = (await admin.post(`/api/v1/history-imports/${up.id}/dry-run`, { mappingId, unmappedPolicy: 'unclassified' })).json().report;
    expect(dry).toMatchObject({ imported: 0, alreadyPresent: 7 });
    const res = (await commit(admin, up.id, { mappingId, unmappedPolicy: 'unclassified' })).report;
    expect(res).toMatchObject({ imported: 0, alreadyPresent: 7, rejected: 4 });
    const list = (await admin.get('/api/v1/history-imports')).json().items;
    expect(list.filter((i: { source: string }) => i.source === 'alessandria-sample')).toHaveLength(2);
  });

  it('keeps imports to their organisation', async () => {
    expect((await napoliAdmin.get(`/api/v1/history-imports/${importId}`)).statusCode).toBe(404);
    expect((await napoliAdmin.get(`/api/v1/history-imports/${importId}/contacts`)).statusCode).toBe(404);
    expect((await napoliAdmin.get(`/api/v1/history-mappings/${mappingId}`)).statusCode).toBe(404);
    expect((await napoliAdmin.get('/api/v1/history-imports')).json().items).toEqual([]);
    expect((await napoliAdmin.get('/api/v1/history-mappings')).json().items).toEqual([]);
    expect((await upload(napoliAdmin, 'x.csv', fixture('alessandria-sample.csv'))).statusCode).toBe(403);
    expect((await napoliAdmin.post('/api/v1/history-mappings', mappingBody(alessandriaMapping))).statusCode).toBe(403);
    expect((await operator.get('/api/v1/history-imports')).statusCode).toBe(403);
  });
});

describe('bad input is reported, never a 500', () => {
  it('reads a Windows-1252 file with accented letters', async () => {
    const res = await upload(admin, 'latin1.csv', fixture('alessandria-sample-cp1252.csv'));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().encoding).toBe('windows-1252');
    expect(res.json().preview.rows[1].cells[6]).toBe('Buche;Tombini e caditoie — pulizia');
    expect(res.json().preview.rows[9].cells[6]).toBe('Accessibilità ed inclusione delle persone con disabilità');
  });

  it('refuses bytes that are neither UTF-8 nor Windows-1252', async () => {
    const res = await upload(admin, 'strano.csv', Buffer.concat([Buffer.from('a;b;c\n1;x'), Buffer.from([0x81, 0x8d]), Buffer.from(';z\n')]));
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('history_import.encoding_undecidable');
    expect(res.json().detail).toMatch(/riga 2/);
  });

  it.each([
    ['empty', Buffer.alloc(0), 'history_import.empty_file'],
    ['only a BOM', Buffer.from([0xef, 0xbb, 0xbf]), 'history_import.empty_file'],
    ['binary', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64, 0)]), 'history_import.binary_file'],
    ['one column', Buffer.from('nome\nMario\nLuigi\n'), 'history_import.single_column'],
    ['utf-16', Buffer.from('\ufeffa;b\n1;2\n', 'utf16le'), 'history_import.unsupported_encoding'],
  ])('%s file', async (_name, content, code) => {
    const res = await upload(admin, 'file.csv', content);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe(code);
  });

  it('suggests the right delimiter when the declared one gives one column', async () => {
    const res = await upload(admin, 'a.csv', fixture('alessandria-sample.csv'), '&delimiter=comma');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'history_import.wrong_delimiter', suggestion: ';' });
    expect(res.json().detail).toContain('«;»');
  });

  it('streams uploads far beyond the JSON body and attachment limits (multipart and raw body)', async () => {
    const rows = Array.from({ length: 250_000 }, (_, i) => `${i + 1};2024-01-${String((i % 28) + 1).padStart(2, '0')};Buche;Testo della segnalazione numero ${i + 1}`);
    const big = Buffer.from(`Id;Creato;Categoria;Testo\n${rows.join('\n')}\n`);
    expect(big.length).toBeGreaterThan(t.config.maxAttachmentBytes);
    const multi = await upload(admin, 'grande.csv', big);
    expect(multi.statusCode, multi.body.slice(0, 300)).toBe(201);
    expect(multi.json()).toMatchObject({ rowCount: 250_000, delimiter: ';', size: big.length });
    const raw = await admin.request({ method: 'POST', url: `/api/v1/history-imports?organisationId=${admin.organisationId}&filename=grande.csv`, headers: { 'content-type': 'text/csv' }, payload: big });
    expect(raw.statusCode, raw.body.slice(0, 300)).toBe(201);
    expect(raw.json().rowCount).toBe(250_000);
  }, 60_000);

  it('refuses a damaged gzip file and a missing file', async () => {
    const gz = fixture('boston-sample.csv.gz');
    const res = await admin.request({ method: 'POST', url: `/api/v1/history-imports?organisationId=${admin.organisationId}`, headers: { 'content-type': 'application/gzip' }, payload: gz.subarray(0, gz.length - 12) });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('history_import.bad_gzip');
    const none = await admin.request({ method: 'POST', url: `/api/v1/history-imports?organisationId=${admin.organisationId}`, headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(none.statusCode).toBe(415);
  });

  it('streams a gzipped US export with quoted multi-line fields and rejects impossible dates', async () => {
    const res = await admin.request({
      method: 'POST', url: `/api/v1/history-imports?organisationId=${admin.organisationId}&filename=boston-sample.csv.gz`,
      headers: { 'content-type': 'application/gzip' }, payload: fixture('boston-sample.csv.gz'),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ compression: 'gzip', delimiter: ',', rowCount: 4, source: 'boston-sample' });
    expect(res.json().preview.rows[1]).toMatchObject({ line: 3, cells: expect.arrayContaining(['Pothole, large\nnear "the" school']) });
    const id = res.json().id;
    await admin.request({ method: 'PUT', url: `/api/v1/history-imports/${id}/columns`, payload: bostonMapping.columns });
    const m = (await admin.post('/api/v1/history-mappings', mappingBody(bostonMapping))).json();
    const r = await commit(admin, id, { mappingId: m.id, unmappedPolicy: 'skip' });
    expect(r.report).toMatchObject({ totalRows: 4, imported: 2, rejected: 2, rejectedByReason: { bad_date: 1, unmapped_category: 1 } });
    expect(r.report.unmappedCategories).toEqual([{ value: 'Fire Department Request', count: 1 }]);
    expect(r.report.unmappedChannels).toEqual([{ value: 'City Worker App', count: 1 }]);
    const items = (await admin.get(`/api/v1/history-imports/${id}/contacts`)).json().items;
    const pothole = items.find((c: { legacyId: string }) => c.legacyId === '101001242500');
    // 1:10 PM in Boston (EST, UTC-5).
    expect(pothole).toMatchObject({ createdAt: '2015-01-05T18:10:00.000Z', text: 'Pothole, large\nnear "the" school', classification: { tema: 'manutenzione_urbana.buche_strade', canale: 'telefono' } });
  });
});

describe('the real Alessandria file with data-seed/mappings/alessandria.json', () => {
  it('imports every row whose category the mapping covers and reports the rest', async () => {
    // A copy of ../shared/data/real/alessandria-segnalazioni.csv (Comune di Alessandria open data, CC BY 4.0).
    const file = path.join(FIXTURES, 'alessandria-segnalazioni.csv');
    const up = await admin.request({
      method: 'POST', url: `/api/v1/history-imports?organisationId=${admin.organisationId}&source=alessandria-segnalazioni&filename=alessandria-segnalazioni.csv`,
      headers: { 'content-type': 'text/csv' }, payload: readFileSync(file),
    });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ encoding: 'utf-8', delimiter: ';', rowCount: 4651 });
    await admin.request({ method: 'PUT', url: `/api/v1/history-imports/${up.json().id}/columns`, payload: alessandriaMapping.columns });
    const mapping = (await admin.post('/api/v1/history-mappings', mappingBody(alessandriaMapping, { name: 'alessandria-reale' }))).json();
    const r = (await commit(admin, up.json().id, { mappingId: mapping.id, unmappedPolicy: 'skip' })).report;
    // 13 of the 15 values are mapped; «Altro» (520 rows) and the empty category (36) are not.
    expect(r).toMatchObject({ totalRows: 4651, imported: 4095, rejected: 556, alreadyPresent: 0, unclassified: 0 });
    expect(r.rejectedByReason).toMatchObject({ unmapped_category: 556, bad_date: 0, missing_id: 0, column_count: 0, duplicate_id: 0 });
    expect(r.unmappedCategories).toEqual([{ value: 'Altro', count: 520 }, { value: '', count: 36 }]);
    expect(r.unmappedChannels).toEqual([]);
    expect(r.unmappedStatuses.map((s: { value: string }) => s.value).sort()).toEqual(['aperta', 'archiviata', 'chiusa', 'eliminata']);
  }, 60_000);
});

describe('the commit runs as a background job', () => {
  const runners: JobRunner[] = [];
  afterAll(async () => {
    for (const r of runners) await r.stop();
  });
  /**
   * A worker of its own on the commit queue, whose attempts can crash (`afterBatch`). Started before
   * the commit is requested: a job takes its retry policy from the queue when it is sent.
   */
  async function commitWorker(retryLimit: number, afterBatch: (rowsRead: number, attempt: number) => void | Promise<void>): Promise<JobRunner> {
    const runner = createJobRunner(poolExecutor(t.database.pool), { mode: 'manual' });
    runner.define<CommitJobData>({
      name: COMMIT_JOB,
      retry: { limit: retryLimit, delaySeconds: 0 },
      handler: (data, run) => runCommitJob(t.database.db, t.config.dataDir, data, { attempt: run.attempt, final: run.attempt > retryLimit, afterBatch: (n) => afterBatch(n, run.attempt) }),
    });
    runners.push(runner);
    await runner.start();
    return runner;
  }
  async function readyImport(source: string) {
    const up = await admin.request({
      method: 'POST', url: `/api/v1/history-imports?organisationId=${admin.organisationId}&source=${source}&filename=alessandria-segnalazioni.csv`,
      headers: { 'content-type': 'text/csv' }, payload: readFileSync(path.join(FIXTURES, 'alessandria-segnalazioni.csv')),
    });
    expect(up.statusCode, up.body).toBe(201);
    const id = up.json().id as string;
    await admin.request({ method: 'PUT', url: `/api/v1/history-imports/${id}/columns`, payload: alessandriaMapping.columns });
    const mapping = (await admin.post('/api/v1/history-mappings', mappingBody(alessandriaMapping, { name: 'alessandria-job' }))).json();
    return { id, body: { mappingId: mapping.id as string, unmappedPolicy: 'skip' } };
  }
  const contactsOf = async (id: string) => (await admin.get(`/api/v1/history-imports/${id}/contacts?limit=1`)).json().total as number;

  it('answers 202 at once, shows progress while it runs, and refuses changes until it ends', async () => {
    const { id, body } = await readyImport('alessandria-progress');
    const res = await admin.post(`/api/v1/history-imports/${id}/commit`, body);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'committing', progress: { done: 0, total: 4651 }, report: null });
    // Asking again while it is queued: the same answer, no second job.
    expect((await admin.post(`/api/v1/history-imports/${id}/commit`, body)).json()).toMatchObject({ status: 'committing' });
    expect((await admin.post(`/api/v1/history-imports/${id}/dry-run`, body)).json().code).toBe('history_import.commit_in_progress');
    // What a poll of the page sees after each stored batch (1000 rows each).
    const seen: { status: string; progress: { done: number; total: number } }[] = [];
    const worker = await commitWorker(0, async () => {
      const now = (await admin.get(`/api/v1/history-imports/${id}`)).json();
      seen.push({ status: now.status, progress: now.progress });
    });
    expect(await worker.runDue()).toEqual({ completed: 1, failed: 0 });
    expect(seen.map((x) => x.status)).toEqual(['committing', 'committing', 'committing', 'committing', 'committing']);
    expect(seen.map((x) => x.progress)).toEqual([1000, 2000, 3000, 4000, 4651].map((done) => ({ done, total: 4651 })));
    const done = (await admin.get(`/api/v1/history-imports/${id}`)).json();
    expect(done).toMatchObject({ status: 'committed', importedCount: 4095, progress: { done: 4651, total: 4651 } });
  }, 60_000);

  it('a commit that crashes mid-way is retried and stores every row once', async () => {
    const { id, body } = await readyImport('alessandria-crash');
    let stored = 0;
    const worker = await commitWorker(1, (rowsRead, attempt) => {
      if (attempt === 1 && rowsRead >= 2000) {
        stored = rowsRead;
        throw new Error('instance died after storing two batches');
      }
    });
    expect((await admin.post(`/api/v1/history-imports/${id}/commit`, body)).statusCode).toBe(202);
    expect(await worker.runDue()).toEqual({ completed: 1, failed: 1 });
    expect(stored).toBe(2000);
    const done = (await admin.get(`/api/v1/history-imports/${id}`)).json();
    // Not 2000-odd rows "already present": the retry removed what the crashed attempt stored, then stored it all.
    expect(done.report).toMatchObject({ totalRows: 4651, imported: 4095, alreadyPresent: 0, rejected: 556 });
    expect(done).toMatchObject({ status: 'committed', importedCount: 4095 });
    expect(await contactsOf(id)).toBe(4095);
  }, 60_000);

  it('a commit that gives up leaves no contact, says why, and can be asked again', async () => {
    const { id, body } = await readyImport('alessandria-gives-up');
    const worker = await commitWorker(0, (rowsRead) => {
      if (rowsRead >= 1000) throw new Error('database went away');
    });
    expect((await admin.post(`/api/v1/history-imports/${id}/commit`, body)).statusCode).toBe(202);
    expect(await worker.runDue()).toEqual({ completed: 0, failed: 1 });
    const failed = (await admin.get(`/api/v1/history-imports/${id}`)).json();
    expect(failed).toMatchObject({ status: 'failed', importedCount: 0, fileAvailable: true, error: { code: 'history_import.commit_failed' } });
    const inEnglish = (await admin.get(`/api/v1/history-imports/${id}`, { 'accept-language': 'en' })).json();
    expect(inEnglish.error.code).toBe('history_import.commit_failed');
    expect(inEnglish.error.message).not.toBe(failed.error.message);
    expect(inEnglish.error.message).toMatch(/import/i);
    expect(await contactsOf(id)).toBe(0);
    const again = await commit(admin, id, body);
    expect(again.import).toMatchObject({ status: 'committed', importedCount: 4095, error: null });
    expect(await contactsOf(id)).toBe(4095);
  }, 60_000);
});

describe('urpnet import history (CLI path)', () => {
  it('dry-runs and imports a file with the column roles of the mapping file, without duplicating on a second run', async () => {
    const { importHistoryFile, readMappingFile } = await import('../src/modules/history-import/history-import.command.js');
    const file = path.join(FIXTURES, 'boston-sample.csv');
    const options = { org: 'comune-napoli', mapping: 'data-seed/mappings/boston-311.json', source: 'boston-cli' };
    const dry = await importHistoryFile(t.database.db, file, { ...options, dryRun: true });
    expect(dry.importId).toBeNull();
    expect(dry.report).toMatchObject({ mode: 'dry_run', totalRows: 4, imported: 2, rejected: 2 });
    const first = await importHistoryFile(t.database.db, file, { ...options, unmapped: 'unclassified' });
    expect(first.report).toMatchObject({ mode: 'commit', imported: 3, unclassified: 1, rejected: 1 });
    const second = await importHistoryFile(t.database.db, file, { ...options, unmapped: 'unclassified' });
    expect(second.report).toMatchObject({ imported: 0, alreadyPresent: 3 });
    expect(second.mappingVersion).toBe(first.mappingVersion);
    // Napoli's imports are Napoli's: Celano's admin does not see them.
    expect((await admin.get(`/api/v1/history-imports/${first.importId}`)).statusCode).toBe(404);
    expect((await napoliAdmin.get(`/api/v1/history-imports/${first.importId}/contacts`)).json().total).toBe(3);
    expect(() => readMappingFile('test/fixtures/history-import/boston-sample.csv')).toThrow(/non è JSON valido/);
    await expect(importHistoryFile(t.database.db, file, { ...options, org: 'ente-inesistente' })).rejects.toThrow(/ente «ente-inesistente» inesistente/);
  });
});
