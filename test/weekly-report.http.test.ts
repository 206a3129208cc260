import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoWeekOf, mondayOfIsoWeek } from '../src/modules/analytics/reports/weekly-report.js';
import { dayOffset } from './helpers/days.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

/** The weekly report over HTTP (issue 14): an organisation's and the network's, HTML and PDF, and who may read them. */
let t: TestApp;
let supervisor: Client;
let napoli: Client;
let operator: Client;
let coordinator: Client;

const DAY_MS = 86_400_000;
const lastWeek = isoWeekOf(dayOffset(-7));

beforeAll(async () => {
  t = await buildTestApp();
  supervisor = await login(t.app, demoEmail('responsabile', 'comune-celano'));
  napoli = await login(t.app, demoEmail('responsabile', 'comune-napoli'));
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  coordinator = await login(t.app, demoEmail('coordinatore'));
  // Live counts of Celano: 10 TARI calls a day in the four weeks before, 30 a day last week.
  const monday = mondayOfIsoWeek(lastWeek);
  const rows = [];
  for (let d = -28; d < 7; d++) {
    const day = new Date(Date.parse(`${monday}T00:00:00Z`) + d * DAY_MS).toISOString().slice(0, 10);
    rows.push({ day, organisation_id: supervisor.organisationId, office_id: supervisor.officeId, topic_code: 'tributi.tari', territory_code: '066032', channel: 'telefono', contacts: d < 0 ? 10 : 30 });
  }
  await t.database.db.insertInto('contact_counts').values(rows).execute();
  await supervisor.post('/api/v1/analytics/actions', { title: 'FAQ sulla nuova scadenza della TARI', kind: 'corrective', actionType: 'publish_faq', origin: 'manual', slice: { topic: 'tributi.tari' } });
});
afterAll(async () => {
  await t?.close();
});

describe('weekly report', () => {
  it("gives an organisation's week against the four before, as HTML", async () => {
    const res = await supervisor.get(`/api/v1/analytics/reports/weekly?organisationId=${supervisor.organisationId}&week=${lastWeek}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain(`Rapporto settimanale ${lastWeek}`);
    expect(res.body).toContain('<span class="big">210</span>');
    expect(res.body).toContain('media delle 4 settimane precedenti: 70, +200%');
    expect(res.body).toContain('<td>tributi.tari</td><td>210</td><td>70</td><td>+200%</td>');
    expect(res.body).toContain('FAQ sulla nuova scadenza della TARI');
  });

  it('gives the same as PDF, in English on request', async () => {
    const res = await supervisor.get(`/api/v1/analytics/reports/weekly?organisationId=${supervisor.organisationId}&week=${lastWeek}&format=pdf`, { 'accept-language': 'en' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload.toString('latin1');
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf).toContain(`(Weekly report ${lastWeek}`);
    expect(pdf).toContain('(210) Tj');
  });

  it("keeps an organisation's report to its staff and the network's to the coordination", async () => {
    expect((await napoli.get(`/api/v1/analytics/reports/weekly?organisationId=${supervisor.organisationId}`)).statusCode).toBe(403);
    expect((await operator.get(`/api/v1/analytics/reports/weekly?organisationId=${supervisor.organisationId}`)).statusCode).toBe(403);
    expect((await supervisor.get('/api/v1/analytics/reports/weekly')).statusCode).toBe(403);
    const network = await coordinator.get(`/api/v1/analytics/reports/weekly?week=${lastWeek}`);
    expect(network.statusCode).toBe(200);
    expect(network.body).toContain('rete degli URP');
    const future = await coordinator.get(`/api/v1/analytics/reports/weekly?week=${isoWeekOf(dayOffset(30))}`);
    expect(future.statusCode).toBe(422);
    expect(future.json().code).toBe('analytics.report_week_in_future');
    expect((await coordinator.get('/api/v1/analytics/reports/weekly?week=2026-W99')).statusCode).toBe(400);
  });
});
