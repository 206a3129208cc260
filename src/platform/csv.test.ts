import { describe, expect, it } from 'vitest';
import { CsvRecordTooLongError, CsvSyntaxError, commaOrSemicolon, MAX_RECORD_CHARS, parseCsvRecords, parseCsvTable, streamCsvRecords } from './csv.js';

describe('parseCsvTable (whole files with a header)', () => {
  it('reads quoted delimiters, doubled quotes and embedded newlines', () => {
    const table = parseCsvTable('id,testo,tema\r\n1,"buche, tante","strade"\r\n2,"dice ""basta""\nsu due righe",rifiuti\n');
    expect(table.header).toEqual(['id', 'testo', 'tema']);
    expect(table.rows).toEqual([
      ['1', 'buche, tante', 'strade'],
      ['2', 'dice "basta"\nsu due righe', 'rifiuti'],
    ]);
  });

  it('detects the semicolon of Italian spreadsheets and strips the BOM', () => {
    const table = parseCsvTable('\uFEFFid;descrizione;categoria\n1;"lampione; spento";illuminazione\n');
    expect(table.delimiter).toBe(';');
    expect(table.header).toEqual(['id', 'descrizione', 'categoria']);
    expect(table.rows).toEqual([['1', 'lampione; spento', 'illuminazione']]);
  });

  it('ignores commas inside quotes when detecting the delimiter', () => {
    expect(commaOrSemicolon('"a,b,c";d;e\n1;2;3')).toBe(';');
    expect(commaOrSemicolon('a,b;c,d')).toBe(',');
  });

  it('pads short rows, skips blank lines and keeps empty cells', () => {
    const table = parseCsvTable('a,b,c\n1,,\n\n2\n');
    expect(table.rows).toEqual([
      ['1', '', ''],
      ['2', '', ''],
    ]);
  });

  it('reports an unclosed quote with its line', () => {
    expect(() => parseCsvTable('a,b\n1,"aperta\n2,3\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsvTable('a,b\n1,"aperta\n2,3\n')).toThrow(/riga 2/);
  });
});

async function streamed(doc: string, size: number, delimiter = ';') {
  const chunks: string[] = [];
  for (let i = 0; i < doc.length; i += size) chunks.push(doc.slice(i, i + size));
  const out = [];
  for await (const batch of streamCsvRecords(chunks, delimiter)) out.push(...batch);
  return out;
}

describe('CSV records, whole and streamed', () => {
  const doc = 'Id;Testo;Cat\r\n1;"Riga uno\r\ncon ""virgolette"" e ; dentro";A\r\n\r\n2;semplice;"B;C"\n3;ultima;D';

  it('streams the same records as a whole-text read, whatever the chunk size', async () => {
    const expected = parseCsvRecords(doc, ';');
    expect(expected.map((r) => r.fields)).toEqual([
      ['Id', 'Testo', 'Cat'],
      ['1', 'Riga uno\r\ncon "virgolette" e ; dentro', 'A'],
      ['2', 'semplice', 'B;C'],
      ['3', 'ultima', 'D'],
    ]);
    for (const size of [1, 2, 3, 7, 1000]) expect(await streamed(doc, size), `chunk ${size}`).toEqual(expected);
  });

  it('gives each record the physical line it starts on (CRLF inside quotes is one line, blank lines count)', async () => {
    expect(parseCsvRecords(doc, ';').map((r) => r.line)).toEqual([1, 2, 5, 6]);
    expect((await streamed(doc, 1)).map((r) => r.line)).toEqual([1, 2, 5, 6]);
    // A BOM, then blank lines in LF, CR and CRLF before the first record.
    expect(parseCsvRecords('\uFEFF\n\r\r\na;b\rc;d', ';').map((r) => [r.line, r.fields])).toEqual([
      [4, ['a', 'b']],
      [5, ['c', 'd']],
    ]);
  });

  it('flags an unterminated quote with its line and stops a runaway record', async () => {
    expect(parseCsvRecords('a,b\n1,"aperta\n', ',')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', 'aperta\n'], error: 'unterminated_quote' },
    ]);
    expect(await streamed('a,b\n\n1,"aperta\n', 2, ',')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['1', 'aperta\n'], error: 'unterminated_quote' },
    ]);
    expect(() => parseCsvRecords(`a,b\n1,"${'x'.repeat(MAX_RECORD_CHARS + 1)}`, ',')).toThrow(CsvRecordTooLongError);
    await expect(streamed(`a,b\n1,"${'x'.repeat(MAX_RECORD_CHARS + 1)}`, 65536, ',')).rejects.toMatchObject({ name: 'CsvRecordTooLongError', line: 2 });
  });

  it('keeps a quote inside unquoted text, and text after a closing quote, as text', () => {
    expect(parseCsvRecords('a,b\n1,pollice 3"\n"x"y,z\n', ',').map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', 'pollice 3"'],
      ['"x"y', 'z'],
    ]);
  });

  it('drops the possibly cut last record of a sample and stops at the maximum', () => {
    expect(parseCsvRecords('a;b\n1;2\n3;', ';', { complete: false }).map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsvRecords('a;b\n1;2\n', ';', { complete: false }).map((r) => r.fields)).toHaveLength(2);
    expect(parseCsvRecords('a;b\n1;"cut', ';', { complete: false }).map((r) => r.fields)).toEqual([['a', 'b']]);
    expect(parseCsvRecords('a;b\n1;2\n3;4\n5;6', ';', { complete: false, max: 2 }).map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});
