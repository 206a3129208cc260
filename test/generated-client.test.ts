import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument, CLIENT_SCHEMA_PATH, compareClientSchema, renderClientSchema } from '../scripts/gen-client.js';

// The web app's API types (web/src/api/schema.d.ts) are generated from the server's OpenAPI
// document and checked in: this fails `npm test` when a route schema changed without
// `npm run gen:client`, exactly like `npm run gen:client -- --check` in .ci/run.
describe('generated web client', () => {
  let document: Record<string, unknown>;
  let fresh: string;

  beforeAll(async () => {
    document = await buildOpenApiDocument();
    fresh = await renderClientSchema(document);
  });

  it('the checked-in web/src/api/schema.d.ts is what the server document generates', () => {
    expect(compareClientSchema(readFileSync(CLIENT_SCHEMA_PATH, 'utf8'), fresh)).toBeNull();
  });

  it('reports a route schema changed without regenerating as stale, naming the first differing line', async () => {
    const changed = structuredClone(document) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const route = changed.paths['/api/v1/offices/{id}']?.get;
    expect(route).toBeDefined();
    // The office response is a reference to the named Office schema: replace it with an inline shape.
    const ok = route!.responses['200'] as { content: { 'application/json': { schema: unknown } } };
    ok.content['application/json'].schema = { type: 'object', properties: { staleProbe: { type: 'string' } } };
    const message = compareClientSchema(fresh, await renderClientSchema(changed));
    expect(message).toMatch(/schema\.d\.ts is stale/);
    expect(message).toMatch(/npm run gen:client/);
    expect(message).toMatch(/first difference at line \d+[\s\S]*Office/);
    expect(compareClientSchema(null, fresh)).toMatch(/missing/);
  });

  it('renders the same text whatever order the routes were registered in (no timestamps, no servers URL)', async () => {
    const paths = document.paths as Record<string, unknown>;
    const reversed = { ...document, paths: Object.fromEntries(Object.entries(paths).reverse()) };
    expect(await renderClientSchema(reversed)).toBe(fresh);
    expect(fresh).not.toMatch(/localhost|servers/);
  });
});
