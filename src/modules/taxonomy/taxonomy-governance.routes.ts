import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Static, Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { etagOf, expectedVersion, idempotentCreate, type Trx } from '../../platform/http.js';
import { inLanguage, type Language, requestLanguage } from '../../platform/messages.js';
import { access } from '../../platform/policy.js';
import { errorResponses, Uuid } from '../../platform/schema.js';
import { type ChangeProblem, type ChangeResult, crosswalkToCsv, parseOperations, type TaxonomyOperation } from './taxonomy-changes.js';
import { taxonomyErrors as errors } from './taxonomy-governance.errors.js';
import * as s from './taxonomy-governance.schemas.js';
import * as service from './taxonomy-governance.service.js';
import type { LocalNode } from './taxonomy-local.js';
import { registerTaxonomyNotifications } from './taxonomy.handlers.js';
import { invalidateCurrentTaxonomy, listVersions, NETWORK_SCHEME, taxonomyVersion } from './taxonomy.service.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const tags = { tags: ['taxonomy'] };
const IdParams = Type.Object({ id: Uuid });

/** Operations as received, checked field by field (400 `taxonomy.invalid_operation` naming each mistake). */
function operationsOf(raw: readonly unknown[]): TaxonomyOperation[] {
  const parsed = parseOperations(raw);
  if (!parsed.ok) {
    throw errors.invalidOperations({ issues: parsed.problems });
  }
  return parsed.operations;
}

const languageOf = (request: FastifyRequest) => requestLanguage(request.headers['accept-language']);
/** The problems of a change in the caller's language (`message`; the code and path stay). */
const problemsIn = (problems: ChangeProblem[], lang: Language) => problems.map((p) => ({ code: p.code, path: p.path, message: inLanguage(p, lang) }));

function presentDraft(d: service.EvaluatedDraft, lang: Language) {
  return {
    id: d.id, baseVersion: d.baseVersion, version: d.version, status: d.status, note: d.note, revision: d.revision, operations: d.operations,
    createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString(), publishedAt: iso(d.publishedAt),
    document: d.result.document, crosswalk: d.result.crosswalk, problems: problemsIn(d.result.problems, lang),
  };
}

function presentProposal(p: service.Proposal) {
  return { ...p, decidedAt: iso(p.decidedAt), createdAt: p.createdAt.toISOString() };
}

function presentLocalNode(n: LocalNode) {
  return { ...n, createdAt: n.createdAt.toISOString(), updatedAt: n.updatedAt.toISOString() };
}

const validation = (result: ChangeResult, introduced: ChangeResult['problems'], lang: Language) => ({
  ok: result.problems.length === 0, problems: problemsIn(result.problems, lang), introduced: problemsIn(introduced, lang), crosswalk: result.crosswalk,
});

/** Drafts, publication, crosswalk, proposals and local nodes of the shared taxonomy. */
export function registerTaxonomyGovernanceRoutes(root: FastifyInstance, ctx: AppContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;
  registerTaxonomyNotifications(ctx.events, db);
  const tx = <T>(fn: (trx: Trx) => Promise<T>) => db.transaction().execute(fn);
  const withEtag = (reply: FastifyReply, d: service.EvaluatedDraft) => {
    reply.header('etag', etagOf(d.revision));
    return presentDraft(d, languageOf(reply.request));
  };
  const coordinator = { config: { access: access.permission('network:manage') } };

  // ------------------------------------------------------------------ drafts
  app.get('/api/v1/taxonomy/drafts', {
    ...coordinator,
    schema: { ...tags, summary: 'Bozze della tassonomia (coordinamento di rete)', response: { 200: Type.Object({ items: Type.Array(s.DraftSummarySchema) }), ...errorResponses(403) } },
  }, async (request) => ({
    items: (await service.listDrafts(db, requireActor(request))).map((d) => ({
      id: d.id, baseVersion: d.baseVersion, version: d.version, status: d.status, note: d.note, revision: d.revision, operationCount: d.operations.length,
      createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString(), publishedAt: iso(d.publishedAt),
    })),
  }));

  app.post('/api/v1/taxonomy/drafts', {
    ...coordinator,
    schema: {
      ...tags, summary: 'Apre la bozza della prossima versione a partire da quella corrente (Idempotency-Key per i tentativi ripetuti)', body: s.OpenDraftBody,
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
      response: { 201: s.DraftSchema, ...errorResponses(400, 403, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => {
      const draft = await service.openDraft(trx, actor, request.body);
      return { status: 201, body: presentDraft(draft, languageOf(request)), headers: { etag: etagOf(draft.revision) } };
    });
  });

  app.get('/api/v1/taxonomy/drafts/:id', {
    ...coordinator,
    schema: { ...tags, summary: 'Una bozza: modifiche, documento risultante, corrispondenze e problemi', params: IdParams, response: { 200: s.DraftSchema, ...errorResponses(403, 404) } },
  }, async (request, reply) => withEtag(reply, await service.getDraft(db, requireActor(request), request.params.id)));

  app.post('/api/v1/taxonomy/drafts/:id/operations', {
    ...coordinator,
    schema: {
      ...tags, summary: 'Applica modifiche alla bozza (tutte o nessuna; If-Match facoltativo con l\'ETag della bozza)', params: IdParams, body: s.OperationsBody,
      response: { 200: s.DraftSchema, ...errorResponses(400, 403, 404, 409, 412, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const operations = operationsOf(request.body.operations);
    return withEtag(reply, await tx((trx) => service.applyToDraft(trx, actor, request.params.id, operations, expectedVersion(request, false), new Date())));
  });

  app.post('/api/v1/taxonomy/drafts/:id/undo', {
    ...coordinator,
    schema: { ...tags, summary: "Annulla l'ultima modifica della bozza", params: IdParams, response: { 200: s.DraftSchema, ...errorResponses(403, 404, 409, 412) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    return withEtag(reply, await tx((trx) => service.undoLast(trx, actor, request.params.id, expectedVersion(request, false), new Date())));
  });

  app.post('/api/v1/taxonomy/drafts/:id/validate', {
    ...coordinator,
    schema: {
      ...tags, summary: 'Verifica la bozza, con eventuali modifiche aggiuntive, senza salvare nulla', params: IdParams, body: s.ValidateBody,
      response: { 200: s.ValidationSchema, ...errorResponses(400, 403, 404) },
    },
  }, async (request) => {
    const operations = operationsOf(request.body.operations ?? []);
    const { result, introduced } = await service.validateDraft(db, requireActor(request), request.params.id, operations);
    return validation(result, introduced, languageOf(request));
  });

  app.post('/api/v1/taxonomy/drafts/:id/publish', {
    ...coordinator,
    schema: {
      ...tags, summary: 'Pubblica la bozza come versione corrente, in modo atomico (tutto o niente)', params: IdParams,
      response: { 200: s.PublishResultSchema, ...errorResponses(403, 404, 409, 412, 422) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const result = await tx((trx) => service.publishDraft(trx, actor, request.params.id, expectedVersion(request, false), new Date()));
    invalidateCurrentTaxonomy();
    return result;
  });

  app.post('/api/v1/taxonomy/drafts/:id/discard', {
    ...coordinator,
    schema: { ...tags, summary: 'Scarta la bozza', params: IdParams, response: { 200: s.DraftSummarySchema, ...errorResponses(403, 404, 409) } },
  }, async (request) => {
    const d = await tx((trx) => service.discardDraft(trx, requireActor(request), request.params.id, new Date()));
    return {
      id: d.id, baseVersion: d.baseVersion, version: d.version, status: d.status, note: d.note, revision: d.revision, operationCount: d.operations.length,
      createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString(), publishedAt: iso(d.publishedAt),
    };
  });

  // ------------------------------------------------------------------ crosswalk
  app.get('/api/v1/taxonomy/versions/:version/crosswalk', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: {
      ...tags, summary: 'Corrispondenze verso questa versione dalla precedente (JSON o CSV)', params: Type.Object({ version: Type.String({ pattern: '^\\d+\\.\\d+\\.\\d+$' }) }),
      querystring: s.CrosswalkQuery, produces: ['application/json', 'text/csv'], response: { ...errorResponses(404) },
    },
  }, async (request, reply) => {
    const { version } = request.params;
    if (!(await listVersions(db)).some((v) => v.version === version)) throw errors.versionNotFound({ version });
    const { fromVersion, entries } = await service.crosswalkInto(db, version);
    if (request.query.format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${NETWORK_SCHEME}-${version}-crosswalk.csv"`)
        .send(crosswalkToCsv(NETWORK_SCHEME, fromVersion ?? '', version, entries));
    }
    const body: Static<typeof s.CrosswalkSchema> = { scheme: NETWORK_SCHEME, fromVersion, toVersion: version, entries, note: 'I codici non elencati sono invariati tra le due versioni.' };
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.get('/api/v1/taxonomy/translate', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: {
      ...tags, summary: 'Traduce un codice da una versione a un\'altra (predefinita: la corrente) seguendo le corrispondenze', querystring: s.TranslateQuery,
      response: { 200: s.TranslationSchema, ...errorResponses(400, 404) },
    },
  }, async (request) => {
    const q = request.query;
    const out = await service.translateCode(db, { facet: q.facet, code: q.code, fromVersion: q.fromVersion, ...(q.toVersion && { toVersion: q.toVersion }) });
    const target = await taxonomyVersion(db, out.toVersion);
    return {
      facet: q.facet, code: q.code, fromVersion: out.fromVersion, toVersion: out.toVersion, lost: out.lost,
      targets: out.targets.map((t) => ({ ...t, label: target.nodes.get(`${q.facet}:${t.code}`)?.label ?? null })),
    };
  });

  // ------------------------------------------------------------------ proposals
  app.get('/api/v1/taxonomy/proposals', {
    config: { access: access.authenticatedWith('admin') },
    schema: {
      ...tags, summary: 'Proposte di modifica: tutte per il coordinamento, quelle dei propri enti per gli altri', querystring: s.ProposalQuery,
      response: { 200: Type.Object({ items: Type.Array(s.ProposalSchema) }) },
    },
  }, async (request) => ({ items: (await service.listProposals(db, requireActor(request), request.query.status)).map(presentProposal) }));

  app.post('/api/v1/taxonomy/proposals', {
    config: { access: access.authenticated },
    schema: {
      ...tags, summary: "Un ente (amministratore o responsabile) propone modifiche, con la motivazione (Idempotency-Key per i tentativi ripetuti)", body: s.CreateProposalBody,
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
      response: { 201: s.ProposalSchema, ...errorResponses(400, 403, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const operations = operationsOf(request.body.operations);
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => ({
      status: 201,
      body: presentProposal(await service.createProposal(trx, actor, { organisationId: request.body.organisationId, operations, rationale: request.body.rationale })),
    }));
  });

  app.post('/api/v1/taxonomy/proposals/:id/approve', {
    ...coordinator,
    schema: {
      ...tags, summary: 'Approva una proposta: le modifiche entrano nella bozza aperta', params: IdParams,
      response: { 200: s.ProposalSchema, ...errorResponses(403, 404, 409, 422) },
    },
  }, async (request) => presentProposal(await tx((trx) => service.approveProposal(trx, requireActor(request), request.params.id, new Date()))));

  app.post('/api/v1/taxonomy/proposals/:id/reject', {
    ...coordinator,
    schema: {
      ...tags, summary: 'Respinge una proposta (motivo obbligatorio, notificato al proponente)', params: IdParams, body: s.RejectBody,
      response: { 200: s.ProposalSchema, ...errorResponses(400, 403, 404, 409) },
    },
  }, async (request) => presentProposal(await tx((trx) => service.rejectProposal(trx, requireActor(request), request.params.id, request.body.reason, new Date()))));

  // ------------------------------------------------------------------ local nodes
  app.get('/api/v1/taxonomy/local-nodes', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: {
      ...tags, summary: "Nodi locali dei propri enti (o dell'ente indicato)", querystring: s.LocalNodeQuery,
      response: { 200: Type.Object({ items: Type.Array(s.LocalNodeSchema) }), ...errorResponses(403) },
    },
  }, async (request) => ({ items: (await service.localNodesFor(db, requireActor(request), request.query.organisationId)).map(presentLocalNode) }));

  app.post('/api/v1/taxonomy/local-nodes', {
    config: { access: access.permission('org:manage') },
    schema: {
      ...tags, summary: "Aggiunge un nodo locale dell'ente sotto un nodo di rete della versione corrente (Idempotency-Key per i tentativi ripetuti)", body: s.CreateLocalNodeBody,
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
      response: { 201: s.LocalNodeSchema, ...errorResponses(400, 403, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => {
      const node = await service.createLocalNode(trx, actor, request.body);
      return { status: 201, body: presentLocalNode(node), headers: { etag: etagOf(node.version) } };
    });
  });

  app.patch('/api/v1/taxonomy/local-nodes/:id', {
    config: { access: access.permission('org:manage') },
    schema: {
      ...tags, summary: 'Modifica un nodo locale o lo ricolloca sotto un altro nodo di rete', params: IdParams, body: s.UpdateLocalNodeBody,
      response: { 200: s.LocalNodeSchema, ...errorResponses(400, 404, 412, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const node = await tx((trx) => service.updateLocalNode(trx, actor, request.params.id, request.body, expectedVersion(request, false), new Date()));
    reply.header('etag', etagOf(node.version));
    return presentLocalNode(node);
  });

  app.delete('/api/v1/taxonomy/local-nodes/:id', {
    config: { access: access.permission('org:manage') },
    schema: { ...tags, summary: 'Ritira un nodo locale (resta per lo storico, non più selezionabile)', params: IdParams, response: { 200: s.LocalNodeSchema, ...errorResponses(404) } },
  }, async (request) => presentLocalNode(await tx((trx) => service.retireLocalNode(trx, requireActor(request), request.params.id, new Date()))));
}
