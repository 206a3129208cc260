/**
 * Ticket creation through HTTP vs. the driver ceiling, on PostgreSQL and on PGlite.
 *
 * For each engine: the real server (`node bin/urpnet.js serve`) runs as a child process on a fresh
 * database; the Celano operator gets an API token over HTTP; autocannon POSTs /api/v1/tickets with
 * 50 connections (same body every time, no Idempotency-Key); the server's memory is read from
 * /proc. The server is then restarted on the same data (cold start timed) and loaded again. Finally
 * the ceiling: the exact statements of one creation, captured from the application, replayed
 * through node-postgres by 50 concurrent loops over a pool of the server's size.
 *
 *   node --import tsx bench/ticket-create.ts [--quick] [--engine=postgres|pglite]
 *
 * BENCH_DATABASE_URL: PostgreSQL server for the bench database (default postgres://postgres@127.0.0.1:5432/test).
 * Results: printed, and written to bench/results/ticket-create.json.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedAll } from '../src/seed.js';
import { httpCall, operatorWithToken, ticketBody } from './lib/api.js';
import { type CapturedCreation, captureTicketCreation, describeStatements, type LoopResult, runCeiling } from './lib/ceiling.js';
import { atCleanup, cleanupAll, installExitHandlers, removeDir, root, type ServerProcess, startServer } from './lib/processes.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const engineArg = args.find((a) => a.startsWith('--engine='))?.slice('--engine='.length);
const SECONDS = quick ? 5 : 15;
const WARMUP_SECONDS = quick ? 1 : 3;
const CONCURRENCY = 50;
const POOL_SIZE = Number(process.env.DB_POOL_SIZE || 10);
const PASSWORD = 'bench-password-2026';
const OPERATOR = 'operatore.comune-celano@demo.urpnet.it';
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const BENCH_DB = 'urpnet_bench';
/** The configuration's maximum (10M/min): the rate limiter stays in the path but never answers 429. */
const RATE_LIMIT = '10000000';

const TARGETS = { ratio: 0.5, p99Ms: 50, rssPostgresMb: 250, rssPgliteMb: 800, coldStartSeconds: 5 };

type Engine = 'postgres' | 'pglite';

interface HttpRun {
  /** Seconds from spawn to the first 200 of /readyz (first start: includes initialisation and seeding). */
  startSeconds: number;
  rootSeconds: number | null;
  created: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** VmHWM at the end of the run: peak RSS over the whole life of the process, MB. */
  rssPeakMb: number;
  rssEndMb: number;
  /** Highest VmRSS sampled (every 100 ms) during the measured load, MB. */
  rssSampledDuringLoadMb: number;
}

interface EngineResult {
  engine: Engine;
  poolSize: number;
  http: HttpRun;
  restart: HttpRun;
  driver: LoopResult;
  ratio: number;
  statements: string[];
}

const log = (msg: string) => process.stdout.write(`${msg}\n`);
const mb = (v: number) => v.toFixed(0);

function tmpDir(label: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `urpnet-bench-${label}-`));
  atCleanup(() => removeDir(dir));
  return dir;
}

async function loadServer(server: ServerProcess, token: string, officeId: string, startSeconds: number, rootSeconds: number | null): Promise<HttpRun> {
  const options = {
    url: `${server.url}/api/v1/tickets`,
    method: 'POST',
    connections: CONCURRENCY,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(ticketBody(officeId)),
  };
  await autocannon({ ...options, duration: WARMUP_SECONDS });
  server.resetSampler();
  const r = await autocannon({ ...options, duration: SECONDS });
  const mem = server.memory();
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats)) statusCodes[code] = stat.count;
  const created = statusCodes['201'] ?? 0;
  return {
    startSeconds,
    rootSeconds,
    created,
    seconds: r.duration,
    perSecond: created / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    rssPeakMb: mem?.hwmMb ?? Number.NaN,
    rssEndMb: mem?.rssMb ?? Number.NaN,
    rssSampledDuringLoadMb: server.sampledPeakMb(),
  };
}

function describeRun(label: string, run: HttpRun): string {
  const codes = Object.entries(run.statusCodes).map(([c, n]) => `${c}×${n}`).join(' ');
  return `  ${label}: start ${run.startSeconds.toFixed(2)} s${run.rootSeconds !== null ? ` (GET / ${run.rootSeconds.toFixed(2)} s)` : ''}; ${run.created} created in ${run.seconds.toFixed(1)} s = ${run.perSecond.toFixed(0)}/s, p50 ${run.p50} ms, p99 ${run.p99} ms, non2xx ${run.non2xx}, errors ${run.errors}, timeouts ${run.timeouts} [${codes}]; RSS peak ${mb(run.rssPeakMb)} MB, end ${mb(run.rssEndMb)} MB, sampled max during load ${mb(run.rssSampledDuringLoadMb)} MB`;
}

/** First start on fresh data + load, then restart on the same data + load. */
async function serverRuns(engine: Engine, env: Record<string, string>): Promise<{ http: HttpRun; restart: HttpRun }> {
  log(`[${engine}] starting the server on a fresh database…`);
  const first = await startServer({ env, timeoutSeconds: 300 });
  let http: HttpRun;
  try {
    const op = await operatorWithToken(httpCall(first.url), OPERATOR, PASSWORD);
    log(`[${engine}] ready in ${first.readySeconds.toFixed(2)} s; office ${op.officeName ?? op.officeId}; load: ${CONCURRENCY} connections × ${SECONDS} s (warm-up ${WARMUP_SECONDS} s)`);
    http = await loadServer(first, op.token, op.officeId, first.readySeconds, first.rootSeconds);
    log(describeRun('http (first start)', http));
    await first.stop();
    log(`[${engine}] restarting the server on the existing data…`);
    const second = await startServer({ env, timeoutSeconds: 120 });
    try {
      const restart = await loadServer(second, op.token, op.officeId, second.readySeconds, second.rootSeconds);
      log(describeRun('http (restart)', restart));
      return { http, restart };
    } finally {
      await second.stop();
    }
  } finally {
    await first.stop();
  }
}

async function ceiling(engine: Engine, open: () => Promise<{ database: Awaited<ReturnType<typeof openDatabase>>; config: ReturnType<typeof loadConfig> }>): Promise<{ driver: LoopResult; captured: CapturedCreation; poolSize: number }> {
  const { database, config } = await open();
  try {
    const captured = await captureTicketCreation(database, config, OPERATOR, PASSWORD);
    const poolSize = database.pool.options.max ?? Number.NaN;
    log(`[${engine}] statements of one POST /api/v1/tickets, as received by the driver (replayed per creation on one pooled client):`);
    log(describeStatements(captured));
    log(`[${engine}] driver ceiling: ${CONCURRENCY} loops over a pool of ${poolSize} × ${SECONDS} s (warm-up ${WARMUP_SECONDS} s)`);
    const driver = await runCeiling(database.pool, captured, { concurrency: CONCURRENCY, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS });
    log(`  driver: ${driver.count} created in ${driver.seconds.toFixed(1)} s = ${driver.perSecond.toFixed(0)}/s, p50 ${driver.p50.toFixed(1)} ms, p99 ${driver.p99.toFixed(1)} ms, errors ${driver.errors}${driver.firstError ? ` (${driver.firstError})` : ''}`);
    return { driver, captured, poolSize };
  } finally {
    await database.close();
  }
}

async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function benchPostgres(): Promise<EngineResult> {
  await adminQuery(`drop database if exists ${BENCH_DB} with (force)`);
  await adminQuery(`create database ${BENCH_DB}`);
  atCleanup(() => adminQuery(`drop database if exists ${BENCH_DB} with (force)`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${BENCH_DB}`;
  const databaseUrl = url.toString();
  const dataDir = tmpDir('pg');
  const env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, URPNET_DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: RATE_LIMIT, DB_POOL_SIZE: String(POOL_SIZE) };
  const { http, restart } = await serverRuns('postgres', env);
  // Same database (already migrated and seeded by the server), same pool size as the server's.
  const { driver, captured, poolSize } = await ceiling('postgres', async () => {
    const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
    return { config, database: await openDatabase({ databaseUrl, dataDir, poolSize: config.dbPoolSize }) };
  });
  return { engine: 'postgres', poolSize, http, restart, driver, ratio: http.perSecond / driver.perSecond, statements: captured.statements.map((s) => s.sql) };
}

async function benchPglite(): Promise<EngineResult> {
  const dataDir = tmpDir('pglite');
  const env = { DATA_DIR: dataDir, URPNET_DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: RATE_LIMIT };
  const { http, restart } = await serverRuns('pglite', env);
  // The server's data dir is locked while it runs (and the server is stopped by now anyway): the
  // ceiling runs in this process on a separate fresh data dir, migrated and seeded the same way,
  // through the same pg.Pool adapter over PGlite that the server uses.
  log('[pglite] opening an in-process PGlite on a fresh data dir for the ceiling (migrate + seed)…');
  const { driver, captured, poolSize } = await ceiling('pglite', async () => {
    const ceilingDir = tmpDir('pglite-ceiling');
    const config = loadConfig({ DATA_DIR: ceilingDir, URPNET_DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: RATE_LIMIT });
    const database = await openDatabase({ databaseUrl: null, dataDir: ceilingDir, poolSize: config.dbPoolSize });
    await migrateToLatest(database.db);
    await seedAll(database.db, config, true);
    return { config, database };
  });
  return { engine: 'pglite', poolSize, http, restart, driver, ratio: http.perSecond / driver.perSecond, statements: captured.statements.map((s) => s.sql) };
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

function table(results: EngineResult[]): string {
  const header = ['engine', 'path', 'conc', 'creations/s', 'p50 ms', 'p99 ms', 'non2xx+err', 'server RSS peak MB (end MB)'];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const r of results) {
    const httpRow = (label: string, h: HttpRun) => [r.engine, label, String(CONCURRENCY), h.perSecond.toFixed(0), String(h.p50), String(h.p99), String(h.non2xx + h.errors), `${mb(h.rssPeakMb)} (${mb(h.rssEndMb)})`];
    rows.push(httpRow('http', r.http));
    rows.push(httpRow('http-restart', r.restart));
    rows.push([r.engine, `driver(pool ${r.poolSize})`, String(CONCURRENCY), r.driver.perSecond.toFixed(0), r.driver.p50.toFixed(1), r.driver.p99.toFixed(1), `${r.driver.errors} err`, '-']);
    // autocannon counts timeouts among errors.
    const nonOk = r.http.non2xx + r.http.errors + r.restart.non2xx + r.restart.errors;
    const restartRatio = (r.restart.perSecond / r.driver.perSecond).toFixed(2);
    const cold = r.restart.startSeconds;
    if (r.engine === 'postgres') {
      const rss = Math.max(r.http.rssPeakMb, r.restart.rssPeakMb);
      notes.push(
        `postgres  ratio http/driver = ${r.ratio.toFixed(2)} (target >= ${TARGETS.ratio}) ${verdict(r.ratio >= TARGETS.ratio)} (restart run: ${restartRatio}); ` +
          `p99 ${r.http.p99} ms (target < ${TARGETS.p99Ms}) ${verdict(r.http.p99 < TARGETS.p99Ms)}; ` +
          `RSS peak ${mb(rss)} MB (target < ${TARGETS.rssPostgresMb}) ${verdict(rss < TARGETS.rssPostgresMb)}; ` +
          `cold start on existing data ${cold.toFixed(2)} s (target < ${TARGETS.coldStartSeconds}) ${verdict(cold < TARGETS.coldStartSeconds)}; ` +
          `non-2xx/errors ${nonOk} ${verdict(nonOk === 0)}`,
      );
    } else {
      notes.push(
        `pglite    ratio http/driver = ${r.ratio.toFixed(2)} (restart run: ${restartRatio}); p99 ${r.http.p99} ms; first start (init + seed) ${r.http.startSeconds.toFixed(2)} s, peak ${mb(r.http.rssPeakMb)} MB (initialisation peak, by design); ` +
          `restart on existing data dir: cold start ${cold.toFixed(2)} s (target < ${TARGETS.coldStartSeconds}) ${verdict(cold < TARGETS.coldStartSeconds)}, ` +
          `steady RSS peak ${mb(r.restart.rssPeakMb)} MB (target < ${TARGETS.rssPgliteMb}) ${verdict(r.restart.rssPeakMb < TARGETS.rssPgliteMb)}; ` +
          `non-2xx/errors ${nonOk} ${verdict(nonOk === 0)}`,
      );
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const fmt = (row: string[]) => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [fmt(header), ...rows.map(fmt), ...notes].join('\n');
}

async function main(): Promise<void> {
  installExitHandlers();
  const engines: Engine[] = engineArg ? [engineArg as Engine] : ['postgres', 'pglite'];
  const results: EngineResult[] = [];
  const skipped: string[] = [];
  log(`ticket-create benchmark${quick ? ' (--quick)' : ''}: ${os.cpus().length} CPUs, Node ${process.version}`);
  for (const engine of engines) {
    if (engine === 'postgres') {
      if (!(await postgresAvailable())) {
        const why = `PostgreSQL not reachable at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//…@')} (set BENCH_DATABASE_URL)`;
        log(`[postgres] skipped: ${why}`);
        skipped.push(`postgres: ${why}`);
        continue;
      }
      results.push(await benchPostgres());
    } else if (engine === 'pglite') {
      results.push(await benchPglite());
    } else {
      throw new Error(`unknown engine ${engine}`);
    }
  }
  log('');
  log(table(results));
  for (const s of skipped) log(`skipped: ${s}`);
  const outDir = path.join(root, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'ticket-create.json');
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        benchmark: 'ticket-create',
        at: new Date().toISOString(),
        quick,
        machine: { cpus: os.cpus().length, node: process.version, totalMemoryMb: Math.round(os.totalmem() / 2 ** 20) },
        load: { connections: CONCURRENCY, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, idempotencyKey: false, body: 'identical for every request (test/helpers ticketInput)' },
        targets: TARGETS,
        results,
        skipped,
      },
      null,
      2,
    )}\n`,
  );
  log(`results written to ${path.relative(root, file)}`);
}

try {
  await main();
} catch (err) {
  process.stderr.write(`ticket-create benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await cleanupAll();
}
