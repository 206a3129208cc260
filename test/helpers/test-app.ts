import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { expect, inject } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type OpenedDatabase, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { DEMO_EMAIL_DOMAIN } from '../../src/modules/identity/demo-seed.js';
import { type OutboxDispatcher, startOutboxDispatcher } from '../../src/platform/events.js';
import { createJobRunner, type JobRunner, poolExecutor } from '../../src/platform/jobs/index.js';
import { seedAll } from '../../src/seed.js';
import { baseTestEnv, canUseSeededCopy, createDatabaseFromTemplate, DEMO_PASSWORD, pgliteDump } from './seeded-database.js';

export { DEMO_PASSWORD };

/** Which engine this run uses: PostgreSQL when TEST_DATABASE_URL is set, else in-memory PGlite. */
export const TEST_ENGINE = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestApp {
  app: FastifyInstance;
  database: OpenedDatabase;
  config: Config;
  events: OutboxDispatcher;
  /** Manual job runner: nothing runs until a test calls `jobs.runDue()` (pg-boss is set up on first use). */
  jobs: JobRunner;
  close(): Promise<void>;
}

/**
 * A fresh database per test file: an in-memory PGlite, or a new database on the PostgreSQL server
 * of TEST_DATABASE_URL (dropped at the end), with migrations and the demo network applied as on a
 * real first start. When the run's globalSetup built a seeded copy (seeded-database.ts) and these
 * overrides do not change what the seed reads, the database is a copy of it instead of being
 * migrated and seeded again: same content, seconds less per file.
 */
export async function buildTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const started = performance.now();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-test-'));
  let databaseUrl: string | null = null;
  let dropDatabase: (() => Promise<void>) | null = null;
  const serverUrl = process.env.TEST_DATABASE_URL;
  const name = `urpnet_test_${randomBytes(6).toString('hex')}`;
  if (serverUrl) {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  const config = loadConfig({ ...baseTestEnv(dataDir), ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...overrides });
  const copy = inject('urpnetSeededCopy');
  // URPNET_SEED_DEMO=false in `overrides`: an empty network (taxonomy only), as a real network's first start.
  const fromCopy = config.seedDemo && canUseSeededCopy(copy, config, TEST_ENGINE);
  if (serverUrl) {
    if (fromCopy) {
      await createDatabaseFromTemplate(serverUrl, name, copy);
    } else {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
    }
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const database = await openDatabase({
    databaseUrl,
    dataDir,
    inMemory: databaseUrl === null,
    poolSize: 5,
    ...(fromCopy && !serverUrl && { loadDataDir: pgliteDump(copy) }),
  });
  if (fromCopy) {
    writeFileSync(path.join(dataDir, 'demo-credentials.txt'), copy.credentials, { mode: 0o600 });
  } else {
    await migrateToLatest(database.db);
    await seedAll(database.db, config, config.seedDemo);
  }
  const seeded = performance.now();
  const events = startOutboxDispatcher(database.db, { intervalMs: 60_000 });
  const jobs = createJobRunner(poolExecutor(database.pool), { mode: 'manual' });
  const app = await buildApp({ config, database, events, jobs, logger: process.env.TEST_LOG ? { level: 'error' } : false });
  await app.ready();
  recordTiming({ engine: TEST_ENGINE, fromCopy, databaseMs: seeded - started, totalMs: performance.now() - started });
  return {
    app,
    database,
    config,
    events,
    jobs,
    async close() {
      await app.close();
      await jobs.stop();
      await events.stop();
      await database.close();
      await dropDatabase?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * With TEST_TIMING=1, appends one JSON line per buildTestApp call (test file, engine, time to a
 * seeded database, time to a ready app) to TEST_TIMING_FILE (default: urpnet-test-timing.jsonl in
 * the temp directory), to compare the suite's setup cost before and after a change.
 */
function recordTiming(timing: { engine: string; fromCopy: boolean; databaseMs: number; totalMs: number }): void {
  if (process.env.TEST_TIMING !== '1') return;
  const file = process.env.TEST_TIMING_FILE || path.join(os.tmpdir(), 'urpnet-test-timing.jsonl');
  const testFile = path.relative(process.cwd(), expect.getState().testPath ?? 'unknown');
  appendFileSync(file, `${JSON.stringify({ file: testFile, engine: timing.engine, fromCopy: timing.fromCopy, databaseMs: Math.round(timing.databaseMs), totalMs: Math.round(timing.totalMs) })}\n`);
}

export const demoEmail = (prefix: string, orgSlug?: string) => (orgSlug ? `${prefix}.${orgSlug}@${DEMO_EMAIL_DOMAIN}` : `${prefix}@${DEMO_EMAIL_DOMAIN}`);

/** A logged-in browser-like client: session cookie plus the CSRF header on writes. */
export interface Client {
  userId: string;
  memberships: { role: string; officeId: string | null; organisationId: string; officeName: string | null }[];
  officeId: string;
  organisationId: string;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  delete(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export async function login(app: FastifyInstance, email: string, password = DEMO_PASSWORD): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { user: { id: string }; csrfToken: string; memberships: Client['memberships'] };
  const cookie = res.cookies.find((c) => c.name === 'urpnet_session');
  if (!cookie) throw new Error('no session cookie');
  const base = { cookie: `urpnet_session=${cookie.value}` };
  const withCsrf = { ...base, 'x-csrf-token': body.csrfToken };
  const first = body.memberships.find((m) => m.officeId) ?? body.memberships[0];
  const request = (options: InjectOptions) => app.inject({ ...options, headers: { ...(options.method === 'GET' ? base : withCsrf), ...(options.headers ?? {}) } });
  return {
    userId: body.user.id,
    memberships: body.memberships,
    officeId: first?.officeId ?? '',
    organisationId: first?.organisationId ?? '',
    request,
    get: (url, headers = {}) => request({ method: 'GET', url, headers }),
    post: (url, payload, headers = {}) => request({ method: 'POST', url, ...(payload !== undefined && { payload: payload as object }), headers }),
    patch: (url, payload, headers = {}) => request({ method: 'PATCH', url, ...(payload !== undefined && { payload: payload as object }), headers }),
    put: (url, payload, headers = {}) => request({ method: 'PUT', url, ...(payload !== undefined && { payload: payload as object }), headers }),
    delete: (url, headers = {}) => request({ method: 'DELETE', url, headers }),
  };
}

/** A valid new-ticket body for the client's office, with overrides. */
export function ticketInput(client: Client, overrides: Record<string, unknown> = {}) {
  return {
    officeId: client.officeId,
    channel: 'telefono',
    subject: 'Rinnovo carta d’identità elettronica',
    description: 'La cittadina chiede come prenotare il rinnovo della CIE scaduta e quali documenti portare.',
    priority: 'normal',
    requester: { name: 'Maria Bianchi', email: 'maria.bianchi@example.org', phone: '+39 333 1234567', fiscalCode: 'BNCMRA80A41C426X' },
    classification: { tipo: 'informazione', tema: 'identita_digitale.cie' },
    ...overrides,
  };
}
