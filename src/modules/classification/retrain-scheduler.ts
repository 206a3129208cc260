/**
 * Retrains the suggester models on a schedule (CLASSIFIER_RETRAIN_HOURS, 0 = never), started by the
 * server next to the outbox dispatcher. Every instance runs the timer; the training lease makes
 * only one of them train, the others skip that round and pick up the new models from the database.
 */
import type { Database } from '../../db/database.js';
import { ClassificationError } from './classification.errors.js';
import { latestHeads } from './model-store.js';
import { trainAndStoreModels } from './training-job.js';

export interface RetrainLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RetrainScheduler {
  /** Runs one round now (what the timer calls); resolves when it is done. */
  runOnce(trigger?: 'schedule' | 'startup'): Promise<void>;
  stop(): Promise<void>;
}

export function startClassifierRetraining(db: Database, options: { intervalHours: number; log: RetrainLogger; trainIfEmpty?: boolean }): RetrainScheduler {
  let running: Promise<void> | null = null;
  let stopped = false;
  const runOnce = (trigger: 'schedule' | 'startup' = 'schedule') => {
    running ??= (async () => {
      try {
        const models = await trainAndStoreModels(db, { trigger, userId: null });
        options.log.info({ models: models.map((m) => ({ facet: m.facet, version: m.version, metrics: m.metrics })) }, 'classifier models retrained');
      } catch (err) {
        if (err instanceof ClassificationError && err.code === 'classification.training_in_progress') options.log.info({}, 'classifier retraining skipped: another instance is training');
        else options.log.warn({ err }, 'classifier retraining failed');
      }
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = options.intervalHours > 0 ? setInterval(() => void runOnce(), options.intervalHours * 3_600_000) : null;
  timer?.unref();
  // A network that has never trained gets its first models now, in the background (FAQs and
  // taxonomy at least), so that the first operator does not wait for them.
  if (options.trainIfEmpty !== false) {
    void latestHeads(db)
      .then((heads) => (heads.length === 0 && !stopped ? runOnce('startup') : undefined))
      .catch((err: unknown) => options.log.warn({ err }, 'classifier start-up training failed'));
  }
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
