/**
 * The archive's jobs, on the platform's queue:
 * - `archive.sweep` every 15 minutes and at start (and after each closure, see archive.handlers.ts):
 *   archives every final closed contact; when it wrote records it asks for a compaction;
 * - `archive.compact` every 15 minutes (offset from the sweep) and at start: staged records → Parquet;
 * - `archive.run`: a run asked for through the API (sweep then compaction), with its progress.
 * Each is idempotent (see the sweep's and the compaction's comments), so retries and overlapping
 * instances are harmless.
 */
import type { Database } from '../../db/database.js';
import type { JobDefinition, JobRunner } from '../../platform/jobs/index.js';
import { compactArchive } from './archive-compact.js';
import * as repo from './archive.repository.js';
import { sweepArchive } from './archive.service.js';

export const ARCHIVE_SWEEP_JOB = 'archive.sweep';
export const ARCHIVE_COMPACT_JOB = 'archive.compact';
export const ARCHIVE_RUN_JOB = 'archive.run';

/** How long one sweep job works before handing over to the next (its expiry is an hour). */
const SWEEP_SLICE_MS = 20 * 60_000;

interface Logger {
  info(obj: object, msg: string): void;
}

export interface ArchiveJobOptions {
  db: Database;
  dataDir: string;
  jobs: Pick<JobRunner, 'send'>;
  log?: Logger;
  now?: () => Date;
}

/** The scheduled sweep and compaction. */
export function archiveJobs(o: ArchiveJobOptions): JobDefinition[] {
  return [
    {
      name: ARCHIVE_SWEEP_JOB,
      schedule: '*/15 * * * *',
      runAtStart: true,
      retry: { limit: 3, delaySeconds: 60, backoff: true },
      expireInSeconds: 60 * 60,
      async handler() {
        // A large backlog (the first sweep of a network with years of tickets) is done in slices well within the job's expiry.
        const done = await sweepArchive(o.db, { now: o.now?.() ?? new Date(), until: new Date(Date.now() + SWEEP_SLICE_MS) });
        if (done.more) await o.jobs.send(ARCHIVE_SWEEP_JOB, {}, { singletonKey: 'continue' });
        if (done.tickets + done.historical === 0) return;
        o.log?.info(done, 'closed contacts archived');
        await o.jobs.send(ARCHIVE_COMPACT_JOB, {}, { singletonKey: 'after-sweep' });
      },
    },
    {
      name: ARCHIVE_COMPACT_JOB,
      schedule: '5,20,35,50 * * * *',
      runAtStart: true,
      retry: { limit: 3, delaySeconds: 60, backoff: true },
      expireInSeconds: 60 * 60,
      async handler() {
        const done = await compactArchive(o.db, o.dataDir);
        if (done.parts > 0) o.log?.info(done, 'archive records compacted into Parquet');
      },
    },
  ];
}

export interface ArchiveRunData {
  runId: string;
}

/** A run asked for by a coordinator: sweep then compaction, its progress recorded on the run. */
export function archiveRunJob(o: ArchiveJobOptions): JobDefinition<ArchiveRunData> {
  return {
    name: ARCHIVE_RUN_JOB,
    retry: { limit: 0, delaySeconds: 60 },
    expireInSeconds: 2 * 60 * 60,
    async handler({ runId }) {
      await repo.updateRun(o.db, runId, { state: 'running', startedAt: new Date(), error: null });
      try {
        let last = 0;
        const swept = await sweepArchive(o.db, {
          now: o.now?.() ?? new Date(),
          onBatch: async (p) => {
            // Progress at most every two seconds: one small update, not one per batch.
            if (Date.now() - last < 2000) return;
            last = Date.now();
            await repo.updateRun(o.db, runId, { ticketsArchived: p.tickets, historicalArchived: p.historical });
          },
        });
        await repo.updateRun(o.db, runId, { ticketsArchived: swept.tickets, historicalArchived: swept.historical });
        let parts = 0;
        await compactArchive(o.db, o.dataDir, { onPart: () => void parts++ });
        await repo.updateRun(o.db, runId, { state: 'done', finishedAt: new Date(), partsWritten: parts });
      } catch (err) {
        await repo.updateRun(o.db, runId, { state: 'failed', finishedAt: new Date(), error: err instanceof Error ? err.message.slice(0, 500) : String(err) });
        throw err;
      }
    },
  };
}
