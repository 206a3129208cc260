import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { DEMO_PASSWORD, TEST_ENGINE } from './helpers/test-app.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-server-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('configuration', () => {
  it('fails fast with a message naming every bad variable', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', DATA_DIR: dataDir });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toContain('PORT="abc"');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('LOG_LEVEL="loud"');
    }
  });

  it('is frozen', () => {
    const config = loadConfig({ DATA_DIR: dataDir, URPNET_SECRET: 'x'.repeat(40) });
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe.skipIf(TEST_ENGINE !== 'pglite')('the embedded server across restarts', () => {
  it('seeds once, keeps acknowledged writes across a restart and shuts down gracefully', { timeout: 90_000 }, async () => {
    const env = { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', URPNET_DEMO_PASSWORD: DEMO_PASSWORD, URPNET_WEB_DIST: path.join(dataDir, 'no-web') };
    const first = await startServer(loadConfig(env));
    const credentials = readFileSync(path.join(dataDir, 'demo-credentials.txt'), 'utf8');
    expect(credentials).toContain('operatore.comune-celano@demo.urpnet.it');
    const login = await fetch(`${first.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'operatore.comune-celano@demo.urpnet.it', password: DEMO_PASSWORD }),
    });
    const session = (await login.json()) as { csrfToken: string; memberships: { officeId: string }[] };
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': session.csrfToken };
    const created = await fetch(`${first.url}/api/v1/tickets`, {
      method: 'POST', headers,
      body: JSON.stringify({ officeId: session.memberships[0]!.officeId, channel: 'telefono', subject: 'Persistenza', description: 'Deve sopravvivere al riavvio.', classification: { tipo: 'informazione' } }),
    });
    expect(created.status).toBe(201);
    const { code } = (await created.json()) as { code: string };
    // An in-flight request completes while the server closes.
    const arrived = new Promise((resolve) => first.app.server.once('request', resolve));
    const inflight = fetch(`${first.url}/api/v1/tickets/${code}`, { headers: { cookie } });
    await arrived;
    const stopping = first.stop();
    expect((await inflight).status).toBe(200);
    await stopping;

    const second = await startServer(loadConfig(env));
    try {
      const organisations = await second.database.db.selectFrom('organisations').select('id').execute();
      expect(organisations.length).toBe(29);
      const res = await fetch(`${second.url}/api/v1/tickets/${code}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { subject: string }).subject).toBe('Persistenza');
    } finally {
      await second.stop();
    }
  });
});
