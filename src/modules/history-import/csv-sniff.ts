/**
 * Sniffing a legacy CSV export before import, as pure functions over bytes and text: which
 * encoding (UTF-8 with or without BOM, or Windows-1252/ISO-8859-1), which delimiter (, ; tab |),
 * and whether the first record is a header. Undecidable cases are reported, never guessed.
 */
import { createTextDecoder, parseCsvRecords } from '../../platform/csv.js';

export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252';
export type Delimiter = ',' | ';' | '\t' | '|';
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

/** Human name of a delimiter for messages. */
export function delimiterName(d: Delimiter): string {
  return d === '\t' ? 'tabulazione' : `«${d}»`;
}

export type SniffFailure =
  | { kind: 'empty' }
  | { kind: 'binary'; offset: number }
  | { kind: 'utf16' }
  | { kind: 'encoding_undecidable'; line: number };

/**
 * Incremental checks over the whole byte stream: UTF-8 validity (a sequence split across chunks is
 * carried over), NUL and other control bytes (binary files), and the bytes that Windows-1252 leaves
 * undefined. Memory is constant whatever the file size.
 */
export class ByteInspector {
  private pending: number[] = [];
  private need = 0;
  private offset = 0;
  private line = 1;
  bytes = 0;
  firstInvalidUtf8Line = -1;
  firstBinaryOffset = -1;
  cp1252Undefined = 0;
  controlBytes = 0;
  head: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): void {
    if (this.head.length < 4) {
      const merged = new Uint8Array(Math.min(4, this.head.length + chunk.length));
      merged.set(this.head.subarray(0, merged.length));
      merged.set(chunk.subarray(0, merged.length - this.head.length), this.head.length);
      this.head = merged;
    }
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      const at = this.offset + i;
      if (b === 0x0a) this.line++;
      if (b === 0x00 && this.firstBinaryOffset < 0) this.firstBinaryOffset = at;
      if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) this.controlBytes++;
      if (b === 0x81 || b === 0x8d || b === 0x8f || b === 0x90 || b === 0x9d) this.cp1252Undefined++;
      if (this.firstInvalidUtf8Line >= 0) continue;
      if (this.need > 0) {
        if ((b & 0xc0) !== 0x80) {
          this.firstInvalidUtf8Line = this.line;
          continue;
        }
        this.pending.push(b);
        this.need--;
        if (this.need === 0 && !validLead(this.pending)) this.firstInvalidUtf8Line = this.line;
        continue;
      }
      if (b < 0x80) continue;
      const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
      if (need < 0) {
        this.firstInvalidUtf8Line = this.line;
        continue;
      }
      this.need = need;
      this.pending = [b];
    }
    this.offset += chunk.length;
    this.bytes += chunk.length;
  }

  /** The verdict once every byte has been seen. */
  finish(): { ok: true; encoding: SourceEncoding } | { ok: false; failure: SniffFailure } {
    if (this.need > 0 && this.firstInvalidUtf8Line < 0) this.firstInvalidUtf8Line = this.line;
    const h = this.head;
    const bom = h[0] === 0xef && h[1] === 0xbb && h[2] === 0xbf;
    if (this.bytes === 0 || (bom && this.bytes === 3)) return { ok: false, failure: { kind: 'empty' } };
    if ((h[0] === 0xff && h[1] === 0xfe) || (h[0] === 0xfe && h[1] === 0xff)) return { ok: false, failure: { kind: 'utf16' } };
    // Text files have no NUL bytes and almost no other control bytes.
    if (this.firstBinaryOffset >= 0 || this.controlBytes > Math.max(8, this.bytes / 1000)) {
      return { ok: false, failure: { kind: 'binary', offset: Math.max(0, this.firstBinaryOffset) } };
    }
    if (this.firstInvalidUtf8Line < 0) return { ok: true, encoding: bom ? 'utf-8-bom' : 'utf-8' };
    // Not UTF-8: Windows-1252 (a superset of ISO-8859-1's printable range) unless it uses bytes
    // Windows-1252 does not define, or claims a UTF-8 BOM it then breaks.
    if (bom || this.cp1252Undefined > 0) return { ok: false, failure: { kind: 'encoding_undecidable', line: this.firstInvalidUtf8Line } };
    return { ok: true, encoding: 'windows-1252' };
  }
}

/** Overlong and surrogate forms are invalid even with the right continuation bytes. */
function validLead(seq: number[]): boolean {
  const [b0, b1] = seq as [number, number];
  if (b0 === 0xe0) return b1 >= 0xa0;
  if (b0 === 0xed) return b1 < 0xa0;
  if (b0 === 0xf0) return b1 >= 0x90;
  if (b0 === 0xf4) return b1 < 0x90;
  return true;
}

/** A decoder for the sniffed encoding (the BOM, when present, is dropped). */
export function createDecoder(encoding: SourceEncoding) {
  return createTextDecoder(encoding === 'windows-1252' ? 'windows-1252' : 'utf-8');
}

/** First records of a text sample (the last, possibly cut, record is dropped unless the sample is complete). */
export function sampleRecords(text: string, delimiter: Delimiter, complete: boolean, max = 50): string[][] {
  return parseCsvRecords(text, delimiter, { complete, max }).map((r) => r.fields);
}

export interface DelimiterGuess {
  delimiter: Delimiter | null;
  /** Columns per candidate delimiter (most frequent field count), to explain a failure. */
  columnsBy: Record<string, number>;
}

/**
 * Picks the delimiter that splits the sample into the same number (> 1) of fields on most
 * records; ties go to the larger field count, then to the order , ; tab |.
 */
export function detectDelimiter(text: string, complete: boolean): DelimiterGuess {
  let best: { d: Delimiter; consistent: number; columns: number } | null = null;
  const columnsBy: Record<string, number> = {};
  for (const d of DELIMITERS) {
    let records: string[][];
    try {
      records = sampleRecords(text, d, complete, 30);
    } catch {
      continue;
    }
    if (records.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    const [columns, consistent] = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]!;
    columnsBy[d] = columns;
    if (columns < 2) continue;
    const headerColumns = records[0]!.length;
    // The header must agree with the body: a stray delimiter in text does not make a column.
    if (headerColumns !== columns && records.length > 1) continue;
    if (!best || consistent > best.consistent || (consistent === best.consistent && columns > best.columns)) best = { d, consistent, columns };
  }
  return { delimiter: best?.d ?? null, columnsBy };
}

const NUMERIC = /^[-+]?\d+([.,]\d+)?$/;
const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/;

/**
 * The first record is a header when its cells are all non-empty, distinct, and none looks like a
 * number or a date while such values appear in the same column below.
 */
export function detectHeader(records: string[][]): boolean {
  const first = records[0];
  if (!first || first.length === 0) return false;
  const cells = first.map((c) => c.trim());
  if (cells.some((c) => c === '')) return false;
  if (new Set(cells.map((c) => c.toLowerCase())).size !== cells.length) return false;
  if (cells.some((c) => NUMERIC.test(c) || DATE_LIKE.test(c))) return false;
  return true;
}

/** Column names: the header, or «Colonna 1…n» when the file has none. */
export function columnNames(first: string[], hasHeader: boolean): string[] {
  if (!hasHeader) return first.map((_, i) => `Colonna ${i + 1}`);
  const seen = new Map<string, number>();
  return first.map((c, i) => {
    const name = c.trim() || `Colonna ${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n > 1 ? `${name} (${n})` : name;
  });
}
