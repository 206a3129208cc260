/**
 * Deflected contacts at a national portal's scale (issues 11 and 14): a year of FAQ portal sessions
 * in `faq_portal_events`, then the two readers of that log, each run several times:
 * - the analytics dashboard's figure (`deflectionTotals`: sessions and deflected ones), for the network
 *   and for one body, over the longest period the dashboard asks (366 days): first with no day counted
 *   (every session counted by the database), then after the hourly job has counted the closed days
 *   (`countDeflectionDays`, timed too), when only today's sessions are read;
 * - the FAQ board's report (`deflection`: per day, per FAQ, per body; sessions read one by one) over
 *   the same period.
 * Prints p50/max in milliseconds and the heap growth of each reader.
 *
 *   node --import tsx bench/faq-deflection.bench.ts [--quick] [--engine=postgres|pglite] [--sessions=N]
 *
 * Data: N sessions (default 300,000; --quick 50,000) spread evenly over the last 365 days: each
 * searches, reads one FAQ a minute later (a third of the reads credited to one of the demo network's
 * bodies, at most 20), and one
 * in seven then asks to contact an office within the 30-minute window. About 2.2 events per session.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { deflection, deflectionTotals } from '../src/modules/knowledge/index.js';
import { countDeflectionDays } from '../src/modules/knowledge/faq-feedback.service.js';
import { seedAll } from '../src/seed.js';
import { benchArgs, freshDatabase, log, percentile } from './lib/citizen-bench.js';
import { cleanupAll, installExitHandlers } from './lib/processes.js';

const { quick, engine, flag } = benchArgs();
const SESSIONS = Number(flag('sessions') ?? (quick ? 50_000 : 300_000));
const RUNS = quick ? 3 : 5;
const BODIES = 20;

async function timed<T>(runs: number, fn: () => Promise<T>): Promise<{ ms: number[]; heapMb: number; last: T }> {
  const ms: number[] = [];
  let heapMb = 0;
  let last!: T;
  for (let i = 0; i < runs; i++) {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    last = await fn();
    ms.push(performance.now() - t0);
    heapMb = Math.max(heapMb, (process.memoryUsage().heapUsed - before) / 1048576);
  }
  return { ms, heapMb, last };
}

async function main(): Promise<void> {
  installExitHandlers();
  const target = await freshDatabase(engine, 'deflection');
  const database = await openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir, poolSize: 2 });
  const { db } = database;
  try {
    await migrateToLatest(db);
    const config = loadConfig({ DATA_DIR: target.dataDir, LOG_LEVEL: 'silent', URPNET_SECRET: 'bench-secret-bench-secret-bench-secret-0123', URPNET_DEMO_PASSWORD: 'bench-password-1', ...(target.databaseUrl && { DATABASE_URL: target.databaseUrl }) });
    await seedAll(db, config, true);
    // The demo network's bodies (up to 20) are the ones credited with reads.
    const bodies = (await db.selectFrom('organisations').select('id').orderBy('slug').limit(BODIES).execute()).map((o) => o.id);
    const now = new Date();
    const yearMs = 365 * 86_400_000;
    let t0 = performance.now();
    const CHUNK = 50_000;
    for (let first = 0; first < SESSIONS; first += CHUNK) {
      const last = Math.min(SESSIONS, first + CHUNK) - 1;
      // Session i starts at now - 365 days + i × (365 days / N): evenly over the year, the last ones still in their window.
      await sql`
        with s as (
          select i, ${now}::timestamptz - make_interval(secs => ${yearMs / 1000}::float8) + make_interval(secs => i * ${yearMs / 1000 / SESSIONS}::float8) as at
          from generate_series(${first}::int, ${last}::int) as i
        )
        insert into faq_portal_events (session_id, kind, query, organisation_id, created_at)
        select 'bench-session-' || lpad(i::text, 8, '0'), 'search', 'domanda ' || (i % 997), null, at from s
        union all
        select 'bench-session-' || lpad(i::text, 8, '0'), 'read', null, case when i % 3 = 0 then (${sql.val(bodies)}::uuid[])[1 + (i / 3) % ${bodies.length}] end, at + interval '1 minute' from s
        union all
        select 'bench-session-' || lpad(i::text, 8, '0'), 'contact', null, null, at + interval '6 minutes' from s where i % 7 = 1`.execute(db);
    }
    await sql`analyze faq_portal_events`.execute(db);
    const events = await sql<{ n: string }>`select count(*) as n from faq_portal_events`.execute(db);
    log(`faq-deflection benchmark${quick ? ' (--quick)' : ''}: ${SESSIONS.toLocaleString('en-US')} sessions, ${Number(events.rows[0]!.n).toLocaleString('en-US')} portal events over 365 days, ${database.engine}; written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const period = { from: new Date(now.getTime() - 366 * 86_400_000).toISOString(), to: now.toISOString() };
    t0 = performance.now();
    const network = await timed(RUNS, () => deflectionTotals(db, period, now));
    const body = await timed(RUNS, () => deflectionTotals(db, { ...period, organisationId: bodies[0]! }, now));
    const report = await timed(RUNS, () => deflection(db, period, now));
    const line = (name: string, r: { ms: number[]; heapMb: number }, what: string) =>
      log(`  ${name.padEnd(44)} p50 ${percentile(r.ms, 50).toFixed(0).padStart(6)} ms  max ${Math.max(...r.ms).toFixed(0).padStart(6)} ms  heap +${r.heapMb.toFixed(1)} MB  ${what}`);
    line('dashboard figure, network (366 days)', network, `sessions ${network.last.sessions}, deflected ${network.last.deflected}`);
    line('dashboard figure, one body (366 days)', body, `sessions ${body.last.sessions}, deflected ${body.last.deflected}`);
    line('FAQ board report, network (366 days)', report, `sessions ${report.last.totals.sessions}, deflected ${report.last.totals.deflected}`);
    t0 = performance.now();
    const counted = await countDeflectionDays(db, now);
    log(`  counting the closed days (the hourly job's first run): ${counted.days} days in ${((performance.now() - t0) / 1000).toFixed(1)} s, complete up to ${counted.through}`);
    const networkDays = await timed(RUNS, () => deflectionTotals(db, period, now));
    const bodyDays = await timed(RUNS, () => deflectionTotals(db, { ...period, organisationId: bodies[0]! }, now));
    line('dashboard figure, network, days counted', networkDays, `sessions ${networkDays.last.sessions}, deflected ${networkDays.last.deflected}`);
    line('dashboard figure, one body, days counted', bodyDays, `sessions ${bodyDays.last.sessions}, deflected ${bodyDays.last.deflected}`);
    const same = [network.last, networkDays.last].every((r) => r.sessions === report.last.totals.sessions && r.deflected === report.last.totals.deflected)
      && bodyDays.last.sessions === body.last.sessions && bodyDays.last.deflected === body.last.deflected;
    log(`  the dashboard's figures (sessions, days counted) equal the report's totals: ${same ? 'yes' : 'NO'}`);
    if (!same) process.exitCode = 1;
  } finally {
    await database.close();
    await cleanupAll();
  }
}

main().catch(async (err) => {
  console.error(err);
  await cleanupAll();
  process.exit(1);
});
