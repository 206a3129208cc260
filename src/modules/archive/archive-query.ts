/**
 * Analyst queries over the anonymised archive (issue 13): the Parquet files under
 * `${dataDir}/archive/month=YYYY-MM/*.parquet`, read by DuckDB. One in-memory DuckDB instance per
 * process, opened on first use and closed with the app; a few connections are pooled.
 *
 * What leaves here is already safe to show an analyst:
 * - every aggregate goes through small-cell suppression (small-cells.ts) before it is returned, and
 *   duration statistics are given only for groups of at least `MIN_GROUP_FOR_STATS` records whose
 *   count is published;
 * - the record list (with the scrubbed text) is given as archived only when the filtered set is
 *   k-anonymous on the quasi-identifiers; otherwise its QI columns are generalised by the same
 *   search as the open-data export, and records left in classes under k are not listed.
 *
 * Filters reach DuckDB as bound parameters only; the SQL text is built from fixed fragments.
 * An archive without files answers with empty results.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import {
  BOTTOM,
  DEFAULT_K,
  generaliseTerritory,
  type Levels,
  type NodeEvaluator,
  QUASI_IDENTIFIERS,
  type QuasiIdentifier,
  type SearchResult,
  searchGeneralisation,
  SUPPRESSED,
  type TerritoryLadder,
} from './k-anonymity.js';
import { DEFAULT_SMALL_CELL_THRESHOLD, type CellStatus, suppressTable } from './small-cells.js';

/** Where the archive's Parquet files live. */
export const archiveDir = (dataDir: string): string => path.join(dataDir, 'archive');

/** A territory with a version (the territory module's `Territory` fits). */
export interface VersionedTerritory extends TerritoryLadder {
  readonly version: string;
}

/** Quotes a string literal for SQL (paths from the configuration only, never request input). */
const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

export interface ArchiveEngineOptions {
  /** DuckDB worker threads (default: DuckDB's, the number of CPUs). */
  threads?: number;
  /** Pooled connections (default 4). */
  maxConnections?: number;
}

/** The process's DuckDB over the archive: opened lazily, pooled, closed once. */
export class ArchiveEngine {
  private instance: Promise<DuckDBInstance> | null = null;
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiting: ((c: DuckDBConnection) => void)[] = [];
  private open = 0;
  private closed = false;
  private territoryTable: Promise<string> | null = null;
  private territoryKey = '';
  /** Chosen generalisations of record lists, by filter and archive state (a few entries). */
  readonly levelsCache = new Map<string, SearchResult>();

  constructor(
    readonly dir: string,
    private readonly options: ArchiveEngineOptions = {},
  ) {}

  /** The archive's complete Parquet files (`month=*` directories), sorted. */
  files(): string[] {
    if (!existsSync(this.dir)) return [];
    const out: string[] = [];
    for (const month of readdirSync(this.dir, { withFileTypes: true })) {
      if (!month.isDirectory() || !/^month=\d{4}-\d{2}$/.test(month.name)) continue;
      for (const f of readdirSync(path.join(this.dir, month.name))) if (f.endsWith('.parquet')) out.push(path.join(this.dir, month.name, f));
    }
    return out.sort();
  }

  /** A fingerprint of the archive's files (names, sizes, times): caches are valid while it holds. */
  signature(): string {
    const h = createHash('sha256');
    for (const f of this.files()) {
      const s = statSync(f);
      h.update(`${f}\0${s.size}\0${s.mtimeMs}\n`);
    }
    return h.digest('hex').slice(0, 16);
  }

  /** The archive as a DuckDB table expression, or null when it has no files. */
  source(): string | null {
    if (this.files().length === 0) return null;
    return `read_parquet(${literal(path.join(this.dir, 'month=*', '*.parquet'))}, hive_partitioning = true, union_by_name = true)`;
  }

  /** Runs `fn` on a pooled connection. */
  async use<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('archive engine closed');
    const conn = await this.acquire();
    try {
      return await fn(conn);
    } finally {
      this.release(conn);
    }
  }

  private async acquire(): Promise<DuckDBConnection> {
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.open < (this.options.maxConnections ?? 4)) {
      this.open++;
      this.instance ??= DuckDBInstance.create(':memory:', this.options.threads ? { threads: String(this.options.threads) } : {});
      try {
        return await (await this.instance).connect();
      } catch (err) {
        this.open--;
        throw err;
      }
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(conn: DuckDBConnection): void {
    const next = this.waiting.shift();
    if (next) next(conn);
    else if (this.closed) conn.closeSync();
    else this.idle.push(conn);
  }

  /**
   * The table mapping every territory code of the archive to its province and region (levels 1 and
   * 2 of the territory ladder, computed by `generaliseTerritory`, so that SQL and memory agree).
   * Rebuilt when the files or the territory change.
   */
  async territoryMap(territory: VersionedTerritory): Promise<string> {
    const key = `${this.signature()}/${territory.version}`;
    if (this.territoryTable && this.territoryKey === key) return this.territoryTable;
    this.territoryKey = key;
    const name = `archive_territory_${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
    const source = this.source();
    this.territoryTable = this.use(async (conn) => {
      await conn.run(`create table if not exists ${name} (code varchar primary key, t1 varchar, t2 varchar)`);
      const existing = Number((await conn.runAndReadAll(`select count(*) from ${name}`)).getRows()[0]?.[0] ?? 0);
      if (existing > 0 || !source) return name;
      const codes = (await conn.runAndReadAll(`select distinct territory_code from ${source} where territory_code is not null`)).getRows().map((r) => String(r[0]));
      const appender = await conn.createAppender(name);
      for (const code of codes) {
        appender.appendVarchar(code);
        for (const level of [1, 2]) {
          const g = generaliseTerritory(code, level, territory);
          if (g === null) appender.appendNull();
          else appender.appendVarchar(g);
        }
        appender.endRow();
      }
      appender.closeSync();
      return name;
    });
    this.territoryTable.catch(() => {
      this.territoryTable = null;
    });
    return this.territoryTable;
  }

  /** Closes the connections and the instance; later calls fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.idle.splice(0)) c.closeSync();
    if (this.instance) (await this.instance).closeSync();
  }
}

// ——— Filters ———

export const ARCHIVE_SOURCES = ['ticket', 'historical'] as const;

export interface ArchiveFilter {
  organisationId?: string;
  officeId?: string;
  /** A taxonomy code: the code itself and the codes under it (`tributi` matches `tributi.tari`). */
  topic?: string;
  channel?: string;
  /** An ISTAT code of a comune, province or region: the records in it. */
  territory?: string;
  /** Opening day range, YYYY-MM-DD, inclusive. */
  from?: string;
  to?: string;
  source?: (typeof ARCHIVE_SOURCES)[number];
}

export interface Where {
  sql: string;
  params: Record<string, DuckDBValue>;
}

/** The WHERE clause of a filter over `r` (the archive) joined with `tm` (the territory map). */
export function filterClause(f: ArchiveFilter): Where {
  const parts: string[] = [];
  const params: Record<string, DuckDBValue> = {};
  if (f.organisationId) {
    parts.push('r.organisation_id = $organisation');
    params.organisation = f.organisationId;
  }
  if (f.officeId) {
    parts.push('r.office_id = $office');
    params.office = f.officeId;
  }
  if (f.topic) {
    parts.push("(r.topic_code = $topic or starts_with(r.topic_code, $topic || '.'))");
    params.topic = f.topic;
  }
  if (f.channel) {
    parts.push('r.channel = $channel');
    params.channel = f.channel;
  }
  if (f.territory) {
    parts.push('(r.territory_code = $territory or tm.t1 = $territory or tm.t2 = $territory)');
    params.territory = f.territory;
  }
  if (f.from) {
    parts.push('r.opened_day >= cast($from as date)');
    params.from = f.from;
  }
  if (f.to) {
    parts.push('r.opened_day <= cast($to as date)');
    params.to = f.to;
  }
  if (f.source) {
    parts.push('r.source = $source');
    params.source = f.source;
  }
  return { sql: parts.length ? `where ${parts.join(' and ')}` : '', params };
}

/** The archive joined with its territory map, filtered: a FROM clause over `r` and `tm`. */
export function fromFiltered(source: string, territoryTable: string, f: ArchiveFilter): Where {
  const where = filterClause(f);
  return { sql: `${source} r left join ${territoryTable} tm on tm.code = r.territory_code ${where.sql}`, params: where.params };
}

// ——— Generalisation in SQL (mirrors k-anonymity.ts) ———

/** The period of `r.opened_day` (a DATE) at a level of the ladder. */
export function periodSql(level: number, day = 'r.opened_day'): string {
  if (level <= 0) return `strftime(${day}, '%Y-%m-%d')`;
  if (level === 1) return `strftime(${day}, '%Y-%m')`;
  if (level === 2) return `strftime(${day}, '%Y') || '-Q' || cast(quarter(${day}) as varchar)`;
  return `strftime(${day}, '%Y')`;
}

/**
 * The lattice search's view of the records: for each QI, one column per level below the top, holding
 * a 64-bit hash of the value at that level (the period as integers: day number, year·12+month,
 * year·4+quarter, year). Higher levels are functions of lower ones, so a group on any set of them is
 * a group on the generalised values; and grouping 64-bit integers is several times faster than
 * grouping strings. A collision (p ≈ 10⁻¹⁹ per pair of values) could only merge two classes in the
 * search's estimate: the export checks the files it wrote with the real values.
 */
const LEVEL_COLUMNS: { readonly [Q in QuasiIdentifier]: readonly string[] } = {
  office: ['o0', 'o1'],
  period: ['p0', 'p1', 'p2', 'p3'],
  topic: ['tp0', 'tp1'],
  territory: ['t0', 't1', 't2'],
  channel: ['c0'],
};
const LEVEL_SQL: Record<string, string> = {
  o0: "hash(r.organisation_id || '/' || coalesce(r.office_id, ''))",
  o1: 'hash(r.organisation_id)',
  p0: "date_diff('day', date '1970-01-01', r.opened_day)",
  p1: 'year(r.opened_day) * 12 + month(r.opened_day)',
  p2: 'year(r.opened_day) * 4 + quarter(r.opened_day)',
  p3: 'year(r.opened_day)',
  tp0: 'hash(r.topic_code)',
  tp1: "hash(split_part(r.topic_code, '.', 1))",
  t0: 'hash(r.territory_code)',
  t1: 'hash(tm.t1)',
  t2: 'hash(tm.t2)',
  c0: 'hash(r.channel)',
};
/** The columns that identify a class at `levels` (a QI at the top of its ladder is one value: no column). */
const keyColumns = (levels: Levels) => QUASI_IDENTIFIERS.flatMap((q) => LEVEL_COLUMNS[q].slice(levels[q], levels[q] + 1));
let tableCounter = 0;

/**
 * Evaluates lattice nodes in DuckDB over a filtered archive: the records' QIs are first projected
 * once into the level columns above (`base`), then each node is one GROUP BY over it.
 */
export async function sqlEvaluator(conn: DuckDBConnection, from: Where): Promise<NodeEvaluator & { drop(): Promise<void> }> {
  const base = `k_base_${++tableCounter}`;
  const all = QUASI_IDENTIFIERS.flatMap((q) => LEVEL_COLUMNS[q]);
  await conn.run(`create temp table ${base} as select ${all.map((c) => `${LEVEL_SQL[c]} as ${c}`).join(', ')} from ${from.sql}`, from.params);
  const one = async (sql: string, params: Record<string, DuckDBValue> = {}) => Number((await conn.runAndReadAll(sql, params)).getRows()[0]?.[0] ?? 0);
  return {
    total: () => one(`select count(*) from ${base}`),
    async smallClassRows(levels, k) {
      const keys = keyColumns(levels);
      return one(`select coalesce(sum(s), 0) from (select count(*) as s from ${base} ${keys.length ? `group by ${keys.join(', ')}` : ''}) where s < $k`, { k });
    },
    async drop() {
      await conn.run(`drop table if exists ${base}`);
    },
  };
}

export type ReleasedQiColumn = 'organisation_id' | 'organisation_ipa' | 'office_id' | 'channel' | 'topic_code' | 'territory_code' | 'territory_level' | 'period';

/** The released (generalised) QI columns of `r` at `levels`: expression per column, and the columns of an equivalence class. */
export function releasedQiSql(levels: Levels): { columns: Record<ReleasedQiColumn, string>; select: string[]; classKey: string[] } {
  const territory = levels.territory <= 0 ? 'r.territory_code' : levels.territory >= 3 ? `'${SUPPRESSED}'` : `tm.t${levels.territory}`;
  const columns: Record<ReleasedQiColumn, string> = {
    organisation_id: levels.office >= 2 ? `'${SUPPRESSED}'` : 'r.organisation_id',
    organisation_ipa: levels.office >= 2 ? `'${SUPPRESSED}'` : 'r.organisation_ipa',
    office_id: levels.office >= 1 ? 'cast(null as varchar)' : 'r.office_id',
    channel: levels.channel >= 1 ? `'${SUPPRESSED}'` : 'r.channel',
    topic_code: levels.topic <= 0 ? 'r.topic_code' : levels.topic === 1 ? "split_part(r.topic_code, '.', 1)" : `'${SUPPRESSED}'`,
    territory_code: territory,
    territory_level: `case when ${territory} is null or ${territory} = '${SUPPRESSED}' then null when length(${territory}) = 2 then 'regione' when length(${territory}) = 3 then 'provincia' else 'comune' end`,
    period: periodSql(levels.period),
  };
  return {
    columns,
    select: Object.entries(columns).map(([name, expr]) => `${expr} as ${name}`),
    classKey: ['organisation_id', 'office_id', 'period', 'topic_code', 'territory_code', 'channel'],
  };
}

/** Runs the generalisation search over a filtered archive in DuckDB. */
export async function searchArchive(conn: DuckDBConnection, from: Where, options: { k: number; maxSuppressionRate?: number; minLevels?: Partial<Levels> }): Promise<SearchResult> {
  const evaluator = await sqlEvaluator(conn, from);
  try {
    return await searchGeneralisation(evaluator, options);
  } finally {
    await evaluator.drop();
  }
}

// ——— Aggregates ———

export const AGGREGATE_DIMENSIONS = ['topic', 'topic_root', 'channel', 'organisation', 'office', 'territory', 'province', 'region', 'source', 'outcome'] as const;
export type AggregateDimension = (typeof AGGREGATE_DIMENSIONS)[number];
export const PERIOD_GRANULARITIES = ['month', 'week', 'day'] as const;
export type PeriodGranularity = (typeof PERIOD_GRANULARITIES)[number];

const DIMENSION_SQL: Record<AggregateDimension, string> = {
  topic: 'r.topic_code',
  topic_root: "split_part(r.topic_code, '.', 1)",
  channel: 'r.channel',
  organisation: 'r.organisation_ipa',
  office: 'r.office_id',
  territory: 'r.territory_code',
  province: 'tm.t1',
  region: 'tm.t2',
  source: 'r.source',
  outcome: 'r.outcome',
};
const GRANULARITY_SQL: Record<PeriodGranularity, string> = {
  month: "strftime(r.opened_day, '%Y-%m')",
  week: "strftime(r.opened_day, '%G-W%V')",
  day: "strftime(r.opened_day, '%Y-%m-%d')",
};

/** Duration statistics are published only for groups at least this large (a median of 4 is nearly a record). */
export const MIN_GROUP_FOR_STATS = 10;

export interface DurationStats {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
}

export interface AggregateGroup {
  /** The dimension's value (null: not recorded). */
  key: string | null;
  counts: (number | null)[];
  status: CellStatus[];
  total: number | null;
  firstResponseMinutes: DurationStats | null;
  resolutionMinutes: DurationStats | null;
}

export interface AggregateResult {
  dimension: AggregateDimension;
  granularity: PeriodGranularity;
  threshold: number;
  periods: string[];
  groups: AggregateGroup[];
  /** Per period, over all groups. */
  totals: (number | null)[];
  total: number | null;
  suppressed: { primary: number; secondary: number };
  /** Groups beyond `limit`, merged into one group with key `*` (so that totals still add up). */
  otherGroups: number;
}

export interface AggregateQuery {
  dimension: AggregateDimension;
  granularity: PeriodGranularity;
  filter?: ArchiveFilter;
  threshold?: number;
  /** Most groups listed, the largest first (default 50); the others are merged. */
  limit?: number;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

/** Counts by a dimension and period, with duration statistics; small cells suppressed. */
export async function aggregateArchive(engine: ArchiveEngine, territory: VersionedTerritory, q: AggregateQuery): Promise<AggregateResult> {
  const threshold = q.threshold ?? DEFAULT_SMALL_CELL_THRESHOLD;
  const limit = q.limit ?? 50;
  const empty: AggregateResult = { dimension: q.dimension, granularity: q.granularity, threshold, periods: [], groups: [], totals: [], total: 0, suppressed: { primary: 0, secondary: 0 }, otherGroups: 0 };
  const source = engine.source();
  if (!source) return empty;
  const tmap = await engine.territoryMap(territory);
  const from = fromFiltered(source, tmap, q.filter ?? {});
  const dim = DIMENSION_SQL[q.dimension];
  const rows = await engine.use(async (conn) => {
    const reader = await conn.runAndReadAll(
      `select ${dim} as g, ${GRANULARITY_SQL[q.granularity]} as p, count(*) as n,
         avg(r.first_response_minutes) as fr_mean, quantile_cont(r.first_response_minutes, 0.5) as fr_p50, quantile_cont(r.first_response_minutes, 0.9) as fr_p90, count(r.first_response_minutes) as fr_n,
         avg(r.resolution_minutes) as rs_mean, quantile_cont(r.resolution_minutes, 0.5) as rs_p50, quantile_cont(r.resolution_minutes, 0.9) as rs_p90, count(r.resolution_minutes) as rs_n
       from ${from.sql} group by grouping sets ((g, p), (g))`,
      from.params,
    );
    return reader.getRowObjectsJS();
  });
  if (rows.length === 0) return empty;
  const groupTotals = new Map<string | null, { n: number; row: Record<string, unknown> }>();
  const cells = new Map<string, number>();
  const periodSet = new Set<string>();
  for (const row of rows) {
    const g = row.g === null ? null : String(row.g);
    if (row.p === null) groupTotals.set(g, { n: Number(row.n), row });
    else {
      periodSet.add(String(row.p));
      cells.set(JSON.stringify([g, String(row.p)]), Number(row.n));
    }
  }
  const periods = [...periodSet].sort();
  const ranked = [...groupTotals.entries()].sort((a, b) => b[1].n - a[1].n || String(a[0]).localeCompare(String(b[0])));
  const listed = ranked.slice(0, limit);
  const others = ranked.slice(limit);
  const tableRows = listed.map(([g]) => periods.map((p) => cells.get(JSON.stringify([g, p])) ?? 0));
  if (others.length > 0) tableRows.push(periods.map((p) => others.reduce((s, [g]) => s + (cells.get(JSON.stringify([g, p])) ?? 0), 0)));
  const published = suppressTable({ rows: tableRows.map((_, i) => String(i)), columns: periods, cells: tableRows }, threshold);
  const stats = (row: Record<string, unknown>, prefix: 'fr' | 'rs', groupPublished: boolean): DurationStats | null => {
    const count = Number(row[`${prefix}_n`] ?? 0);
    if (!groupPublished || count < Math.max(MIN_GROUP_FOR_STATS, threshold + 1)) return null;
    return { count, mean: round1(num(row[`${prefix}_mean`])), p50: round1(num(row[`${prefix}_p50`])), p90: round1(num(row[`${prefix}_p90`])) };
  };
  const groups: AggregateGroup[] = published.cells.map((counts, i) => {
    const isOther = i >= listed.length;
    const key = isOther ? SUPPRESSED : listed[i]![0];
    const total = published.rowTotals[i] ?? null;
    const row = isOther ? null : groupTotals.get(key)!.row;
    return {
      key,
      counts,
      status: published.status.cells[i]!,
      total,
      firstResponseMinutes: row ? stats(row, 'fr', total !== null) : null,
      resolutionMinutes: row ? stats(row, 'rs', total !== null) : null,
    };
  });
  return { dimension: q.dimension, granularity: q.granularity, threshold, periods, groups, totals: published.columnTotals, total: published.total, suppressed: published.suppressed, otherGroups: others.length };
}

// ——— Records ———

export interface ArchiveRecordView {
  recordId: string;
  source: string;
  organisationId: string;
  organisationIpa: string | null;
  officeId: string | null;
  channel: string | null;
  taxonomyVersion: string;
  topicCode: string | null;
  territoryCode: string | null;
  territoryLevel: string | null;
  /** The opening period at the level the list was generalised to (YYYY-MM-DD as archived). */
  period: string;
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
  officesInvolved: number;
  handoffs: number;
  outcome: string | null;
  satisfaction: number | null;
  /** The text with personal data replaced by placeholders. */
  text: string;
  /** Only when the topic is not generalised (the classification names the full topic). */
  classification: unknown;
}

export interface RecordsPage {
  items: ArchiveRecordView[];
  /** Records listed by this filter (after suppression). */
  total: number;
  /** The QI levels applied: all 0 when the filtered set is k-anonymous as archived. */
  levels: Levels;
  generalised: boolean;
  /** Records of the filter left out because they sit in classes under k. */
  suppressed: number;
  k: number;
}

export interface RecordsQuery {
  filter?: ArchiveFilter;
  limit: number;
  offset: number;
  k?: number;
}

const parseJson = (s: unknown): unknown => {
  if (typeof s !== 'string') return null;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
};

/** A page of records, k-anonymous on the QIs (generalised when the filtered set is not). */
export async function listArchiveRecords(engine: ArchiveEngine, territory: VersionedTerritory, q: RecordsQuery): Promise<RecordsPage> {
  const k = q.k ?? DEFAULT_K;
  const source = engine.source();
  if (!source) return { items: [], total: 0, levels: { ...BOTTOM }, generalised: false, suppressed: 0, k };
  const tmap = await engine.territoryMap(territory);
  const from = fromFiltered(source, tmap, q.filter ?? {});
  const cacheKey = JSON.stringify([engine.signature(), territory.version, q.filter ?? {}, k]);
  return engine.use(async (conn) => {
    let search = engine.levelsCache.get(cacheKey);
    if (!search) {
      search = await searchArchive(conn, from, { k });
      if (engine.levelsCache.size >= 64) engine.levelsCache.delete(engine.levelsCache.keys().next().value!);
      engine.levelsCache.set(cacheKey, search);
    }
    const { select, classKey } = releasedQiSql(search.levels);
    const released = `select r.record_id, r.source, r.taxonomy_version, r.first_response_minutes, r.resolution_minutes, r.offices_involved, r.handoffs, r.outcome, r.satisfaction,
        r.text, ${search.levels.topic === 0 ? 'r.classification_json' : 'cast(null as varchar)'} as classification_json, r.opened_day, ${select.join(', ')}
      from ${from.sql}`;
    const kept = `select * exclude (class_size) from (select *, count(*) over (partition by ${classKey.join(', ')}) as class_size from (${released})) where class_size >= $k`;
    const total = Number((await conn.runAndReadAll(`select count(*) from (${kept})`, { ...from.params, k })).getRows()[0]?.[0] ?? 0);
    const rows = (
      await conn.runAndReadAll(`${kept} order by opened_day desc, record_id limit $limit offset $offset`, { ...from.params, k, limit: q.limit, offset: q.offset })
    ).getRowObjectsJS();
    const items = rows.map(
      (r): ArchiveRecordView => ({
        recordId: String(r.record_id),
        source: String(r.source),
        organisationId: String(r.organisation_id),
        organisationIpa: str(r.organisation_ipa),
        officeId: str(r.office_id),
        channel: str(r.channel),
        taxonomyVersion: String(r.taxonomy_version),
        topicCode: str(r.topic_code),
        territoryCode: str(r.territory_code),
        territoryLevel: str(r.territory_level),
        period: String(r.period),
        firstResponseMinutes: num(r.first_response_minutes),
        resolutionMinutes: num(r.resolution_minutes),
        officesInvolved: Number(r.offices_involved ?? 0),
        handoffs: Number(r.handoffs ?? 0),
        outcome: str(r.outcome),
        satisfaction: num(r.satisfaction),
        text: String(r.text ?? ''),
        classification: parseJson(r.classification_json),
      }),
    );
    const generalised = QUASI_IDENTIFIERS.some((qi) => search.levels[qi] > 0);
    return { items, total, levels: search.levels, generalised, suppressed: search.suppressedRows, k };
  });
}
