import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveRow, writeArchiveRows } from '../src/modules/archive/archive-release.fixtures.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

/**
 * The analytics dashboards over HTTP (issue 14): the numbers of a known archive, small-cell
 * suppression, filters, an empty slice, who may call and bad input.
 */
let t: TestApp;
let analyst: Client;
let coordinator: Client;
let operator: Client;

const tipo = (type: string, topic: string) => JSON.stringify({ tema: topic, tipo: type });

beforeAll(async () => {
  t = await buildTestApp();
  analyst = await login(t.app, demoEmail('analista'));
  coordinator = await login(t.app, demoEmail('coordinatore'));
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  await writeArchiveRows(path.join(t.config.dataDir, 'archive'), [
    // 30 TARI phone calls to Celano (066032, L'Aquila, Abruzzo) in January, resolved at once, rated 4.
    ...Array.from({ length: 30 }, (_, i) => archiveRow({ opened_day: `2026-01-${String(1 + (i % 20)).padStart(2, '0')}` })),
    // 12 e-mail complaints handed to another body, answered after 4000 minutes, without an opening hour.
    ...Array.from({ length: 12 }, () =>
      archiveRow({ channel: 'email', opened_day: '2026-01-10', opened_hour: null, classification_json: tipo('reclamo', 'tributi.tari'), outcome: 'risposta_fornita', offices_involved: 2, handoffs: 1, first_response_minutes: 4000 }),
    ),
    // 20 IMU contacts from Avezzano (066006) in February, forwarded to the competent body, not rated.
    ...Array.from({ length: 20 }, () =>
      archiveRow({ territory_code: '066006', topic_code: 'tributi.imu', opened_day: '2026-02-02', outcome: 'inoltrato_ente_competente', offices_involved: 2, handoffs: 1, first_response_minutes: 90, satisfaction: null }),
    ),
    // One lone PEC.
    archiveRow({ channel: 'pec', opened_day: '2026-02-03' }),
    // 8 identity-card bookings on the web in Naples (063049, Campania) in March, another organisation.
    ...Array.from({ length: 8 }, () =>
      archiveRow({
        organisation_id: 'org-napoli', organisation_ipa: 'c_f839', office_id: 'off-napoli-urp', channel: 'web', topic_code: 'anagrafe_stato_civile.carta_identita',
        classification_json: tipo('prenotazione', 'anagrafe_stato_civile.carta_identita'), territory_code: '063049', opened_day: '2026-03-05', outcome: 'risolto_primo_contatto',
      }),
    ),
  ]);
});
afterAll(async () => {
  await t?.close();
});

type Item = { key: string | null; count: number | null; status: string };
const counts = (items: Item[]) => Object.fromEntries(items.map((i) => [String(i.key), i.count]));

describe('GET /api/v1/analytics/dashboard', () => {
  it('gives the network dashboard: series, breakdowns, sparklines and KPIs', async () => {
    const res = await analyst.get('/api/v1/analytics/dashboard');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.empty).toBe(false);
    expect(body.total).toBe(71);
    expect(body.series).toEqual({ periods: ['2026-01', '2026-02', '2026-03'], counts: [42, 21, 8], status: ['published', 'published', 'published'], withoutHour: null });
    expect(counts(body.breakdowns.topicRoot.items)).toEqual({ tributi: 63, anagrafe_stato_civile: 8 });
    expect(counts(body.breakdowns.topic.items)).toEqual({ 'tributi.tari': 43, 'tributi.imu': 20, 'anagrafe_stato_civile.carta_identita': 8 });
    expect(counts(body.breakdowns.requestType.items)).toEqual({ informazione: 51, reclamo: 12, prenotazione: 8 });
    expect(counts(body.breakdowns.region.items)).toEqual({ 13: 63, 15: 8 });
    expect(counts(body.breakdowns.province.items)).toEqual({ '066': 63, '063': 8 });
    expect(counts(body.breakdowns.organisation.items)).toEqual({ 'org-celano': 63, 'org-napoli': 8 });
    expect(counts(body.breakdowns.office.items)).toEqual({ 'off-celano-urp': 63, 'off-napoli-urp': 8 });
    expect(body.sparklines.months).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(body.sparklines.topics).toEqual([
      { key: 'tributi', total: 63, counts: [42, 21, 0] },
      { key: 'anagrafe_stato_civile', total: 8, counts: [0, 0, 8] },
    ]);
    // FCR: the 30 TARI calls, the PEC and the 8 bookings (one office, no handoff, resolved) = 39 of 71.
    expect(body.kpis.firstContactResolution).toEqual({ count: 39, of: 71, rate: 0.549 });
    expect(body.kpis.handoffs).toEqual({ count: 32, of: 71, rate: 0.451, handoffs: 32 });
    // SLA (48 hours): all but the 12 e-mails answered after 4000 minutes.
    expect(body.kpis.sla).toEqual({ count: 59, of: 71, rate: 0.831 });
    expect(body.kpis.satisfaction).toEqual({ rated: 51, mean: 4 });
    expect(body.slaMinutes).toBe(2880);
    // A stricter SLA, a first response within the hour: the IMU contacts (90 minutes) miss it too.
    expect((await analyst.get('/api/v1/analytics/dashboard?slaHours=1')).json().kpis.sla).toEqual({ count: 39, of: 71, rate: 0.549 });
  });

  it('withholds small counts and those that would give them away', async () => {
    const body = (await coordinator.get('/api/v1/analytics/dashboard')).json();
    const channels = body.breakdowns.channel.items as Item[];
    expect(channels.find((i) => i.key === 'pec')).toMatchObject({ count: null, status: 'primary' });
    // The next smallest channel is withheld too, or the total would give the PEC away.
    expect(channels.find((i) => i.key === 'web')).toMatchObject({ count: null, status: 'secondary' });
    expect(channels.find((i) => i.key === 'telefono')?.count).toBe(50);
    expect(body.suppressed.primary).toBeGreaterThan(0);

    // The lone PEC as a slice: every count of it is withheld, nothing reads as zero.
    const pec = (await analyst.get('/api/v1/analytics/dashboard?channel=pec')).json();
    expect(pec.empty).toBe(false);
    expect(pec.total).toBeNull();
    expect(pec.series.counts).toEqual([null]);
    expect(pec.kpis.firstContactResolution).toEqual({ count: null, of: null, rate: null });
    expect(pec.kpis.satisfaction).toEqual({ rated: null, mean: null });
  });

  it('gives daily, weekly and hourly series with the gaps filled', async () => {
    const day = (await analyst.get('/api/v1/analytics/dashboard?granularity=day&to=2026-02-28')).json();
    expect(day.series.periods[0]).toBe('2026-01-01');
    expect(day.series.periods.at(-1)).toBe('2026-02-03');
    expect(day.series.periods).toHaveLength(34);
    const at = (p: string) => day.series.counts[day.series.periods.indexOf(p)];
    expect(at('2026-01-10')).toBe(14);
    expect(at('2026-02-02')).toBe(20);
    expect(at('2026-01-25')).toBe(0);
    expect(at('2026-01-15')).toBeNull();
    expect(day.series.status[day.series.periods.indexOf('2026-01-15')]).toBe('primary');

    const week = (await analyst.get('/api/v1/analytics/dashboard?granularity=week')).json();
    expect(week.series.periods[0]).toBe('2026-W01');
    expect(week.series.periods.at(-1)).toBe('2026-W10');

    const hour = await analyst.get('/api/v1/analytics/dashboard?granularity=hour&from=2026-01-01&to=2026-01-31');
    expect(hour.statusCode, hour.body).toBe(200);
    expect(hour.json().series.periods[0]).toBe('2026-01-01 10');
    expect(hour.json().series.periods.at(-1)).toBe('2026-01-20 10');
    expect(hour.json().series.withoutHour).toBe(12);
    expect(hour.json().total).toBe(42);
  });

  it('filters by organisation, office, territory, topic, request type, channel, period and source', async () => {
    const get = async (q: string) => (await analyst.get(`/api/v1/analytics/dashboard?${q}`)).json();
    expect((await get('organisationId=org-celano')).total).toBe(63);
    expect((await get('officeId=off-napoli-urp')).total).toBe(8);
    expect((await get('territory=15')).total).toBe(8);
    expect((await get('territory=066006')).total).toBe(20);
    expect((await get('topic=tributi')).total).toBe(63);
    expect((await get('topic=tributi.imu')).total).toBe(20);
    expect((await get('requestType=reclamo')).total).toBe(12);
    expect((await get('channel=telefono&from=2026-02-01&to=2026-02-28')).total).toBe(20);
    expect((await get('source=historical')).empty).toBe(true);
  });

  it('answers an empty slice with "no data", not an error', async () => {
    const res = await analyst.get('/api/v1/analytics/dashboard?territory=01&granularity=day');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.empty).toBe(true);
    expect(body.total).toBe(0);
    expect(body.series.periods).toEqual([]);
    expect(body.breakdowns.topic.items).toEqual([]);
    expect(body.sparklines.topics).toEqual([]);
    expect(body.kpis.firstContactResolution.rate).toBeNull();
  });

  it('counts the contacts the FAQs deflected in the period, for the network or a body only', async () => {
    // Two portal sessions two hours ago: one read an answer and stopped there, one read and then asked an office.
    const at = (minutes: number) => new Date(Date.now() - 120 * 60_000 + minutes * 60_000);
    await t.database.db
      .insertInto('faq_portal_events')
      .values([
        { session_id: 'deflected-session-0001', kind: 'search', query: 'tari scadenza', created_at: at(0) },
        { session_id: 'deflected-session-0001', kind: 'read', created_at: at(1) },
        { session_id: 'contacted-session-0001', kind: 'search', query: 'tari rimborso', created_at: at(0) },
        { session_id: 'contacted-session-0001', kind: 'read', created_at: at(1) },
        { session_id: 'contacted-session-0001', kind: 'contact', created_at: at(5) },
      ])
      .execute();
    const body = (await analyst.get('/api/v1/analytics/dashboard')).json();
    expect(body.deflection).toMatchObject({ sessions: 2, deflected: 1, rate: 0.5 });
    // A third session read a body's FAQ last and stopped there: the body's dashboard counts it alone.
    const body2 = await t.database.db.selectFrom('organisations').select('id').where('slug', '=', 'comune-celano').executeTakeFirstOrThrow();
    await t.database.db
      .insertInto('faq_portal_events')
      .values([
        { session_id: 'celano-session-0001', kind: 'search', query: 'carta identità', created_at: at(10) },
        { session_id: 'celano-session-0001', kind: 'read', created_at: at(11) },
        { session_id: 'celano-session-0001', kind: 'read', organisation_id: body2.id, created_at: at(12) },
      ])
      .execute();
    const network = (await analyst.get('/api/v1/analytics/dashboard')).json().deflection;
    expect(network).toMatchObject({ sessions: 3, deflected: 2 });
    expect((await analyst.get(`/api/v1/analytics/dashboard?organisationId=${body2.id}`)).json().deflection).toMatchObject({ sessions: 1, deflected: 1, rate: 1 });
    // The same figures as the FAQ board's deflection report over the same period (counted there session by session).
    const report = (await analyst.get(`/api/v1/faq/analytics/deflection?from=${network.from}T00:00:00Z`)).json();
    expect(report.totals).toMatchObject({ sessions: network.sessions, deflected: network.deflected });
    // A topic, channel or office filter: the portal cannot say which of them a contact that never happened was about.
    expect((await analyst.get('/api/v1/analytics/dashboard?topic=tributi')).json().deflection).toBeNull();
    // A period before the sessions: none.
    expect((await analyst.get('/api/v1/analytics/dashboard?from=2026-01-01&to=2026-01-31')).json().deflection).toMatchObject({ sessions: 0, deflected: 0, rate: null });
  });

  it('refuses operators (403) and anonymous callers (401)', async () => {
    const forbidden = await operator.get('/api/v1/analytics/dashboard');
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['content-type']).toContain('application/problem+json');
    expect(forbidden.json().code).toBe('archive.forbidden');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/analytics/dashboard' })).statusCode).toBe(401);
  });

  it('answers bad input with problems of stable codes', async () => {
    const reversed = await analyst.get('/api/v1/analytics/dashboard?from=2026-03-01&to=2026-01-01');
    expect(reversed.statusCode).toBe(422);
    expect(reversed.headers['content-type']).toContain('application/problem+json');
    expect(reversed.json().code).toBe('analytics.invalid_range');
    const hour = await analyst.get('/api/v1/analytics/dashboard?granularity=hour');
    expect(hour.statusCode).toBe(422);
    expect(hour.json().code).toBe('analytics.hour_range_too_long');
    expect((await analyst.get('/api/v1/analytics/dashboard?granularity=hour&from=2026-01-01&to=2026-03-01')).json().code).toBe('analytics.hour_range_too_long');
    const bad = await analyst.get("/api/v1/analytics/dashboard?territory=06' or 1=1");
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((await analyst.get('/api/v1/analytics/dashboard?granularity=year')).statusCode).toBe(400);
    expect((await analyst.get('/api/v1/analytics/dashboard?requestType=x%27')).statusCode).toBe(400);
    expect((await analyst.get('/api/v1/analytics/dashboard?slaHours=0')).statusCode).toBe(400);
  });
});
