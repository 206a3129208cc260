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
import * as identity from '../identity/index.js';
import * as tickets from '../tickets/index.js';
import * as repo from './routing.repository.js';
import { enqueue, purgeEndedItems, sweep } from './routing.service.js';

/** The queue channel of a ticket the citizen opened themselves, by its ticket channel. */
const SELF_SERVICE_QUEUES: Record<string, 'web' | 'email'> = { web: 'web', email: 'email', pec: 'email' };

export { routingErrors } from './routing.errors.js';
export { planOffers, type RoutingItem, type RoutingOperator } from './routing-policy.js';
export { overflowOfficesFor } from './overflow-policy.js';
export { routeWaitingItems, sweep } from './routing.service.js';

export const SWEEP_JOB = 'routing.sweep';

const routingPasses = new WeakMap<FastifyInstance, () => Promise<void>>();

/** Resolves once the app's background routing pass (after the last change) is over: for tests and tools. */
export function routingSettled(app: FastifyInstance): Promise<void> {
  return routingPasses.get(app)?.() ?? Promise.resolve();
}

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
  // After a change that may let items move: a pass on this instance, in the background of the
  // request (the change is committed; the answer does not wait for routing). Kicks arriving while a
  // pass runs are merged into one more pass. A failing pass is logged; the sweep job runs again
  // within a minute anyway.
  let running: Promise<void> | null = null;
  let again = false;
  const kick = (): Promise<void> => {
    again = true;
    running ??= (async () => {
      while (again) {
        again = false;
        try {
          await sweep(db, new Date(), schedule);
        } catch (err) {
          ctx.log.warn({ err }, 'routing: pass after a change failed; the sweep job will retry');
        }
      }
      // No await between the last check and here: a kick cannot slip in and be lost.
      running = null;
    })();
    return running;
  };
  // Requests do not wait for the pass; tests and benches read `settled()` to wait for it.
  const kickInBackground = async () => {
    void kick();
  };
  routingPasses.set(app, () => running ?? Promise.resolve());
  // Closing waits for a pass in flight: it would otherwise run on a closed database.
  app.addHook('preClose', async () => {
    await (running ?? Promise.resolve());
  });
  // A contact the citizen made by themselves (portal, e-mail, PEC) joins its office's queue like a call.
  ctx.events.on('ticket.created', 'onTicketCreated_enqueueCitizenContact', async (event) => {
    if (event.payload.actorId !== null) return;
    const ticket = await tickets.findTicketById(db, event.payload.ticketId);
    const channel = ticket ? SELF_SERVICE_QUEUES[ticket.channel] : undefined;
    if (!ticket || !channel || (await repo.ticketHasItem(db, ticket.id))) return;
    const office = await identity.findOffice(db, ticket.officeId);
    if (!office) return;
    await enqueue(db, office, { officeId: office.id, channel, ticketId: ticket.id, topic: ticket.classification.tema ?? null, language: 'it', subject: ticket.subject.slice(0, 200) }, null, new Date());
    await kickInBackground();
  });
  // A queued contact follows its ticket's topic: the suggester classified a request filed without one,
  // or an operator reclassified it while it waited. The next pass routes it by the new topic.
  const followTopic = async (ticketId: string) => {
    const ticket = await tickets.findTicketById(db, ticketId);
    if (ticket && (await repo.retopicOpenItems(db, ticket.id, ticket.classification.tema ?? null, new Date())) > 0) await kickInBackground();
  };
  ctx.events.on('ticket.classified', 'onTicketClassified_retopicWorkItem', async (event) => followTopic(event.payload.ticketId));
  ctx.events.on('ticket.updated', 'onTicketUpdated_retopicWorkItem', async (event) => {
    if (event.payload.fields.includes('classification.tema')) await followTopic(event.payload.ticketId);
  });
  registerRoutingRoutes(app, ctx, kickInBackground);
  registerCtiRoutes(app, ctx, kickInBackground);
}
