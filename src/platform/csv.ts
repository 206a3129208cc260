/**
 * CSV records on `csv-parse`, the one CSV reader of the project (classification and topic imports,
 * the historical import). Rules: RFC 4180 quoting (quoted fields hold delimiters, doubled quotes and
 * line breaks); CRLF, LF and CR all end a record, mixed in one file; a BOM at the start is dropped;
 * blank lines are skipped; records may have any number of fields; a quote inside an unquoted field,
 * or text after a closing quote, is kept as text (a legacy export must not abort on one bad row).
 * Every record carries the physical line (1-based) it starts on. Sniffing — encoding, delimiter,
 * header — is the caller's business (history-import/csv-sniff.ts).
 *
 * Two ways in: `parseCsvRecords` over a whole (or sample) string, `streamCsvRecords` over text or
 * UTF-8 byte chunks in bounded memory (batches of records as each chunk is parsed). csv-parse's own
 * byte loop is most of the time spent (bench/history-import-csv.bench.ts): keep per-record work
 * here small.
 */
import { CsvError, type InfoRecord, type Options, Parser } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';

export interface CsvRecord {
  /** Physical line (1-based) where the record starts. */
  line: number;
  fields: string[];
  /** Set when the record could not be read completely. */
  error?: 'unterminated_quote';
}

/** Beyond this a record is almost always an unbalanced quote swallowing the file. */
export const MAX_RECORD_CHARS = 1_000_000;

/** A record grew beyond `MAX_RECORD_CHARS`. */
export class CsvRecordTooLongError extends Error {
  constructor(readonly line: number) {
    super(`campo oltre ${MAX_RECORD_CHARS} caratteri alla riga ${line}`);
    this.name = 'CsvRecordTooLongError';
  }
}

/** The text cannot be read as CSV (strict reading: a quote never closed). */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

function options(delimiter: string, extra: Options = {}): Options {
  return {
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_CHARS,
    ...extra,
  };
}

/** Whole-text reading: each record with the offset where its bytes end, nothing accumulated. */
function parseBytes(bytes: Buffer, delimiter: string, onRecord: (fields: string[], end: number) => void, extra: Options = {}): void {
  parseSync(
    bytes,
    options(delimiter, {
      ...extra,
      on_record: (record: string[], context: InfoRecord) => {
        onRecord(record, context.bytes);
        return null;
      },
    }),
  );
}

/**
 * The streaming parser, taking each record as csv-parse emits it. `on_record` would do the same but
 * builds a fresh info object (two object spreads) per record, which cost a third of the parse time
 * on the Boston file; `parser.info` is the same information, updated live, read here at the moment
 * the record is pushed (a Transform pushes its output synchronously from `_transform`). Records
 * never enter the readable side, so there is no per-record stream buffering nor back-pressure.
 */
class RecordParser extends Parser {
  constructor(
    delimiter: string,
    private readonly onRecord: (fields: string[], end: number) => void,
  ) {
    super(options(delimiter));
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    this.onRecord(chunk as string[], this.info.bytes);
    return true;
  }
}

const CR = 13;
const LF = 10;

/**
 * Physical line numbers, counted on the bytes the parser consumed for each record (its own line
 * count reads a CRLF inside quotes as two lines). CR and LF never occur inside a multi-byte UTF-8
 * sequence, so counting on bytes is exact. Holds the bytes since the end of the last record only.
 */
class LineTracker {
  /** Bytes not yet attributed to a record, starting at stream offset `base`. */
  private window: Buffer = Buffer.alloc(0);
  private base = 0;
  /** Line breaks before the end of the last record. */
  private breaks = 0;
  private lastWasCr = false;

  append(bytes: Buffer): void {
    this.window = this.window.length === 0 ? bytes : Buffer.concat([this.window, bytes]);
  }

  /** The record whose bytes end at stream offset `end`. */
  record(fields: string[], end: number): CsvRecord {
    const bytes = this.window.subarray(0, end - this.base);
    const line = this.lineAfterBreaks(bytes);
    this.count(bytes);
    this.window = this.window.subarray(bytes.length);
    this.base = end;
    return { line, fields };
  }

  /** The line where the record in the bytes not yet attributed starts. */
  pendingLine(): number {
    return this.lineAfterBreaks(this.window);
  }

  /** The bytes not yet attributed, without the blank lines before them. */
  pendingText(): string {
    let i = this.bomLength(this.window);
    while (i < this.window.length && (this.window[i] === CR || this.window[i] === LF)) i++;
    return this.window.subarray(i).toString('utf8');
  }

  private lineAfterBreaks(bytes: Buffer): number {
    let i = this.bomLength(bytes);
    while (i < bytes.length && (bytes[i] === CR || bytes[i] === LF)) i++;
    return 1 + this.breaks + breaksIn(bytes.subarray(0, i), this.lastWasCr);
  }

  /** The UTF-8 byte order mark at the very start of the stream (the parser drops it). */
  private bomLength(bytes: Buffer): number {
    return this.base === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  }

  private count(bytes: Buffer): void {
    this.breaks += breaksIn(bytes, this.lastWasCr);
    if (bytes.length > 0) this.lastWasCr = bytes[bytes.length - 1] === CR;
  }
}

/**
 * Line breaks in bytes: CRLF, LF and a lone CR count one each (`afterCr`: the byte before was a CR).
 * Searched with the native `indexOf` rather than a loop over every byte: records are short and
 * hold one break or none, so this is a couple of calls per record.
 */
function breaksIn(bytes: Buffer, afterCr: boolean): number {
  let n = 0;
  for (let i = bytes.indexOf(CR); i !== -1; i = bytes.indexOf(CR, i + 1)) n++;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) {
    const crBefore = i === 0 ? afterCr : bytes[i - 1] === CR;
    if (!crBefore) n++;
  }
  return n;
}

/** The partial record of a quote left open at the end of the text: what was read, quote closed. */
function unterminated(lines: LineTracker, delimiter: string): CsvRecord {
  let fields: string[] = [];
  parseBytes(Buffer.from(`${lines.pendingText()}"`, 'utf8'), delimiter, (f) => {
    fields = f;
  });
  return { line: lines.pendingLine(), fields, error: 'unterminated_quote' };
}

function translate(err: unknown, lines: LineTracker, delimiter: string): CsvRecord {
  if (err instanceof CsvError && err.code === 'CSV_MAX_RECORD_SIZE') throw new CsvRecordTooLongError(lines.pendingLine());
  if (err instanceof CsvError && err.code === 'CSV_QUOTE_NOT_CLOSED') return unterminated(lines, delimiter);
  throw err;
}

export interface ParseOptions {
  /** False for a sample cut off anywhere: its last record, possibly incomplete, is dropped. Default true. */
  complete?: boolean;
  /** Stop after this many records. */
  max?: number;
}

/**
 * The records of a string. A quote left open at the end gives a last record flagged
 * `unterminated_quote` (dropped from an incomplete sample). @throws CsvRecordTooLongError.
 */
export function parseCsvRecords(text: string, delimiter: string, opts: ParseOptions = {}): CsvRecord[] {
  const complete = opts.complete ?? true;
  const out: CsvRecord[] = [];
  const lines = new LineTracker();
  const bytes = Buffer.from(text, 'utf8');
  lines.append(bytes);
  const extra: Options = opts.max !== undefined ? { to: opts.max + (complete ? 0 : 1) } : {};
  try {
    parseBytes(bytes, delimiter, (fields, end) => out.push(lines.record(fields, end)), extra);
  } catch (err) {
    const rec = translate(err, lines, delimiter);
    if (complete) out.push(rec);
    return opts.max !== undefined ? out.slice(0, opts.max) : out;
  }
  // In a sample, the last record is whole only when a line break follows it.
  if (!complete && out.length > 0 && (opts.max === undefined || out.length <= opts.max) && !/[\r\n]$/.test(text)) out.pop();
  return opts.max !== undefined ? out.slice(0, opts.max) : out;
}

/** Strict reading for files a user hands in whole: a quote never closed is an error naming its line. */
export function parseCsvStrict(text: string, delimiter: string): CsvRecord[] {
  const records = parseCsvRecords(text, delimiter);
  const bad = records.find((r) => r.error === 'unterminated_quote');
  if (bad) throw new CsvSyntaxError(`virgolette aperte alla riga ${bad.line} e mai chiuse`, bad.line);
  return records;
}

/**
 * Records of a text arriving in chunks of any size (a quoted field, a CRLF, a doubled quote or a
 * multi-byte character may be split across chunks), yielded as the batch each chunk completes.
 * Chunks are strings, or bytes already in UTF-8 (handed to the parser as they are: no decoding and
 * re-encoding of the whole file). Memory holds one chunk and the record being read.
 * @throws CsvRecordTooLongError.
 */
export async function* streamCsvRecords(chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>, delimiter: string): AsyncGenerator<CsvRecord[]> {
  let batch: CsvRecord[] = [];
  const lines = new LineTracker();
  const parser = new RecordParser(delimiter, (fields, end) => batch.push(lines.record(fields, end)));
  let failure: unknown = null;
  parser.on('error', (err) => {
    failure ??= err;
  });
  const write = (chunk: string | Uint8Array) =>
    new Promise<void>((resolve) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      lines.append(bytes);
      parser.write(bytes, (err) => {
        if (err) failure ??= err;
        resolve();
      });
    });
  const take = () => {
    const out = batch;
    batch = [];
    return out;
  };
  try {
    for await (const chunk of chunks) {
      if (chunk.length === 0) continue;
      await write(chunk);
      if (failure) break;
      if (batch.length > 0) yield take();
    }
    if (!failure) {
      await new Promise<void>((resolve) => {
        parser.once('error', () => resolve());
        parser.end(() => resolve());
        // Nothing reads the (empty) readable side: let it end so that 'finish' is not held back.
        parser.resume();
      });
    }
    if (batch.length > 0) yield take();
    if (failure) {
      const rec = translate(failure, lines, delimiter);
      yield [rec];
    }
  } finally {
    parser.destroy();
  }
}

export type CommaOrSemicolon = ',' | ';';

/** Counts `,` and `;` outside quotes on the first record; the more frequent wins (`,` on a tie). */
export function commaOrSemicolon(text: string): CommaOrSemicolon {
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

export interface CsvTable {
  header: string[];
  /** Data records, each at least as long as the header (missing trailing cells are empty strings). */
  rows: string[][];
  delimiter: CommaOrSemicolon;
}

/**
 * A whole CSV document with a header line, strictly (a quote never closed is a `CsvSyntaxError`
 * naming its line); the delimiter, `,` or `;` (Italian spreadsheets export `;`), is detected on the
 * header line unless given.
 */
export function parseCsvTable(input: string, delimiter?: CommaOrSemicolon): CsvTable {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const used = delimiter ?? commaOrSemicolon(text);
  const records = parseCsvStrict(text, used).map((r) => r.fields);
  const header = (records.shift() ?? []).map((h) => h.trim());
  const rows = records.map((r) => (r.length >= header.length ? r : [...r, ...Array<string>(header.length - r.length).fill('')]));
  return { header, rows, delimiter: used };
}

/** What Windows-1252 puts at 0x80–0x9F (ISO-8859-1 has control characters there); the undefined five stay as they are. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * Windows-1252 text. Node 20's TextDecoder('windows-1252') decodes as ISO-8859-1 (0x80 stays a
 * control character instead of €, 0x96 instead of –), so the high range is mapped here.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes).replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/**
 * A decoder for chunks of a stream in UTF-8 (a BOM is dropped) or Windows-1252 (one byte per
 * character, so a chunk never splits one).
 */
export function createTextDecoder(encoding: 'utf-8' | 'windows-1252'): { decode(bytes?: Uint8Array, options?: { stream?: boolean }): string } {
  if (encoding === 'utf-8') return new TextDecoder('utf-8', { ignoreBOM: false });
  return { decode: (bytes) => (bytes ? decodeWindows1252(bytes) : '') };
}

/**
 * Text of a small CSV file given as bytes: UTF-8 (a BOM is dropped) when it is valid UTF-8, otherwise
 * Windows-1252, as Excel on Windows saves "CSV" and as ISTAT publishes its lists.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}
