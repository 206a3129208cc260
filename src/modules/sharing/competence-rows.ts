/**
 * The rows of a competence matrix (issue 11): topic × territory → competent office, one row each,
 * checked as pure functions of the file, the taxonomy and the territory. Whether the organisation
 * and the office exist is the service's business (it reads the database).
 *
 * Columns (Italian headers, with aliases, matched like the onboarding importers'):
 * `argomento` (taxonomy `tema` code), `territorio` (ISTAT code of a comune, province or region,
 * a province's abbreviation, or an exact name; empty: the whole country), `ente` (IPA code),
 * `ufficio` (the office's code).
 */
import { normaliseText } from '../../platform/text/text-analysis.js';
import { cell, type CsvInput, type LineProblem, lineProblem, matchColumns, missingColumnsOf, officeCodeOf, wellFormedRecords } from '../identity/index.js';

const ALIASES = {
  topic: ['argomento', 'tema', 'topic', 'codice_argomento', 'codice_tema'],
  territory: ['territorio', 'territory', 'codice_istat', 'istat', 'ambito', 'ambito_territoriale', 'luogo'],
  organisation: ['ente', 'codice_ipa', 'cod_amm', 'ipa', 'codice_ipa_ente', 'organisation'],
  office: ['ufficio', 'codice_ufficio', 'office', 'office_code', 'slug'],
} as const;
type Field = keyof typeof ALIASES;

/** Labels and descriptions some matrices carry beside the codes: recognised, not stored. */
const KNOWN_UNUSED = ['etichetta', 'descrizione_argomento', 'nome_argomento', 'nome_territorio', 'denominazione_territorio', 'nome_ente', 'denominazione_ente', 'nome_ufficio', 'note'];

/** Problems only a competence matrix has; the others are the onboarding importers' (line-problems.ts). */
const COMPETENCE_PROBLEMS = {
  unknown_topic: {
    it: (p: Record<string, string>) => `argomento «${p.value}» inesistente nella tassonomia (usa il codice del tema, es. tributi.tari)`,
    en: (p: Record<string, string>) => `topic “${p.value}” does not exist in the taxonomy (use the topic code, e.g. tributi.tari)`,
  },
  unknown_territory: {
    it: (p: Record<string, string>) => `territorio «${p.value}» sconosciuto: usa il codice ISTAT del comune (6 cifre), della provincia (3) o della regione (2), la sigla della provincia o il nome esatto`,
    en: (p: Record<string, string>) => `unknown territory “${p.value}”: use the ISTAT code of the comune (6 digits), province (3) or region (2), the province abbreviation or the exact name`,
  },
  ambiguous_territory: {
    it: (p: Record<string, string>) => `territorio «${p.value}» ambiguo (${p.candidates}): usa il codice ISTAT, oppure scrivi «Comune di …», «Provincia di …» o «Regione …»`,
    en: (p: Record<string, string>) => `ambiguous territory “${p.value}” (${p.candidatesEn}): use the ISTAT code, or write «Comune di …», «Provincia di …» or «Regione …»`,
  },
} as const;
type CompetenceProblemCode = keyof typeof COMPETENCE_PROBLEMS;

/** A refused line of a competence matrix: the onboarding importers' codes plus the matrix's own. */
export type CompetenceLineProblem = Omit<LineProblem, 'code'> & { code: LineProblem['code'] | CompetenceProblemCode };

export const COMPETENCE_PROBLEM_CODES = Object.keys(COMPETENCE_PROBLEMS) as CompetenceProblemCode[];

function competenceProblem(line: number, code: CompetenceProblemCode, params: Record<string, string>): CompetenceLineProblem {
  return { line, code, message: COMPETENCE_PROBLEMS[code].it(params), en: COMPETENCE_PROBLEMS[code].en(params) };
}

/** What a line says besides being accepted: a comune merged away was mapped to the comune that took its territory. */
export interface CompetenceNote {
  line: number;
  code: 'territory_successor';
  message: string;
  en: string;
}

export type PlaceLevel = 'comune' | 'province' | 'region';

/** The territory as the matrix needs it (the territory module's `Territory`, with a name index built by the service). */
export interface MatrixTerritory {
  comune(code: string): { code: string; name: string } | undefined;
  successor(code: string): { succession: { oldName: string; since: string | null }; current: { code: string; name: string } } | undefined;
  province(codeOrSigla: string): { code: string; name: string } | undefined;
  region(code: string): { code: string; name: string } | undefined;
  /** Places whose name is exactly `name` (accents, case and punctuation aside). */
  named(name: string): { level: PlaceLevel; code: string; name: string }[];
}

export type ResolvedTerritory =
  | { ok: true; code: string | null; mergedFrom?: { oldCode: string; oldName: string; newName: string; since: string | null } }
  | { ok: false; problem: 'unknown_territory' }
  | { ok: false; problem: 'ambiguous_territory'; candidates: { level: PlaceLevel; code: string; name: string }[] };

const LEVEL_PREFIXES: [RegExp, PlaceLevel][] = [
  [/^(provincia|citta metropolitana|libero consorzio( comunale)?) (di |de |d |del |dell |della |dello )?/, 'province'],
  [/^regione (autonoma )?(di |d |del |dell |della |dello )?/, 'region'],
  // After the province: «Città metropolitana di …» is not a comune.
  [/^(comune|citta) (di |de |d |del |dell |della |dello )?/, 'comune'],
];

/**
 * A territory cell as a code: empty is the whole country (null). Codes as ISTAT writes them (a
 * spreadsheet that dropped the leading zeros of a comune's code is forgiven: 4–5 digits are a
 * comune), a province's abbreviation, or an exact name, optionally qualified («Provincia di Bergamo»).
 */
export function resolveTerritory(value: string, territory: MatrixTerritory): ResolvedTerritory {
  const v = value.trim();
  if (v === '') return { ok: true, code: null };
  if (/^\d+$/.test(v)) {
    const code = v.length === 1 ? v.padStart(2, '0') : v.length === 4 || v.length === 5 ? v.padStart(6, '0') : v;
    if (code.length === 2) return territory.region(code) ? { ok: true, code } : { ok: false, problem: 'unknown_territory' };
    if (code.length === 3) return territory.province(code) ? { ok: true, code } : { ok: false, problem: 'unknown_territory' };
    if (code.length !== 6) return { ok: false, problem: 'unknown_territory' };
    if (territory.comune(code)) return { ok: true, code };
    const next = territory.successor(code);
    if (!next) return { ok: false, problem: 'unknown_territory' };
    return { ok: true, code: next.current.code, mergedFrom: { oldCode: code, oldName: next.succession.oldName, newName: next.current.name, since: next.succession.since } };
  }
  if (/^[A-Za-z]{2}$/.test(v)) {
    const p = territory.province(v.toUpperCase());
    if (p) return { ok: true, code: p.code };
  }
  let name = normaliseText(v);
  let level: PlaceLevel | null = null;
  for (const [prefix, l] of LEVEL_PREFIXES) {
    if (prefix.test(name) && name.replace(prefix, '') !== '') {
      name = name.replace(prefix, '');
      level = l;
      break;
    }
  }
  let found = territory.named(name);
  if (level !== null) found = found.filter((f) => f.level === level);
  if (found.length === 1) return { ok: true, code: found[0]!.code };
  if (found.length === 0) return { ok: false, problem: 'unknown_territory' };
  return { ok: false, problem: 'ambiguous_territory', candidates: found };
}

export interface CompetenceRow {
  line: number;
  topic: string;
  /** The territory as a current code; null for the whole country. */
  territory: string | null;
  organisationIpa: string;
  officeCode: string;
}

export interface CompetenceRows {
  columns: { used: string[]; ignored: string[]; unknown: string[] };
  missingColumns: string[];
  rows: CompetenceRow[];
  problems: CompetenceLineProblem[];
  notes: CompetenceNote[];
}

const LEVEL_WORDS: Record<PlaceLevel, { it: string; en: string }> = { comune: { it: 'comune', en: 'comune' }, province: { it: 'provincia', en: 'province' }, region: { it: 'regione', en: 'region' } };

/**
 * Reads the rows of a matrix: each line's topic, territory, body and office, or the reason it is
 * refused. A row repeating another (same office, topic and territory, once merged comuni are mapped)
 * is refused with the line it repeats.
 */
export function readCompetenceRows(input: CsvInput, isTopic: (code: string) => boolean, territory: MatrixTerritory): CompetenceRows {
  const match = matchColumns(input.header, ALIASES, KNOWN_UNUSED);
  const missingColumns = missingColumnsOf(match, { topic: 'argomento', organisation: 'ente (codice IPA)', office: 'ufficio' });
  const out: CompetenceRows = { columns: { used: match.used, ignored: match.ignored, unknown: match.unknown }, missingColumns, rows: [], problems: [], notes: [] };
  if (missingColumns.length > 0) return out;
  const firstLineOf = new Map<string, number>();
  for (const record of wellFormedRecords(input, out.problems)) {
    const line = record.line;
    const get = (f: Field) => cell(record, match, f);
    const topic = get('topic').toLowerCase();
    const organisationIpa = get('organisation').toLowerCase();
    const rawOffice = get('office');
    if (topic === '') {
      out.problems.push(lineProblem(line, 'missing_field', { field: "l'argomento", fieldEn: 'the topic' }));
      continue;
    }
    if (organisationIpa === '') {
      out.problems.push(lineProblem(line, 'missing_field', { field: "il codice IPA dell'ente", fieldEn: 'the IPA code of the body' }));
      continue;
    }
    if (rawOffice === '') {
      out.problems.push(lineProblem(line, 'missing_field', { field: "il codice dell'ufficio", fieldEn: 'the office code' }));
      continue;
    }
    if (!isTopic(topic)) {
      out.problems.push(competenceProblem(line, 'unknown_topic', { value: get('topic') }));
      continue;
    }
    const rawTerritory = get('territory');
    const place = resolveTerritory(rawTerritory, territory);
    if (!place.ok) {
      if (place.problem === 'unknown_territory') out.problems.push(competenceProblem(line, 'unknown_territory', { value: rawTerritory }));
      else {
        const list = (lang: 'it' | 'en') => place.candidates.map((c) => `${LEVEL_WORDS[c.level][lang]} ${c.name} ${c.code}`).join(', ');
        out.problems.push(competenceProblem(line, 'ambiguous_territory', { value: rawTerritory, candidates: list('it'), candidatesEn: list('en') }));
      }
      continue;
    }
    const officeCode = officeCodeOf(rawOffice);
    const key = `${organisationIpa}|${officeCode}|${topic}|${place.code ?? ''}`;
    const first = firstLineOf.get(key);
    if (first !== undefined) {
      const value = `${organisationIpa} · ${officeCode} · ${topic} · ${place.code ?? 'Italia'}`;
      out.problems.push(lineProblem(line, 'duplicate_in_file', { what: 'competenza', whatEn: 'competence', value, firstLine: String(first) }));
      continue;
    }
    firstLineOf.set(key, line);
    if (place.mergedFrom) {
      const m = place.mergedFrom;
      out.notes.push({
        line, code: 'territory_successor',
        message: `il comune ${m.oldName} (${m.oldCode}) non esiste più${m.since ? ` dal ${m.since}` : ''}: la competenza è registrata su ${m.newName} (${place.code}), che ne ha preso il territorio`,
        en: `the comune ${m.oldName} (${m.oldCode}) no longer exists${m.since ? ` since ${m.since}` : ''}: the competence is recorded on ${m.newName} (${place.code}), which took its territory`,
      });
    }
    out.rows.push({ line, topic, territory: place.code, organisationIpa, officeCode });
  }
  return out;
}

/** One office's competences as (topic, territory) pairs; territory null is the whole country. */
export type CompetencePair = { topic: string; territory: string | null };

/**
 * Declared competences (one per topic, with its territory codes; none is the whole country) as
 * pairs, and back. Rows of one topic merge their territories; the whole country covers them all.
 */
export function toPairs(competences: readonly { topic: string; territory: readonly string[] }[]): CompetencePair[] {
  return competences.flatMap((c): CompetencePair[] => (c.territory.length === 0 ? [{ topic: c.topic, territory: null }] : c.territory.map((t) => ({ topic: c.topic, territory: t }))));
}

export function fromPairs(pairs: readonly CompetencePair[]): { topic: string; territory: string[] }[] {
  const byTopic = new Map<string, Set<string> | null>();
  for (const p of pairs) {
    const seen = byTopic.get(p.topic);
    if (p.territory === null || seen === null) byTopic.set(p.topic, null);
    else byTopic.set(p.topic, (seen ?? new Set()).add(p.territory));
  }
  return [...byTopic].sort(([a], [b]) => a.localeCompare(b)).map(([topic, codes]) => ({ topic, territory: codes === null ? [] : [...codes].sort() }));
}

const pairKey = (p: CompetencePair) => `${p.topic}|${p.territory ?? ''}`;

/** What changes when an office's competences become `next`: the pairs added and removed. */
export function competenceDiff(current: readonly CompetencePair[], next: readonly CompetencePair[]): { added: CompetencePair[]; removed: CompetencePair[] } {
  const before = new Set(current.map(pairKey));
  const after = new Set(next.map(pairKey));
  const sort = (a: CompetencePair, b: CompetencePair) => a.topic.localeCompare(b.topic) || (a.territory ?? '').localeCompare(b.territory ?? '');
  return { added: next.filter((p) => !before.has(pairKey(p))).sort(sort), removed: current.filter((p) => !after.has(pairKey(p))).sort(sort) };
}
