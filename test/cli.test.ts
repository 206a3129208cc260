import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.js';
import { TEST_ENGINE } from './helpers/test-app.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', URPNET_DEMO_PASSWORD: 'cli-demo-password', LOG_LEVEL: 'silent', BASE_URL: '' };

async function urpnet(...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env, cwd: path.resolve(import.meta.dirname, '..') });
}

describe.skipIf(TEST_ENGINE !== 'pglite')('the urpnet command', () => {
  it('migrates, seeds, adds a user and creates a token', { timeout: 300_000 }, async () => {
    expect((await urpnet('migrate')).stdout).toContain('migrazioni applicate: 0001-foundation');
    expect((await urpnet('migrate')).stdout).toContain('database già aggiornato');
    const seed = await urpnet('seed', '--demo');
    expect(seed.stdout).toContain('tassonomia 1.0.0: caricata');
    expect(seed.stdout).toContain('rete dimostrativa creata: 29 enti');
    expect((await urpnet('seed', '--demo')).stdout).toContain('già presente');
    const add = await urpnet('user', 'add', '--email', 'anna.neri@comune.celano.aq.it', '--name', 'Anna Neri', '--organisation', 'comune-celano', '--office', 'celano-urp', '--role', 'operator', '--password', 'password-di-anna');
    expect(add.stdout).toMatch(/utente creato: anna\.neri@comune\.celano\.aq\.it/);
    const token = JSON.parse((await urpnet('token', 'create', '--email', 'anna.neri@comune.celano.aq.it', '--name', 'crm', '--json')).stdout) as { secret: string; scopes: string[] };
    expect(token.secret).toMatch(/^urp_/);
    expect(token.scopes).toEqual(['tickets:read', 'tickets:write']);
    await expect(urpnet('user', 'add', '--email', 'x@y.it', '--name', 'X', '--organisation', 'nessuno', '--role', 'operator', '--password', 'password-lunga')).rejects.toMatchObject({ stderr: expect.stringContaining('organizzazione «nessuno» inesistente') });
    await expect(urpnet('user', 'add', '--email', 'x@y.it', '--name', 'X', '--organisation', 'comune-celano', '--role', 'sindaco', '--password', 'password-lunga')).rejects.toMatchObject({ stderr: expect.stringContaining('sindaco') });
    const database = await openDatabase({ databaseUrl: null, dataDir });
    try {
      const grants = await database.db
        .selectFrom('role_grants').innerJoin('users', 'users.id', 'role_grants.user_id').innerJoin('offices', 'offices.id', 'role_grants.office_id')
        .select(['role_grants.role', 'offices.slug']).where('users.email', '=', 'anna.neri@comune.celano.aq.it').execute();
      expect(grants).toEqual([{ role: 'operator', slug: 'celano-urp' }]);
    } finally {
      await database.close();
    }
  });

  it('refuses bad configuration with a message that says what to fix', async () => {
    await expect(run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'migrate'], { env: { ...env, PORT: 'novanta' }, cwd: path.resolve(import.meta.dirname, '..') })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('PORT="novanta" deve essere un intero'),
    });
  });
});
