import type { Database } from '../../db/database.js';
import type { OutboxDispatcher } from '../../platform/events.js';
import type { JobRunner } from '../../platform/jobs/index.js';
import { ARCHIVE_SWEEP_JOB } from './archive.jobs.js';
import * as repo from './archive.repository.js';

const DAY_MS = 86_400_000;
/** Closures whose grace period ends in the same quarter of an hour share one sweep. */
const SLOT_MS = 15 * 60_000;

/**
 * Archiving follows closures without waiting for the next scheduled sweep: a closed ticket asks for
 * a sweep when its grace period ends (one job per quarter of an hour however many tickets close).
 * A ticket closed right after its resolution may still reopen then: the sweep leaves it alone and a
 * later scheduled sweep archives it once the reopen window has passed.
 */
export function registerArchiveHandlers(events: OutboxDispatcher, db: Database, jobs: Pick<JobRunner, 'send'>): void {
  events.on('ticket.closed', 'onTicketClosed_scheduleArchiveSweep', async (event) => {
    const { graceDays } = await repo.findSettings(db);
    const due = event.createdAt.getTime() + graceDays * DAY_MS;
    const slotEnd = Math.ceil(due / SLOT_MS) * SLOT_MS;
    await jobs.send(ARCHIVE_SWEEP_JOB, {}, { startAfter: new Date(slotEnd), singletonKey: `closed:${new Date(slotEnd).toISOString()}` });
  });
}
