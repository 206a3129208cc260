import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import * as identity from '../identity/index.js';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { platformErrors } from '../../platform/errors.js';
import { checkVersion, etagOf, expectedVersion } from '../../platform/http.js';
import { access, canManageOrganisation } from '../../platform/policy.js';
import { errorResponses } from '../../platform/schema.js';
import { createDataSubjectRequest, readableOrganisations, searchDataSubject } from './data-subject-requests.js';
import { privacyErrors as errors } from './privacy.errors.js';
import * as repo from './privacy.repository.js';
import * as s from './privacy.schemas.js';

const tags = { tags: ['privacy'] };

const presentPolicy = (p: repo.RetentionPolicy) => ({
  organisationId: p.organisationId, requesterMonths: p.requesterMonths, attachmentMonths: p.attachmentMonths, isDefault: p.version === 0, version: p.version,
  updatedAt: p.updatedAt?.toISOString() ?? null,
});

const presentRun = (r: repo.RetentionRun) => ({ ...r, startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null });

const presentRequest = (r: repo.DataSubjectRequest) => ({
  id: r.id, kind: r.kind, organisationId: r.organisationId, status: r.status, criteriaKinds: r.criteriaKinds, candidateCount: r.candidateCount, matched: r.matched, result: r.result,
  createdAt: r.createdAt.toISOString(), executedAt: r.executedAt?.toISOString() ?? null, exportAvailable: r.exportAvailable, exportExpiresAt: r.exportExpiresAt?.toISOString() ?? null,
  exportDownloadedAt: r.exportDownloadedAt?.toISOString() ?? null,
});

/** Retention settings and runs, and the data subject's requests (issue 13). Administrators only. */
export function registerPrivacyRoutes(root: FastifyInstance, ctx: AppContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = ctx;

  const assertManages = async (organisationId: string, actor: ReturnType<typeof requireActor>) => {
    if (!(await identity.findOrganisation(db, organisationId))) throw platformErrors.forbidden();
    if (!canManageOrganisation(actor, organisationId)) throw platformErrors.forbidden();
  };

  app.get('/api/v1/organisations/:id/retention', {
    config: { access: access.permission('org:manage') },
    schema: { ...tags, summary: "Periodi di conservazione dei dati personali dell'ente (mesi dopo la chiusura del ticket)", params: s.IdParams, response: { 200: s.RetentionPolicySchema, ...errorResponses(403) } },
  }, async (request, reply) => {
    await assertManages(request.params.id, requireActor(request));
    const policy = await repo.findPolicy(db, request.params.id);
    reply.header('etag', etagOf(policy.version));
    return presentPolicy(policy);
  });

  app.put('/api/v1/organisations/:id/retention', {
    config: { access: access.permission('org:manage') },
    schema: {
      ...tags, summary: 'Imposta i periodi di conservazione (1–120 mesi; If-Match obbligatorio, "0" finché valgono i predefiniti)', params: s.IdParams, body: s.RetentionPolicyBody,
      response: { 200: s.RetentionPolicySchema, ...errorResponses(400, 403, 412, 428) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    await assertManages(request.params.id, actor);
    const current = await repo.findPolicy(db, request.params.id);
    const expected = expectedVersion(request);
    checkVersion(expected, current.version);
    const saved = await repo.savePolicy(db, { organisationId: request.params.id, ...request.body, actorId: actor.userId, expectedVersion: current.version, now: new Date() });
    if (!saved) throw platformErrors.preconditionFailed();
    reply.header('etag', etagOf(saved.version));
    return presentPolicy(saved);
  });

  app.get('/api/v1/privacy/retention-runs', {
    config: { access: access.permission('org:manage') },
    schema: { ...tags, summary: 'Esecuzioni della cancellazione per scadenza (solo conteggi), degli enti amministrati', querystring: s.RetentionRunsQuery, response: { 200: Type.Object({ items: Type.Array(s.RetentionRunSchema) }), ...errorResponses(403) } },
  }, async (request) => {
    const actor = requireActor(request);
    const { organisationId, limit } = request.query;
    if (organisationId) await assertManages(organisationId, actor);
    const readable = readableOrganisations(actor);
    const scope = organisationId ? [organisationId] : readable;
    return { items: (await repo.listRuns(db, scope, limit ?? 25)).map(presentRun) };
  });

  app.post('/api/v1/privacy/requests/search', {
    config: { access: access.permission('org:manage') },
    schema: {
      ...tags, summary: "Cerca l'interessato in tutta la rete (e-mail, telefono, codice fiscale, nome): dati completi solo degli enti amministrati, degli altri solo conteggi",
      body: s.CriteriaBody, response: { 200: s.SearchResultSchema, ...errorResponses(400, 422) },
    },
  }, async (request) => searchDataSubject(db, config.secret, requireActor(request), request.body));

  app.post('/api/v1/privacy/requests', {
    config: { access: access.permission('org:manage') },
    schema: {
      ...tags, summary: "Registra ed esegue una richiesta di cancellazione (art. 17) o di accesso (art. 15) per i candidati scelti, in tutti gli enti che ne trattano i dati",
      body: s.NewRequestBody, response: { 201: s.DataSubjectRequestSchema, ...errorResponses(400, 403, 409, 422) },
    },
  }, async (request, reply) => {
    const created = await createDataSubjectRequest(db, { secret: config.secret, dataDir: config.dataDir }, requireActor(request), request.body);
    reply.status(201).header('location', `/api/v1/privacy/requests/${created.id}`);
    return presentRequest(created);
  });

  app.get('/api/v1/privacy/requests', {
    config: { access: access.permission('org:manage') },
    schema: { ...tags, summary: 'Richieste degli interessati registrate dagli enti amministrati (senza dati personali)', querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })) }), response: { 200: Type.Object({ items: Type.Array(s.DataSubjectRequestSchema) }) } },
  }, async (request) => ({ items: (await repo.listRequests(db, readableOrganisations(requireActor(request)), request.query.limit ?? 25)).map(presentRequest) }));

  const readableRequest = async (id: string, actor: ReturnType<typeof requireActor>) => {
    const found = await repo.findRequest(db, id);
    const readable = readableOrganisations(actor);
    if (!found || (readable !== 'all' && !readable.includes(found.organisationId))) throw errors.requestNotFound({ id });
    return found;
  };

  app.get('/api/v1/privacy/requests/:id', {
    config: { access: access.permission('org:manage') },
    schema: { ...tags, summary: 'Una richiesta (senza dati personali)', params: s.IdParams, response: { 200: s.DataSubjectRequestSchema, ...errorResponses(404) } },
  }, async (request) => presentRequest(await readableRequest(request.params.id, requireActor(request))));

  app.get('/api/v1/privacy/requests/:id/export', {
    config: { access: access.permission('org:manage') },
    schema: {
      ...tags, summary: "Scarica l'esportazione di una richiesta di accesso: una sola volta, solo chi l'ha registrata, entro 7 giorni",
      params: s.IdParams, response: { 200: Type.Record(Type.String(), Type.Unknown()), ...errorResponses(404, 410) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const found = await readableRequest(request.params.id, actor);
    const exported = await repo.takeExport(db, found.id, actor.userId, new Date());
    if (exported === null) throw errors.exportGone();
    reply.header('cache-control', 'no-store').header('content-disposition', `attachment; filename="accesso-${found.id}.json"`);
    return exported as Record<string, unknown>;
  });
}
