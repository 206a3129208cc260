import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const bootstrapItaliaDist = join(dirname(require.resolve('bootstrap-italia/package.json')), 'dist');

/** URL prefix under which the design-system assets (fonts, icon sprite) are served. */
export const BOOTSTRAP_ITALIA_PUBLIC_PATH = '/bootstrap-italia/dist';

/** Only the formats every supported browser reads; eot/ttf/svg fonts would just bloat the build. */
const isShippedAsset = (file: string): boolean =>
  /\.(woff2?|txt)$/.test(file) || file.endsWith('sprites.svg');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/**
 * bootstrap-italia loads Titillium Web from a path at run time and its icons live in one
 * sprite: serve both from our own origin (dev) and copy them into the build (prod), so
 * that no request ever leaves for a CDN.
 */
function bootstrapItaliaAssets(): Plugin {
  const assets = [
    ...listFiles(join(bootstrapItaliaDist, 'fonts')),
    join(bootstrapItaliaDist, 'svg', 'sprites.svg'),
  ].filter(isShippedAsset);
  return {
    name: 'urpnet:bootstrap-italia-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0] ?? '';
        if (!url.startsWith(`${BOOTSTRAP_ITALIA_PUBLIC_PATH}/`)) return next();
        const file = join(bootstrapItaliaDist, url.slice(BOOTSTRAP_ITALIA_PUBLIC_PATH.length));
        if (!assets.includes(file)) return next();
        res.setHeader('Content-Type', file.endsWith('.svg') ? 'image/svg+xml' : file.endsWith('.woff2') ? 'font/woff2' : 'font/woff');
        res.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const file of assets) {
        this.emitFile({
          type: 'asset',
          fileName: `${BOOTSTRAP_ITALIA_PUBLIC_PATH.slice(1)}/${relative(bootstrapItaliaDist, file).split('\\').join('/')}`,
          source: readFileSync(file),
        });
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react(), bootstrapItaliaAssets()],
  build: {
    outDir: join(here, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
