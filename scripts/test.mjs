#!/usr/bin/env node
// `npm test`: type check, unit + HTTP integration tests on PGlite, the same HTTP suite on PostgreSQL
// when TEST_DATABASE_URL is set, and the browser tests when Chromium is installed. Says clearly
// which parts ran and which were skipped, and ends with one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'urpnet-test-report-'));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const totals = { passed: 0, failed: 0, skipped: 0 };
const parts = [];
const failures = [];
let failedSteps = 0;

function run(label, command, args, env = {}) {
  process.stdout.write(`\n━━ ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  if (!ok) failedSteps++;
  return ok;
}

// The failed tests of a vitest JSON report, one line each (file, test, first line of the error), so
// the summary at the end of a long CI log names them even when the log is cut.
function failedTests(label, report) {
  const out = [];
  for (const file of report.testResults ?? []) {
    const rel = path.relative(root, file.name);
    for (const t of file.assertionResults ?? []) {
      if (t.status !== 'failed') continue;
      const message = String(t.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300);
      out.push(`[${label}] ${rel} › ${t.fullName ?? t.title}: ${message}`);
    }
    if ((file.assertionResults ?? []).length === 0 && file.status === 'failed') {
      out.push(`[${label}] ${rel}: ${String(file.message ?? '').split('\n')[0].slice(0, 300)}`);
    }
  }
  return out;
}

function vitest(label, args, env = {}) {
  const report = path.join(tmp, `${parts.length}.json`);
  const ok = run(label, 'npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], env);
  let counts = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    counts = { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
    failures.push(...failedTests(label, r));
  } else if (!ok) {
    counts.failed = 1;
  }
  for (const k of Object.keys(totals)) totals[k] += counts[k];
  parts.push(`${label}: ${ok ? 'ok' : 'FAILED'} (${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped)`);
  return ok;
}

if (!['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].some((p) => existsSync(p))) {
  parts.push('IMAP polling tests: SKIPPED (Dovecot not found; apt-get install dovecot-imapd to run them)');
}

const typecheckOk = run('type check (tsc --noEmit)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
parts.push(`type check: ${typecheckOk ? 'ok' : 'FAILED'}`);

vitest('unit + HTTP integration on PGlite (embedded)', ['--config', 'vitest.config.ts'], { TEST_DATABASE_URL: '' });

if (process.env.TEST_DATABASE_URL) {
  vitest(`HTTP integration on PostgreSQL (${process.env.TEST_DATABASE_URL.replace(/\/\/[^@]*@/, '//')})`, ['--config', 'vitest.config.ts', 'test/'], {});
} else {
  parts.push('PostgreSQL suite: SKIPPED (set TEST_DATABASE_URL=postgres://… to run it)');
}

if (existsSync(path.join(root, 'web', 'vitest.config.ts'))) {
  vitest('web unit tests (jsdom)', ['--config', 'web/vitest.config.ts']);
}

if (existsSync(CHROMIUM)) {
  const built = run('build server and web app', 'npm', ['run', '--silent', 'build']);
  if (built) vitest('browser tests (headless Chromium)', ['--config', 'vitest.browser.config.ts']);
  else parts.push('browser tests: FAILED (build failed)');
} else {
  parts.push(`browser tests: SKIPPED (${CHROMIUM} not found; apt-get install chromium to run them)`);
}

rmSync(tmp, { recursive: true, force: true });
process.stdout.write(`\n━━ summary\n${parts.map((p) => `  ${p}`).join('\n')}\n`);
if (failures.length > 0) process.stdout.write(`failed tests:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failedSteps > 0 || totals.failed > 0 ? 1 : 0);
