import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type Database, type OpenedDatabase, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedAll } from '../src/seed.js';
import { baseTestEnv } from './helpers/seeded-database.js';
import { buildTestApp, demoEmail, login, type TestApp } from './helpers/test-app.js';

/**
 * The test databases copied from the run's seeded copy (test/helpers/seeded-database.ts) must hold
 * exactly what a first start gives: the same migrations, the same rows. And a test app whose
 * config changes what the seed reads must not get the copy.
 */
let copied: TestApp;
let fresh: OpenedDatabase;
let freshDir: string;

beforeAll(async () => {
  copied = await buildTestApp();
  freshDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-seeded-copy-'));
  fresh = await openDatabase({ databaseUrl: null, dataDir: freshDir, inMemory: true });
  await migrateToLatest(fresh.db);
  await seedAll(fresh.db, loadConfig(baseTestEnv(freshDir)), true);
});
afterAll(async () => {
  await copied?.close();
  await fresh?.close();
  if (freshDir) rmSync(freshDir, { recursive: true, force: true });
});

/** Row count of every table, the applied migrations, and the natural keys of the demo network. */
async function contents(db: Database) {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db);
    counts[name] = r.rows[0]?.n ?? -1;
  }
  const migrations = await sql<{ name: string }>`select name from urpnet_migrations order by name`.execute(db);
  const users = await sql<{ email: string }>`select email from users order by email`.execute(db);
  const organisations = await sql<{ slug: string }>`select slug from organisations order by slug`.execute(db);
  return { counts, migrations: migrations.rows.map((r) => r.name), users: users.rows.map((r) => r.email), organisations: organisations.rows.map((r) => r.slug) };
}

describe('seeded copy of the test database', () => {
  it('is what the globalSetup built, unless URPNET_TEST_SEED_ONCE=0', () => {
    const copy = inject('urpnetSeededCopy');
    if (process.env.URPNET_TEST_SEED_ONCE === '0') expect(copy).toBeNull();
    else expect(copy?.key).toMatch(/^[0-9a-f]{12}_\d{8}$/);
  });

  it('holds the same migrations and rows as a database migrated and seeded afresh', async () => {
    const [a, b] = await Promise.all([contents(copied.database.db), contents(fresh.db)]);
    expect(a.migrations.length).toBeGreaterThan(0);
    expect(a.users.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  });

  it('leaves the demo credentials file in the data directory, as a first start does', () => {
    const text = readFileSync(path.join(copied.config.dataDir, 'demo-credentials.txt'), 'utf8');
    expect(text).toContain(demoEmail('operatore', 'comune-celano'));
  });

  it('is not used when the overrides change what the seed reads: another demo password seeds afresh', async () => {
    const other = await buildTestApp({ URPNET_DEMO_PASSWORD: 'another-demo-password-42' });
    try {
      const client = await login(other.app, demoEmail('operatore', 'comune-celano'), 'another-demo-password-42');
      expect(client.userId).toBeTruthy();
    } finally {
      await other.close();
    }
  });
});
