import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedDatabase, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { type DeliveryFailure, type DomainEvent, startOutboxDispatcher } from '../src/platform/events.js';

/** Delivery of outbox events per handler: retries, dead letters, crashed instances, shared work. */
let database: OpenedDatabase;
let dataDir: string;
let dropDatabase: (() => Promise<void>) | null = null;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-outbox-'));
  let databaseUrl: string | null = null;
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `urpnet_test_${randomBytes(6).toString('hex')}`;
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
  database = await openDatabase({ databaseUrl, dataDir, inMemory: databaseUrl === null, poolSize: 5 });
  await migrateToLatest(database.db);
});

afterAll(async () => {
  await database.close();
  await dropDatabase?.();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Test topics are outside the catalogue: written as raw outbox rows. */
const record = (topic: string, payload: unknown) => database.db.insertInto('outbox').values({ topic, aggregate_id: null, organisation_id: null, payload: JSON.stringify(payload) }).execute();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function deliveryOf(handler: string, topic: string) {
  return database.db
    .selectFrom('outbox_deliveries as d')
    .innerJoin('outbox as o', 'o.id', 'd.event_id')
    .select(['d.attempts', 'd.done_at', 'd.dead_at', 'd.last_error'])
    .where('d.handler', '=', handler)
    .where('o.topic', '=', topic)
    .executeTakeFirstOrThrow();
}

describe('outbox delivery', () => {
  it('retries a handler that throws until it succeeds, without running the other handlers again', async () => {
    const events = startOutboxDispatcher(database.db, { intervalMs: 0, retryBaseMs: 400 });
    let flakyCalls = 0;
    let steadyCalls = 0;
    events.subscribe('flaky', 'retry.', () => {
      flakyCalls += 1;
      if (flakyCalls < 3) throw new Error(`transient ${flakyCalls}`);
    });
    events.subscribe('steady', 'retry.', () => {
      steadyCalls += 1;
    });
    await record('retry.one', { n: 1 });
    await events.drain();
    expect([flakyCalls, steadyCalls]).toEqual([1, 1]);
    const afterFirst = await deliveryOf('flaky', 'retry.one');
    expect(afterFirst).toMatchObject({ attempts: 1, done_at: null, dead_at: null, last_error: 'Error: transient 1' });
    // Not due yet: a drain right away runs nothing.
    await events.drain();
    expect(flakyCalls).toBe(1);
    // Retried after 0.4 s, then 0.8 s: drain until the third attempt succeeds.
    const deadline = Date.now() + 5000;
    while (flakyCalls < 3 && Date.now() < deadline) {
      await sleep(100);
      await events.drain();
    }
    expect([flakyCalls, steadyCalls]).toEqual([3, 1]);
    const done = await deliveryOf('flaky', 'retry.one');
    expect(done.attempts).toBe(3);
    expect(done.done_at).toBeInstanceOf(Date);
    expect(events.stats()).toEqual({ delivered: 2, failed: 2, deadLettered: 0 });
    await events.stop();
  });

  it('dead-letters a delivery after the last attempt, and says so', async () => {
    const failures: DeliveryFailure[] = [];
    const events = startOutboxDispatcher(database.db, { intervalMs: 0, retryBaseMs: 10, maxAttempts: 3, onFailure: (f) => failures.push(f) });
    let calls = 0;
    events.subscribe('broken', 'dead.', () => {
      calls += 1;
      throw new Error('always');
    });
    await record('dead.one', {});
    for (let i = 0; i < 6; i++) {
      await events.drain();
      await sleep(60);
    }
    expect(calls).toBe(3);
    const row = await deliveryOf('broken', 'dead.one');
    expect(row.attempts).toBe(3);
    expect(row.dead_at).toBeInstanceOf(Date);
    expect(row.done_at).toBeNull();
    expect(failures.map((f) => f.dead)).toEqual([false, false, true]);
    expect(events.stats().deadLettered).toBe(1);
    await events.stop();
  });

  it('retries on another instance what an instance that died mid-handler had claimed', async () => {
    const seenByB: DomainEvent[] = [];
    let release: () => void = () => undefined;
    const a = startOutboxDispatcher(database.db, { intervalMs: 0, leaseMs: 200 });
    a.subscribe('mailer', 'crash.', () => new Promise<void>((resolve) => {
      release = resolve; // "dies": never finishes until the test ends
    }));
    await record('crash.one', { to: 'ufficio@example.org' });
    const stuck = a.drain();
    await sleep(50);
    const b = startOutboxDispatcher(database.db, { intervalMs: 0, leaseMs: 200 });
    b.subscribe('mailer', 'crash.', (event: DomainEvent) => {
      seenByB.push(event);
    });
    await b.drain();
    expect(seenByB).toHaveLength(0); // still leased to A
    await sleep(250);
    await b.drain();
    expect(seenByB.map((e) => e.topic)).toEqual(['crash.one']);
    expect(seenByB[0]?.payload).toEqual({ to: 'ufficio@example.org' });
    expect((await deliveryOf('mailer', 'crash.one')).done_at).toBeInstanceOf(Date);
    release();
    await stuck;
    await Promise.all([a.stop(), b.stop()]);
  });

  it('shares the work between instances: each delivery runs once', async () => {
    const calls = new Map<number, number>();
    const make = () => {
      const d = startOutboxDispatcher(database.db, { intervalMs: 0 });
      d.subscribe('counter', 'shared.', async (event: DomainEvent) => {
        calls.set(event.id, (calls.get(event.id) ?? 0) + 1);
        await sleep(1);
      });
      return d;
    };
    const [a, b] = [make(), make()];
    for (let i = 0; i < 40; i++) await record('shared.tick', { i });
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    await Promise.all([a.drain(), b.drain()]);
    expect(calls.size).toBe(40);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('keeps the first handler of a name registered twice: it runs once per event', async () => {
    const events = startOutboxDispatcher(database.db, { intervalMs: 0 });
    const calls: string[] = [];
    events.subscribe('same', 'twice.', () => {
      calls.push('first');
    });
    events.subscribe('same', 'twice.', () => {
      calls.push('second');
    });
    await record('twice.one', {});
    await events.drain();
    expect(calls).toEqual(['first']);
    await events.stop();
  });
});
