/**
 * Module boundaries of urpnet (`npm run lint:deps`, run by .ci/run).
 *
 * - A module (`src/modules/<name>/`) uses another only through that module's `index.ts`.
 * - No cycle between modules (e.g. tickets → classification → tickets).
 * - The platform and the database layer sit below the modules and never import them.
 *
 * Table ownership (a module never touches another module's tables) is checked by
 * `test/module-tables.test.ts`, since it is about SQL, not imports.
 */
const MODULE = '(?:^|/)src/modules/([^/]+)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'module-through-index',
      severity: 'error',
      comment: "Import another module only through its index.ts: what it exports there are the use cases it offers; everything else is its own business.",
      from: { path: MODULE },
      to: { path: '(?:^|/)src/modules/', pathNot: ['(?:^|/)src/modules/$1/', '(?:^|/)src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-module-cycle',
      severity: 'error',
      comment:
        'Modules depend on each other in one direction only (e.g. never tickets → classification → tickets): invert the dependency with a domain event or move the shared piece down. Checked on the graph collapsed to modules (`--collapse`, see lint:deps).',
      from: { path: '(?:^|/)src/modules/[^/]+/?$' },
      to: { circular: true },
    },
    {
      name: 'platform-below-modules',
      severity: 'error',
      comment: 'src/platform and src/db are shared infrastructure: they must not depend on a business module.',
      from: { path: '(?:^|/)src/(?:platform|db)/' },
      to: { path: '(?:^|/)src/modules/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
