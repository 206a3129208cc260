import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, PROJECT_ROOT } from './browser/server.js';
import { openSse, type SseStream } from './helpers/sse.js';
import { baseTestEnv, createDatabaseFromTemplate, DEMO_PASSWORD } from './helpers/seeded-database.js';
import { demoEmail } from './helpers/test-app.js';

/**
 * Realtime across server processes (issue 10, point 4): two real server processes
 * (`node --import tsx src/cli.ts serve`, each with its own pool and its own LISTEN connection) on one
 * PostgreSQL database, on different ports. A browser (headless Chromium with an `EventSource` in a
 * real page; a Node SSE client when /usr/bin/chromium is missing) holds the stream open on B; changes
 * committed through A's HTTP API reach it within 1 s, and logging out on A ends the stream on B.
 * PostgreSQL only: PGlite is one process's embedded database.
 */
const SERVER_URL = process.env.TEST_DATABASE_URL;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const WITHIN_MS = 1000;

interface ServerProcess {
  base: string;
  output(): string;
  stop(): Promise<void>;
}

/** Vitest puts Vite's `import.meta.env` (BASE_URL, MODE…) into process.env: keep it from the server's config. */
const VITE_ENV = new Set(['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'TEST', 'VITEST', 'VITEST_MODE', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_ENV']);

async function startProcess(name: string, databaseUrl: string): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `urpnet-proc-${name}-`));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !VITE_ENV.has(k) && !k.startsWith('VITE_')));
  // The same secret on both: a session cookie issued by one instance is valid on the other.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: PROJECT_ROOT,
    env: { ...env, ...baseTestEnv(dataDir), LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });
  const stop = async () => {
    if (exited === null && child.pid) {
      const gone = new Promise<void>((ok) => child.once('exit', () => ok()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`server ${name} exited with ${exited}:\n${log}`);
    const ready = await fetch(`${base}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) return { base, output: () => log, stop };
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new Error(`server ${name} not ready:\n${log}`);
}

/** A session on one instance, as a client that is not a browser (Node fetch). */
async function signIn(base: string, email: string): Promise<{ cookie: string; csrf: string; officeId: string }> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { csrfToken: string; memberships: { officeId: string | null }[] };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('urpnet_session=')) ?? '';
  return { cookie, csrf: body.csrfToken, officeId: body.memberships.find((m) => m.officeId)?.officeId ?? '' };
}

async function post(base: string, session: { cookie: string; csrf: string }, url: string, body?: unknown) {
  return fetch(`${base}${url}`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

/** Where the stream on B is read: an EventSource in a Chromium page, or a Node SSE client. */
interface StreamWatcher {
  kind: 'chromium' | 'node';
  /** Epoch ms at which the first event of this type whose data contains `text` arrived. */
  arrival(type: 'notification' | 'ticket', text: string, ms: number): Promise<number>;
  /** Epoch ms at which the connection ended (the server closed it), or null if it is still open after `ms`. */
  ended(ms: number): Promise<number | null>;
  /** Whether a reconnect with the same credentials is refused (EventSource gives up: readyState CLOSED). */
  reconnectRefused(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

async function chromiumWatcher(base: string, email: string): Promise<StreamWatcher & { session: { cookie: string; csrf: string } }> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'urpnet-proc-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page: Page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${base}/readyz`);
  // Logged in by the page itself: the session cookie lives in the browser's jar (HttpOnly).
  const csrf = await page.evaluate(async ([e, p]) => {
    const res = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: e, password: p }) });
    return ((await res.json()) as { csrfToken: string }).csrfToken;
  }, [email, DEMO_PASSWORD] as const);
  const cookie = (await context.cookies(base)).find((c) => c.name === 'urpnet_session');
  if (!cookie) throw new Error('no session cookie in the browser');
  await page.evaluate(() => {
    const w = window as unknown as { received: { type: string; data: string; at: number }[]; closedAt: number | null; source: EventSource; opened: boolean };
    w.received = [];
    w.closedAt = null;
    w.opened = false;
    w.source = new EventSource('/api/v1/notifications/stream');
    w.source.addEventListener('open', () => {
      w.opened = true;
    });
    for (const type of ['notification', 'ticket']) {
      w.source.addEventListener(type, (e) => w.received.push({ type, data: (e as MessageEvent<string>).data, at: Date.now() }));
    }
    w.source.addEventListener('error', () => {
      w.closedAt ??= Date.now();
    });
  });
  await page.waitForFunction(() => (window as unknown as { opened: boolean }).opened, undefined, { timeout: 10_000 });
  return {
    kind: 'chromium',
    session: { cookie: `urpnet_session=${cookie.value}`, csrf },
    async arrival(type, text, ms) {
      const handle = await page.waitForFunction(
        ([t, x]) => (window as unknown as { received: { type: string; data: string; at: number }[] }).received.find((r) => r.type === t && r.data.includes(x))?.at,
        [type, text] as const,
        { timeout: ms },
      );
      return (await handle.jsonValue()) as number;
    },
    async ended(ms) {
      const handle = await page.waitForFunction(() => (window as unknown as { closedAt: number | null }).closedAt, undefined, { timeout: ms }).catch(() => null);
      return handle ? ((await handle.jsonValue()) as number) : null;
    },
    async reconnectRefused(ms) {
      return page
        .waitForFunction(() => (window as unknown as { source: EventSource }).source.readyState === EventSource.CLOSED, undefined, { timeout: ms })
        .then(() => true, () => false);
    },
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function nodeWatcher(base: string, email: string): Promise<StreamWatcher & { session: { cookie: string; csrf: string } }> {
  const session = await signIn(base, email);
  const stream: SseStream = await openSse(`${base}/api/v1/notifications/stream`, { cookie: session.cookie });
  expect(stream.status).toBe(200);
  const epoch = (at: number) => performance.timeOrigin + at;
  return {
    kind: 'node',
    session,
    async arrival(type, text, ms) {
      return epoch((await stream.waitFor((e) => e.event === type && e.data.includes(text), ms)).at);
    },
    async ended(ms) {
      return (await stream.endsWithin(ms)) ? Date.now() : null;
    },
    async reconnectRefused() {
      const again = await fetch(`${base}/api/v1/notifications/stream`, { headers: { cookie: session.cookie } });
      await again.body?.cancel();
      return again.status === 401;
    },
    close: () => stream.close(),
  };
}

describe.skipIf(!SERVER_URL)('realtime across two server processes on one PostgreSQL', () => {
  let databaseName = '';
  let a: ServerProcess | null = null;
  let b: ServerProcess | null = null;
  let watcher: (StreamWatcher & { session: { cookie: string; csrf: string } }) | null = null;

  beforeAll(async () => {
    const serverUrl = SERVER_URL as string;
    databaseName = `urpnet_test_${randomBytes(6).toString('hex')}`;
    const copy = inject('urpnetSeededCopy');
    if (copy?.engine === 'postgres') {
      await createDatabaseFromTemplate(serverUrl, databaseName, copy);
    } else {
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`create database ${databaseName}`);
      await admin.end();
    }
    const url = new URL(serverUrl);
    url.pathname = `/${databaseName}`;
    // One after the other: A migrates and seeds (when the database is new), B finds it ready.
    a = await startProcess('a', url.toString());
    b = await startProcess('b', url.toString());
  }, 330_000);

  afterAll(async () => {
    await watcher?.close();
    await a?.stop();
    await b?.stop();
    if (SERVER_URL && databaseName) {
      const admin = new pg.Client({ connectionString: SERVER_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${databaseName} with (force)`);
      await admin.end();
    }
  }, 60_000);

  it('delivers changes committed through A to the stream open on B within 1 s, and ends it at logout on A', async () => {
    const A = a as ServerProcess;
    const B = b as ServerProcess;
    const email = demoEmail('operatore', 'asl-avezzano-sulmona-laquila');
    watcher = existsSync(CHROMIUM) ? await chromiumWatcher(B.base, email) : await nodeWatcher(B.base, email);
    const w = watcher;

    // 1. A reply, through A, on a ticket of the user's office (by a colleague): `event: ticket`.
    // Latencies run from sending the write to the browser's receipt (an upper bound of commit → receipt).
    const colleague = await signIn(A.base, demoEmail('backoffice', 'asl-avezzano-sulmona-laquila'));
    const subject = `Processi ${randomBytes(4).toString('hex')}`;
    const created = await post(A.base, colleague, '/api/v1/tickets', {
      officeId: colleague.officeId, channel: 'telefono', subject, description: 'Richiesta di esenzione dal ticket sanitario per reddito.', priority: 'normal',
      classification: { tipo: 'informazione', tema: 'sanita.esenzioni_ticket' },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const code = ((await created.json()) as { code: string }).code;
    await w.arrival('ticket', code, 5000);
    const sentTicket = Date.now();
    const reply = await post(A.base, colleague, `/api/v1/tickets/${code}/messages`, { kind: 'reply', body: 'Gentile utente, la richiesta è stata presa in carico.' });
    expect(reply.status).toBe(201);
    const ticketArrived = await w.arrival('ticket', '"ticket.reply_added"', 5000);

    // 2. A notification: Celano's operator, on A, asks the ASL office to collaborate on a ticket.
    const celano = await signIn(A.base, demoEmail('operatore', 'comune-celano'));
    const other = await post(A.base, celano, '/api/v1/tickets', {
      officeId: celano.officeId, channel: 'telefono', subject: `${subject} Celano`, description: 'Richiesta di esenzione dal ticket sanitario per reddito.', priority: 'normal',
      classification: { tipo: 'informazione', tema: 'sanita.esenzioni_ticket' },
    });
    expect(other.status).toBe(201);
    const otherCode = ((await other.json()) as { code: string }).code;
    const sentShare = Date.now();
    const share = await post(A.base, celano, `/api/v1/tickets/${otherCode}/shares`, { officeId: colleague.officeId, mode: 'collaborate', reason: 'Serve il vostro parere' });
    expect(share.status).toBe(201);
    const notificationArrived = await w.arrival('notification', otherCode, 5000);

    const latency = { ticketMs: ticketArrived - sentTicket, notificationMs: notificationArrived - sentShare, client: w.kind };
    process.stdout.write(`realtime across processes: ${JSON.stringify(latency)}\n`);
    expect(latency.ticketMs).toBeLessThan(WITHIN_MS);
    expect(latency.notificationMs).toBeLessThan(WITHIN_MS);

    // 3. Logging the same session out on A ends the stream on B, and B refuses its reconnection.
    const loggedOut = Date.now();
    const logout = await post(A.base, w.session, '/api/v1/auth/logout');
    expect(logout.status).toBe(204);
    const endedAt = await w.ended(5000);
    expect(endedAt, 'the stream on B is still open after logout on A').not.toBeNull();
    expect((endedAt as number) - loggedOut).toBeLessThan(WITHIN_MS * 3);
    expect(await w.reconnectRefused(15_000)).toBe(true);
  }, 120_000);
});
