import { describe, expect, it } from 'vitest';
import { ByteInspector, columnNames, detectDelimiter, detectHeader, sampleRecords } from './csv-sniff.js';

function inspect(bytes: Uint8Array, chunk = bytes.length || 1) {
  const inspector = new ByteInspector();
  for (let i = 0; i < bytes.length; i += chunk) inspector.push(bytes.subarray(i, i + chunk));
  return inspector.finish();
}

const cp1252 = (text: string) => Uint8Array.from([...text].map((c) => ({ à: 0xe0, è: 0xe8, é: 0xe9, ù: 0xf9, ò: 0xf2, ì: 0xec, '€': 0x80, '—': 0x97 })[c] ?? c.charCodeAt(0)));

describe('encoding detection', () => {
  it('recognises UTF-8 with and without BOM, even with sequences split across chunks', () => {
    const text = Buffer.from('Id;Categoria\n1;Accessibilità e più città\n');
    expect(inspect(text)).toEqual({ ok: true, encoding: 'utf-8' });
    expect(inspect(text, 1)).toEqual({ ok: true, encoding: 'utf-8' });
    expect(inspect(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]), 3)).toEqual({ ok: true, encoding: 'utf-8-bom' });
  });

  it('falls back to Windows-1252 for Latin-1 accented letters, euro and dashes', () => {
    expect(inspect(cp1252('Id;Note\n1;Città — 10 €, più caffè\n'))).toEqual({ ok: true, encoding: 'windows-1252' });
  });

  it('reports bytes that fit neither encoding, with the line', () => {
    const bytes = Buffer.concat([Buffer.from('a;b\n1;2\n3;'), Buffer.from([0x8d, 0xe0]), Buffer.from('\n')]);
    expect(inspect(bytes)).toEqual({ ok: false, failure: { kind: 'encoding_undecidable', line: 3 } });
  });

  it('rejects overlong UTF-8 as invalid (then Windows-1252)', () => {
    expect(inspect(Buffer.from([0x61, 0xe0, 0x80, 0xaf, 0x0a]))).toEqual({ ok: true, encoding: 'windows-1252' });
  });

  it('recognises empty, binary and UTF-16 files', () => {
    expect(inspect(new Uint8Array(0))).toEqual({ ok: false, failure: { kind: 'empty' } });
    expect(inspect(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toMatchObject({ ok: false, failure: { kind: 'binary' } });
    expect(inspect(Buffer.from('\ufeffa;b', 'utf16le'))).toEqual({ ok: false, failure: { kind: 'utf16' } });
  });
});

describe('delimiter and header detection', () => {
  it('tells ; from , even when the text holds commas', () => {
    const text = 'Id;Descrizione;Categoria\n1;Buca, profonda;Buche\n2;Lampione spento, via Roma;Illuminazione\n';
    expect(detectDelimiter(text, true).delimiter).toBe(';');
    expect(detectDelimiter('id,title,type\n1,"a; b",X\n2,c,Y\n', true).delimiter).toBe(',');
  });

  it('detects tab and pipe', () => {
    expect(detectDelimiter('a\tb\tc\n1\t2\t3\n', true).delimiter).toBe('\t');
    expect(detectDelimiter('a|b\n1|2\n', true).delimiter).toBe('|');
  });

  it('returns no delimiter for a one-column file', () => {
    expect(detectDelimiter('nome\nMario Rossi\nLuigi\n', true)).toMatchObject({ delimiter: null });
  });

  it('detects a header, and its absence when the first row holds data', () => {
    expect(detectHeader([['Id', 'Creato', 'Categoria'], ['1', '2023-05-08', 'Buche']])).toBe(true);
    expect(detectHeader([['655788', '2023-05-08', 'Buche'], ['1', '2023-05-09', 'Verde']])).toBe(false);
    expect(detectHeader([['a', 'a'], ['1', '2']])).toBe(false);
    expect(columnNames(['x', 'y'], false)).toEqual(['Colonna 1', 'Colonna 2']);
    expect(columnNames(['Note', 'Note', ''], true)).toEqual(['Note', 'Note (2)', 'Colonna 3']);
  });
});

describe('sample records', () => {
  it('keeps a stray character after a closing quote as text (the field as typed)', () => {
    expect(sampleRecords('a,b\n"x"y,z\n', ',', true)).toEqual([['a', 'b'], ['"x"y', 'z']]);
  });
});
