/**
 * The directory at national scale (issue 11, "Measured"): on the demo network, then on the same
 * database grown to a national-size network (8,000 bodies, 10,000 offices, 30,000 people, inserted
 * directly) with a competence matrix for every comune of Lombardia, Abruzzo and Sicilia imported
 * through the matrix import (`urpnet import competences`), timed.
 *
 * Measures through HTTP (app.inject, a signed-in operator):
 * - directory "topic × comune" p50/p95 over 500 random questions (target p95 < 50 ms);
 * - the coverage report of one region (summary, and one topic comune by comune);
 * - inbox list and login p50/p95 on the big network against the same on the demo network
 *   (the point: unchanged; the ratio is printed).
 *
 *   node --import tsx bench/directory.bench.ts [--engine=postgres|pglite] [--quick]
 *
 * --engine: one engine only (default both; PostgreSQL at BENCH_DATABASE_URL or TEST_DATABASE_URL or
 * postgres://root@127.0.0.1:5432/test, a scratch database dropped at the end). --quick: 100
 * directory questions and fewer inbox/login rounds.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { DEMO_EMAIL_DOMAIN } from '../src/modules/identity/demo-seed.js';
import { importCompetences } from '../src/modules/sharing/index.js';
import { currentTaxonomy } from '../src/modules/taxonomy/index.js';
import { loadTerritory } from '../src/modules/territory/index.js';
import { startOutboxDispatcher } from '../src/platform/events.js';
import { createJobRunner, poolExecutor } from '../src/platform/jobs/index.js';
import { seedAll } from '../src/seed.js';

const args = process.argv.slice(2);
const engineArg = args.find((a) => a.startsWith('--engine='))?.slice('--engine='.length);
const QUICK = args.includes('--quick');
const DIRECTORY_QUERIES = QUICK ? 100 : 500;
const ROUNDS = QUICK ? 30 : 100;
const LOGINS = QUICK ? 10 : 30;
const TARGET_MS = 50;
const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://root@127.0.0.1:5432/test';
const PASSWORD = 'bench-password-2026';

const ORGANISATIONS = 8_000;
const OFFICES = 10_000;
const USERS = 30_000;
/** Lombardia, Abruzzo, Sicilia. */
const MATRIX_REGIONS = ['03', '13', '19'];

/** What a comune, a province and a region answer for in the generated matrix (taxonomy `tema` codes). */
const COMUNE_TOPICS = [
  'anagrafe_stato_civile', 'tributi.imu', 'tributi.tari', 'tributi.canone_unico', 'ambiente_rifiuti', 'manutenzione_urbana', 'edilizia_urbanistica', 'servizi_sociali',
  'istruzione.iscrizioni_scolastiche', 'istruzione.mensa_scolastica', 'istruzione.asilo_nido', 'attivita_produttive_suap', 'polizia_locale_sicurezza', 'mobilita_trasporti.ztl',
  'mobilita_trasporti.sosta_residenti', 'identita_digitale.cie', 'trasparenza_partecipazione', 'cultura_turismo_sport', 'protezione_civile.piano_emergenza', 'rapporti_pa',
];
const PROVINCE_TOPICS = ['istruzione.trasporto_scolastico', 'manutenzione_urbana.segnaletica', 'ambiente_rifiuti.aria_rumore', 'previdenza_lavoro.centri_impiego'];
const REGION_TOPICS = ['sanita', 'tributi.bollo_auto', 'istruzione.borse_studio', 'mobilita_trasporti.trasporto_pubblico', 'protezione_civile', 'servizi_sociali.contributo_affitto'];

const log = (line: string) => process.stdout.write(`${line}\n`);
const ms = (n: number) => `${n.toFixed(1)} ms`;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const stats = (samples: number[]) => ({ p50: percentile(samples, 50), p95: percentile(samples, 95), max: Math.max(...samples) });

/** A deterministic pseudo-random sequence, so that two runs ask the same questions. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

interface Session {
  headers: Record<string, string>;
}

let clients = 0;

/** Each sign-in from its own address: the login route's per-address rate limit is not what is measured. */
async function signIn(app: FastifyInstance, email: string): Promise<Session> {
  clients++;
  const remoteAddress = `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD }, remoteAddress });
  if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'urpnet_session')!;
  return { headers: { cookie: `urpnet_session=${cookie.value}` } };
}

async function get(app: FastifyInstance, session: Session, url: string) {
  const res = await app.inject({ method: 'GET', url, headers: session.headers });
  if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res;
}

/** Inbox list and login latencies: the same calls on the demo network and on the big one. */
async function inboxAndLogin(app: FastifyInstance): Promise<{ inbox: ReturnType<typeof stats>; login: ReturnType<typeof stats> }> {
  const operator = await signIn(app, `operatore.comune-celano@${DEMO_EMAIL_DOMAIN}`);
  const inbox: number[] = [];
  for (let i = 0; i < ROUNDS + 5; i++) {
    const [, t] = await timed(() => get(app, operator, '/api/v1/tickets?limit=25'));
    if (i >= 5) inbox.push(t);
  }
  const emails = ['operatore.comune-celano', 'operatore.comune-napoli', 'operatore.regione-abruzzo', 'admin.comune-celano', 'backoffice.regione-abruzzo'].map((p) => `${p}@${DEMO_EMAIL_DOMAIN}`);
  const login: number[] = [];
  for (let i = 0; i < LOGINS; i++) {
    const [, t] = await timed(() => signIn(app, emails[i % emails.length]!));
    login.push(t);
  }
  return { inbox: stats(inbox), login: stats(login) };
}

/**
 * Grows the demo network to national size with direct inserts (the onboarding import has its own
 * bench, onboarding.bench.ts): a body for every comune of Italy, every region and province up to
 * 8,000, an URP each and back offices up to 10,000, people with an operator role up to 30,000.
 */
async function growNetwork(db: Database): Promise<{ urpOfComune: Map<string, { ipa: string; office: string }>; urpOfRegion: Map<string, { ipa: string; office: string }>; urpOfProvince: Map<string, { ipa: string; office: string; sigla: string }> }> {
  const territory = await loadTerritory(db);
  type Body = { ipa: string; name: string; type: string; istat: string | null; region: string; kind: 'comune' | 'region' | 'province'; place: string };
  const bodies: Body[] = [];
  for (const r of territory.regions()) bodies.push({ ipa: `b_r${r.code}`, name: `Regione ${r.name} (rete)`, type: 'regione', istat: null, region: r.code, kind: 'region', place: r.code });
  for (const p of territory.provinces()) bodies.push({ ipa: `b_p${p.code}`, name: `Provincia di ${p.name} (rete)`, type: 'provincia', istat: null, region: p.regionCode, kind: 'province', place: p.code });
  for (const c of territory.comuni()) {
    if (bodies.length >= ORGANISATIONS) break;
    bodies.push({ ipa: `b_${c.code}`, name: `Comune di ${c.name}`, type: 'comune', istat: c.code, region: c.regionCode, kind: 'comune', place: c.code });
  }
  const slug = (ipa: string) => ipa.replace(/_/g, '-');
  const orgIds = new Map<string, string>();
  for (let i = 0; i < bodies.length; i += 1000) {
    const rows = await db
      .insertInto('organisations')
      .values(bodies.slice(i, i + 1000).map((b) => ({ slug: slug(b.ipa), name: b.name, type: b.type, ipa_code: b.ipa, istat_code: b.istat, tax_code: null, region_istat: b.region, parent_id: null })))
      .returning(['id', 'ipa_code'])
      .execute();
    for (const r of rows) orgIds.set(r.ipa_code, r.id);
  }
  const calendar = JSON.stringify({ timeZone: 'Europe/Rome', weekly: { mon: [{ open: '09:00', close: '13:00' }], wed: [{ open: '09:00', close: '13:00' }] }, closures: [] });
  const offices: { organisation_id: string; slug: string; name: string; kind: string }[] = [];
  for (const b of bodies) offices.push({ organisation_id: orgIds.get(b.ipa)!, slug: `${slug(b.ipa)}-urp`, name: `URP – ${b.name}`, kind: 'urp' });
  for (let i = 0; offices.length < OFFICES; i++) {
    const b = bodies[i % bodies.length]!;
    offices.push({ organisation_id: orgIds.get(b.ipa)!, slug: `${slug(b.ipa)}-bo-${i}`, name: `Ufficio ${i} – ${b.name}`, kind: 'back_office' });
  }
  const officeIds: string[] = [];
  for (let i = 0; i < offices.length; i += 1000) {
    const rows = await db
      .insertInto('offices')
      .values(offices.slice(i, i + 1000).map((o) => ({ ...o, email: `${o.slug}@example.it`, pec: null, phone: '0862 000000', address: null, channels: JSON.stringify(['telefono', 'email']), calendar, territory: JSON.stringify([]) })))
      .returning('id')
      .execute();
    officeIds.push(...rows.map((r) => r.id));
  }
  // Every generated person shares one password hash (hashing 30,000 passwords is not what is measured).
  const hash = (await db.selectFrom('users').select('password_hash').where('password_hash', 'is not', null).executeTakeFirstOrThrow()).password_hash;
  for (let i = 0; i < USERS; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, USERS - i) }, (_, k) => i + k);
    const users = await db
      .insertInto('users')
      .values(batch.map((n) => ({ email: `persona.${n}@rete.example.it`, name: `Persona ${n}`, password_hash: hash, external_subject: null, home_organisation_id: offices[n % offices.length]!.organisation_id })))
      .returning('id')
      .execute();
    await db
      .insertInto('role_grants')
      .values(users.map((u, k) => {
        const n = batch[k]!;
        return { user_id: u.id, role: 'operator', organisation_id: offices[n % offices.length]!.organisation_id, office_id: officeIds[n % offices.length]!, created_by: null };
      }))
      .execute();
    await db
      .insertInto('organisation_members')
      .values(users.map((u, k) => ({ user_id: u.id, organisation_id: offices[batch[k]! % offices.length]!.organisation_id, joined_via: 'created' })))
      .execute();
  }
  const urpOfComune = new Map<string, { ipa: string; office: string }>();
  const urpOfRegion = new Map<string, { ipa: string; office: string }>();
  const urpOfProvince = new Map<string, { ipa: string; office: string; sigla: string }>();
  for (const b of bodies) {
    const entry = { ipa: b.ipa, office: `${slug(b.ipa)}-urp` };
    if (b.kind === 'comune') urpOfComune.set(b.place, entry);
    else if (b.kind === 'region') urpOfRegion.set(b.place, entry);
    else urpOfProvince.set(b.place, { ...entry, sigla: territory.province(b.place)!.sigla });
  }
  log(`  generated: ${bodies.length} bodies, ${offices.length} offices, ${USERS} people`);
  return { urpOfComune, urpOfRegion, urpOfProvince };
}

interface Result {
  engine: string;
  demo: { inbox: ReturnType<typeof stats>; login: ReturnType<typeof stats> };
  big: { inbox: ReturnType<typeof stats>; login: ReturnType<typeof stats> };
  importSeconds: number;
  reimportSeconds: number;
  matrixRows: number;
  directory: ReturnType<typeof stats>;
  coverage: { summary: number; topic: number };
}

async function runOn(engine: string, databaseUrl: string | null): Promise<Result> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `urpnet-bench-directory-${engine}-`));
  const config = loadConfig({
    DATA_DIR: dataDir, URPNET_DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '10000000', URPNET_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    ...(databaseUrl && { DATABASE_URL: databaseUrl }),
  });
  const database = await openDatabase({ databaseUrl, dataDir, poolSize: config.dbPoolSize });
  const events = startOutboxDispatcher(database.db, { intervalMs: 60_000 });
  const jobs = createJobRunner(poolExecutor(database.pool), { mode: 'manual' });
  let app: FastifyInstance | null = null;
  try {
    await migrateToLatest(database.db);
    await seedAll(database.db, config, true);
    app = await buildApp({ config, database, events, jobs, logger: false });
    await app.ready();
    log(`[${engine}] demo network: inbox and login…`);
    const demo = await inboxAndLogin(app);

    log(`[${engine}] growing to a national-size network…`);
    const [places, growSeconds] = await timed(() => growNetwork(database.db));
    log(`  inserted in ${(growSeconds / 1000).toFixed(1)} s`);

    // ------------------------------------------------------------ the matrix
    const territory = await loadTerritory(database.db);
    const tax = await currentTaxonomy(database.db);
    const known = (topics: string[]) => topics.filter((t) => tax.nodes.has(`tema:${t}`));
    const lines = ['argomento;territorio;ente;ufficio'];
    const matrixComuni = MATRIX_REGIONS.flatMap((r) => territory.comuni(r));
    for (const c of matrixComuni) {
      const urp = places.urpOfComune.get(c.code);
      if (urp) for (const t of known(COMUNE_TOPICS)) lines.push(`${t};${c.code};${urp.ipa};${urp.office}`);
    }
    for (const r of MATRIX_REGIONS) {
      const urp = places.urpOfRegion.get(r)!;
      for (const t of known(REGION_TOPICS)) lines.push(`${t};${r};${urp.ipa};${urp.office}`);
      for (const p of territory.provinces(r)) {
        const purp = places.urpOfProvince.get(p.code);
        if (purp) for (const t of known(PROVINCE_TOPICS)) lines.push(`${t};${purp.sigla};${purp.ipa};${purp.office}`);
      }
    }
    const file = Buffer.from(`${lines.join('\n')}\n`);
    log(`[${engine}] competence matrix: ${lines.length - 1} rows (${matrixComuni.length} comuni of ${MATRIX_REGIONS.join(', ')}), ${(file.length / 1e6).toFixed(1)} MB`);
    const [report, importMs] = await timed(() => importCompetences(database.db, file, { dryRun: false, onBadLine: 'abort' }));
    log(`  import ${(importMs / 1000).toFixed(2)} s: ${report.offices} offices, +${report.added} pairs, problems ${report.problems.length}`);
    const [again, reimportMs] = await timed(() => importCompetences(database.db, file, { dryRun: false, onBadLine: 'abort' }));
    log(`  re-import ${(reimportMs / 1000).toFixed(2)} s: ${again.changedOffices} offices changed`);

    // ------------------------------------------------------------ directory
    const operator = await signIn(app, `operatore.comune-celano@${DEMO_EMAIL_DOMAIN}`);
    const rand = random(2026);
    const topics = [...known(COMUNE_TOPICS), ...known(REGION_TOPICS), ...known(PROVINCE_TOPICS), 'tributi', 'istruzione', 'sanita.esenzioni_ticket'];
    const everywhere = territory.comuni();
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
    // Warm-up: the first question builds the index.
    const [, firstMs] = await timed(() => get(app!, operator, `/api/v1/directory?topic=tributi.tari&territory=${matrixComuni[0]!.code}`));
    const directory: number[] = [];
    let answered = 0;
    for (let i = 0; i < DIRECTORY_QUERIES; i++) {
      // Mostly comuni of the matrix, some anywhere in Italy.
      const comune = rand() < 0.8 ? pick(matrixComuni) : pick(everywhere);
      const [res, t] = await timed(() => get(app!, operator, `/api/v1/directory?topic=${pick(topics)}&territory=${comune.code}`));
      directory.push(t);
      if ((res.json() as { results: unknown[] }).results.length > 0) answered++;
    }
    const dir = stats(directory);
    log(`[${engine}] directory: ${DIRECTORY_QUERIES} topic × comune questions (${answered} answered), first (index build) ${ms(firstMs)}; p50 ${ms(dir.p50)}, p95 ${ms(dir.p95)}, max ${ms(dir.max)}` +
      ` — target p95 < ${TARGET_MS} ms: ${dir.p95 < TARGET_MS ? 'met' : 'MISSED'} (p95/target ${(dir.p95 / TARGET_MS).toFixed(2)})`);

    // ------------------------------------------------------------ coverage
    const [, summaryMs] = await timed(() => get(app!, operator, '/api/v1/competences/coverage?region=03'));
    const [coverage, topicMs] = await timed(() => get(app!, operator, '/api/v1/competences/coverage?region=03&topic=tributi.tari'));
    const lombardia = coverage.json() as { topics: { topic: string; comuniCovered: number; comuniTotal: number }[]; comuni: unknown[] };
    const tari = lombardia.topics.find((x) => x.topic === 'tributi.tari');
    log(`[${engine}] coverage Lombardia: summary of ${lombardia.topics.length} topics ${ms(summaryMs)}; tributi.tari comune by comune (${lombardia.comuni.length} comuni, ${tari?.comuniCovered}/${tari?.comuniTotal} covered) ${ms(topicMs)}`);

    // ------------------------------------------------------------ inbox and login, big network
    log(`[${engine}] national network: inbox and login…`);
    const big = await inboxAndLogin(app);
    return { engine, demo, big, importSeconds: importMs / 1000, reimportSeconds: reimportMs / 1000, matrixRows: lines.length - 1, directory: dir, coverage: { summary: summaryMs, topic: topicMs } };
  } finally {
    await app?.close();
    await jobs.stop();
    await events.stop();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function withPostgres(): Promise<Result | string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    return `PostgreSQL unreachable at ${ADMIN_URL} (${(err as Error).message}): skipped`;
  }
  const name = `urpnet_bench_directory_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    return await runOn('postgres', url.toString());
  } finally {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
}

log(`directory bench: ${ORGANISATIONS} bodies, ${OFFICES} offices, ${USERS} people; matrix for every comune of regions ${MATRIX_REGIONS.join(', ')}; ${os.cpus().length} CPUs, Node ${process.version}${QUICK ? ' (quick)' : ''}`);
const results: (Result | string)[] = [];
if (!engineArg || engineArg === 'postgres') results.push(await withPostgres());
if (!engineArg || engineArg === 'pglite') results.push(await runOn('pglite', null));
log('\nengine    matrix rows  import   re-import  directory p50/p95 (target p95 < 50 ms)  coverage summary/topic   inbox p50/p95 demo → national (ratio)      login p50/p95 demo → national (ratio)');
for (const r of results) {
  if (typeof r === 'string') {
    log(r);
    continue;
  }
  const ratio = (a: number, b: number) => (b / a).toFixed(2);
  log(
    `${r.engine.padEnd(9)} ${String(r.matrixRows).padEnd(12)} ${`${r.importSeconds.toFixed(2)} s`.padEnd(8)} ${`${r.reimportSeconds.toFixed(2)} s`.padEnd(10)} ` +
      `${`${ms(r.directory.p50)} / ${ms(r.directory.p95)} ${r.directory.p95 < TARGET_MS ? 'met' : 'MISSED'}`.padEnd(39)} ${`${ms(r.coverage.summary)} / ${ms(r.coverage.topic)}`.padEnd(24)} ` +
      `${`${ms(r.demo.inbox.p50)}/${ms(r.demo.inbox.p95)} → ${ms(r.big.inbox.p50)}/${ms(r.big.inbox.p95)} (×${ratio(r.demo.inbox.p95, r.big.inbox.p95)})`.padEnd(42)} ` +
      `${ms(r.demo.login.p50)}/${ms(r.demo.login.p95)} → ${ms(r.big.login.p50)}/${ms(r.big.login.p95)} (×${ratio(r.demo.login.p95, r.big.login.p95)})`,
  );
}
if (results.some((r) => typeof r !== 'string' && r.directory.p95 >= TARGET_MS)) process.exitCode = 1;
