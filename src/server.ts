import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { type OpenedDatabase, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { startOutboxDispatcher } from './platform/events.js';
import { CHANNELS, startRealtimeHub } from './platform/realtime.js';
import { createJobRunner, type JobLogger, poolExecutor } from './platform/jobs/index.js';
import { renewSetupToken } from './modules/identity/index.js';
import { seedAll } from './seed.js';

export interface RunningServer {
  app: FastifyInstance;
  database: OpenedDatabase;
  url: string;
  stop(): Promise<void>;
}

/**
 * loadConfig → openDatabase → migrate → seed → buildApp → listen (+ outbox dispatcher, and the job
 * runner: scheduled jobs such as classifier retraining, auto-close and the FAQ editorial clock, and
 * background jobs such as the historical import commit).
 */
export async function startServer(config: Config, options: { installSignalHandlers?: boolean } = {}): Promise<RunningServer> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize });
  await migrateToLatest(database.db);
  const seeded = await seedAll(database.db, config, config.seedDemo);
  // The dispatcher and the job runner log through the app's logger, which exists once the app is built.
  let log: JobLogger | undefined;
  // Paused until the app has registered every handler (see `paused`).
  const events = startOutboxDispatcher(database.db, {
    paused: true,
    onError: (err) => log?.warn({ err }, 'outbox dispatch failed'),
    onFailure: (f) => {
      const fields = { err: f.error, eventId: f.eventId, topic: f.topic, handler: f.handler, attempts: f.attempts };
      if (f.dead) log?.error(fields, 'outbox delivery dead-lettered: the handler failed on its last attempt');
      else log?.warn(fields, 'outbox delivery failed, will retry');
    },
  });
  const jobs = createJobRunner(poolExecutor(database.pool), { mode: 'work', log: { info: (o, m) => log?.info(o, m), warn: (o, m) => log?.warn(o, m), error: (o, m) => log?.error(o, m) } });
  // One LISTEN connection per instance: wakes the dispatcher at each outbox commit (the interval
  // poll stays as a safety net) and feeds the open notification streams.
  const realtime = await startRealtimeHub(database, { log: { info: (o, m) => log?.info(o, m), warn: (o, m) => log?.warn(o, m) } });
  const app = await buildApp({ config, database, events, jobs, realtime });
  log = app.log;
  // Start-up order: buildApp registered every outbox handler and realtime feed; only now may the
  // dispatcher claim events (its poll, then a first pass over what is pending) and outbox NOTIFYs
  // wake it. Jobs start after, so nothing they commit can be dispatched to a partial handler set.
  events.start();
  realtime.onChannel(CHANNELS.outbox, events.wake);
  await jobs.start();

  if (seeded.demo) {
    const d = seeded.demo;
    app.log.info({ organisations: d.organisations, offices: d.offices, users: d.users }, 'demo network created');
    const how = d.generatedPassword ? `Password generata per tutti gli utenti demo: ${d.password}` : 'Password degli utenti demo: quella di URPNET_DEMO_PASSWORD';
    process.stdout.write(`\n  Rete dimostrativa creata (${d.organisations} enti, ${d.offices} uffici, ${d.users} utenti).\n  ${how}\n  Credenziali in ${d.credentialsFile}\n  Esempio: operatore.comune-celano@demo.urpnet.it\n\n`);
  }
  const url = await app.listen({ port: config.port, host: config.host });
  app.log.info({ url, database: database.engine }, 'urpnet listening');
  await announceSetupToken(database, config, app.log);

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      // Stop taking requests and let in-flight ones finish, then running jobs, then drain events, then close the database.
      await app.close();
      await jobs.stop();
      await events.stop();
      await realtime.close();
      await database.close();
    })();
    return stopping;
  };
  if (options.installSignalHandlers) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        app.log.info({ signal }, 'shutting down');
        const timer = setTimeout(() => process.exit(1), 30_000);
        timer.unref();
        stop().then(
          () => process.exit(0),
          (err) => {
            app.log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      });
    }
  }
  return { app, database, url, stop };
}

/**
 * While the network has no coordinator (a real network's first start, URPNET_SEED_DEMO=false), a new
 * one-time setup token guards the first-run page: printed here and kept in DATA_DIR/setup-token
 * (readable by the server's user only), as Gitea and Jenkins do. `urpnet network init` needs none.
 */
async function announceSetupToken(database: OpenedDatabase, config: Config, log: FastifyInstance['log']): Promise<void> {
  const token = await renewSetupToken(database.db, config.secret);
  const file = path.join(config.dataDir, 'setup-token');
  if (token === null) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  log.warn({ setupUrl: `${config.baseUrl}/setup`, tokenFile: file }, 'the network has no coordinator yet: open the first-run page with the setup token');
  process.stdout.write(`\n  Primo avvio: la rete non ha ancora un coordinatore.\n  Apri ${config.baseUrl}/setup e usa il codice di configurazione: ${token}\n  (anche in ${file}; oppure: npx urpnet network init --name … --coordinator-email …)\n\n`);
}
