/**
 * The network at scale (issue 3): the "shared with my office" inbox and similar-ticket suggestions
 * over a large archive, on PostgreSQL and on PGlite.
 *
 * For each engine: a fresh database, migrated and seeded with the demo network by the project's own
 * functions; N tickets generated in SQL across every office (bench/lib/scale-generate.ts) and
 * 10,000 active shares with the Celano URP; then the real app (buildApp) listening on loopback,
 * the Celano operator's API token, and sequential GETs:
 *   - /api/v1/tickets?view=shared&officeId=<celano>&limit=25 — first page ×300, pages 2…n via nextCursor ×100
 *   - /api/v1/tickets/similar?text=<new description>[&topic=] ×200
 * The same repository calls are also timed directly (no HTTP), and their exact SQL is run once
 * under EXPLAIN (ANALYZE, BUFFERS). With --try-fixes the candidate index/query changes proposed in
 * the report are applied to the bench database and everything is measured again (before/after).
 *
 *   node --import tsx bench/network-scale.ts [--quick] [--engine=postgres|pglite|both] [--tickets=N] [--try-fixes] [--keep]
 *
 * --quick: 100,000 tickets (default 1,000,000). --tickets=N overrides; PGLITE_TICKETS=N sets PGlite's
 * size alone. --keep: leave the PostgreSQL database (urpnet_bench_scale) and the PGlite directory.
 * BENCH_DATABASE_URL: PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test).
 * Results: printed, and written to bench/results/network-scale.json.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type OpenedDatabase, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { findSimilarTickets } from '../src/modules/tickets/similar.repository.js';
import { listTickets } from '../src/modules/tickets/tickets.repository.js';
import { startOutboxDispatcher } from '../src/platform/events.js';
import { seedAll } from '../src/seed.js';
import { httpCall, operatorWithToken } from './lib/api.js';
import { atCleanup, cleanupAll, installExitHandlers, removeDir, root } from './lib/processes.js';
import { similarQuestions } from './lib/scale-data.js';
import { INBOX_DENORMALISATION, INDEX_FIXES, sharedInboxRewritten, similarRewritten } from './lib/scale-fixes.js';
import { type GenerateResult, generateNetwork } from './lib/scale-generate.js';
import { type CapturedQuery, capturingDb, explainAnalyze, httpGet, type PlanSummary, planDigest } from './lib/scale-measure.js';
import { fmtStats, type LatencyStats, latencyStats, mulberry32, timeSequential } from './lib/scale-stats.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = args.includes('--quick');
const tryFixes = args.includes('--try-fixes');
const keep = args.includes('--keep');
const engineArg = flag('engine') ?? 'both';
if (!['postgres', 'pglite', 'both'].includes(engineArg)) throw new Error(`--engine=${engineArg}: expected postgres, pglite or both`);
const TICKETS = Number(flag('tickets') ?? (quick ? 100_000 : 1_000_000));
const PGLITE_TICKETS = Number(process.env.PGLITE_TICKETS || TICKETS);
const SHARES = Math.min(10_000, Math.floor(TICKETS / 10));
const INBOX_FIRST = 300;
const INBOX_PAGES = 100;
const SIMILAR = 200;
const DIRECT = 100;
const WARMUP = 20;
const PASSWORD = 'bench-password-2026';
const OPERATOR = 'operatore.comune-celano@demo.urpnet.it';
const SHARED_OFFICE = 'celano-urp';
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const BENCH_DB = 'urpnet_bench_scale';
const TARGETS = { inboxP95Ms: 50, similarP95Ms: 100 };

type Engine = 'postgres' | 'pglite';

interface Measurement {
  inboxFirst: LatencyStats;
  inboxPages: LatencyStats;
  inboxFirstRows: number;
  inboxPagesWalked: number;
  similar: LatencyStats;
  similarWithTopic: LatencyStats;
  similarMeanResults: number;
  similarZeroResults: number;
  directInbox: LatencyStats;
  directInboxPage: LatencyStats;
  directSimilar: LatencyStats;
  plans: { inboxFirst: PlanSummary; inboxPage: PlanSummary; similar: PlanSummary; similarTopic: PlanSummary };
}

interface EngineResult {
  engine: Engine;
  tickets: number;
  generation: Omit<GenerateResult, 'places' | 'temaByArea'> & { setupSeconds: number };
  baseline: Measurement;
  fixes?: { applied: string[]; ddlSeconds: number; measurement: Measurement };
  rewrites?: Rewrites;
}

interface Rewrites {
  denormalisationSeconds: number;
  inboxFirst: LatencyStats;
  inboxDeep: LatencyStats;
  inboxSameAsCurrent: boolean;
  similar: LatencyStats;
  similarMeanOverlapAt10: number;
  plans: { inboxFirst: PlanSummary; similar: PlanSummary };
}

const log = (msg: string) => process.stdout.write(`${msg}\n`);

function tmpDir(label: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `urpnet-bench-${label}-`));
  if (!keep) atCleanup(() => removeDir(dir));
  return dir;
}

async function adminQuery(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

async function measure(engine: Engine, database: OpenedDatabase, baseUrl: string, token: string, officeId: string, gen: GenerateResult, label: string): Promise<Measurement> {
  const tag = `[${engine}${label ? ` ${label}` : ''}]`;
  const inboxUrl = `/api/v1/tickets?view=shared&officeId=${officeId}&limit=25`;
  const get = async (url: string) => {
    const r = await httpGet(baseUrl, url, token);
    if (r.status !== 200) throw new Error(`GET ${url}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body as { items: unknown[]; nextCursor?: string | null };
  };

  // Inbox, first page.
  for (let i = 0; i < WARMUP; i++) await get(inboxUrl);
  const first = await get(inboxUrl);
  const inboxFirstRows = first.items.length;
  const firstTimes = await timeSequential(INBOX_FIRST, async () => {
    await get(inboxUrl);
  });
  const inboxFirst = latencyStats(firstTimes);
  log(`${tag} inbox page 1 (${inboxFirstRows} rows): ${fmtStats(inboxFirst)}`);

  // Inbox, pages 2…n following nextCursor (back to page 2 if the list ends).
  let cursor = first.nextCursor ?? null;
  let walked = 0;
  let deepest = 0;
  const pageTimes = await timeSequential(INBOX_PAGES, async () => {
    if (!cursor) cursor = first.nextCursor ?? null;
    if (!cursor) return;
    const page = await get(`${inboxUrl}&cursor=${encodeURIComponent(cursor)}`);
    walked++;
    deepest = Math.max(deepest, walked + 1);
    cursor = page.nextCursor ?? null;
  });
  const inboxPages = latencyStats(pageTimes);
  log(`${tag} inbox pages 2…${deepest} via nextCursor: ${fmtStats(inboxPages)}`);

  // Similar tickets.
  const questions = similarQuestions(SIMILAR + WARMUP, mulberry32(42), gen.places, gen.temaByArea);
  const similarUrl = (i: number) => {
    const q = questions[i]!;
    return `/api/v1/tickets/similar?text=${encodeURIComponent(q.text)}${i % 4 === 3 ? `&topic=${q.topic}` : ''}`;
  };
  for (let i = 0; i < WARMUP; i++) await get(similarUrl(SIMILAR + i));
  let results = 0;
  let zero = 0;
  const withTopic: number[] = [];
  const similarTimes = await timeSequential(SIMILAR, async (i) => {
    const started = performance.now();
    const body = await get(similarUrl(i));
    if (i % 4 === 3) withTopic.push(performance.now() - started);
    results += body.items.length;
    if (body.items.length === 0) zero++;
  });
  const similar = latencyStats(similarTimes);
  const similarWithTopic = latencyStats(withTopic);
  log(`${tag} similar (all): ${fmtStats(similar)}; mean ${(results / SIMILAR).toFixed(1)} results, ${zero} with none`);
  log(`${tag} similar (&topic= subset): ${fmtStats(similarWithTopic)}`);

  // The same repository calls without HTTP, and their SQL under EXPLAIN (ANALYZE, BUFFERS).
  const grants = (
    await sql<{ office_id: string | null; organisation_id: string }>`
      select g.office_id, g.organisation_id from role_grants g join users u on u.id = g.user_id
      where lower(u.email) = ${OPERATOR} and g.role in ('operator','back_office','supervisor')`.execute(database.db)
  ).rows;
  const scope = {
    officeIds: [...new Set(grants.flatMap((g) => (g.office_id ? [g.office_id] : [])))],
    organisationIds: [...new Set(grants.flatMap((g) => (g.office_id ? [] : [g.organisation_id])))],
  };
  const userId = (await sql<{ id: string }>`select id from users where lower(email) = ${OPERATOR}`.execute(database.db)).rows[0]!.id;
  const cap = capturingDb(database.pool);
  const filters = { scope, userId, view: 'shared' as const, officeId, cursor: null, limit: 25 };
  const firstPage = await listTickets(cap.db, filters);
  const inboxSql = cap.last()!;
  const last = firstPage.at(-1)!;
  // A cursor ~40 pages deep, as the walk above reached.
  let deep = firstPage;
  for (let i = 0; i < 40 && deep.length === 25; i++) {
    const l = deep.at(-1)!;
    deep = await listTickets(database.db, { ...filters, cursor: { at: l.updatedAt.toISOString(), id: l.id } });
  }
  const deepCursor = deep.length > 0 ? { at: deep.at(-1)!.updatedAt.toISOString(), id: deep.at(-1)!.id } : { at: last.updatedAt.toISOString(), id: last.id };
  cap.reset();
  await listTickets(cap.db, { ...filters, cursor: deepCursor });
  const pageSql = cap.last()!;
  const directInbox = latencyStats(await timeSequential(DIRECT, async () => void (await listTickets(database.db, filters))));
  const directInboxPage = latencyStats(await timeSequential(DIRECT, async () => void (await listTickets(database.db, { ...filters, cursor: deepCursor }))));
  log(`${tag} direct listTickets page 1: ${fmtStats(directInbox)}; ~page 42: ${fmtStats(directInboxPage)}`);

  const simQuery = (i: number, topic: boolean) => ({ text: questions[i]!.text, topic: topic ? questions[i]!.topic : null, territory: null, windowDays: 30, limit: 10 });
  cap.reset();
  await findSimilarTickets(cap.db, simQuery(0, false));
  const similarSql = cap.last()!;
  cap.reset();
  await findSimilarTickets(cap.db, simQuery(3, true));
  const similarTopicSql = cap.last()!;
  const directSimilar = latencyStats(await timeSequential(DIRECT, async (i) => void (await findSimilarTickets(database.db, simQuery(i, i % 4 === 3)))));
  log(`${tag} direct findSimilarTickets: ${fmtStats(directSimilar)}`);

  const plans = {
    inboxFirst: await explainAnalyze(database.pool, inboxSql),
    inboxPage: await explainAnalyze(database.pool, pageSql),
    similar: await explainAnalyze(database.pool, similarSql),
    similarTopic: await explainAnalyze(database.pool, similarTopicSql),
  };
  const show = (title: string, q: CapturedQuery, p: PlanSummary) => {
    log(`${tag} EXPLAIN (ANALYZE, BUFFERS) ${title}: execution ${p.executionMs.toFixed(1)} ms, planning ${p.planningMs.toFixed(1)} ms`);
    if (process.env.BENCH_SHOW_SQL) log(`    SQL: ${q.sql.replace(/\s+/g, ' ')}\n    params: ${JSON.stringify(q.parameters)}`);
    for (const line of planDigest(p)) log(`    ${line}`);
  };
  show('inbox page 1', inboxSql, plans.inboxFirst);
  show('inbox ~page 42', pageSql, plans.inboxPage);
  show(`similar "${questions[0]!.text}"`, similarSql, plans.similar);
  show(`similar with topic ${questions[3]!.topic}`, similarTopicSql, plans.similarTopic);

  return {
    inboxFirst, inboxPages, inboxFirstRows, inboxPagesWalked: deepest, similar, similarWithTopic,
    similarMeanResults: Math.round((results / SIMILAR) * 10) / 10, similarZeroResults: zero, directInbox, directInboxPage, directSimilar, plans,
  };
}

/** The query rewrites of bench/lib/scale-fixes.ts, run directly next to the current repository calls. */
async function rewrites(engine: Engine, database: OpenedDatabase, officeId: string, gen: GenerateResult): Promise<Rewrites> {
  const tag = `[${engine} rewrites]`;
  const started = performance.now();
  for (const ddl of INBOX_DENORMALISATION) await sql.raw(ddl).execute(database.db);
  const denormalisationSeconds = (performance.now() - started) / 1000;
  log(`${tag} ticket_participants.ticket_updated_at + index + trigger in ${denormalisationSeconds.toFixed(1)} s`);

  // Same rows as the current query, page 1 and ~40 pages deep.
  const grants = (await sql<{ office_id: string }>`select g.office_id from role_grants g join users u on u.id = g.user_id where lower(u.email) = ${OPERATOR} and g.office_id is not null`.execute(database.db)).rows;
  const filters = { scope: { officeIds: grants.map((g) => g.office_id), organisationIds: [] }, userId: '', view: 'shared' as const, officeId, cursor: null, limit: 25 };
  let same = true;
  let cursor: { at: string; id: string } | null = null;
  for (let page = 0; page < 41; page++) {
    const current = await listTickets(database.db, { ...filters, cursor });
    const rewritten = await sharedInboxRewritten(database.db, officeId, cursor);
    if (current.map((r) => r.id).join() !== rewritten.map((r) => r.id).join()) same = false;
    const last = current.at(-1);
    if (!last) break;
    cursor = { at: last.updatedAt.toISOString(), id: last.id };
  }
  const deep = cursor;
  const inboxFirst = latencyStats(await timeSequential(DIRECT, async () => void (await sharedInboxRewritten(database.db, officeId, null))));
  const inboxDeep = latencyStats(await timeSequential(DIRECT, async () => void (await sharedInboxRewritten(database.db, officeId, deep))));
  log(`${tag} shared inbox from participants: page 1 ${fmtStats(inboxFirst)}; ~page 42 ${fmtStats(inboxDeep)}; same rows as listTickets over 41 pages: ${same}`);

  const questions = similarQuestions(SIMILAR + WARMUP, mulberry32(42), gen.places, gen.temaByArea);
  const simQuery = (i: number) => ({ text: questions[i]!.text, topic: i % 4 === 3 ? questions[i]!.topic : null, territory: null, windowDays: 30, limit: 10 });
  const similar = latencyStats(await timeSequential(DIRECT, async (i) => void (await similarRewritten(database.db, simQuery(i)))));
  let overlap = 0;
  const compared = 40;
  for (let i = 0; i < compared; i++) {
    const a = new Set((await findSimilarTickets(database.db, simQuery(i))).map((r) => r.id));
    const b = await similarRewritten(database.db, simQuery(i));
    overlap += a.size === 0 ? 1 : b.filter((r) => a.has(r.id)).length / a.size;
  }
  const similarMeanOverlapAt10 = Math.round((overlap / compared) * 100) / 100;
  log(`${tag} similar, bounded arms: ${fmtStats(similar)}; mean overlap@10 with findSimilarTickets ${similarMeanOverlapAt10}`);

  const cap = capturingDb(database.pool);
  await sharedInboxRewritten(cap.db, officeId, null);
  const inboxPlan = await explainAnalyze(database.pool, cap.last()!);
  cap.reset();
  await similarRewritten(cap.db, simQuery(0));
  const similarPlan = await explainAnalyze(database.pool, cap.last()!);
  for (const [title, p] of [['shared inbox from participants', inboxPlan], ['similar, bounded arms', similarPlan]] as const) {
    log(`${tag} EXPLAIN (ANALYZE, BUFFERS) ${title}: execution ${p.executionMs.toFixed(1)} ms`);
    for (const line of planDigest(p)) log(`    ${line}`);
  }
  return { denormalisationSeconds, inboxFirst, inboxDeep, inboxSameAsCurrent: same, similar, similarMeanOverlapAt10, plans: { inboxFirst: inboxPlan, similar: similarPlan } };
}

async function runEngine(engine: Engine, tickets: number): Promise<EngineResult> {
  const setupStarted = performance.now();
  const dataDir = tmpDir(engine);
  let databaseUrl: string | null = null;
  if (engine === 'postgres') {
    await adminQuery(`drop database if exists ${BENCH_DB} with (force)`);
    await adminQuery(`create database ${BENCH_DB}`);
    if (!keep) atCleanup(() => adminQuery(`drop database if exists ${BENCH_DB} with (force)`));
    const url = new URL(ADMIN_URL);
    url.pathname = `/${BENCH_DB}`;
    databaseUrl = url.toString();
  }
  const config = loadConfig({
    DATA_DIR: dataDir,
    URPNET_DEMO_PASSWORD: PASSWORD,
    LOG_LEVEL: 'silent',
    URPNET_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
    RATE_LIMIT_PER_MINUTE: '10000000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const database = await openDatabase({ databaseUrl, dataDir, poolSize: config.dbPoolSize });
  atCleanup(() => database.close());
  await migrateToLatest(database.db);
  await seedAll(database.db, config, true);
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  log(`[${engine}] migrated and seeded in ${setupSeconds.toFixed(1)} s${engine === 'pglite' ? ` (data dir ${dataDir}/pgdata)` : ` (database ${BENCH_DB})`}`);

  log(`[${engine}] generating ${tickets.toLocaleString('en')} tickets and ${SHARES.toLocaleString('en')} shares…`);
  const gen = await generateNetwork(database.db, { tickets, shares: SHARES, sharedOfficeSlug: SHARED_OFFICE, log });
  log(
    `[${engine}] generated in ${gen.seconds.total.toFixed(1)} s (insert ${gen.seconds.insert.toFixed(1)}, indexes ${gen.seconds.indexes.toFixed(1)}, shares ${gen.seconds.shares.toFixed(1)}, analyze ${gen.seconds.analyze.toFixed(1)}): ` +
      `${gen.tickets.toLocaleString('en')} tickets (${gen.openTickets.toLocaleString('en')} open) over ${gen.offices} offices × ${gen.topics} topics; ` +
      `${gen.sharesActive.toLocaleString('en')} active shares with ${SHARED_OFFICE}, ${gen.participantsTotal.toLocaleString('en')} participants in all; tickets table ${gen.tableMb} MB + indexes ${gen.indexesMb} MB`,
  );

  const events = startOutboxDispatcher(database.db, { intervalMs: 60_000 });
  atCleanup(() => events.stop());
  const app = await buildApp({ config, database, events, logger: false });
  atCleanup(() => app.close());
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const op = await operatorWithToken(httpCall(baseUrl), OPERATOR, PASSWORD);
  if (op.officeId !== gen.sharedOfficeId) throw new Error(`operator office ${op.officeId} is not ${SHARED_OFFICE} (${gen.sharedOfficeId})`);
  log(`[${engine}] app listening on ${baseUrl}; token for ${OPERATOR} (${op.officeName})`);

  const baseline = await measure(engine, database, baseUrl, op.token, op.officeId, gen, '');
  const { places: _p, temaByArea: _t, ...generation } = gen;
  const result: EngineResult = { engine, tickets: gen.tickets, generation: { ...generation, setupSeconds }, baseline };

  if (tryFixes) {
    const started = performance.now();
    for (const fix of INDEX_FIXES) {
      for (const ddl of fix.ddl) await sql.raw(ddl).execute(database.db);
      log(`[${engine}] applied fix: ${fix.name}`);
    }
    await sql`analyze tickets`.execute(database.db);
    await sql`analyze ticket_participants`.execute(database.db);
    const ddlSeconds = (performance.now() - started) / 1000;
    log(`[${engine}] fixes applied in ${ddlSeconds.toFixed(1)} s; measuring again`);
    result.fixes = { applied: INDEX_FIXES.map((f) => f.name), ddlSeconds, measurement: await measure(engine, database, baseUrl, op.token, op.officeId, gen, 'with fixes') };
    result.rewrites = await rewrites(engine, database, op.officeId, gen);
  }

  // app, dispatcher and database are closed by the cleanups registered above (main calls cleanupAll).
  return result;
}

function table(results: EngineResult[]): string[] {
  const rows: string[][] = [['engine', 'tickets', 'measure', 'p50 ms', 'p95 ms', 'p99 ms', 'target', 'result']];
  const add = (r: EngineResult, m: Measurement, suffix: string) => {
    const n = r.tickets.toLocaleString('en');
    const verdict = (p95: number, target: number | null) => (target === null ? '—' : p95 < target ? 'PASS' : 'FAIL');
    const line = (what: string, s: LatencyStats, target: number | null) => rows.push([r.engine, n, what + suffix, s.p50.toFixed(1), s.p95.toFixed(1), s.p99.toFixed(1), target === null ? '' : `p95 < ${target}`, verdict(s.p95, target)]);
    line(`inbox shared page 1 (HTTP, ${m.inboxFirstRows} rows)`, m.inboxFirst, TARGETS.inboxP95Ms);
    line('inbox shared pages 2…n (HTTP)', m.inboxPages, TARGETS.inboxP95Ms);
    line(`similar (HTTP, mean ${m.similarMeanResults} results)`, m.similar, TARGETS.similarP95Ms);
    line('  of which with &topic=', m.similarWithTopic, null);
    line('listTickets direct, page 1', m.directInbox, null);
    line('findSimilarTickets direct', m.directSimilar, null);
  };
  for (const r of results) {
    add(r, r.baseline, '');
    if (r.fixes) add(r, r.fixes.measurement, ' [fixes]');
    if (r.rewrites) {
      const w = r.rewrites;
      const n = r.tickets.toLocaleString('en');
      const row = (what: string, st: LatencyStats) => rows.push([r.engine, n, what, st.p50.toFixed(1), st.p95.toFixed(1), st.p99.toFixed(1), '', '']);
      row('inbox rewritten, direct, page 1 [fixes]', w.inboxFirst);
      row('inbox rewritten, direct, ~page 42 [fixes]', w.inboxDeep);
      row(`similar rewritten, direct (overlap@10 ${w.similarMeanOverlapAt10}) [fixes]`, w.similar);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => (i >= 3 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  '));
}

async function main(): Promise<void> {
  installExitHandlers();
  const engines: Engine[] = engineArg === 'both' ? ['postgres', 'pglite'] : [engineArg as Engine];
  log(`network-scale: ${TICKETS.toLocaleString('en')} tickets${PGLITE_TICKETS !== TICKETS ? ` (PGlite: ${PGLITE_TICKETS.toLocaleString('en')})` : ''}, ${SHARES.toLocaleString('en')} shares; engines ${engines.join(', ')}; ${os.cpus().length} CPUs`);
  const results: EngineResult[] = [];
  const failures: { engine: Engine; error: string }[] = [];
  for (const engine of engines) {
    try {
      results.push(await runEngine(engine, engine === 'pglite' ? PGLITE_TICKETS : TICKETS));
    } catch (err) {
      log(`[${engine}] FAILED: ${(err as Error).stack ?? err}`);
      failures.push({ engine, error: (err as Error).message });
    }
    await cleanupAll();
  }
  log('\nResults (sequential requests over loopback HTTP, one client):');
  for (const line of table(results)) log(`  ${line}`);
  for (const r of results) {
    const g = r.generation;
    log(`  generation ${r.engine}: ${g.seconds.total.toFixed(1)} s for ${r.tickets.toLocaleString('en')} tickets (+ migrate/seed ${g.setupSeconds.toFixed(1)} s)`);
  }
  for (const f of failures) log(`  ${f.engine}: FAILED — ${f.error}`);
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'network-scale.json');
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), quick, tickets: TICKETS, pgliteTickets: PGLITE_TICKETS, shares: SHARES, targets: TARGETS, cpus: os.cpus().length, node: process.version, results, failures }, null, 2)}\n`,
  );
  log(`written ${path.relative(root, file)}`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch(async (err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  await cleanupAll();
  process.exit(1);
});
