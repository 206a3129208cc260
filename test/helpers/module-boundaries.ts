import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { TABLE_OWNERS } from '../../src/db/table-owners.js';

/** The module a repository path belongs to (`src/modules/<name>/…`), or null. */
export const moduleOf = (file: string) => /^src\/modules\/([^/]+)\//.exec(file)?.[1] ?? null;

/** Cycles of a directed graph, each as the list of its nodes (first node repeated at the end). */
export function findCycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

const QUERY_METHODS = /\.(selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto)\(\s*'([a-z_]+)(?: as [a-z_]+)?'/g;
const SQL_TEMPLATE = /\bsql(?:<[^`]*?>)?`([^`]*)`/g;
const SQL_TABLE = /\b(?:from|join|into|update|table)\s+([a-z_]+)\b/gi;

/** The tables a source file names in Kysely calls and in sql`…` templates, with their lines. */
export function tableReferences(source: string): { table: string; line: number }[] {
  const found: { table: string; line: number }[] = [];
  const lineAt = (index: number) => source.slice(0, index).split('\n').length;
  for (const m of source.matchAll(QUERY_METHODS)) if (m[2]! in TABLE_OWNERS) found.push({ table: m[2]!, line: lineAt(m.index) });
  for (const t of source.matchAll(SQL_TEMPLATE)) {
    for (const m of t[1]!.matchAll(SQL_TABLE)) {
      const table = m[1]!.toLowerCase();
      if (table in TABLE_OWNERS) found.push({ table, line: lineAt(t.index + t[0].indexOf(t[1]!) + m.index) });
    }
  }
  return found;
}

/** The non-test TypeScript files under `dir` (relative to `root`), as repository paths. */
export async function sourceFiles(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

