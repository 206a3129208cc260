/**
 * Reading labelled texts from the files people actually have: CSV (`,` or `;`), gzipped CSV and
 * JSON Lines, all UTF-8. Decoding and parsing are pure functions over bytes; `readTabularFile` is
 * the only one touching the file system.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ClassificationError } from './classification.errors.js';
import { CsvSyntaxError, parseCsvTable } from '../../platform/csv.js';

export interface TabularData {
  /** Column names (CSV header, or JSON keys in first-seen order). */
  fields: string[];
  rows: string[][];
}

export type TabularFormat = 'csv' | 'jsonl';

function inputError(message: string): ClassificationError {
  return new ClassificationError('classification.invalid_input', message);
}

/** Format and compression from the file name: `.csv`, `.csv.gz`, `.jsonl`/`.ndjson` (optionally `.gz`). */
export function detectFormat(fileName: string): { format: TabularFormat; gzip: boolean } {
  const lower = fileName.toLowerCase();
  const gzip = lower.endsWith('.gz');
  const base = gzip ? lower.slice(0, -3) : lower;
  if (base.endsWith('.csv')) return { format: 'csv', gzip };
  if (base.endsWith('.jsonl') || base.endsWith('.ndjson')) return { format: 'jsonl', gzip };
  throw inputError(`formato di «${path.basename(fileName)}» non riconosciuto: usare un file .csv, .csv.gz o .jsonl`);
}

/** Offset of the first byte that breaks UTF-8, or -1 when the whole buffer is valid. */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (i + k >= bytes.length || (bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

/** Strict UTF-8: a file in Windows-1252 or Latin-1 is refused with the line of the first bad byte. */
export function decodeUtf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8Byte(bytes);
    let line = 1;
    for (let i = 0; i < Math.max(0, at); i++) if (bytes[i] === 0x0a) line++;
    throw inputError(`«${name}» non è codificato in UTF-8 (byte non valido alla riga ${line}): salvarlo o convertirlo in UTF-8, ad esempio da Windows-1252`);
  }
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(cell).join(' ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** One JSON object per line; blank lines are skipped. */
export function parseJsonLines(text: string, name: string): TabularData {
  const objects: Record<string, unknown>[] = [];
  const fields: string[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw inputError(`«${name}», riga ${i + 1}: JSON non valido (${(err as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw inputError(`«${name}», riga ${i + 1}: atteso un oggetto JSON`);
    const obj = value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (!seen.has(key)) {
        seen.add(key);
        fields.push(key);
      }
    }
    objects.push(obj);
  }
  return { fields, rows: objects.map((o) => fields.map((f) => cell(o[f]))) };
}

/** Parses decoded text in the given format. */
export function parseTabular(text: string, format: TabularFormat, name: string): TabularData {
  if (format === 'jsonl') return parseJsonLines(text, name);
  try {
    const table = parseCsvTable(text);
    if (table.header.length === 0 || (table.header.length === 1 && table.header[0] === '')) throw inputError(`«${name}» è vuoto: manca la riga di intestazione`);
    return { fields: table.header, rows: table.rows };
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw inputError(`«${name}»: CSV non valido, ${err.message}`);
    throw err;
  }
}

/** Reads a .csv, .csv.gz or .jsonl file. @throws ClassificationError `classification.invalid_input`. */
export function readTabularFile(file: string): TabularData {
  const name = path.basename(file);
  const { format, gzip } = detectFormat(file);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw inputError(code === 'ENOENT' ? `file «${file}» inesistente` : `impossibile leggere «${file}» (${code ?? (err as Error).message})`);
  }
  if (gzip) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      throw inputError(`«${name}» non è un file gzip valido`);
    }
  }
  return parseTabular(decodeUtf8(bytes, name), format, name);
}

/**
 * Picks the columns named by a spec like `title+body` (joined with a blank line) and fails with
 * the list of available fields when one is missing.
 */
export function fieldSelector(data: TabularData, spec: string, option: string, name: string): (row: string[]) => string[] {
  const wanted = spec.split('+').map((f) => f.trim()).filter((f) => f !== '');
  if (wanted.length === 0) throw inputError(`${option}: indicare almeno un campo`);
  const positions = wanted.map((f) => {
    const at = data.fields.indexOf(f);
    if (at < 0) throw inputError(`${option}: campo «${f}» assente in «${name}»; campi disponibili: ${data.fields.join(', ')}`);
    return at;
  });
  return (row) => positions.map((p) => row[p] ?? '');
}
