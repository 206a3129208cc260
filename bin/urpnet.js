#!/usr/bin/env node
// Entry point of the `urpnet` command. Runs the compiled server from dist/, building it (and the
// web app) first when the build is missing or older than the sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Newest modification time under a path: a folder is walked, a file counts by itself. */
function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    const p = path.join(target, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function stale(output, sources) {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((s) => newestMtime(path.join(root, s)) > built);
}

function run(args) {
  const result = spawnSync('npm', ['run', '--silent', ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`urpnet: build failed (npm run ${args.join(' ')})\n`);
    process.exit(result.status ?? 1);
  }
}

if (process.env.URPNET_SKIP_BUILD !== 'true') {
  if (stale(path.join(root, 'dist', 'cli.js'), ['src'])) {
    process.stderr.write('urpnet: compiling the server (npm run build:server)…\n');
    run(['build:server']);
  }
  if (existsSync(path.join(root, 'web', 'index.html')) && stale(path.join(root, 'web', 'dist', 'index.html'), ['web/src', 'web/index.html'])) {
    process.stderr.write('urpnet: building the web app (npm run build:web)…\n');
    run(['build:web']);
  }
}

await import(path.join(root, 'dist', 'cli.js'));
