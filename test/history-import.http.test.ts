import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const res = await admin.post(`/api/v1/history-imports/${importId}/commit`, { mappingId, unmappedPolicy: 'unclassified' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().report).toMatchObject({ mode: 'commit', imported: 7, unclassified: 2, rejected: 4 });
    expect(res.json().import).toMatchObject({ status: 'committed', importedCount: 7, fileAvailable: false });
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
    const res = (await admin.post(`/api/v1/history-imports/${up.id}/commit`, { mappingId, unmappedPolicy: 'unclassified' })).json().report;
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
    const r = (await admin.post(`/api/v1/history-imports/${id}/commit`, { mappingId: m.id, unmappedPolicy: 'skip' })).json();
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
    const res = await admin.post(`/api/v1/history-imports/${up.json().id}/commit`, { mappingId: mapping.id, unmappedPolicy: 'skip' });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json().report;
    // 13 of the 15 values are mapped; «Altro» (520 rows) and the empty category (36) are not.
    expect(r).toMatchObject({ totalRows: 4651, imported: 4095, rejected: 556, alreadyPresent: 0, unclassified: 0 });
    expect(r.rejectedByReason).toMatchObject({ unmapped_category: 556, bad_date: 0, missing_id: 0, column_count: 0, duplicate_id: 0 });
    expect(r.unmappedCategories).toEqual([{ value: 'Altro', count: 520 }, { value: '', count: 36 }]);
    expect(r.unmappedChannels).toEqual([]);
    expect(r.unmappedStatuses.map((s: { value: string }) => s.value).sort()).toEqual(['aperta', 'archiviata', 'chiusa', 'eliminata']);
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
