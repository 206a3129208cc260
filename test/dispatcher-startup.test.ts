import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedDatabase, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { startOutboxDispatcher } from '../src/platform/events.js';

/**
 * The server's start-up order (src/server.ts): the dispatcher exists before the app registers its
 * handlers, so it is created paused and started once they are all registered. Without that, a poll
 * that ran in between would mark pending events dispatched to the handlers known so far.
 */
let database: OpenedDatabase;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-startup-'));
  database = await openDatabase({ databaseUrl: null, dataDir, inMemory: true, poolSize: 3 });
  await migrateToLatest(database.db);
}, 60_000);
afterAll(async () => {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const record = (topic: string) => database.db.insertInto('outbox').values({ topic, aggregate_id: null, organisation_id: null, payload: JSON.stringify({}) }).returning('id').executeTakeFirstOrThrow();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dispatchedAt = async (id: number) => (await database.db.selectFrom('outbox').select('dispatched_at').where('id', '=', id).executeTakeFirstOrThrow()).dispatched_at;

describe('dispatcher start-up', () => {
  it('loses the event for a handler registered after an early poll (the race the order prevents)', async () => {
    const { id } = await record('startup.early');
    const seen: number[] = [];
    const events = startOutboxDispatcher(database.db, { intervalMs: 10 });
    await sleep(150);
    events.subscribe('startup_early_lateHandler', 'startup.early', () => {
      seen.push(id);
    });
    await events.drain();
    await events.stop();
    expect(await dispatchedAt(id)).not.toBeNull();
    expect(seen).toEqual([]);
  });

  it('claims nothing while paused, not even when woken, and delivers to every handler once started', async () => {
    const { id } = await record('startup.paused');
    const seen: string[] = [];
    const events = startOutboxDispatcher(database.db, { intervalMs: 10, paused: true });
    events.wake();
    await sleep(150);
    expect(await dispatchedAt(id)).toBeNull();
    events.subscribe('startup_paused_first', 'startup.paused', () => {
      seen.push('first');
    });
    events.subscribe('startup_paused_second', 'startup.paused', () => {
      seen.push('second');
    });
    events.start();
    for (let i = 0; i < 100 && seen.length < 2; i++) await sleep(20);
    await events.stop();
    expect(seen.sort()).toEqual(['first', 'second']);
    expect(await dispatchedAt(id)).not.toBeNull();
  });
});
