/**
 * k-anonymity of the archive's releases (issue 13): every combination of quasi-identifiers (who
 * answered, when, about what, where, through which channel) that leaves the archive is shared by at
 * least k records, so that nobody who knows those facts about one contact can single it out.
 *
 * Each quasi-identifier has a generalisation ladder (level 0 is the value as archived):
 *
 * | QI        | 0                          | 1               | 2         | 3      |
 * |-----------|----------------------------|-----------------|-----------|--------|
 * | office    | organisation + office      | organisation    | `*`       |        |
 * | period    | day (YYYY-MM-DD)           | month (YYYY-MM) | quarter (YYYY-Qn) | year (YYYY) |
 * | topic     | full code (`tributi.tari`) | root (`tributi`) | `*`      |        |
 * | territory | as archived (comune, or provincia for small comuni) | provincia | regione | `*` |
 * | channel   | channel                    | `*`             |           |        |
 *
 * The search is a greedy top-down specialisation (as in Fung, Wang & Yu's TDS): from the top of
 * every ladder it steps one QI down at a time — the step that regains the most information, among
 * those that leave at most `maxSuppressionRate` of the records in classes under k — until no QI can
 * step down. The node reached is locally minimal (the property tests check it). The records still
 * in classes under k are suppressed (removed) and counted. The lattice has 288 nodes; the search
 * evaluates a few dozen, mostly coarse ones (few classes, cheap GROUP BYs in DuckDB for the export,
 * in memory here), which keeps a release of millions of records within seconds.
 *
 * Everything here is pure; the evaluation of a node is behind `NodeEvaluator`, implemented in
 * memory below and in SQL by archive-query.ts.
 */

export const QUASI_IDENTIFIERS = ['office', 'period', 'topic', 'territory', 'channel'] as const;
export type QuasiIdentifier = (typeof QUASI_IDENTIFIERS)[number];

/** The names of the rungs of each ladder (index = level). */
export const LADDERS: { readonly [Q in QuasiIdentifier]: readonly string[] } = {
  office: ['office', 'organisation', '*'],
  period: ['day', 'month', 'quarter', 'year'],
  topic: ['topic', 'root', '*'],
  territory: ['recorded', 'provincia', 'regione', '*'],
  channel: ['channel', '*'],
};

/** The generalisation level of each QI: a node of the lattice. */
export type Levels = { [Q in QuasiIdentifier]: number };

export const BOTTOM: Readonly<Levels> = Object.freeze({ office: 0, period: 0, topic: 0, territory: 0, channel: 0 });
export const TOP: Readonly<Levels> = Object.freeze(
  Object.fromEntries(QUASI_IDENTIFIERS.map((q) => [q, LADDERS[q].length - 1])) as Levels,
);

/** The region and province of a territory code (the territory module's `Territory` fits). */
export interface TerritoryLadder {
  provinceOf(code: string): string | null;
  regionOf(code: string): string | null;
}

/** The quasi-identifying columns of an archive record, as archived. */
export interface QuasiIdentifyingRecord {
  organisation_id: string;
  office_id: string | null;
  /** YYYY-MM-DD. */
  opened_day: string;
  /** Null when the contact was never classified (the writer keeps it). */
  topic_code: string | null;
  territory_code: string | null;
  channel: string | null;
}

export const SUPPRESSED = '*';

/** The organisation-and-office key of level 0 (an office belongs to one organisation; a null office stays apart). */
export const officeKey = (organisationId: string, officeId: string | null): string => `${organisationId}/${officeId ?? ''}`;

/** YYYY-MM-DD → the period at `level`: day, month (YYYY-MM), quarter (YYYY-Qn), year (YYYY). */
export function generalisePeriod(day: string, level: number): string {
  if (level <= 0) return day;
  if (level === 1) return day.slice(0, 7);
  if (level === 2) return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
  return day.slice(0, 4);
}

/** `tributi.tari` → `tributi` (level 1) → `*` (level 2); an unclassified contact stays null below the top. */
export function generaliseTopic(code: string | null, level: number): string | null {
  if (level >= 2) return SUPPRESSED;
  if (level <= 0 || code === null) return code;
  return code.split('.')[0] ?? code;
}

/**
 * A territory code at `level`: as archived, its province (a region stays a region), its region, `*`.
 * A code the territory does not know becomes `*` as soon as it is generalised (never kept as is).
 * A null territory stays null up to the top (an absent place identifies nobody).
 */
export function generaliseTerritory(code: string | null, level: number, territory: TerritoryLadder): string | null {
  if (level <= 0) return code;
  if (level >= 3) return SUPPRESSED;
  if (code === null) return null;
  if (level === 1) return code.length === 2 ? code : (territory.provinceOf(code) ?? SUPPRESSED);
  return territory.regionOf(code) ?? SUPPRESSED;
}

/** The ISTAT level of a (generalised) territory code, from its length. */
export function territoryLevelOf(code: string | null): 'comune' | 'provincia' | 'regione' | null {
  if (code === null || code === SUPPRESSED) return null;
  return code.length === 2 ? 'regione' : code.length === 3 ? 'provincia' : 'comune';
}

/** The key of the QI at `level` for one record (the equivalence-class component). */
export function generalise(q: QuasiIdentifier, level: number, r: QuasiIdentifyingRecord, territory: TerritoryLadder): string | null {
  switch (q) {
    case 'office':
      return level <= 0 ? officeKey(r.organisation_id, r.office_id) : level === 1 ? r.organisation_id : SUPPRESSED;
    case 'period':
      return generalisePeriod(r.opened_day, level);
    case 'topic':
      return generaliseTopic(r.topic_code, level);
    case 'territory':
      return generaliseTerritory(r.territory_code, level, territory);
    case 'channel':
      return level <= 0 ? r.channel : SUPPRESSED;
  }
}

/**
 * Information lost at a node: the mean, over the QIs, of the height reached on each ladder (0: as
 * archived, 1: everything `*` / the year). Equal weights: no QI is worth more to the analysts than
 * another a priori, and the measure stays explainable.
 */
export function informationLoss(levels: Levels): number {
  return QUASI_IDENTIFIERS.reduce((sum, q) => sum + levels[q] / (LADDERS[q].length - 1), 0) / QUASI_IDENTIFIERS.length;
}

/** Evaluates lattice nodes over some data. */
export interface NodeEvaluator {
  /** Total records. */
  total(): Promise<number>;
  /** Records in equivalence classes smaller than k at `levels`. */
  smallClassRows(levels: Levels, k: number): Promise<number>;
}

export interface SearchOptions {
  k: number;
  /** Share of the records that may be suppressed instead of generalising further (default 0.02). */
  maxSuppressionRate?: number;
  /** Highest level allowed per QI (default: the top of each ladder). */
  maxLevels?: Partial<Levels>;
  /** Lowest level per QI (e.g. never publish the day: `{ period: 1 }`). */
  minLevels?: Partial<Levels>;
}

export interface SearchResult {
  levels: Levels;
  /** Records in classes under k at `levels`: they are suppressed. */
  suppressedRows: number;
  total: number;
  informationLoss: number;
  /** Nodes evaluated (for benches and logs). */
  evaluated: number;
  /** True when even the highest allowed node suppresses more than the allowed share. */
  overSuppressionLimit: boolean;
}

export const DEFAULT_K = 5;
export const DEFAULT_MAX_SUPPRESSION_RATE = 0.02;

const step = (levels: Levels, q: QuasiIdentifier, by: number): Levels => ({ ...levels, [q]: levels[q] + by });
const nodeKey = (levels: Levels) => QUASI_IDENTIFIERS.map((q) => levels[q]).join('');

/**
 * Chooses the generalisation: the least information loss found such that at most
 * `maxSuppressionRate` of the records sit in classes under k (greedy, then locally minimal).
 */
export async function searchGeneralisation(evaluator: NodeEvaluator, options: SearchOptions): Promise<SearchResult> {
  const { k } = options;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const maxRate = options.maxSuppressionRate ?? DEFAULT_MAX_SUPPRESSION_RATE;
  const ceiling = { ...TOP, ...options.maxLevels } as Levels;
  const floor = { ...BOTTOM, ...options.minLevels } as Levels;
  for (const q of QUASI_IDENTIFIERS) {
    ceiling[q] = Math.min(Math.max(ceiling[q], 0), TOP[q]);
    floor[q] = Math.min(Math.max(floor[q], 0), ceiling[q]);
  }
  const total = await evaluator.total();
  const allowed = Math.floor(total * maxRate);
  const cache = new Map<string, number>();
  const small = async (levels: Levels) => {
    const key = nodeKey(levels);
    let n = cache.get(key);
    if (n === undefined) {
      n = await evaluator.smallClassRows(levels, k);
      cache.set(key, n);
    }
    return n;
  };

  // Top-down specialisation: from the top of every ladder (always the least suppression), take the
  // one step down that regains the most information while at most `allowed` records stay in classes
  // under k, until no step down keeps that. Suppression only grows as QIs are specialised (a class
  // splits, it never merges), so the node reached is locally minimal: no QI can step down alone.
  let current = { ...ceiling };
  let suppressed = total === 0 ? 0 : await small(current);
  if (suppressed <= allowed) {
    for (;;) {
      let best: { q: QuasiIdentifier; suppressed: number; gain: number } | null = null;
      for (const q of QUASI_IDENTIFIERS) {
        if (current[q] <= floor[q]) continue;
        const n = await small(step(current, q, -1));
        if (n > allowed) continue;
        // Most information regained first (a step on a short ladder is worth more); then least suppression.
        const gain = 1 / (LADDERS[q].length - 1);
        if (!best || gain > best.gain || (gain === best.gain && n < best.suppressed)) best = { q, suppressed: n, gain };
      }
      if (!best) break;
      current = step(current, best.q, -1);
      suppressed = best.suppressed;
    }
  }
  return {
    levels: current,
    suppressedRows: suppressed,
    total,
    informationLoss: informationLoss(current),
    evaluated: cache.size,
    overSuppressionLimit: suppressed > allowed,
  };
}

/** Equivalence classes of rows on the given columns: key → size. */
function classSizes<R>(rows: readonly R[], key: (row: R) => string): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const row of rows) {
    const k = key(row);
    sizes.set(k, (sizes.get(k) ?? 0) + 1);
  }
  return sizes;
}

/** The key of a row on some columns (JSON: nulls and values containing separators stay distinct). */
const columnsKey = <R extends object>(columns: readonly (keyof R)[]) => (row: R) => JSON.stringify(columns.map((c) => row[c] ?? null));

/** In-memory evaluation of the lattice over archive records (tests, small releases). */
export function memoryEvaluator(rows: readonly QuasiIdentifyingRecord[], territory: TerritoryLadder): NodeEvaluator {
  const keyAt = (levels: Levels) => (r: QuasiIdentifyingRecord) => JSON.stringify(QUASI_IDENTIFIERS.map((q) => generalise(q, levels[q], r, territory)));
  return {
    total: async () => rows.length,
    async smallClassRows(levels, k) {
      let n = 0;
      for (const size of classSizes(rows, keyAt(levels)).values()) if (size < k) n += size;
      return n;
    },
  };
}

/** A record as released: its QI columns generalised (office to `*` also hides the organisation). */
export type GeneralisedRecord<R extends QuasiIdentifyingRecord> = Omit<R, 'opened_day'> & {
  period: string;
  territory_level: 'comune' | 'provincia' | 'regione' | null;
};

/** Applies `levels` to one record: the release's QI columns (period replaces the day). */
export function applyLevels<R extends QuasiIdentifyingRecord>(r: R, levels: Levels, territory: TerritoryLadder): GeneralisedRecord<R> {
  const { opened_day: _day, ...rest } = r;
  const territoryCode = generaliseTerritory(r.territory_code, levels.territory, territory);
  return {
    ...rest,
    organisation_id: levels.office >= 2 ? SUPPRESSED : r.organisation_id,
    office_id: levels.office >= 1 ? null : r.office_id,
    period: generalisePeriod(r.opened_day, levels.period),
    topic_code: generaliseTopic(r.topic_code, levels.topic),
    territory_code: territoryCode,
    territory_level: territoryLevelOf(territoryCode),
    channel: levels.channel >= 1 ? SUPPRESSED : r.channel,
  };
}

/** The released QI columns of a generalised record: what `kAnonymityReport` groups by. */
export const RELEASED_QI_COLUMNS = ['organisation_id', 'office_id', 'period', 'topic_code', 'territory_code', 'channel'] as const;

export interface AnonymisedRelease<R extends QuasiIdentifyingRecord> extends SearchResult {
  rows: GeneralisedRecord<R>[];
}

/** k-anonymises records in memory: the search, then generalisation and suppression of the rows in classes under k. */
export async function kAnonymise<R extends QuasiIdentifyingRecord>(
  rows: readonly R[],
  territory: TerritoryLadder,
  options: Partial<SearchOptions> = {},
): Promise<AnonymisedRelease<R>> {
  const k = options.k ?? DEFAULT_K;
  const result = await searchGeneralisation(memoryEvaluator(rows, territory), { ...options, k });
  const generalised = rows.map((r) => applyLevels(r, result.levels, territory));
  const key = columnsKey<GeneralisedRecord<R>>(RELEASED_QI_COLUMNS as readonly (keyof GeneralisedRecord<R>)[]);
  const sizes = classSizes(generalised, key);
  return { ...result, rows: generalised.filter((r) => (sizes.get(key(r)) ?? 0) >= k) };
}

export interface KAnonymityReport {
  rows: number;
  classes: number;
  /** Size of the smallest equivalence class (0 when there are no rows). */
  smallestClass: number;
  /** Classes smaller than k, and the rows in them. */
  violatingClasses: number;
  violatingRows: number;
  k: number;
  /** True when every class has at least k rows (an empty release is k-anonymous). */
  kAnonymous: boolean;
}

/** Checks k-anonymity of released rows on their quasi-identifying columns. */
export function kAnonymityReport<R extends object>(rows: readonly R[], qis: readonly (keyof R)[], k: number): KAnonymityReport {
  const sizes = classSizes(rows, columnsKey(qis));
  return reportFromClassSizes(sizes.values(), k);
}

/** The report from the sizes of the classes (the SQL check computes them with a GROUP BY). */
export function reportFromClassSizes(sizes: Iterable<number>, k: number): KAnonymityReport {
  let rows = 0;
  let classes = 0;
  let smallest = Number.POSITIVE_INFINITY;
  let violatingClasses = 0;
  let violatingRows = 0;
  for (const size of sizes) {
    rows += size;
    classes++;
    smallest = Math.min(smallest, size);
    if (size < k) {
      violatingClasses++;
      violatingRows += size;
    }
  }
  return { rows, classes, smallestClass: classes === 0 ? 0 : smallest, violatingClasses, violatingRows, k, kAnonymous: violatingClasses === 0 };
}
