import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { OutboxDispatcher } from './events.js';

/** What every module's routes and services receive from the platform. */
export interface AppContext {
  readonly config: Config;
  readonly db: Database;
  readonly engine: 'postgres' | 'pglite';
  readonly events: OutboxDispatcher;
  readonly log: FastifyBaseLogger;
}
