/**
 * Time from an operator's public reply to the citizen's inbox (issue 15), target < 5 s.
 *
 *   node --import tsx bench/citizen-reply.bench.ts [--quick] [--engine=postgres|pglite] [--replies=N]
 *
 * The real server process (`node bin/urpnet.js serve`, compiled dist/: HTTP, outbox dispatcher and
 * the pg-boss job runner in work mode, as in production) sends through SMTP_URL to a loopback SMTP
 * sink in this process standing for the citizen's mail server. Tickets with a requester e-mail are
 * created over HTTP by the Celano operator; then, one at a time (a random 0.2–0.7 s pause between
 * them, so the replies do not lock step with any polling interval), the operator posts a public reply
 * (POST /api/v1/tickets/:code/messages {kind:'reply'}) whose body holds a unique marker, and the clock
 * runs from sending that request until the sink has received (end of DATA) the message whose decoded
 * text contains the marker.
 *
 * Where the time goes (PostgreSQL only: read from the database after the run, wall clock of this host):
 * the reply request until its response (the commit); then until the delivery row exists (outbox
 * dispatcher: NOTIFY wake-up, the `ticket.reply_added` handler queues the delivery and the job);
 * then until pg-boss starts the job (worker polling); then until the sink has the message (compose
 * and SMTP).
 * --quick: 10 replies (default 50).
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { ticketBody } from './lib/api.js';
import { api, benchArgs, demoEmail, freshDatabase, log, percentile, signIn, startBenchServer } from './lib/citizen-bench.js';
import { atCleanup, cleanupAll, installExitHandlers, sleep } from './lib/processes.js';

const { quick, engine, flag } = benchArgs();
const REPLIES = Number(flag('replies') ?? (quick ? 10 : 50));
const TARGET_MS = 5000;
const WAIT_MS = 60_000;

interface Received {
  at: number;
  wallAt: number;
  text: string;
}

async function startSink(): Promise<{ port: number; received: Received[]; waiters: Set<() => void> }> {
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const at = performance.now();
        const wallAt = Date.now();
        callback();
        simpleParser(Buffer.concat(chunks)).then(
          (mail) => {
            received.push({ at, wallAt, text: `${mail.subject ?? ''}\n${mail.text ?? ''}` });
            for (const w of waiters) w();
          },
          (err: unknown) => process.stderr.write(`sink: unreadable message: ${(err as Error).message}\n`),
        );
      });
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  atCleanup(() => new Promise<void>((resolve) => sink.close(() => resolve())));
  return { port: (sink.server.address() as AddressInfo).port, received, waiters };
}

interface Sample {
  marker: string;
  messageId: string;
  sentWall: number;
  respondedWall: number;
  receivedWall: number | null;
  totalMs: number | null;
}

async function main(): Promise<void> {
  installExitHandlers();
  log(`citizen-reply benchmark${quick ? ' (--quick)' : ''}: ${REPLIES} replies, engine ${engine}`);
  const sink = await startSink();
  const database = await freshDatabase(engine, 'reply');
  const server = await startBenchServer(database, { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MAIL_FROM: 'Rete URP <noreply@urp.example.it>' });
  log(`server ready in ${server.readySeconds.toFixed(1)} s (pid ${server.pid}), SMTP sink on 127.0.0.1:${sink.port}`);
  const operator = await signIn(server.url, demoEmail('operatore', 'comune-celano'));
  if (!operator.officeId) throw new Error('the Celano operator has no office');

  const codes: string[] = [];
  for (let i = 0; i < REPLIES; i++) {
    const t = await api(server.url, operator, 'POST', '/api/v1/tickets', { ...ticketBody(operator.officeId), requester: { name: `Cittadina ${i}`, email: `cittadina.${i}@example.org` } });
    if (t.status !== 201) throw new Error(`ticket: HTTP ${t.status} ${JSON.stringify(t.json)}`);
    codes.push((t.json as { code: string }).code);
  }
  // Anything the set-up queued (none expected: staff-created tickets get no acknowledgement) goes out first.
  await sleep(3000);
  const before = sink.received.length;

  const samples: Sample[] = [];
  for (const [i, code] of codes.entries()) {
    await sleep(200 + Math.random() * 500);
    const marker = `MRK${randomBytes(6).toString('hex').toUpperCase()}`;
    const startedAt = performance.now();
    const sentWall = Date.now();
    const res = await api(server.url, operator, 'POST', `/api/v1/tickets/${code}/messages`, { kind: 'reply', body: `Gentile cittadina, la sua pratica è stata presa in carico (riferimento ${marker}). Cordiali saluti.` });
    const respondedWall = Date.now();
    if (res.status !== 201) throw new Error(`reply ${i}: HTTP ${res.status} ${JSON.stringify(res.json)}`);
    const messageId = (res.json as { id: string }).id;
    const deadline = startedAt + WAIT_MS;
    let hit = sink.received.find((r) => r.text.includes(marker));
    while (!hit && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const w = () => {
          sink.waiters.delete(w);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(w, 100);
        sink.waiters.add(w);
      });
      hit = sink.received.find((r) => r.text.includes(marker));
    }
    samples.push({ marker, messageId, sentWall, respondedWall, receivedWall: hit?.wallAt ?? null, totalMs: hit ? hit.at - startedAt : null });
  }
  const extra = sink.received.length - before - samples.filter((s) => s.totalMs !== null).length;

  // Breakdown from the database (PostgreSQL): delivery row and pg-boss job of each reply.
  const stages: { commit: number[]; queued: number[]; jobStart: number[]; smtp: number[] } = { commit: [], queued: [], jobStart: [], smtp: [] };
  if (database.databaseUrl !== null) {
    const c = new pg.Client({ connectionString: database.databaseUrl });
    await c.connect();
    for (const s of samples) {
      if (s.receivedWall === null) continue;
      const d = await c.query<{ id: string; created_at: Date }>('select id, created_at from citizen_deliveries where message_id = $1', [s.messageId]);
      const delivery = d.rows[0];
      if (!delivery) continue;
      const j = await c.query<{ created_on: Date; started_on: Date | null }>("select created_on, started_on from pgboss.job where data->>'deliveryId' = $1 order by created_on limit 1", [delivery.id]);
      const job = j.rows[0];
      stages.commit.push(s.respondedWall - s.sentWall);
      stages.queued.push(delivery.created_at.getTime() - s.respondedWall);
      if (job?.started_on) {
        stages.jobStart.push(job.started_on.getTime() - delivery.created_at.getTime());
        stages.smtp.push(s.receivedWall - job.started_on.getTime());
      }
    }
    await c.end();
  }
  await server.stop();

  const done = samples.flatMap((s) => (s.totalMs === null ? [] : [s.totalMs]));
  const missed = samples.length - done.length;
  const p50 = percentile(done, 50);
  const p95 = percentile(done, 95);
  const max = done.length > 0 ? Math.max(...done) : Number.NaN;
  const fmt = (v: number[]) => `p50 ${percentile(v, 50).toFixed(0)} ms, p95 ${percentile(v, 95).toFixed(0)} ms, max ${(v.length ? Math.max(...v) : Number.NaN).toFixed(0)} ms`;
  log('');
  log(`replies posted ${samples.length}, received by the sink ${done.length}, not received within ${WAIT_MS / 1000} s: ${missed}; other messages at the sink: ${extra}`);
  if (stages.commit.length > 0) {
    log(`where the time goes (n=${stages.commit.length}; server and database clocks of this host):`);
    log(`  reply request → response (commit)              ${fmt(stages.commit)}`);
    log(`  commit → delivery row queued (outbox handler)    ${fmt(stages.queued)}`);
    log(`  queued → job started (pg-boss worker polling)    ${fmt(stages.jobStart)}`);
    log(`  job started → message at the sink (compose+SMTP) ${fmt(stages.smtp)}`);
  }
  log(`reply → citizen's inbox: p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${max.toFixed(0)} ms (n=${done.length})`);
  log(`target < ${TARGET_MS / 1000} s at p95: ratio ${(p95 / TARGET_MS).toFixed(2)} of the target ${p95 < TARGET_MS && missed === 0 ? 'MET' : 'NOT MET'}`);
  if (missed > 0) process.exitCode = 1;
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
