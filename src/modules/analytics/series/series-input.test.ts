import { describe, expect, it } from 'vitest';
import { isoOfDay, parseIsoDay } from './series-calendar.js';
import { readSeriesInput, splitCsvLine } from './series-input.js';

const TODAY = parseIsoDay('2026-03-01')!;

describe('reading date,series,count', () => {
  it('fills gaps with zeros, accepts unsorted rows and ends every series on the last date', () => {
    const input = readSeriesInput('date,series,count\n2026-01-03,a,2\n2026-01-01,a,5\n2026-01-02,b,1\n2026-01-04,b,0\n', TODAY);
    expect(input.issues).toEqual([]);
    expect(input.series.map((s) => [s.name, isoOfDay(s.start), Array.from(s.counts)])).toEqual([
      ['a', '2026-01-01', [5, 0, 2, 0]],
      ['b', '2026-01-02', [1, 0, 0]],
    ]);
  });

  it('reports every bad line with its number and keeps the good ones', () => {
    const text = [
      '\uFEFFdate,series,count',
      '2026-01-01,a,3',
      '2026-01-02,a,tre',
      '2026-01-03,a,-2',
      '2026-02-30,a,1',
      '01/04/2026,a,1',
      '2026-12-31,a,1',
      '2026-01-01,a,4',
      ',a',
      '2026-01-05,,1',
      '2026-01-06,a,2.6',
      '2026-01-07,"a, b",1',
      '2026-01-08,"a,1',
      '',
    ].join('\r\n');
    const input = readSeriesInput(text, TODAY);
    expect(input.issues.map((i) => i.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 13]);
    expect(input.issues.find((i) => i.line === 8)!.message).toContain('riga 2');
    expect(input.issues.find((i) => i.line === 7)!.message).toContain('futuro');
    expect(input.issues.find((i) => i.line === 11)!.message).toContain('arrotondato a 3');
    expect(input.series.map((s) => [s.name, Array.from(s.counts)])).toEqual([
      ['a', [3, 0, 0, 0, 0, 3, 0]],
      ['a, b', [1]],
    ]);
    expect(input.rowsUsed).toBe(3);
  });

  it('reports a bad header or an empty file and yields no series', () => {
    const bad = readSeriesInput('giorno;serie;n\n2026-01-01;a;1\n', TODAY);
    expect(bad.series).toEqual([]);
    expect(bad.issues).toEqual([{ line: 1, message: expect.stringContaining('date,series,count') }]);
    expect(readSeriesInput('', TODAY).issues).toHaveLength(1);
  });

  it('keeps a single-day series and accepts columns in any order', () => {
    const input = readSeriesInput('count,date,series\n7,2026-01-01,solo\n', TODAY);
    expect(input.series).toEqual([{ name: 'solo', start: parseIsoDay('2026-01-01'), counts: Float64Array.from([7]) }]);
  });

  it('splits quoted CSV fields', () => {
    expect(splitCsvLine('a,"b, ""c""",d')).toEqual(['a', 'b, "c"', 'd']);
    expect(splitCsvLine('a,"b')).toBeNull();
  });
});
