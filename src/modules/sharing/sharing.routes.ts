import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { expectedVersion, idempotentCreate, type Trx } from '../../platform/http.js';
import { requestLanguage } from '../../platform/messages.js';
import * as notifications from '../../platform/notifications.js';
import { access } from '../../platform/policy.js';
import type { Actor } from '../../platform/actor.js';
import { type BroadcastFeed, CHANNELS, latestOutboxId, type OutboxRow, outboxEventsAfter } from '../../platform/realtime.js';
import { holdEventStream } from '../../platform/event-stream.js';
import { errorResponses, StringEnum, Uuid } from '../../platform/schema.js';
import { OfficeSchema, presentOffice } from '../identity/index.js';
import { CodeParams, TICKET_STATUSES, listParticipants, listTasks, listTransfersOfTicket, openTicket, type Participant, type Task, type TicketAccess, type Transfer, ticketAudience } from '../tickets/index.js';
import * as repo from './sharing.repository.js';
import * as s from './sharing.schemas.js';
import * as service from './sharing.service.js';
import { registerOfficeNotifications } from './sharing.handlers.js';
import { registerTicketNotifications } from './ticket-notifications.js';
import { registerOrganisationExitRoutes } from './organisation-exit.routes.js';
import { registerCompetenceRoutes } from './competences.routes.js';
import { invalidateCompetenceIndex } from './competences.service.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function presentShare(p: Participant) {
  return {
    id: p.id, ticketId: p.ticketId, officeId: p.officeId, officeName: p.officeName, organisationId: p.organisationId, organisationName: p.organisationName,
    mode: p.mode, status: p.status, shareRequester: p.shareRequester, reason: p.reason, declineReason: p.declineReason,
    requestedAt: p.requestedAt.toISOString(), respondedAt: iso(p.respondedAt),
  };
}

function presentTransfer(t: Transfer) {
  return {
    id: t.id, ticketId: t.ticketId, kind: t.kind, fromOfficeId: t.fromOfficeId, fromOfficeName: t.fromOfficeName, toOfficeId: t.toOfficeId, toOfficeName: t.toOfficeName,
    reasonCode: t.reasonCode, reason: t.reason, status: t.status, declineReason: t.declineReason, requestedAt: t.requestedAt.toISOString(), respondedAt: iso(t.respondedAt),
  };
}

function presentTask(t: Task) {
  return { ...t, dueAt: iso(t.dueAt), createdAt: t.createdAt.toISOString(), completedAt: iso(t.completedAt) };
}

function presentAgreement(a: repo.Agreement) {
  return { ...a, proposedAt: a.proposedAt.toISOString(), decidedAt: iso(a.decidedAt) };
}

const tags = { tags: ['network'] };
const RequestSummary = Type.Object({ code: Type.String(), subject: Type.String(), topic: Type.Union([Type.String(), Type.Null()]), status: StringEnum(TICKET_STATUSES), ownerOffice: Type.String() });

export function registerSharingRoutes(root: FastifyInstance, ctx: AppContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;
  registerTicketNotifications(ctx.events, db);
  registerOfficeNotifications(ctx.events, db);
  registerCompetenceRoutes(root, ctx);
  registerOrganisationExitRoutes(root, ctx);
  const tx = <T>(fn: (trx: Trx) => Promise<T>) => db.transaction().execute(fn);
  const streams = new Set<() => void>();
  // preClose, not onClose: the server waits for open connections, and a stream never ends by itself.
  root.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  // ------------------------------------------------------------------ participants of a ticket
  app.get('/api/v1/tickets/:code/participants', {
    config: { access: access.permission('tickets:read') },
    schema: {
      ...tags, summary: 'Uffici coinvolti nel ticket, trasferimenti e attività', params: CodeParams,
      response: { 200: Type.Object({ shares: Type.Array(s.ShareSchema), transfers: Type.Array(s.TransferSchema), tasks: Type.Array(s.TaskSchema) }), ...errorResponses(404) },
    },
  }, async (request) => {
    const { ticket } = await openTicket(db, requireActor(request), request.params.code);
    const [shares, transfers, tasks] = await Promise.all([listParticipants(db, ticket.id), listTransfersOfTicket(db, ticket.id), listTasks(db, ticket.id)]);
    return { shares: shares.map(presentShare), transfers: transfers.map(presentTransfer), tasks: tasks.map(presentTask) };
  });

  app.post('/api/v1/tickets/:code/shares', {
    config: { access: access.permission('tickets:write') },
    schema: {
      ...tags, summary: 'Condivide il ticket con un altro ufficio (consultazione o collaborazione)', params: CodeParams, body: s.CreateShareBody,
      response: { 201: s.ShareSchema, ...errorResponses(400, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => ({ status: 201, body: presentShare(await service.shareTicket(trx, actor, request.params.code, request.body, new Date())) }));
  });

  for (const decision of ['accept', 'decline'] as const) {
    app.post(`/api/v1/shares/:id/${decision}`, {
      config: { access: access.permission('tickets:write') },
      schema: {
        ...tags, summary: decision === 'accept' ? 'Accetta una richiesta di condivisione' : 'Rifiuta una richiesta di condivisione (motivo obbligatorio)',
        params: Type.Object({ id: Uuid }), ...(decision === 'decline' && { body: s.RespondBody }), response: { 200: s.ShareSchema, ...errorResponses(400, 403, 404, 409) },
      },
    }, async (request) => {
      const actor = requireActor(request);
      const reason = (request.body as { reason?: string } | undefined)?.reason;
      return presentShare(await tx((trx) => service.respondToShare(trx, actor, request.params.id, decision, reason, new Date())));
    });
  }

  app.post('/api/v1/shares/:id/revoke', {
    config: { access: access.permission('tickets:write') },
    schema: { ...tags, summary: "L'ufficio titolare revoca una condivisione", params: Type.Object({ id: Uuid }), response: { 200: s.ShareSchema, ...errorResponses(403, 404, 409) } },
  }, async (request) => {
    const actor = requireActor(request);
    return presentShare(await tx((trx) => service.revokeShare(trx, actor, request.params.id, new Date())));
  });

  app.get('/api/v1/requests/incoming', {
    config: { access: access.permission('tickets:read') },
    schema: {
      ...tags, summary: 'Richieste di condivisione e trasferimenti in attesa per i miei uffici',
      response: {
        200: Type.Object({
          shares: Type.Array(Type.Object({ share: s.ShareSchema, ticket: RequestSummary })),
          transfers: Type.Array(Type.Object({ transfer: s.TransferSchema, ticket: RequestSummary })),
        }),
      },
    },
  }, async (request) => {
    const r = await service.incomingRequests(db, requireActor(request));
    return { shares: r.shares.map((x) => ({ share: presentShare(x.share), ticket: x.ticket })), transfers: r.transfers.map((x) => ({ transfer: presentTransfer(x.transfer), ticket: x.ticket })) };
  });

  // ------------------------------------------------------------------ transfers and escalations
  app.post('/api/v1/tickets/:code/transfers', {
    config: { access: access.permission('tickets:write') },
    schema: {
      ...tags, summary: "Trasferisce o inoltra il ticket a un altro ufficio (di qualsiasi ente); il cittadino mantiene il codice", params: CodeParams, body: s.CreateTransferBody,
      response: { 201: s.TransferSchema, ...errorResponses(400, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => ({ status: 201, body: presentTransfer(await service.requestTransfer(trx, actor, request.params.code, request.body, new Date())) }));
  });

  for (const decision of ['accept', 'decline'] as const) {
    app.post(`/api/v1/transfers/:id/${decision}`, {
      config: { access: access.permission('tickets:write') },
      schema: {
        ...tags, summary: decision === 'accept' ? 'Prende in carico un ticket trasferito' : 'Rifiuta un trasferimento (motivo obbligatorio)',
        params: Type.Object({ id: Uuid }), ...(decision === 'decline' && { body: s.RespondBody }), response: { 200: s.TransferSchema, ...errorResponses(400, 403, 404, 409) },
      },
    }, async (request) => {
      const actor = requireActor(request);
      const reason = (request.body as { reason?: string } | undefined)?.reason;
      return presentTransfer(await tx((trx) => service.respondToTransfer(trx, actor, request.params.id, decision, reason, new Date())));
    });
  }

  app.post('/api/v1/transfers/:id/cancel', {
    config: { access: access.permission('tickets:write') },
    schema: { ...tags, summary: 'Annulla un trasferimento in attesa', params: Type.Object({ id: Uuid }), response: { 200: s.TransferSchema, ...errorResponses(403, 404, 409) } },
  }, async (request) => {
    const actor = requireActor(request);
    return presentTransfer(await tx((trx) => service.cancelTransfer(trx, actor, request.params.id, new Date())));
  });

  // ------------------------------------------------------------------ tasks
  app.post('/api/v1/tickets/:code/tasks', {
    config: { access: access.permission('tickets:write') },
    schema: { ...tags, summary: "Crea un'attività per l'ufficio titolare o per un ufficio che collabora", params: CodeParams, body: s.CreateTaskBody, response: { 201: s.TaskSchema, ...errorResponses(400, 403, 404, 422) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => ({ status: 201, body: presentTask(await service.createTask(trx, actor, request.params.code, request.body, new Date())) }));
  });

  app.patch('/api/v1/tasks/:id', {
    config: { access: access.permission('tickets:write') },
    schema: { ...tags, summary: "Completa, annulla o riassegna un'attività", params: Type.Object({ id: Uuid }), body: s.UpdateTaskBody, response: { 200: s.TaskSchema, ...errorResponses(400, 403, 404, 412, 422) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const task = await tx((trx) => service.updateTask(trx, actor, request.params.id, expectedVersion(request, false), request.body, new Date()));
    reply.header('etag', `"${task.version}"`);
    return presentTask(task);
  });

  // ------------------------------------------------------------------ directory and competences
  app.get('/api/v1/directory', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: {
      ...tags, summary: 'Chi è competente? Uffici della rete per argomento e territorio (anche da una domanda in linguaggio naturale)',
      querystring: Type.Object(
        {
          q: Type.Optional(Type.String({ maxLength: 300 })), topic: Type.Optional(Type.String({ pattern: '^[a-z0-9_.]+$' })),
          territory: Type.Optional(Type.String({ pattern: '^[0-9]{2,6}$' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
        },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          place: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
          topics: Type.Array(Type.Object({ code: Type.String(), label: Type.String() })),
          results: Type.Array(Type.Object({ office: OfficeSchema, organisationName: Type.String(), organisationType: Type.String(), topics: Type.Array(Type.String()), score: Type.Number(), reasons: Type.Array(Type.String()) })),
        }),
      },
    },
  }, async (request) => {
    const q = request.query;
    const result = await service.searchDirectory(db, { ...(q.q && { q: q.q }), ...(q.topic && { topic: q.topic }), ...(q.territory && { territory: q.territory }), limit: q.limit ?? 10, lang: requestLanguage(request.headers['accept-language']) });
    return { ...result, results: result.results.map((r) => ({ ...r, office: presentOffice(r.office) })) };
  });

  app.get('/api/v1/offices/:id/competences', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: { ...tags, params: Type.Object({ id: Uuid }), response: { 200: Type.Object({ items: Type.Array(Type.Object({ officeId: Uuid, topic: Type.String(), territory: Type.Array(Type.String()) })) }) } },
  }, async (request) => ({ items: await repo.listCompetences(db, request.params.id) }));

  app.put('/api/v1/offices/:id/competences', {
    config: { access: access.authenticatedWith('tickets:write', 'admin') },
    schema: {
      ...tags, summary: "Dichiara le competenze dell'ufficio (argomenti della tassonomia e territorio ISTAT)", params: Type.Object({ id: Uuid }), body: s.CompetencesBody,
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ officeId: Uuid, topic: Type.String(), territory: Type.Array(Type.String()) })) }), ...errorResponses(403, 422) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const items = await tx((trx) => service.setCompetences(trx, actor, request.params.id, request.body.competences));
    invalidateCompetenceIndex(db);
    return { items };
  });

  // ------------------------------------------------------------------ network agreements
  app.get('/api/v1/agreements', {
    config: { access: access.authenticatedWith('admin') },
    schema: { ...tags, summary: 'Accordi di rete dei miei enti', response: { 200: Type.Object({ items: Type.Array(s.AgreementSchema) }) } },
  }, async (request) => {
    const actor = requireActor(request);
    return { items: (await repo.listAgreements(db, [...new Set(actor.grants.map((g) => g.organisationId))])).map(presentAgreement) };
  });

  app.post('/api/v1/agreements', {
    config: { access: access.permission('org:manage') },
    schema: { ...tags, summary: 'Propone un accordo di rete (chi può inviare cosa a chi, per quali argomenti, con accettazione automatica o no)', body: s.CreateAgreementBody, response: { 201: s.AgreementSchema, ...errorResponses(400, 403, 404, 422) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const b = request.body;
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => ({
      status: 201,
      body: presentAgreement(await service.proposeAgreement(trx, actor, { ...b, topics: b.topics ?? [], autoAccept: b.autoAccept ?? false }, new Date())),
    }));
  });

  for (const decision of ['approve', 'reject', 'revoke'] as const) {
    app.post(`/api/v1/agreements/:id/${decision}`, {
      config: { access: access.permission('org:manage') },
      schema: { ...tags, params: Type.Object({ id: Uuid }), response: { 200: s.AgreementSchema, ...errorResponses(403, 404, 409) } },
    }, async (request) => {
      const actor = requireActor(request);
      return presentAgreement(await tx((trx) => service.decideAgreement(trx, actor, request.params.id, decision, new Date())));
    });
  }

  // ------------------------------------------------------------------ notifications
  app.get('/api/v1/notifications', {
    config: { access: access.authenticatedWith('notifications') },
    schema: {
      tags: ['notifications'], summary: 'Le mie notifiche', querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), afterId: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ unread: Type.Integer(), items: Type.Array(s.NotificationSchema) }) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const items = await notifications.listNotifications(db, actor.userId, { lang: requestLanguage(request.headers['accept-language']), unreadOnly: request.query.unread ?? false, ...(request.query.afterId !== undefined && { afterId: request.query.afterId }), limit: 50 });
    return { unread: await notifications.countUnread(db, actor.userId), items: items.map((n) => ({ ...n, createdAt: n.createdAt.toISOString(), readAt: iso(n.readAt) })) };
  });

  app.post('/api/v1/notifications/read', {
    config: { access: access.authenticatedWith('notifications') },
    schema: { tags: ['notifications'], summary: 'Segna come lette (tutte o alcune)', body: Type.Object({ ids: Type.Optional(Type.Array(Type.Integer(), { maxItems: 500 })) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    await notifications.markRead(db, requireActor(request).userId, request.body.ids ?? 'all', new Date());
    return reply.status(204).send();
  });

  // Server-sent events: new notifications of the caller, and changes to the tickets the caller may
  // see. Nothing is polled per connection: the instance's realtime hub (one LISTEN connection)
  // fetches each batch of new rows once and hands every open stream what it may see; rows committed
  // on any instance arrive here. The stream ends when its credential stops holding (logout, expiry,
  // revocation, deactivation, on any instance): the hub re-checks all open streams in one query on
  // each such write, and keeps them alive with one timer.
  const notificationFeed = ctx.realtime.addFeed({
    channel: CHANNELS.notifications,
    latestId: () => notifications.latestNotificationId(db),
    fetchAfter: async (afterId, limit) => (await notifications.listNotificationsAfter(db, afterId, limit)).map((n) => ({ id: n.id, userId: n.userId, item: n })),
  });
  const ticketFeed: BroadcastFeed<TicketStreamEvent> = ctx.realtime.addBroadcastFeed({
    channel: CHANNELS.outbox,
    latestId: () => latestOutboxId(db),
    fetchAfter: async (afterId, limit, fresh) => {
      const events = await outboxEventsAfter(db, afterId, 'ticket.', limit);
      // Who may see each ticket is loaded once per ticket for all the instance's streams, only when
      // a stream is open to receive it, and only for events not handed on yet.
      const audiences = new Map<string, Awaited<ReturnType<typeof ticketAudience>>>();
      if (ticketFeed.subscribers() > 0) {
        for (const e of events) {
          const ticketId = fresh(e.id) ? ticketIdOf(e) : null;
          if (ticketId && !audiences.has(ticketId)) audiences.set(ticketId, await ticketAudience(db, ticketId));
        }
      }
      return events.map((e) => ({ id: e.id, item: ticketStreamEvent(e, audiences.get(ticketIdOf(e) ?? '') ?? null) }));
    },
  });
  app.get('/api/v1/notifications/stream', {
    config: { access: access.authenticatedWith('notifications'), rateLimit: false },
    // Events: `notification` (with id, replayed from Last-Event-ID) and `ticket` ({ code, topic, at },
    // without id: a client that reconnects re-reads its tickets).
    schema: { tags: ['notifications'], summary: 'Flusso SSE delle nuove notifiche (text/event-stream)' },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const lang = requestLanguage(request.headers['accept-language']);
    // A browser that reconnects says what it saw last: replay what it missed meanwhile.
    const lastEventId = Number(request.headers['last-event-id']);
    const missed = Number.isSafeInteger(lastEventId) && lastEventId > 0 ? await notifications.listNotifications(db, actor.userId, { afterId: lastEventId, limit: 50, lang }) : [];
    const end = holdEventStream(ctx.realtime, actor, request, reply, { retryMs: 5000 }, (stream) => {
      let sentId = 0;
      const send = (n: notifications.Notification) => {
        if (n.id <= sentId) return;
        sentId = n.id;
        stream.send('notification', { ...n, createdAt: n.createdAt.toISOString(), readAt: iso(n.readAt) }, n.id);
      };
      for (const n of missed.reverse()) send(n);
      const unsubscribe = notificationFeed.subscribe(actor.userId, (n) => send(notifications.presentNotification(n, lang)));
      // No `id:` line: Last-Event-ID keeps naming the last notification (ticket changes are not replayed).
      const unsubscribeTickets = ticketFeed.subscribe((t) => {
        if (t.visibleTo(actor)) stream.send('ticket', t.event);
      });
      return () => {
        unsubscribe();
        unsubscribeTickets();
        streams.delete(end);
      };
    });
    streams.add(end);
  });
}

/** What a stream sends about a ticket change: enough to re-read the ticket through the API, nothing it would hide. */
interface TicketStreamEvent {
  event: { code: string; topic: string; at: string };
  visibleTo(actor: Actor): boolean;
}

const ticketIdOf = (e: OutboxRow): string | null => {
  const payload = e.payload as { ticketId?: unknown };
  return typeof payload?.ticketId === 'string' ? payload.ticketId : e.aggregateId;
};

/**
 * A ticket event for the streams: shown to whoever may see the ticket (the tickets module's access
 * rule); an internal note only to the sides of the note's organisation, as the thread shows it.
 */
function ticketStreamEvent(e: OutboxRow, accessOf: ((actor: Actor) => TicketAccess | null) | null): TicketStreamEvent {
  const payload = e.payload as { code?: unknown; organisationId?: unknown };
  const code = typeof payload?.code === 'string' ? payload.code : '';
  return {
    event: { code, topic: e.topic, at: e.createdAt.toISOString() },
    visibleTo(actor) {
      const access = accessOf?.(actor) ?? null;
      if (!access || code === '') return false;
      return e.topic !== 'ticket.note_added' || access.organisationId === payload.organisationId;
    },
  };
}
