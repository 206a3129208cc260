import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PublishedTable, recomputableCells, suppressCounts, suppressTable } from './small-cells.js';

/**
 * The attacker: knows the published cells and totals, and that each row and column sums to its
 * total. Propagation (a line with one unknown gives it away) and Gaussian elimination over the
 * unknowns (written here independently of the implementation) must recover no withheld value.
 */
function attack(t: PublishedTable): { recovered: Map<string, number> } {
  const R = t.rows.length;
  const C = t.columns.length;
  type Cell = { key: string; value: number | null };
  const grid: Cell[][] = [];
  for (let r = 0; r <= R; r++) {
    const row: Cell[] = [];
    for (let c = 0; c <= C; c++) {
      const value = r < R && c < C ? t.cells[r]![c]! : r < R ? t.rowTotals[r]! : c < C ? t.columnTotals[c]! : t.total;
      row.push({ key: `${r},${c}`, value });
    }
    grid.push(row);
  }
  const lines: { members: Cell[]; total: Cell }[] = [];
  for (let r = 0; r <= R; r++) lines.push({ members: grid[r]!.slice(0, C), total: grid[r]![C]! });
  for (let c = 0; c <= C; c++) lines.push({ members: grid.slice(0, R).map((row) => row[c]!), total: grid[R]![c]! });
  const recovered = new Map<string, number>();
  // Propagation.
  const known = new Map<string, number>();
  for (const row of grid) for (const cell of row) if (cell.value !== null) known.set(cell.key, cell.value);
  let progress = true;
  while (progress) {
    progress = false;
    for (const line of lines) {
      const all = [...line.members, line.total];
      const unknown = all.filter((c) => !known.has(c.key));
      if (unknown.length !== 1) continue;
      const u = unknown[0]!;
      const membersSum = line.members.filter((c) => c !== u).reduce((s, c) => s + known.get(c.key)!, 0);
      const value = u === line.total ? membersSum : known.get(line.total.key)! - membersSum;
      known.set(u.key, value);
      recovered.set(u.key, value);
      progress = true;
    }
  }
  return { recovered };
}

describe('suppressCounts (one dimension)', () => {
  it('withholds counts of 1–3 and the next smallest so that the total does not give them away', () => {
    const r = suppressCounts(['a', 'b', 'c', 'd'], [120, 2, 40, 0]);
    expect(r.counts).toEqual([120, null, null, 0]);
    expect(r.total).toBe(162);
    expect(r.status.counts).toEqual(['published', 'primary', 'secondary', 'published']);
    expect(r.suppressed).toEqual({ primary: 1, secondary: 1 });
  });

  it('publishes zeros and large counts untouched', () => {
    expect(suppressCounts(['a', 'b'], [0, 10]).counts).toEqual([0, 10]);
  });

  it('withholds a small total, and whatever would reveal it', () => {
    const r = suppressCounts(['a', 'b'], [2, 0]);
    expect(r.counts[0]).toBeNull();
    expect(r.total).toBeNull();
  });

  it('honours another threshold (0: nothing is sensitive)', () => {
    expect(suppressCounts(['a', 'b'], [5, 50], 5).counts).toEqual([null, null]);
    expect(suppressCounts(['a', 'b'], [1, 50], 0).counts).toEqual([1, 50]);
  });
});

describe('suppressTable (two dimensions with totals)', () => {
  it('withholds a primary cell, a partner in its row and column, and closes the rectangle', () => {
    const t = suppressTable({ rows: ['gen', 'feb', 'mar'], columns: ['tel', 'web', 'pec'], cells: [[50, 40, 2], [30, 20, 25], [44, 33, 22]] });
    expect(t.cells[0]![2]).toBeNull();
    expect(t.status.cells[0]![2]).toBe('primary');
    expect(t.suppressed.secondary).toBeGreaterThanOrEqual(3);
    expect(t.total).toBe(266);
    expect(attack(t).recovered.size).toBe(0);
  });

  it('handles an empty table', () => {
    const t = suppressTable({ rows: [], columns: [], cells: [] });
    expect(t.total).toBe(0);
  });

  it('closes the chain that the line rule alone leaves open (two withheld blocks joined by one cell)', () => {
    // Every line has two or more primaries, yet the joining cell (0,2) is row 0 + row 1 − column 0 − column 1.
    const cells = [
      [2, 3, 1, 50, 60],
      [1, 2, 40, 45, 70],
      [90, 80, 2, 3, 65],
      [70, 60, 3, 1, 75],
      [55, 66, 77, 88, 99],
    ];
    const lineRuleOnly = [0, 1, 2, 3, 4].flatMap((r) => [0, 1, 2, 3, 4].map((c) => (cells[r]![c]! <= 3 ? 1 : 0)));
    expect(lineRuleOnly.filter(Boolean)).toHaveLength(9);
    const t = suppressTable({ rows: ['a', 'b', 'c', 'd', 'e'], columns: ['v', 'w', 'x', 'y', 'z'], cells });
    expect(t.suppressed.primary).toBe(9);
    expect(t.suppressed.secondary).toBeGreaterThan(0);
    expect(attack(t).recovered.size).toBe(0);
    const rows = t.cells.map((row, r) => [...row, t.rowTotals[r]!]).concat([[...t.columnTotals, t.total]]);
    const values = [...cells.map((row) => [...row, row.reduce((a, b) => a + b, 0)]), [0, 1, 2, 3, 4].map((c) => cells.reduce((a, row) => a + row[c]!, 0))].flat();
    values.push(values.slice(30, 35).reduce((a, b) => a + b, 0));
    const lines = [
      ...[0, 1, 2, 3, 4, 5].map((r) => ({ members: [0, 1, 2, 3, 4].map((c) => r * 6 + c), total: r * 6 + 5 })),
      ...[0, 1, 2, 3, 4, 5].map((c) => ({ members: [0, 1, 2, 3, 4].map((r) => r * 6 + c), total: 30 + c })),
    ];
    expect(recomputableCells(values, lines, rows.flat().map((v) => v === null))).toEqual([]);
    // Without the audit, the joining cell alone would be exposed.
    const primariesOnly = values.map((v, i) => i % 6 < 5 && i < 30 && v > 0 && v <= 3);
    expect(recomputableCells(values, lines, primariesOnly)).toEqual([2]);
  });
});

describe('the attacker recovers nothing', () => {
  it('for random tables with many small cells', () => {
    const counts = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 200 }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.array(counts, { minLength: 36, maxLength: 36 }), (R, C, flat) => {
        const cells = Array.from({ length: R }, (_, r) => flat.slice(r * C, r * C + C));
        const t = suppressTable({ rows: cells.map((_, r) => `r${r}`), columns: Array.from({ length: C }, (_, c) => `c${c}`), cells });
        // No published count is small, and no withheld count can be recomputed.
        for (const row of t.cells) for (const v of row) if (v !== null) expect(v === 0 || v > 3).toBe(true);
        expect(attack(t).recovered.size).toBe(0);
        // Linear algebra too: rebuild the flat problem and audit it independently of the status.
        const W = C + 1;
        const values: number[] = [];
        const withheld: boolean[] = [];
        for (let r = 0; r <= R; r++) {
          for (let c = 0; c <= C; c++) {
            const actual = r < R && c < C ? cells[r]![c]! : r < R ? cells[r]!.reduce((a, b) => a + b, 0) : c < C ? cells.reduce((a, row) => a + row[c]!, 0) : flat.slice(0, R * C).reduce((a, b) => a + b, 0);
            const shown = r < R && c < C ? t.cells[r]![c]! : r < R ? t.rowTotals[r]! : c < C ? t.columnTotals[c]! : t.total;
            if (shown !== null) expect(shown).toBe(actual);
            values.push(actual);
            withheld.push(shown === null);
          }
        }
        const lines = [
          ...Array.from({ length: R + 1 }, (_, r) => ({ members: Array.from({ length: C }, (_, c) => r * W + c), total: r * W + C })),
          ...Array.from({ length: C + 1 }, (_, c) => ({ members: Array.from({ length: R }, (_, r) => r * W + c), total: R * W + c })),
        ];
        expect(recomputableCells(values, lines, withheld)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
