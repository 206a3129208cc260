import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Migrates and seeds one database per run (or reuses the last run's), which the HTTP test files copy.
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
