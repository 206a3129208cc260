/**
 * Routing decisions (issue 12): `routeWaitingItems` on a large queue, as the sweep and the HTTP
 * handlers call it, with no HTTP in between.
 *
 *   node --import tsx bench/routing.bench.ts [--quick] [--engine=postgres|pglite] [--operators=N] [--items=N]
 *
 * Set-up: a fresh database (PostgreSQL by default, a new database on BENCH_DATABASE_URL /
 * DATABASE_URL or postgres://root@127.0.0.1:5432, dropped at the end; PGlite with --engine=pglite),
 * migrated and seeded with the demo network. N operators (generated users) spread over up to 100
 * offices of the demo network, all `available`, capacity email 6 (so N × 6 slots), and M waiting
 * e-mail work items in the same offices.
 *
 * Measured (single router): passes of `routeWaitingItems` until every item is offered. Between
 * passes (outside the timing) the bench accepts and completes every pending offer in bulk and frees
 * the operators' loads, so slots exist again; the whole queue is routed `repeat` times (refilled).
 * - offers/s = offers made / time spent inside routeWaitingItems (target ≥ 5,000/s);
 * - per-transaction latency: each routing transaction (one round: lock operators + items, plan,
 *   write offers, items, loads, events) is timed around `db.transaction().execute`; p50/p99 over
 *   transactions (target p99 < 10 ms). A decision's latency is the latency of the transaction that
 *   made it; amortised per-offer time = transaction time / offers it made (reported too);
 * - double offers: items with more than one pending offer, and items whose offers' intervals
 *   [offered_at, decided_at) overlap (must be 0).
 * Then two concurrent routers (two pools on the same database, same process) route a refilled queue
 * at once; errors (e.g. a unique violation) and double offers are counted. Last, the steady state a
 * user lives in: every operator at capacity with the queue still full; one operator finishes a
 * contact and a whole-network pass runs (as after each answer): its time is the decision latency,
 * and the freed operator must get exactly the one new offer.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { routeWaitingItems } from '../src/modules/routing/index.js';
import { seedAll } from '../src/seed.js';
import { atCleanup, cleanupAll, installExitHandlers, removeDir } from './lib/processes.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = args.includes('--quick');
const engine = (flag('engine') ?? 'postgres') as 'postgres' | 'pglite';
if (!['postgres', 'pglite'].includes(engine)) throw new Error(`--engine=${engine}: expected postgres or pglite`);
const OPERATORS = Number(flag('operators') ?? (quick ? 300 : 1000));
const ITEMS = Number(flag('items') ?? (quick ? 3000 : 10_000));
const REPEAT = Number(flag('repeat') ?? (quick ? 1 : 3));
const OFFICES = 100;
const CAPACITY = 6;
const TARGET_OFFERS_PER_S = 5000;
const TARGET_P99_MS = 10;
const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://root@127.0.0.1:5432/postgres';
const DB_NAME = `urpnet_bench_routing_${randomBytes(4).toString('hex')}`;

const log = (s: string) => process.stdout.write(`${s}\n`);
const quantile = (sorted: readonly number[], q: number) => (sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number));
const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

interface TxnSample {
  ms: number;
  offers: number;
}

/**
 * The same database handle, with every `transaction().execute` timed: routeWaitingItems runs one
 * transaction per round, so each sample is one routing decision batch.
 */
function timed(db: Database, samples: TxnSample[]): Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'transaction') {
        return () => {
          const builder = target.transaction();
          return {
            execute: async <T>(fn: Parameters<typeof builder.execute>[0]): Promise<T> => {
              const t0 = performance.now();
              const result = (await builder.execute(fn)) as T;
              const offers = (result as { offers?: unknown[] } | null)?.offers?.length ?? 0;
              samples.push({ ms: performance.now() - t0, offers });
              return result;
            },
          };
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as Database;
}

async function fillQueue(db: Database, offices: readonly { id: string; organisation_id: string }[], count: number, tag: string): Promise<void> {
  const base = Date.now() - 600_000;
  for (let i = 0; i < count; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - i) }, (_, j) => {
      const o = offices[(i + j) % offices.length]!;
      return sql`(${o.id}::uuid, ${o.organisation_id}::uuid, 'email', ${`Bench ${tag} ${i + j}`}, ${new Date(base + i + j)}::timestamptz, ${(i + j) % 3})`;
    });
    await sql`insert into work_items (office_id, organisation_id, channel, subject, enqueued_at, priority) values ${sql.join(rows)}`.execute(db);
  }
}

/** Accepts and completes every pending offer, frees every operator (outside the timing). */
async function settleAll(db: Database): Promise<void> {
  const now = new Date();
  await sql`update routing_offers set status = 'accepted', decided_at = ${now} where status = 'pending'`.execute(db);
  await sql`update work_items set status = 'completed', outcome = 'answered', ended_at = ${now}, assigned_to = (select user_id from routing_offers o where o.item_id = work_items.id and o.status = 'accepted' order by offered_at desc limit 1) where status = 'offered'`.execute(db);
  await sql`update operator_states set load = '{}'::jsonb, free_channels = '{phone,callback,chat,email,web}' where load <> '{}'::jsonb or free_channels <> '{phone,callback,chat,email,web}'`.execute(db);
}

async function doubleOffers(db: Database): Promise<{ pendingTwice: number; overlapping: number; assignedTwice: number }> {
  const pending = await sql<{ n: string }>`select count(*) as n from (select item_id from routing_offers where status = 'pending' group by item_id having count(*) > 1) x`.execute(db);
  const overlapping = await sql<{ n: string }>`
    select count(distinct a.item_id) as n from routing_offers a join routing_offers b on a.item_id = b.item_id and a.id < b.id
    where a.status in ('pending','accepted') and b.status in ('pending','accepted')
      and a.offered_at < coalesce(b.decided_at, 'infinity') and b.offered_at < coalesce(a.decided_at, 'infinity')`.execute(db);
  const assigned = await sql<{ n: string }>`select count(*) as n from (select item_id from routing_offers where status = 'accepted' group by item_id having count(*) > 1) x`.execute(db);
  return { pendingTwice: Number(pending.rows[0]?.n ?? 0), overlapping: Number(overlapping.rows[0]?.n ?? 0), assignedTwice: Number(assigned.rows[0]?.n ?? 0) };
}

async function waitingCount(db: Database): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from work_items where status = 'waiting'`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

async function main(): Promise<void> {
  installExitHandlers();
  log(`routing benchmark${quick ? ' (--quick)' : ''}: ${engine}, ${OPERATORS} operators, ${ITEMS} waiting items, capacity email ${CAPACITY}, ${os.cpus().length} CPUs, Node ${process.version}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-bench-routing-'));
  atCleanup(() => removeDir(dataDir));
  let databaseUrl: string | null = null;
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${DB_NAME}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${DB_NAME}`;
    databaseUrl = url.toString();
    atCleanup(async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${DB_NAME} with (force)`);
      await c.end();
    });
  }
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', URPNET_DEMO_PASSWORD: 'bench-routing-2026', URPNET_SECRET: randomBytes(32).toString('base64url'), ...(databaseUrl && { DATABASE_URL: databaseUrl }) });
  const t0 = performance.now();
  const database = await openDatabase({ databaseUrl, dataDir, poolSize: 4 });
  atCleanup(() => database.close());
  await migrateToLatest(database.db);
  await seedAll(database.db, config, true);
  const db = database.db;
  log(`database migrated and seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const offices = await db.selectFrom('offices').select(['id', 'organisation_id']).where('active', '=', true).orderBy('id').limit(OFFICES).execute();
  // Generated operators: plain users with an operator_states row (routing reads nothing else).
  const stamp = randomBytes(3).toString('hex');
  for (let i = 0; i < OPERATORS; i += 500) {
    const n = Math.min(500, OPERATORS - i);
    const users = await db
      .insertInto('users')
      .values(Array.from({ length: n }, (_, j) => ({ email: `bench.op${i + j}.${stamp}@bench.invalid`, name: `Operatore bench ${i + j}` })))
      .returning('id')
      .execute();
    const now = Date.now();
    await db
      .insertInto('operator_states')
      .values(users.map((u, j) => ({ user_id: u.id, office_id: offices[(i + j) % offices.length]!.id, presence: 'available', capacity: JSON.stringify({ email: CAPACITY }), idle_since: new Date(now - (i + j) * 10) })))
      .execute();
  }
  await fillQueue(db, offices, ITEMS, 'a');
  await sql`analyze`.execute(db);
  log(`${OPERATORS} operators over ${offices.length} offices (${OPERATORS * CAPACITY} email slots), ${ITEMS} waiting items`);

  // -------------------------------------------------------------------------------- single router
  const samples: TxnSample[] = [];
  const router = timed(db, samples);
  let routingMs = 0;
  let offers = 0;
  let passes = 0;
  for (let r = 0; r < REPEAT; r++) {
    if (r > 0) await fillQueue(db, offices, ITEMS, `r${r}`);
    for (let guard = 0; guard < 100 && (await waitingCount(db)) > 0; guard++) {
      const p0 = performance.now();
      const pass = await routeWaitingItems(router, new Date());
      routingMs += performance.now() - p0;
      offers += pass.offers.length;
      passes++;
      const doubles = await doubleOffers(db);
      if (doubles.pendingTwice > 0 || doubles.overlapping > 0) log(`  !! double offers after pass ${passes}: ${JSON.stringify(doubles)}`);
      await settleAll(db);
      if (pass.offers.length === 0) break;
    }
  }
  const routed = samples.filter((s) => s.offers > 0);
  const ms = routed.map((s) => s.ms).sort((a, b) => a - b);
  const perOffer = routed.map((s) => s.ms / s.offers).sort((a, b) => a - b);
  const perSecond = offers / (routingMs / 1000);
  const p99 = quantile(ms, 0.99);
  const single = await doubleOffers(db);
  log('');
  log(`single router: ${offers} offers in ${passes} passes, ${samples.length} transactions (${routed.length} made offers, mean ${fmt(offers / Math.max(1, routed.length), 0)} offers each), ${fmt(routingMs / 1000)} s inside routeWaitingItems`);
  log(`  offers/s          ${fmt(perSecond, 0).padStart(8)}   target ≥ ${TARGET_OFFERS_PER_S}   ratio ${fmt(perSecond / TARGET_OFFERS_PER_S)}×  ${perSecond >= TARGET_OFFERS_PER_S ? 'PASS' : 'FAIL'}`);
  log(`  transaction ms    p50 ${fmt(quantile(ms, 0.5))}  p99 ${fmt(p99)}  max ${fmt(ms.at(-1) ?? Number.NaN)}   target p99 < ${TARGET_P99_MS}   ratio ${fmt(p99 / TARGET_P99_MS)}  ${p99 < TARGET_P99_MS ? 'PASS' : 'FAIL'}`);
  log(`  per offer (amortised) ms  p50 ${fmt(quantile(perOffer, 0.5), 3)}  p99 ${fmt(quantile(perOffer, 0.99), 3)}`);
  log(`  double offers: pending twice ${single.pendingTwice}, overlapping intervals ${single.overlapping}, accepted twice ${single.assignedTwice}  ${single.pendingTwice + single.overlapping + single.assignedTwice === 0 ? 'PASS' : 'FAIL'}`);

  // ------------------------------------------------------------------------------ two routers
  const second = await openDatabase({ databaseUrl, dataDir, poolSize: 4 });
  atCleanup(() => second.close());
  await fillQueue(db, offices, ITEMS, 'c');
  const routers = [database.db, second.db];
  const concurrent = { offers: [0, 0], errors: 0, ms: 0, passes: 0 };
  const c0 = performance.now();
  for (let guard = 0; guard < 100 && (await waitingCount(db)) > 0; guard++) {
    const results = await Promise.allSettled(routers.map((r) => routeWaitingItems(r, new Date())));
    concurrent.passes++;
    results.forEach((res, i) => {
      if (res.status === 'fulfilled') concurrent.offers[i]! += res.value.offers.length;
      else {
        concurrent.errors++;
        log(`  router ${i + 1} error: ${(res.reason as Error).message}`);
      }
    });
    const doubles = await doubleOffers(db);
    if (doubles.pendingTwice > 0 || doubles.overlapping > 0) log(`  !! double offers with two routers: ${JSON.stringify(doubles)}`);
    if (results.every((r) => r.status === 'fulfilled' && r.value.offers.length === 0)) break;
    await settleAll(db);
  }
  concurrent.ms = performance.now() - c0;
  const both = await doubleOffers(db);
  const total = concurrent.offers[0]! + concurrent.offers[1]!;
  log('');
  log(`two concurrent routers (two pools): ${total} offers (router 1: ${concurrent.offers[0]}, router 2: ${concurrent.offers[1]}) in ${concurrent.passes} passes, ${fmt(concurrent.ms / 1000)} s wall (incl. bulk settling), errors ${concurrent.errors}`);
  log(`  double offers: pending twice ${both.pendingTwice}, overlapping intervals ${both.overlapping}, accepted twice ${both.assignedTwice}  ${both.pendingTwice + both.overlapping + both.assignedTwice === 0 && concurrent.errors === 0 ? 'PASS' : 'FAIL'}`);

  // ---------------------------------------------------------------- steady state: one slot frees
  // Every operator at capacity and ITEMS still waiting: an operator finishes one contact and the
  // next pass over the whole network (what the server runs after that answer) offers them the next
  // one. The time of that pass is the decision latency a user waits for, with the full queue there.
  await settleAll(db);
  await sql`update work_items set status = 'cancelled' where status = 'waiting'`.execute(db);
  await fillQueue(db, offices, ITEMS + OPERATORS * CAPACITY, 's');
  for (let guard = 0; guard < 100; guard++) if ((await routeWaitingItems(db, new Date())).offers.length === 0) break;
  const steadyWaiting = await waitingCount(db);
  const EVENTS = quick ? 200 : 1000;
  const latencies: number[] = [];
  let missed = 0;
  for (let k = 0; k < EVENTS; k++) {
    const { rows } = await sql<{ id: string; item_id: string; user_id: string }>`select id, item_id, user_id from routing_offers where status = 'pending' order by random() limit 1`.execute(db);
    const offer = rows[0];
    if (!offer) break;
    const now = new Date();
    await sql`update routing_offers set status = 'accepted', decided_at = ${now} where id = ${offer.id}`.execute(db);
    await sql`update work_items set status = 'completed', outcome = 'answered', ended_at = ${now}, assigned_to = ${offer.user_id} where id = ${offer.item_id}`.execute(db);
    await sql`update operator_states set load = jsonb_set(load, '{email}', to_jsonb((load->>'email')::int - 1)), free_channels = '{phone,callback,chat,email,web}' where user_id = ${offer.user_id}`.execute(db);
    const t = performance.now();
    const pass = await routeWaitingItems(db, new Date());
    latencies.push(performance.now() - t);
    if (pass.offers.length !== 1 || pass.offers[0]!.userId !== offer.user_id) missed++;
  }
  latencies.sort((a, b) => a - b);
  const steadyP99 = quantile(latencies, 0.99);
  log('');
  log(`steady state: ${steadyWaiting} waiting, ${OPERATORS} operators all at capacity; ${latencies.length} times one operator frees a slot and a whole-network pass runs`);
  log(`  decision latency ms  p50 ${fmt(quantile(latencies, 0.5))}  p99 ${fmt(steadyP99)}  max ${fmt(latencies.at(-1) ?? Number.NaN)}   target p99 < ${TARGET_P99_MS}   ratio ${fmt(steadyP99 / TARGET_P99_MS)}  ${steadyP99 < TARGET_P99_MS ? 'PASS' : 'FAIL'}`);
  log(`  the freed operator got exactly one new offer: ${latencies.length - missed}/${latencies.length}  ${missed === 0 ? 'PASS' : 'FAIL'}`);
}

main()
  .catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
