import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { idempotentCreate } from '../../platform/http.js';
import { requestLanguage } from '../../platform/messages.js';
import { access } from '../../platform/policy.js';
import { errorResponses, IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';
import { currentTaxonomy, nodeLabel } from '../taxonomy/index.js';
import { CodeParams, TICKET_STATUSES } from '../tickets/index.js';
import { INCIDENT_STATUSES } from './incidents.service.js';
import * as service from './incidents.service.js';

const IncidentSchema = Type.Object({
  id: Uuid, organisationId: Uuid, organisationName: Type.String(), officeId: Uuid, title: Type.String(), description: Type.String(), topic: Nullable(Type.String()),
  territory: Type.Array(Type.String()), status: StringEnum(INCIDENT_STATUSES), createdAt: IsoDateTime, resolvedAt: Nullable(IsoDateTime), ticketCount: Type.Integer(),
});

const SimilarItemSchema = Type.Object({
  ref: Type.String({ description: 'Opaque, stable reference of the ticket (not its code): use it to ask the owning office to share, link or open an incident' }),
  readable: Type.Boolean({ description: 'The caller may open the ticket: then `code` is given and the subject is the original' }),
  code: Type.Optional(Type.String()),
  subject: Type.String({ description: 'Without personal data when the ticket is not readable' }),
  topic: Nullable(Type.Object({ code: Type.String(), label: Type.String() })),
  office: Type.Object({ id: Uuid, name: Type.String() }),
  organisation: Type.Object({ id: Uuid, name: Type.String() }),
  createdAt: IsoDateTime, status: StringEnum(TICKET_STATUSES), score: Type.Number(), incidentId: Nullable(Uuid),
});

const present = (i: service.Incident) => ({ ...i, createdAt: i.createdAt.toISOString(), resolvedAt: i.resolvedAt?.toISOString() ?? null });
const tags = { tags: ['network'] };

export function registerIncidentRoutes(root: FastifyInstance, ctx: AppContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;

  app.get('/api/v1/tickets/similar', {
    config: { access: access.permission('tickets:read') },
    schema: {
      ...tags,
      summary: 'Ticket aperti simili in tutta la rete (stesso problema: testo, argomento, territorio, periodo); i ticket che non puoi leggere sono confrontati e mostrati solo senza dati personali, con un riferimento opaco',
      querystring: Type.Object(
        {
          text: Type.String({ minLength: 3, maxLength: 5000 }), topic: Type.Optional(Type.String({ pattern: '^[a-z0-9_.]+$' })),
          territory: Type.Optional(Type.String({ pattern: '^[0-9]{2,6}$' })), officeId: Type.Optional(Uuid), excludeCode: Type.Optional(Type.String({ maxLength: 20 })),
          windowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ items: Type.Array(SimilarItemSchema) }) },
    },
  }, async (request) => {
    const q = request.query;
    const items = await service.similarTickets(db, requireActor(request), {
      text: q.text, ...(q.topic && { topic: q.topic }), ...(q.territory && { territory: q.territory }), ...(q.officeId && { officeId: q.officeId }),
      ...(q.excludeCode && { excludeCode: q.excludeCode }), ...(q.windowDays && { windowDays: q.windowDays }), ...(q.limit && { limit: q.limit }),
    });
    const tax = await currentTaxonomy(db);
    const lang = requestLanguage(request.headers['accept-language']);
    const topic = (code: string | null) => (code ? { code, label: nodeLabel(tax, 'tema', code, lang) } : null);
    return {
      items: items.map((t) => ({
        ref: service.similarRef(ctx.config.secret, t.id), readable: t.readable, ...(t.readable && { code: t.code }), subject: t.subject, topic: topic(t.topic),
        office: { id: t.officeId, name: t.officeName }, organisation: { id: t.organisationId, name: t.organisationName }, createdAt: t.createdAt.toISOString(),
        status: t.status, score: t.score, incidentId: t.incidentId,
      })),
    };
  });

  app.post('/api/v1/tickets/similar/:ref/requests', {
    config: { access: access.permission('tickets:write'), rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: {
      ...tags, summary: "Chiede all'ufficio titolare di un ticket simile di condividerlo, di collegarvi un proprio contatto o di aprire un incidente",
      params: Type.Object({ ref: Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' }) }),
      body: Type.Object(
        { kind: StringEnum(['link', 'share', 'incident'] as const), ticketCode: Type.String({ minLength: 9, maxLength: 20 }), message: Type.Optional(Type.String({ maxLength: 2000 })) },
        { additionalProperties: false },
      ),
      response: { 202: Type.Object({ id: Uuid }), ...errorResponses(400, 404, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const result = await db.transaction().execute((trx) => service.requestAboutSimilar(trx, actor, ctx.config.secret, request.params.ref, request.body, new Date()));
    return reply.status(202).send(result);
  });

  app.post('/api/v1/tickets/:code/duplicate-of', {
    config: { access: access.permission('tickets:write') },
    schema: {
      ...tags, summary: "Collega il contatto a un ticket esistente della rete segnandolo come duplicato (esito «duplicato»)", params: CodeParams,
      body: Type.Object({ targetCode: Type.String({ minLength: 9, maxLength: 20 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ code: Type.String(), duplicateOf: Type.String() }), ...errorResponses(403, 404, 409, 422) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    return db.transaction().execute((trx) => service.markDuplicate(trx, actor, request.params.code, request.body.targetCode, new Date()));
  });

  app.get('/api/v1/incidents', {
    config: { access: access.authenticatedWith('tickets:read') },
    schema: {
      ...tags, summary: 'Incidenti (molti contatti sullo stesso problema)', querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('all')])) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(IncidentSchema) }) },
    },
  }, async (request) => ({ items: (await service.listIncidents(db, request.query.status ?? 'open')).map(present) }));

  app.post('/api/v1/incidents', {
    config: { access: access.permission('tickets:write') },
    schema: {
      ...tags, summary: 'Apre un incidente',
      body: Type.Object(
        { officeId: Uuid, title: Type.String({ minLength: 3, maxLength: 200 }), description: Type.String({ minLength: 3, maxLength: 5000 }), topic: Type.Optional(Type.String({ pattern: '^[a-z0-9_.]+$' })), territory: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{2,6}$' }), { maxItems: 200 })) },
        { additionalProperties: false },
      ),
      response: { 201: IncidentSchema, ...errorResponses(400, 403, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => ({ status: 201, body: present(await service.createIncident(trx, actor, request.body, new Date())) }));
  });

  app.get('/api/v1/incidents/:id', {
    config: { access: access.authenticatedWith('tickets:read') },
    schema: {
      ...tags, params: Type.Object({ id: Uuid }),
      response: { 200: Type.Object({ incident: IncidentSchema, tickets: Type.Array(Type.Object({ code: Type.String(), subject: Type.String(), status: StringEnum(TICKET_STATUSES), officeName: Type.String(), canReply: Type.Boolean() })) }), ...errorResponses(404) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    return { incident: present(await service.getIncident(db, request.params.id)), tickets: await service.incidentTickets(db, actor, request.params.id) };
  });

  app.post('/api/v1/incidents/:id/tickets', {
    config: { access: access.permission('tickets:write') },
    schema: { ...tags, summary: "Collega un ticket all'incidente", params: Type.Object({ id: Uuid }), body: Type.Object({ code: Type.String({ minLength: 9, maxLength: 20 }) }, { additionalProperties: false }), response: { 200: IncidentSchema, ...errorResponses(403, 404, 409) } },
  }, async (request) => {
    const actor = requireActor(request);
    return present(await db.transaction().execute((trx) => service.linkTicket(trx, actor, request.params.id, request.body.code, new Date())));
  });

  app.post('/api/v1/incidents/:id/reply', {
    config: { access: access.permission('tickets:write') },
    schema: {
      ...tags, summary: "Risposta unica a tutti i cittadini coinvolti (sui ticket a cui puoi rispondere)", params: Type.Object({ id: Uuid }),
      body: Type.Object({ body: Type.String({ minLength: 3, maxLength: 20_000 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ replied: Type.Array(Type.String()), skipped: Type.Integer() }), ...errorResponses(404) },
    },
  }, async (request) => service.massReply(db, requireActor(request), request.params.id, request.body.body, new Date()));

  app.post('/api/v1/incidents/:id/resolve', {
    config: { access: access.permission('tickets:write') },
    schema: { ...tags, params: Type.Object({ id: Uuid }), response: { 200: IncidentSchema, ...errorResponses(403, 404, 409) } },
  }, async (request) => {
    const actor = requireActor(request);
    return present(await db.transaction().execute((trx) => service.resolveIncident(trx, actor, request.params.id, new Date())));
  });
}
