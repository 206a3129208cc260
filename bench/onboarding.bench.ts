/**
 * Bulk onboarding of a national-size network (issue 11): 8,000 bodies (IPA layout, every comune with
 * its real ISTAT code), 10,000 offices with weekly hours, 30,000 people with roles, imported through
 * the same service functions as `urpnet import …` (file bytes in, report out), each timed; then the
 * same three files again (the re-import path: everything found, nothing duplicated). Invitations
 * are queued as jobs, not sent: the bench counts the jobs.
 *
 *   node --import tsx bench/onboarding.bench.ts [--engine=postgres|pglite]
 *
 * PostgreSQL (a fresh database, dropped at the end) with --engine=postgres, at BENCH_DATABASE_URL or
 * TEST_DATABASE_URL or postgres://root@127.0.0.1:5432/test; without --engine, PostgreSQL when one of
 * those variables is set and the embedded PGlite otherwise. Target: the three imports under 60 s on PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { INVITATION_JOB, type ImportReport, importOffices, importOrganisations, importUsers, invitationJob } from '../src/modules/identity/index.js';
import { ensureTerritory, loadTerritory } from '../src/modules/territory/index.js';
import { createJobRunner, poolExecutor } from '../src/platform/jobs/index.js';

const ORGANISATIONS = 8_000;
const OFFICES = 10_000;
const USERS = 30_000;

const engineArg = process.argv.slice(2).find((a) => a.startsWith('--engine='))?.slice('--engine='.length);
const configuredUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || null;
const serverUrl = engineArg === 'pglite' ? null : engineArg === 'postgres' ? (configuredUrl ?? 'postgres://root@127.0.0.1:5432/test') : configuredUrl;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-bench-onboarding-'));
const dbName = `urpnet_bench_onboarding_${randomBytes(4).toString('hex')}`;

async function admin(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl! });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

const csvLine = (cells: (string | number)[]) => cells.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',');

async function main(): Promise<void> {
  let databaseUrl: string | null = null;
  if (serverUrl) {
    await admin(`create database ${dbName}`);
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', URPNET_SECRET: 'bench-secret-bench-secret-bench-secret-0123', ...(databaseUrl && { DATABASE_URL: databaseUrl }) });
  const database = await openDatabase({ databaseUrl, dataDir, poolSize: 4 });
  const jobs = createJobRunner(poolExecutor(database.pool), { mode: 'manual' });
  jobs.define(invitationJob(database.db, { secret: config.secret, baseUrl: config.baseUrl, mailer: () => null }));
  try {
    await migrateToLatest(database.db);
    await ensureTerritory(database.db);
    await jobs.start();
    const territory = await loadTerritory(database.db);
    process.stdout.write(`engine: ${database.engine}\n`);

    // ------------------------------------------------------------ files
    const comuni = territory.comuni().filter((c) => c.cadastralCode);
    const orgLines = ['Codice_IPA,Denominazione_ente,Codice_fiscale_ente,Tipologia,Codice_Categoria,Codice_comune_ISTAT,Mail1,Tipo_Mail1,Mail2,Tipo_Mail2'];
    const ipaCodes: string[] = [];
    for (let i = 0; i < ORGANISATIONS; i++) {
      const comune = comuni[i % comuni.length]!;
      const isComune = i < comuni.length;
      const ipa = isComune ? `c_${comune.cadastralCode!.toLowerCase()}` : `ente_${i}`;
      ipaCodes.push(ipa);
      const name = isComune ? `Comune di ${comune.name}` : `Consorzio di servizi n. ${i} di ${comune.name}`;
      orgLines.push(csvLine([ipa, name, String(80_000_000_000 + i), 'Pubbliche Amministrazioni', isComune ? 'L6' : 'L37', comune.code, `protocollo@pec.${ipa}.it`, 'Pec', `urp@${ipa}.it`, 'Altro']));
    }
    const officeLines = ['codice_ipa;codice_ufficio;nome;tipo;email;telefono;canali;orari'];
    const officesOf: string[][] = ipaCodes.map(() => []);
    for (let i = 0; i < OFFICES; i++) {
      const o = i % ORGANISATIONS;
      const code = `${ipaCodes[o]!.replace(/_/g, '-')}-${i < ORGANISATIONS ? 'urp' : `bo-${i}`}`;
      officesOf[o]!.push(code);
      officeLines.push([ipaCodes[o], code, i < ORGANISATIONS ? 'URP' : `Ufficio ${i}`, i < ORGANISATIONS ? 'urp' : 'back_office', `${code}@example.it`, '0862 000000', 'telefono|email|sportello', 'lun-ven 09:00-13:00; mar,gio 15:00-17:00'].join(';'));
    }
    const userLines = ['email,nome,codice_ipa,codice_ufficio,ruolo,lingua'];
    for (let i = 0; i < USERS; i++) {
      const o = i % ORGANISATIONS;
      const offices = officesOf[o]!;
      const admin = i < ORGANISATIONS && i % 4 === 0;
      userLines.push(csvLine([`persona.${i}@${ipaCodes[o]}.example.it`, `Persona Numero ${i}`, ipaCodes[o]!, admin ? '' : offices[i % offices.length]!, admin ? 'org_admin' : i % 10 === 0 ? 'supervisor' : 'operator', i % 20 === 0 ? 'en' : 'it']));
    }
    const files = { organisations: Buffer.from(`${orgLines.join('\n')}\n`), offices: Buffer.from(`${officeLines.join('\n')}\n`), users: Buffer.from(`${userLines.join('\n')}\n`) };
    process.stdout.write(`files: organisations ${(files.organisations.length / 1e6).toFixed(1)} MB, offices ${(files.offices.length / 1e6).toFixed(1)} MB, users ${(files.users.length / 1e6).toFixed(1)} MB\n`);

    // ------------------------------------------------------------ imports
    const ctx = { actor: null, organisationId: null, jobs };
    const options = { dryRun: false, onBadLine: 'abort' as const };
    const runners = { organisations: importOrganisations, offices: importOffices, users: importUsers };
    const times: Record<string, number> = {};
    for (const round of ['first import', 're-import'] as const) {
      let total = 0;
      for (const kind of ['organisations', 'offices', 'users'] as const) {
        const started = performance.now();
        const report: ImportReport = await runners[kind](database.db, files[kind], options, ctx);
        const seconds = (performance.now() - started) / 1000;
        total += seconds;
        times[`${round} ${kind}`] = seconds;
        process.stdout.write(
          `${round.padEnd(12)} ${kind.padEnd(13)} ${seconds.toFixed(2).padStart(6)} s  rows ${report.rows}, inserted ${report.inserted}, updated ${report.updated}, unchanged ${report.unchanged}` +
            `${report.rolesGranted !== undefined ? `, roles ${report.rolesGranted}, password links queued ${report.passwordLinks}` : ''}, problems ${report.problems.length}\n`,
        );
        if (report.problems.length > 0) process.stdout.write(`  first problem: line ${report.problems[0]!.line} ${report.problems[0]!.message}\n`);
      }
      process.stdout.write(`${round}: all three ${total.toFixed(2)} s${round === 'first import' ? ` (target < 60 s on PostgreSQL: ${total < 60 ? 'met' : 'MISSED'})` : ''}\n`);
    }
    const queued = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = ${INVITATION_JOB} and state = 'created'`.execute(database.db);
    const links = await database.db.selectFrom('invitation_links').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    process.stdout.write(`invitation jobs queued: ${queued.rows[0]?.n} (of up to 1,000 people each); links issued inline: ${Number(links.n)}\n`);
  } finally {
    await jobs.stop();
    await database.close();
    if (serverUrl) await admin(`drop database if exists ${dbName} with (force)`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
