import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedDatabase, openDatabase } from '../../db/database.js';
import { createJobRunner, type JobRunner, poolExecutor } from './job-runner.js';

const serverUrl = process.env.TEST_DATABASE_URL;
let database: OpenedDatabase;
let databaseUrl: string | null = null;
let dropDatabase: (() => Promise<void>) | null = null;

beforeAll(async () => {
  if (serverUrl) {
    const name = `urpnet_jobs_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  database = await openDatabase({ databaseUrl, dataDir: '/nonexistent', inMemory: databaseUrl === null, poolSize: 5 });
  await sql`create table effects (key text primary key, attempts int not null default 1)`.execute(database.db);
});
afterAll(async () => {
  await database?.close();
  await dropDatabase?.();
});

const runners: JobRunner[] = [];
afterAll(async () => {
  for (const r of runners) await r.stop();
});
function manualRunner(): JobRunner {
  const runner = createJobRunner(poolExecutor(database.pool), { mode: 'manual' });
  runners.push(runner);
  return runner;
}
const effects = async (prefix: string) =>
  (await sql<{ key: string; attempts: number }>`select key, attempts from effects where key like ${`${prefix}%`} order by key`.execute(database.db)).rows;

describe('jobs on pg-boss over the application connection', () => {
  it('runs a sent job once, with its data, when asked', async () => {
    const runner = manualRunner();
    const seen: unknown[] = [];
    runner.define<{ n: number }>({ name: 'test.echo', handler: async (data, run) => void seen.push({ ...data, attempt: run.attempt }) });
    const id = await runner.send('test.echo', { n: 7 });
    expect(id).toEqual(expect.any(String));
    expect(seen).toEqual([]);
    expect(await runner.runDue()).toEqual({ completed: 1, failed: 0 });
    expect(seen).toEqual([{ n: 7, attempt: 1 }]);
    expect(await runner.runDue()).toEqual({ completed: 0, failed: 0 });
  });

  it('retries a job that crashed mid-way; an idempotent handler leaves its effect once', async () => {
    const runner = manualRunner();
    let attempts = 0;
    runner.define<{ key: string }>({
      name: 'test.crashes-once',
      retry: { limit: 2, delaySeconds: 0 },
      async handler(data) {
        attempts++;
        // The effect is keyed: a second attempt finds it and does not add another.
        await sql`insert into effects (key) values (${data.key}) on conflict (key) do update set attempts = effects.attempts + 1`.execute(database.db);
        if (attempts === 1) throw new Error('crash after the effect, before completion');
      },
    });
    await runner.send('test.crashes-once', { key: 'crash-1' });
    const result = await runner.runDue();
    expect(result).toEqual({ completed: 1, failed: 1 });
    expect(attempts).toBe(2);
    expect(await effects('crash-')).toEqual([{ key: 'crash-1', attempts: 2 }]);
  });

  it('gives up after the retry limit', async () => {
    const runner = manualRunner();
    let attempts = 0;
    runner.define({ name: 'test.always-fails', retry: { limit: 1, delaySeconds: 0 }, handler: async () => {
      attempts++;
      throw new Error('boom');
    } });
    await runner.send('test.always-fails', {});
    expect(await runner.runDue()).toEqual({ completed: 0, failed: 2 });
    expect(attempts).toBe(2);
  });

  it('hands a job that failed for good to its dead-letter job, with its data', async () => {
    const runner = manualRunner();
    const buried: unknown[] = [];
    runner.define<{ key: string }>({ name: 'test.dead-letters', handler: async (data) => void buried.push(data) });
    runner.define<{ key: string }>({ name: 'test.fails-for-good', retry: { limit: 1, delaySeconds: 0 }, deadLetter: 'test.dead-letters', handler: async () => {
      throw new Error('boom');
    } });
    await runner.send('test.fails-for-good', { key: 'k1' });
    expect(await runner.runDue()).toEqual({ completed: 1, failed: 2 });
    expect(buried).toEqual([{ key: 'k1' }]);
  });

  it('enqueues in a transaction: a rolled-back change leaves no job behind', async () => {
    const runner = manualRunner();
    const ran: string[] = [];
    runner.define<{ key: string }>({ name: 'test.transactional', handler: async (data) => void ran.push(data.key) });
    await runner.start();
    await database.db.transaction().execute(async (trx) => {
      await runner.send('test.transactional', { key: 'committed' }, { trx });
    });
    await database.db
      .transaction()
      .execute(async (trx) => {
        await runner.send('test.transactional', { key: 'rolled-back' }, { trx });
        throw new Error('rollback');
      })
      .catch(() => undefined);
    await runner.runDue();
    expect(ran).toEqual(['committed']);
  });

  it('refuses unknown jobs and late definitions', async () => {
    const runner = manualRunner();
    runner.define({ name: 'test.known', handler: async () => undefined });
    await runner.start();
    await expect(runner.send('test.unknown', {})).rejects.toThrow(/unknown job/);
    expect(() => runner.define({ name: 'test.late', handler: async () => undefined })).toThrow(/after the runner started/);
    expect(() => createJobRunner(poolExecutor(database.pool), { mode: 'manual' }).define({ name: 'Bad Name', handler: async () => undefined })).toThrow(/invalid job name/);
  });
});

describe.skipIf(!serverUrl)('a scheduled job with several instances on one PostgreSQL', () => {
  it('runs once per tick although two runners check the schedule every second', { timeout: 60_000 }, async () => {
    // Schedules tick per minute: start far enough from a minute boundary that the whole check stays in one tick.
    const intoMinute = new Date().getUTCSeconds();
    if (intoMinute > 45) await new Promise((resolve) => setTimeout(resolve, (61 - intoMinute) * 1000));
    const executions: string[] = [];
    // Each instance has its own connection pool, as two server processes would.
    const pools: pg.Pool[] = [];
    const instance = (label: string) => {
      const pool = new pg.Pool({ connectionString: databaseUrl!, max: 3 });
      pool.on('error', () => undefined);
      pools.push(pool);
      const runner = createJobRunner(poolExecutor(pool), { mode: 'work', pollingIntervalSeconds: 0.5, cronMonitorIntervalSeconds: 1 });
      runner.define({ name: 'test.every-minute', schedule: '* * * * *', handler: async () => void executions.push(label) });
      runners.push(runner);
      return runner;
    };
    const a = instance('a');
    const b = instance('b');
    try {
      await Promise.all([a.start(), b.start()]);
      const deadline = Date.now() + 8_000;
      while (executions.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(executions).toHaveLength(1);
      // Both instances keep checking the schedule (every second) and polling: still once in this tick.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      for (const pool of pools) await pool.end();
    }
    expect(executions).toHaveLength(1);
  });
});
