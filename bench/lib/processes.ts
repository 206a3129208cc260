/**
 * Child-process plumbing for the benchmarks: starting the real server (`node bin/urpnet.js serve`)
 * as a separate process, timing its cold start, sampling its memory from /proc, stopping it, and
 * making sure no child outlives the benchmark (normal end, error or Ctrl-C).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void> | void)[] = [];

/** Registers work to do at the end of the run, also after an error or a signal (LIFO). */
export function atCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

/** Kills every child still alive and runs the cleanups. Safe to call more than once. */
export async function cleanupAll(): Promise<void> {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  while (cleanups.length > 0) {
    const fn = cleanups.pop();
    try {
      await fn?.();
    } catch (err) {
      process.stderr.write(`cleanup failed: ${(err as Error).message}\n`);
    }
  }
}

let handlersInstalled = false;
export function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the benchmark\n`);
      void cleanupAll().finally(() => process.exit(130));
    });
  }
  // Last resort for synchronous exits: no child may survive us.
  process.on('exit', () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface MemoryReading {
  /** Current resident set size, MB. */
  rssMb: number;
  /** Peak resident set size since the process started (VmHWM), MB. */
  hwmMb: number;
}

/** Reads VmRSS and VmHWM of a process from /proc (Linux). */
export function readMemory(pid: number): MemoryReading | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

export interface ServerProcess {
  pid: number;
  url: string;
  /** Seconds from spawn to the first 200 of /readyz. */
  readySeconds: number;
  /** Seconds from spawn to the first 200 of `GET /` (only when web/dist exists). */
  rootSeconds: number | null;
  /** Highest VmRSS seen by the sampler since the last resetSampler(), MB. */
  sampledPeakMb(): number;
  resetSampler(): void;
  memory(): MemoryReading | null;
  /** Last lines of the server's output, for error messages. */
  outputTail(): string;
  /** SIGTERM (graceful: the server drains and closes the database), SIGKILL after a timeout. */
  stop(): Promise<void>;
}

export interface StartOptions {
  env: Record<string, string>;
  /** Give up waiting for /readyz after this many seconds. */
  timeoutSeconds?: number;
}

/**
 * Starts `node bin/urpnet.js serve` with URPNET_SKIP_BUILD=true (dist/ must be built) and the given
 * environment on top of a cleaned copy of ours (DATABASE_URL and friends are never inherited).
 * BENCH_SERVER_NODE_ARGS adds node options to the server process, e.g. to profile it:
 * `BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- mail-intake`.
 */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const port = await freePort();
  const inherited: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(DATABASE_URL|DATA_DIR|PORT|HOST|URPNET_|LOG_LEVEL|RATE_LIMIT|DB_POOL_SIZE|BASE_URL|TEST_DATABASE_URL)/.test(k)) continue;
    inherited[k] = v;
  }
  const env = { ...inherited, URPNET_SKIP_BUILD: 'true', HOST: '127.0.0.1', PORT: String(port), ...options.env };
  const url = `http://127.0.0.1:${port}`;
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), path.join(root, 'bin', 'urpnet.js'), 'serve'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') tail.push(line);
    if (tail.length > 40) tail.splice(0, tail.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the server');

  let sampledPeak = 0;
  const sample = () => {
    const m = readMemory(pid);
    if (m && m.rssMb > sampledPeak) sampledPeak = m.rssMb;
  };
  const sampler = setInterval(sample, 100);
  sampler.unref();

  const stop = async () => {
    clearInterval(sampler);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    children.delete(child);
  };

  const deadline = spawnedAt + (options.timeoutSeconds ?? 180) * 1000;
  const firstOk = async (p: string): Promise<number> => {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before answering ${p}:\n${tail.join('\n')}`);
      }
      if (performance.now() > deadline) {
        await stop();
        throw new Error(`server did not answer ${p} within ${options.timeoutSeconds ?? 180} s:\n${tail.join('\n')}`);
      }
      try {
        const res = await fetch(`${url}${p}`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.status === 200) return (performance.now() - spawnedAt) / 1000;
      } catch {
        // not listening yet
      }
      await sleep(10);
    }
  };
  const readySeconds = await firstOk('/readyz');
  const rootSeconds = existsSync(path.join(root, 'web', 'dist', 'index.html')) ? await firstOk('/') : null;
  sample();
  return {
    pid,
    url,
    readySeconds,
    rootSeconds,
    sampledPeakMb: () => sampledPeak,
    resetSampler: () => {
      sampledPeak = 0;
    },
    memory: () => readMemory(pid),
    outputTail: () => tail.join('\n'),
    stop,
  };
}
