import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE_OWNERS, type TableOwner } from '../src/db/table-owners.js';
import { findCycles, moduleOf, sourceFiles, tableReferences } from './helpers/module-boundaries.js';

/*
 * Module boundaries (issue: the spine). Imports are checked by dependency-cruiser
 * (`npm run lint:deps`, rules in .dependency-cruiser.cjs, run by .ci/run); this file shows that a bad
 * import makes it fail, checks that modules depend on each other without cycles, and checks the
 * SQL: a module names only its own tables (src/db/table-owners.ts).
 */

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const depcruise = path.join(root, 'node_modules', '.bin', 'depcruise');
const config = path.join(root, '.dependency-cruiser.cjs');

async function cruise(cwd: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(depcruise, ['src', '--config', config, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('module boundaries', () => {
  const fixtures: string[] = [];
  afterAll(async () => {
    for (const dir of fixtures) await rm(dir, { recursive: true, force: true });
  });

  it('lint:deps fails on an import that bypasses index.ts and on the platform importing a module', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'urpnet-boundaries-'));
    fixtures.push(dir);
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
      'src/modules/tickets/index.ts': "export { openTicket } from './tickets.service.js';\n",
      'src/modules/tickets/tickets.service.ts': 'export const openTicket = () => 1;\n',
      'src/modules/sharing/good.ts': "import { openTicket } from '../tickets/index.js';\nexport const ok = openTicket;\n",
      'src/modules/sharing/bad.ts': "import { openTicket } from '../tickets/tickets.service.js';\nexport const bad = openTicket;\n",
      'src/platform/bad.ts': "import { openTicket } from '../modules/tickets/index.js';\nexport const alsoBad = openTicket;\n",
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    const result = await cruise(dir, ['--output-type', 'err']);
    expect(result.code, result.out).not.toBe(0);
    expect(result.out).toContain('module-through-index: src/modules/sharing/bad.ts → src/modules/tickets/tickets.service.ts');
    expect(result.out).toContain('platform-below-modules: src/platform/bad.ts → src/modules/tickets/index.ts');
    expect(result.out).not.toContain('src/modules/sharing/good.ts');
  }, 60_000);

  it('finds a cycle when there is one', () => {
    const graph = new Map([['tickets', new Set(['identity', 'classification'])], ['classification', new Set(['tickets'])], ['identity', new Set<string>()]]);
    expect(findCycles(graph)).toEqual([['classification', 'tickets', 'classification']]);
    expect(findCycles(new Map([['tickets', new Set(['identity'])]]))).toEqual([]);
  });

  it('modules depend on each other in one direction only', async () => {
    const result = await cruise(root, ['--output-type', 'json']);
    expect(result.code, result.out.slice(0, 2000)).toBe(0);
    const { modules } = JSON.parse(result.out) as { modules: { source: string; dependencies: { resolved: string }[] }[] };
    const edges = new Map<string, Set<string>>();
    for (const m of modules) {
      const from = moduleOf(m.source);
      if (!from) continue;
      for (const d of m.dependencies) {
        const to = moduleOf(d.resolved);
        if (to && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    expect(edges.size).toBeGreaterThan(3);
    expect(findCycles(edges)).toEqual([]);
  }, 120_000);

  it('recognises the tables a query names', () => {
    const source = [
      "db.selectFrom('tickets as t').leftJoin('users as a', 'a.id', 't.assignee_id')",
      'await sql`update tickets t set x = 1 from requesters r where r.id = t.requester_id`.execute(db);',
      "// a comment about the users of this office, and .with('tickets_cte', …)",
    ].join('\n');
    expect(tableReferences(source)).toEqual([
      { table: 'tickets', line: 1 }, { table: 'users', line: 1 }, { table: 'tickets', line: 2 }, { table: 'requesters', line: 2 },
    ]);
  });

  it('a module names only the tables it owns', async () => {
    const foreign: string[] = [];
    for (const file of await sourceFiles(root, 'src/modules')) {
      const owner = moduleOf(file) as TableOwner;
      for (const ref of tableReferences(await readFile(path.join(root, file), 'utf8'))) {
        if (TABLE_OWNERS[ref.table as keyof typeof TABLE_OWNERS] !== owner) foreign.push(`${file}:${ref.line} ${ref.table} (owned by ${TABLE_OWNERS[ref.table as keyof typeof TABLE_OWNERS]})`);
      }
    }
    expect(foreign).toEqual([]);
  });
});
