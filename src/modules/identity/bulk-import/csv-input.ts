/**
 * Reading an onboarding file (bodies, offices, people) that an administrator hands in whole: its
 * encoding, its separator, its header and its records with the physical line each starts on.
 * Records are read by the project's one CSV reader (platform/csv.ts).
 *
 * Why not history-import's sniffer (csv-sniff.ts): that module imports identity, so identity
 * importing it would make a module cycle (test/module-boundaries.test.ts). These files are small
 * (30,000 people is 3 MB) and always start with a header, so the decisions are simpler: the
 * encoding is decided by a strict UTF-8 decode of the whole file, the separator on the header line.
 */
import { commaOrSemicolon, CsvRecordTooLongError, type CsvRecord, decodeWindows1252, parseCsvRecords } from '../../../platform/csv.js';
import { type LineProblem, lineProblem } from './line-problems.js';

export type FileEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';
export type Separator = '\t' | ',' | ';';

/** Why a file cannot be read at all (reported for the whole file, not per line). */
export type FileFailure = { kind: 'empty' } | { kind: 'utf16' } | { kind: 'binary' } | { kind: 'record_too_long'; line: number };

export interface CsvInput {
  encoding: FileEncoding;
  separator: Separator;
  /** The header cells as written (trimmed). */
  header: string[];
  /** Data records (the header excluded), each with its physical line in the file. */
  records: CsvRecord[];
}

/** Separator names for reports and messages. */
export const SEPARATOR_NAMES: Record<Separator, 'tab' | 'comma' | 'semicolon'> = { '\t': 'tab', ',': 'comma', ';': 'semicolon' };

/**
 * The text of the file: UTF-8 (with or without BOM) when every byte sequence is valid UTF-8,
 * otherwise Windows-1252 (what Excel on Windows saves as "CSV"). UTF-16 and binary files are refused.
 */
export function decodeFile(bytes: Uint8Array): { ok: true; text: string; encoding: FileEncoding } | { ok: false; failure: FileFailure } {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (bytes.length === 0 || (bom && bytes.length === 3)) return { ok: false, failure: { kind: 'empty' } };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return { ok: false, failure: { kind: 'utf16' } };
  // Text never holds NUL bytes (a spreadsheet saved as .xlsx, a PDF, a UTF-16 file without BOM).
  if (bytes.includes(0)) return { ok: false, failure: { kind: 'binary' } };
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return { ok: true, text: bom ? text.slice(1) : text, encoding: bom ? 'utf-8-bom' : 'utf-8' };
  } catch {
    return { ok: true, text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}

/** The separator of a file with a header: a tab when the header line has one, else `,` or `;` (platform/csv.ts). */
export function detectSeparator(text: string): Separator {
  const end = text.search(/[\r\n]/);
  const headerLine = end < 0 ? text : text.slice(0, end);
  if (headerLine.includes('\t')) return '\t';
  return commaOrSemicolon(headerLine);
}

/** Decodes, picks the separator and splits header and records. */
export function readCsvInput(bytes: Uint8Array): { ok: true; input: CsvInput } | { ok: false; failure: FileFailure } {
  const decoded = decodeFile(bytes);
  if (!decoded.ok) return decoded;
  const separator = detectSeparator(decoded.text);
  let records: CsvRecord[];
  try {
    records = parseCsvRecords(decoded.text, separator);
  } catch (err) {
    if (err instanceof CsvRecordTooLongError) return { ok: false, failure: { kind: 'record_too_long', line: err.line } };
    throw err;
  }
  const first = records.shift();
  if (!first || first.fields.every((f) => f.trim() === '')) return { ok: false, failure: { kind: 'empty' } };
  // A row of nothing but separators (spreadsheets export them) is not a record.
  const data = records.filter((r) => r.fields.some((f) => f.trim() !== ''));
  return { ok: true, input: { encoding: decoded.encoding, separator, header: first.fields.map((h) => h.trim()), records: data } };
}

/**
 * The key of a header for matching: case, accents, spaces, dashes and underscores do not matter
 * («Codice_IPA», «codice ipa», «CODICE-IPA» → `codiceipa`).
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export interface ColumnMatch<F extends string> {
  /** Field → index of the column that holds it. */
  index: Partial<Record<F, number>>;
  /** Headers matched to a field. */
  used: string[];
  /** Headers of the known export this importer deliberately does not store. */
  ignored: string[];
  /** Headers nobody recognised (a typo, or another file). */
  unknown: string[];
}

/**
 * Matches a header to fields by their accepted names (`aliases`, already in any spelling); the first
 * column wins when two name the same field. `known` lists recognised columns that are not stored.
 */
export function matchColumns<F extends string>(header: readonly string[], aliases: Record<F, readonly string[]>, known: readonly string[] = []): ColumnMatch<F> {
  const byKey = new Map<string, F>();
  for (const [field, names] of Object.entries(aliases) as [F, readonly string[]][]) for (const n of names) byKey.set(headerKey(n), field);
  const knownKeys = new Set(known.map(headerKey));
  const out: ColumnMatch<F> = { index: {}, used: [], ignored: [], unknown: [] };
  header.forEach((h, i) => {
    const key = headerKey(h);
    const field = byKey.get(key);
    if (field !== undefined && out.index[field] === undefined) {
      out.index[field] = i;
      out.used.push(h);
    } else if (knownKeys.has(key) || field !== undefined) out.ignored.push(h);
    else if (h !== '') out.unknown.push(h);
  });
  return out;
}

/** A cell's value: trimmed, with the literal `null` and `NULL` of the IPA export read as empty. */
export function cell<F extends string>(record: CsvRecord, match: ColumnMatch<F>, field: F): string {
  const i = match.index[field];
  if (i === undefined) return '';
  const value = (record.fields[i] ?? '').trim();
  return value.toLowerCase() === 'null' ? '' : value;
}

/** The required columns the header lacks, each named as the user should add it (in the order given). */
export function missingColumnsOf<F extends string>(match: ColumnMatch<F>, required: Partial<Record<F, string>>): string[] {
  return (Object.entries(required) as [F, string][]).filter(([field]) => match.index[field] === undefined).map(([, label]) => label);
}

/** The file's records, except those cut by a quote never closed: each of those is reported on its line instead. */
export function* wellFormedRecords(input: CsvInput, problems: { push(problem: LineProblem): number }): Generator<CsvRecord> {
  for (const record of input.records) {
    if (record.error === 'unterminated_quote') problems.push(lineProblem(record.line, 'unterminated_quote'));
    else yield record;
  }
}
