/**
 * An incremental RFC 4180 record reader: text arrives in chunks of any size (a quoted field, a CRLF
 * or a doubled quote may be split across chunks) and complete records come out with the physical
 * line they start on. Same rules as classification/csv-parser.ts (quoted fields hold delimiters,
 * doubled quotes and line breaks; CRLF and LF end a record; blank lines are skipped), plus tab and
 * `|` delimiters, and — because a legacy export must not abort on one bad row — a stray character
 * after a closing quote is kept as text instead of failing the whole file.
 */

export interface CsvRecord {
  /** Physical line (1-based) where the record starts. */
  line: number;
  fields: string[];
  /** Set when the record could not be read completely. */
  error?: 'unterminated_quote';
}

/** A field grew beyond any plausible size: almost always an unbalanced quote swallowing the file. */
export class CsvFieldTooLongError extends Error {
  constructor(readonly line: number) {
    super(`campo oltre ${MAX_FIELD_CHARS} caratteri alla riga ${line}`);
    this.name = 'CsvFieldTooLongError';
  }
}

export const MAX_FIELD_CHARS = 1_000_000;

type State = 'start' | 'unquoted' | 'quoted' | 'quote_in_quoted';

export class CsvRecordReader {
  private state: State = 'start';
  private field = '';
  private fields: string[] = [];
  private line = 1;
  private recordLine = 1;
  private started = false;
  private pendingCr = false;
  private first = true;

  constructor(private readonly delimiter: string) {}

  /** Feeds a chunk; returns the records completed by it. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let text = chunk;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const d = this.delimiter;
    const n = text.length;
    let i = 0;
    while (i < n) {
      const ch = text[i]!;
      if (this.pendingCr) {
        this.pendingCr = false;
        if (ch === '\n') {
          i++;
          continue;
        }
      }
      if (this.state === 'quoted') {
        // Copy the run up to the next quote in one slice.
        const q = text.indexOf('"', i);
        const end = q < 0 ? n : q;
        const run = text.slice(i, end);
        for (let k = 0; k < run.length; k++) if (run.charCodeAt(k) === 10) this.line++;
        this.field += run;
        if (this.field.length > MAX_FIELD_CHARS) throw new CsvFieldTooLongError(this.recordLine);
        i = end;
        if (q >= 0) {
          this.state = 'quote_in_quoted';
          i++;
        }
        continue;
      }
      if (this.state === 'quote_in_quoted') {
        if (ch === '"') {
          this.field += '"';
          this.state = 'quoted';
          i++;
          continue;
        }
        this.state = 'unquoted';
        // fall through: the character after the closing quote is handled as unquoted text
      }
      if (ch === d) {
        this.fields.push(this.field);
        this.field = '';
        this.started = true;
        this.state = 'start';
        i++;
        continue;
      }
      if (ch === '\n' || ch === '\r') {
        if (this.started || this.field !== '') {
          this.fields.push(this.field);
          out.push({ line: this.recordLine, fields: this.fields });
        }
        this.fields = [];
        this.field = '';
        this.started = false;
        this.state = 'start';
        this.line++;
        this.recordLine = this.line;
        if (ch === '\r') this.pendingCr = true;
        i++;
        continue;
      }
      if (ch === '"' && this.state === 'start' && this.field === '') {
        this.state = 'quoted';
        this.started = true;
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n) {
        const c = text[j];
        if (c === d || c === '\n' || c === '\r') break;
        j++;
      }
      this.field += text.slice(i, j);
      if (this.field.length > MAX_FIELD_CHARS) throw new CsvFieldTooLongError(this.recordLine);
      this.started = true;
      this.state = 'unquoted';
      i = j;
    }
    return out;
  }

  /** Flushes the last record (a file need not end with a line break). */
  end(): CsvRecord[] {
    if (this.state === 'quoted') {
      const rec: CsvRecord = { line: this.recordLine, fields: [...this.fields, this.field], error: 'unterminated_quote' };
      this.reset();
      return [rec];
    }
    if (this.started || this.field !== '') {
      const rec = { line: this.recordLine, fields: [...this.fields, this.field] };
      this.reset();
      return [rec];
    }
    return [];
  }

  private reset(): void {
    this.fields = [];
    this.field = '';
    this.started = false;
    this.state = 'start';
  }
}
