/**
 * The anonymised archive's writer at scale (issue 13): N closed tickets of the demo network (default
 * 1,000,000 on PostgreSQL, 20,000 on PGlite), each with a requester, a realistic request text full of
 * personal data and a public reply, are generated in bulk SQL; then the archiving of all of them is
 * timed — the sweep (read in batches, anonymise, stage) and the compaction (staged rows → Parquet
 * through DuckDB) — and the Parquet files are counted back with DuckDB.
 *
 *   npm run bench -- archive [--engine=postgres|pglite] [--tickets=N] [--batch=1000]
 *
 * PostgreSQL (a fresh database, dropped at the end) with --engine=postgres, at BENCH_DATABASE_URL or
 * TEST_DATABASE_URL or postgres://root@127.0.0.1:5432/test; without --engine, PostgreSQL when one of
 * those variables is set and the embedded PGlite otherwise. Target: 1M tickets in under 5 minutes on PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { compactArchive, sweepArchive } from '../src/modules/archive/index.js';
import { seedAll } from '../src/seed.js';

const args = process.argv.slice(2);
const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const engineArg = arg('engine');
const configuredUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || null;
const serverUrl = engineArg === 'pglite' ? null : engineArg === 'postgres' ? (configuredUrl ?? 'postgres://root@127.0.0.1:5432/test') : configuredUrl;
const TICKETS = Number(arg('tickets') ?? (serverUrl ? 1_000_000 : 20_000));
const BATCH = Number(arg('batch') ?? 1000);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-bench-archive-'));
const dbName = `urpnet_bench_archive_${randomBytes(4).toString('hex')}`;

async function admin(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl! });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const line = (s: string) => process.stdout.write(`${s}\n`);

async function main(): Promise<void> {
  let databaseUrl: string | null = null;
  if (serverUrl) {
    await admin(`create database ${dbName}`);
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', URPNET_SECRET: 'bench-secret-bench-secret-bench-secret-0123', URPNET_DEMO_PASSWORD: 'bench-password-1', ...(databaseUrl && { DATABASE_URL: databaseUrl }) });
  const database = await openDatabase({ databaseUrl, dataDir, poolSize: 4 });
  const { db } = database;
  try {
    await migrateToLatest(db);
    await seedAll(db, config, true);
    line(`archive bench: ${TICKETS} closed tickets, ${database.engine}, batches of ${BATCH}`);

    // ---- Data: requesters, tickets closed over the last year (all final), one public reply each. ----
    let t0 = performance.now();
    const CHUNK = 100_000;
    for (let from = 1; from <= TICKETS; from += CHUNK) {
      const to = Math.min(TICKETS, from + CHUNK - 1);
      await sql`
        with offices as (
          select o.id, o.organisation_id, row_number() over (order by o.id) - 1 as n, count(*) over () as total from offices o where o.active
        ), g as materialized (
          select i, gen_random_uuid() as requester_id, f.id as office_id, f.organisation_id,
            (array['Maria','Giuseppe','Anna','Francesco','Giulia','Antonio','Rosa','Luigi','Carmela','Salvatore'])[1 + i % 10] || ' '
              || (array['Rossi','Esposito','Bianchi','Romano','Colombo','Ricci','Marino','Greco','Bruno','Gallo','Conti','De Luca'])[1 + (i / 10) % 12] as name,
            'utente' || i || '@example.org' as email,
            '+39 3' || lpad(((i::bigint * 7919) % 1000000000)::text, 9, '0') as phone,
            now() - make_interval(days => 22 + (i % 340), mins => (i * 37) % 1440) as closed_at
          from generate_series(${from}::int, ${to}::int) as i
          join offices f on f.n = i % f.total
        ), r as (
          insert into requesters (id, organisation_id, name, email, phone, fiscal_code, created_at, updated_at)
          select requester_id, organisation_id, name, email, phone, null, closed_at, closed_at from g
        ), t as (
          insert into tickets (code, organisation_id, office_id, channel, subject, description, priority, status, outcome, classification, taxonomy_version,
            requester_id, created_at, updated_at, resolved_at, closed_at)
          select 'BENCH-' || i, organisation_id, office_id,
            (array['telefono','email','web','sportello','pec'])[1 + (i % 5)],
            (array['Pagamento TARI','Rinnovo carta d''identità','Cambio di residenza','Bollo auto non pagato','Prenotazione visita specialistica','Buche in strada','Iscrizione mensa scolastica','Certificato di nascita'])[1 + (i % 8)],
            'Buongiorno, sono ' || name || ' e vi scrivo da ' || email || '. Vorrei sapere come procedere per la pratica: ho già chiamato al ' || phone
              || ' senza risposta. Abito in via Garibaldi ' || (i % 120 + 1) || ', e il mio codice fiscale è RSSMRA80A01H501U. Grazie, ' || name || '.',
            'normal', 'closed', 'risposta_fornita',
            jsonb_build_object('tema', (array['tributi.tari','identita_digitale.cie','anagrafe_stato_civile','tributi','sanita','mobilita_trasporti'])[1 + (i % 6)], 'tipo', 'informazione'),
            '1.0.0', requester_id, closed_at - interval '3 days', closed_at, closed_at - interval '1 day', closed_at
          from g
          returning id, created_at
        )
        insert into ticket_messages (ticket_id, kind, body, created_at)
        select id, 'reply', 'Gentile utente, la risposta è nella FAQ indicata.', created_at + interval '2 hours' from t`.execute(db);
      process.stderr.write(`\rgenerated ${to}/${TICKETS}`);
    }
    process.stderr.write('\n');
    await sql`analyze`.execute(db);
    const generated = Number((await sql<{ n: unknown }>`select count(*) as n from tickets where status = 'closed'`.execute(db)).rows[0]?.n);
    line(`data: ${generated} closed tickets generated in ${seconds(performance.now() - t0)} s`);

    // ---- Archive: sweep then compaction. ----
    t0 = performance.now();
    let last = 0;
    const swept = await sweepArchive(db, {
      batchSize: BATCH,
      onBatch: (p) => {
        if (performance.now() - last < 2000) return;
        last = performance.now();
        process.stderr.write(`\rsweep: ${p.tickets} records (${Math.round(p.tickets / ((performance.now() - t0) / 1000))}/s)   `);
      },
    });
    process.stderr.write('\n');
    const sweepMs = performance.now() - t0;
    line(`sweep: ${swept.tickets} tickets archived in ${seconds(sweepMs)} s (${Math.round(swept.tickets / (sweepMs / 1000))} records/s)`);
    const t1 = performance.now();
    const compacted = await compactArchive(db, dataDir, { onPart: (p) => process.stderr.write(`\rcompact: part ${p.month} ${p.rowCount} rows   `) });
    process.stderr.write('\n');
    const compactMs = performance.now() - t1;
    line(`compact: ${compacted.records} records in ${compacted.parts} Parquet files in ${seconds(compactMs)} s (${Math.round(compacted.records / (compactMs / 1000))} records/s)`);
    const totalMs = performance.now() - t0;
    line(`total: ${swept.tickets} tickets archived in ${seconds(totalMs)} s (${Math.round(swept.tickets / (totalMs / 1000))} records/s); target 1M < 300 s`);

    // ---- Read back. ----
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const glob = path.join(dataDir, 'archive', 'month=*', '*.parquet');
    const reader = await connection.runAndReadAll(`select count(*) as n, count(distinct month) as months, sum(length(text)) as chars from read_parquet('${glob}', hive_partitioning = true)`);
    const [n, months] = reader.getRows()[0] as [bigint, bigint];
    connection.closeSync();
    instance.closeSync();
    const months_ = readdirSync(path.join(dataDir, 'archive')).filter((d) => d.startsWith('month=')).length;
    line(`read back: ${n} records, ${months} months (${months_} directories)`);
    if (Number(n) !== generated) throw new Error(`expected ${generated} records, found ${n}`);
  } finally {
    await database.close();
    if (serverUrl) await admin(`drop database if exists ${dbName} with (force)`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
