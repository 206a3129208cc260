import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-simulate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function urpnet(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent' } });
}

const KEYS = ['abandoned', 'answered', 'asaSeconds', 'occupancy', 'offered', 'overflowIn', 'overflowOut', 'serviceLevel'];

describe('urpnet simulate', () => {
  it('prints both runs as JSON with --json, the same for the same seed', { timeout: 60_000 }, async () => {
    const scenario = path.join(root, 'scenarios', 'example-two-offices.json');
    const { stdout } = await urpnet('simulate', '--scenario', scenario, '--json');
    const out = JSON.parse(stdout);
    expect(Object.keys(out)).toEqual(['isolated', 'network']);
    for (const runName of ['isolated', 'network']) {
      expect(Object.keys(out[runName])).toEqual(['network', 'offices']);
      expect(Object.keys(out[runName].network).sort()).toEqual(KEYS);
      expect(Object.keys(out[runName].offices)).toEqual(['a', 'b']);
      for (const m of Object.values(out[runName].offices) as Record<string, number>[]) {
        expect(Object.keys(m).sort()).toEqual(KEYS);
        expect(m.serviceLevel).toBeGreaterThanOrEqual(0);
        expect(m.serviceLevel).toBeLessThanOrEqual(1);
      }
    }
    expect(out.network.network.overflowIn).toBe(out.network.offices.b.overflowIn);
    expect(out.network.network.overflowOut).toBe(out.network.offices.a.overflowOut);
    expect(out.network.network.answered).toBeGreaterThanOrEqual(out.isolated.network.answered);
    const again = await urpnet('simulate', '--scenario', scenario, '--json');
    expect(again.stdout).toBe(stdout);
    // Without --json: the Italian table and the change in service level.
    const text = await urpnet('simulate', '--scenario', scenario);
    expect(text.stdout).toContain('Uffici isolati');
    expect(text.stdout).toContain('Rete con trabocco');
    expect(text.stdout).toMatch(/Livello di servizio della rete: .* punti percentuali/);
  });

  it('exits 2 on an invalid scenario, naming the field in Italian', { timeout: 60_000 }, async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        days: 10,
        offices: [{ id: 'a', agents: -1 }],
        arrivals: [{ office: 'a', perHour: 100 }],
        handleSeconds: { dist: 'exponential', mean: 180 },
      }),
    );
    await expect(urpnet('simulate', '--scenario', bad, '--json')).rejects.toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('offices[0].agents: deve essere un intero ≥ 0 (trovato -1)') });
    const notJson = path.join(dir, 'rotto.json');
    writeFileSync(notJson, '{ "days": ');
    await expect(urpnet('simulate', '--scenario', notJson)).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('non è JSON valido') });
    await expect(urpnet('simulate', '--scenario', path.join(dir, 'manca.json'))).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('non trovato') });
  });
});
