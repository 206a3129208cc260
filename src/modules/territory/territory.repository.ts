import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import type { ProvinceKind, TerritoryData } from './territory.types.js';

type Db = Database | Trx;

export async function currentVersion(db: Db): Promise<{ version: string; source: string; updatedAt: Date } | null> {
  const row = await db.selectFrom('territory_meta').select(['version', 'source', 'updated_at']).executeTakeFirst();
  return row ? { version: row.version, source: row.source, updatedAt: new Date(row.updated_at) } : null;
}

export async function readTerritory(db: Db): Promise<TerritoryData> {
  const [regions, provinces, comuni, successions] = await Promise.all([
    db.selectFrom('territory_regions').select(['code', 'name']).orderBy('code').execute(),
    db.selectFrom('territory_provinces').selectAll().orderBy('code').execute(),
    db.selectFrom('territory_comuni').selectAll().orderBy('code').execute(),
    db.selectFrom('territory_successions').select(['old_code', 'old_name', 'new_code', sql<string | null>`to_char(since, 'YYYY-MM-DD')`.as('since')]).execute(),
  ]);
  return {
    regions,
    provinces: provinces.map((p) => ({ code: p.code, sigla: p.sigla, name: p.name, regionCode: p.region_code, kind: p.kind as ProvinceKind })),
    comuni: comuni.map((c) => ({ code: c.code, name: c.name, altName: c.alt_name, provinceCode: c.province_code, regionCode: c.region_code, cadastralCode: c.cadastral_code, population: c.population })),
    successions: successions.map((s) => ({ oldCode: s.old_code, oldName: s.old_name, newCode: s.new_code, since: s.since })),
  };
}

/** Only one writer at a time: a second import waits for the first, then sees its result. */
export async function lockTerritory(trx: Trx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('urpnet.territory'))`.execute(trx);
}

const CHUNK = 1000;
async function insertChunked<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** Replaces the whole territory with `data` (in the caller's transaction) and stamps a new version. */
export async function replaceTerritory(trx: Trx, data: TerritoryData, version: string, source: string): Promise<void> {
  await trx.deleteFrom('territory_successions').execute();
  await trx.deleteFrom('territory_comuni').execute();
  await trx.deleteFrom('territory_provinces').execute();
  await trx.deleteFrom('territory_regions').execute();
  await insertChunked(data.regions, (rows) => trx.insertInto('territory_regions').values(rows).execute());
  await insertChunked(data.provinces, (rows) =>
    trx.insertInto('territory_provinces').values(rows.map((p) => ({ code: p.code, sigla: p.sigla, name: p.name, region_code: p.regionCode, kind: p.kind }))).execute(),
  );
  await insertChunked(data.comuni, (rows) =>
    trx
      .insertInto('territory_comuni')
      .values(rows.map((c) => ({ code: c.code, name: c.name, alt_name: c.altName, province_code: c.provinceCode, region_code: c.regionCode, cadastral_code: c.cadastralCode, population: c.population })))
      .execute(),
  );
  await insertChunked(data.successions, (rows) =>
    trx.insertInto('territory_successions').values(rows.map((s) => ({ old_code: s.oldCode, old_name: s.oldName, new_code: s.newCode, since: s.since }))).execute(),
  );
  await trx
    .insertInto('territory_meta')
    .values({ version, source })
    .onConflict((oc) => oc.column('id').doUpdateSet({ version, source, updated_at: sql`now()` }))
    .execute();
}
