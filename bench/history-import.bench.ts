/**
 * Historical contacts import (issue 5) at scale: Boston's 121,145 311 cases of 2015, uploaded as
 * the real .csv.gz through the HTTP API (streamed body), sniffed, configured with
 * data-seed/mappings/boston-311.json, dry-run and committed — on PGlite (file-backed, as a
 * single-office install runs) and on PostgreSQL. Reports the time of each step, rows per second of
 * the commit, the process's peak RSS (sampled every 20 ms) and its peak live heap (after a full GC,
 * every 500 ms), to show memory stays bounded while the file streams. RSS includes PGlite's WASM
 * memory and the 4.6 MB request body held by the in-process inject. Each step also gets the
 * process's CPU seconds without the sampler's collections (a second line), steadier than wall
 * time on a shared machine.
 *
 *   node --import tsx bench/history-import.bench.ts [--engine=postgres|pglite]
 *
 * BENCH_DATABASE_URL: PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test); the
 * PostgreSQL run is skipped with a note when it is unreachable. URPNET_SHARED_DATA overrides the
 * data directory (default ../shared/data). Results: printed, and bench/results/history-import.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { DEMO_EMAIL_DOMAIN } from '../src/modules/identity/demo-seed.js';
import { startOutboxDispatcher } from '../src/platform/events.js';
import { createJobRunner, poolExecutor } from '../src/platform/jobs/index.js';
import { seedAll } from '../src/seed.js';

const root = path.resolve(import.meta.dirname, '..');
const dataRoot = process.env.URPNET_SHARED_DATA ?? path.resolve(root, '../shared/data');
const FILE = path.join(dataRoot, 'real/boston-311-2015.csv.gz');
const MAPPING = JSON.parse(readFileSync(path.join(root, 'data-seed/mappings/boston-311.json'), 'utf8'));
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'bench-demo-password-2026';
const engineArg = process.argv.find((a) => a.startsWith('--engine='))?.slice('--engine='.length);

type Engine = 'pglite' | 'postgres';

interface EngineResult {
  engine: Engine;
  rows: number;
  seconds: { upload: number; columns: number; values: number; dryRun: number; commit: number; reimportDryRun: number };
  cpuSeconds: { upload: number; values: number; dryRun: number; commit: number; reimportDryRun: number };
  commitRowsPerSecond: number;
  imported: number;
  rejected: number;
  unmappedTypes: number;
  peakRssMb: number;
  peakHeapMb: number;
  baselineHeapMb: number;
  baselineRssMb: number;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

// A collector to call, so that "live heap" means what is still referenced, not garbage not yet swept.
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Peak RSS every 20 ms; live heap (after a full GC) every 500 ms. */
class MemorySampler {
  peakRss = 0;
  peakHeap = 0;
  private timers: NodeJS.Timeout[] = [];
  start() {
    this.peakRss = 0;
    this.peakHeap = 0;
    this.timers = [setInterval(() => this.sampleRss(), 20), setInterval(() => this.sampleHeap(), 500)];
  }
  sampleRss() {
    this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss);
  }
  sampleHeap() {
    const c0 = process.cpuUsage();
    gc();
    const used = process.cpuUsage(c0);
    samplerGcCpu += (used.user + used.system) / 1e6;
    this.peakHeap = Math.max(this.peakHeap, process.memoryUsage().heapUsed);
  }
  stop() {
    for (const t of this.timers) clearInterval(t);
    this.sampleRss();
    this.sampleHeap();
  }
}

/**
 * CPU seconds spent in the sampler's forced collections: one every 500 ms, so their cost grows with
 * the wall time and would inflate every step on a loaded machine. Left out of the steps' CPU time.
 */
let samplerGcCpu = 0;

/**
 * Wall seconds, and CPU seconds (user + system) of this process without the sampler's collections:
 * on a shared, loaded machine the CPU time is the steadier measure (it includes PGlite, which runs
 * in this process, not a PostgreSQL server's work).
 */
async function timed<T>(fn: () => Promise<T>): Promise<[T, number, number]> {
  const c0 = process.cpuUsage();
  const g0 = samplerGcCpu;
  const t0 = performance.now();
  const value = await fn();
  const cpu = process.cpuUsage(c0);
  return [value, (performance.now() - t0) / 1000, (cpu.user + cpu.system) / 1e6 - (samplerGcCpu - g0)];
}

async function runOn(engine: Engine, databaseUrl: string | null): Promise<EngineResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `urpnet-bench-hi-${engine}-`));
  const config = loadConfig({ DATA_DIR: dataDir, URPNET_DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000', URPNET_SECRET: 'bench-secret-bench-secret-bench-secret-0123', ...(databaseUrl && { DATABASE_URL: databaseUrl }) });
  const database = await openDatabase({ databaseUrl, dataDir, poolSize: config.dbPoolSize });
  const events = startOutboxDispatcher(database.db, { intervalMs: 60_000 });
  // The commit is a job: run in this process, timed from the request to the job's end.
  const jobs = createJobRunner(poolExecutor(database.pool), { mode: 'manual' });
  try {
    await migrateToLatest(database.db);
    await seedAll(database.db, config, true);
    const app = await buildApp({ config, database, events, jobs, logger: false });
    await app.ready();
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `admin.comune-napoli@${DEMO_EMAIL_DOMAIN}`, password: PASSWORD } });
    if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
    const session = login.json() as { csrfToken: string; memberships: { organisationId: string }[] };
    const cookie = login.cookies.find((c) => c.name === 'urpnet_session')!;
    const headers = { cookie: `urpnet_session=${cookie.value}`, 'x-csrf-token': session.csrfToken };
    const orgId = session.memberships[0]!.organisationId;
    const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, extra: Record<string, string> = {}) => {
      const res = await app.inject({ method, url, headers: { ...headers, ...extra }, ...(payload !== undefined && { payload: payload as string }) });
      if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return res.json();
    };
    const body = readFileSync(FILE);
    gc();
    const baseline = process.memoryUsage().rss;
    const baselineHeap = process.memoryUsage().heapUsed;
    const sampler = new MemorySampler();
    sampler.start();
    log(`[${engine}] upload ${mb(body.length)} MB (gzip, streamed body)…`);
    const [imp, upload, uploadCpu] = await timed(() => call('POST', `/api/v1/history-imports?organisationId=${orgId}&filename=boston-311-2015.csv.gz&source=boston-311-2015`, body, { 'content-type': 'application/gzip' }));
    log(`[${engine}]   ${imp.rowCount} rows, ${imp.columns.length} columns, ${imp.encoding}, delimiter «${imp.delimiter}» in ${upload.toFixed(2)} s`);
    const [, columns] = await timed(() => call('PUT', `/api/v1/history-imports/${imp.id}/columns`, MAPPING.columns));
    const mapping = await call('POST', '/api/v1/history-mappings', { organisationId: orgId, name: MAPPING.name, taxonomyVersion: MAPPING.taxonomyVersion, categories: MAPPING.categories, channels: MAPPING.channels, statuses: MAPPING.statuses });
    const [values, valuesSeconds, valuesCpu] = await timed(() => call('GET', `/api/v1/history-imports/${imp.id}/values?mappingId=${mapping.id}`));
    const [dry, dryRun, dryRunCpu] = await timed(() => call('POST', `/api/v1/history-imports/${imp.id}/dry-run`, { mappingId: mapping.id, unmappedPolicy: 'skip' }));
    log(`[${engine}]   values ${valuesSeconds.toFixed(2)} s (${values.categories.length} types); dry run ${dryRun.toFixed(2)} s: ${dry.report.imported} importable, ${dry.report.rejected} rejected`);
    const [done, commit, commitCpu] = await timed(async () => {
      await call('POST', `/api/v1/history-imports/${imp.id}/commit`, { mappingId: mapping.id, unmappedPolicy: 'skip' });
      await jobs.runDue();
      const after = await call('GET', `/api/v1/history-imports/${imp.id}`);
      if (after.status !== 'committed') throw new Error(`commit ended ${after.status}: ${JSON.stringify(after.error)}`);
      return after;
    });
    log(`[${engine}]   commit ${commit.toFixed(2)} s: ${done.report.imported} imported (${Math.round(done.report.imported / commit)} rows/s)`);
    // Re-import of the same file: nothing new, every id already present.
    const again = await call('POST', `/api/v1/history-imports?organisationId=${orgId}&filename=boston-311-2015.csv.gz&source=boston-311-2015`, body, { 'content-type': 'application/gzip' });
    await call('PUT', `/api/v1/history-imports/${again.id}/columns`, MAPPING.columns);
    const [re, reimportDryRun, reimportDryRunCpu] = await timed(() => call('POST', `/api/v1/history-imports/${again.id}/dry-run`, { mappingId: mapping.id, unmappedPolicy: 'skip' }));
    if (re.report.imported !== 0 || re.report.alreadyPresent !== done.report.imported) throw new Error(`re-import would duplicate: ${JSON.stringify(re.report).slice(0, 300)}`);
    sampler.stop();
    await app.close();
    return {
      engine, rows: imp.rowCount,
      seconds: { upload, columns, values: valuesSeconds, dryRun, commit, reimportDryRun },
      cpuSeconds: { upload: uploadCpu, values: valuesCpu, dryRun: dryRunCpu, commit: commitCpu, reimportDryRun: reimportDryRunCpu },
      commitRowsPerSecond: Math.round(done.report.imported / commit), imported: done.report.imported, rejected: done.report.rejected,
      unmappedTypes: done.report.unmappedCategories.length, peakRssMb: mb(sampler.peakRss), peakHeapMb: mb(sampler.peakHeap), baselineHeapMb: mb(baselineHeap), baselineRssMb: mb(baseline),
    };
  } finally {
    await jobs.stop();
    await events.stop();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function withPostgres(): Promise<EngineResult | string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    return `PostgreSQL unreachable at ${ADMIN_URL} (${(err as Error).message}): skipped`;
  }
  const name = `urpnet_bench_hi_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    return await runOn('postgres', url.toString());
  } finally {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
}

log(`history import bench: ${path.relative(root, FILE)} (${mb(statSync(FILE).size)} MB), ${os.cpus().length} CPUs, Node ${process.version}`);
const results: (EngineResult | string)[] = [];
if (!engineArg || engineArg === 'pglite') results.push(await runOn('pglite', null));
if (!engineArg || engineArg === 'postgres') results.push(await withPostgres());

log('\nengine    rows     upload+sniff  values  dry run  commit   rows/s  re-import dry run  peak RSS MB (baseline)  live heap MB after GC: peak (baseline)');
for (const r of results) {
  if (typeof r === 'string') {
    log(r);
    continue;
  }
  const s = r.seconds;
  log(
    `${r.engine.padEnd(9)} ${String(r.rows).padEnd(8)} ${`${s.upload.toFixed(2)} s`.padEnd(13)} ${`${s.values.toFixed(2)} s`.padEnd(7)} ${`${s.dryRun.toFixed(2)} s`.padEnd(8)} ${`${s.commit.toFixed(2)} s`.padEnd(8)} ${String(r.commitRowsPerSecond).padEnd(7)} ${`${s.reimportDryRun.toFixed(2)} s`.padEnd(18)} ${`${r.peakRssMb} (${r.baselineRssMb})`.padEnd(23)} ${r.peakHeapMb} (${r.baselineHeapMb})`,
  );
  const c = r.cpuSeconds;
  log(`  cpu s   ${''.padEnd(8)} ${`${c.upload.toFixed(2)} s`.padEnd(13)} ${`${c.values.toFixed(2)} s`.padEnd(7)} ${`${c.dryRun.toFixed(2)} s`.padEnd(8)} ${`${c.commit.toFixed(2)} s`.padEnd(8)} ${''.padEnd(7)} ${c.reimportDryRun.toFixed(2)} s`);
}
const ok = results.filter((r): r is EngineResult => typeof r !== 'string');
for (const r of ok) log(`[${r.engine}] imported ${r.imported}, rejected ${r.rejected} (${r.unmappedTypes} case types deliberately unmapped in data-seed/mappings/boston-311.json)`);
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/history-import.json'), `${JSON.stringify({ file: path.basename(FILE), results }, null, 2)}\n`);
