import { readFileSync } from 'node:fs';
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
  project.provide('urpnetSeededCopy', await prepareSeededCopy());
}
