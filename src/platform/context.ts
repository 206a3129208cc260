import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { OutboxDispatcher } from './events.js';
import type { RealtimeHub } from './realtime.js';
import type { JobRunner } from './jobs/index.js';

/** What every module's routes and services receive from the platform. */
export interface AppContext {
  readonly config: Config;
  readonly db: Database;
  readonly engine: 'postgres' | 'pglite';
  readonly events: OutboxDispatcher;
  /** The instance's one LISTEN connection, fanning database changes out to open streams. */
  readonly realtime: RealtimeHub;
  /** Where modules declare their background and scheduled jobs (the server starts the runner). */
  readonly jobs: JobRunner;
  readonly log: FastifyBaseLogger;
}
