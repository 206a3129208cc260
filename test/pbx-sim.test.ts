import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPbxSim } from '../scripts/pbx-sim.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

/**
 * The scripted PBX (scripts/pbx-sim.ts) against a real listening server: CTI WebSocket, incoming
 * calls over HTTP, an operator who accepts offers through the routing API, answered/ended events,
 * abandons and the idempotent retry.
 */
let t: TestApp;
let operator: Client;
let supervisor: Client;
let baseUrl: string;
let token: string;
const NUMBER = '+390863795999';

const ALWAYS_OPEN = {
  timeZone: 'Europe/Rome',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]])),
  closures: [],
  observeNationalHolidays: false,
};

beforeAll(async () => {
  t = await buildTestApp();
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  supervisor = await login(t.app, demoEmail('responsabile', 'comune-celano'));
  await sql`update offices set calendar = ${JSON.stringify(ALWAYS_OPEN)}::jsonb where id = ${operator.officeId}`.execute(t.database.db);
  const settings = await supervisor.put(`/api/v1/routing/offices/${operator.officeId}/settings`, {
    maxQueue: null, maxWaitSeconds: null, offerTimeoutSeconds: 20, serviceLevelSeconds: 20, handleSeconds: 60, callbackAfterSeconds: null, numbers: [NUMBER],
  });
  expect(settings.statusCode, settings.body).toBe(200);
  const created = await supervisor.post('/api/v1/me/tokens', { name: 'centralino simulato', scopes: ['cti'] });
  expect(created.statusCode, created.body).toBe(201);
  token = created.json().secret;
  const presence = await operator.put('/api/v1/routing/me/presence', { presence: 'available', officeId: operator.officeId });
  expect(presence.statusCode, presence.body).toBe(200);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('scripts/pbx-sim.ts', () => {
  it('runs five calls: answered by the operator who accepts offers, no errors, idempotent retry', async () => {
    // The operator's console: accepts every offer it sees (the PBX then bridges and reports answered).
    let stop = false;
    let accepted = 0;
    const consoleLoop = (async () => {
      while (!stop) {
        const view = (await operator.get('/api/v1/routing/me')).json() as { offers: { offer: { id: string } }[] };
        for (const o of view.offers) if ((await operator.post(`/api/v1/routing/offers/${o.offer.id}/accept`)).statusCode === 200) accepted++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const lines: string[] = [];
    const summary = await runPbxSim({
      url: baseUrl, token, number: NUMBER, calls: 5, rate: 4, seed: 7, talkSeconds: [0.2, 0.5], patienceSeconds: [8, 10], impatient: 0, timeoutSeconds: 40, log: (l) => lines.push(l),
    });
    stop = true;
    await consoleLoop;
    expect(summary.errors, summary.errorMessages.join('\n')).toBe(0);
    expect(summary.calls).toBe(5);
    expect(summary.queued).toBe(5);
    expect(summary.answered, `${lines.join("\n")}\naccepted ${accepted}`).toBeGreaterThanOrEqual(1);
    expect(summary.idempotentRetries).toBe(1);
    expect(summary.unfinished).toBe(0);
    expect(summary.answered + summary.abandoned).toBe(5);
    expect(accepted).toBeGreaterThanOrEqual(summary.answered);
    // Every call ended in the database: no call left waiting, offered or held.
    const open = await sql<{ n: string }>`select count(*) as n from work_items where call_id like 'sim-%' and status in ('waiting','offered','assigned')`.execute(t.database.db);
    expect(Number(open.rows[0]?.n)).toBe(0);
  }, 60_000);
});
