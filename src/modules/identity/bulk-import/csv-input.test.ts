import { describe, expect, it } from 'vitest';
import { decodeFile, headerKey, matchColumns, missingColumnsOf, readCsvInput, wellFormedRecords } from './csv-input.js';
import type { LineProblem } from './line-problems.js';

describe('reading an onboarding file', () => {
  it('tells UTF-8, UTF-8 with BOM and Windows-1252 apart, and decodes the bytes Windows-1252 differs on', () => {
    expect(decodeFile(Buffer.from('a;b\n', 'utf8'))).toMatchObject({ ok: true, encoding: 'utf-8' });
    expect(decodeFile(Buffer.from('\ufeffa;b\n', 'utf8'))).toEqual({ ok: true, encoding: 'utf-8-bom', text: 'a;b\n' });
    const cp1252 = Buffer.from([0x43, 0x69, 0x74, 0x74, 0xe0, 0x20, 0x96, 0x20, 0x80, 0x20, 0x93, 0x78, 0x94]);
    expect(decodeFile(cp1252)).toEqual({ ok: true, encoding: 'windows-1252', text: 'Città – € “x”' });
    expect(decodeFile(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toEqual({ ok: false, failure: { kind: 'utf16' } });
    expect(decodeFile(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]))).toEqual({ ok: false, failure: { kind: 'binary' } });
    expect(decodeFile(new Uint8Array())).toEqual({ ok: false, failure: { kind: 'empty' } });
  });

  it('picks tab, «;» or «,» from the header and keeps physical line numbers', () => {
    const read = readCsvInput(Buffer.from('a;b\n1;"due\nrighe"\n\n;\n3;4\n'));
    expect(read.ok && read.input.separator).toBe(';');
    expect(read.ok && read.input.records.map((r) => [r.line, r.fields])).toEqual([[2, ['1', 'due\nrighe']], [6, ['3', '4']]]);
    expect(readCsvInput(Buffer.from('a\tb,c\n1\t2,3\n'))).toMatchObject({ ok: true, input: { separator: '\t', header: ['a', 'b,c'] } });
  });

  it('matches headers whatever their case, accents and separators, and sorts the rest into ignored and unknown', () => {
    expect(headerKey(' Codice_IPA ')).toBe(headerKey('codice ipa'));
    expect(headerKey('Città')).toBe('citta');
    const m = matchColumns(['Codice-IPA', 'NOME', 'sito_istituzionale', 'Boh', 'codice_ipa'], { ipa: ['codice_ipa'], name: ['nome'] }, ['sito_istituzionale']);
    expect(m).toEqual({ index: { ipa: 0, name: 1 }, used: ['Codice-IPA', 'NOME'], ignored: ['sito_istituzionale', 'codice_ipa'], unknown: ['Boh'] });
  });
});

describe('records and columns every importer checks', () => {
  it('reports a record cut by an unclosed quote on its line and hands over the others', () => {
    const read = readCsvInput(Buffer.from('a;b\n1;2\n3;"aperta\n'));
    if (!read.ok) throw new Error('not read');
    const problems: LineProblem[] = [];
    expect([...wellFormedRecords(read.input, problems)].map((r) => r.fields)).toEqual([['1', '2']]);
    expect(problems).toEqual([expect.objectContaining({ line: 3, code: 'unterminated_quote' })]);
  });

  it('names the missing required columns as the user should add them, in order', () => {
    const match = matchColumns(['Email', 'Altro'], { email: ['email'], name: ['nome'], role: ['ruolo'] });
    expect(missingColumnsOf(match, { email: 'email', name: 'nome', role: 'ruolo' })).toEqual(['nome', 'ruolo']);
    expect(match.unknown).toEqual(['Altro']);
  });
});
