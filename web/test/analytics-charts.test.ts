import { describe, expect, it } from 'vitest';
import { archiveUrl, fileSlug, flowTiles, linePath, maxOf, niceMax, periodMonths, REGION_ABBREVIATIONS, REGION_TILES, shade, ticks, toCsv } from '../src/components/charts/chart-data.js';

describe('chart helpers', () => {
  it('rounds the axis up to 1, 2 or 5 × 10^k and ticks it', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(42)).toBe(50);
    expect(niceMax(150)).toBe(200);
    expect(ticks(42)).toEqual([0, 13, 26, 39]);
    expect(ticks(80)).toEqual([0, 25, 50, 75, 100]);
  });

  it('draws a line broken where a count is withheld', () => {
    expect(linePath([0, 10, null, 5], 30, 10, 10)).toBe('M0 10 L10 0 M30 5');
    expect(linePath([4], 30, 10, 10)).toBe('M15 6');
    expect(maxOf([null, 3, 9, null])).toBe(9);
  });

  it('places every region of Italy on its own tile', () => {
    const codes = Object.keys(REGION_TILES);
    expect(codes).toHaveLength(20);
    expect(new Set(Object.values(REGION_TILES).map(([c, r]) => `${c},${r}`)).size).toBe(20);
    expect(Object.keys(REGION_ABBREVIATIONS).sort()).toEqual(codes.sort());
    expect(flowTiles(['a', 'b', 'c'], 2)).toEqual([{ item: 'a', col: 0, row: 0 }, { item: 'b', col: 1, row: 0 }, { item: 'c', col: 0, row: 1 }]);
  });

  it('shades counts in classes; withheld counts get none', () => {
    expect(shade(null, 10)).toBeNull();
    expect(shade(0, 10)).toBe(0);
    expect(shade(1, 10)).toBe(1);
    expect(shade(10, 10)).toBe(4);
  });

  it('writes CSV with quoting, and slugs file names', () => {
    expect(toCsv(['Tema', 'Contatti'], [['Tributi, TARI', 12], ['Il "bonus"', null]])).toBe('Tema,Contatti\r\n"Tributi, TARI",12\r\n"Il ""bonus""",\r\n');
    expect(fileSlug('Contatti per tema – Università')).toBe('contatti-per-tema-universita');
  });

  it('turns a period into the months the archive browser filters by', () => {
    expect(periodMonths('2026-03', 'month')).toEqual({ from: '2026-03', to: '2026-03' });
    expect(periodMonths('2026-01-31', 'day')).toEqual({ from: '2026-01', to: '2026-01' });
    expect(periodMonths('2026-01-15 10', 'hour')).toEqual({ from: '2026-01', to: '2026-01' });
    expect(periodMonths('2026-W05', 'week')).toEqual({ from: '2026-01', to: '2026-02' });
    expect(periodMonths('bad', 'week')).toBeNull();
    expect(archiveUrl({ topic: 'tributi', channel: '', from: '2026-01' })).toBe('/archivio?topic=tributi&from=2026-01');
  });
});
