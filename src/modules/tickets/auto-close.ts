/**
 * Resolved tickets close by themselves once the reopen window has passed: until then the citizen
 * can still have the ticket reopened, afterwards "resolved" would only be a closed ticket that
 * never says so (inboxes, statistics and the citizen's status page all wait for it).
 *
 * A plain use case plus a small timer started by the server, like the classifier retraining. It is
 * safe with several instances: each batch is one statement (`closeResolvedBefore`) that re-checks
 * `status = 'resolved'` on the rows it updates and skips rows another instance holds, so two runs
 * never close a ticket twice nor write its history twice.
 */
import type { Database } from '../../db/database.js';
import { DEFAULT_REOPEN_WINDOW_DAYS } from './ticket-status.js';
import * as repo from './tickets.repository.js';

/** Tickets closed per statement: keeps each transaction (and its row locks) short at 1M tickets. */
export const AUTO_CLOSE_BATCH_SIZE = 500;
/** How often the server looks for expired resolved tickets. */
export const AUTO_CLOSE_INTERVAL_MS = 3_600_000;

const DAY_MS = 86_400_000;

export interface AutoCloseOptions {
  /** Same window as the status machine's (reopening is allowed up to and including its last instant). */
  reopenWindowDays?: number;
  batchSize?: number;
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
    if (n < batchSize) return { closed };
  }
}

export interface AutoCloseLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface AutoCloseJob {
  /** One round now (what the timer calls); resolves when it is done. */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the timer (every `intervalMs`, and once at start unless `runAtStart` is false). */
export function startTicketAutoClose(
  db: Database,
  options: { log: AutoCloseLogger; intervalMs?: number; now?: () => Date; runAtStart?: boolean },
): AutoCloseJob {
  let running: Promise<void> | null = null;
  const runOnce = () => {
    running ??= (async () => {
      try {
        const { closed } = await closeExpiredResolvedTickets(db, options.now?.() ?? new Date());
        if (closed > 0) options.log.info({ closed }, 'resolved tickets closed after the reopen window');
      } catch (err) {
        options.log.warn({ err }, 'automatic close of resolved tickets failed');
      }
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? AUTO_CLOSE_INTERVAL_MS);
  timer.unref();
  if (options.runAtStart !== false) void runOnce();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
