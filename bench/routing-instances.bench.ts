/**
 * Routing across two server processes (issue 12): two `urpnet serve` processes (node --import tsx
 * src/cli.ts serve, each with its own pool, job runner in work mode and realtime hub) on one
 * PostgreSQL database, simulated operators working through the HTTP API of both.
 *
 *   node --import tsx bench/routing-instances.bench.ts [--quick] [--no-kill] [--operators=N] [--items=N] [--seconds=N]
 *
 * - Operators: N users created over HTTP (POST /api/v1/users by each organisation's demo admin, role
 *   operator on one URP office), signed in by the identity use case in this process (the HTTP login
 *   is throttled per address), presence `available` set on alternating
 *   instances (PUT /api/v1/routing/me/presence). Offices: always open, offer timeout 5 s (PUT
 *   /api/v1/routing/offices/:id/settings).
 * - Items: M e-mail work items inserted DIRECTLY in the database in batches of 1,000 (enqueueing
 *   over HTTP would run a full sweep per request), before operators become available.
 * - Each operator polls GET /api/v1/routing/me on its instance (every ~0.5-1 s), and for each offer
 *   accepts then completes (80 %), declines (15 %) or ignores it (5 %: the offer expires after 5 s
 *   and the sweep job re-offers the item).
 * - Each operator also holds its console stream (GET /api/v1/routing/stream) open on its instance, and
 *   on the survivor after the kill; for every `offer` event: time from the offer being made (its
 *   round's clock, expiresAt minus the offer timeout) to the event's arrival (target p99 < 1 s).
 * - Half-way, instance B is killed with SIGKILL (unless --no-kill); its operators carry on on A.
 * - After `seconds`, the operators stop; the bench waits for pending offers to expire, runs a final
 *   sweep through A's API (a presence change kicks it) and counts from the database:
 *   double offers (items whose pending/accepted offers overlap in time), items assigned to two
 *   operators (two accepted offers), lost items (not completed/ended and not waiting/offered/assigned
 *   consistently: `offered` without a pending offer, `assigned` without an operator).
 * --quick: 40 operators, 2,000 items, 40 s (default 200, 20,000, 240 s: long enough for the whole queue at about 100 contacts/s).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { login } from '../src/modules/identity/identity.service.js';
import { sweep } from '../src/modules/routing/index.js';
import { atCleanup, cleanupAll, freePort, installExitHandlers, removeDir, root, sleep } from './lib/processes.js';
import { mulberry32 } from './lib/scale-stats.js';
import { dataOf, openSse, type SseStream } from '../test/helpers/sse.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = args.includes('--quick');
const KILL = !args.includes('--no-kill');
const OPERATORS = Number(flag('operators') ?? (quick ? 40 : 200));
const ITEMS = Number(flag('items') ?? (quick ? 2000 : 20_000));
const SECONDS = Number(flag('seconds') ?? (quick ? 40 : 240));
const OFFER_TIMEOUT = 5;
const PASSWORD = 'bench-routing-instances-2026';
const SECRET = randomBytes(32).toString('base64url');
const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://root@127.0.0.1:5432/postgres';
const DB_NAME = `urpnet_bench_rinst_${randomBytes(4).toString('hex')}`;
const ALWAYS_OPEN = {
  timeZone: 'Europe/Rome',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]])),
  closures: [],
  observeNationalHolidays: false,
};

const log = (s: string) => process.stdout.write(`${s}\n`);

interface Instance {
  name: string;
  base: string;
  child: ChildProcess;
  alive: boolean;
  output(): string;
}

async function startInstance(name: string, databaseUrl: string): Promise<Instance> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `urpnet-bench-rinst-${name}-`));
  atCleanup(() => removeDir(dataDir));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(DATABASE_URL|DATA_DIR|PORT|HOST|URPNET_|LOG_LEVEL|RATE_LIMIT|BASE_URL)/.test(k)) env[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: root,
    env: { ...env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn', URPNET_SECRET: SECRET, URPNET_DEMO_PASSWORD: PASSWORD, RATE_LIMIT_PER_MINUTE: '10000000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c: Buffer) => {
    out = (out + c.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const instance: Instance = { name, base: `http://127.0.0.1:${port}`, child, alive: true, output: () => out };
  child.on('exit', () => {
    instance.alive = false;
  });
  atCleanup(() => {
    if (instance.alive) child.kill('SIGKILL');
  });
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (!instance.alive) throw new Error(`instance ${name} exited:\n${out}`);
    if (await fetch(`${instance.base}/readyz`).then((r) => r.status === 200, () => false)) return instance;
    await sleep(300);
  }
  throw new Error(`instance ${name} not ready:\n${out}`);
}

interface Session {
  cookie: string;
  csrf: string;
}

/**
 * A session for `email`, made by the identity use case in this process (the same row the HTTP login
 * writes; POST /api/v1/auth/login is throttled to 30 a minute per address, too few for hundreds of
 * operators). Sessions are shared by both instances (same database, same secret).
 */
async function signIn(db: Database, email: string): Promise<Session> {
  const s = await login(db, loadConfig({ DATA_DIR: os.tmpdir(), URPNET_SECRET: SECRET }).secret, { email, password: PASSWORD, ip: '127.0.0.1', userAgent: 'bench-routing-instances', ttlHours: 12 });
  return { cookie: `urpnet_session=${s.sessionToken}`, csrf: s.csrfToken };
}

async function call(base: string, s: Session, method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { cookie: s.cookie, ...(method !== 'GET' && { 'x-csrf-token': s.csrf }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function main(): Promise<void> {
  installExitHandlers();
  log(`routing-instances benchmark${quick ? ' (--quick)' : ''}: 2 processes on PostgreSQL, ${OPERATORS} operators, ${ITEMS} items, ${SECONDS} s${KILL ? ', SIGKILL of B half-way' : ''}`);
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${DB_NAME}`);
  await admin.end();
  atCleanup(async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists ${DB_NAME} with (force)`);
    await c.end();
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  const databaseUrl = url.toString();
  const t0 = performance.now();
  const a = await startInstance('A', databaseUrl); // migrates and seeds the demo network
  const b = await startInstance('B', databaseUrl);
  const instances = [a, b];
  log(`instances up in ${((performance.now() - t0) / 1000).toFixed(1)} s: A ${a.base}, B ${b.base}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-bench-rinst-local-'));
  atCleanup(() => removeDir(dataDir));
  const database = await openDatabase({ databaseUrl, dataDir, poolSize: 3 });
  atCleanup(() => database.close());
  const db = database.db;

  // Offices (URPs) and each organisation's demo admin.
  const offices = await sql<{ id: string; organisation_id: string }>`select id, organisation_id from offices where active and kind <> 'back_office' order by id`.execute(db);
  const admins = await sql<{ email: string; organisation_id: string }>`
    select u.email, g.organisation_id from users u join role_grants g on g.user_id = u.id
    where g.role = 'org_admin' and u.email like 'admin.%@demo.urpnet.it' order by u.email`.execute(db);
  const adminOf = new Map(admins.rows.map((r) => [r.organisation_id, r.email]));
  const usable = offices.rows.filter((o) => adminOf.has(o.organisation_id));
  const sessions = new Map<string, Session>();
  for (const [org, email] of adminOf) if (usable.some((o) => o.organisation_id === org)) sessions.set(org, await signIn(db, email));
  await sql`update offices set calendar = ${JSON.stringify(ALWAYS_OPEN)}::jsonb where id in (${sql.join(usable.map((o) => o.id))})`.execute(db);
  for (const o of usable) {
    const r = await call(a.base, sessions.get(o.organisation_id)!, 'PUT', `/api/v1/routing/offices/${o.id}/settings`, {
      maxQueue: null, maxWaitSeconds: null, offerTimeoutSeconds: OFFER_TIMEOUT, serviceLevelSeconds: 20, handleSeconds: 60, callbackAfterSeconds: null, numbers: [],
    });
    if (r.status !== 200) throw new Error(`settings ${o.id}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
  }

  // Operators created over HTTP by their organisation's admin, signed in on alternating instances.
  const stamp = randomBytes(3).toString('hex');
  const operators: { email: string; officeId: string; session: Session; home: number }[] = [];
  for (let i = 0; i < OPERATORS; i += 8) {
    const batch = Array.from({ length: Math.min(8, OPERATORS - i) }, (_, j) => i + j);
    operators.push(
      ...(await Promise.all(
        batch.map(async (n) => {
          const office = usable[n % usable.length]!;
          const email = `bench.op${n}.${stamp}@bench.example.org`;
          const r = await call(a.base, sessions.get(office.organisation_id)!, 'POST', '/api/v1/users', { email, name: `Operatore bench ${n}`, password: PASSWORD, roles: [{ role: 'operator', organisationId: office.organisation_id, officeId: office.id }] });
          if (r.status !== 201) throw new Error(`create user: HTTP ${r.status} ${JSON.stringify(r.json)}`);
          const home = n % 2;
          return { email, officeId: office.id, session: await signIn(db, email), home };
        }),
      )),
    );
  }
  const officeIds = [...new Set(operators.map((o) => o.officeId))];
  const byId = new Map(usable.map((o) => [o.id, o]));
  for (let i = 0; i < ITEMS; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, ITEMS - i) }, (_, j) => {
      const o = byId.get(officeIds[(i + j) % officeIds.length]!)!;
      return sql`(${o.id}::uuid, ${o.organisation_id}::uuid, 'email', ${`Bench ${i + j}`}, ${(i + j) % 3})`;
    });
    await sql`insert into work_items (office_id, organisation_id, channel, subject, priority) values ${sql.join(rows)}`.execute(db);
  }
  log(`${operators.length} operators over ${officeIds.length} offices created and signed in; ${ITEMS} items inserted in the database`);

  // ------------------------------------------------------------------------------------- the run
  const random = mulberry32(12);
  const stats = { polls: 0, accepted: 0, completed: 0, declined: 0, ignored: 0, conflicts: 0, errors: 0, failovers: 0 };
  const errors: string[] = [];
  const noteError = (m: string) => {
    stats.errors++;
    if (errors.length < 10) errors.push(m);
  };
  const ignored = new Set<string>();
  const presenceMs: number[] = [];
  const pollMs: number[] = [];
  const started = Date.now();
  const endAt = started + SECONDS * 1000;
  // Set just before the kill: a request or stream cut by it fails before the child's exit event
  // marks B dead, and is a failover, not an error.
  let killing = false;
  const baseOf = (op: (typeof operators)[number]) => {
    const inst = instances[op.home]!;
    if (inst.alive) return inst.base;
    return instances.find((x) => x.alive)!.base;
  };
  const worker = async (op: (typeof operators)[number]) => {
    const p0 = Date.now();
    const p = await call(baseOf(op), op.session, 'PUT', '/api/v1/routing/me/presence', { presence: 'available', officeId: op.officeId }).catch((err: Error) => ({ status: 0, json: err.message }));
    presenceMs.push(Date.now() - p0);
    if (p.status !== 200) noteError(`presence: HTTP ${p.status} ${JSON.stringify(p.json)}`);
    while (Date.now() < endAt) {
      try {
        const polled = Date.now();
        const view = (await call(baseOf(op), op.session, 'GET', '/api/v1/routing/me')).json as { offers: { offer: { id: string }; item: { id: string } }[]; items: { id: string }[] };
        stats.polls++;
        pollMs.push(Date.now() - polled);
        for (const { offer } of view.offers) {
          if (ignored.has(offer.id)) continue;
          const dice = random();
          if (dice < 0.05) {
            ignored.add(offer.id);
            stats.ignored++;
          } else if (dice < 0.2) {
            const r = await call(baseOf(op), op.session, 'POST', `/api/v1/routing/offers/${offer.id}/decline`);
            if (r.status === 204) stats.declined++;
            else if (r.status === 409) stats.conflicts++;
            else noteError(`decline: HTTP ${r.status}`);
          } else {
            const r = await call(baseOf(op), op.session, 'POST', `/api/v1/routing/offers/${offer.id}/accept`);
            if (r.status === 200) stats.accepted++;
            else if (r.status === 409) stats.conflicts++;
            else noteError(`accept: HTTP ${r.status} ${JSON.stringify(r.json)}`);
          }
        }
        const held = (await call(baseOf(op), op.session, 'GET', '/api/v1/routing/me')).json as { items: { id: string }[] };
        for (const item of held.items) {
          const r = await call(baseOf(op), op.session, 'POST', `/api/v1/routing/items/${item.id}/complete`, {});
          if (r.status === 200) stats.completed++;
          else if (r.status === 409) stats.conflicts++;
          else noteError(`complete: HTTP ${r.status} ${JSON.stringify(r.json)}`);
        }
      } catch (err) {
        // A request to the instance killed in flight: retried on the survivor at the next poll.
        if (killing) stats.failovers++;
        else noteError(`${(err as Error).message}${(err as { cause?: Error }).cause ? `: ${(err as { cause: Error }).cause.message}` : ""}`);
      }
      await sleep(500 + random() * 500);
    }
  };
  // Each operator's console stream (GET /api/v1/routing/stream on its instance, then on the survivor):
  // the time from an offer being made (its round's clock: expiresAt - offer timeout) until the
  // `offer` event reaches the console. Target: within 1 s.
  const offerLatencyMs: number[] = [];
  const streamStats = { offers: 0, reconnects: 0 };
  const watch = async (op: (typeof operators)[number]) => {
    while (Date.now() < endAt) {
      let stream: SseStream | null = null;
      try {
        stream = await openSse(`${baseOf(op)}/api/v1/routing/stream`, { cookie: op.session.cookie });
        if (stream.status !== 200) throw new Error(`HTTP ${stream.status}`);
        await stream.endsWithin(Math.max(0, endAt - Date.now())); // held until the run ends or the server cuts it
      } catch (err) {
        if (!killing) noteError(`stream: ${(err as Error).message}`);
      } finally {
        await stream?.close();
        for (const e of stream?.events ?? []) {
          if (e.event !== 'offer') continue;
          offerLatencyMs.push(Math.round(performance.timeOrigin + e.at - (Date.parse(dataOf<{ expiresAt: string }>(e).expiresAt) - OFFER_TIMEOUT * 1000)));
          streamStats.offers++;
        }
      }
      if (Date.now() >= endAt) return;
      streamStats.reconnects++;
      await sleep(200);
    }
  };
  const streams = operators.map(watch);
  let killedAt: number | null = null;
  const killer = KILL
    ? (async () => {
        await sleep((SECONDS * 1000) / 2);
        killing = true;
        b.child.kill('SIGKILL');
        killedAt = (Date.now() - started) / 1000;
        log(`  t=${killedAt.toFixed(0)} s: instance B killed (SIGKILL); its operators go on on A`);
      })()
    : Promise.resolve();
  const progress = setInterval(() => {
    void sql<{ status: string; n: string }>`select status, count(*) as n from work_items group by status`.execute(db).then((r) => {
      log(`  t=${((Date.now() - started) / 1000).toFixed(0)} s: ${r.rows.map((x) => `${x.status} ${x.n}`).join(', ')}; accepted ${stats.accepted}, declined ${stats.declined}, ignored ${stats.ignored}, errors ${stats.errors}`);
    }, () => undefined);
  }, 15_000);
  await Promise.all([...operators.map(worker), killer]);
  clearInterval(progress);
  await Promise.all(streams);

  // ------------------------------------------------------------------------------- final sweep
  await sleep((OFFER_TIMEOUT + 1) * 1000);
  // Operators go to break where they may (no pending offer), so the final sweep re-queues without re-offering.
  await sql`update operator_states set presence = 'break'`.execute(db);
  // The surviving instance's sweep job may run at the same moment: expireOffers can then deadlock
  // (see the report); retry like the job runner does.
  let final = { expired: 0, offers: 0 };
  for (let attempt = 1; ; attempt++) {
    try {
      final = await sweep(db, new Date(), null);
      break;
    } catch (err) {
      if (attempt >= 5 || (err as { code?: string }).code !== '40P01') throw err;
      log(`final sweep: deadlock (attempt ${attempt}), retrying`);
      await sleep(500);
    }
  }
  log(`final sweep: ${final.expired} offers expired, ${final.offers} offers made`);

  const one = async (q: ReturnType<typeof sql<{ n: string }>>) => Number((await q.execute(db)).rows[0]?.n ?? 0);
  const doubleOffers = await one(sql<{ n: string }>`
    select count(distinct a.item_id) as n from routing_offers a join routing_offers b on a.item_id = b.item_id and a.id < b.id
    where a.status in ('pending','accepted') and b.status in ('pending','accepted')
      and a.offered_at < coalesce(b.decided_at, 'infinity') and b.offered_at < coalesce(a.decided_at, 'infinity')`);
  const pendingTwice = await one(sql<{ n: string }>`select count(*) as n from (select item_id from routing_offers where status = 'pending' group by item_id having count(*) > 1) x`);
  const assignedTwice = await one(sql<{ n: string }>`select count(*) as n from (select item_id from routing_offers where status = 'accepted' group by item_id having count(distinct user_id) > 1) x`);
  const lost = await one(sql<{ n: string }>`
    select count(*) as n from work_items w where
      (w.status = 'offered' and not exists (select 1 from routing_offers o where o.item_id = w.id and o.status = 'pending'))
      or (w.status = 'assigned' and w.assigned_to is null)
      or (w.status = 'completed' and not exists (select 1 from routing_offers o where o.item_id = w.id and o.status = 'accepted'))
      or w.status not in ('waiting','offered','assigned','completed','abandoned','cancelled')`);
  const byStatus = (await sql<{ status: string; n: string }>`select status, count(*) as n from work_items group by status order by status`.execute(db)).rows;
  const offersByStatus = (await sql<{ status: string; n: string }>`select status, count(*) as n from routing_offers group by status order by status`.execute(db)).rows;
  const elapsed = (Date.now() - started) / 1000;
  log('');
  log(`run: ${elapsed.toFixed(0)} s; polls ${stats.polls}, accepted ${stats.accepted}, completed ${stats.completed}, declined ${stats.declined}, ignored (left to expire) ${stats.ignored}, 409 conflicts ${stats.conflicts}, requests failed over after the kill ${stats.failovers}, errors ${stats.errors}`);
  for (const e of errors) log(`  error: ${e}`);
  presenceMs.sort((x, y) => x - y);
  log(`PUT presence (runs a full sweep on the instance): median ${presenceMs[Math.floor(presenceMs.length / 2)] ?? '?'} ms, max ${presenceMs.at(-1) ?? '?'} ms`);
  offerLatencyMs.sort((x, y) => x - y);
  const q = (f: number) => offerLatencyMs[Math.min(offerLatencyMs.length - 1, Math.floor(f * offerLatencyMs.length))] ?? Number.NaN;
  const offersMade = await one(sql<{ n: string }>`select count(*) as n from routing_offers`);
  log(`offers reaching the console stream: ${streamStats.offers} of ${offersMade} made (streams reopened ${streamStats.reconnects} times; an offer made while a console is reconnecting reaches it by GET /routing/me)`);
  pollMs.sort((x, y) => x - y);
  log(`  for comparison, GET /routing/me (the console's poll) ms  p50 ${pollMs[Math.floor(pollMs.length / 2)] ?? '?'}  p99 ${pollMs[Math.floor(pollMs.length * 0.99)] ?? '?'}`);
  log(`  offer made -> console event ms  p50 ${q(0.5)}  p95 ${q(0.95)}  p99 ${q(0.99)}  max ${offerLatencyMs.at(-1) ?? '?'}   target < 1000 (p99)  ${q(0.99) < 1000 ? 'PASS' : 'FAIL'}`);
  log(`items: ${byStatus.map((r) => `${r.status} ${r.n}`).join(', ')}; completed/s ${(stats.completed / SECONDS).toFixed(1)}`);
  log(`offers: ${offersByStatus.map((r) => `${r.status} ${r.n}`).join(', ')}`);
  log(`double offers (overlapping pending/accepted offers of one item): ${doubleOffers}  ${doubleOffers === 0 ? 'PASS' : 'FAIL'}`);
  log(`items with two pending offers now: ${pendingTwice}  ${pendingTwice === 0 ? 'PASS' : 'FAIL'}`);
  log(`items accepted by two operators: ${assignedTwice}  ${assignedTwice === 0 ? 'PASS' : 'FAIL'}`);
  log(`lost items (offered without a pending offer, assigned to nobody, completed without an accepted offer): ${lost}  ${lost === 0 ? 'PASS' : 'FAIL'}`);
  if (stats.errors > 0) {
    const reasons = new Map<string, number>();
    for (const inst of instances) for (const m of inst.output().matchAll(/"(?:message|msg)":"([^"]{0,160})/g)) reasons.set(`${inst.name}: ${m[1]}`, (reasons.get(`${inst.name}: ${m[1]}`) ?? 0) + 1);
    log('server log messages (count):');
    for (const [r, n] of [...reasons].sort((x, y) => y[1] - x[1]).slice(0, 8)) log(`  ${n} × ${r}`);
  }
  if (KILL) log(`instance B killed at t=${killedAt ?? '?'} s; A alive at the end: ${a.alive}`);
}

main()
  .catch((err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
