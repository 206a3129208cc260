import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_ENGINE } from './helpers/test-app.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-privacy-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', URPNET_DEMO_PASSWORD: 'cli-demo-password', LOG_LEVEL: 'silent', BASE_URL: '' };

async function urpnet(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env, cwd: path.resolve(import.meta.dirname, '..') });
}

/* `urpnet privacy retention run`: the nightly purge of issue 13, now, printing counts only. */
describe.skipIf(TEST_ENGINE !== 'pglite')('urpnet privacy retention run', () => {
  it('runs the purge and prints what it removed, as text or JSON', { timeout: 300_000 }, async () => {
    const text = await urpnet('privacy', 'retention', 'run');
    expect(text.stdout).toMatch(/^totale: 0 enti esaminati, 0 ticket ripuliti, 0 allegati eliminati; rete: 0 chiavi di idempotenza, 0 ricerche del portale, 0 esportazioni scadute$/m);
    const json = JSON.parse((await urpnet('privacy', 'retention', 'run', '--json')).stdout) as { runs: unknown[]; network: Record<string, number> };
    expect(json).toEqual({ runs: [], network: { idempotencyKeys: 0, portalSearches: 0, exports: 0 } });
    await expect(urpnet('privacy', 'retention', 'run', '--organisation', 'ente-inesistente')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('ente-inesistente') });
  });
});
