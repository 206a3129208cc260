import { describe, expect, it } from 'vitest';
import type { CoverageComune, CoverageOffice } from '../src/api/coverage.js';
import { countLevels, coverageLevel, DEFAULT_TILE_MAP, layoutTileMap, share, sortTopicsByCoverage } from '../src/lib/coverage.js';

const office = (via: CoverageOffice['via']): CoverageOffice => ({ id: `o-${via}`, name: `URP ${via}`, organisationName: 'Ente', via });
const comune = (code: string, name: string, provinceCode: string, offices: CoverageOffice[] = []): CoverageComune => ({ code, name, provinceCode, population: 1000, offices });

describe('competence coverage (issue 11)', () => {
  it('tells a comune covered by its own office from one covered only by a wider body, and from one nobody answers for', () => {
    expect(coverageLevel(comune('066032', 'Celano', '066', [office('comune'), office('region')]))).toBe('comune');
    expect(coverageLevel(comune('066049', "L'Aquila", '066', [office('province')]))).toBe('wider');
    expect(coverageLevel(comune('066050', 'Lecce nei Marsi', '066', [office('national')]))).toBe('wider');
    expect(coverageLevel(comune('066001', 'Acciano', '066'))).toBe('none');
    expect(countLevels([comune('1', 'a', 'p', [office('comune')]), comune('2', 'b', 'p'), comune('3', 'c', 'p')])).toEqual({ comune: 1, wider: 0, none: 2 });
  });

  it('sorts topics from the least covered, by comuni then population, and never divides by zero', () => {
    const topic = (label: string, comuniCovered: number, populationCovered: number, comuniTotal = 10) => ({ topic: label, label, comuniTotal, comuniCovered, populationTotal: 100, populationCovered });
    const sorted = sortTopicsByCoverage([topic('Tributi', 9, 90), topic('Anagrafe', 2, 80), topic('Rifiuti', 2, 10), topic('Vuoto', 0, 0, 0)]);
    expect(sorted.map((t) => t.label)).toEqual(['Vuoto', 'Rifiuti', 'Anagrafe', 'Tributi']);
    expect(share(1, 0)).toBe(0);
    expect(share(1, 4)).toBe(0.25);
  });

  it('lays each province out as one block of squares, blocks in the provinces order, wrapping at the width', () => {
    const provinces = [
      { code: '066', sigla: 'AQ', name: "L'Aquila" },
      { code: '067', sigla: 'TE', name: 'Teramo' },
      { code: '068', sigla: 'PE', name: 'Pescara' },
    ];
    const comuni = [
      ...Array.from({ length: 10 }, (_, i) => comune(`066${String(i).padStart(3, '0')}`, `Comune AQ ${String.fromCharCode(74 - i)}`, '066')),
      comune('067001', 'Teramo', '067'),
      comune('068001', 'Pescara', '068'),
      comune('099001', 'Di provincia ignota', '099'),
    ];
    const options = { ...DEFAULT_TILE_MAP, maxWidth: 90 };
    const map = layoutTileMap(provinces, comuni, options);
    expect(map.blocks.map((b) => b.sigla)).toEqual(['AQ', 'TE', 'PE', '?']);
    const aq = map.blocks[0]!;
    // 10 comuni: 4 columns, 3 rows, by name.
    expect(aq.tiles).toHaveLength(10);
    expect(aq.tiles[0]!.comune.name).toBe('Comune AQ A');
    expect(new Set(aq.tiles.map((t) => t.x)).size).toBe(4);
    expect(new Set(aq.tiles.map((t) => t.y)).size).toBe(3);
    expect(aq.width).toBe(4 * (options.tile + options.gap) - options.gap);
    // Every square of a block lies inside it, below its label.
    for (const block of map.blocks) {
      for (const tile of block.tiles) {
        expect(tile.x).toBeGreaterThanOrEqual(block.x);
        expect(tile.x + options.tile).toBeLessThanOrEqual(block.x + block.width);
        expect(tile.y).toBeGreaterThanOrEqual(block.y + options.label);
        expect(tile.y + options.tile).toBeLessThanOrEqual(block.y + block.height);
      }
    }
    // AQ fills the first row; the next blocks wrap under it, and nothing overlaps.
    expect(map.blocks[1]!.y).toBeGreaterThan(aq.y + aq.height);
    const boxes = map.blocks.map((b) => [b.x, b.y, b.x + b.width, b.y + b.height] as const);
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1]).toBe(true);
    expect(map.width).toBeLessThanOrEqual(options.maxWidth);
    expect(map.height).toBe(Math.max(...map.blocks.map((b) => b.y + b.height)));
    expect(layoutTileMap(provinces, [])).toEqual({ width: 0, height: 0, blocks: [] });
  });
});
