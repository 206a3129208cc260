import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readRecords, sniffSource } from './import-source.js';

/** The file as a stream of `size`-byte chunks (cut inside characters and line breaks). */
const source = (bytes: Buffer, size: number) => () => {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
};

async function allRecords(open: () => Readable, options: Parameters<typeof readRecords>[1]) {
  const out = [];
  for await (const batch of readRecords(open, options, 2)) out.push(...batch);
  return out.map((r) => [r.line, r.fields]);
}

const text = 'Id;Città;Nota\r\n1;Forlì;"due\r\nrighe"\r\n\r\n2;Cantù;"€ 10, «più»"\r\n3;Sant’Antonio;😀\r\n';
const expected = [
  [2, ['1', 'Forlì', 'due\r\nrighe']],
  [5, ['2', 'Cantù', '€ 10, «più»']],
  [6, ['3', 'Sant’Antonio', '😀']],
];

describe('reading an uploaded file', () => {
  it('reads UTF-8 bytes (with a BOM) cut anywhere, with the line of each row', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    for (const size of [1, 2, 5, 64 * 1024]) {
      const sniff = await sniffSource(source(bytes, size));
      expect(sniff, `chunk ${size}`).toMatchObject({ encoding: 'utf-8-bom', delimiter: ';', hasHeader: true, columns: ['Id', 'Città', 'Nota'], rowCount: 3 });
      expect(await allRecords(source(bytes, size), sniff), `chunk ${size}`).toEqual(expected);
    }
  });

  it('decodes Windows-1252 and counts its rows on the raw bytes', async () => {
    const cp1252 = { à: 0xe0, ì: 0xec, ù: 0xf9, '€': 0x80, '«': 0xab, '»': 0xbb, '’': 0x92 } as Record<string, number>;
    const latin = text.replace('😀', ':-)');
    const bytes = Buffer.from([...latin].map((c) => cp1252[c] ?? c.charCodeAt(0)));
    for (const size of [1, 3, 64 * 1024]) {
      const sniff = await sniffSource(source(bytes, size));
      expect(sniff, `chunk ${size}`).toMatchObject({ encoding: 'windows-1252', rowCount: 3, columns: ['Id', 'Città', 'Nota'] });
      expect(await allRecords(source(bytes, size), sniff)).toEqual([expected[0], expected[1], [6, ['3', 'Sant’Antonio', ':-)']]]);
    }
  });

  it('reads a gzip file in the same way', async () => {
    const open = source(gzipSync(Buffer.from(text, 'utf8')), 7);
    const sniff = await sniffSource(open);
    expect(sniff).toMatchObject({ compression: 'gzip', encoding: 'utf-8', rowCount: 3 });
    expect(await allRecords(open, sniff)).toEqual(expected);
  });

  it('refuses a UTF-16 file, even with a declared delimiter', async () => {
    const bytes = Buffer.from('\ufeffa,b\n1,2\n', 'utf16le');
    await expect(sniffSource(source(bytes, 4), { delimiter: ',' })).rejects.toMatchObject({ code: 'history_import.unsupported_encoding' });
  });
});
