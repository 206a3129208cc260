import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveRow, writeArchiveRows } from '../src/modules/archive/archive-release.fixtures.js';
import { dayOffset } from './helpers/days.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

/** Forecasts of a slice's contacts over HTTP (issue 14): who may read them, the model's days, small cells withheld. */
let t: TestApp;
let supervisor: Client;
let napoli: Client;
let analyst: Client;

const isWeekend = (day: string) => [0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay());

beforeAll(async () => {
  t = await buildTestApp();
  supervisor = await login(t.app, demoEmail('responsabile', 'comune-celano'));
  napoli = await login(t.app, demoEmail('operatore', 'comune-napoli'));
  analyst = await login(t.app, demoEmail('analista'));
  // The Celano URP: 30 TARI contacts every weekday for 300 days, and 2 on waste collection (a small cell).
  const rows = [];
  for (let d = -320; d <= -21; d++) {
    const day = dayOffset(d);
    if (isWeekend(day)) continue;
    const base = { office_id: supervisor.officeId, organisation_id: supervisor.organisationId, opened_day: day, closed_day: day };
    for (let i = 0; i < 30; i++) rows.push(archiveRow({ ...base, topic_code: 'tributi.tari' }));
    for (let i = 0; i < 2; i++) rows.push(archiveRow({ ...base, topic_code: 'ambiente_rifiuti.raccolta', classification_json: '{"tema":"ambiente_rifiuti.raccolta"}' }));
  }
  await writeArchiveRows(path.join(t.config.dataDir, 'archive'), rows);
});
afterAll(async () => {
  await t?.close();
});

describe('contact forecasts', () => {
  it("forecasts an office's contacts for the weeks after the archive's complete history, with the weekly pattern and an 80% interval", async () => {
    const res = await supervisor.get(`/api/v1/analytics/forecast?officeId=${supervisor.officeId}&horizon=14&days=28`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.historyTo).toBe(dayOffset(-21));
    expect(body.history).toHaveLength(28);
    expect(body.history.at(-1).date).toBe(dayOffset(-21));
    expect(body.withheld).toBe(false);
    for (const h of body.history) expect(h.count).toBe(isWeekend(h.date) ? 0 : 32);
    expect(body.forecast.map((f: { date: string }) => f.date)).toEqual(Array.from({ length: 14 }, (_, i) => dayOffset(-20 + i)));
    for (const f of body.forecast) {
      expect(f.lo80).toBeLessThanOrEqual(f.mean);
      expect(f.mean).toBeLessThanOrEqual(f.hi80);
      if (isWeekend(f.date)) expect(f.mean).toBeLessThan(5);
      else expect(f.mean).toBeGreaterThan(25);
    }
    expect(body.total.days).toBe(14);
    expect(body.total.mean).toBeCloseTo(body.forecast.reduce((s: number, f: { mean: number }) => s + f.mean, 0), 0);
  });

  it('withholds observed days of 1 to 3 contacts from readers outside the body, not from its members', async () => {
    const url = `/api/v1/analytics/forecast?organisationId=${supervisor.organisationId}&topic=ambiente_rifiuti.raccolta&days=14`;
    const own = (await supervisor.get(url)).json();
    expect(own.withheld).toBe(false);
    expect(own.history.filter((h: { count: number }) => h.count === 2).length).toBeGreaterThan(0);
    const res = await analyst.get(url);
    expect(res.statusCode, res.body).toBe(200);
    const other = res.json();
    expect(other.withheld).toBe(true);
    for (const h of other.history) expect(h.count).toBe(isWeekend(h.date) ? 0 : null);
    expect(other.forecast.length).toBe(28);
  });

  it("keeps a body's forecast to its members, analysts and the coordination, and the network's to analysts", async () => {
    const office = await napoli.get(`/api/v1/analytics/forecast?officeId=${supervisor.officeId}`);
    expect(office.statusCode).toBe(404);
    expect(office.json().code).toBe('analytics.office_not_found');
    const body = await napoli.get(`/api/v1/analytics/forecast?organisationId=${supervisor.organisationId}`);
    expect(body.statusCode).toBe(403);
    expect(body.headers['content-type']).toContain('application/problem+json');
    expect(body.json().code).toBe('analytics.forecast_forbidden');
    const network = await supervisor.get('/api/v1/analytics/forecast?topic=tributi.tari');
    expect(network.statusCode).toBe(403);
    // An office of another body named with this body is not a way round the check.
    const mixed = await napoli.get(`/api/v1/analytics/forecast?officeId=${supervisor.officeId}&organisationId=${napoli.organisationId}`);
    expect(mixed.statusCode).toBe(404);
    const analystNetwork = await analyst.get('/api/v1/analytics/forecast?topic=tributi.tari&horizon=7');
    expect(analystNetwork.statusCode, analystNetwork.body).toBe(200);
    expect(analystNetwork.json().forecast).toHaveLength(7);
  });

  it('gives no forecast for a slice without contacts, and refuses a horizon past 90 days', async () => {
    const empty = (await analyst.get('/api/v1/analytics/forecast?topic=sanita.vaccinazioni')).json();
    expect(empty.historyFrom).toBeNull();
    expect(empty.forecast).toEqual([]);
    expect(empty.total).toEqual({ mean: 0, days: 0 });
    const far = await analyst.get('/api/v1/analytics/forecast?horizon=120');
    expect(far.statusCode).toBe(400);
    expect(far.headers['content-type']).toContain('application/problem+json');
  });
});
