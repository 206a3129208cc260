import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { sql } from 'kysely';
import { type OpenedDatabase, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** A migrated in-memory database of its own (for tests of one migration), a query helper, and its removal. */
export async function openMigratedMemoryDb(): Promise<{ database: OpenedDatabase; q: <T>(query: ReturnType<typeof sql<T>>) => Promise<T[]>; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-migration-'));
  const database = await openDatabase({ databaseUrl: null, dataDir, inMemory: true });
  await migrateToLatest(database.db);
  return {
    database,
    q: async (query) => (await query.execute(database.db)).rows,
    close: async () => {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
