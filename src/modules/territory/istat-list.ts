/**
 * ISTAT's official list of comuni ("Elenco dei comuni italiani", a `;`-separated file in Windows-1252,
 * published and revised every year) read into `TerritoryData`, and compared with the territory in
 * use: which comuni are new, renamed or gone, and where each one that is gone went. Pure.
 *
 * A comune that disappears must have a successor, or its code would stop meaning anything to the
 * tickets and competences that name it. The successor comes from ISTAT's list of suppressed comuni
 * (`--successioni`), or, without it, from what the two lists show: the same cadastral code under a
 * new ISTAT code (a comune that moved province), or a new comune in the same province whose name
 * contains the old one ("Bardello con Malgesso e Bregano"). Anything else is refused, by name.
 */
import { normaliseText } from '../../platform/text/text-analysis.js';
import { splitBilingual } from './package-data.js';
import type { Comune, Province, ProvinceKind, Region, Succession, TerritoryData } from './territory.types.js';

export interface ListProblem {
  /** Physical line of the file (1 = header), or 0 for the file as a whole. */
  line: number;
  code: 'missing_column' | 'bad_code' | 'duplicate_code' | 'missing_name' | 'unknown_province_kind' | 'no_successor' | 'bad_succession' | 'too_few_comuni';
  detail: string;
}

/** Normalised header → the field it is; first match wins, checked with `startsWith`. */
const LIST_COLUMNS: readonly [field: string, starts: string][] = [
  ['comune', 'codice comune formato alfanumerico'],
  ['region', 'codice regione'],
  ['province', 'codice provincia storico'],
  ['fullName', 'denominazione italiana e straniera'],
  ['italianName', 'denominazione in italiano'],
  ['otherName', 'denominazione altra lingua'],
  ['regionName', 'denominazione regione'],
  ['unitName', 'denominazione dell unita territoriale sovracomunale'],
  ['unitKind', 'tipologia di unita territoriale sovracomunale'],
  ['sigla', 'sigla automobilistica'],
  ['cadastral', 'codice catastale'],
  ['population', 'popolazione'],
];
const REQUIRED = ['comune', 'region', 'italianName', 'regionName', 'sigla'] as const;

/** ISTAT's "tipologia di unità territoriale sovracomunale", by number or by words. */
function provinceKind(raw: string): ProvinceKind | null {
  const v = normaliseText(raw);
  if (v === '' || v === '1' || v === 'provincia') return 'provincia';
  if (v === '2' || v.startsWith('provincia autonoma')) return 'provincia_autonoma';
  if (v === '3' || v.startsWith('citta metropolitana')) return 'citta_metropolitana';
  if (v === '4' || v.startsWith('libero consorzio')) return 'libero_consorzio';
  if (v === '5' || v.startsWith('unita non amministrativa')) return 'unita_non_amministrativa';
  return null;
}

function columnIndex(header: readonly string[], table: readonly (readonly [string, string])[]): { index: Map<string, number>; unknown: string[] } {
  const index = new Map<string, number>();
  const unknown: string[] = [];
  header.forEach((h, i) => {
    const n = normaliseText(h);
    const hit = table.find(([field, starts]) => !index.has(field) && n.startsWith(starts));
    if (hit) index.set(hit[0], i);
    else if (n !== '') unknown.push(h);
  });
  return { index, unknown };
}

export interface ParsedList {
  data: Omit<TerritoryData, 'successions'>;
  problems: ListProblem[];
  unknownColumns: string[];
}

/** Reads the list's rows (`rows[i]` is physical line `i + 2`). `previous` supplies what the file lacks (population). */
export function parseIstatList(header: readonly string[], rows: readonly string[][], previous: TerritoryData | null): ParsedList {
  const { index, unknown } = columnIndex(header, LIST_COLUMNS);
  const problems: ListProblem[] = [];
  for (const field of REQUIRED) {
    if (!index.has(field)) problems.push({ line: 1, code: 'missing_column', detail: LIST_COLUMNS.find(([f]) => f === field)![1] });
  }
  if (problems.length > 0) return { data: { regions: [], provinces: [], comuni: [] }, problems, unknownColumns: unknown };
  const cell = (row: readonly string[], field: string) => {
    const i = index.get(field);
    return i === undefined ? '' : (row[i] ?? '').trim();
  };
  const before = new Map((previous?.comuni ?? []).map((c) => [c.code, c]));
  const regions = new Map<string, Region>();
  const units = new Map<string, Map<string, { province: Province; count: number }>>();
  const comuni = new Map<string, Comune>();
  rows.forEach((row, i) => {
    const line = i + 2;
    if (row.every((v) => v.trim() === '')) return;
    const code = cell(row, 'comune').padStart(6, '0');
    const region = cell(row, 'region').padStart(2, '0');
    if (!/^\d{6}$/.test(code) || !/^\d{2}$/.test(region)) {
      problems.push({ line, code: 'bad_code', detail: `${cell(row, 'comune')} / ${cell(row, 'region')}` });
      return;
    }
    if (comuni.has(code)) {
      problems.push({ line, code: 'duplicate_code', detail: code });
      return;
    }
    const italian = cell(row, 'italianName');
    if (italian === '') {
      problems.push({ line, code: 'missing_name', detail: code });
      return;
    }
    const kind = provinceKind(cell(row, 'unitKind'));
    if (kind === null) {
      problems.push({ line, code: 'unknown_province_kind', detail: cell(row, 'unitKind') });
      return;
    }
    const other = cell(row, 'otherName') || splitBilingual(cell(row, 'fullName'), italian).altName || '';
    const provinceCode = /^\d{1,3}$/.test(cell(row, 'province')) ? cell(row, 'province').padStart(3, '0') : code.slice(0, 3);
    regions.set(region, { code: region, name: cell(row, 'regionName') });
    const unitName = cell(row, 'unitName') || previous?.provinces.find((p) => p.code === provinceCode)?.name || cell(row, 'sigla');
    const byName = units.get(provinceCode) ?? new Map<string, { province: Province; count: number }>();
    const unit = byName.get(unitName) ?? { province: { code: provinceCode, sigla: cell(row, 'sigla').toUpperCase(), name: unitName, regionCode: region, kind }, count: 0 };
    unit.count++;
    byName.set(unitName, unit);
    units.set(provinceCode, byName);
    const populationText = cell(row, 'population').replace(/[.\s]/g, '');
    comuni.set(code, {
      code,
      name: italian,
      altName: other === '' ? null : other,
      provinceCode,
      regionCode: region,
      cadastralCode: cell(row, 'cadastral').toUpperCase() || before.get(code)?.cadastralCode || null,
      population: /^\d+$/.test(populationText) ? Number(populationText) : (before.get(code)?.population ?? null),
    });
  });
  // A historical province split between units (Sardinia's reforms) is named after the unit most of its comuni belong to.
  const provinces = [...units.values()].map((byName) => [...byName.values()].sort((a, b) => b.count - a.count)[0]!.province);
  // A list far shorter than Italy is a wrong file, not thousands of comuni merged away.
  if (previous && previous.comuni.length > 1000 && comuni.size < previous.comuni.length * 0.9) {
    problems.push({ line: 0, code: 'too_few_comuni', detail: `${comuni.size} / ${previous.comuni.length}` });
  }
  return { data: { regions: [...regions.values()].sort((a, b) => a.code.localeCompare(b.code)), provinces, comuni: [...comuni.values()] }, problems, unknownColumns: unknown };
}

const SUCCESSION_COLUMNS: readonly [string, string][] = [
  ['newCode', 'codice del comune associato'],
  ['newCode', 'nuovo codice'],
  ['newCode', 'codice nuovo'],
  ['oldCode', 'codice istat del comune'],
  ['oldCode', 'codice comune'],
  ['oldCode', 'codice soppresso'],
  ['oldName', 'denominazione comune'],
  ['oldName', 'denominazione'],
  ['since', 'data decorrenza'],
  ['since', 'data'],
];

/** "01/02/2024", "2024-02-01" → "2024-02-01"; anything else null. */
export function isoDate(raw: string): string | null {
  const v = raw.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
  if (m) return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return null;
}

/** ISTAT's list of suppressed comuni (or any file with old code, new code and date): old code → succession. */
export function parseSuccessions(header: readonly string[], rows: readonly string[][]): { successions: Map<string, Omit<Succession, 'oldName'> & { oldName: string | null }>; problems: ListProblem[] } {
  const { index } = columnIndex(header, SUCCESSION_COLUMNS);
  const problems: ListProblem[] = [];
  const successions = new Map<string, Omit<Succession, 'oldName'> & { oldName: string | null }>();
  if (!index.has('oldCode') || !index.has('newCode')) {
    problems.push({ line: 1, code: 'missing_column', detail: !index.has('oldCode') ? 'codice istat del comune' : 'codice del comune associato alla variazione' });
    return { successions, problems };
  }
  rows.forEach((row, i) => {
    if (row.every((v) => v.trim() === '')) return;
    const at = (f: string) => (index.has(f) ? (row[index.get(f)!] ?? '').trim() : '');
    const oldCode = at('oldCode').padStart(6, '0');
    const newCode = at('newCode').padStart(6, '0');
    if (!/^\d{6}$/.test(oldCode) || !/^\d{6}$/.test(newCode) || oldCode === newCode) {
      problems.push({ line: i + 2, code: 'bad_succession', detail: `${at('oldCode')} → ${at('newCode')}` });
      return;
    }
    successions.set(oldCode, { oldCode, newCode, oldName: at('oldName') || null, since: isoDate(at('since')) });
  });
  return { successions, problems };
}

export interface TerritoryChanges {
  added: Comune[];
  renamed: { code: string; from: string; to: string }[];
  suppressed: Succession[];
  /** How each suppressed comune's successor was found. */
  inferred: { oldCode: string; how: 'file' | 'cadastral' | 'name' }[];
}

/**
 * What changes from `previous` to the list, and the successions that keep old codes working: every
 * old succession is kept, and every comune that is gone gets one (or a `no_successor` problem).
 */
export function compareLists(
  previous: TerritoryData,
  next: Omit<TerritoryData, 'successions'>,
  fromFile: ReadonlyMap<string, Omit<Succession, 'oldName'> & { oldName: string | null }>,
  today: string,
): { changes: TerritoryChanges; successions: Succession[]; problems: ListProblem[] } {
  const nextByCode = new Map(next.comuni.map((c) => [c.code, c]));
  const prevByCode = new Map(previous.comuni.map((c) => [c.code, c]));
  const added = next.comuni.filter((c) => !prevByCode.has(c.code));
  const renamed = next.comuni.flatMap((c) => {
    const p = prevByCode.get(c.code);
    return p && p.name !== c.name ? [{ code: c.code, from: p.name, to: c.name }] : [];
  });
  const problems: ListProblem[] = [];
  const suppressed: Succession[] = [];
  const inferred: TerritoryChanges['inferred'] = [];
  for (const gone of previous.comuni.filter((c) => !nextByCode.has(c.code))) {
    const listed = fromFile.get(gone.code);
    let newCode: string | undefined;
    let how: 'file' | 'cadastral' | 'name' | undefined;
    if (listed) {
      newCode = listed.newCode;
      how = 'file';
    } else {
      const moved = gone.cadastralCode ? added.find((c) => c.cadastralCode === gone.cadastralCode) : undefined;
      const key = normaliseText(gone.name);
      const merged = added.filter((c) => c.provinceCode === gone.provinceCode && ` ${normaliseText(c.name)} `.includes(` ${key} `));
      if (moved) [newCode, how] = [moved.code, 'cadastral'];
      else if (merged.length === 1) [newCode, how] = [merged[0]!.code, 'name'];
    }
    if (!newCode || !how) {
      problems.push({ line: 0, code: 'no_successor', detail: `${gone.code} ${gone.name}` });
      continue;
    }
    if (!nextByCode.has(newCode)) {
      problems.push({ line: 0, code: 'bad_succession', detail: `${gone.code} ${gone.name} → ${newCode}` });
      continue;
    }
    suppressed.push({ oldCode: gone.code, oldName: gone.name, newCode, since: listed?.since ?? today });
    inferred.push({ oldCode: gone.code, how });
  }
  // Old successions stay (a code merged away in 2020 still resolves), unless the code came back.
  const kept = previous.successions.filter((s) => !nextByCode.has(s.oldCode) && !suppressed.some((n) => n.oldCode === s.oldCode));
  return { changes: { added, renamed, suppressed, inferred }, successions: [...kept, ...suppressed], problems };
}
