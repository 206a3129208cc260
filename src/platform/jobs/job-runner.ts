/**
 * Background and scheduled work on pg-boss 10, in its own schema (`pgboss`) of the application's
 * database and over the application's own connection pool: on PGlite that pool is the single
 * embedded connection, so pg-boss statements queue behind the application's like any other query.
 *
 * Modules declare jobs (`define`) while the app is built; the server then starts the runner, which
 * creates the queues, registers the cron schedules and starts one worker per queue. With N
 * instances a scheduled job runs once per tick: pg-boss lets one instance per tick turn schedules
 * into jobs (keyed by name and minute), and a queue's `stately` policy admits one queued and one
 * running job at most, so a slow run never overlaps the next.
 *
 * Tests and the CLI use `mode: 'manual'`: no worker, no clock, no supervisor; `runDue()` runs
 * whatever is due, in this process, and returns when the queues are empty.
 */
import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Trx } from '../http.js';

/** What pg-boss needs of a connection: the pool of the app, or a transaction. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface JobRun {
  id: string;
  /** 1 on the first attempt, 2 on the first retry, … */
  attempt: number;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number;
  delaySeconds: number;
  /** Doubles the delay at each retry. */
  backoff?: boolean;
}

export interface JobDefinition<T extends object = Record<string, never>> {
  /** Queue name, `module.task` (letters, digits, dots, dashes). */
  name: string;
  /**
   * Does the work. A throw fails the attempt and the job is retried per `retry`; a process that dies
   * mid-job leaves it active until `expireInSeconds`, then it is retried too. Handlers must therefore
   * be idempotent: re-check the state they change, never assume the previous attempt did nothing.
   */
  handler(data: T, run: JobRun): Promise<void>;
  retry?: RetryPolicy;
  /** How long one attempt may run before it counts as crashed. */
  expireInSeconds?: number;
  /** Cron (UTC unless `timeZone`): one job per tick across all instances. */
  schedule?: string;
  timeZone?: string;
  /** Work mode only: send one job when the runner starts (once across instances starting together). */
  runAtStart?: boolean | (() => Promise<boolean>);
  /**
   * `stately` (default for scheduled jobs): at most one queued and one running job. `standard`: every
   * send is a job (background work with its own data, e.g. one per import).
   */
  policy?: 'standard' | 'stately' | 'singleton';
  /**
   * A job (defined on the same runner) that receives this job's data once it has failed for good,
   * retries exhausted or expired: where the failure is recorded for the user.
   */
  deadLetter?: string;
}

export interface SendOptions {
  /** Enqueue in this transaction: the job exists only if the transaction commits. */
  trx?: Trx;
  /** With `singletonSeconds`, one job per key and time slot; alone, one queued job per key (stately queues). */
  singletonKey?: string;
  singletonSeconds?: number;
  startAfter?: Date;
  /** The job's id (a UUID), when the caller records it beforehand. */
  id?: string;
}

export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobRunnerOptions {
  /** `work`: workers poll, the clock turns schedules into jobs, the supervisor expires crashed jobs. */
  mode: 'work' | 'manual';
  log?: JobLogger;
  /** Worker polling interval (work mode), seconds (≥ 0.5). */
  pollingIntervalSeconds?: number;
  /** How often each instance checks the schedules (work mode), seconds. */
  cronMonitorIntervalSeconds?: number;
}

export interface RunDueResult {
  completed: number;
  failed: number;
}

export interface JobRunner {
  readonly mode: 'work' | 'manual';
  /** Declares a job; only before `start()`. */
  define<T extends object>(definition: JobDefinition<T>): void;
  /** Enqueues a job; returns its id, or null when a singleton key already holds one. */
  send<T extends object>(name: string, data: T, options?: SendOptions): Promise<string | null>;
  /** Creates pg-boss's schema and the queues; in work mode also schedules and workers. Idempotent. */
  start(): Promise<void>;
  /** Manual mode: runs every due job (retries included) until none is left. Starts the runner if needed. */
  runDue(options?: { includeDelayed?: boolean; maxJobs?: number }): Promise<RunDueResult>;
  /** Lets running jobs finish (up to `timeoutMs`), then stops polling. */
  stop(timeoutMs?: number): Promise<void>;
  /** Defined job names (tests, diagnostics). */
  names(): string[];
}

const SCHEMA = 'pgboss';
const DEFAULT_RETRY: RetryPolicy = { limit: 3, delaySeconds: 30, backoff: true };

/**
 * Creating a queue creates its partition table: instances starting at the same moment can deadlock
 * on that DDL. The loser retries, and then finds the queue there.
 */
async function retryOnDeadlock<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 5 || (code !== '40P01' && code !== '23505')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}

/** The executor over a Kysely transaction, for sends that must commit with a change. */
function transactionExecutor(trx: Trx): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows as unknown[] };
    },
  };
}

export function createJobRunner(pool: SqlExecutor, options: JobRunnerOptions): JobRunner {
  const { mode, log } = options;
  const definitions = new Map<string, JobDefinition<object>>();
  const boss = new PgBoss({
    db: { executeSql: (text, values) => pool.executeSql(text, values) },
    schema: SCHEMA,
    // Manual mode (tests, CLI) has no clock, supervisor or monitor: nothing runs unless asked.
    schedule: mode === 'work',
    supervise: mode === 'work',
    ...(options.cronMonitorIntervalSeconds !== undefined && { cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds }),
  });
  boss.on('error', (err) => log?.warn({ err }, 'job queue error'));

  let starting: Promise<void> | null = null;
  let started = false;
  let stopped = false;

  async function execute(def: JobDefinition<object>, job: { id: string; data: object; retryCount?: number }): Promise<void> {
    const run: JobRun = { id: job.id, attempt: (job.retryCount ?? 0) + 1 };
    try {
      await def.handler(job.data, run);
    } catch (err) {
      log?.warn({ err, job: def.name, id: job.id, attempt: run.attempt }, 'job attempt failed; retried per its policy');
      throw err;
    }
  }

  async function doStart(): Promise<void> {
    await boss.start();
    const queueOf = (def: JobDefinition<object>) => {
      const retry = def.retry ?? DEFAULT_RETRY;
      return {
        name: def.name,
        policy: def.policy ?? (def.schedule ? 'stately' : 'standard'),
        retryLimit: retry.limit,
        retryDelay: retry.delaySeconds,
        retryBackoff: retry.backoff ?? false,
        expireInSeconds: def.expireInSeconds ?? 15 * 60,
      } as const;
    };
    for (const def of definitions.values()) {
      if (def.deadLetter && !definitions.has(def.deadLetter)) throw new Error(`job «${def.name}»: dead-letter job «${def.deadLetter}» is not defined`);
      await retryOnDeadlock(() => boss.createQueue(def.name, queueOf(def)));
    }
    // Once every queue exists (a dead letter names another queue). A changed definition (retry,
    // expiry) applies to queues created by an older release too.
    for (const def of definitions.values()) {
      await retryOnDeadlock(() => boss.updateQueue(def.name, { ...queueOf(def), ...(def.deadLetter && { deadLetter: def.deadLetter }) }));
    }
    if (mode !== 'work') return;
    for (const def of definitions.values()) {
      if (def.schedule) await boss.schedule(def.name, def.schedule, {}, { tz: def.timeZone ?? 'UTC' });
      else await boss.unschedule(def.name);
    }
    for (const def of definitions.values()) {
      await boss.work<object>(def.name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 }, async ([job]) => {
        if (job) await execute(def, job);
      });
    }
    for (const def of definitions.values()) {
      const atStart = typeof def.runAtStart === 'function' ? await def.runAtStart().catch(() => false) : def.runAtStart === true;
      // One start-up job across instances starting within the same minute.
      if (atStart) await boss.send(def.name, {}, { singletonKey: 'start', singletonSeconds: 60 });
    }
  }

  async function start(): Promise<void> {
    if (stopped) throw new Error('job runner stopped');
    starting ??= doStart().then(() => {
      started = true;
    });
    return starting;
  }

  return {
    mode,
    define(definition) {
      if (starting) throw new Error(`job «${definition.name}» defined after the runner started`);
      if (!/^[a-z0-9][a-z0-9.-]*$/.test(definition.name)) throw new Error(`invalid job name «${definition.name}»`);
      if (definitions.has(definition.name)) throw new Error(`job «${definition.name}» defined twice`);
      definitions.set(definition.name, definition as unknown as JobDefinition<object>);
    },
    async send(name, data, sendOptions = {}) {
      if (!definitions.has(name)) throw new Error(`unknown job «${name}»`);
      await start();
      return boss.send(name, data, {
        ...(sendOptions.trx && { db: transactionExecutor(sendOptions.trx) as PgBoss.Db }),
        ...(sendOptions.singletonKey !== undefined && { singletonKey: sendOptions.singletonKey }),
        ...(sendOptions.singletonSeconds !== undefined && { singletonSeconds: sendOptions.singletonSeconds }),
        ...(sendOptions.startAfter && { startAfter: sendOptions.startAfter }),
        ...(sendOptions.id && { id: sendOptions.id }),
      });
    },
    start,
    async runDue(runOptions = {}) {
      if (mode !== 'manual') throw new Error('runDue is for manual mode (tests, CLI)');
      await start();
      const result: RunDueResult = { completed: 0, failed: 0 };
      const max = runOptions.maxJobs ?? 10_000;
      for (;;) {
        let ran = 0;
        for (const def of definitions.values()) {
          const jobs = await boss.fetch<object>(def.name, { batchSize: 1, includeMetadata: true, ignoreStartAfter: runOptions.includeDelayed ?? false });
          for (const job of jobs) {
            ran++;
            try {
              await execute(def, job);
              await boss.complete(def.name, job.id);
              result.completed++;
            } catch (err) {
              await boss.fail(def.name, job.id, { message: err instanceof Error ? err.message : String(err) });
              result.failed++;
            }
          }
        }
        if (ran === 0 || result.completed + result.failed >= max) return result;
      }
    },
    async stop(timeoutMs = 30_000) {
      stopped = true;
      if (!starting) return;
      await starting.catch(() => undefined);
      if (started) await boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: false });
    },
    names: () => [...definitions.keys()],
  };
}

/** The executor over a node-postgres pool (PostgreSQL, or PGlite's single connection). */
export function poolExecutor(pool: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> }): SqlExecutor {
  return { executeSql: (text, values) => pool.query(text, values) };
}
