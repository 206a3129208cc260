import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactArchive, sweepArchive } from '../src/modules/archive/index.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

/*
 * The anonymised archive's writer (issue 13) through HTTP against a real database: tickets are
 * closed through the API, moved back in time (as if closed weeks ago), archived by a run, and the
 * Parquet files are read back with DuckDB as the analysts' tools will.
 */
let t: TestApp;
let celano: Client;
let coordinator: Client;
let analyst: Client;

beforeAll(async () => {
  t = await buildTestApp();
  [celano, coordinator, analyst] = await Promise.all([login(t.app, demoEmail('operatore', 'comune-celano')), login(t.app, demoEmail('coordinatore')), login(t.app, demoEmail('analista'))]);
});
afterAll(async () => {
  await t?.close();
});

const DAY_MS = 86_400_000;
const REQUESTER = { name: 'Giuseppina Verdolini', email: 'giuseppina.verdolini@example.org', phone: '+39 347 7654321', fiscalCode: 'VRDGPP75M52C426Y' };

/** A ticket opened, answered, resolved and closed through the API; then moved `daysAgo` into the past. */
async function closedTicket(subject: string, daysAgo = 30) {
  const created = await celano.post('/api/v1/tickets', ticketInput(celano, {
    subject,
    description: `Buongiorno, sono Giuseppina Verdolini, scrivo da giuseppina.verdolini@example.org o chiamatemi al 347 7654321: vorrei sapere come pagare la TARI.`,
    requester: REQUESTER,
    classification: { tipo: 'informazione', tema: 'tributi.tari' },
  }));
  expect(created.statusCode, created.body).toBe(201);
  const { code, id } = created.json() as { code: string; id: string };
  expect((await celano.post(`/api/v1/tickets/${code}/messages`, { kind: 'reply', body: 'Gentile sig.ra Verdolini, può pagare con PagoPA.' })).statusCode).toBe(201);
  let etag = (await celano.get(`/api/v1/tickets/${code}`)).headers.etag as string;
  const resolved = await celano.post(`/api/v1/tickets/${code}/status`, { status: 'resolved', outcome: 'risposta_fornita' }, { 'if-match': etag });
  expect(resolved.statusCode, resolved.body).toBe(200);
  etag = resolved.headers.etag as string;
  const closed = await celano.post(`/api/v1/tickets/${code}/status`, { status: 'closed' }, { 'if-match': etag });
  expect(closed.statusCode, closed.body).toBe(200);
  await sql`update tickets set created_at = created_at - make_interval(days => ${daysAgo}), resolved_at = resolved_at - make_interval(days => ${daysAgo}),
    closed_at = closed_at - make_interval(days => ${daysAgo}) where id = ${id}::uuid`.execute(t.database.db);
  await sql`update ticket_messages set created_at = created_at - make_interval(days => ${daysAgo}) where ticket_id = ${id}::uuid`.execute(t.database.db);
  return { code, id };
}

async function readArchive(): Promise<Record<string, unknown>[]> {
  const root = path.join(t.config.dataDir, 'archive');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const glob = path.join(root, 'month=*', '*.parquet').replaceAll("'", "''");
    const reader = await connection.runAndReadAll(`select * from read_parquet('${glob}', hive_partitioning = true) order by record_id`);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function runArchive(client: Client = coordinator) {
  const started = await client.post('/api/v1/archive/runs', {});
  expect(started.statusCode, started.body).toBe(202);
  await t.jobs.runDue();
  const run = await client.get(`/api/v1/archive/runs/${started.json().id}`);
  expect(run.statusCode).toBe(200);
  return run.json() as { state: string; ticketsArchived: number; historicalArchived: number; partsWritten: number; error: string | null };
}

const put = (client: Client, payload: unknown, headers: Record<string, string> = {}) =>
  client.request({ method: 'PUT', url: '/api/v1/archive/settings', payload: payload as object, headers });

const stagedCount = async () => Number((await sql<{ n: unknown }>`select count(*) as n from archive_records`.execute(t.database.db)).rows[0]?.n);

describe('archive writer', () => {
  let first: { code: string; id: string };

  it('archives closed tickets into Parquet without personal data, the ticket code or its id', async () => {
    first = await closedTicket('Pagamento TARI 2026');
    const run = await runArchive();
    expect(run).toMatchObject({ state: 'done', error: null });
    expect(run.ticketsArchived).toBeGreaterThanOrEqual(1);
    expect(run.partsWritten).toBeGreaterThanOrEqual(1);
    const rows = await readArchive();
    const mine = rows.filter((r) => String(r.text).includes('Pagamento TARI 2026'));
    expect(mine).toHaveLength(1);
    const record = mine[0]!;
    const all = JSON.stringify(rows);
    for (const secret of [first.code, first.id, 'Verdolini', 'Giuseppina', 'giuseppina.verdolini', '7654321', REQUESTER.fiscalCode]) expect(all).not.toContain(secret);
    expect(record).toMatchObject({
      source: 'ticket', organisation_id: celano.organisationId, office_id: celano.officeId, channel: 'telefono', topic_code: 'tributi.tari', outcome: 'risposta_fornita',
      // Celano has about 11,000 inhabitants: above the default threshold of 5,000.
      territory_code: '066032', territory_level: 'comune', opened_hour: null, satisfaction: null, offices_involved: 1, handoffs: 0,
    });
    expect(JSON.parse(String(record.classification_json))).toMatchObject({ tema: 'tributi.tari', tipo: 'informazione' });
    expect(Number(record.first_response_minutes)).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(String(record.pii_counts))).toMatchObject({ EMAIL: 1 });
    expect(String(record.month)).toMatch(/^\d{4}-\d{2}$/);
    expect(String(record.opened_day)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Only complete files are visible: the staging directory is empty, the staging table too.
    expect(readdirSync(path.join(t.config.dataDir, 'archive', '.staging'))).toEqual([]);
    expect(await stagedCount()).toBe(0);
  });

  it('is idempotent: a second run archives nothing more', async () => {
    const before = (await readArchive()).length;
    const run = await runArchive();
    expect(run).toMatchObject({ state: 'done', ticketsArchived: 0, historicalArchived: 0, partsWritten: 0 });
    expect(await readArchive()).toHaveLength(before);
    // Even a sweep that forgets the watermark claims nothing twice.
    await sql`update archive_settings set ticket_watermark_at = null, ticket_watermark_id = null`.execute(t.database.db);
    expect(await sweepArchive(t.database.db)).toEqual({ tickets: 0, historical: 0 });
  });

  it('waits for the grace period and the reopen window', async () => {
    const recent = await closedTicket('Chiusa da poco', 3);
    const before = (await readArchive()).length;
    expect((await sweepArchive(t.database.db)).tickets).toBe(0);
    // After the grace period (7 days) but within the reopen window (14 days from resolution): not yet.
    expect((await sweepArchive(t.database.db, { now: new Date(Date.now() + 5 * DAY_MS) })).tickets).toBe(0);
    expect((await sweepArchive(t.database.db, { now: new Date(Date.now() + 12 * DAY_MS) })).tickets).toBe(1);
    await compactArchive(t.database.db, t.config.dataDir);
    expect(await readArchive()).toHaveLength(before + 1);
    const archived = await sql<{ n: unknown }>`select count(*) as n from archived_tickets where ticket_id = ${recent.id}::uuid`.execute(t.database.db);
    expect(Number(archived.rows[0]?.n)).toBe(1);
    // This test moved the clock 12 days ahead, and the watermark with it; the next ones back-date tickets on the real clock.
    await sql`update archive_settings set ticket_watermark_at = null, ticket_watermark_id = null`.execute(t.database.db);
  });

  it('survives a crash between the compaction steps without losing or duplicating a record', async () => {
    await closedTicket('Crash dopo la presa in carico');
    expect((await sweepArchive(t.database.db)).tickets).toBe(1);
    const before = (await readArchive()).length;
    const crash = new Error('crash');
    // (a) done, crash before the file is written.
    await expect(compactArchive(t.database.db, t.config.dataDir, { afterStep: (step) => { if (step === 'claimed') throw crash; } })).rejects.toThrow('crash');
    expect(await readArchive()).toHaveLength(before);
    const writing = await sql<{ id: string; path: string }>`select id, path from archive_parts where state = 'writing'`.execute(t.database.db);
    expect(writing.rows).toHaveLength(1);
    expect(existsSync(path.join(t.config.dataDir, 'archive', writing.rows[0]!.path))).toBe(false);
    // (b) done, crash before the rows are deleted: the file is complete, the rows still staged.
    await expect(compactArchive(t.database.db, t.config.dataDir, { afterStep: (step) => { if (step === 'written') throw crash; } })).rejects.toThrow('crash');
    expect(await readArchive()).toHaveLength(before + 1);
    expect(await stagedCount()).toBe(1);
    // The next compaction rewrites the same part (same rows) and finishes it.
    expect(await compactArchive(t.database.db, t.config.dataDir)).toEqual({ parts: 1, records: 1 });
    expect(await readArchive()).toHaveLength(before + 1);
    expect(await stagedCount()).toBe(0);
    const states = await sql<{ state: string }>`select state from archive_parts where id = ${writing.rows[0]!.id}::uuid`.execute(t.database.db);
    expect(states.rows[0]?.state).toBe('written');
  });

  it('archives historical contacts through the same anonymiser and flags them anonymised with their redacted text', async () => {
    const imp = await sql<{ id: string }>`
      insert into history_imports (organisation_id, source, filename, size, sha256, encoding, delimiter, has_header, columns, row_count, status)
      values (${celano.organisationId}::uuid, 'storico', 'storico.csv', 10, 'x', 'utf-8', ';', true, '[]', 2, 'committed') returning id`.execute(t.database.db);
    const importId = imp.rows[0]!.id;
    await sql`
      insert into historical_contacts (organisation_id, source, import_id, legacy_id, created_at, closed_at, taxonomy_version, classification, tema, classified, text)
      values (${celano.organisationId}::uuid, 'storico', ${importId}::uuid, 'A1', '2019-03-04T09:00:00Z', '2019-03-05T09:00:00Z', '1.0.0',
        '{"tema":"tributi.tari","canale":"telefono","esito":"risposta_fornita"}', 'tributi.tari', true, 'Telefona Anselmo Pirandelli, anselmo.p@example.org, per la TARI'),
      (${celano.organisationId}::uuid, 'storico', ${importId}::uuid, 'A2', '2019-04-01T09:00:00Z', null, '1.0.0', '{"tema":"tributi"}', 'tributi', true, null)`.execute(t.database.db);
    const run = await runArchive();
    expect(run).toMatchObject({ state: 'done', historicalArchived: 2 });
    const contacts = await sql<{ anonymised: boolean; anonymised_at: Date | null; text: string | null }>`
      select anonymised, anonymised_at, text from historical_contacts where import_id = ${importId}::uuid order by legacy_id`.execute(t.database.db);
    expect(contacts.rows.every((c) => c.anonymised && c.anonymised_at !== null)).toBe(true);
    expect(contacts.rows[0]!.text).not.toContain('anselmo.p@example.org');
    expect(contacts.rows[0]!.text).toContain('TARI');
    const historical = (await readArchive()).filter((r) => r.source === 'historical');
    expect(historical).toHaveLength(2);
    expect(historical.map((r) => r.month).sort()).toEqual(['2019-03', '2019-04']);
    const tari = historical.find((r) => r.month === '2019-03')!;
    expect(tari).toMatchObject({ office_id: null, channel: 'telefono', outcome: 'risposta_fornita', topic_code: 'tributi.tari', territory_code: '066032' });
    expect(String(tari.text)).not.toContain('anselmo');
    // Once anonymised they are not archived again.
    expect((await runArchive()).historicalArchived).toBe(0);
  });

  it('asks for a sweep when a ticket closes, after the grace period', async () => {
    const { id } = await closedTicket('Chiusura che programma', 0);
    await t.events.drain();
    const jobs = await sql<{ start_after: Date; singleton_key: string | null }>`
      select start_after, singleton_key from pgboss.job where name = 'archive.sweep' and singleton_key like 'closed:%' order by start_after desc limit 1`.execute(t.database.db);
    expect(jobs.rows).toHaveLength(1);
    const due = new Date(jobs.rows[0]!.start_after).getTime();
    expect(due).toBeGreaterThan(Date.now() + 6.9 * DAY_MS);
    expect(due).toBeLessThan(Date.now() + 7.1 * DAY_MS);
    expect(id).toBeTruthy();
  });
});

describe('archive API', () => {
  it('shows the status to analysts and coordinators only', async () => {
    for (const client of [analyst, coordinator]) {
      const res = await client.get('/api/v1/archive/status');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ stagedRecords: expect.any(Number), archivedTickets: expect.any(Number), parts: { written: expect.any(Number), writing: 0 }, settings: { graceDays: 7 } });
    }
    const denied = await celano.get('/api/v1/archive/status');
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('archive.forbidden');
    expect((await analyst.post('/api/v1/archive/runs', {})).statusCode).toBe(403);
  });

  it('changes the settings under If-Match and validates them', async () => {
    const current = await coordinator.get('/api/v1/archive/settings');
    expect(current.json()).toMatchObject({ graceDays: 7, minComunePopulation: 5000, timeGranularity: 'day' });
    const body = { graceDays: 10, minComunePopulation: 20000, timeGranularity: 'hour' };
    expect((await put(coordinator, body)).statusCode).toBe(428);
    expect((await put(coordinator, body, { 'if-match': '"999"' })).statusCode).toBe(412);
    const bad = await put(coordinator, { ...body, timeGranularity: 'minute' }, { 'if-match': current.headers.etag as string });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const ok = await put(coordinator, body, { 'if-match': current.headers.etag as string });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject(body);
    expect(ok.headers.etag).not.toBe(current.headers.etag);
    // Celano (11,000 inhabitants) is now below the threshold: its records name the province of L'Aquila; opening hours are kept.
    await closedTicket('Con le nuove impostazioni', 20);
    await runArchive();
    const record = (await readArchive()).find((r) => String(r.text).includes('Con le nuove impostazioni'))!;
    expect(record).toMatchObject({ territory_code: '066', territory_level: 'provincia' });
    expect(record.opened_hour).toEqual(expect.any(Number));
  });

  it('answers 404 for an unknown run', async () => {
    const res = await coordinator.get('/api/v1/archive/runs/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('archive.run_not_found');
  });
});
