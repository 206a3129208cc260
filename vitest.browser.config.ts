import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests of the web console in headless Chromium against a real server
 * (`node bin/urpnet.js serve`): `npx vitest run --config vitest.browser.config.ts`.
 * They expect `dist/` and `web/dist/` to be built already, and skip when /usr/bin/chromium is missing.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
