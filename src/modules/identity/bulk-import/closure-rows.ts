/**
 * The rows of a closures file: patron saints' days and local closures of offices, in bulk, as an
 * administrator keeps them in a spreadsheet —
 *
 *   ente;ufficio;tipo;data;dal;al;motivo
 *   c_c426;;patrono;04/10;;;San Francesco d'Assisi
 *   c_c426;urp-celano;chiusura;;24/12/2026;31/12/2026;Chiusura natalizia
 *
 * `ufficio` empty: every office of the body. `tipo` is `patrono` (a day that recurs every year: a
 * day-month like 04/10, or a full date whose year is ignored) or `chiusura` (one day in `data`, or
 * `dal`/`al`). Dates are dd/mm/yyyy or yyyy-mm-dd. Checked here as pure functions of the file;
 * whether the body and the office exist, and whether a closure overlaps another, is the service's
 * business (it reads the database).
 */
import { type ColumnMatch, cell, type CsvInput, matchColumns } from './csv-input.js';
import { type LineProblem, type LineProblemCode, lineProblem } from './line-problems.js';
import { officeCodeOf } from './office-rows.js';
import { IPA_CODE } from './organisation-rows.js';

const ALIASES = {
  organisation: ['ente', 'codice_ipa', 'cod_amm', 'ipa', 'codice_ipa_ente', 'organisation'],
  office: ['ufficio', 'codice_ufficio', 'office', 'office_code'],
  kind: ['tipo', 'tipologia', 'kind', 'type'],
  date: ['data', 'giorno', 'date', 'day'],
  from: ['dal', 'data_inizio', 'inizio', 'from'],
  to: ['al', 'data_fine', 'fine', 'to'],
  reason: ['motivo', 'nome', 'descrizione', 'ricorrenza', 'santo', 'reason', 'name'],
} as const;
type Field = keyof typeof ALIASES;

/** A closure's reason or a patron day's name is at most this long. */
const MAX_REASON = 200;
/** A closure longer than this is surely a typo in a year (a whole office closed for good is deactivated instead). */
const MAX_CLOSURE_DAYS = 366;

export type CalendarEntry =
  | { kind: 'patron'; month: number; day: number; name: string | null }
  | { kind: 'closure'; from: string; to: string; reason: string | null };

export interface ClosureRow {
  line: number;
  organisationIpa: string;
  /** null: every office of the body. */
  officeCode: string | null;
  entry: CalendarEntry;
}

/** Why a line of a closures file is refused: the codes of every onboarding file, and those of calendars. */
export type ClosureProblemCode = LineProblemCode | 'invalid_closure_kind' | 'invalid_date' | 'dates_reversed' | 'closure_too_long' | 'overlapping_closure' | 'conflicting_entry';

export interface ClosureProblem extends Omit<LineProblem, 'code'> {
  code: ClosureProblemCode;
}

type Params = Record<string, string>;
const CLOSURE_CATALOGUE: Record<Exclude<ClosureProblemCode, LineProblemCode>, { it: (p: Params) => string; en: (p: Params) => string }> = {
  invalid_closure_kind: {
    it: (p) => `tipo «${p.value}» sconosciuto (ammessi: patrono, chiusura)`,
    en: (p) => `unknown kind “${p.value}” (allowed: patrono, chiusura)`,
  },
  invalid_date: {
    it: (p) => `${p.field}: data «${p.value}» non valida (usa gg/mm/aaaa o aaaa-mm-gg${p.patron === 'yes' ? ', per il patrono anche gg/mm' : ''})`,
    en: (p) => `${p.fieldEn}: invalid date “${p.value}” (use dd/mm/yyyy or yyyy-mm-dd${p.patron === 'yes' ? ', for a patron day also dd/mm' : ''})`,
  },
  dates_reversed: { it: (p) => `la data di fine (${p.to}) precede la data di inizio (${p.from})`, en: (p) => `the end date (${p.to}) comes before the start date (${p.from})` },
  closure_too_long: {
    it: (p) => `chiusura di ${p.days} giorni (dal ${p.from} al ${p.to}): al massimo ${MAX_CLOSURE_DAYS}; un ufficio chiuso per sempre si disattiva`,
    en: (p) => `closure of ${p.days} days (${p.from} to ${p.to}): at most ${MAX_CLOSURE_DAYS}; an office closed for good is deactivated instead`,
  },
  overlapping_closure: {
    it: (p) => `la chiusura dal ${p.from} al ${p.to} si sovrappone a quella dal ${p.otherFrom} al ${p.otherTo} dell'ufficio ${p.office} (${p.where === 'stored' ? 'già registrata' : `riga ${p.where}`}): correggi le date o unisci le due righe`,
    en: (p) => `the closure ${p.from} to ${p.to} overlaps the one ${p.otherFrom} to ${p.otherTo} of the office ${p.office} (${p.where === 'stored' ? 'already recorded' : `line ${p.where}`}): fix the dates or merge the two lines`,
  },
  conflicting_entry: {
    it: (p) => `${p.what} dell'ufficio ${p.office} già indicato alla riga ${p.firstLine} con un altro nome («${p.other}»)`,
    en: (p) => `${p.whatEn} of the office ${p.office} already given on line ${p.firstLine} with another name (“${p.other}”)`,
  },
};

/** A refused line of a closures file, with the reason in Italian and English. */
export function closureProblem(line: number, code: ClosureProblemCode, params: Params = {}): ClosureProblem {
  if (code in CLOSURE_CATALOGUE) {
    const spec = CLOSURE_CATALOGUE[code as keyof typeof CLOSURE_CATALOGUE];
    return { line, code, message: spec.it(params), en: spec.en(params) };
  }
  return lineProblem(line, code as LineProblemCode, params);
}

export const CLOSURE_PROBLEM_CODES = Object.keys(CLOSURE_CATALOGUE) as Exclude<ClosureProblemCode, LineProblemCode>[];

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/[\s_-]+/g, ' ');

const KIND_WORDS: Record<string, CalendarEntry['kind']> = {
  patrono: 'patron', 'santo patrono': 'patron', 'festa patronale': 'patron', 'festa del patrono': 'patron', 'festa del santo patrono': 'patron', patron: 'patron', 'patron day': 'patron',
  chiusura: 'closure', 'chiusura straordinaria': 'closure', 'chiusura locale': 'closure', chiuso: 'closure', closure: 'closure', closed: 'closure',
};

const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const YMD = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DM = /^(\d{1,2})[/.-](\d{1,2})$/;

const pad = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD' of a real calendar day, or null. */
function isoOf(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** A full date written dd/mm/yyyy (also with `-` or `.`) or yyyy-mm-dd, as 'YYYY-MM-DD'; null when it is none. */
export function parseFullDate(text: string): string | null {
  const dmy = DMY.exec(text);
  if (dmy) return isoOf(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
  const ymd = YMD.exec(text);
  if (ymd) return isoOf(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  return null;
}

/** A yearly day: dd/mm, or a full date whose year is ignored. 29 February is allowed (leap years). */
export function parseDayOfYear(text: string): { month: number; day: number } | null {
  const dm = DM.exec(text);
  if (dm) {
    const [day, month] = [Number(dm[1]), Number(dm[2])];
    return isoOf(2024, month, day) ? { month, day } : null;
  }
  const full = parseFullDate(text);
  return full ? { month: Number(full.slice(5, 7)), day: Number(full.slice(8, 10)) } : null;
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/** dd/mm/yyyy, as messages show dates. */
export function shownDate(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

export interface ClosureRows {
  columns: Pick<ColumnMatch<Field>, 'used' | 'ignored' | 'unknown'>;
  missingColumns: string[];
  rows: ClosureRow[];
  problems: ClosureProblem[];
}

export function readClosureRows(input: CsvInput): ClosureRows {
  const match = matchColumns(input.header, ALIASES);
  const missingColumns = [
    ...(match.index.organisation === undefined ? ['ente (codice IPA)'] : []),
    ...(match.index.kind === undefined ? ['tipo'] : []),
    ...(match.index.date === undefined && match.index.from === undefined ? ['data (oppure dal/al)'] : []),
  ];
  const out: ClosureRows = { columns: { used: match.used, ignored: match.ignored, unknown: match.unknown }, missingColumns, rows: [], problems: [] };
  if (missingColumns.length > 0) return out;
  for (const record of input.records) {
    const line = record.line;
    const refuse = (code: ClosureProblemCode, params: Params = {}) => out.problems.push(closureProblem(line, code, params));
    if (record.error === 'unterminated_quote') {
      refuse('unterminated_quote');
      continue;
    }
    const get = (f: Field) => cell(record, match, f);
    const organisationIpa = get('organisation').toLowerCase();
    if (organisationIpa === '') {
      refuse('missing_field', { field: "il codice IPA dell'ente", fieldEn: 'the IPA code of the body' });
      continue;
    }
    if (!IPA_CODE.test(organisationIpa)) {
      refuse('invalid_ipa_code', { value: get('organisation') });
      continue;
    }
    const rawOffice = get('office');
    const officeCode = rawOffice === '' ? null : officeCodeOf(rawOffice);
    if (officeCode !== null && !/^[a-z0-9][a-z0-9-]{1,62}$/.test(officeCode)) {
      refuse('invalid_office_code', { value: rawOffice });
      continue;
    }
    const kindText = get('kind');
    if (kindText === '') {
      refuse('missing_field', { field: 'il tipo (patrono o chiusura)', fieldEn: 'the kind (patrono or chiusura)' });
      continue;
    }
    const kind = KIND_WORDS[fold(kindText)];
    if (!kind) {
      refuse('invalid_closure_kind', { value: kindText });
      continue;
    }
    const reason = get('reason').replace(/\s+/g, ' ');
    if (reason.length > MAX_REASON) {
      refuse('field_too_long', { field: kind === 'patron' ? 'il nome' : 'il motivo', fieldEn: kind === 'patron' ? 'the name' : 'the reason', max: String(MAX_REASON) });
      continue;
    }
    const [date, fromText, toText] = [get('date'), get('from'), get('to')];
    if (kind === 'patron') {
      const text = date || fromText;
      if (text === '') {
        refuse('missing_field', { field: 'la data del patrono', fieldEn: 'the date of the patron day' });
        continue;
      }
      const day = parseDayOfYear(text);
      if (!day) {
        refuse('invalid_date', { field: date ? 'data' : 'dal', fieldEn: date ? 'date' : 'from', value: text, patron: 'yes' });
        continue;
      }
      out.rows.push({ line, organisationIpa, officeCode, entry: { kind, ...day, name: reason || null } });
      continue;
    }
    const startText = fromText || date;
    if (startText === '') {
      refuse('missing_field', { field: 'la data (o dal/al) della chiusura', fieldEn: 'the date (or from/to) of the closure' });
      continue;
    }
    const from = parseFullDate(startText);
    if (!from) {
      refuse('invalid_date', { field: fromText ? 'dal' : 'data', fieldEn: fromText ? 'from' : 'date', value: startText, patron: 'no' });
      continue;
    }
    const to = toText === '' ? from : parseFullDate(toText);
    if (!to) {
      refuse('invalid_date', { field: 'al', fieldEn: 'to', value: toText, patron: 'no' });
      continue;
    }
    if (to < from) {
      refuse('dates_reversed', { from: shownDate(from), to: shownDate(to) });
      continue;
    }
    if (daysBetween(from, to) > MAX_CLOSURE_DAYS) {
      refuse('closure_too_long', { days: String(daysBetween(from, to)), from: shownDate(from), to: shownDate(to) });
      continue;
    }
    out.rows.push({ line, organisationIpa, officeCode, entry: { kind, from, to, reason: reason || null } });
  }
  return out;
}
