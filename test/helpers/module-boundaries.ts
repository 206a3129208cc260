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
const SQL_TAG = /\bsql(?:<[^`]*?>)?`/g;
const SQL_TABLE = /\b(?:from|join|into|update|table)\s+([a-z_]+)\b/gi;

/**
 * The literal parts of the template starting at `open` (a backtick), as [offset, text] pairs; the
 * `${…}` substitutions are skipped, nested templates inside them included (the sql`…` ones among
 * them are found on their own).
 */
function templateLiterals(source: string, open: number): [number, string][] {
  const parts: [number, string][] = [];
  let start = open + 1;
  let i = open + 1;
  const skipTemplate = (from: number): number => {
    // `from` is just after a nested opening backtick; returns the index after its closing one.
    let j = from;
    while (j < source.length && source[j] !== '`') j = source[j] === '\\' ? j + 2 : source.startsWith('${', j) ? skipSubstitution(j + 2) : j + 1;
    return j + 1;
  };
  const skipSubstitution = (from: number): number => {
    let depth = 1;
    let j = from;
    while (j < source.length && depth > 0) {
      const c = source[j];
      if (c === '`') j = skipTemplate(j + 1);
      else if (c === "'" || c === '"') {
        j++;
        while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
        j++;
      } else {
        if (c === '{') depth++;
        else if (c === '}') depth--;
        j++;
      }
    }
    return j;
  };
  while (i < source.length && source[i] !== '`') {
    if (source[i] === '\\') i += 2;
    else if (source.startsWith('${', i)) {
      parts.push([start, source.slice(start, i)]);
      i = skipSubstitution(i + 2);
      start = i;
    } else i++;
  }
  parts.push([start, source.slice(start, i)]);
  return parts;
}

/** The tables a source file names in Kysely calls and in sql`…` templates, with their lines. */
export function tableReferences(source: string): { table: string; line: number }[] {
  const found: { table: string; index: number }[] = [];
  for (const m of source.matchAll(QUERY_METHODS)) if (m[2]! in TABLE_OWNERS) found.push({ table: m[2]!, index: m.index });
  for (const t of source.matchAll(SQL_TAG)) {
    for (const [offset, text] of templateLiterals(source, t.index + t[0].length - 1)) {
      for (const m of text.matchAll(SQL_TABLE)) {
        const table = m[1]!.toLowerCase();
        if (table in TABLE_OWNERS) found.push({ table, index: offset + m.index });
      }
    }
  }
  const lineAt = (index: number) => source.slice(0, index).split('\n').length;
  return found.sort((a, b) => a.index - b.index).map((f) => ({ table: f.table, line: lineAt(f.index) }));
}

/** The non-test TypeScript files under `dir` (relative to `root`), as repository paths. */
export async function sourceFiles(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

