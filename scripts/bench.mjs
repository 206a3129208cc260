#!/usr/bin/env node
// `npm run bench [-- --quick] [-- <name>…] [-- --engine=postgres|pglite]`
//
// Builds the server when dist/ is missing or older than src/, then runs every benchmark under
// bench/ (top-level *.ts through tsx, *.mjs with plain node), in name order, one process each.
// Names filter which ones run (e.g. `npm run bench -- ticket-create`); every other argument is
// passed through to each benchmark. Never part of `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'bench');

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-'));
const passThrough = args.filter((a) => a.startsWith('-'));

const scripts = readdirSync(benchDir)
  .filter((f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('.mjs'))
  .filter((f) => {
    const base = f.replace(/\.(ts|mjs)$/, '');
    return names.length === 0 || names.includes(base) || names.includes(base.replace(/\.bench$/, ''));
  })
  .sort();
if (scripts.length === 0) {
  process.stderr.write(`bench: no benchmark matches ${names.join(', ')}\n`);
  process.exit(2);
}

// Benchmarks that import src/ through tsx and never start the compiled server: no build needed.
const IN_PROCESS = new Set(['pii-compare.bench.ts', 'pii-scrub.bench.ts', 'trends.bench.ts']);
const cli = path.join(root, 'dist', 'cli.js');
if (scripts.some((f) => !IN_PROCESS.has(f)) && (!existsSync(cli) || newestMtime(path.join(root, 'src')) > statSync(cli).mtimeMs)) {
  process.stdout.write('bench: compiling the server (npm run build:server)…\n');
  const built = spawnSync('npm', ['run', '--silent', 'build:server'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) {
    process.stderr.write('bench: build failed\n');
    process.exit(built.status ?? 1);
  }
}

let failed = 0;
for (const file of scripts) {
  const started = Date.now();
  process.stdout.write(`\n=== bench/${file} ===\n`);
  const nodeArgs = file.endsWith('.ts') ? ['--import', 'tsx', path.join(benchDir, file)] : [path.join(benchDir, file)];
  const result = spawnSync(process.execPath, [...nodeArgs, ...passThrough], { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`=== bench/${file}: FAILED (${result.status ?? result.signal}) after ${seconds} s ===\n`);
  } else {
    process.stdout.write(`=== bench/${file}: done in ${seconds} s ===\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
