/**
 * The open-data export of the archive (issue 13) at national scale: 1,000,000 archive records
 * generated directly as Parquet with DuckDB (about 300 offices of 100 bodies, 24 months, 60 topics
 * under 12 roots, 8 channels, 1,000 real ISTAT territories — the most populous comuni first — all
 * with a long tail), then exported k-anonymised (k = 5) to Parquet and to CSV. Prints seconds,
 * records per second, the generalisation chosen and the records suppressed; then one analyst
 * aggregate and one page of records over the same archive. Target: Parquet export of 1M < 30 s.
 *
 *   npm run bench -- archive-export [-- --quick]     (--quick: 100,000 records)
 *
 * Results: printed, and bench/results/archive-export.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { exportArchive } from '../src/modules/archive/archive-export.js';
import { aggregateArchive, ArchiveEngine, archiveDir, listArchiveRecords } from '../src/modules/archive/archive-query.js';
import { writeSyntheticArchive } from '../src/modules/archive/archive-release.fixtures.js';
import { Territory } from '../src/modules/territory/index.js';
import { PACKAGE_VERSION, packageTerritory } from '../src/modules/territory/package-data.js';

const quick = process.argv.includes('--quick');
const RECORDS = quick ? 100_000 : 1_000_000;
const root = path.resolve(import.meta.dirname, '..');

const data = packageTerritory();
const territory = new Territory(data, PACKAGE_VERSION);
// 950 comuni by population (big cities first: the long tail is the small ones) and 50 provinces
// (small comuni already generalised by the archive writer).
const comuni = [...data.comuni].sort((a, b) => (b.population ?? 0) - (a.population ?? 0)).slice(0, 950).map((c) => c.code);
const provinces = data.provinces.slice(0, 50).map((p) => p.code);
const codes = comuni.flatMap((c, i) => (i % 19 === 18 ? [c, provinces[Math.floor(i / 19)]!] : [c]));

const dir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-bench-archive-'));
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const fmt = (n: number) => n.toLocaleString('en-US');
const results: Record<string, unknown> = { records: RECORDS, territories: codes.length, cpus: os.cpus().length };

try {
  let t0 = performance.now();
  await writeSyntheticArchive(archiveDir(dir), { records: RECORDS, offices: 300, months: 24, firstMonth: '2025-01', topicRoots: 12, territoryCodes: codes, seed: 0.7 });
  const generated = seconds(t0);
  console.log(`generated ${fmt(RECORDS)} archive records as Parquet in ${generated.toFixed(2)} s`);
  results.generateSeconds = generated;

  const engine = new ArchiveEngine(archiveDir(dir));
  const catalog = { baseUrl: 'https://urp.example.it', rightsHolder: { ipaCode: 'lineamica', name: 'Linea Amica' }, contact: { name: 'Coordinamento della rete', email: null } };
  for (const format of ['parquet', 'csv'] as const) {
    const outDir = path.join(dir, `export-${format}`);
    let last = 0;
    t0 = performance.now();
    const report = await exportArchive(engine, territory, {
      format,
      outDir,
      catalog,
      onProgress: (p) => {
        last = p.rowsWritten;
      },
    });
    const s = seconds(t0);
    const line = `${format.padEnd(7)} export: ${s.toFixed(2)} s, ${fmt(Math.round(report.totalRecords / s))} records/s; released ${fmt(report.rows)}, suppressed ${fmt(report.suppressedRows)} (${((100 * report.suppressedRows) / report.totalRecords).toFixed(2)}%); generalisation ${JSON.stringify(report.generalisation)}; smallest class ${report.kAnonymity.smallestClass} (k=${report.k}); ${report.files.length - 1} files, ${fmt(report.files.reduce((a, f) => a + f.bytes, 0))} bytes`;
    console.log(line);
    console.log(`        phases (s): ${JSON.stringify(report.timings)}`);
    if (last !== report.rows) throw new Error(`progress ended at ${last}, not ${report.rows}`);
    results[format] = { seconds: s, recordsPerSecond: report.totalRecords / s, released: report.rows, suppressed: report.suppressedRows, generalisation: report.generalisation, smallestClass: report.kAnonymity.smallestClass, files: report.files.length - 1, timings: report.timings };
  }
  const parquetSeconds = (results.parquet as { seconds: number }).seconds;
  console.log(`target: Parquet export of ${fmt(RECORDS)} < 30 s → ${parquetSeconds < 30 ? 'met' : 'MISSED'} (${parquetSeconds.toFixed(2)} s)`);

  t0 = performance.now();
  const agg = await aggregateArchive(engine, territory, { dimension: 'topic_root', granularity: 'month', filter: { from: '2025-06-01', to: '2026-05-31' } });
  const aggSeconds = seconds(t0);
  console.log(`aggregate topic_root × month (12 months): ${aggSeconds.toFixed(2)} s, ${agg.groups.length} groups, ${agg.suppressed.primary} + ${agg.suppressed.secondary} cells suppressed`);
  t0 = performance.now();
  const page = await listArchiveRecords(engine, territory, { filter: { territory: '15' }, limit: 50, offset: 0 });
  const pageSeconds = seconds(t0);
  console.log(`records of Campania (page of 50): ${pageSeconds.toFixed(2)} s, ${fmt(page.total)} listed, generalised ${page.generalised ? JSON.stringify(page.levels) : 'no'}, ${fmt(page.suppressed)} suppressed`);
  results.aggregateSeconds = aggSeconds;
  results.recordsPageSeconds = pageSeconds;
  await engine.close();
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results/archive-export.json'), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
