import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;

export interface OpenedDatabase {
  readonly db: Database;
  readonly engine: 'postgres' | 'pglite';
  /** Connection pool (the PGlite adapter exposes the same pg.Pool interface). */
  readonly pool: pg.Pool;
  /**
   * Opens a LISTEN connection on `channels` (a dedicated client on PostgreSQL, the embedded instance's
   * own listen on PGlite). `onEnd` is called once if the connection drops; the caller reconnects.
   */
  listen(channels: readonly string[], onNotify: (channel: string) => void, onEnd: (err?: unknown) => void): Promise<{ close(): Promise<void> }>;
  close(): Promise<void>;
}

let typesConfigured = false;

/**
 * Normalises driver types in one place: int8/numeric come back as JS numbers (counts and sums in
 * this product never exceed 2^53), timestamps as Date. Both engines go through node-postgres, so
 * this one setting covers PostgreSQL and PGlite alike.
 */
function configureTypes(): void {
  if (typesConfigured) return;
  typesConfigured = true;
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
}

export interface OpenDatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
  poolSize?: number;
  /** PGlite only: keep the database in memory (tests). */
  inMemory?: boolean;
  /** PGlite only: start from this data directory tarball (`pglite.dumpDataDir()`), e.g. a seeded copy in tests. */
  loadDataDir?: Blob;
}

/** Opens PostgreSQL when a URL is given, else the embedded PGlite under `dataDir/pgdata`. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  configureTypes();
  if (options.databaseUrl) {
    // JIT compilation pays off for long analytical queries, not for this short-query workload: on a
    // 200k-ticket network it cost 1.2–1.7 s of a 2.2 s inbox page (0.8 s without it).
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10, options: '-c jit=off' });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it. Logged by the caller's health checks.
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    await sql`select 1`.execute(db);
    const databaseUrl = options.databaseUrl;
    const listen: OpenedDatabase['listen'] = async (channels, onNotify, onEnd) => {
      const client = new pg.Client({ connectionString: databaseUrl });
      let ended = false;
      const end = (err?: unknown) => {
        if (ended) return;
        ended = true;
        onEnd(err);
      };
      client.on('error', end);
      client.on('end', () => end());
      client.on('notification', (m) => onNotify(m.channel));
      await client.connect();
      for (const channel of channels) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      return {
        async close() {
          ended = true;
          await client.end().catch(() => undefined);
        },
      };
    };
    return { db, engine: 'postgres', pool, listen, close: () => db.destroy() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  let dataDir: string | undefined;
  if (!options.inMemory) {
    dataDir = path.join(options.dataDir, 'pgdata');
    mkdirSync(dataDir, { recursive: true });
  }
  const pglite = await PGlite.create({ dataDir, extensions: { pg_trgm, unaccent }, ...(options.loadDataDir && { loadDataDir: options.loadDataDir }) });
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'pglite',
    pool,
    async listen(channels, onNotify) {
      // In-process: notifications of any statement run on the embedded instance; it never drops.
      const stops = await Promise.all(channels.map((channel) => pglite.listen(channel, () => onNotify(channel))));
      return {
        async close() {
          if (pglite.closed) return;
          await Promise.all(stops.map((stop) => stop().catch(() => undefined)));
        },
      };
    },
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}
