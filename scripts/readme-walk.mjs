#!/usr/bin/env node
// Walks the README's quick start the way a new user does, on this checkout: `npm start`, stop it
// with Ctrl-C, `npm start` again on the same data (expecting /healthz), then `npx urpnet --help`,
// `npx urpnet migrate`, `territory show`, a dry run of an onboarding import, an archive run, an open-data export
// `anonymize` on stdin, `analyze` on a CSV of daily counts and `simulate` on the example scenario. On a clean clone (CI) the first start also builds server and web app,
// and the second start runs on a built tree — the path that once crashed every command.
// Exits non-zero at the first step that fails and ends with one "N passed, N failed" line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-readme-walk-'));
const FIRST_START_TIMEOUT_MS = 15 * 60_000; // the first start compiles server and web app
const START_TIMEOUT_MS = 3 * 60_000;
const STOP_TIMEOUT_MS = 60_000;
const results = { passed: 0, failed: 0 };
/** Servers started and not yet stopped: a failed step must not leave them running. */
const running = new Set();

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function step(name, ok, detail = '') {
  results[ok ? 'passed' : 'failed']++;
  process.stdout.write(`${ok ? '✓' : '✗'} ${name}${detail ? ` — ${detail}` : ''}\n`);
  if (!ok) finish();
}

function finish() {
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the process group has already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`README walk: ${results.passed} passed, ${results.failed} failed\n`);
  process.exit(results.failed > 0 ? 1 : 0);
}

/** `npm start` in its own process group, so Ctrl-C (SIGINT) reaches npm and the server alike. */
function npmStart(port, log) {
  const child = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', URPNET_DEMO_PASSWORD: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => log.push(d.toString()));
  child.stderr.on('data', (d) => log.push(d.toString()));
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  running.add(child);
  child.exited.then(() => running.delete(child));
  return child;
}

async function waitHealthy(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  child.exited.then((e) => {
    exited = e;
  });
  while (Date.now() < deadline) {
    if (exited) return { ok: false, why: `process exited (${JSON.stringify(exited)})` };
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return { ok: true };
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  return { ok: false, why: 'timed out' };
}

async function stop(child) {
  process.kill(-child.pid, 'SIGINT');
  const outcome = await Promise.race([child.exited, sleep(STOP_TIMEOUT_MS).then(() => null)]);
  if (!outcome) {
    process.kill(-child.pid, 'SIGKILL');
    return false;
  }
  return true;
}

function tail(log) {
  return log.join('').split('\n').slice(-30).join('\n');
}

async function start(label, timeoutMs) {
  const port = await freePort();
  const log = [];
  const child = npmStart(port, log);
  const health = await waitHealthy(port, child, timeoutMs);
  if (!health.ok) process.stdout.write(`${tail(log)}\n`);
  step(`${label}: /healthz answers`, health.ok, health.ok ? `porta ${port}` : health.why);
  return { child, port, log };
}

const first = await start('npm start (first start)', FIRST_START_TIMEOUT_MS);
const credentials = readFileSync(path.join(dataDir, 'demo-credentials.txt'), 'utf8');
step('first start wrote the demo credentials', /operatore\.comune-celano@demo\.urpnet\.it/.test(credentials));
const password = /password[^:]*:\s*(\S+)/i.exec(credentials)?.[1];
step('stop (Ctrl-C)', await stop(first.child));

const second = await start('npm start again on the same data', START_TIMEOUT_MS);
const login = await fetch(`http://127.0.0.1:${second.port}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'operatore.comune-celano@demo.urpnet.it', password }),
});
step('the demo password of the first start still logs in', login.ok, `HTTP ${login.status}`);
const page = await fetch(`http://127.0.0.1:${second.port}/`);
step('the web app is served', page.ok && (await page.text()).includes('<div id="root">'), `HTTP ${page.status}`);
step('stop (Ctrl-C) again', await stop(second.child));

const help = spawnSync('npx', ['urpnet', '--help'], { cwd: root, encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir } });
step('npx urpnet --help', help.status === 0 && help.stdout.includes('serve'), help.status === 0 ? '' : help.stderr.slice(-500));
const migrate = spawnSync('npx', ['urpnet', 'migrate'], { cwd: root, encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' } });
step('npx urpnet migrate on the same data', migrate.status === 0 && migrate.stdout.includes('database già aggiornato'), migrate.stderr.slice(-500));
const cli = (...args) => spawnSync('npx', ['urpnet', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' } });
const territory = cli('territory', 'show');
step('npx urpnet territory show', territory.status === 0 && /20 regioni, 107 province, \d{4} comuni/.test(territory.stdout), territory.stdout.slice(-300) + territory.stderr.slice(-300));
const onboarding = cli('import', 'organisations', 'test/fixtures/onboarding/ipa-enti-nuovo.csv', '--dry-run');
step('npx urpnet import organisations … --dry-run', onboarding.status === 0 && onboarding.stdout.includes('prova: nulla è stato scritto'), onboarding.stdout.slice(-300) + onboarding.stderr.slice(-300));
const archived = cli('archive', 'run');
step('npx urpnet archive run', archived.status === 0 && archived.stdout.includes('file Parquet scritti'), archived.stdout.slice(-300) + archived.stderr.slice(-300));
const openData = path.join(dataDir, 'dati-aperti');
const exported = cli('archive', 'export', '--format', 'parquet', '--out', openData);
step('npx urpnet archive export --format parquet', exported.status === 0 && existsSync(path.join(openData, 'catalog.jsonld')), exported.stdout.slice(-300) + exported.stderr.slice(-300));
const anonymised = spawnSync('npx', ['urpnet', 'anonymize'], {
  cwd: root, encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, input: '{"id":"1","text":"sono Anna Neri, cell. 333 1234567"}\n',
});
step('npx urpnet anonymize', anonymised.status === 0 && anonymised.stdout.includes('"text":"sono [PERSONA], cell. [TELEFONO]"'), anonymised.stdout.slice(-300) + anonymised.stderr.slice(-300));
// Ten weeks of a steady series with a spike on its last day, and one bad line reported by number.
const series = ['date,series,count'];
for (let i = 0; i < 70; i++) series.push(`${new Date(Date.UTC(2026, 0, 5 + i)).toISOString().slice(0, 10)},tari,${i === 69 ? 90 : 20 + (i % 3)}`);
series.push('2026-03-20,tari,-4');
const seriesFile = path.join(dataDir, 'serie.csv');
writeFileSync(seriesFile, `${series.join('\n')}\n`);
const analysed = cli('analyze', '--input', seriesFile, '--horizon', '14');
let analysis = null;
try {
  analysis = JSON.parse(analysed.stdout);
} catch {}
const tari = analysis?.series?.find((x) => x.series === 'tari');
step(
  'npx urpnet analyze --input serie.csv --horizon 14',
  analysed.status === 0 && tari?.forecast?.length === 14 && tari.alarms.some((a) => a.kind === 'spike' && a.date === '2026-03-15') && /riga 72/.test(analysed.stderr),
  analysed.stdout.slice(-300) + analysed.stderr.slice(-300),
);
const simulated = cli('simulate', '--scenario', path.join(root, 'scenarios', 'example-two-offices.json'), '--json');
let simulation = null;
try {
  simulation = JSON.parse(simulated.stdout);
} catch {}
step(
  'npx urpnet simulate --scenario scenarios/example-two-offices.json --json',
  simulated.status === 0 && simulation?.isolated?.network?.offered > 0 && simulation.network.network.offered === simulation.isolated.network.offered && simulation.network.network.overflowOut > 0,
  simulated.stdout.slice(-300) + simulated.stderr.slice(-300),
);
finish();
