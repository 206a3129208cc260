import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

/** Vitest puts Vite's `import.meta.env` (BASE_URL="/", MODE, DEV…) into process.env: keep it from the server's config. */
const VITE_ENV = new Set(['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR', 'TEST', 'VITEST', 'VITEST_MODE', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_ENV']);

function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !VITE_ENV.has(key) && !key.startsWith('VITE_')));
}

export interface RunningServer {
  baseUrl: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `node bin/urpnet.js serve` on a free port with a fresh DATA_DIR and waits for /readyz. The
 * first start migrates and seeds the demo network, which can take two minutes on a loaded 2-core
 * machine: the wait stays just under the browser config's 180 s hook timeout.
 */
export async function startServer(password: string, timeoutMs = 170_000, extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  for (const built of ['bin/urpnet.js', 'dist', 'web/dist/index.html']) {
    if (!existsSync(join(PROJECT_ROOT, built))) {
      throw new Error(`${built} is missing: build first (npm run build) before running the browser tests`);
    }
  }
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'urpnet-e2e-data-'));
  const child: ChildProcess = spawn(process.execPath, ['bin/urpnet.js', 'serve'], {
    cwd: PROJECT_ROOT,
    env: { ...inheritedEnv(), PORT: String(port), DATA_DIR: dataDir, URPNET_DEMO_PASSWORD: password, LOG_LEVEL: 'warn', URPNET_SKIP_BUILD: 'true', ...extraEnv },
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

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited === null && child.pid) {
      const gone = new Promise<void>((ok) => child.once('exit', () => ok()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== null) {
      await stop();
      throw new Error(`server exited with code ${exited} before becoming ready:\n${log}`);
    }
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.status === 200) return { baseUrl, dataDir, output: () => log, stop };
    } catch {
      /* not listening yet */
    }
    await new Promise((ok) => setTimeout(ok, 500));
  }
  await stop();
  throw new Error(`server not ready after ${timeoutMs} ms:\n${log}`);
}
