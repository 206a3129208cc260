import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_OWNERS } from '../src/db/table-owners.js';
import { PERSONAL_DATA_LOCATIONS, TOOL_TABLES } from '../src/modules/privacy/index.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';

/*
 * The map of personal data (issue 13) classifies every table: a new table, created by a migration,
 * fails here until someone decides whether it holds citizens' data and what retention and erasure do
 * with it. (A table added to the Kysely schema without an entry does not even compile.)
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('the map of personal data', () => {
  it('classifies every table of the migrated database, and only those', async () => {
    const { rows } = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(t.database.db);
    const tables = rows.map((r) => r.name).filter((n) => !TOOL_TABLES.includes(n));
    expect(tables.length).toBeGreaterThan(50);
    expect(Object.keys(PERSONAL_DATA_LOCATIONS).sort()).toEqual(tables.sort());
  });

  it('classifies every table with an owner', () => {
    const mapped = new Set(Object.keys(PERSONAL_DATA_LOCATIONS));
    expect(Object.keys(TABLE_OWNERS).filter((table) => !mapped.has(table))).toEqual([]);
  });

  it('names the columns of every table that holds citizens\' data, and columns that exist', async () => {
    const { rows } = await sql<{ table: string; column: string }>`
      select table_name as table, column_name as column from information_schema.columns where table_schema = 'public'`.execute(t.database.db);
    const columns = new Set(rows.map((r) => `${r.table}.${r.column}`));
    for (const [table, location] of Object.entries(PERSONAL_DATA_LOCATIONS)) {
      if (location.subject === 'citizen') expect(location.columns.length, table).toBeGreaterThan(0);
      if (location.subject === 'none') expect(location.columns, table).toEqual([]);
      for (const column of location.columns) expect(columns.has(`${table}.${column.split(' ')[0]}`), `${table}.${column}`).toBe(true);
      expect(location.note.length, table).toBeGreaterThan(5);
    }
  });
});
