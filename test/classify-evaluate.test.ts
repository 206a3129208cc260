import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runClassifyEvaluate } from '../src/modules/classification/classify-evaluate.command.js';
import { readTabularFile } from '../src/modules/classification/tabular-input.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-classify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOPICS: Record<string, string[]> = {
  rifiuti: ['raccolta differenziata', 'ritiro ingombranti', 'cassonetto pieno', 'calendario rifiuti'],
  strade: ['buca in strada', 'asfalto rotto', 'marciapiede dissestato', 'segnaletica stradale'],
  anagrafe: ['cambio residenza', "carta d'identità", 'certificato di nascita', 'stato di famiglia'],
};

function rows(openers: string[]): { titolo: string; corpo: string; tema: string }[] {
  const out: { titolo: string; corpo: string; tema: string }[] = [];
  for (const [tema, phrases] of Object.entries(TOPICS)) for (const p of phrases) for (const o of openers) out.push({ titolo: p, corpo: `${o} ${p}, grazie`, tema });
  return out;
}

function csv(records: { titolo: string; corpo: string; tema: string }[], delimiter = ','): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return `titolo${delimiter}corpo${delimiter}tema\n${records.map((r) => [q(r.titolo), q(r.corpo), r.tema].join(delimiter)).join('\n')}\n`;
}

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

function capture() {
  let text = '';
  return { write: (chunk: string) => (text += chunk), get text() { return text; } };
}

const trainRows = rows(['buongiorno, segnalo', 'vorrei informazioni su', 'ho un problema con']);
const testRows = rows(['salve, volevo chiedere di']);

describe('reading evaluation inputs', () => {
  it('reads CSV, gzipped CSV with `;`, and JSONL alike', () => {
    const plain = readTabularFile(write('a.csv', csv(trainRows)));
    const gz = readTabularFile(write('a.csv.gz', gzipSync(Buffer.from(`\uFEFF${csv(trainRows, ';')}`))));
    const jsonl = readTabularFile(write('a.jsonl', trainRows.map((r) => JSON.stringify(r)).join('\n')));
    expect(gz).toEqual(plain);
    expect(jsonl).toEqual(plain);
    expect(plain.fields).toEqual(['titolo', 'corpo', 'tema']);
  });

  it('refuses a file that is not UTF-8, naming the line', () => {
    const latin1 = Buffer.concat([Buffer.from('titolo,tema\nok,a\n'), Buffer.from([0x63, 0x69, 0x74, 0x74, 0xe0]), Buffer.from(',b\n')]);
    expect(() => readTabularFile(write('latin1.csv', latin1))).toThrow(/non è codificato in UTF-8 \(byte non valido alla riga 3\)/);
  });

  it('refuses a broken gzip, an unknown extension and a missing file', () => {
    expect(() => readTabularFile(write('rotto.csv.gz', 'non gzip'))).toThrow(/non è un file gzip valido/);
    expect(() => readTabularFile(write('dati.xlsx', 'x'))).toThrow(/formato .* non riconosciuto/);
    expect(() => readTabularFile(path.join(dir, 'manca.csv'))).toThrow(/inesistente/);
  });
});

describe('urpnet classify evaluate', () => {
  const train = write('train.csv', csv([...trainRows, { titolo: '', corpo: '', tema: 'rifiuti' }, { titolo: 'senza tema', corpo: 'x', tema: '' }]));
  const test = write('test.jsonl', testRows.map((r) => JSON.stringify(r)).join('\n'));

  it('prints the measures as one JSON object and warns about skipped rows', () => {
    const out = capture();
    const err = capture();
    const code = runClassifyEvaluate({ train, test, text: 'titolo+corpo', label: 'tema', json: true }, out, err);
    expect(code).toBe(0);
    const result = JSON.parse(out.text) as Record<string, number>;
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['accuracy_at_1', 'accuracy_at_3', 'macro_f1', 'train_seconds', 'predict_p95_ms']));
    expect(result.accuracy_at_1).toBeGreaterThanOrEqual(0.9);
    expect(result.accuracy_at_3).toBe(1);
    expect(err.text).toContain('2 righe di «train.csv» senza testo o categoria sono state ignorate');
  });

  it('lists the available fields when one is unknown', () => {
    const err = capture();
    expect(runClassifyEvaluate({ train, test, text: 'titolo+descrizione', label: 'tema' }, capture(), err)).toBe(1);
    expect(err.text).toContain('campo «descrizione» assente in «train.csv»; campi disponibili: titolo, corpo, tema');
  });

  it('reports a one-class training set in Italian', () => {
    const err = capture();
    const single = write('single.csv', csv(trainRows.filter((r) => r.tema === 'strade')));
    expect(runClassifyEvaluate({ train: single, test, text: 'titolo', label: 'tema' }, capture(), err)).toBe(1);
    expect(err.text).toContain('Servono almeno due categorie diverse per addestrare il classificatore');
  });

  it('is wired into the urpnet command, with a non-zero exit on a missing file', { timeout: 60_000 }, async () => {
    const run = promisify(execFile);
    const cwd = path.resolve(import.meta.dirname, '..');
    const ok = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'classify', 'evaluate', '--train', train, '--test', test, '--text', 'titolo+corpo', '--label', 'tema'], { cwd });
    expect(ok.stdout).toMatch(/accuratezza@1: \d\.\d{4}/);
    await expect(run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'classify', 'evaluate', '--train', path.join(dir, 'manca.csv'), '--test', test, '--text', 'titolo', '--label', 'tema'], { cwd })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('inesistente'),
    });
  });
});
