/**
 * The analytics dashboard (issue 14) at national scale: a synthetic archive of 10,000,000 records
 * (300 offices, 24 months, 60 topics, 8 channels, 1,000 real ISTAT territories, all skewed) written
 * as Parquet, then dashboards asked as an analyst would — the network, a region, an organisation,
 * an office, a topic, a channel, by month, week and day — each run several times. Prints p50/p95 in
 * milliseconds. Target: p95 < 500 ms over 10M records.
 *
 *   npm run bench -- dashboard [-- --quick]     (--quick: 1,000,000 records)
 *
 * Results: printed, and bench/results/dashboard.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildDashboard, type DashboardQuery } from '../src/modules/analytics/index.js';
import { ArchiveEngine, archiveDir } from '../src/modules/archive/index.js';
import { writeSyntheticArchive } from '../src/modules/archive/archive-release.fixtures.js';
import { Territory } from '../src/modules/territory/index.js';
import { PACKAGE_VERSION, packageTerritory } from '../src/modules/territory/package-data.js';

const quick = process.argv.includes('--quick');
const RECORDS = Number(process.argv.find((a) => a.startsWith('--records='))?.slice(10) ?? (quick ? 1_000_000 : 10_000_000));
const RUNS = Number(process.env.RUNS ?? 5);
const root = path.resolve(import.meta.dirname, '..');

const data = packageTerritory();
const territory = new Territory(data, PACKAGE_VERSION);
const codes = [...data.comuni].sort((a, b) => (b.population ?? 0) - (a.population ?? 0)).slice(0, 1000).map((c) => c.code);

const dir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-bench-dashboard-'));
const engine = new ArchiveEngine(archiveDir(dir));
const results: Record<string, unknown> = { records: RECORDS, cpus: os.cpus().length };

const QUERIES: [string, DashboardQuery][] = [
  ['network by month', { granularity: 'month', filter: {} }],
  ['network by week', { granularity: 'week', filter: {} }],
  ['network by day', { granularity: 'day', filter: {} }],
  ['region (Lazio) by month', { granularity: 'month', filter: { territory: '12' } }],
  ['organisation by week', { granularity: 'week', filter: { organisationId: 'org-1' } }],
  ['office by day, one quarter', { granularity: 'day', filter: { officeId: 'off-5', from: '2025-04-01', to: '2025-06-30' } }],
  ['topic root by month', { granularity: 'month', filter: { topic: 'tema0' } }],
  ['channel and province by month', { granularity: 'month', filter: { channel: 'email', territory: '058' } }],
  ['network by hour, one month', { granularity: 'hour', filter: { from: '2025-03-01', to: '2025-03-31' } }],
];

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

try {
  let t0 = performance.now();
  await writeSyntheticArchive(path.join(dir, 'archive'), { records: RECORDS, territoryCodes: codes, withText: false });
  results.generateSeconds = (performance.now() - t0) / 1000;
  console.log(`generated ${RECORDS.toLocaleString('en-US')} records in ${(results.generateSeconds as number).toFixed(1)} s`);
  t0 = performance.now();
  await buildDashboard(engine, territory, { granularity: 'month', filter: {} });
  results.firstQueryMs = performance.now() - t0;
  const all: number[] = [];
  const byQuery: Record<string, { p50: number; p95: number }> = {};
  for (const [name, q] of QUERIES) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await buildDashboard(engine, territory, q);
      times.push(performance.now() - t);
    }
    all.push(...times);
    byQuery[name] = { p50: Math.round(percentile(times, 50)), p95: Math.round(percentile(times, 95)) };
    console.log(`${name.padEnd(32)} p50 ${byQuery[name].p50} ms  p95 ${byQuery[name].p95} ms`);
  }
  results.queries = byQuery;
  results.p50 = Math.round(percentile(all, 50));
  results.p95 = Math.round(percentile(all, 95));
  console.log(`all dashboards: p50 ${results.p50} ms, p95 ${results.p95} ms (target p95 < 500 ms at 10M)`);
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results/dashboard.json'), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
}
