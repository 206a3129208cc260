/**
 * The open-data export of the archive (issue 13): the k-anonymised release as Parquet or CSV,
 * one file per period, plus `catalog.jsonld` (DCAT-AP_IT, see dcat.ts).
 *
 * Layout of DIR:
 * - Parquet: `DIR/month=YYYY-MM/part-0.parquet` (hive partitioning, like the archive itself);
 * - CSV: `DIR/archive-YYYY-MM.csv`, one per month (open-data portals list one distribution per file
 *   and spreadsheets open a month comfortably; a single CSV of millions of rows opens nowhere).
 * When the release needs the period generalised beyond the month, the partition follows it
 * (`quarter=2026-Q1`, `year=2026`; `archive-2026-Q1.csv`): a file per month would give back the
 * month that the generalisation took away.
 *
 * What is released (the QI columns generalised by k-anonymity.ts, over the whole export at once):
 * period, source, organisation_ipa, organisation_id, office_id, channel, taxonomy_version,
 * topic_code, territory_code, territory_level, first_response_minutes, resolution_minutes,
 * offices_involved, handoffs, outcome, satisfaction.
 * What is not:
 * - `text` (and `pii_counts`), unless `includeText` for an internal export: the text is scrubbed
 *   by a recogniser that cannot reach 100% recall, and even a perfectly scrubbed story ("the
 *   neighbour who keeps goats on the roof in via …") identifies its author to whoever knows it;
 *   free text cannot be k-anonymised. Internal exports stay under the controller's authority.
 * - `record_id`: two releases generalised differently, joined on a stable id, undo each other's
 *   generalisation (composition attack);
 * - `classification_json` (it names the full topic, which may be generalised), `opened_day`,
 *   `opened_hour`, `closed_day` (the period replaces them: the hour and the exact days are
 *   quasi-identifiers the generalisation would not cover).
 *
 * Atomic: everything is written to a temporary directory beside DIR and renamed into place at the
 * end; a failure removes it. DIR must not exist or be empty.
 *
 * k-anonymity over millions of records runs in DuckDB (GROUP BYs of the search, then one window
 * count to drop the classes under k); the written files are read back and checked to be k-anonymous
 * before they are published.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../../platform/errors.js';
import { archiveReleaseErrors as errors } from './archive-release.errors.js';
import { type ArchiveEngine, releasedQiSql, searchArchive, type VersionedTerritory } from './archive-query.js';
import { buildCatalog, CATALOG_FILE, type DcatAgent, type DcatDistributionInput } from './dcat.js';
import { BOTTOM, DEFAULT_K, DEFAULT_MAX_SUPPRESSION_RATE, type KAnonymityReport, LADDERS, type Levels, reportFromClassSizes } from './k-anonymity.js';

export const EXPORT_FORMATS = ['csv', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportProgress {
  rowsWritten: number;
  totalRows: number;
}

export interface ExportOptions {
  format: ExportFormat;
  /** Target directory: must not exist, or be empty. */
  outDir: string;
  /** Internal exports only: the scrubbed text and the personal-data counts (see above). */
  includeText?: boolean;
  k?: number;
  maxSuppressionRate?: number;
  /** Catalog metadata. */
  catalog: {
    baseUrl: string;
    /** Where the files will be served (default `${baseUrl}/opendata/archive`). */
    filesUrl?: string;
    rightsHolder: DcatAgent;
    publisher?: DcatAgent;
    contact: { name: string; email: string | null };
    datasetId?: string;
  };
  onProgress?: (p: ExportProgress) => void | Promise<void>;
  now?: Date;
}

export interface ExportedFile {
  /** Relative to the export directory. */
  name: string;
  rows: number;
  bytes: number;
}

export interface ExportReport {
  format: ExportFormat;
  outDir: string;
  includeText: boolean;
  /** Records in the archive. */
  totalRecords: number;
  /** Records released. */
  rows: number;
  /** Records left out (in classes under k after generalisation). */
  suppressedRows: number;
  k: number;
  levels: Levels;
  /** The name of each QI's level (`period: 'month'`, …). */
  generalisation: Record<keyof Levels, string>;
  informationLoss: number;
  /** The check of the written files. */
  kAnonymity: KAnonymityReport;
  partition: 'month' | 'quarter' | 'year';
  files: ExportedFile[];
  seconds: number;
  /** Seconds per phase (search of the generalisation, building the release, writing, checking) and lattice nodes evaluated. */
  timings: { search: number; release: number; write: number; check: number; nodesEvaluated: number };
}

/** The released columns that are not quasi-identifiers (as archived). */
const RELEASED_COLUMNS = [
  'r.first_response_minutes',
  'r.resolution_minutes',
  'r.offices_involved',
  'r.handoffs',
  'r.outcome',
  'r.satisfaction',
];
/** A partition value as produced by the period expressions: never anything else reaches a file name. */
const PARTITION_VALUE = /^\d{4}(-\d{2}|-Q[1-4])?$/;

/** The temporary directory beside `outDir`, created; or the error saying why the target is unusable. */
function prepareTarget(outDir: string): string {
  const dir = path.resolve(outDir);
  if (existsSync(dir)) {
    let entries: string[];
    try {
      if (!statSync(dir).isDirectory()) throw errors.targetNotEmpty({ dir });
      entries = readdirSync(dir);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw errors.targetUnwritable({ dir, reason: (err as NodeJS.ErrnoException).code ?? 'error' });
    }
    if (entries.length > 0) throw errors.targetNotEmpty({ dir });
  }
  const tmp = path.join(path.dirname(dir), `.${path.basename(dir)}.tmp-${randomUUID()}`);
  try {
    mkdirSync(path.dirname(dir), { recursive: true });
    mkdirSync(tmp);
  } catch (err) {
    throw errors.targetUnwritable({ dir, reason: (err as NodeJS.ErrnoException).code ?? 'error' });
  }
  return tmp;
}

/** Moves the finished export into place (onto an empty directory too, atomically). */
function publish(tmp: string, outDir: string): void {
  const dir = path.resolve(outDir);
  try {
    renameSync(tmp, dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') throw errors.targetNotEmpty({ dir });
    throw errors.targetUnwritable({ dir, reason: code });
  }
}

/** Progress reports per export (the COPYs are grouped so that each writes about 1/PROGRESS_STEPS of the rows). */
const PROGRESS_STEPS = 4;

/** Consecutive partitions grouped into batches of about `target` rows. */
function batches<T extends { rows: number }>(items: readonly T[], target: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let rows = 0;
  for (const item of items) {
    current.push(item);
    rows += item.rows;
    if (rows >= target) {
      out.push(current);
      current = [];
      rows = 0;
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

const one = async (conn: DuckDBConnection, sql: string) => (await conn.runAndReadAll(sql)).getRows()[0] ?? [];
const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * Exports the k-anonymised archive to `outDir` (see the file comment). Throws
 * `archive_export.target_not_empty` / `archive_export.target_unwritable` before writing anything.
 */
export async function exportArchive(engine: ArchiveEngine, territory: VersionedTerritory, options: ExportOptions): Promise<ExportReport> {
  const started = performance.now();
  const k = options.k ?? DEFAULT_K;
  const includeText = options.includeText ?? false;
  const now = options.now ?? new Date();
  const tmp = prepareTarget(options.outDir);
  try {
    const source = engine.source();
    const tmap = source ? await engine.territoryMap(territory) : null;
    const timings = { search: 0, release: 0, write: 0, check: 0, nodesEvaluated: 0 };
    let mark = performance.now();
    const lap = () => {
      const t = (performance.now() - mark) / 1000;
      mark = performance.now();
      return t;
    };
    const result = await engine.use(async (conn) => {
      if (!source || !tmap) return null;
      const from = { sql: `${source} r left join ${tmap} tm on tm.code = r.territory_code`, params: {} };
      const search = await searchArchive(conn, from, { k, maxSuppressionRate: options.maxSuppressionRate ?? DEFAULT_MAX_SUPPRESSION_RATE });
      timings.search = lap();
      timings.nodesEvaluated = search.evaluated;
      const { columns: qi, classKey } = releasedQiSql(search.levels);
      const as = (name: keyof typeof qi) => `${qi[name]} as ${name}`;
      const partitionKind = search.levels.period <= 1 ? 'month' : search.levels.period === 2 ? 'quarter' : 'year';
      const partitionExpr = partitionKind === 'month' ? 'substr(period, 1, 7)' : 'period';
      const table = `release_${randomUUID().replaceAll('-', '')}`;
      const extra = includeText ? ['r.text', 'r.pii_counts'] : [];
      const [first, last] = await one(conn, `select cast(min(opened_day) as varchar), cast(max(opened_day) as varchar) from ${source}`);
      // The release: generalised QI columns, then the classes under k dropped (counted over the whole
      // export). A GROUP BY finds the small classes (hash aggregation; a window count would sort a
      // million rows on six strings), and one DELETE removes their rows.
      await conn.run(
        `create temp table ${table} as
         select ${as('period')}, r.source, ${as('organisation_ipa')}, ${as('organisation_id')}, ${as('office_id')}, ${as('channel')}, r.taxonomy_version,
           ${as('topic_code')}, ${as('territory_code')}, ${as('territory_level')}, ${RELEASED_COLUMNS.join(', ')}${extra.length ? `, ${extra.join(', ')}` : ''},
           ${partitionExpr.replace('period', qi.period)} as ${partitionKind}
         from ${from.sql}`,
      );
      const small = `${table}_small`;
      await conn.run(`create temp table ${small} as select ${classKey.join(', ')} from ${table} group by ${classKey.join(', ')} having count(*) < ${Number(k)}`);
      if (Number((await one(conn, `select count(*) from ${small}`))[0] ?? 0) > 0) {
        await conn.run(`delete from ${table} using ${small} s where ${classKey.map((c) => `${table}.${c} is not distinct from s.${c}`).join(' and ')}`);
      }
      await conn.run(`drop table ${small}`);
      try {
        timings.release = lap();
        const parts = (await conn.runAndReadAll(`select ${partitionKind}, count(*) from ${table} group by 1 order by 1`)).getRows().map(([p, n]) => ({ part: String(p), rows: Number(n) }));
        const totalRows = parts.reduce((sum, p) => sum + p.rows, 0);
        await options.onProgress?.({ rowsWritten: 0, totalRows });
        // A few COPYs, each writing a batch of partitions in one parallel pass: progress between them.
        const format = options.format === 'parquet' ? "format parquet, compression 'zstd'" : 'format csv, header true';
        let written = 0;
        for (const batch of batches(parts, totalRows / PROGRESS_STEPS)) {
          for (const { part } of batch) if (!PARTITION_VALUE.test(part)) throw new Error(`unexpected partition value ${part}`);
          const list = batch.map((b) => quote(b.part)).join(', ');
          await conn.run(`copy (select * from ${table} where ${partitionKind} in (${list})) to ${quote(tmp)} (${format}, partition_by (${partitionKind}), filename_pattern 'part-{i}', overwrite_or_ignore true)`);
          written += batch.reduce((sum, b) => sum + b.rows, 0);
          await options.onProgress?.({ rowsWritten: written, totalRows });
        }
        const files = await describeFiles(conn, tmp, options.format, partitionKind);
        if (files.reduce((sum, f) => sum + f.rows, 0) !== totalRows) throw new Error('export files do not hold every released record');
        timings.write = lap();
        // The proof: the files as written, grouped on the released QI columns.
        const kAnonymity = await checkFiles(conn, tmp, options.format, classKey, k);
        timings.check = lap();
        if (!kAnonymity.kAnonymous || kAnonymity.rows !== totalRows) throw new Error(`export failed its k-anonymity check: ${JSON.stringify(kAnonymity)}`);
        return { search, partitionKind, files, totalRows, kAnonymity, temporal: { start: first === null || first === undefined ? null : String(first), end: last === null || last === undefined ? null : String(last) } } as const;
      } finally {
        await conn.run(`drop table if exists ${table}`);
      }
    });
    const levels = result?.search.levels ?? { ...BOTTOM };
    const files = result?.files ?? [];
    const distributions: DcatDistributionInput[] = files.map((f) => ({
      name: f.name,
      format: options.format,
      rows: f.rows,
      bytes: f.bytes,
      period: f.name.match(/(\d{4}(?:-\d{2}|-Q[1-4])?)/)?.[1] ?? '',
    }));
    const baseUrl = options.catalog.baseUrl;
    const catalog = buildCatalog({
      baseUrl,
      filesUrl: options.catalog.filesUrl ?? `${baseUrl.replace(/\/+$/, '')}/opendata/archive`,
      datasetId: options.catalog.datasetId ?? 'archivio-contatti-urp',
      rightsHolder: options.catalog.rightsHolder,
      ...(options.catalog.publisher && { publisher: options.catalog.publisher }),
      contact: options.catalog.contact,
      modified: now,
      issued: now,
      temporal: result?.temporal ?? { start: null, end: null },
      distributions,
      k,
      periodGranularity: LADDERS.period[levels.period]!,
      includesText: includeText,
    });
    writeFileSync(path.join(tmp, CATALOG_FILE), `${JSON.stringify(catalog, null, 2)}\n`);
    if (!result) await options.onProgress?.({ rowsWritten: 0, totalRows: 0 });
    publish(tmp, options.outDir);
    const totalRecords = result?.search.total ?? 0;
    const rows = result?.totalRows ?? 0;
    return {
      format: options.format,
      outDir: path.resolve(options.outDir),
      includeText,
      totalRecords,
      rows,
      suppressedRows: totalRecords - rows,
      k,
      levels,
      generalisation: Object.fromEntries(Object.entries(levels).map(([q, l]) => [q, LADDERS[q as keyof Levels][l]!])) as Record<keyof Levels, string>,
      informationLoss: result?.search.informationLoss ?? 0,
      kAnonymity: result?.kAnonymity ?? reportFromClassSizes([], k),
      partition: result?.partitionKind ?? 'month',
      files: [...files, { name: CATALOG_FILE, rows: 0, bytes: statSync(path.join(options.outDir, CATALOG_FILE)).size }],
      seconds: (performance.now() - started) / 1000,
      timings,
    };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/**
 * The files DuckDB wrote (`<kind>=<period>/part-<i>.<ext>`), with their rows. CSV files are moved to
 * `archive-<period>.csv` (`archive-<period>-<i>.csv` when DuckDB split a partition).
 */
async function describeFiles(conn: DuckDBConnection, dir: string, format: ExportFormat, kind: string): Promise<ExportedFile[]> {
  const ext = format === 'parquet' ? 'parquet' : 'csv';
  const written = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith(`.${ext}`))
    .sort();
  if (written.length === 0) return [];
  const reader = format === 'parquet' ? `read_parquet(${quote(path.join(dir, '*', '*.parquet'))}, hive_partitioning = false, filename = true)` : `read_csv(${quote(path.join(dir, '*', '*.csv'))}, header = true, all_varchar = true, filename = true)`;
  const counts = new Map(
    (await conn.runAndReadAll(`select filename, count(*) from ${reader} group by filename`)).getRows().map(([f, n]) => [path.relative(dir, String(f)).split(path.sep).join('/'), Number(n)]),
  );
  const files: ExportedFile[] = [];
  for (const name of written) {
    const match = new RegExp(`^${kind}=([^/]+)/part-(\\d+)\\.${ext}$`).exec(name);
    const period = match?.[1] ?? '';
    if (!match || !PARTITION_VALUE.test(period)) throw new Error(`unexpected export file ${name}`);
    let finalName = name;
    if (format === 'csv') {
      const split = written.filter((w) => w.startsWith(`${kind}=${period}/`)).length > 1;
      finalName = `archive-${period}${split ? `-${match[2]}` : ''}.csv`;
      renameSync(path.join(dir, name), path.join(dir, finalName));
    }
    files.push({ name: finalName, rows: counts.get(name) ?? 0, bytes: statSync(path.join(dir, finalName)).size });
  }
  if (format === 'csv') for (const d of readdirSync(dir)) if (d.startsWith(`${kind}=`)) rmSync(path.join(dir, d), { recursive: true });
  return files;
}

/** Reads the written files back and reports k-anonymity on the released QI columns. */
async function checkFiles(conn: DuckDBConnection, dir: string, format: ExportFormat, classKey: readonly string[], k: number): Promise<KAnonymityReport> {
  const anyFile = readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((f) => f.endsWith(`.${format}`));
  if (!anyFile) return reportFromClassSizes([], k);
  const files =
    format === 'parquet'
      ? `read_parquet(${quote(path.join(dir, '*', '*.parquet'))}, hive_partitioning = false)`
      : `read_csv(${quote(path.join(dir, '*.csv'))}, header = true, all_varchar = true)`;
  const sizes = (await conn.runAndReadAll(`select count(*) from ${files} group by ${classKey.join(', ')}`)).getRows().map((r) => Number(r[0]));
  return reportFromClassSizes(sizes, k);
}
