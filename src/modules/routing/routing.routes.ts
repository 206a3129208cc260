import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Actor } from '../../platform/actor.js';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { holdEventStream } from '../../platform/event-stream.js';
import { etagOf, expectedVersion } from '../../platform/http.js';
import { access } from '../../platform/policy.js';
import { erlangA, erlangC, requiredAgents, rosteredStaff } from '../../platform/queueing/erlang.js';
import { CHANNELS as REALTIME_CHANNELS, type FeedRow, latestOutboxId, type OutboxRow, outboxEventsAfter } from '../../platform/realtime.js';
import { errorResponses } from '../../platform/schema.js';
import { routingErrors as errors } from './routing.errors.js';
import * as repo from './routing.repository.js';
import * as s from './routing.schemas.js';
import * as service from './routing.service.js';
import { wallboard, wallboardOffices } from './wallboard.js';

const tags = { tags: ['routing'] };
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const presentOperator = (o: repo.OperatorState) => ({
  userId: o.id,
  officeId: o.officeId,
  presence: o.presence,
  presenceSince: o.presenceSince.toISOString(),
  idleSince: new Date(o.idleSince).toISOString(),
  topics: [...o.skills.topics],
  languages: [...o.skills.languages],
  channels: [...o.skills.channels],
  capacity: { ...o.capacity },
  load: { ...o.load },
  extension: o.extension,
});

export const presentItem = (i: repo.WorkItem) => ({
  id: i.id,
  officeId: i.officeId,
  organisationId: i.organisationId,
  channel: i.channel,
  topic: i.topic,
  language: i.language,
  priority: i.priority,
  status: i.status,
  ticketId: i.ticketId,
  callId: i.callId,
  caller: i.caller,
  subject: i.subject,
  enqueuedAt: i.enqueuedAt.toISOString(),
  notBefore: iso(i.notBefore),
  overflowOfficeIds: i.overflowOfficeIds,
  assignedTo: i.assignedTo,
  assignedOfficeId: i.assignedOfficeId,
  answeredAt: iso(i.answeredAt),
  endedAt: iso(i.endedAt),
  outcome: i.outcome,
});

export const presentOffer = (o: repo.Offer) => ({
  id: o.id,
  itemId: o.itemId,
  userId: o.userId,
  officeId: o.officeId,
  overflow: o.overflow,
  status: o.status,
  offeredAt: o.offeredAt.toISOString(),
  expiresAt: o.expiresAt.toISOString(),
});

/** What the console's stream says about the operator's offers and items. */
export interface ConsoleEvent {
  userId: string;
  event: 'offer' | 'offer_closed' | 'assigned';
  data: Record<string, unknown>;
}

/**
 * The console stream's rows for routing events: one row per event read, those for no console too
 * (userId null), since the hub reads on while a fetch is full and some routing events are for no
 * console (an item ended). Dropping them stopped the read early under load: offers committed after
 * a page of them waited seconds for a later wake-up.
 */
export function consoleFeedRows(events: readonly OutboxRow[]): FeedRow<ConsoleEvent>[] {
  return events.map((e) => {
    const p = e.payload as Record<string, unknown>;
    const event = e.topic === 'routing.offer_made' ? 'offer' : e.topic === 'routing.offer_closed' ? 'offer_closed' : e.topic === 'routing.item_assigned' ? 'assigned' : null;
    return event && typeof p.userId === 'string' ? { id: e.id, userId: p.userId, item: { userId: p.userId, event, data: p } } : { id: e.id, userId: null, item: null };
  });
}

/**
 * The wallboard feed: each routing event under the offices whose figures it changes (where the item
 * waits, where the operator works, the office an operator left). The stream only says "changed";
 * the page reads the wallboard again, so the figures have one source.
 */
export function wallboardFeedRows(events: readonly OutboxRow[]): FeedRow<true>[] {
  return events.map((e) => {
    const p = e.payload as Record<string, unknown>;
    const offices = [p.officeId, p.itemOfficeId, p.previousOfficeId].filter((v): v is string => typeof v === 'string' && v !== '');
    return offices.length > 0 ? { id: e.id, userId: offices, item: true } : { id: e.id, userId: null, item: null };
  });
}

/** At most one `changed` per second on a wallboard stream: a busy network would otherwise have every page re-read at each event. */
const WALLBOARD_THROTTLE_MS = 1000;

/**
 * Routing (issue 12): operators' presence and offers, the queues, their settings and the wallboard.
 * `kick` runs after each change that may let an item move (a routing pass and the next timer).
 */
export function registerRoutingRoutes(root: FastifyInstance, ctx: AppContext, kick: () => Promise<void>): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;
  // Sessions, or a token with the `routing` scope (a softphone or desk integration).
  const operators = { access: access.authenticatedWith('routing') };
  // Supervisors' pages: people, through a session; the service checks the office.
  const supervisors = { access: access.authenticated };

  const operatorView = async (actor: Actor) => {
    const view = await service.operatorView(db, actor);
    // The offered items in one read (the console polls this).
    const items = new Map((await repo.findItems(db, view.offers.map((o) => o.itemId))).map((i) => [i.id, i]));
    const offers = view.offers.flatMap((o) => {
      const item = items.get(o.itemId);
      return item ? [{ offer: presentOffer(o), item: presentItem(item) }] : [];
    });
    return {
      state: view.state ? presentOperator(view.state) : null,
      offices: view.offices.map((o) => ({ id: o.id, name: o.name, organisationId: o.organisationId })),
      offers,
      items: view.items.map(presentItem),
    };
  };

  app.get('/api/v1/routing/me', {
    config: operators,
    schema: { ...tags, summary: 'Il mio stato di operatore: presenza, uffici, offerte in attesa di risposta e contatti in carico', response: { 200: s.OperatorViewSchema } },
  }, async (request) => operatorView(requireActor(request)));

  app.put('/api/v1/routing/me/presence', {
    config: operators,
    schema: { ...tags, summary: 'Cambia la mia presenza (disponibile, occupato, post-contatto, pausa, disconnesso) e l’ufficio per cui ricevo contatti', body: s.PresenceBody, response: { 200: s.OperatorViewSchema, ...errorResponses(403, 409, 422) } },
  }, async (request) => {
    const actor = requireActor(request);
    const state = await service.setPresence(db, actor, request.body, new Date());
    if (state.presence === 'available') await kick();
    return operatorView(actor);
  });

  app.post('/api/v1/routing/offers/:id/accept', {
    config: operators,
    schema: { ...tags, summary: 'Accetta un contatto offerto (entro la scadenza dell’offerta)', params: s.IdParams, response: { 200: s.OfferWithItemSchema, ...errorResponses(404, 409) } },
  }, async (request) => {
    const accepted = await service.acceptOffer(db, requireActor(request), request.params.id, new Date());
    return { offer: presentOffer(accepted.offer), item: presentItem(accepted.item) };
  });

  app.post('/api/v1/routing/offers/:id/decline', {
    config: operators,
    schema: { ...tags, summary: 'Rifiuta un contatto offerto: torna in coda e non ti sarà offerto di nuovo', params: s.IdParams, response: { ...errorResponses(404, 409) } },
  }, async (request, reply) => {
    await service.declineOffer(db, requireActor(request), request.params.id, new Date());
    await kick();
    return reply.status(204).send();
  });

  app.post('/api/v1/routing/items/:id/complete', {
    config: operators,
    schema: { ...tags, summary: 'Chiude un contatto in carico (conversazione finita, e-mail risposta) e libera il posto', params: s.IdParams, body: s.CompleteBody, response: { 200: s.WorkItemSchema, ...errorResponses(404, 409) } },
  }, async (request) => {
    const item = await service.completeItem(db, requireActor(request), request.params.id, request.body, new Date());
    await kick();
    return presentItem(item);
  });

  app.post('/api/v1/routing/items', {
    config: { access: access.authenticatedWith('routing', 'tickets:write') },
    schema: { ...tags, summary: 'Mette un contatto (chat, e-mail, richiesta web, richiamata) nella coda di un ufficio', body: s.EnqueueBody, response: { 201: s.WorkItemSchema, ...errorResponses(403, 404, 422) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const b = request.body;
    const office = await service.managedOffice(db, actor, b.officeId);
    const item = await service.enqueue(db, office, { ...b, notBefore: b.notBefore ? new Date(b.notBefore) : null }, actor.userId, new Date());
    await kick();
    return reply.status(201).send(presentItem((await repo.findItem(db, item.id))!));
  });

  app.delete('/api/v1/routing/items/:id', {
    config: supervisors,
    schema: { ...tags, summary: 'Toglie dalla coda un contatto in attesa o in offerta', params: s.IdParams, response: { 200: s.WorkItemSchema, ...errorResponses(403, 404) } },
  }, async (request) => {
    const actor = requireActor(request);
    const found = await repo.findItem(db, request.params.id);
    if (!found) throw errors.itemNotFound({ id: request.params.id });
    await service.managedOffice(db, actor, found.officeId);
    return presentItem((await service.cancelItem(db, found.id, new Date()))!);
  });

  app.get('/api/v1/routing/queue', {
    config: supervisors,
    schema: { ...tags, summary: 'I contatti in coda, in offerta e in carico di un ufficio', querystring: s.QueueQuery, response: { 200: Type.Object({ items: Type.Array(s.WorkItemSchema) }), ...errorResponses(403, 404) } },
  }, async (request) => ({ items: (await service.officeQueue(db, requireActor(request), request.query.officeId, request.query.status ?? null)).map(presentItem) }));

  app.get('/api/v1/routing/offices/:officeId/settings', {
    config: supervisors,
    schema: { ...tags, summary: 'Impostazioni della coda di un ufficio: soglie di trabocco, scadenza delle offerte, livello di servizio, numeri chiamati', params: s.OfficeParams, response: { 200: s.SettingsSchema, ...errorResponses(403, 404) } },
  }, async (request, reply) => {
    const settings = await service.queueSettings(db, requireActor(request), request.params.officeId);
    reply.header('etag', etagOf(settings.version));
    return settings;
  });

  app.put('/api/v1/routing/offices/:officeId/settings', {
    config: supervisors,
    schema: { ...tags, summary: 'Salva le impostazioni della coda (If-Match facoltativo)', params: s.OfficeParams, body: s.SettingsBody, response: { 200: s.SettingsSchema, ...errorResponses(403, 404, 409, 412) } },
  }, async (request, reply) => {
    const settings = await service.saveQueueSettings(db, requireActor(request), request.params.officeId, request.body, expectedVersion(request, false), new Date());
    reply.header('etag', etagOf(settings.version));
    await kick();
    return settings;
  });

  app.get('/api/v1/routing/offices/:officeId/operators', {
    config: supervisors,
    schema: { ...tags, summary: 'Operatori dell’ufficio con presenza, competenze, capacità e carico', params: s.OfficeParams, response: { 200: s.OperatorsSchema, ...errorResponses(403, 404) } },
  }, async (request) => ({ items: (await service.officeOperators(db, requireActor(request), request.params.officeId)).map((o) => ({ ...presentOperator(o), name: o.name })) }));

  app.put('/api/v1/routing/operators/:userId/profile', {
    config: supervisors,
    schema: { ...tags, summary: 'Competenze (temi, lingue, canali), capacità per canale e interno telefonico di un operatore', params: s.UserParams, body: s.ProfileBody, response: { 200: s.OperatorStateSchema, ...errorResponses(403, 404) } },
  }, async (request) => presentOperator(await service.saveOperatorProfile(db, requireActor(request), request.params.userId, request.body, new Date())));

  app.get('/api/v1/routing/wallboard', {
    config: supervisors,
    schema: { ...tags, summary: 'Pannello in tempo reale: attese, operatori per stato, livello di servizio, abbandoni, trabocchi (per ufficio e in totale)', querystring: s.WallboardQuery, response: { 200: s.WallboardSchema, ...errorResponses(403) } },
  }, async (request) => wallboard(db, requireActor(request), request.query.officeId ?? null, new Date()));

  // The wallboard's stream: `changed` (with the offices) when its figures may have moved, at most
  // once a second. One feed per instance reads the routing events for every open wallboard.
  const wallboardFeed = ctx.realtime.addFeed<true>({
    channel: REALTIME_CHANNELS.outbox,
    latestId: () => latestOutboxId(db),
    fetchAfter: async (afterId, limit) => wallboardFeedRows(await outboxEventsAfter(db, afterId, 'routing.', limit)),
  });
  app.get('/api/v1/routing/wallboard/stream', {
    config: { ...supervisors, rateLimit: false },
    schema: { ...tags, summary: 'Flusso SSE del pannello: evento changed (con gli uffici) quando le sue cifre possono essere cambiate, al più una volta al secondo', querystring: s.WallboardQuery, response: { ...errorResponses(403) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const offices = await wallboardOffices(db, actor, request.query.officeId ?? null);
    holdEventStream(ctx.realtime, actor, request, reply, { retryMs: 3000 }, (stream) => {
      const changed = new Set<string>();
      let lastWrite = 0;
      let timer: NodeJS.Timeout | null = null;
      const flush = () => {
        timer = null;
        lastWrite = Date.now();
        stream.send('changed', { officeIds: [...changed] });
        changed.clear();
      };
      const unsubscribes = offices.map((office) => wallboardFeed.subscribe(office.id, () => {
        changed.add(office.id);
        timer ??= setTimeout(flush, Math.max(0, lastWrite + WALLBOARD_THROTTLE_MS - Date.now()));
      }));
      return () => {
        for (const unsubscribe of unsubscribes) unsubscribe();
        if (timer) clearTimeout(timer);
      };
    });
  });

  app.post('/api/v1/routing/erlang', {
    config: { access: access.authenticated },
    schema: { ...tags, summary: 'Calcolatore Erlang C / Erlang A: livello di servizio, attesa media e abbandoni per un organico, o l’organico minimo per un obiettivo', body: s.ErlangBody, response: { 200: s.ErlangSchema, ...errorResponses(422) } },
  }, async (request) => {
    const b = request.body;
    const traffic = { arrivalRate: b.callsPerHour / 3600, handleTime: b.handleSeconds, ...(b.model === 'A' && b.patienceSeconds !== undefined && { patience: b.patienceSeconds }) };
    const evaluate = (agents: number) => (b.model === 'A' && b.patienceSeconds !== undefined ? erlangA({ ...traffic, patience: b.patienceSeconds }, agents, b.serviceLevelSeconds) : erlangC(traffic, agents, b.serviceLevelSeconds));
    const metrics = b.agents !== undefined ? evaluate(b.agents) : requiredAgents(traffic, { serviceLevel: b.targetServiceLevel ?? 0.8, targetTime: b.serviceLevelSeconds });
    return {
      model: b.model,
      agents: metrics.agents,
      rostered: rosteredStaff(metrics.agents, b.shrinkage ?? 0),
      load: metrics.load,
      waitProbability: metrics.waitProbability,
      serviceLevel: metrics.serviceLevel,
      averageWaitSeconds: Number.isFinite(metrics.averageWait) ? metrics.averageWait : 86400,
      abandonment: metrics.abandonment,
      occupancy: metrics.occupancy,
      stable: metrics.stable,
    };
  });

  // The console's stream: offers made to the operator, offers withdrawn or lapsed, items assigned.
  // One feed per instance reads the routing events once for every open console.
  const consoleFeed = ctx.realtime.addFeed<ConsoleEvent>({
    channel: REALTIME_CHANNELS.outbox,
    latestId: () => latestOutboxId(db),
    fetchAfter: async (afterId, limit) => consoleFeedRows(await outboxEventsAfter(db, afterId, 'routing.', limit)),
  });
  app.get('/api/v1/routing/stream', {
    config: { ...operators, rateLimit: false },
    schema: { ...tags, summary: 'Flusso SSE della console: offerte (offer), offerte chiuse (offer_closed), contatti assegnati (assigned)' },
  }, async (request, reply) => {
    const actor = requireActor(request);
    holdEventStream(ctx.realtime, actor, request, reply, { retryMs: 3000 }, (stream) => consoleFeed.subscribe(actor.userId, (e) => stream.send(e.event, e.data)));
  });
}
