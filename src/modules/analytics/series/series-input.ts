/**
 * Reading `date,series,count` daily counts one line at a time, keeping every problem as an issue
 * with its line number instead of failing. Decisions (documented in `urpnet analyze --help`):
 * - days missing inside a series count as zero; a series starts at its own first date and ends at
 *   the last date of the whole file (a series absent on the last days had no contacts then);
 * - rows may come in any order;
 * - a repeated (date, series) pair keeps the first row, later ones are reported and ignored;
 * - non-numeric, negative or non-finite counts, invalid or future dates, empty series names and
 *   rows with the wrong number of fields are reported and ignored; decimal counts are rounded.
 */
import { isoOfDay, parseIsoDay } from './series-calendar.js';

export interface InputIssue {
  line: number;
  message: string;
}

/** A daily series: `counts[i]` is the count of day `start + i` (day numbers, see series-calendar). */
export interface DailySeries {
  name: string;
  start: number;
  counts: ArrayLike<number>;
}

export interface SeriesInput {
  series: DailySeries[];
  issues: InputIssue[];
  /** Rows that made it into a series. */
  rowsUsed: number;
}

interface Cell {
  count: number;
  line: number;
}

/** Splits one CSV line on commas, honouring double quotes (`"a, b"`, `""` for a quote). */
export function splitCsvLine(line: string): string[] | null {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) return null;
  out.push(field);
  return out;
}

/** Accumulates lines (the first non-empty one is the header) and builds the series at the end. */
export class SeriesInputReader {
  readonly issues: InputIssue[] = [];
  private readonly cells = new Map<string, Map<number, Cell>>();
  private columns: { date: number; series: number; count: number; width: number } | null = null;
  private headerProblem = false;
  private lastDay = Number.NEGATIVE_INFINITY;
  private rows = 0;

  /** `today` is the last acceptable date (day number); later dates are reported as future. */
  constructor(private readonly today: number) {}

  /** Adds one line; true when it became a data point. */
  addLine(raw: string, lineNumber: number): boolean {
    const text = (lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw).replace(/\r$/, '');
    if (text.trim() === '') return false;
    if (this.columns === null) {
      if (!this.headerProblem) this.readHeader(text, lineNumber);
      return false;
    }
    const fields = splitCsvLine(text);
    if (fields === null) return this.issue(lineNumber, 'virgolette non chiuse: riga ignorata');
    if (fields.length !== this.columns.width) return this.issue(lineNumber, `attesi ${this.columns.width} campi, trovati ${fields.length}: riga ignorata`);
    const dateText = fields[this.columns.date]!.trim();
    const name = fields[this.columns.series]!.trim();
    const countText = fields[this.columns.count]!.trim();
    const day = parseIsoDay(dateText);
    if (day === null) return this.issue(lineNumber, `data «${dateText}» non valida (atteso AAAA-MM-GG): riga ignorata`);
    if (day > this.today) return this.issue(lineNumber, `data ${dateText} nel futuro: riga ignorata`);
    if (name === '') return this.issue(lineNumber, 'serie vuota: riga ignorata');
    const value = countText === '' ? Number.NaN : Number(countText);
    if (!Number.isFinite(value)) return this.issue(lineNumber, `conteggio «${countText}» non numerico: riga ignorata`);
    if (value < 0) return this.issue(lineNumber, `conteggio negativo (${countText}): riga ignorata`);
    let count = value;
    if (!Number.isInteger(value)) {
      count = Math.round(value);
      this.issue(lineNumber, `conteggio non intero (${countText}): arrotondato a ${count}`);
    }
    let byDay = this.cells.get(name);
    if (!byDay) {
      byDay = new Map();
      this.cells.set(name, byDay);
    }
    const previous = byDay.get(day);
    if (previous) return this.issue(lineNumber, `coppia (${dateText}, ${name}) già presente alla riga ${previous.line}: riga ignorata`);
    byDay.set(day, { count, line: lineNumber });
    if (day > this.lastDay) this.lastDay = day;
    this.rows++;
    return true;
  }

  finish(): SeriesInput {
    if (this.columns === null && !this.headerProblem) this.issue(1, 'file vuoto: manca l’intestazione date,series,count');
    const series: DailySeries[] = [];
    for (const [name, byDay] of this.cells) {
      let first = Number.POSITIVE_INFINITY;
      for (const day of byDay.keys()) if (day < first) first = day;
      const counts = new Float64Array(this.lastDay - first + 1);
      for (const [day, cell] of byDay) counts[day - first] = cell.count;
      series.push({ name, start: first, counts });
    }
    series.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { series, issues: this.issues, rowsUsed: this.rows };
  }

  /** Last date of the file, as `YYYY-MM-DD` (null when no row was usable). */
  get lastDate(): string | null {
    return Number.isFinite(this.lastDay) ? isoOfDay(this.lastDay) : null;
  }

  private readHeader(text: string, lineNumber: number): void {
    const names = (splitCsvLine(text) ?? []).map((f) => f.trim().toLowerCase());
    const date = names.indexOf('date');
    const series = names.indexOf('series');
    const count = names.indexOf('count');
    if (date < 0 || series < 0 || count < 0) {
      this.headerProblem = true;
      this.issue(lineNumber, `intestazione «${text.slice(0, 80)}» non valida: attese le colonne date,series,count`);
      return;
    }
    this.columns = { date, series, count, width: names.length };
  }

  private issue(line: number, message: string): false {
    this.issues.push({ line, message });
    return false;
  }
}

/** Reads a whole text at once (tests, small inputs). */
export function readSeriesInput(text: string, today: number): SeriesInput {
  const reader = new SeriesInputReader(today);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) reader.addLine(lines[i]!, i + 1);
  return reader.finish();
}
