import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrainingData } from '../src/modules/classification/training-job.js';
import { closeExpiredResolvedTickets, ticketAutoCloseJob } from '../src/modules/tickets/auto-close.js';
import { createJobRunner, type JobRunner, poolExecutor } from '../src/platform/jobs/index.js';
import { DEFAULT_REOPEN_WINDOW_DAYS } from '../src/modules/tickets/ticket-status.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

let t: TestApp;
let celano: Client;

const DAY_MS = 86_400_000;
const windowEnd = (resolvedAt: string) => new Date(new Date(resolvedAt).getTime() + DEFAULT_REOPEN_WINDOW_DAYS * DAY_MS);

beforeAll(async () => {
  t = await buildTestApp();
  celano = await login(t.app, demoEmail('operatore', 'comune-celano'));
});
const runners: JobRunner[] = [];
/** A runner of its own, so each test's job definition (clock, crash) is its own. */
function jobRunner(): JobRunner {
  const runner = createJobRunner(poolExecutor(t.database.pool), { mode: 'manual' });
  runners.push(runner);
  return runner;
}
afterAll(async () => {
  for (const r of runners) await r.stop();
  await t?.close();
});

async function resolvedTicket(subject = 'Rinnovo carta d’identità elettronica') {
  const created = await celano.post('/api/v1/tickets', ticketInput(celano, { subject }));
  expect(created.statusCode, created.body).toBe(201);
  const res = await celano.post(`/api/v1/tickets/${created.json().code}/status`, { status: 'resolved', outcome: 'risposta_fornita' }, { 'if-match': created.headers.etag as string });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string; code: string; resolvedAt: string };
}

const ticketOf = async (code: string) => (await celano.get(`/api/v1/tickets/${code}`)).json();
const historyOf = async (code: string) => (await celano.get(`/api/v1/tickets/${code}/history`)).json().items as { action: string; actor: unknown; changes: Record<string, { from: unknown; to: unknown }> }[];

describe('resolved tickets close by themselves after the reopen window', () => {
  it('keeps a resolved ticket open to reopening for the whole window, then closes it and records the automatic close', async () => {
    const ticket = await resolvedTicket();
    const end = windowEnd(ticket.resolvedAt);

    // The window is inclusive: at its last instant the citizen can still have the ticket reopened.
    await closeExpiredResolvedTickets(t.database.db, end);
    expect((await ticketOf(ticket.code)).status).toBe('resolved');

    const after = new Date(end.getTime() + 1);
    const outcome = await closeExpiredResolvedTickets(t.database.db, after);
    expect(outcome.closed).toBeGreaterThanOrEqual(1);
    const closed = await ticketOf(ticket.code);
    expect(closed).toMatchObject({ status: 'closed', outcome: 'risposta_fornita', closedAt: after.toISOString() });
    expect(closed.version).toBeGreaterThan(1);

    const history = await historyOf(ticket.code);
    expect(history.at(-1)).toMatchObject({ action: 'auto_closed', actor: null, changes: { status: { from: 'resolved', to: 'closed' } } });
    expect(history.at(-1)!.changes.reopenWindowDays).toEqual({ from: null, to: DEFAULT_REOPEN_WINDOW_DAYS });
  });

  it('is harmless to run twice, even at the same time from two instances', async () => {
    const ticket = await resolvedTicket();
    const after = new Date(windowEnd(ticket.resolvedAt).getTime() + DAY_MS);
    const runs = await Promise.all([closeExpiredResolvedTickets(t.database.db, after), closeExpiredResolvedTickets(t.database.db, after)]);
    expect(runs.reduce((n, r) => n + r.closed, 0)).toBeGreaterThanOrEqual(1);
    expect((await closeExpiredResolvedTickets(t.database.db, after)).closed).toBe(0);
    const closes = (await historyOf(ticket.code)).filter((h) => h.action === 'auto_closed');
    expect(closes).toHaveLength(1);
  });

  it('closes in batches until nothing expired is left', async () => {
    const tickets = [await resolvedTicket(), await resolvedTicket(), await resolvedTicket()];
    const latest = Math.max(...tickets.map((x) => new Date(x.resolvedAt).getTime()));
    const after = new Date(latest + (DEFAULT_REOPEN_WINDOW_DAYS + 1) * DAY_MS);
    await closeExpiredResolvedTickets(t.database.db, after, { batchSize: 2 });
    for (const x of tickets) expect((await ticketOf(x.code)).status).toBe('closed');
  });

  it('leaves tickets that are not resolved alone', async () => {
    const created = await celano.post('/api/v1/tickets', ticketInput(celano));
    const far = new Date(Date.now() + 365 * DAY_MS);
    await closeExpiredResolvedTickets(t.database.db, far);
    expect((await ticketOf(created.json().code)).status).toBe('new');
  });

  it('runs as a job of the platform queue', async () => {
    const ticket = await resolvedTicket();
    const after = new Date(windowEnd(ticket.resolvedAt).getTime() + 1);
    const logged: string[] = [];
    const runner = jobRunner();
    runner.define(ticketAutoCloseJob(t.database.db, { log: { info: (_: object, msg: string) => logged.push(msg) }, now: () => after }));
    await runner.send('tickets.auto-close', {});
    expect((await ticketOf(ticket.code)).status).toBe('resolved');
    expect(await runner.runDue()).toEqual({ completed: 1, failed: 0 });
    expect((await ticketOf(ticket.code)).status).toBe('closed');
    expect(logged).toContain('resolved tickets closed after the reopen window');
  });

  it('a run that crashes after its first batch is retried and closes the rest, each ticket once', async () => {
    const tickets = [await resolvedTicket(), await resolvedTicket(), await resolvedTicket()];
    const latest = Math.max(...tickets.map((x) => new Date(x.resolvedAt).getTime()));
    const after = new Date(latest + (DEFAULT_REOPEN_WINDOW_DAYS + 2) * DAY_MS);
    let crashed = false;
    const runner = jobRunner();
    const job = ticketAutoCloseJob(t.database.db, {
      now: () => after,
      batchSize: 1,
      afterBatch: () => {
        if (crashed) return;
        crashed = true;
        throw new Error('instance died after committing one batch');
      },
    });
    runner.define({ ...job, retry: { limit: 1, delaySeconds: 0 } });
    await runner.send('tickets.auto-close', {});
    expect(await runner.runDue()).toEqual({ completed: 1, failed: 1 });
    for (const x of tickets) {
      expect((await ticketOf(x.code)).status).toBe('closed');
      expect((await historyOf(x.code)).filter((h) => h.action === 'auto_closed')).toHaveLength(1);
    }
  });
});

describe('the classifier learns from resolved and closed tickets', () => {
  it('reads resolved tickets as well as closed ones, and not open ones', async () => {
    const closedOne = await resolvedTicket('Pagamento IMU terreni agricoli');
    await closeExpiredResolvedTickets(t.database.db, new Date(windowEnd(closedOne.resolvedAt).getTime() + 1));
    const stillResolved = await resolvedTicket('Informazioni sulla TARI per la seconda casa al mare');
    const open = await celano.post('/api/v1/tickets', ticketInput(celano, { subject: 'Segnalazione buca in via Roma' }));
    expect((await ticketOf(closedOne.code)).status).toBe('closed');
    expect((await ticketOf(stillResolved.code)).status).toBe('resolved');
    const ids = new Set((await loadTrainingData(t.database.db)).tickets.map((x) => x.id));
    expect(ids.has(closedOne.id)).toBe(true);
    expect(ids.has(stillResolved.id)).toBe(true);
    expect(ids.has(open.json().id)).toBe(false);
  });
});
