import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * The Italian territory as reference data (issue 11): regions, province-level units, comuni and the
 * successions that map the codes of comuni merged away to their successors. Filled at first start
 * from the packages (src/modules/territory/package-data.ts) and refreshed by `urpnet territory
 * import`; `territory_meta.version` changes on every write so that every instance reloads its copy.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table territory_regions (
      code text primary key check (code ~ '^[0-9]{2}$'),
      name text not null
    )`.execute(db);
  await sql`
    create table territory_provinces (
      code text primary key check (code ~ '^[0-9]{3}$'),
      sigla text not null,
      name text not null,
      region_code text not null references territory_regions(code),
      kind text not null check (kind in ('provincia','provincia_autonoma','citta_metropolitana','libero_consorzio','unita_non_amministrativa'))
    )`.execute(db);
  await sql`
    create table territory_comuni (
      code text primary key check (code ~ '^[0-9]{6}$'),
      name text not null,
      alt_name text,
      province_code text not null references territory_provinces(code),
      region_code text not null references territory_regions(code),
      cadastral_code text,
      population integer check (population >= 0)
    )`.execute(db);
  await sql`create index territory_comuni_province_idx on territory_comuni (province_code)`.execute(db);
  await sql`
    create table territory_successions (
      old_code text primary key check (old_code ~ '^[0-9]{6}$'),
      old_name text not null,
      new_code text not null check (new_code ~ '^[0-9]{6}$'),
      since date
    )`.execute(db);
  await sql`
    create table territory_meta (
      id boolean primary key default true check (id),
      version text not null,
      source text not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['territory_meta', 'territory_successions', 'territory_comuni', 'territory_provinces', 'territory_regions']) {
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  }
}
