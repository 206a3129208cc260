import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-analyze-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function urpnet(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: path.resolve(import.meta.dirname, '..'), env: { ...process.env, LOG_LEVEL: 'silent' } });
}

interface Output {
  series: { series: string; alarms: { date: string; kind: string; observed: number; expected: number; score: number; since: string }[]; forecast: { date: string; mean: number; lo80: number; hi80: number }[] }[];
}

/** 140 days of a steady weekday pattern from Monday 2025-01-06, with a spike on 2025-04-15 for «anagrafe». */
function file(): string {
  const rows = ['date,series,count'];
  const start = Date.UTC(2025, 0, 6);
  const pattern = [22, 20, 21, 19, 18, 6, 3];
  const wobble = [0, 2, -1, 1, -2, 0, 3, -3, 1, 0, -1, 2];
  for (let i = 0; i < 140; i++) {
    const date = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
    const base = pattern[i % 7]! + wobble[i % wobble.length]!;
    rows.push(`${date},anagrafe,${date === '2025-04-15' ? base + 40 : Math.max(0, base)}`);
    // «tributi» is listed backwards and skips Sundays (missing days mean zero).
    if (i % 7 !== 6) rows.push(`${date},tributi,${Math.max(0, Math.round(base / 2))}`);
  }
  rows.push('2025-02-01,anagrafe,99', 'ieri,anagrafe,3', '2025-03-01,tributi,-4', '2025-03-02,tributi,molti', '2099-01-01,tributi,5', '2025-03-03,"virgolette,1', '2025-03-04,solo,5');
  const [header, ...body] = rows;
  return [header, ...body.slice(0, 140), ...body.slice(140).reverse()].join('\n');
}

describe('urpnet analyze', () => {
  it('prints alarms and forecasts as JSON and reports bad lines on stderr', { timeout: 60_000 }, async () => {
    const input = path.join(dir, 'counts.csv');
    writeFileSync(input, file());
    const { stdout, stderr } = await urpnet('analyze', '--input', input, '--horizon', '7');
    const out = JSON.parse(stdout) as Output;
    expect(out.series.map((s) => s.series)).toEqual(['anagrafe', 'solo', 'tributi']);
    const anagrafe = out.series[0]!;
    expect(anagrafe.alarms).toContainEqual(expect.objectContaining({ date: '2025-04-15', kind: 'spike', since: '2025-04-15' }));
    // Every alarm keeps the fields, plus `since` (first day of the anomaly, never after it).
    for (const s of out.series) {
      for (const a of s.alarms) {
        expect(Object.keys(a).sort()).toEqual(['date', 'expected', 'kind', 'observed', 'score', 'since']);
        expect(a.since <= a.date).toBe(true);
      }
    }
    expect(anagrafe.forecast).toHaveLength(7);
    expect(anagrafe.forecast[0]!.date).toBe('2025-05-26');
    for (const f of anagrafe.forecast) expect(f.lo80 <= f.mean && f.mean <= f.hi80).toBe(true);
    // A Sunday is forecast lower than a Monday.
    expect(anagrafe.forecast.find((f) => f.date === '2025-06-01')!.mean).toBeLessThan(anagrafe.forecast[0]!.mean / 2);
    expect(out.series[1]!.forecast).toHaveLength(7);
    const lines = stderr.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('riga '))).toHaveLength(6);
    expect(stderr).toMatch(/^riga \d+: coppia \(2025-02-01, anagrafe\) già presente alla riga \d+: riga ignorata$/m);
    expect(stderr).toMatch(/^riga \d+: data «ieri» non valida/m);
    expect(stderr).toMatch(/^riga \d+: conteggio negativo \(-4\)/m);
    expect(stderr).toMatch(/^riga \d+: conteggio «molti» non numerico/m);
    expect(stderr).toMatch(/^riga \d+: data 2099-01-01 nel futuro/m);
    expect(stderr).toMatch(/^riga \d+: virgolette non chiuse/m);
  });

  it('exits 1 when nothing is usable and 2 on a bad horizon', { timeout: 60_000 }, async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, 'giorno;serie;conteggio\n2025-01-01;a;1\n');
    await expect(urpnet('analyze', '--input', bad)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('riga 1: intestazione') });
    await expect(urpnet('analyze', '--input', path.join(dir, 'missing.csv'))).rejects.toMatchObject({ code: 1 });
    await expect(urpnet('analyze', '--input', bad, '--horizon', 'due')).rejects.toMatchObject({ code: 2 });
  });
});
