/**
 * Retrains the suggester models on a schedule (CLASSIFIER_RETRAIN_HOURS, 0 = never) as a job of
 * the platform queue: the job is checked hourly on one instance of the network, and trains when the
 * newest model is at least that many hours old. A network that has never trained gets its first
 * models at start-up, in the background. The training lease still guards against a manual training
 * started at the same moment from the API.
 */
import type { Database } from '../../db/database.js';
import type { JobDefinition } from '../../platform/jobs/index.js';
import { ClassificationError } from './classification.errors.js';
import { latestHeads } from './model-store.js';
import { trainAndStoreModels } from './training-job.js';

export interface RetrainLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RetrainOptions {
  intervalHours: number;
  log: RetrainLogger;
  /** Train at start-up when no model exists yet (default true). */
  trainIfEmpty?: boolean;
  now?: () => Date;
}

/** Whether the newest stored model is older than the interval (or there is none). */
async function retrainingDue(db: Database, intervalHours: number, now: Date): Promise<boolean> {
  const newest = await db.selectFrom('classification_models').select((eb) => eb.fn.max('trained_at').as('at')).executeTakeFirst();
  if (!newest?.at) return true;
  return now.getTime() - new Date(newest.at).getTime() >= intervalHours * 3_600_000 - 60_000;
}

/** Trains once now; a training already running elsewhere (lease) is a skip, not a failure. */
export async function retrainClassifier(db: Database, trigger: 'schedule' | 'startup', log: RetrainLogger): Promise<void> {
  try {
    const models = await trainAndStoreModels(db, { trigger, userId: null });
    log.info({ models: models.map((m) => ({ facet: m.facet, version: m.version, metrics: m.metrics })) }, 'classifier models retrained');
  } catch (err) {
    if (err instanceof ClassificationError && err.code === 'classification.training_in_progress') {
      log.info({}, 'classifier retraining skipped: another instance is training');
      return;
    }
    throw err;
  }
}

export function classifierRetrainingJob(db: Database, options: RetrainOptions): JobDefinition {
  return {
    name: 'classification.retrain',
    // Checked hourly; with 0 hours there is no schedule and only the start-up training remains.
    ...(options.intervalHours > 0 && { schedule: '17 * * * *' }),
    runAtStart: async () => options.trainIfEmpty !== false && (await latestHeads(db)).length === 0,
    retry: { limit: 2, delaySeconds: 300, backoff: true },
    expireInSeconds: 60 * 60,
    // Idempotent: each run re-reads what exists, so a retry or a late duplicate trains only when still needed.
    async handler() {
      if ((await latestHeads(db)).length === 0) return retrainClassifier(db, 'startup', options.log);
      if (options.intervalHours > 0 && (await retrainingDue(db, options.intervalHours, options.now?.() ?? new Date()))) {
        await retrainClassifier(db, 'schedule', options.log);
      }
    },
  };
}
