/**
 * Competences at national scale (issue 11): the matrix "topic × territory → competent office"
 * uploaded by the network coordination, the coverage report of a region (which office answers
 * each topic in each comune, and where nobody does), and the in-memory index the directory and the
 * report read.
 *
 * The index is rebuilt when the competences change: `competence_revision` is bumped by a trigger
 * on every write (migration 0032) and each instance re-reads it at most every RECHECK_MS, so a
 * change made on one instance reaches the others within seconds; the instance that made it sees
 * it at once (`invalidateCompetenceIndex`, after commit). The territory's version is part of the
 * key: a refreshed ISTAT list re-maps the codes of merged comuni.
 */
import type { Database } from '../../db/database.js';
import { csvLine } from '../../platform/csv-writer.js';
import type { Trx } from '../../platform/http.js';
import type { Language } from '../../platform/messages.js';
import { bulkImportErrors, type CsvInput, type FileFailure, lineProblem as lineProblemOf, readCsvInput, SEPARATOR_NAMES } from '../identity/index.js';
import { currentTaxonomy, nodeLabel } from '../taxonomy/index.js';
import { loadTerritory, type Territory } from '../territory/index.js';
import { CompetenceIndex, type IndexedCompetence } from './competence-index.js';
import {
  type CompetenceLineProblem, type CompetenceNote, type CompetencePair, competenceDiff, fromPairs, type MatrixTerritory, type PlaceLevel, readCompetenceRows, toPairs,
} from './competence-rows.js';
import { competenceErrors, sharingErrors } from './sharing.errors.js';
import * as repo from './sharing.repository.js';

type Db = Database | Trx;

// ------------------------------------------------------------------------------------ the index

/** How long an instance trusts its index before checking the stored revision again. */
const RECHECK_MS = 2_000;

interface CachedIndex {
  revision: string;
  territoryVersion: string;
  index: CompetenceIndex;
  checkedAt: number;
}

/** One index per database (tests open several in one process; a server has one). */
const indexes = new WeakMap<object, CachedIndex>();

/** The network's competences, indexed by topic and territory; re-read only when they changed. */
export async function competenceIndex(db: Db): Promise<CompetenceIndex> {
  const territory = await loadTerritory(db);
  const cached = indexes.get(db);
  const now = Date.now();
  if (cached && cached.territoryVersion === territory.version && now - cached.checkedAt < RECHECK_MS) return cached.index;
  // The revision is read before the competences: a write in between makes the next check reload.
  const revision = await repo.competenceRevision(db);
  if (cached && cached.revision === revision && cached.territoryVersion === territory.version) {
    cached.checkedAt = now;
    return cached.index;
  }
  const index = new CompetenceIndex(await repo.listCompetences(db), territory);
  indexes.set(db, { revision, territoryVersion: territory.version, index, checkedAt: now });
  return index;
}

/** Makes the next read check the revision: called after a write commits on this instance. */
export function invalidateCompetenceIndex(db: Db): void {
  const cached = indexes.get(db);
  if (cached) cached.checkedAt = 0;
}

// ------------------------------------------------------------------------------------ the matrix

const LEVEL_OF_KIND = { comune: 'comune', provincia: 'province', regione: 'region' } as const satisfies Record<string, PlaceLevel>;

/** The territory as the matrix reads it: codes, successions and exact names (the territory's own index). */
function matrixTerritory(territory: Territory): MatrixTerritory {
  return {
    comune: (code) => territory.comune(code),
    successor: (code) => territory.successor(code),
    province: (code) => territory.province(code),
    region: (code) => (/^\d{2}$/.test(code) ? territory.region(code) : undefined),
    named: (name) => territory.named(name).map((p) => ({ level: LEVEL_OF_KIND[p.kind], code: p.code, name: p.name })),
  };
}

export interface CompetenceImportOptions {
  dryRun: boolean;
  /** `abort` (default): any bad line and nothing is written; `skip`: the good lines go in. */
  onBadLine: 'abort' | 'skip';
}

/** What changes for one office named in the matrix. */
export interface OfficeCompetenceChange {
  officeId: string;
  officeCode: string;
  officeName: string;
  organisationIpa: string;
  organisationName: string;
  added: CompetencePair[];
  removed: CompetencePair[];
}

export interface CompetenceImportReport {
  kind: 'competences';
  dryRun: boolean;
  onBadLine: 'abort' | 'skip';
  /** Whether anything was written (false on a dry run, or when nothing changed). */
  written: boolean;
  encoding: CsvInput['encoding'];
  separator: 'tab' | 'comma' | 'semicolon';
  columns: { used: string[]; ignored: string[]; unknown: string[] };
  /** Data lines read (the header excluded). */
  rows: number;
  /** Lines without problems. */
  accepted: number;
  /** Offices named by accepted lines: each ends with exactly the competences the file gives it. */
  offices: number;
  /** Offices whose competences change. */
  changedOffices: number;
  /** (topic, territory) pairs added and removed over all offices. */
  added: number;
  removed: number;
  problems: CompetenceLineProblem[];
  /** Lines accepted with a remark (a comune merged away, mapped to its successor). */
  notes: CompetenceNote[];
  /** Per office whose competences change: the pairs added and removed (territory null: the whole country). */
  changes: OfficeCompetenceChange[];
}

const FILE_FAILURES: Record<FileFailure['kind'], (f: FileFailure) => Error> = {
  empty: () => bulkImportErrors.emptyFile(),
  utf16: () => bulkImportErrors.utf16File(),
  binary: () => bulkImportErrors.binaryFile(),
  record_too_long: (f) => bulkImportErrors.recordTooLong({ line: f.kind === 'record_too_long' ? f.line : 0 }),
};

/**
 * Imports a competence matrix: every office named in the file ends with exactly the competences
 * the file gives it (rows of one office and topic merge their territories), offices not named are
 * untouched. All or nothing by default; with `onBadLine: 'skip'` the good lines go in. Two imports
 * at once run one after the other (advisory lock), each planned under the lock in the transaction
 * that writes. A dry run reports the same, per office, without writing.
 */
export async function importCompetences(db: Database, bytes: Uint8Array, options: CompetenceImportOptions): Promise<CompetenceImportReport> {
  const read = readCsvInput(bytes);
  if (!read.ok) throw FILE_FAILURES[read.failure.kind](read.failure);
  const input = read.input;
  const [tax, territory] = await Promise.all([currentTaxonomy(db), loadTerritory(db)]);
  const rows = readCompetenceRows(input, (code) => tax.nodes.has(`tema:${code}`), matrixTerritory(territory));
  if (rows.missingColumns.length > 0) throw bulkImportErrors.missingColumns({ missing: rows.missingColumns, found: input.header.filter((h) => h !== '') });

  const plan = async (q: Db) => {
    const problems = [...rows.problems];
    const found = await repo.officesByCode(q, [...new Set(rows.rows.map((r) => r.organisationIpa))], [...new Set(rows.rows.map((r) => r.officeCode))]);
    const named = new Map<string, { change: Omit<OfficeCompetenceChange, 'added' | 'removed'>; pairs: CompetencePair[] }>();
    const acceptedLines = new Set<number>();
    for (const r of rows.rows) {
      const organisation = found.organisations.get(r.organisationIpa);
      if (!organisation) {
        problems.push(lineProblemOf(r.line, 'unknown_organisation', { value: r.organisationIpa }));
        continue;
      }
      const office = found.offices.get(r.officeCode);
      if (!office || office.organisationId !== organisation.id || !office.active) {
        problems.push(lineProblemOf(r.line, 'unknown_office', { value: r.officeCode, organisation: organisation.name }));
        continue;
      }
      acceptedLines.add(r.line);
      const entry = named.get(office.id) ?? {
        change: { officeId: office.id, officeCode: r.officeCode, officeName: office.name, organisationIpa: r.organisationIpa, organisationName: organisation.name },
        pairs: [],
      };
      entry.pairs.push({ topic: r.topic, territory: r.territory });
      named.set(office.id, entry);
    }
    const current = new Map<string, CompetencePair[]>();
    for (const c of await repo.listCompetencesOf(q, [...named.keys()])) current.set(c.officeId, [...(current.get(c.officeId) ?? []), ...toPairs([c])]);
    const writes = new Map<string, { topic: string; territory: string[] }[]>();
    const changes: OfficeCompetenceChange[] = [];
    for (const [officeId, { change, pairs }] of named) {
      const next = fromPairs(pairs);
      const diff = competenceDiff(current.get(officeId) ?? [], toPairs(next));
      if (diff.added.length === 0 && diff.removed.length === 0) continue;
      writes.set(officeId, next);
      changes.push({ ...change, ...diff });
    }
    changes.sort((a, b) => a.organisationIpa.localeCompare(b.organisationIpa) || a.officeCode.localeCompare(b.officeCode));
    return { problems: problems.sort((a, b) => a.line - b.line), acceptedLines, offices: named.size, changes, writes };
  };

  const report = (p: Awaited<ReturnType<typeof plan>>, written: boolean): CompetenceImportReport => ({
    kind: 'competences', dryRun: options.dryRun, onBadLine: options.onBadLine, written, encoding: input.encoding, separator: SEPARATOR_NAMES[input.separator],
    columns: rows.columns, rows: input.records.length, accepted: p.acceptedLines.size, offices: p.offices, changedOffices: p.changes.length,
    added: p.changes.reduce((n, c) => n + c.added.length, 0), removed: p.changes.reduce((n, c) => n + c.removed.length, 0),
    // A note only for a line that went in.
    problems: p.problems, notes: rows.notes.filter((n) => p.acceptedLines.has(n.line)), changes: p.changes,
  });
  if (options.dryRun) return report(await plan(db), false);
  const done = await db.transaction().execute(async (trx) => {
    await repo.lockCompetenceImport(trx);
    const p = await plan(trx);
    if (p.problems.length > 0 && options.onBadLine === 'abort') throw competenceErrors.badLines({ count: p.problems.length, problems: p.problems.slice(0, 1000) });
    await repo.replaceCompetencesOf(trx, p.writes);
    return report(p, p.writes.size > 0);
  });
  invalidateCompetenceIndex(db);
  return done;
}

// ------------------------------------------------------------------------------------ coverage

export type CoverageVia = 'comune' | 'province' | 'region' | 'national';

export interface TopicCoverage {
  topic: string;
  label: string;
  comuniTotal: number;
  comuniCovered: number;
  populationTotal: number;
  populationCovered: number;
}

export interface ComuneCoverage {
  code: string;
  name: string;
  provinceCode: string;
  population: number;
  offices: { id: string; name: string; organisationName: string; via: CoverageVia }[];
}

export interface CoverageReport {
  region: { code: string; name: string };
  topics: TopicCoverage[];
  topic?: { code: string; label: string };
  provinces?: { code: string; sigla: string; name: string }[];
  comuni?: ComuneCoverage[];
}

const VIA_ORDER: Record<CoverageVia, number> = { comune: 0, province: 1, region: 2, national: 3 };

/**
 * Which office answers each topic in each comune of a region, and where nobody does. A
 * competence on a topic covers its sub-topics, as in the directory; it covers a comune when it is
 * declared on the comune, its province, its region or the whole country. Without a topic: one line
 * per topic (the first-level ones, and every one some office declares), least covered first; with
 * a topic, also the table of the region's comuni with their competent offices.
 */
export async function competenceCoverage(db: Db, input: { region: string; topic?: string; lang: Language }): Promise<CoverageReport> {
  const territory = await loadTerritory(db);
  const region = /^\d{2}$/.test(input.region) ? territory.region(input.region) : undefined;
  if (!region) throw competenceErrors.unknownRegion({ region: input.region });
  const tax = await currentTaxonomy(db);
  if (input.topic !== undefined && !tax.nodes.has(`tema:${input.topic}`)) throw sharingErrors.competenceUnknownTopics({ topics: [input.topic] });
  const index = await competenceIndex(db);
  const offices = await repo.activeOffices(db, [...new Set(index.officeIds())]);
  const comuni = territory.comuni(region.code).sort((a, b) => a.code.localeCompare(b.code));
  const label = (code: string) => nodeLabel(tax, 'tema', code, input.lang);

  /** The active offices covering each comune for a topic, with the level of territory that covers it. */
  const coverageOf = (topic: string) => {
    const { national, byCode } = index.covering(topic);
    const active = (list: readonly IndexedCompetence[] | undefined) => (list ?? []).filter((c) => offices.has(c.officeId));
    const regionWide = [...active(byCode.get(region.code)).map((c) => ({ c, via: 'region' as const })), ...active(national).map((c) => ({ c, via: 'national' as const }))];
    const covering = (comune: (typeof comuni)[number]) => [
      ...active(byCode.get(comune.code)).map((c) => ({ c, via: 'comune' as const })),
      ...active(byCode.get(comune.provinceCode)).map((c) => ({ c, via: 'province' as const })),
      ...regionWide,
    ];
    // Whether anybody answers, without listing who: what the summary of every topic needs.
    const anyActive = (list: readonly IndexedCompetence[] | undefined) => (list ?? []).some((c) => offices.has(c.officeId));
    const everywhere = regionWide.length > 0;
    const covered = (comune: (typeof comuni)[number]) => everywhere || anyActive(byCode.get(comune.provinceCode)) || anyActive(byCode.get(comune.code));
    return { covering, covered };
  };

  const topics = new Set<string>();
  for (const node of tax.nodes.values()) if (node.facet === 'tema' && node.depth === 0) topics.add(node.code);
  for (const t of index.topics()) if (tax.nodes.has(`tema:${t}`)) topics.add(t);
  const populationTotal = comuni.reduce((n, c) => n + (c.population ?? 0), 0);
  const summary: TopicCoverage[] = [...topics].map((topic) => {
    const { covered } = coverageOf(topic);
    let comuniCovered = 0;
    let populationCovered = 0;
    for (const c of comuni) {
      if (!covered(c)) continue;
      comuniCovered++;
      populationCovered += c.population ?? 0;
    }
    return { topic, label: label(topic), comuniTotal: comuni.length, comuniCovered, populationTotal, populationCovered };
  });
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  summary.sort((a, b) => ratio(a.comuniCovered, a.comuniTotal) - ratio(b.comuniCovered, b.comuniTotal) || ratio(a.populationCovered, a.populationTotal) - ratio(b.populationCovered, b.populationTotal) || a.topic.localeCompare(b.topic));
  const report: CoverageReport = { region: { code: region.code, name: region.name }, topics: summary };
  if (input.topic === undefined) return report;

  const { covering } = coverageOf(input.topic);
  report.topic = { code: input.topic, label: label(input.topic) };
  report.provinces = territory.provinces(region.code).sort((a, b) => a.code.localeCompare(b.code)).map((p) => ({ code: p.code, sigla: p.sigla, name: p.name }));
  report.comuni = comuni.map((c) => {
    const best = new Map<string, CoverageVia>();
    for (const { c: competence, via } of covering(c)) {
      const seen = best.get(competence.officeId);
      if (seen === undefined || VIA_ORDER[via] < VIA_ORDER[seen]) best.set(competence.officeId, via);
    }
    const list = [...best].map(([id, via]) => {
      const o = offices.get(id)!;
      return { id, name: o.name, organisationName: o.organisationName, via };
    });
    list.sort((a, b) => VIA_ORDER[a.via] - VIA_ORDER[b.via] || a.name.localeCompare(b.name, 'it'));
    return { code: c.code, name: c.name, provinceCode: c.provinceCode, population: c.population ?? 0, offices: list };
  });
  return report;
}

const VIA_WORDS: Record<CoverageVia, string> = { comune: 'comune', province: 'provincia', region: 'regione', national: 'nazionale' };

/** The per-comune table of a topic's coverage as CSV (`;`, Italian header), as spreadsheets in Italy open it. */
export function coverageCsv(report: CoverageReport): string {
  const sigla = new Map((report.provinces ?? []).map((p) => [p.code, p.sigla]));
  const lines = [csvLine(['codice_istat', 'comune', 'provincia', 'popolazione', 'argomento', 'coperto', 'uffici_competenti', 'enti', 'ambito'], ';')];
  for (const c of report.comuni ?? []) {
    lines.push(csvLine([
      c.code, c.name, sigla.get(c.provinceCode) ?? c.provinceCode, c.population, report.topic?.code ?? '', c.offices.length > 0 ? 'sì' : 'no',
      c.offices.map((o) => o.name).join(' | '), c.offices.map((o) => o.organisationName).join(' | '), c.offices.map((o) => VIA_WORDS[o.via]).join(' | '),
    ], ';'));
  }
  return `${lines.join('\r\n')}\r\n`;
}
