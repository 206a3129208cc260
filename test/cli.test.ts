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

  it('starts a real network on an empty database: network init, once', { timeout: 120_000 }, async () => {
    const emptyDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-cli-init-'));
    const cwd = path.resolve(import.meta.dirname, '..');
    const init = (...extra: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'network', 'init', '--name', 'Rete URP Regione Abruzzo', ...extra], { env: { ...env, DATA_DIR: emptyDir, BASE_URL: 'https://urp.regione.abruzzo.it' }, cwd });
    try {
      const first = await init('--coordinator-email', 'a@regione.abruzzo.it', '--organisation', 'Regione Abruzzo', '--organisation-type', 'regione', '--ipa-code', 'r_abruzz');
      expect(first.stdout).toContain('rete «Rete URP Regione Abruzzo» creata; coordinatore: a@regione.abruzzo.it');
      expect(first.stdout).toMatch(/https:\/\/urp\.regione\.abruzzo\.it\/imposta-password#[A-Za-z0-9_-]{40,}\n/);
      await expect(init('--coordinator-email', 'b@example.org')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('la rete ha già un coordinatore') });
      await expect(init('--coordinator-email', 'non-un-indirizzo')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('non è un indirizzo email') });
      const database = await openDatabase({ databaseUrl: null, dataDir: emptyDir });
      try {
        const people = await database.db
          .selectFrom('users').innerJoin('role_grants', 'role_grants.user_id', 'users.id').innerJoin('organisations', 'organisations.id', 'role_grants.organisation_id')
          .select(['users.email', 'users.password_hash', 'role_grants.role', 'organisations.ipa_code']).orderBy('role_grants.role').execute();
        expect(people).toEqual([
          { email: 'a@regione.abruzzo.it', password_hash: null, role: 'network_coordinator', ipa_code: 'r_abruzz' },
          { email: 'a@regione.abruzzo.it', password_hash: null, role: 'org_admin', ipa_code: 'r_abruzz' },
        ]);
        expect(await database.db.selectFrom('password_tokens').select('purpose').execute()).toEqual([{ purpose: 'first_password' }]);
      } finally {
        await database.close();
      }
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });

  it('refuses bad configuration with a message that says what to fix', async () => {
    await expect(run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'migrate'], { env: { ...env, PORT: 'novanta' }, cwd: path.resolve(import.meta.dirname, '..') })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('PORT="novanta" deve essere un intero'),
    });
  });
});
