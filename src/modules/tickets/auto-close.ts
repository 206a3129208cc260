/**
 * Resolved tickets close by themselves once the reopen window has passed: until then the citizen
 * can still have the ticket reopened, afterwards "resolved" would only be a closed ticket that
 * never says so (inboxes, statistics and the citizen's status page all wait for it).
 *
 * A plain use case run by an hourly job (`ticketAutoCloseJob`). It is safe with several instances
 * and with retries: each batch is one statement (`closeResolvedBefore`) that re-checks
 * `status = 'resolved'` on the rows it updates and skips rows another instance holds, so two runs
 * never close a ticket twice nor write its history twice.
 */
import type { Database } from '../../db/database.js';
import type { JobDefinition } from '../../platform/jobs/index.js';
import { DEFAULT_REOPEN_WINDOW_DAYS } from './ticket-status.js';
import * as repo from './tickets.repository.js';

/** Tickets closed per statement: keeps each transaction (and its row locks) short at 1M tickets. */
export const AUTO_CLOSE_BATCH_SIZE = 500;

const DAY_MS = 86_400_000;

export interface AutoCloseOptions {
  /** Same window as the status machine's (reopening is allowed up to and including its last instant). */
  reopenWindowDays?: number;
  batchSize?: number;
  /** Called after each committed batch (tests inject a crash here). */
  afterBatch?: (closed: number) => void;
}

/**
 * Closes every ticket resolved more than the reopen window before `now`, in batches. Each close
 * bumps the ticket's version (ETags of open pages go stale), appends an `auto_closed` history
 * entry without an actor and records a `ticket.closed` event, in the same statement.
 */
export async function closeExpiredResolvedTickets(db: Database, now: Date, options: AutoCloseOptions = {}): Promise<{ closed: number }> {
  const days = options.reopenWindowDays ?? DEFAULT_REOPEN_WINDOW_DAYS;
  const batchSize = options.batchSize ?? AUTO_CLOSE_BATCH_SIZE;
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const changes = { status: { from: 'resolved', to: 'closed' }, reopenWindowDays: { from: null, to: days } };
  let closed = 0;
  for (;;) {
    const n = await repo.closeResolvedBefore(db, { cutoff, now, limit: batchSize, changes });
    closed += n;
    options.afterBatch?.(n);
    if (n < batchSize) return { closed };
  }
}

export interface AutoCloseLogger {
  info(obj: object, msg: string): void;
}

/**
 * The job that closes expired resolved tickets: hourly, and once when the network starts (a server
 * that was down does not leave them waiting an hour more). A retry after a crash mid-way closes only
 * what is still resolved and expired, so no ticket is closed or recorded twice.
 */
export function ticketAutoCloseJob(
  db: Database,
  options: { log?: AutoCloseLogger; now?: () => Date } & Pick<AutoCloseOptions, 'batchSize' | 'afterBatch'> = {},
): JobDefinition {
  return {
    name: 'tickets.auto-close',
    schedule: '7 * * * *',
    runAtStart: true,
    retry: { limit: 3, delaySeconds: 60, backoff: true },
    expireInSeconds: 30 * 60,
    async handler() {
      const { closed } = await closeExpiredResolvedTickets(db, options.now?.() ?? new Date(), {
        ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
        ...(options.afterBatch && { afterBatch: options.afterBatch }),
      });
      if (closed > 0) options.log?.info({ closed }, 'resolved tickets closed after the reopen window');
    },
  };
}
