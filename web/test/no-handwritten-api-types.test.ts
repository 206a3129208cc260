// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The web app takes the API's shapes from the generated schema (src/api/schema.d.ts, `npm run
 * gen:client`), never from copies written by hand, and calls the API only through the typed client.
 * This guard fails when
 * - a file under web/src declares an interface, or an object-literal type, named like one of the
 *   OpenAPI document's named schemas (`components.schemas`: Office, Problem, …), i.e. a copy;
 * - an untyped call comes back: `api.get<T>(…)`-style generic helpers, `apiRequest`, or a
 *   `useApiGet<T>` / `apiGet<T>` whose answer type is given by hand instead of coming from the path.
 *
 * It can fail: the second test feeds `findViolations` sources with each kind of mistake (an
 * `interface Office`, `type Problem = {…}`, `api.get<Ticket>(…)` split over two lines,
 * `useApiGet<{ items: Office[] }>(…)`) and expects each one reported; adding any of them to a file
 * under web/src makes the first test fail with the file and the line.
 */

const webRoot = fileURLToPath(new URL('..', import.meta.url));
const srcRoot = join(webRoot, 'src');
const schemaFile = join(srcRoot, 'api', 'schema.d.ts');

/** The names under `components.schemas` in the generated file. */
function schemaNames(schema: string): string[] {
  const start = schema.indexOf('\n    schemas: {');
  if (start < 0) throw new Error('schema.d.ts without components.schemas');
  const names: string[] = [];
  for (const line of schema.slice(start + 1).split('\n').slice(1)) {
    if (/^ {4}\S/.test(line)) break; // the end of `schemas`: back at its own indentation
    const m = /^ {8}(?:"([^"]+)"|([A-Za-z_$][\w$]*))\??: /.exec(line);
    if (m) names.push((m[1] ?? m[2]) as string);
  }
  return names;
}

const UNTYPED_CALLS: readonly [RegExp, string][] = [
  [/\bapi\s*\.\s*(?:get|post|put|patch|delete)\s*</g, 'untyped api.<method><T>() call'],
  [/\bapiRequest\s*[<(]/g, 'untyped apiRequest() call'],
  [/(?<!function\s+)\buseApiGet\s*</g, 'useApiGet<T>: the answer type must come from the path'],
  [/(?<!function\s+)\bapiGet\s*</g, 'apiGet<T>: the answer type must come from the path'],
];

interface Violation {
  file: string;
  line: number;
  what: string;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Every hand-written copy of a named schema and every untyped call in the given sources. */
function findViolations(files: readonly { file: string; text: string }[], names: readonly string[]): Violation[] {
  const named = new Set(names);
  const out: Violation[] = [];
  for (const { file, text } of files) {
    const declarations = /\b(?:interface\s+([A-Za-z_$][\w$]*)|type\s+([A-Za-z_$][\w$]*)(?:<[^=]*>)?\s*=\s*\{)/g;
    for (const m of text.matchAll(declarations)) {
      const name = (m[1] ?? m[2]) as string;
      if (named.has(name)) out.push({ file, line: lineOf(text, m.index ?? 0), what: `declares ${name}, a copy of the generated schema ${name}` });
    }
    for (const [pattern, what] of UNTYPED_CALLS) {
      for (const m of text.matchAll(pattern)) out.push({ file, line: lineOf(text, m.index ?? 0), what });
    }
  }
  return out;
}

function sources(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (/\.tsx?$/.test(entry.name) && path !== schemaFile) out.push({ file: relative(webRoot, path), text: readFileSync(path, 'utf8') });
  }
  return out;
}

describe('no hand-written API types in the web app', () => {
  const names = schemaNames(readFileSync(schemaFile, 'utf8'));

  it('web/src declares no copy of a generated schema and makes no untyped API call', () => {
    expect(names).toEqual(expect.arrayContaining(['Office', 'Problem']));
    const files = sources(srcRoot);
    expect(files.length).toBeGreaterThan(20);
    expect(findViolations(files, names).map((v) => `${v.file}:${v.line} ${v.what}`)).toEqual([]);
  });

  it('reports each kind of mistake (the guard can fail)', () => {
    const file = 'src/pages/Example.tsx';
    const text = [
      'export interface Office { id: string }',
      'type Problem = { status: number };',
      'type Problems = { status: number };',
      'const r = await api',
      "  .get<Ticket>('/tickets/X');",
      "const offices = useApiGet<{ items: Office[] }>('/offices');",
      "await apiRequest('GET', '/x');",
      'export function useApiGet<P extends ApiGetPath>(path: P) {}',
      "export type Derived = Schemas['Office'];",
    ].join('\n');
    const found = findViolations([{ file, text }], names);
    expect(found.map((v) => v.line).sort()).toEqual([1, 2, 4, 6, 7]);
    expect(found.find((v) => v.line === 1)?.what).toMatch(/Office/);
  });
});
