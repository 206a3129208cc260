import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvRecord, CsvRecordTooLongError, CsvSyntaxError, commaOrSemicolon, createTextDecoder, decodeCsvBytes, decodeWindows1252, MAX_RECORD_CHARS, parseCsvRecords, parseCsvTable, streamCsvRecords } from './csv.js';

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

/** A document built from known records, with the physical line each one starts on. */
function documentOf(records: { fields: string[]; blankBefore: string[]; end: string }[], delimiter: string) {
  const quote = (f: string) => (/["\r\n]|^$/.test(f) || f.includes(delimiter) ? `"${f.replaceAll('"', '""')}"` : f);
  const breaks = (s: string) => (s.match(/\r\n|\r|\n/g) ?? []).length;
  let text = '';
  const expected: { line: number; fields: string[] }[] = [];
  for (const r of records) {
    text += r.blankBefore.join('');
    // Counted on the text so far: a blank CR then a blank LF are one CRLF.
    expected.push({ line: 1 + breaks(text), fields: r.fields });
    text += r.fields.map(quote).join(delimiter) + r.end;
  }
  return { text, expected };
}

describe('CSV records from UTF-8 bytes', () => {
  const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
  // Quotes, delimiters, every line break and multi-byte characters (2, 3 and 4 bytes) inside fields.
  const field = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', ';', '"', '\n', '\r', 'è', '€', '😀'), maxLength: 8 });
  const record = fc.record({
    fields: fc.array(field, { minLength: 2, maxLength: 4 }),
    blankBefore: fc.array(lineEnd, { maxLength: 2 }),
    end: lineEnd,
  });

  it('gives the same records and lines as the document was written with, whatever the byte chunks', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), async (records, size, bom) => {
        const { text, expected } = documentOf(records, ',');
        const bytes = Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
        // Byte chunks cut anywhere, including inside a multi-byte character or a CRLF.
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < bytes.length; i += size) chunks.push(new Uint8Array(bytes.subarray(i, i + size)));
        const out: CsvRecord[] = [];
        for await (const batch of streamCsvRecords(chunks, ',')) out.push(...batch);
        expect(out).toEqual(expected);
        expect(parseCsvRecords(text, ',')).toEqual(expected);
      }),
      { seed: 20261206, numRuns: 300 },
    );
  });

  it('takes strings and bytes in one stream', async () => {
    const out: CsvRecord[] = [];
    for await (const batch of streamCsvRecords(['id;città\r', Buffer.from('\n1;Forlì\n2;"a\r\nb"\n3;', 'utf8'), 'fine'], ';')) out.push(...batch);
    expect(out).toEqual([
      { line: 1, fields: ['id', 'città'] },
      { line: 2, fields: ['1', 'Forlì'] },
      { line: 3, fields: ['2', 'a\r\nb'] },
      { line: 5, fields: ['3', 'fine'] },
    ]);
  });
});

describe('Windows-1252 bytes (Excel "CSV", ISTAT lists)', () => {
  // Node 20's own TextDecoder('windows-1252') gives U+0080 for 0x80: these would fail with it.
  const bytes = Buffer.from([0x43, 0x69, 0x74, 0x74, 0xe0, 0x20, 0x96, 0x20, 0x80, 0x20, 0x93, 0x78, 0x94, 0x20, 0x8a]);
  const text = 'Città – € “x” Š';

  it('decodes the 0x80–0x9F range as Windows-1252, not ISO-8859-1', () => {
    expect(decodeWindows1252(bytes)).toBe(text);
    expect(decodeWindows1252(Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i))).toHaveLength(32);
    expect(decodeCsvBytes(bytes)).toEqual({ text, encoding: 'windows-1252' });
    expect(decodeCsvBytes(Buffer.from('\ufeffCittà;€', 'utf8'))).toEqual({ text: 'Città;€', encoding: 'utf-8' });
  });

  it('decodes a stream chunk by chunk to the same text', () => {
    const decoder = createTextDecoder('windows-1252');
    const chunks = [bytes.subarray(0, 5), bytes.subarray(5, 9), bytes.subarray(9)];
    expect(chunks.map((c) => decoder.decode(c, { stream: true })).join('') + decoder.decode()).toBe(text);
  });
});
