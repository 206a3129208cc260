import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Config, loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedAll } from '../../src/seed.js';

/**
 * Seed once, clone per test file. Migrating and seeding the demo network costs seconds per HTTP
 * test file; the result is the same every time for the same sources. So the vitest globalSetup
 * (test/helpers/global-setup.ts) builds it once — a template database on PostgreSQL, a data
 * directory tarball on PGlite — and buildTestApp gives each file its own copy of it:
 * `create database … template …` (a file copy on the server) or a PGlite loaded from the tarball.
 *
 * The copy is keyed by a hash of everything the migrations and the seed can read (src/ without
 * tests, data-seed/, package-lock.json, this file) plus the UTC day, so a change to any of them,
 * or a new day (seeded rows carry creation times), builds a fresh one. Built copies are reused by
 * later runs with the same key; unused ones are removed after a while.
 */

export const DEMO_PASSWORD = 'test-demo-password-2026';

/** The environment every test app starts from (before a test file's overrides). */
export function baseTestEnv(dataDir: string): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    URPNET_DEMO_PASSWORD: DEMO_PASSWORD,
    LOG_LEVEL: 'silent',
    URPNET_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    RATE_LIMIT_PER_MINUTE: '100000',
  };
}

/** What a seeded copy was built with, handed from the globalSetup to the test files (vitest `provide`/`inject`). */
export interface SeededCopy {
  engine: 'postgres' | 'pglite';
  key: string;
  /** PostgreSQL: the template database's name (on the server of TEST_DATABASE_URL). */
  template?: string;
  /** PGlite: the path of the data directory tarball. */
  dumpFile?: string;
  /** The seed inputs the copy was built with: a test app whose config differs seeds afresh. */
  taxonomyFile: string;
  demoPassword: string | null;
  /** Whether this run built it (false: reused from an earlier run with the same key). */
  built: boolean;
  /** The demo credentials file the seed wrote, so a copy's data directory has it too as after a first start. */
  credentials: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    urpnetSeededCopy: SeededCopy | null;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Templates and tarballs not used for this long are removed by the next run's setup. */
const UNUSED_TTL_MS = 60 * 60 * 1000;
/** One advisory lock serialises template checks, builds and cleanup across concurrent runs on a server. */
const TEMPLATE_LOCK = 0x75_72_70_6e_74_70_6c; // "urpntpl"

function listFiles(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, out);
    else if (entry.isFile() && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
}

/** Hash of the sources a seeded database depends on, and the UTC day: `<12 hex>_<yyyymmdd>`. */
export function seededCopyKey(): string {
  const files: string[] = [];
  listFiles(path.join(ROOT, 'src'), files);
  listFiles(path.join(ROOT, 'data-seed'), files);
  files.push(path.join(ROOT, 'package-lock.json'), fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    hash.update(path.relative(ROOT, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return `${hash.digest('hex').slice(0, 12)}_${day}`;
}

/** Migrates and seeds an open database as a first start does; returns the seed's credentials file text. */
async function migrateAndSeed(databaseUrl: string | null, dataDir: string, config: Config): Promise<string> {
  const database = await openDatabase({ databaseUrl, dataDir, inMemory: false, poolSize: 2 });
  try {
    await migrateToLatest(database.db);
    const seeded = await seedAll(database.db, config, true);
    return seeded.demo ? readFileSync(seeded.demo.credentialsFile, 'utf8') : '';
  } finally {
    await database.close();
  }
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** PostgreSQL: makes sure the template database for this key exists (building it if not), and drops unused ones. */
async function preparePostgresTemplate(serverUrl: string, key: string, config: Config, dataDir: string): Promise<SeededCopy> {
  const template = `urpnet_tpl_${key}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    const found = await admin.query<{ comment: string | null }>(
      `select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`,
      [template],
    );
    let credentials: string;
    const built = found.rowCount === 0;
    if (built) {
      // Built under another name and renamed when complete: a run killed half-way leaves no half-seeded template.
      const building = `urpnet_tplbuild_${randomBytes(6).toString('hex')}`;
      await admin.query(`create database ${building}`);
      await admin.query(`comment on database ${building} is ${admin.escapeLiteral(JSON.stringify({ usedAt: new Date().toISOString() }))}`);
      try {
        credentials = await migrateAndSeed(withDatabase(serverUrl, building), dataDir, config);
        await admin.query(`alter database ${building} rename to ${template}`);
      } catch (err) {
        await admin.query(`drop database if exists ${building} with (force)`);
        throw err;
      }
      // Nobody connects to a template (autovacuum included), so copying it never waits.
      await admin.query(`alter database ${template} with is_template true allow_connections false`);
    } else {
      const comment = found.rows[0]?.comment;
      credentials = comment ? ((JSON.parse(comment) as { credentials?: string }).credentials ?? '') : '';
    }
    // The comment records the last use (for the cleanup below) and the seed's credentials file.
    const note = JSON.stringify({ usedAt: new Date().toISOString(), credentials });
    await admin.query(`comment on database ${template} is ${admin.escapeLiteral(note)}`);
    const others = await admin.query<{ datname: string; comment: string | null }>(
      `select datname, shobj_description(oid, 'pg_database') as comment from pg_database
        where (datname like 'urpnet\\_tpl\\_%' or datname like 'urpnet\\_tplbuild\\_%') and datname <> $1`,
      [template],
    );
    for (const other of others.rows) {
      let usedAt = 0;
      try {
        usedAt = Date.parse((JSON.parse(other.comment ?? '{}') as { usedAt?: string }).usedAt ?? '') || 0;
      } catch {
        usedAt = 0;
      }
      if (Date.now() - usedAt < UNUSED_TTL_MS) continue;
      await admin.query(`alter database ${other.datname} with is_template false`);
      await admin.query(`drop database if exists ${other.datname} with (force)`);
    }
    return { engine: 'postgres', key, template, built, taxonomyFile: config.taxonomyFile, demoPassword: config.demoPassword, credentials };
  } finally {
    await admin.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK]).catch(() => undefined);
    await admin.end();
  }
}

/** PGlite: makes sure the data directory tarball for this key exists (building it if not), and removes unused ones. */
async function preparePgliteDump(key: string, config: Config, dataDir: string): Promise<SeededCopy> {
  const cacheDir = path.join(ROOT, 'node_modules', '.cache', 'urpnet-test');
  mkdirSync(cacheDir, { recursive: true });
  const dumpFile = path.join(cacheDir, `pglite-${key}.tar`);
  const credentialsFile = `${dumpFile}.credentials`;
  const built = !existsSync(dumpFile) || !existsSync(credentialsFile);
  if (built) {
    const credentials = await migrateAndSeed(null, dataDir, config);
    const { PGlite } = await import('@electric-sql/pglite');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
    const pglite = await PGlite.create({ dataDir: path.join(dataDir, 'pgdata'), extensions: { pg_trgm, unaccent } });
    const dump = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
    await pglite.close();
    // Written aside and renamed: concurrent runs never read a partial file.
    const partial = `${dumpFile}.${process.pid}.partial`;
    writeFileSync(partial, dump);
    writeFileSync(`${credentialsFile}.${process.pid}.partial`, credentials);
    renameSync(`${credentialsFile}.${process.pid}.partial`, credentialsFile);
    renameSync(partial, dumpFile);
  }
  const now = new Date();
  utimesSync(dumpFile, now, now);
  for (const name of readdirSync(cacheDir)) {
    const file = path.join(cacheDir, name);
    if (!name.startsWith('pglite-') || file === dumpFile || file === credentialsFile) continue;
    if (Date.now() - statSync(file).mtimeMs > UNUSED_TTL_MS) rmSync(file, { force: true });
  }
  return { engine: 'pglite', key, dumpFile, built, taxonomyFile: config.taxonomyFile, demoPassword: config.demoPassword, credentials: readFileSync(credentialsFile, 'utf8') };
}

/** For the vitest globalSetup: the seeded copy this run's test files clone. */
export async function prepareSeededCopy(): Promise<SeededCopy> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-test-seed-'));
  try {
    const config = loadConfig(baseTestEnv(dataDir));
    const key = seededCopyKey();
    const serverUrl = process.env.TEST_DATABASE_URL;
    return serverUrl ? await preparePostgresTemplate(serverUrl, key, config, dataDir) : await preparePgliteDump(key, config, dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

let dumpBlob: { file: string; blob: Blob } | null = null;

/** PGlite: the tarball, read once per worker. */
export function pgliteDump(copy: SeededCopy): Blob {
  if (!copy.dumpFile) throw new Error('seeded copy without a PGlite tarball');
  if (dumpBlob?.file !== copy.dumpFile) dumpBlob = { file: copy.dumpFile, blob: new Blob([readFileSync(copy.dumpFile)]) };
  return dumpBlob.blob;
}

/** PostgreSQL: a new database copied from the template (`create database … template …`). */
export async function createDatabaseFromTemplate(serverUrl: string, name: string, copy: SeededCopy): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${copy.template}`);
  } finally {
    await admin.end();
  }
}

/** Whether a test app with this config can start from the seeded copy (same seed inputs), or must seed afresh. */
export function canUseSeededCopy(copy: SeededCopy | null | undefined, config: Config, engine: 'postgres' | 'pglite'): copy is SeededCopy {
  return !!copy && copy.engine === engine && copy.taxonomyFile === config.taxonomyFile && copy.demoPassword === config.demoPassword;
}
