import type { OutboxDispatcher } from '../events.js';
import type { JobDefinition } from './job-runner.js';

/**
 * The safety net of event dispatch: each instance's dispatcher reacts to new events as they are
 * committed, and once a minute one instance of the network drains whatever is still pending (an
 * instance that died between commit and dispatch, a missed wake-up). Draining is safe to repeat:
 * the dispatcher claims deliveries with SKIP LOCKED and records each one's outcome.
 */
export function outboxDrainJob(events: OutboxDispatcher): JobDefinition {
  return {
    name: 'platform.outbox-drain',
    schedule: '* * * * *',
    retry: { limit: 0, delaySeconds: 0 },
    expireInSeconds: 5 * 60,
    async handler() {
      // One drain empties the backlog of what is due (it loops over batches itself).
      await events.drain();
    },
  };
}
