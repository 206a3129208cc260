import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

/** Runs `urpnet anonymize` with `input` on stdin; resolves with its output, errors and exit code. */
function anonymize(input: Buffer | string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'anonymize'], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code }));
    child.stdin.end(input);
  });
}

describe('urpnet anonymize', () => {
  it('writes one anonymised JSON line per input line, with UTF-16 offsets', { timeout: 120_000 }, async () => {
    const records = [
      { id: 'a', text: 'Buongiorno, sono Giulia Bianchi, cell. 347/1234567, cf RSSMRA80A01H501U' },
      { id: 'b', text: 'Il lampione di piazza Navona è spento 🙁 da ieri' },
    ];
    const { stdout, stderr, code } = await anonymize(`${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; text: string; entities: { type: string; start: number; end: number }[] });
    expect(lines.map((l) => l.id)).toEqual(['a', 'b']);
    expect(lines[0]!.text).toBe('Buongiorno, sono [PERSONA], cell. [TELEFONO], cf [CODICE_FISCALE]');
    expect(lines[0]!.entities.map((e) => [e.type, records[0]!.text.slice(e.start, e.end)])).toEqual([
      ['PERSON', 'Giulia Bianchi'],
      ['PHONE', '347/1234567'],
      ['FISCAL_CODE', 'RSSMRA80A01H501U'],
    ]);
    expect(lines[1]).toEqual({ id: 'b', text: records[1]!.text, entities: [] });
  });

  it('reports bad lines on stderr with their number, goes on, and exits with 1', { timeout: 120_000 }, async () => {
    const input = Buffer.concat([
      Buffer.from('{"id":1,"text":"tel 06 1234 5678"}\nnon è json\n{"id":3,"testo":"x"}\n'),
      Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x34, 0x2c, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x0a]),
      Buffer.from('{"id":5,"text":"ok"}\n'),
    ]);
    const { stdout, stderr, code } = await anonymize(input);
    expect(code).toBe(1);
    expect(stderr).toContain('riga 2: non è JSON valido');
    expect(stderr).toContain('riga 3: manca il campo "text"');
    expect(stderr).toContain('riga 4: byte non UTF-8');
    const ids = stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: number }).id);
    expect(ids).toEqual([1, 4, 5]);
  });
});
