/**
 * The full alarm scan (issue 14) at national scale: a synthetic archive of 10,000,000 records with
 * text (300 offices, 24 months up to this month, 60 topics, 8 channels, 1,000 real ISTAT territories,
 * all skewed), then what the morning scan does: one grouped DuckDB query builds every watched series
 * (topic root/leaf × network/region/province × channel) over 400 days, the count model runs over
 * each, and the emerging-terms query tokenises the last nine weeks of text. Prints each step's
 * seconds and the total. Target: a full alarm scan < 30 s over 10,000,000 records.
 *
 *   npm run bench -- alarm-scan [-- --quick]     (--quick: 1,000,000 records)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Database } from '../src/db/database.js';
import { loadWatchedSeries } from '../src/modules/analytics/alarms/alarm-series.js';
import { emergingTermAlarms, termCounts } from '../src/modules/analytics/alarms/alarm-scan.js';
import { scanSeries } from '../src/modules/analytics/series/series-analysis.js';
import { parseIsoDay } from '../src/modules/analytics/series/series-calendar.js';
import { ArchiveEngine, archiveDir } from '../src/modules/archive/index.js';
import { writeSyntheticArchive } from '../src/modules/archive/archive-release.fixtures.js';
import { Territory } from '../src/modules/territory/index.js';
import { PACKAGE_VERSION, packageTerritory } from '../src/modules/territory/package-data.js';

const quick = process.argv.includes('--quick');
const RECORDS = Number(process.argv.find((a) => a.startsWith('--records='))?.slice(10) ?? (quick ? 1_000_000 : 10_000_000));
const root = path.resolve(import.meta.dirname, '..');

const data = packageTerritory();
const territory = new Territory(data, PACKAGE_VERSION);
const codes = [...data.comuni].sort((a, b) => (b.population ?? 0) - (a.population ?? 0)).slice(0, 1000).map((c) => c.code);
const dir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-bench-alarms-'));
const engine = new ArchiveEngine(archiveDir(dir));

const now = new Date();
const month = now.toISOString().slice(0, 7);
const firstMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 23, 1)).toISOString().slice(0, 7);
const day = (offset: number) => new Date(Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

try {
  let t = performance.now();
  await writeSyntheticArchive(path.join(dir, 'archive'), { records: RECORDS, territoryCodes: codes, withText: true, firstMonth, months: 24 });
  console.log(`generated ${RECORDS.toLocaleString('en-US')} records (${firstMonth} … ${month}) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const total = performance.now();
  // The archive covers every day the scan reads: no live counts are needed (the database is not touched).
  const to = day(-1);
  const from = day(-400);
  t = performance.now();
  const set = await loadWatchedSeries(null as unknown as Database, engine, territory, { from, to, archiveThrough: to });
  const seriesSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const scanned = scanSeries(set.series.map((s) => ({ name: s.key, start: parseIsoDay(from)!, counts: s.counts })));
  const modelSeconds = (performance.now() - t) / 1000;
  const alarms = scanned.reduce((n, s) => n + s.alarms.length, 0);
  t = performance.now();
  const terms = await termCounts(engine, territory);
  const emerging = emergingTermAlarms(terms);
  const termsSeconds = (performance.now() - t) / 1000;
  const totalSeconds = (performance.now() - total) / 1000;
  const results = {
    records: RECORDS, cpus: os.cpus().length, recordsRead: set.records, candidateSeries: set.candidates, watchedSeries: set.series.length, days: set.series[0]?.counts.length ?? 0,
    alarmsOverHistory: alarms, emergingTerms: emerging.length, seriesSeconds, modelSeconds, termsSeconds, totalSeconds,
  };
  console.log(`series (one DuckDB query, ${set.records.toLocaleString('en-US')} records in 400 days): ${set.candidates} candidate series, ${set.series.length} with ≥ 2 contacts a day, ${seriesSeconds.toFixed(2)} s`);
  console.log(`count model over ${set.series.length} series × ${results.days} days: ${modelSeconds.toFixed(2)} s (${alarms} alarms over the whole history)`);
  console.log(`emerging terms (9 weeks of text, ${terms.network.recentDocs + terms.network.baselineDocs} documents, network and ${terms.regions.size} regions): ${termsSeconds.toFixed(2)} s, ${emerging.length} terms`);
  console.log(`full alarm scan: ${totalSeconds.toFixed(1)} s over ${RECORDS.toLocaleString('en-US')} records (target < 30 s at 10M)`);
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results/alarm-scan.json'), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
}
