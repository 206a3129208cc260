import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveRow, writeArchiveRows } from '../src/modules/archive/archive-release.fixtures.js';
import { dayOffset } from './helpers/days.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';
import { sendAlarmDigest } from '../src/modules/analytics/alarms/alarm-scan.js';
import { loadTerritory } from '../src/modules/territory/index.js';
import type { Mailer, MailMessage } from '../src/platform/mailer.js';

/**
 * Alarms over HTTP (issue 14): the scan reads the archive for the history and the live counts of
 * opened contacts for the days the archive does not cover yet, records each alarm once, notifies the
 * users who watch its slice, finds emerging subjects in the anonymised text, and shows the chart.
 */
let t: TestApp;
let analyst: Client;
let supervisor: Client;
let operator: Client;
let coordinator: Client;
let napoliSupervisor: Client;

const SPIKE_DAY = dayOffset(-2);

/** Copies a ticket `n` times as opened at noon (Rome, near enough) of `day`: the live history of the last weeks. */
async function openedOn(templateId: string, day: string, n: number) {
  const db = t.database.db;
  const generated = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'tickets' and is_generated = 'ALWAYS'`.execute(db);
  const skip = new Set(generated.rows.map((r) => r.column_name));
  const template = (await db.selectFrom('tickets').selectAll().where('id', '=', templateId).executeTakeFirstOrThrow()) as Record<string, unknown>;
  const rows = Array.from({ length: n }, (_, i) => {
    const row: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(template)) if (!skip.has(k)) row[k] = v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
    return { ...row, id: randomUUID(), code: `${String(template.code)}-${day}-${i}`, created_at: new Date(`${day}T10:00:00Z`), updated_at: new Date(`${day}T10:00:00Z`) };
  });
  await db.insertInto('tickets').values(rows as never).execute();
}

beforeAll(async () => {
  t = await buildTestApp();
  analyst = await login(t.app, demoEmail('analista'));
  supervisor = await login(t.app, demoEmail('responsabile', 'comune-celano'));
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  napoliSupervisor = await login(t.app, demoEmail('responsabile', 'comune-napoli'));
  coordinator = await login(t.app, demoEmail('coordinatore'));
  // A year of TARI contacts in Celano in the archive: 20 a day; the last weeks in the new months carry "bonus mamme".
  const rows = [];
  for (let d = -330; d <= -22; d++) {
    for (let i = 0; i < 20; i++) {
      const recent = d > -29 && i < 6;
      rows.push(archiveRow({ topic_code: 'tributi.tari', opened_day: dayOffset(d), closed_day: dayOffset(d), text: recent ? 'Domanda sul bonus mamme e sulla TARI' : 'Domanda sulla scadenza della TARI' }));
    }
  }
  await writeArchiveRows(path.join(t.config.dataDir, 'archive'), rows);
  // The live weeks: 20 a day, 80 on the spike day.
  const created = await operator.post('/api/v1/tickets', ticketInput(operator, { classification: { tipo: 'informazione', tema: 'tributi.tari' } }));
  expect(created.statusCode, created.body).toBe(201);
  const templateId = (await t.database.db.selectFrom('tickets').select('id').where('code', '=', created.json().code).executeTakeFirstOrThrow()).id;
  for (let d = -21; d <= -1; d++) await openedOn(templateId, dayOffset(d), dayOffset(d) === SPIKE_DAY ? 80 : 20);
  // The ticket opened today is not part of the scanned days (the scan stops at yesterday).
  expect((await supervisor.post('/api/v1/analytics/alarm-watches', { slice: { topic: 'tributi' } })).statusCode).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

const scan = async () => {
  const res = await analyst.post('/api/v1/analytics/alarms/scans', {});
  expect(res.statusCode, res.body).toBe(202);
  await t.jobs.runDue();
};

describe('alarms', () => {
  it('finds the spike of the live days against the archived history, once', async () => {
    await scan();
    const scans = (await analyst.get('/api/v1/analytics/alarms/scans')).json().items;
    expect(scans[0].error).toBeNull();
    expect(scans[0].seriesScanned).toBeGreaterThan(3);
    expect(scans[0].throughDay).toBe(dayOffset(-1));
    const alarms = (await analyst.get(`/api/v1/analytics/alarms?kind=spike&topic=tributi.tari`)).json().items;
    const spike = alarms.find((a: { slice: object }) => JSON.stringify(a.slice) === JSON.stringify({ topic: 'tributi.tari' }));
    expect(spike, JSON.stringify(alarms)).toBeDefined();
    expect(spike.day).toBe(SPIKE_DAY);
    expect(spike.observed).toBe(80);
    expect(spike.expected).toBeGreaterThan(15);
    expect(spike.expected).toBeLessThan(25);
    // No other day of the steady weeks alarms.
    const all = (await analyst.get('/api/v1/analytics/alarms?limit=500')).json().items;
    expect(all.filter((a: { kind: string; day: string }) => a.kind !== 'emerging_term' && a.day !== SPIKE_DAY && a.day !== dayOffset(-1))).toEqual([]);
    // A second scan records nothing again.
    await scan();
    expect((await analyst.get('/api/v1/analytics/alarms?limit=500')).json().items).toHaveLength(all.length);
  });

  it('finds the subject emerging in the anonymised text', async () => {
    const terms = (await analyst.get('/api/v1/analytics/alarms?kind=emerging_term')).json().items;
    expect(terms.map((a: { term: string }) => a.term)).toContain('bonus mamme');
    expect(terms.map((a: { term: string }) => a.term)).not.toContain('tari');
  });

  it('tells the watchers of the slice and the coordination, in the app', async () => {
    const mine = (await supervisor.get('/api/v1/notifications')).json().items.filter((n: { kind: string }) => n.kind === 'alarm.spike');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0].title).toContain('Picco di contatti');
    expect(mine[0].link).toMatch(/^\/analisi\/allarmi\//);
    const theirs = (await coordinator.get('/api/v1/notifications')).json().items.filter((n: { kind: string }) => n.kind.startsWith('alarm.'));
    expect(theirs.length).toBeGreaterThan(0);
    expect((await operator.get('/api/v1/notifications')).json().items.filter((n: { kind: string }) => n.kind.startsWith('alarm.'))).toEqual([]);
  });

  it('shows the chart of an alarm and lets staff acknowledge it; operators may not read alarms', async () => {
    const spike = (await analyst.get('/api/v1/analytics/alarms?kind=spike&topic=tributi.tari')).json().items[0];
    const res = await supervisor.get(`/api/v1/analytics/alarms/${spike.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const chart = res.json().chart as { date: string; observed: number; expected: number | null; hi80: number | null }[];
    const day = chart.find((p) => p.date === SPIKE_DAY)!;
    expect(day.observed).toBe(spike.observed);
    expect(day.hi80!).toBeLessThan(day.observed);
    expect(chart.length).toBeGreaterThan(60);
    const acked = await supervisor.patch(`/api/v1/analytics/alarms/${spike.id}`, { status: 'acknowledged' });
    expect(acked.statusCode).toBe(200);
    expect(acked.json().status).toBe('acknowledged');
    // The status is Celano's: for the other bodies, and in their lists, the alarm is still open.
    expect((await supervisor.get(`/api/v1/analytics/alarms/${spike.id}`)).json().alarm.status).toBe('acknowledged');
    expect((await napoliSupervisor.get(`/api/v1/analytics/alarms/${spike.id}`)).json().alarm.status).toBe('open');
    const openForNapoli = (await napoliSupervisor.get('/api/v1/analytics/alarms?status=open&kind=spike&topic=tributi.tari')).json().items.map((a: { id: string }) => a.id);
    expect(openForNapoli).toContain(spike.id);
    const openForCelano = (await supervisor.get('/api/v1/analytics/alarms?status=open&kind=spike&topic=tributi.tari')).json().items.map((a: { id: string }) => a.id);
    expect(openForCelano).not.toContain(spike.id);
    // Napoli dismisses it for itself; Celano's status stands; Celano reopens it for itself.
    expect((await napoliSupervisor.patch(`/api/v1/analytics/alarms/${spike.id}`, { status: 'dismissed' })).json().status).toBe('dismissed');
    expect((await supervisor.get(`/api/v1/analytics/alarms/${spike.id}`)).json().alarm.status).toBe('acknowledged');
    expect((await supervisor.patch(`/api/v1/analytics/alarms/${spike.id}`, { status: 'open' })).json().status).toBe('open');
    expect((await napoliSupervisor.get(`/api/v1/analytics/alarms/${spike.id}`)).json().alarm.status).toBe('dismissed');
    expect((await operator.get('/api/v1/analytics/alarms')).statusCode).toBe(403);
    expect((await operator.post('/api/v1/analytics/alarms/scans', {})).statusCode).toBe(403);
    expect((await supervisor.get(`/api/v1/analytics/alarms/${randomUUID()}`)).statusCode).toBe(404);
  });

  it("e-mails each watcher a daily digest of the last day's alarms on their slices, as text and as an HTML table", async () => {
    const sent: MailMessage[] = [];
    const mailer: Mailer = { send: async (m) => void sent.push(m), close: () => {} };
    const territory = () => loadTerritory(t.database.db);
    // Only the archive reader's engine-free parts are used by the digest.
    const deps = { db: t.database.db, territory } as unknown as Parameters<typeof sendAlarmDigest>[0];
    const r = await sendAlarmDigest(deps, mailer, { now: new Date(Date.now() + 60_000), baseUrl: 'https://urp.example.it' });
    const mine = sent.find((m) => m.to === demoEmail('responsabile', 'comune-celano'));
    expect(r.sent).toBe(sent.length);
    expect(mine, JSON.stringify(sent.map((m) => m.to))).toBeDefined();
    expect(mine!.subject).toMatch(/^urpnet: \d+ nuovi allarmi$/);
    expect(mine!.text).toContain('Picco di contatti');
    expect(mine!.text).toMatch(/https:\/\/urp\.example\.it\/analisi\/allarmi\/[0-9a-f-]{36}/);
    expect(mine!.html).toContain('<table>');
    expect(mine!.html).toContain('<th scope="col">Osservati</th>');
    expect(mine!.html).toContain(`<td>${SPIKE_DAY}</td><td>80</td>`);
    expect(mine!.html).toMatch(/<a href="https:\/\/urp\.example\.it\/analisi\/allarmi\/[0-9a-f-]{36}">Apri<\/a>/);
    // Operators watch nothing and read no alarms: no digest.
    expect(sent.find((m) => m.to === demoEmail('operatore', 'comune-celano'))).toBeUndefined();
  });

  it('manages the slices a user watches', async () => {
    const list = (await supervisor.get('/api/v1/analytics/alarm-watches')).json().items;
    expect(list.map((w: { slice: object }) => w.slice)).toEqual([{ topic: 'tributi' }]);
    const bad = await supervisor.post('/api/v1/analytics/alarm-watches', { slice: { territory: "13' or 1=1" } });
    expect(bad.statusCode).toBe(400);
    expect((await coordinator.delete(`/api/v1/analytics/alarm-watches/${list[0].id}`)).statusCode).toBe(404);
    expect((await supervisor.delete(`/api/v1/analytics/alarm-watches/${list[0].id}`)).statusCode).toBe(204);
  });
});
