import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../../platform/auth.js';
import type { AppContext } from '../../../platform/context.js';
import { etagOf, expectedVersion } from '../../../platform/http.js';
import { access } from '../../../platform/policy.js';
import { errorResponses, Uuid } from '../../../platform/schema.js';
import { nextStatuses } from './action-status.js';
import type { ActionPlan } from './actions.repository.js';
import * as s from './actions.schemas.js';
import * as service from './actions.service.js';

const tags = { tags: ['analytics'] };

export const presentAction = (a: ActionPlan) => ({
  ...a,
  nextStatuses: [...nextStatuses(a.status)],
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});

/** Preventive and corrective actions and their measured effect (issue 14). */
export function registerActionRoutes(root: FastifyInstance, ctx: AppContext, deps: service.ActionDeps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;
  // Sessions only: planning is people's work, checked per organisation by the service.
  const members = { access: access.authenticated };

  app.get('/api/v1/analytics/actions', {
    config: members,
    schema: { ...tags, summary: "Azioni preventive e correttive degli enti dell'utente (tutta la rete per il coordinamento): prima le aperte, per scadenza", querystring: s.ActionsQuery, response: { 200: Type.Object({ items: Type.Array(s.ActionSchema) }) } },
  }, async (request) => {
    const { status, organisationId, limit } = request.query;
    const items = await service.listActions(db, requireActor(request), { ...(status && { status }), ...(organisationId && { organisationId }) }, limit ?? 50);
    return { items: items.map(presentAction) };
  });

  app.post('/api/v1/analytics/actions', {
    config: members,
    schema: { ...tags, summary: "Crea un'azione da un allarme, una tendenza o una lacuna delle FAQ, sulla porzione di contatti che vuole cambiare", body: s.NewActionBody, response: { 201: s.ActionSchema, ...errorResponses(400, 403, 422) } },
  }, async (request, reply) => {
    const created = await service.createAction(db, requireActor(request), request.body);
    reply.status(201).header('location', `/api/v1/analytics/actions/${created.id}`).header('etag', etagOf(created.version));
    return presentAction(created);
  });

  app.get('/api/v1/analytics/actions/owners', {
    config: members,
    schema: {
      ...tags,
      summary: "Le persone a cui si può affidare un'azione dell'ente (i suoi membri attivi), per chi ne pianifica le azioni",
      querystring: Type.Object({ organisationId: Uuid }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, name: Type.String() })) }), ...errorResponses(400, 403) },
    },
  }, async (request) => ({ items: await service.possibleOwners(db, requireActor(request), request.query.organisationId) }));

  app.get('/api/v1/analytics/actions/:id', {
    config: members,
    schema: { ...tags, summary: "Un'azione con il suo effetto misurato: contatti osservati contro la previsione fatta prima dell'azione, con intervallo all'80%", params: s.ActionIdParams, response: { 200: s.ActionEffectSchema, ...errorResponses(404) } },
  }, async (request, reply) => {
    const action = await service.readableAction(db, requireActor(request), request.params.id);
    reply.header('etag', etagOf(action.version));
    return { action: presentAction(action), effect: await service.actionEffect(deps, action) };
  });

  app.patch('/api/v1/analytics/actions/:id', {
    config: members,
    schema: {
      ...tags,
      summary: "Modifica un'azione (If-Match obbligatorio); passando a «done» si fissa la previsione controfattuale dal giorno in cui ha avuto effetto",
      params: s.ActionIdParams,
      body: s.ActionChangeBody,
      response: { 200: s.ActionSchema, ...errorResponses(400, 403, 404, 409, 412, 422, 428) },
    },
  }, async (request, reply) => {
    const saved = await service.changeAction(db, deps, requireActor(request), request.params.id, expectedVersion(request), request.body);
    reply.header('etag', etagOf(saved.version));
    return presentAction(saved);
  });
}
