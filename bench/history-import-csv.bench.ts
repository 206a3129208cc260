/**
 * The CSV side of the historical import, alone (no database): Boston's 311 cases of 2015 (43 MB
 * decompressed, 121,146 records) read by csv-parse with nothing around it — the floor — next to
 * what the import does with it: `streamCsvRecords` over the bytes (records with line numbers),
 * `sniffSource` (gunzip, encoding check, delimiter and header, count) and `readRecords` (gunzip,
 * records in batches, as the values pass, the dry run and the commit each read the file).
 * Each step runs `--runs=N` times (default 5, round robin) in this process; the best wall time and
 * the best CPU time (user + system, steadier on a shared machine) are reported.
 *
 *   node --import tsx bench/history-import-csv.bench.ts [--runs=5]
 *
 * URPNET_SHARED_DATA overrides the data directory (default ../shared/data). Results: printed, and
 * bench/results/history-import-csv.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { Parser } from 'csv-parse';
import { readRecords, sniffSource } from '../src/modules/history-import/import-source.js';
import { streamCsvRecords } from '../src/platform/csv.js';

const root = path.resolve(import.meta.dirname, '..');
const dataRoot = process.env.URPNET_SHARED_DATA ?? path.resolve(root, '../shared/data');
const FILE = path.join(dataRoot, 'real/boston-311-2015.csv.gz');
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 5);
const CHUNK = 64 * 1024;

const gz = readFileSync(FILE);
const csv = gunzipSync(gz);
/** The stored file, as the import opens it: a stream of the gzip bytes. */
const openGz = () => Readable.from([gz]);
function* csvChunks(): Generator<Buffer> {
  for (let i = 0; i < csv.length; i += CHUNK) yield csv.subarray(i, i + CHUNK);
}

/** csv-parse with the options of platform/csv.ts, records counted off its stream and dropped. */
async function csvParseAlone(): Promise<number> {
  const parser = new Parser({ delimiter: ',', record_delimiter: ['\r\n', '\n', '\r'], bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, max_record_size: 1_000_000 });
  let records = 0;
  parser.on('data', () => records++);
  const ended = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  for (const chunk of csvChunks()) await new Promise<void>((resolve, reject) => parser.write(chunk, (err) => (err ? reject(err) : resolve())));
  parser.end();
  await ended;
  return records;
}

async function streamed(): Promise<number> {
  let records = 0;
  for await (const batch of streamCsvRecords(csvChunks(), ',')) records += batch.length;
  return records;
}

async function sniffed(): Promise<number> {
  return (await sniffSource(openGz)).rowCount;
}

async function read(): Promise<number> {
  let records = 0;
  for await (const batch of readRecords(openGz, { compression: 'gzip', encoding: 'utf-8', delimiter: ',', hasHeader: true })) records += batch.length;
  return records;
}

const steps: [string, () => Promise<number>][] = [
  ['csv-parse alone (floor)', csvParseAlone],
  ['streamCsvRecords', streamed],
  ['sniffSource (.gz)', sniffed],
  ['readRecords (.gz)', read],
];

const log = (line: string) => process.stdout.write(`${line}\n`);
log(`history import CSV bench: ${path.relative(root, FILE)} (${(csv.length / 1e6).toFixed(1)} MB decompressed), ${runs} runs, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}, Node ${process.version}`);
// Round robin (each run goes through every step) so that no step is the only one to run on code
// not yet optimised by the JIT, or during a burst of load from the rest of the machine.
const best = steps.map(() => ({ records: 0, wall: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY }));
for (let i = 0; i < runs; i++) {
  for (const [k, [, fn]] of steps.entries()) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const records = await fn();
    const used = process.cpuUsage(c0);
    const b = best[k]!;
    b.records = records;
    b.wall = Math.min(b.wall, (performance.now() - t0) / 1000);
    b.cpu = Math.min(b.cpu, (used.user + used.system) / 1e6);
  }
}
const results = steps.map(([step], k) => {
  const { records, wall, cpu } = best[k]!;
  log(`${step.padEnd(26)} ${String(records).padEnd(7)} wall ${wall.toFixed(2)} s  cpu ${cpu.toFixed(2)} s  ${(csv.length / 1e6 / cpu).toFixed(1)} MB/cpu-s`);
  return { step, records, bestWallS: wall, bestCpuS: cpu, mbPerCpuS: csv.length / 1e6 / cpu };
});
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/history-import-csv.json'), `${JSON.stringify({ file: path.basename(FILE), bytes: csv.length, runs, loadAverage: os.loadavg()[0], results }, null, 2)}\n`);
