/**
 * RFC 4180 CSV parsing, as a pure function over an already decoded string: quoted fields may hold
 * delimiters, doubled quotes and line breaks; CRLF and LF both end a record. The delimiter is
 * `,` or `;` (Italian spreadsheets export `;`), detected on the header line.
 */

export type CsvDelimiter = ',' | ';';

export interface CsvTable {
  header: string[];
  /** Data records, each as long as the header (missing trailing cells are empty strings). */
  rows: string[][];
  delimiter: CsvDelimiter;
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** Counts `,` and `;` outside quotes on the first record; the more frequent wins (`,` on a tie). */
export function detectDelimiter(text: string): CsvDelimiter {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/** All records, header included, as arrays of strings. */
export function parseCsvRecords(input: string, delimiter: CsvDelimiter): string[][] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let line = 1;
  let i = 0;
  const n = text.length;
  // Whether the current record has started: a blank line is skipped, not read as one empty cell.
  let started = false;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && field === '') {
      // Quoted field: runs to the closing quote; "" inside stands for one quote.
      const openedAt = line;
      i++;
      let closed = false;
      let start = i;
      while (i < n) {
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += text.slice(start, i + 1);
            i += 2;
            start = i;
            continue;
          }
          field += text.slice(start, i);
          i++;
          closed = true;
          break;
        }
        if (c === '\n') line++;
        i++;
      }
      if (!closed) throw new CsvSyntaxError(`virgolette aperte alla riga ${openedAt} e mai chiuse`, openedAt);
      started = true;
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new CsvSyntaxError(`carattere inatteso «${next}» dopo un campo tra virgolette alla riga ${line}`, line);
      }
      continue;
    }
    if (ch === delimiter) {
      record.push(field);
      field = '';
      started = true;
      i++;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      if (started || field !== '') {
        record.push(field);
        records.push(record);
      }
      record = [];
      field = '';
      started = false;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    // Unquoted run: copy up to the next special character in one slice.
    let j = i + 1;
    while (j < n) {
      const c = text[j];
      if (c === delimiter || c === '\n' || c === '\r') break;
      j++;
    }
    field += text.slice(i, j);
    started = true;
    i = j;
  }
  if (started || field !== '') {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** Parses a CSV document with a header line; the delimiter is detected unless given. */
export function parseCsv(input: string, delimiter?: CsvDelimiter): CsvTable {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const used = delimiter ?? detectDelimiter(text);
  const records = parseCsvRecords(text, used);
  const header = (records.shift() ?? []).map((h) => h.trim());
  const rows = records.map((r) => (r.length >= header.length ? r : [...r, ...Array<string>(header.length - r.length).fill('')]));
  return { header, rows, delimiter: used };
}
