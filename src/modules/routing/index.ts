/**
 * Public surface of the routing module (issue 12): traffic distribution among the network's URPs —
 * presence, queues, offers, overflow to partner offices, the CTI interface, the wallboard and the
 * discrete-event simulation that drives the same policy. The tables `routing_settings`,
 * `routing_numbers`, `operator_states`, `work_items` and `routing_offers` belong to this module.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { registerCtiRoutes } from './cti.routes.js';
import { registerRoutingRoutes } from './routing.routes.js';
import { purgeEndedItems, sweep } from './routing.service.js';

export { routingErrors } from './routing.errors.js';
export { planOffers, type RoutingItem, type RoutingOperator } from './routing-policy.js';
export { overflowOfficesFor } from './overflow-policy.js';
export { routeWaitingItems, sweep } from './routing.service.js';

export const SWEEP_JOB = 'routing.sweep';

/**
 * Registers the routing and CTI routes and the routing jobs: `routing.sweep` (every minute, and at
 * each deadline it schedules: offer expiry, overflow times, callback slots) and `routing.purge`.
 */
export function registerRouting(app: FastifyInstance, ctx: AppContext): void {
  const { db, jobs } = ctx;
  const schedule = async (at: Date) => {
    // One job per second of deadline: sweeps due at the same moment are one job.
    await jobs.send(SWEEP_JOB, {}, { startAfter: at, singletonKey: `at-${Math.ceil(at.getTime() / 1000)}` });
  };
  jobs.define({
    name: SWEEP_JOB,
    schedule: '* * * * *',
    policy: 'standard',
    retry: { limit: 2, delaySeconds: 1, backoff: false },
    expireInSeconds: 60,
    handler: async () => {
      await sweep(db, new Date(), schedule);
    },
  });
  jobs.define({
    name: 'routing.purge',
    schedule: '20 3 * * *',
    timeZone: 'Europe/Rome',
    handler: async () => {
      const purged = await purgeEndedItems(db, new Date());
      if (purged > 0) ctx.log.info({ purged }, 'routing: callers and subjects of ended items purged');
    },
  });
  // After a change that may let items move: route now on this instance, and arm the next timer.
  // Kicks arriving while one runs are merged into one more run (a burst of answers is one pass, not
  // one each). The change that kicked is committed already: a failing pass is logged, never turned
  // into an error for it — the sweep job runs again within a minute anyway.
  let running: Promise<void> | null = null;
  let again = false;
  const runKick = async () => {
    do {
      again = false;
      try {
        await sweep(db, new Date(), schedule);
      } catch (err) {
        ctx.log.warn({ err }, 'routing: pass after a change failed; the sweep job will retry');
      }
    } while (again);
  };
  const kick = async () => {
    if (running) {
      again = true;
      return running;
    }
    running = runKick().finally(() => {
      running = null;
    });
    return running;
  };
  registerRoutingRoutes(app, ctx, kick);
  registerCtiRoutes(app, ctx, kick);
}
