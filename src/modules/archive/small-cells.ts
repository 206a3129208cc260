/**
 * Small-cell suppression of every aggregate table the archive publishes (issue 13): a count of 1
 * to `threshold` (default 3) contacts in a cell could point at a person ("the only PEC about the
 * TARI from that comune in March"), so it is withheld (primary suppression); then enough other
 * cells are withheld that no withheld count can be recomputed from the published ones and the
 * totals (secondary suppression).
 *
 * Rules:
 * - Zero cells are published and never primary-suppressed: "nobody asked" identifies nobody, and
 *   hiding zeros would make sparse tables unreadable (the practice of ISTAT and Eurostat for counts
 *   of events). Totals are cells like the others: a total of 1–3 is suppressed too.
 * - Every row, column and total line is a linear constraint (cells sum to the total). In a line with
 *   exactly one withheld cell, the next smallest positive cell of the line is withheld too (the
 *   total when no positive cell is left, a zero cell as a last resort); repeated until stable.
 * - The line rule is not enough when withheld cells chain across lines (two withheld rectangles
 *   joined by one cell: that cell is the difference of two sums). So the table is then audited
 *   with linear algebra: a withheld cell whose value follows exactly from the published values
 *   (its unit vector lies in the row space of the constraints) gets one more cell of its lines
 *   withheld, until no withheld cell can be recomputed.
 *
 * Pure; the tables are small (periods × categories), so the audit's Gaussian elimination is cheap.
 */

export const DEFAULT_SMALL_CELL_THRESHOLD = 3;

export type CellStatus = 'published' | 'primary' | 'secondary';

/** A two-way table of counts: rows × columns, with row, column and grand totals. */
export interface CountTable {
  rows: readonly string[];
  columns: readonly string[];
  /** cells[row][column]. */
  cells: readonly (readonly number[])[];
}

export interface PublishedTable {
  rows: string[];
  columns: string[];
  /** null where withheld. */
  cells: (number | null)[][];
  rowTotals: (number | null)[];
  columnTotals: (number | null)[];
  total: number | null;
  status: { cells: CellStatus[][]; rowTotals: CellStatus[]; columnTotals: CellStatus[]; total: CellStatus };
  suppressed: { primary: number; secondary: number };
}

/** A one-way table (counts by one dimension, with its total). */
export interface PublishedCounts {
  labels: string[];
  counts: (number | null)[];
  total: number | null;
  status: { counts: CellStatus[]; total: CellStatus };
  suppressed: { primary: number; secondary: number };
}

/** A line: cells whose values sum to the `total` cell (indices into a flat array). */
interface Line {
  members: number[];
  total: number;
}

/**
 * Withholds cells of a flat table with linear constraints. Returns the status of each cell.
 * Exported for tests and for tables of other shapes; `suppressTable`/`suppressCounts` build the lines.
 */
export function suppressCells(values: readonly number[], lines: readonly Line[], threshold = DEFAULT_SMALL_CELL_THRESHOLD): CellStatus[] {
  if (!Number.isInteger(threshold) || threshold < 0) throw new RangeError(`threshold must be a non-negative integer, got ${threshold}`);
  const status: CellStatus[] = values.map((v) => (v > 0 && v <= threshold ? 'primary' : 'published'));
  const withheld = (i: number) => status[i] !== 'published';
  const linesOf = new Map<number, Line[]>();
  for (const line of lines) {
    for (const i of [...line.members, line.total]) linesOf.set(i, [...(linesOf.get(i) ?? []), line]);
  }

  /** The cell of `line` to withhold next: smallest positive member, else the total, else a zero member. */
  const nextOf = (line: Line): number | null => {
    const open = line.members.filter((i) => !withheld(i));
    const positive = open.filter((i) => values[i]! > 0).sort((a, b) => values[a]! - values[b]! || a - b);
    if (positive.length > 0) return positive[0]!;
    if (!withheld(line.total)) return line.total;
    return open[0] ?? null;
  };

  for (;;) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const line of lines) {
        const count = [...line.members, line.total].filter(withheld).length;
        if (count !== 1) continue;
        const next = nextOf(line);
        if (next === null) continue;
        status[next] = 'secondary';
        changed = true;
      }
    }
    const exposed = recomputableCells(values, lines, status.map((s) => s !== 'published'));
    if (exposed.length === 0) return status;
    // Withhold one more cell in a line of an exposed cell, then apply the line rule again; when their
    // lines are all withheld already, the smallest published cell anywhere (always terminates: one more each time).
    let extra: number | null = null;
    for (const cell of exposed) {
      for (const line of linesOf.get(cell) ?? []) {
        extra = nextOf(line);
        if (extra !== null) break;
      }
      if (extra !== null) break;
    }
    extra ??= values.map((_, i) => i).filter((i) => !withheld(i)).sort((a, b) => values[a]! - values[b]! || a - b)[0] ?? null;
    if (extra === null) return status;
    status[extra] = 'secondary';
  }
}

/**
 * The withheld cells whose value an attacker can recompute exactly from the published cells and the
 * line sums: x_i is determined iff e_i lies in the row space of the constraint matrix over the
 * withheld cells, i.e. the reduced row echelon form has a row that is e_i.
 */
export function recomputableCells(values: readonly number[], lines: readonly Line[], withheld: readonly boolean[]): number[] {
  const unknowns = values.map((_, i) => i).filter((i) => withheld[i]);
  if (unknowns.length === 0) return [];
  const column = new Map(unknowns.map((cell, j) => [cell, j]));
  const matrix: number[][] = [];
  for (const line of lines) {
    const row = new Array<number>(unknowns.length).fill(0);
    let any = false;
    for (const m of line.members) {
      const j = column.get(m);
      if (j !== undefined) {
        row[j] = 1;
        any = true;
      }
    }
    const t = column.get(line.total);
    if (t !== undefined) {
      row[t] = -1;
      any = true;
    }
    if (any) matrix.push(row);
  }
  // Reduced row echelon form.
  const pivots: number[] = [];
  let r = 0;
  for (let c = 0; c < unknowns.length && r < matrix.length; c++) {
    let p = r;
    while (p < matrix.length && Math.abs(matrix[p]![c]!) < 1e-9) p++;
    if (p === matrix.length) continue;
    [matrix[r], matrix[p]] = [matrix[p]!, matrix[r]!];
    const pivotRow = matrix[r]!;
    const pv = pivotRow[c]!;
    for (let j = 0; j < pivotRow.length; j++) pivotRow[j]! /= pv;
    for (let i = 0; i < matrix.length; i++) {
      if (i === r) continue;
      const row = matrix[i]!;
      const f = row[c]!;
      if (Math.abs(f) < 1e-12) continue;
      for (let j = 0; j < row.length; j++) row[j]! -= f * pivotRow[j]!;
    }
    pivots.push(c);
    r++;
  }
  const exposed: number[] = [];
  pivots.forEach((c, i) => {
    if (matrix[i]!.every((v, j) => j === c || Math.abs(v) < 1e-9)) exposed.push(unknowns[c]!);
  });
  return exposed;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Suppresses a two-way table with its margins (row totals, column totals, grand total). */
export function suppressTable(table: CountTable, threshold = DEFAULT_SMALL_CELL_THRESHOLD): PublishedTable {
  const R = table.rows.length;
  const C = table.columns.length;
  // Augmented (R+1) × (C+1) grid, flat: the last column holds row totals, the last row column totals.
  const W = C + 1;
  const at = (r: number, c: number) => r * W + c;
  const values: number[] = new Array((R + 1) * W).fill(0);
  for (let r = 0; r < R; r++) {
    const row = table.cells[r] ?? [];
    for (let c = 0; c < C; c++) values[at(r, c)] = row[c] ?? 0;
    values[at(r, C)] = sum(row.slice(0, C));
  }
  for (let c = 0; c <= C; c++) {
    let s = 0;
    for (let r = 0; r < R; r++) s += values[at(r, c)]!;
    values[at(R, c)] = s;
  }
  const lines: Line[] = [];
  for (let r = 0; r <= R; r++) lines.push({ members: Array.from({ length: C }, (_, c) => at(r, c)), total: at(r, C) });
  for (let c = 0; c <= C; c++) lines.push({ members: Array.from({ length: R }, (_, r) => at(r, c)), total: at(R, c) });
  const status = suppressCells(values, lines, threshold);
  const show = (i: number) => (status[i] === 'published' ? values[i]! : null);
  return {
    rows: [...table.rows],
    columns: [...table.columns],
    cells: Array.from({ length: R }, (_, r) => Array.from({ length: C }, (_, c) => show(at(r, c)))),
    rowTotals: Array.from({ length: R }, (_, r) => show(at(r, C))),
    columnTotals: Array.from({ length: C }, (_, c) => show(at(R, c))),
    total: show(at(R, C)),
    status: {
      cells: Array.from({ length: R }, (_, r) => Array.from({ length: C }, (_, c) => status[at(r, c)]!)),
      rowTotals: Array.from({ length: R }, (_, r) => status[at(r, C)]!),
      columnTotals: Array.from({ length: C }, (_, c) => status[at(R, c)]!),
      total: status[at(R, C)]!,
    },
    suppressed: tally(status),
  };
}

/** Suppresses a one-way table (counts by one dimension) with its total. */
export function suppressCounts(labels: readonly string[], counts: readonly number[], threshold = DEFAULT_SMALL_CELL_THRESHOLD): PublishedCounts {
  const n = labels.length;
  const values = [...labels.map((_, i) => counts[i] ?? 0), sum(counts.slice(0, n))];
  const status = suppressCells(values, [{ members: labels.map((_, i) => i), total: n }], threshold);
  const show = (i: number) => (status[i] === 'published' ? values[i]! : null);
  return {
    labels: [...labels],
    counts: labels.map((_, i) => show(i)),
    total: show(n),
    status: { counts: status.slice(0, n), total: status[n]! },
    suppressed: tally(status),
  };
}

function tally(status: readonly CellStatus[]): { primary: number; secondary: number } {
  return { primary: status.filter((s) => s === 'primary').length, secondary: status.filter((s) => s === 'secondary').length };
}
