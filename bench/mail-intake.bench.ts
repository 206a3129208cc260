/**
 * E-mail ingestion rate (issue 15): citizens' messages handed over real SMTP to the intake listener
 * of the real server process (`node bin/urpnet.js serve`, compiled dist/, MAIL_INTAKE_PORT set),
 * parsed and committed into tickets or the quarantine. Target ≥ 100 messages/s.
 *
 *   node --import tsx bench/mail-intake.bench.ts [--quick] [--engine=postgres|pglite] [--messages=N] [--connections=N] [--instances=N]
 *
 * - Set-up: a fresh database with the demo network; a mailbox for the Celano URP office (POST
 *   /api/v1/offices/:officeId/mailboxes as the Celano admin); 20 tickets created over HTTP by the
 *   office's operator, for the replies to quote; the suggester's models trained by one suggestion
 *   request (the classification of new requests uses them) and stored by the start-up training job
 *   before the clock starts, as in a network in operation.
 * - Corpus (bench/lib/mail-corpus.ts, built before the clock starts): plain text, HTML
 *   multipart/alternative, ~30 % with a PDF or JPEG attachment of 50–500 KB, ~20 % replies by ticket
 *   code in the subject, ~4 % auto-replies and bounces (quarantined).
 * - Sending: nodemailer with `pool: true` and C connections (default 8); C workers each send one
 *   message at a time, so a message's accept latency is its own SMTP transaction (MAIL FROM → 250
 *   after DATA, which the listener answers only once the message is committed), not time spent
 *   queued in this process.
 * - Rate: messages from the first send until the database holds an inbound_mail row for every one
 *   (PostgreSQL: count polled every 20 ms; PGlite: the server's database cannot be read while it runs,
 *   so the end is the last 250, which the listener sends after the commit, and the count is checked
 *   after the server stops).
 * - --instances=N (PostgreSQL only; default 1): N server processes on the one database, each with
 *   its own intake listener, as a network's several instances behind its MX records; the senders'
 *   connections are spread evenly over them. The rate is that of the whole deployment on this host.
 * --quick: 300 messages (default 2,000).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import nodemailer from 'nodemailer';
import { openDatabase } from '../src/db/database.js';
import { DEMO_EMAIL_DOMAIN } from '../src/modules/identity/demo-seed.js';
import { ticketBody } from './lib/api.js';
import { api, benchArgs, demoEmail, freshDatabase, log, percentile, signIn, startBenchServer } from './lib/citizen-bench.js';
import { type MailKind, mailCorpus } from './lib/mail-corpus.js';
import { cleanupAll, freePort, installExitHandlers, sleep } from './lib/processes.js';

const { quick, engine, flag } = benchArgs();
const MESSAGES = Number(flag('messages') ?? (quick ? 300 : 2000));
const CONNECTIONS = Number(flag('connections') ?? 8);
const INSTANCES = Number(flag('instances') ?? 1);
const TARGET_PER_SECOND = 100;
const MAILBOX = 'urp@comune.celano.example.it';
const REPLY_TICKETS = 20;

async function countByOutcome(query: (sql: string) => Promise<{ outcome: string; n: string | number }[]>): Promise<Map<string, number>> {
  const rows = await query('select outcome, count(*) as n from inbound_mail group by outcome');
  return new Map(rows.map((r) => [r.outcome, Number(r.n)]));
}
/** CPU seconds (user + system) a process has used so far, from /proc (Linux; clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
const total = (m: Map<string, number>) => [...m.values()].reduce((s, n) => s + n, 0);

async function main(): Promise<void> {
  installExitHandlers();
  log(`mail-intake benchmark${quick ? ' (--quick)' : ''}: ${MESSAGES} messages over SMTP, ${CONNECTIONS} pooled connections, ${INSTANCES} server instance(s), engine ${engine}`);
  if (INSTANCES > 1 && engine !== 'postgres') throw new Error('--instances needs --engine=postgres (PGlite is one process)');
  const database = await freshDatabase(engine, 'mail');
  // The instances of one network share its secret (sealed values, tokens).
  const secret = randomBytes(32).toString('base64url');
  const servers: Awaited<ReturnType<typeof startBenchServer>>[] = [];
  const intakePorts: number[] = [];
  for (let i = 0; i < INSTANCES; i++) {
    const port = await freePort();
    const started = await startBenchServer(database, { MAIL_INTAKE_PORT: String(port), MAIL_FROM: 'Rete URP <noreply@urp.example.it>', URPNET_SECRET: secret });
    log(`server ${i + 1} ready in ${started.readySeconds.toFixed(1)} s (pid ${started.pid}), intake on 127.0.0.1:${port}`);
    servers.push(started);
    intakePorts.push(port);
  }
  const server = servers[0]!;

  const operator = await signIn(server.url, demoEmail('operatore', 'comune-celano'));
  const admin = await signIn(server.url, demoEmail('admin', 'comune-celano'));
  if (!operator.officeId) throw new Error('the Celano operator has no office');
  const created = await api(server.url, admin, 'POST', `/api/v1/offices/${operator.officeId}/mailboxes`, { address: MAILBOX, kind: 'email' });
  if (created.status !== 201) throw new Error(`mailbox: HTTP ${created.status} ${JSON.stringify(created.json)}`);
  const codes: string[] = [];
  for (let i = 0; i < REPLY_TICKETS; i++) {
    const t = await api(server.url, operator, 'POST', '/api/v1/tickets', { ...ticketBody(operator.officeId), requester: { name: `Cittadino ${i}`, email: `richiedente.${i}@example.org` } });
    if (t.status !== 201) throw new Error(`ticket: HTTP ${t.status} ${JSON.stringify(t.json)}`);
    codes.push((t.json as { code: string }).code);
  }

  // A network in operation has its suggester models trained; a fresh install trains them on the first
  // classification (a one-time ~3 s of CPU), which would otherwise land inside the clock.
  for (const s of servers) {
    const warm = await api(s.url, operator, 'POST', '/api/v1/classification/suggest', { text: 'rinnovo carta di identità' });
    if (warm.status !== 200) throw new Error(`suggest: HTTP ${warm.status} ${JSON.stringify(warm.json)}`);
  }
  // The start-up training job also trains and stores the models, in the background: wait until they
  // are stored, or that work (seconds of CPU and a large write) would land inside the clock.
  const coordinator = await signIn(server.url, `coordinatore@${DEMO_EMAIL_DOMAIN}`);
  for (const deadline = performance.now() + 120_000; ; ) {
    const models = await api(server.url, coordinator, 'GET', '/api/v1/classification/models');
    if (models.status !== 200) throw new Error(`models: HTTP ${models.status} ${JSON.stringify(models.json)}`);
    if ((models.json as { items: unknown[] }).items.length > 0) break;
    if (performance.now() > deadline) throw new Error('the start-up training stored no model in 2 minutes');
    await sleep(250);
  }
  await sleep(1000); // its last writes and the job's completion

  const corpus = mailCorpus(MESSAGES, MAILBOX, codes);
  const byKind = new Map<MailKind, number>();
  for (const m of corpus) byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
  const corpusBytes = corpus.reduce((s, m) => s + Buffer.byteLength(m.raw, 'latin1'), 0);
  log(`corpus: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}; ${(corpusBytes / 1048576).toFixed(1)} MB in all`);

  const pgClient = database.databaseUrl !== null ? new pg.Client({ connectionString: database.databaseUrl }) : null;
  await pgClient?.connect();
  const liveCount = pgClient ? async () => countByOutcome(async (q) => (await pgClient.query(q)).rows) : null;
  const before = liveCount ? total(await liveCount()) : 0;

  const transports = intakePorts.map((port) => nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: Math.ceil(CONNECTIONS / INSTANCES), maxMessages: Number.POSITIVE_INFINITY }));
  const acceptMs: number[] = [];
  const acceptByKind = new Map<MailKind, number[]>();
  const failures: string[] = [];
  let next = 0;
  let lastAccept = 0;
  const started = performance.now();
  const serversCpu = () => servers.reduce((sum, s) => sum + cpuSeconds(s.pid), 0);
  const serverCpu0 = serversCpu();
  const benchCpu0 = process.cpuUsage();
  const workers = Array.from({ length: CONNECTIONS }, async (_, w) => {
    const transport = transports[w % transports.length]!;
    for (;;) {
      const i = next++;
      const mail = corpus[i];
      if (!mail) return;
      const t0 = performance.now();
      try {
        await transport.sendMail({ envelope: { from: mail.envelopeFrom, to: [MAILBOX] }, raw: mail.raw });
        const t1 = performance.now();
        acceptMs.push(t1 - t0);
        acceptByKind.set(mail.kind, [...(acceptByKind.get(mail.kind) ?? []), t1 - t0]);
        lastAccept = Math.max(lastAccept, t1);
      } catch (err) {
        failures.push(`#${i} ${mail.kind}: ${(err as Error).message}`);
      }
    }
  });
  await Promise.all(workers);
  let committedAt = lastAccept;
  let outcomes = new Map<string, number>();
  if (liveCount) {
    const deadline = performance.now() + 120_000;
    for (;;) {
      outcomes = await liveCount();
      if (total(outcomes) - before >= acceptMs.length) {
        committedAt = performance.now();
        break;
      }
      if (performance.now() > deadline) break;
      await sleep(20);
    }
  }
  const serverCpu = serversCpu() - serverCpu0;
  const benchCpuUsage = process.cpuUsage(benchCpu0);
  const benchCpu = (benchCpuUsage.user + benchCpuUsage.system) / 1e6;
  for (const t of transports) t.close();
  await pgClient?.end();
  for (const s of servers) await s.stop();
  if (!liveCount) {
    const opened = await openDatabase({ databaseUrl: null, dataDir: database.dataDir });
    outcomes = await countByOutcome(async (q) => (await opened.pool.query(q)).rows as { outcome: string; n: string }[]);
    await opened.close();
  }

  const seconds = (committedAt - started) / 1000;
  const rate = acceptMs.length / seconds;
  const recorded = total(outcomes) - before;
  log('');
  log(`sent ${MESSAGES}, accepted (250) ${acceptMs.length}, refused/failed ${failures.length}`);
  for (const f of failures.slice(0, 5)) log(`  failure: ${f}`);
  log(`inbound_mail rows recorded: ${recorded} ${recorded === acceptMs.length ? '= accepted (none lost)' : `≠ accepted ${acceptMs.length} (MISMATCH)`}`);
  log(`outcomes: ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  log(`expected by corpus: new tickets ${(byKind.get('plain') ?? 0) + (byKind.get('html') ?? 0) + (byKind.get('attachment_pdf') ?? 0) + (byKind.get('attachment_jpeg') ?? 0)}, joined ${byKind.get('reply') ?? 0}, quarantined ${(byKind.get('auto_reply') ?? 0) + (byKind.get('bounce') ?? 0)}`);
  log(`elapsed first send → all committed: ${seconds.toFixed(2)} s (${liveCount ? 'inbound_mail count polled' : 'last 250; PGlite'}), ${((corpusBytes / 1048576) / seconds).toFixed(1)} MB/s`);
  log(`CPU during the run: server process${INSTANCES > 1 ? `es (${INSTANCES})` : ''} ${serverCpu.toFixed(1)} s (${((serverCpu / acceptMs.length) * 1000).toFixed(1)} ms per message, ${((serverCpu / seconds) * 100).toFixed(0)} % of one core), this bench process ${benchCpu.toFixed(1)} s; host has ${os.cpus().length} CPUs, load average at the end ${os.loadavg()[0]?.toFixed(1)}`);
  log(`SMTP accept latency per message: p50 ${percentile(acceptMs, 50).toFixed(1)} ms, p99 ${percentile(acceptMs, 99).toFixed(1)} ms, max ${Math.max(...acceptMs).toFixed(1)} ms`);
  log(`  by kind (p50 / p99 ms): ${[...acceptByKind].map(([k, v]) => `${k} ${percentile(v, 50).toFixed(0)}/${percentile(v, 99).toFixed(0)}`).join(', ')}`);
  log(`ingestion rate${INSTANCES > 1 ? ` (${INSTANCES} instances on this host)` : ''}: ${rate.toFixed(1)} messages/s  (target ≥ ${TARGET_PER_SECOND}: ratio ${(rate / TARGET_PER_SECOND).toFixed(2)}× ${rate >= TARGET_PER_SECOND ? 'MET' : 'NOT MET'})`);
  if (recorded !== acceptMs.length || failures.length > 0) process.exitCode = 1;
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
