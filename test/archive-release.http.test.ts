import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveRow, writeArchiveRows } from '../src/modules/archive/archive-release.fixtures.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

/**
 * The archive's release over HTTP (issue 13): aggregates with small-cell suppression, k-anonymous
 * record lists and the open-data export job, for analysts and the network coordination only.
 */
let t: TestApp;
let analyst: Client;
let coordinator: Client;
let operator: Client;

beforeAll(async () => {
  t = await buildTestApp();
  analyst = await login(t.app, demoEmail('analista'));
  coordinator = await login(t.app, demoEmail('coordinatore'));
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  // Celano (066032) and Avezzano (066006), province of L'Aquila (066), Abruzzo (13); one lone PEC.
  await writeArchiveRows(path.join(t.config.dataDir, 'archive'), [
    ...Array.from({ length: 30 }, (_, i) => archiveRow({ opened_day: `2026-01-${String(1 + (i % 20)).padStart(2, '0')}` })),
    ...Array.from({ length: 12 }, () => archiveRow({ channel: 'email', opened_day: '2026-01-10' })),
    ...Array.from({ length: 20 }, () => archiveRow({ territory_code: '066006', topic_code: 'tributi.imu', opened_day: '2026-02-02' })),
    archiveRow({ channel: 'pec', opened_day: '2026-02-03', text: 'Unica PEC di [PERSONA] sulla TARI' }),
  ]);
});
afterAll(async () => {
  await t?.close();
});

describe('GET /api/v1/archive/aggregates', () => {
  it('counts by channel and month for an analyst, with the small cells withheld', async () => {
    const res = await analyst.get('/api/v1/archive/aggregates?dimension=channel&granularity=month');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.periods).toEqual(['2026-01', '2026-02']);
    const pec = body.groups.find((g: { key: string }) => g.key === 'pec');
    expect(pec.counts[1]).toBeNull();
    expect(pec.status[1]).toBe('primary');
    expect(body.suppressed.secondary).toBeGreaterThan(0);
    expect(body.total).toBe(63);
  });

  it('filters by province and topic prefix; a coordinator may read too', async () => {
    const res = await coordinator.get('/api/v1/archive/aggregates?dimension=topic&granularity=month&territory=066&topic=tributi&from=2026-02-01&to=2026-02-28');
    expect(res.statusCode, res.body).toBe(200);
    // The lone TARI PEC of February is withheld; so is the IMU count, which the total (21) would otherwise betray.
    expect(res.json().groups.map((g: { key: string; total: number | null }) => [g.key, g.total])).toEqual([['tributi.imu', null], ['tributi.tari', null]]);
    expect(res.json().total).toBe(21);
  });

  it('refuses operators (403) and anonymous callers (401), and a reversed period (422)', async () => {
    const forbidden = await operator.get('/api/v1/archive/aggregates');
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('archive.forbidden');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/archive/aggregates' })).statusCode).toBe(401);
    const reversed = await analyst.get('/api/v1/archive/aggregates?from=2026-03-01&to=2026-01-01');
    expect(reversed.statusCode).toBe(422);
    expect(reversed.json().code).toBe('archive.invalid_range');
    expect((await analyst.get("/api/v1/archive/aggregates?territory=06' or 1=1")).statusCode).toBe(400);
  });
});

describe('GET /api/v1/archive/records', () => {
  it('lists records k-anonymously, with the scrubbed text', async () => {
    const res = await analyst.get('/api/v1/archive/records?limit=100');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total + body.suppressed).toBe(63);
    expect(body.items[0].text).toContain('[PERSONA]');
    // The lone PEC is generalised into a class of at least 5, or left out.
    const pec = body.items.find((i: { channel: string }) => i.channel === 'pec');
    expect(pec).toBeUndefined();
  });
});

describe('exports', () => {
  it('runs an export as a job and serves its files and catalog', async () => {
    const created = await analyst.post('/api/v1/archive/exports', { format: 'parquet' });
    expect(created.statusCode, created.body).toBe(202);
    const id = created.json().id;
    expect(created.headers.location).toBe(`/api/v1/archive/exports/${id}`);
    expect(created.json().status).toBe('queued');
    const early = await analyst.get(`/api/v1/archive/exports/${id}/files/catalog.jsonld`);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('archive_export.not_ready');

    await t.jobs.runDue();
    const done = (await analyst.get(`/api/v1/archive/exports/${id}`)).json();
    expect(done.status, JSON.stringify(done)).toBe('done');
    expect(done.report.rows + done.report.suppressedRows).toBe(63);
    expect(done.report.smallestClass).toBeGreaterThanOrEqual(5);
    expect(done.progress).toEqual({ done: done.report.rows, total: done.report.rows });
    const names = done.files.map((f: { name: string }) => f.name);
    expect(names).toContain('catalog.jsonld');
    const parquet = names.find((n: string) => n.endsWith('.parquet'));
    expect(parquet).toMatch(/^(month|quarter|year)=/);

    const catalog = await analyst.get(`/api/v1/archive/exports/${id}/files/catalog.jsonld`);
    expect(catalog.statusCode).toBe(200);
    expect(catalog.headers['content-type']).toContain('application/ld+json');
    const dataset = catalog.json()['dcat:dataset'][0];
    expect(dataset['dct:rightsHolder']['dct:identifier']).toBe('lineamica');
    const file = await analyst.get(`/api/v1/archive/exports/${id}/files/${parquet}`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.subarray(0, 4).toString()).toBe('PAR1');
    expect((await analyst.get(`/api/v1/archive/exports/${id}/files/../status.json`)).statusCode).toBe(404);
    expect((await operator.get(`/api/v1/archive/exports/${id}`)).statusCode).toBe(403);
    expect((await analyst.get('/api/v1/archive/exports/00000000-0000-4000-8000-000000000000')).json().code).toBe('archive_export.not_found');
  });

  it('exports CSV with the text on request (internal export)', async () => {
    const created = await coordinator.post('/api/v1/archive/exports', { format: 'csv', includeText: true });
    expect(created.statusCode, created.body).toBe(202);
    await t.jobs.runDue();
    const done = (await coordinator.get(`/api/v1/archive/exports/${created.json().id}`)).json();
    expect(done.status).toBe('done');
    const csv = done.files.find((f: { name: string }) => f.name.endsWith('.csv'));
    const body = (await coordinator.get(`/api/v1/archive/exports/${done.id}/files/${csv.name}`)).body;
    expect(body.split('\n')[0]).toContain('text');
    expect(body).toContain('[PERSONA]');
  });
});
