/**
 * Shared set-up of the citizen-channel benchmarks (mail intake, reply delivery, portal pages):
 * command-line flags, a fresh database (a new PostgreSQL database dropped at the end, or a PGlite
 * directory), the compiled server started as a child process with the demo network, and HTTP
 * sessions of demo users.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DEMO_EMAIL_DOMAIN } from '../../src/modules/identity/demo-seed.js';
import { atCleanup, removeDir, type ServerProcess, startServer } from './processes.js';

export interface BenchArgs {
  quick: boolean;
  engine: 'postgres' | 'pglite';
  flag(name: string): string | undefined;
}

export function benchArgs(): BenchArgs {
  const args = process.argv.slice(2);
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const engine = (flag('engine') ?? 'postgres') as BenchArgs['engine'];
  if (!['postgres', 'pglite'].includes(engine)) throw new Error(`--engine=${engine}: expected postgres or pglite`);
  return { quick: args.includes('--quick'), engine, flag };
}

export const log = (s: string) => process.stdout.write(`${s}\n`);

export const BENCH_PASSWORD = 'bench-citizen-channels-2026';
const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://root@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  /** null with PGlite (the server keeps it in dataDir). */
  databaseUrl: string | null;
  dataDir: string;
}

/** A fresh database for one run (dropped, or its directory removed, at cleanup). */
export async function freshDatabase(engine: BenchArgs['engine'], tag: string): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `urpnet-bench-${tag}-`));
  atCleanup(() => removeDir(dataDir));
  if (engine === 'pglite') return { databaseUrl: null, dataDir };
  const name = `urpnet_bench_${tag.replace(/[^a-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  atCleanup(async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { databaseUrl: url.toString(), dataDir };
}

/** `node bin/urpnet.js serve` (compiled dist/) on the database, demo network seeded with BENCH_PASSWORD. */
export function startBenchServer(database: BenchDatabase, env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServer({
    env: {
      ...(database.databaseUrl !== null && { DATABASE_URL: database.databaseUrl }),
      DATA_DIR: database.dataDir,
      URPNET_SECRET: randomBytes(32).toString('base64url'),
      URPNET_DEMO_PASSWORD: BENCH_PASSWORD,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '10000000',
      ...env,
    },
  });
}

export const demoEmail = (prefix: string, orgSlug: string) => `${prefix}.${orgSlug}@${DEMO_EMAIL_DOMAIN}`;

export interface Session {
  cookie: string;
  csrf: string;
  officeId: string | null;
  organisationId: string | null;
}

/** POST /api/v1/auth/login (throttled to 30 a minute per address: a handful per run). */
export async function signIn(baseUrl: string, email: string): Promise<Session> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: BENCH_PASSWORD }) });
  if (res.status !== 200) throw new Error(`login ${email}: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { csrfToken: string; memberships: { officeId: string | null; organisationId: string }[] };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('urpnet_session='));
  if (!cookie) throw new Error(`login ${email}: no session cookie`);
  const office = body.memberships.find((m) => m.officeId !== null) ?? body.memberships[0];
  return { cookie, csrf: body.csrfToken, officeId: office?.officeId ?? null, organisationId: office?.organisationId ?? null };
}

/** One JSON call with a session (cookie + CSRF header on writes). */
export async function api(baseUrl: string, session: Session | null, method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: {
      ...(session && { cookie: session.cookie }),
      ...(session && method !== 'GET' && { 'x-csrf-token': session.csrf }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, json };
}

/** Nearest-rank percentile of an unsorted list (ms or any unit); NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
