/**
 * The competence coverage report's pure logic: how a comune is covered, the order of the topics,
 * and the schematic tile map's layout (a square per comune, grouped into its province's block).
 * No comune boundaries exist offline in this project, so the map is honest about being a schema.
 */
import type { CoverageComune, CoverageProvince, CoverageTopicSummary } from '../api/coverage.js';

/** How a comune is covered for a topic: by an office of the comune itself, only by a wider one, or by nobody. */
export type CoverageLevel = 'comune' | 'wider' | 'none';
export const COVERAGE_LEVELS: readonly CoverageLevel[] = ['comune', 'wider', 'none'];

export function coverageLevel(comune: Pick<CoverageComune, 'offices'>): CoverageLevel {
  if (comune.offices.length === 0) return 'none';
  return comune.offices.some((o) => o.via === 'comune') ? 'comune' : 'wider';
}

/** covered / total, 0 for an empty total (a region without comuni or inhabitants on record). */
export function share(covered: number, total: number): number {
  return total > 0 ? covered / total : 0;
}

/** The topics from the least covered (share of comuni, then of population) to the best; ties by label. */
export function sortTopicsByCoverage<T extends CoverageTopicSummary>(topics: readonly T[], locale = 'it'): T[] {
  return [...topics].sort(
    (a, b) =>
      share(a.comuniCovered, a.comuniTotal) - share(b.comuniCovered, b.comuniTotal) ||
      share(a.populationCovered, a.populationTotal) - share(b.populationCovered, b.populationTotal) ||
      a.label.localeCompare(b.label, locale),
  );
}

/** How many comuni are at each level. */
export function countLevels(comuni: readonly Pick<CoverageComune, 'offices'>[]): Record<CoverageLevel, number> {
  const counts: Record<CoverageLevel, number> = { comune: 0, wider: 0, none: 0 };
  for (const c of comuni) counts[coverageLevel(c)]++;
  return counts;
}

export interface TileMapOptions {
  /** Side of one comune's square. */
  tile: number;
  /** Space between two squares. */
  gap: number;
  /** Space between two province blocks. */
  blockGap: number;
  /** Height of the band above a block that holds the province's sigla. */
  label: number;
  /** Width beyond which the next block starts a new row. */
  maxWidth: number;
}

export const DEFAULT_TILE_MAP: TileMapOptions = { tile: 12, gap: 2, blockGap: 18, label: 18, maxWidth: 960 };

export interface PlacedTile<C> {
  comune: C;
  x: number;
  y: number;
}

export interface ProvinceBlock<C> {
  /** The province's code, or '' for comuni whose province the report does not list. */
  code: string;
  sigla: string;
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
  tiles: PlacedTile<C>[];
}

export interface TileMap<C> {
  width: number;
  height: number;
  blocks: ProvinceBlock<C>[];
}

/**
 * Lays the comuni out as squares, one block per province in the provinces' order, each block as
 * square as its count allows, blocks flowing left to right and wrapping at `maxWidth`.
 * Inside a block the comuni go by name, row by row.
 */
export function layoutTileMap<C extends Pick<CoverageComune, 'name' | 'provinceCode'>>(
  provinces: readonly CoverageProvince[],
  comuni: readonly C[],
  options: TileMapOptions = DEFAULT_TILE_MAP,
  locale = 'it',
): TileMap<C> {
  const { tile, gap, blockGap, label, maxWidth } = options;
  const step = tile + gap;
  const byProvince = new Map<string, C[]>();
  for (const c of comuni) {
    const key = provinces.some((p) => p.code === c.provinceCode) ? c.provinceCode : '';
    const list = byProvince.get(key) ?? [];
    list.push(c);
    byProvince.set(key, list);
  }
  const groups = [...provinces.map((p) => ({ code: p.code, sigla: p.sigla, name: p.name })), { code: '', sigla: '?', name: '?' }].filter((p) => (byProvince.get(p.code)?.length ?? 0) > 0);

  const blocks: ProvinceBlock<C>[] = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  for (const group of groups) {
    const members = [...(byProvince.get(group.code) ?? [])].sort((a, b) => a.name.localeCompare(b.name, locale));
    const columns = Math.max(1, Math.ceil(Math.sqrt(members.length)));
    const rows = Math.ceil(members.length / columns);
    // Wide enough for its label too, so that two siglas never overlap.
    const blockWidth = Math.max(columns * step - gap, 3 * tile);
    const blockHeight = label + rows * step - gap;
    if (x > 0 && x + blockWidth > maxWidth) {
      x = 0;
      y += rowHeight + blockGap;
      rowHeight = 0;
    }
    blocks.push({
      ...group,
      x,
      y,
      width: blockWidth,
      height: blockHeight,
      tiles: members.map((comune, i) => ({ comune, x: x + (i % columns) * step, y: y + label + Math.floor(i / columns) * step })),
    });
    width = Math.max(width, x + blockWidth);
    rowHeight = Math.max(rowHeight, blockHeight);
    x += blockWidth + blockGap;
  }
  return { width, height: blocks.length > 0 ? y + rowHeight : 0, blocks };
}
