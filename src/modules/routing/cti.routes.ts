import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { access } from '../../platform/policy.js';
import { CHANNELS as REALTIME_CHANNELS, latestOutboxId, outboxEventsAfter } from '../../platform/realtime.js';
import { errorResponses } from '../../platform/schema.js';
import * as cti from './cti.service.js';
import * as s from './routing.schemas.js';
import { mayManageQueue } from './routing.service.js';

const tags = { tags: ['cti'] };

/** What the PBX hears on its WebSocket: ring an operator, bridge a call to the operator who took it. */
interface PbxMessage {
  organisationId: string | null;
  officeId: string;
  message: Record<string, unknown>;
}

/**
 * The telephony interface (docs/cti.md): HTTP for what the PBX reports, a WebSocket for what urpnet
 * tells it. A PBX authenticates with an API token of scope `cti` of a supervisor or administrator
 * of the offices whose numbers it serves.
 */
export function registerCtiRoutes(root: FastifyInstance, ctx: AppContext, kick: () => Promise<void>): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;
  const pbx = { access: access.authenticatedWith('cti') };

  app.post('/api/v1/cti/calls', {
    config: pbx,
    schema: {
      ...tags,
      summary: 'Il centralino annuncia una chiamata in arrivo (chiamante, numero chiamato → ufficio) e riceve la decisione: in coda (posizione, attesa stimata, richiamata proposta) o ufficio chiuso',
      body: s.CallBody,
      response: { 200: s.CallRouteSchema, 201: s.CallRouteSchema, ...errorResponses(403, 409, 422) },
    },
  }, async (request, reply) => {
    const { route, created } = await cti.incomingCall(db, requireActor(request), request.body, new Date());
    if (created && route.decision === 'queued') await kick();
    return reply.status(created ? 201 : 200).send(route);
  });

  app.get('/api/v1/cti/calls/:callId', {
    config: pbx,
    schema: { ...tags, summary: 'Lo stato di una chiamata', params: s.CallParams, response: { 200: s.CallRouteSchema, ...errorResponses(403, 404) } },
  }, async (request) => cti.findCall(db, requireActor(request), request.params.callId, new Date()));

  app.post('/api/v1/cti/calls/:callId/events', {
    config: pbx,
    schema: {
      ...tags,
      summary: 'Il centralino riferisce un evento della chiamata: risposta, fine, abbandono, richiamata richiesta (eventi ripetuti: nessun effetto)',
      params: s.CallParams,
      body: s.CallEventBody,
      response: { 200: s.CallEventResultSchema, ...errorResponses(403, 404, 409, 422) },
    },
  }, async (request) => {
    const result = await cti.callEvent(db, requireActor(request), request.params.callId, request.body, new Date());
    if (result.changed) await kick();
    return { changed: result.changed, call: result.route, callbackItemId: result.callback?.id ?? null };
  });

  // Offers and assignments of calls, for the PBX to ring and bridge the operator's extension.
  const pbxFeed = ctx.realtime.addBroadcastFeed<PbxMessage | null>({
    channel: REALTIME_CHANNELS.outbox,
    latestId: () => latestOutboxId(db),
    fetchAfter: async (afterId, limit) => {
      const events = await outboxEventsAfter(db, afterId, 'routing.', limit);
      return events.map((e) => {
        const p = e.payload as Record<string, unknown>;
        if (e.topic === 'routing.item_assigned' && (p.channel === 'phone' || p.channel === 'callback')) {
          return { id: e.id, item: { organisationId: e.organisationId, officeId: String(p.officeId), message: { type: 'call.assigned', callId: p.callId, itemId: p.itemId, userId: p.userId, extension: p.extension, channel: p.channel } } };
        }
        if (e.topic === 'routing.item_ended') return { id: e.id, item: { organisationId: e.organisationId, officeId: String(p.officeId), message: { type: 'item.ended', itemId: p.itemId, outcome: p.outcome } } };
        return { id: e.id, item: null };
      });
    },
  });

  app.get('/api/v1/cti/stream', {
    config: { ...pbx, rateLimit: false },
    websocket: true,
    schema: { ...tags, summary: 'WebSocket del centralino: riceve call.assigned (chiamata da collegare all’interno dell’operatore) e item.ended' },
  }, (socket, request) => {
    const actor = requireActor(request);
    const send = (m: PbxMessage | null) => {
      if (!m || !mayManageQueue(actor, { id: m.officeId, organisationId: m.organisationId ?? '' })) return;
      socket.send(JSON.stringify(m.message));
    };
    socket.send(JSON.stringify({ type: 'hello', userId: actor.userId }));
    const unsubscribe = pbxFeed.subscribe(send);
    const release = ctx.realtime.holdCredential(actor, { end: () => socket.close(4401, 'credenziali scadute'), keepAlive: () => socket.ping() });
    socket.on('close', () => {
      unsubscribe();
      release();
    });
  });
}
