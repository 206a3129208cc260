import { appendFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { prepareSeededCopy } from './seeded-database.js';

/**
 * vitest globalSetup: builds (or reuses) the migrated and seeded database once per run, before any
 * test file starts; buildTestApp then copies it per file (see seeded-database.ts). Skipped when
 * none of the selected test files calls buildTestApp (a unit-test run pays nothing), and with
 * URPNET_TEST_SEED_ONCE=0, which makes every file migrate and seed its own database as before.
 */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('urpnetSeededCopy', null);
  if (process.env.URPNET_TEST_SEED_ONCE === '0') return;
  const { testFiles } = await project.globTestFiles(project.vitest.config.filters);
  if (!testFiles.some((file) => readFileSync(file, 'utf8').includes('buildTestApp('))) return;
  const started = performance.now();
  const copy = await prepareSeededCopy();
  project.provide('urpnetSeededCopy', copy);
  if (process.env.TEST_TIMING === '1') {
    const file = process.env.TEST_TIMING_FILE || path.join(os.tmpdir(), 'urpnet-test-timing.jsonl');
    appendFileSync(file, `${JSON.stringify({ globalSetup: true, engine: copy.engine, built: copy.built, ms: Math.round(performance.now() - started) })}\n`);
  }
}
