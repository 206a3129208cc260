import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, detectDelimiter, parseCsv } from './csv-parser.js';

describe('parseCsv', () => {
  it('reads quoted delimiters, doubled quotes and embedded newlines', () => {
    const table = parseCsv('id,testo,tema\r\n1,"buche, tante","strade"\r\n2,"dice ""basta""\nsu due righe",rifiuti\n');
    expect(table.header).toEqual(['id', 'testo', 'tema']);
    expect(table.rows).toEqual([
      ['1', 'buche, tante', 'strade'],
      ['2', 'dice "basta"\nsu due righe', 'rifiuti'],
    ]);
  });

  it('detects the semicolon of Italian spreadsheets and strips the BOM', () => {
    const table = parseCsv('\uFEFFid;descrizione;categoria\n1;"lampione; spento";illuminazione\n');
    expect(table.delimiter).toBe(';');
    expect(table.header).toEqual(['id', 'descrizione', 'categoria']);
    expect(table.rows).toEqual([['1', 'lampione; spento', 'illuminazione']]);
  });

  it('ignores commas inside quotes when detecting the delimiter', () => {
    expect(detectDelimiter('"a,b,c";d;e\n1;2;3')).toBe(';');
    expect(detectDelimiter('a,b;c,d')).toBe(',');
  });

  it('pads short rows, skips blank lines and keeps empty cells', () => {
    const table = parseCsv('a,b,c\n1,,\n\n2\n');
    expect(table.rows).toEqual([
      ['1', '', ''],
      ['2', '', ''],
    ]);
  });

  it('reports an unclosed quote with its line', () => {
    expect(() => parseCsv('a,b\n1,"aperta\n2,3\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a,b\n1,"aperta\n2,3\n')).toThrow(/riga 2/);
  });
});
