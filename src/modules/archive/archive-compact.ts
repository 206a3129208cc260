/**
 * Compaction: staged archive records become Parquet files, one month at a time, under
 * `${dataDir}/archive/month=YYYY-MM/part-<partId>.parquet` (hive partitioning: `month` is the
 * directory, not a column of the file). Three steps, each redone after a crash:
 *
 *   (a) one transaction assigns up to `maxRowsPerPart` staged rows of a month to a new part (`writing`);
 *   (b) the part's rows are read by DuckDB (as JSON lines written by PostgreSQL) and written to a temporary file in
 *       `${dataDir}/archive/.staging/`, which is synced and renamed into place: readers globbing
 *       `month=*\/*.parquet` only ever see complete files, and rewriting a part gives the same rows;
 *   (c) one transaction deletes the part's staged rows and marks it `written`.
 *
 * A part left `writing` (crash between the steps) is finished first by the next compaction: (b)
 * again, then (c). Rows are ordered by closing day, topic and record id inside a file, never by
 * insertion order (which would line records up with the order tickets were archived in).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Database } from '../../db/database.js';
import * as repo from './archive.repository.js';

/** Rows per Parquet file: ~50–100 MB of Parquet, and a DuckDB table that fits comfortably in memory. */
export const MAX_ROWS_PER_PART = 250_000;
/** Rows per read from the database while filling DuckDB. */
const TRANSFER_PAGE = 10_000;

/** The columns of the JSON lines read by DuckDB, dates as text until the final cast. */
const DUCK_COLUMNS: readonly [keyof repo.StagedRow, 'VARCHAR' | 'INTEGER'][] = [
  ['record_id', 'VARCHAR'], ['source', 'VARCHAR'], ['organisation_id', 'VARCHAR'], ['organisation_ipa', 'VARCHAR'], ['office_id', 'VARCHAR'],
  ['channel', 'VARCHAR'], ['taxonomy_version', 'VARCHAR'], ['topic_code', 'VARCHAR'], ['classification_json', 'VARCHAR'], ['territory_code', 'VARCHAR'],
  ['territory_level', 'VARCHAR'], ['opened_day', 'VARCHAR'], ['opened_hour', 'INTEGER'], ['closed_day', 'VARCHAR'], ['first_response_minutes', 'INTEGER'],
  ['resolution_minutes', 'INTEGER'], ['offices_involved', 'INTEGER'], ['handoffs', 'INTEGER'], ['outcome', 'VARCHAR'], ['satisfaction', 'INTEGER'],
  ['text', 'VARCHAR'], ['pii_counts', 'VARCHAR'],
];

/** The files' schema: what readers see (dates as DATE, the hour and satisfaction as small integers). */
const FILE_SELECT = DUCK_COLUMNS.map(([c]) =>
  c === 'opened_day' || c === 'closed_day' ? `cast(${c} as DATE) as ${c}` : c === 'opened_hour' || c === 'satisfaction' ? `cast(${c} as SMALLINT) as ${c}` : c,
).join(', ');

export const archiveRoot = (dataDir: string) => path.join(dataDir, 'archive');
export const partRelativePath = (month: string, partId: string) => `month=${month}/part-${partId}.parquet`;

export interface CompactOptions {
  maxRowsPerPart?: number;
  now?: () => Date;
  /** Between the steps of each part (tests inject a crash here). */
  afterStep?: (step: 'claimed' | 'written', part: repo.ArchivePart) => void | Promise<void>;
  onPart?: (part: repo.ArchivePart) => void;
}

export interface CompactResult {
  parts: number;
  records: number;
}

/**
 * Step (b): writes a part's rows to its Parquet file, atomically. Idempotent. Returns false, writing
 * nothing, when fewer rows than the part's count were found: another compaction finished the part
 * meanwhile (its rows are gone, its file is in place) and must not be overwritten by a partial copy.
 */
export async function writePartFile(db: Database, dataDir: string, part: repo.ArchivePart): Promise<boolean> {
  const root = archiveRoot(dataDir);
  const staging = path.join(root, '.staging');
  const target = path.join(root, part.path);
  await mkdir(staging, { recursive: true });
  await mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(staging, `part-${part.id}.${randomUUID().slice(0, 8)}.parquet`);
  // The rows travel as JSON lines written by PostgreSQL into files DuckDB reads: no value is handled one by one in JavaScript.
  const pages: string[] = [];
  try {
    let after: string | null = null;
    let copied = 0;
    for (;;) {
      const page = await repo.partRowsAsJsonLines(db, part.id, after, TRANSFER_PAGE);
      if (page.count === 0) break;
      const file = path.join(staging, `part-${part.id}.${randomUUID().slice(0, 8)}.${pages.length}.jsonl`);
      await writeFile(file, page.lines);
      pages.push(file);
      copied += page.count;
      if (page.count < TRANSFER_PAGE) break;
      after = page.last;
    }
    if (copied !== part.rowCount) return false;
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const connection = await instance.connect();
    try {
      const files = pages.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ');
      const columns = DUCK_COLUMNS.map(([c, t]) => `${c}: '${t}'`).join(', ');
      await connection.run(
        `copy (select ${FILE_SELECT} from read_ndjson([${files}], columns = {${columns}}) order by closed_day, topic_code, record_id) to '${temp.replaceAll("'", "''")}' (format parquet, compression zstd, row_group_size 100000)`,
      );
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  } finally {
    await Promise.all(pages.map((f) => rm(f, { force: true })));
  }
  const handle = await open(temp, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target).catch(async (err: unknown) => {
    await rm(temp, { force: true });
    throw err;
  });
  return true;
}

/** Compacts every staged record into Parquet: parts left half done first, then each month's staged rows. */
export async function compactArchive(db: Database, dataDir: string, options: CompactOptions = {}): Promise<CompactResult> {
  const now = options.now ?? (() => new Date());
  const limit = options.maxRowsPerPart ?? MAX_ROWS_PER_PART;
  const result: CompactResult = { parts: 0, records: 0 };
  const finish = async (part: repo.ArchivePart) => {
    if (!(await writePartFile(db, dataDir, part))) return;
    await options.afterStep?.('written', part);
    await db.transaction().execute((trx) => repo.finishPart(trx, part.id, now()));
    result.parts++;
    result.records += part.rowCount;
    options.onPart?.(part);
  };
  for (const part of await repo.writingParts(db)) await finish(part);
  for (const month of await repo.stagedMonths(db)) {
    for (;;) {
      const id = randomUUID();
      const part = await db.transaction().execute((trx) => repo.claimPart(trx, { id, month, path: partRelativePath(month, id) }, limit));
      if (!part) break;
      await options.afterStep?.('claimed', part);
      await finish(part);
      if (part.rowCount < limit) break;
    }
  }
  return result;
}
