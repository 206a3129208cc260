import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { decodeCursor, encodeCursor, etagOf, expectedVersion, idempotentCreate, type Trx } from '../../platform/http.js';
import { access } from '../../platform/policy.js';
import { errorResponses, Nullable } from '../../platform/schema.js';
import * as s from './faq-editorial.schemas.js';
import { FaqIdParams } from './knowledge.schemas.js';
import * as service from './faq-editorial.service.js';
import type { FaqSearchEngine } from './faq-search.js';
import { registerKnowledgeNotifications } from './knowledge.handlers.js';
import { renderTemplate } from './faq-template.js';
import { faqStatusList } from './knowledge.repository.js';

const tags = { tags: ['faq'] };
const iso = (d: Date | null) => d?.toISOString() ?? null;

function presentSummary(v: ReturnType<typeof service.summaryView>) {
  const f = v.faq;
  return {
    id: f.id, externalId: f.externalId, title: f.title, workingTitle: f.revision?.title ?? f.title, lang: f.lang, scope: f.scope, owner: f.ownerLabel,
    organisation: f.organisationId ? { id: f.organisationId, name: f.organisationName ?? f.ownerLabel } : null,
    ownerUser: f.ownerId ? { id: f.ownerId, name: f.ownerName ?? '' } : null, tema: f.revision?.tema ?? f.tema, tipo: f.revision?.tipo ?? f.tipo,
    status: f.status, workflowState: v.workflowState, hasRevision: f.revision !== null, live: v.live, version: f.version, publishedVersion: f.publishedVersion,
    reviewBy: f.reviewBy, publishAt: iso(f.publishAt), expiresAt: iso(f.expiresAt), updatedAt: f.updatedAt.toISOString(),
    adoptedFrom: f.adoptedFrom ? { id: f.adoptedFrom, title: f.adoptedFromTitle ?? '' } : null, flags: v.flags, permissions: v.permissions,
  };
}

function presentEditorial(v: service.EditorialView) {
  const f = v.faq;
  return {
    ...presentSummary(v),
    // title/body: the live text as readers see it (local fields of network templates rendered with
    // their defaults); source: the stored text with its {{fields}}, which editors edit.
    title: renderTemplate(f.title), body: renderTemplate(f.body), source: { title: f.title, body: f.body },
    tema: f.tema, tipo: f.tipo, enteCompetente: f.enteCompetente, tags: f.tags, canonicalId: f.canonicalId,
    revision: f.revision && f.revisionStatus ? { ...f.revision, status: f.revisionStatus } : null,
    reviewNote: f.reviewNote, publishedAt: iso(f.publishedAt), createdAt: f.createdAt.toISOString(), localFields: f.localFields,
    templateFields: v.templateFields,
    adoptions: v.adoptions.map((a) => ({ id: a.id, organisation: { id: a.organisationId, name: a.organisationName } })),
    translations: v.translations.map((t) => ({ ...t, updatedAt: t.updatedAt.toISOString() })),
    canonical: v.canonical, sourceVersion: f.sourceVersion, outdated: v.outdated,
  };
}

/**
 * The FAQ editorial routes (authoring, workflow, versions, adoption, translations) and the
 * editorial clock, a job that runs every minute on one instance of the network. Every write
 * invalidates the instance's search index; other instances see the knowledge revision move.
 */
export function registerFaqEditorialRoutes(root: FastifyInstance, ctx: AppContext, engine: FaqSearchEngine): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;
  const Editorial = { 200: s.EditorialFaqSchema };
  registerKnowledgeNotifications(ctx.events, db);

  // Expiry, scheduled publication and owner notifications. Safe to retry: it publishes only what is
  // still scheduled, expires only what is still live, and notifies each flag occurrence once.
  ctx.jobs.define({
    name: 'knowledge.faq-editorial-clock',
    schedule: '* * * * *',
    retry: { limit: 0, delaySeconds: 0 },
    expireInSeconds: 5 * 60,
    async handler() {
      const r = await service.runEditorialJobs(db, new Date());
      if (r.expired + r.released > 0) engine.invalidate();
    },
  });

  /** Runs a write in a transaction, then refreshes this instance's search index. */
  async function write<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    const result = await db.transaction().execute(fn);
    engine.invalidate();
    return result;
  }

  app.get('/api/v1/faq', {
    config: { access: access.authenticatedWith('tickets:read') },
    schema: {
      ...tags, summary: 'FAQ per la redazione: filtri per stato, ambito, ente, referente, segnalazione e testo (paginazione a cursore)',
      querystring: s.ListFaqQuery, response: { 200: Type.Object({ items: Type.Array(s.FaqSummarySchema), nextCursor: Nullable(Type.String()) }), ...errorResponses(400, 401) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const q = request.query;
    const limit = q.limit ?? 25;
    const items = await service.listFaqs(db, actor, {
      ...(q.status !== undefined && { statuses: faqStatusList(q.status) }),
      ...(q.scope !== undefined && { scope: q.scope }),
      ...(q.organisationId !== undefined && { organisationId: q.organisationId }),
      ...(q.owner !== undefined && { owner: q.owner }),
      ...(q.flag !== undefined && { flag: q.flag }),
      ...(q.lang !== undefined && { lang: q.lang }),
      ...(q.q !== undefined && q.q.trim() !== '' && { text: q.q.trim() }),
      cursor: decodeCursor(q.cursor),
      limit,
    }, new Date());
    const last = items.at(-1)?.faq;
    return { items: items.map(presentSummary), nextCursor: items.length === limit && last ? encodeCursor({ at: last.updatedAt.toISOString(), id: last.id }) : null };
  });

  app.get('/api/v1/faq/editorial/flags', {
    config: { access: access.authenticated },
    schema: {
      ...tags, summary: 'FAQ segnalate (revisione scaduta, tassonomia cambiata, in scadenza): le mie (mine=true) o quelle che curo',
      querystring: s.FlagsQuery, response: { 200: Type.Object({ items: Type.Array(s.FaqSummarySchema) }), ...errorResponses(400, 401) },
    },
  }, async (request) => {
    const items = await service.listFlagged(db, requireActor(request), request.query.mine ?? false, new Date());
    return { items: items.map(presentSummary) };
  });

  app.post('/api/v1/faq', {
    config: { access: access.authenticated },
    schema: {
      ...tags, summary: 'Crea una bozza di FAQ (del proprio ente, o di rete per la redazione di rete; usa Idempotency-Key per i tentativi ripetuti)', body: s.CreateFaqBody,
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
      response: { 201: s.EditorialFaqSchema, ...errorResponses(400, 401, 403, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const created = await idempotentCreate(db, request, reply, actor.userId, async (trx) => {
      const view = await service.createFaq(trx, actor, request.body, new Date());
      return { status: 201, body: presentEditorial(view), headers: { etag: etagOf(view.faq.version), location: `/api/v1/faq/${view.faq.id}` } };
    });
    engine.invalidate();
    return created;
  });

  app.get('/api/v1/faq/:id', {
    config: { access: access.authenticatedWith('tickets:read') },
    schema: {
      ...tags, summary: 'Una FAQ con stato redazionale, segnalazioni, copia di lavoro, adozioni e traduzioni (le bozze solo a chi può vederle)',
      params: FaqIdParams, response: { ...Editorial, ...errorResponses(400, 401, 404) },
    },
  }, async (request, reply) => {
    const view = await service.getEditorialFaq(db, requireActor(request), request.params.id, new Date());
    reply.header('etag', etagOf(view.faq.version));
    return presentEditorial(view);
  });

  app.patch('/api/v1/faq/:id', {
    config: { access: access.authenticated },
    schema: {
      ...tags, summary: 'Modifica una FAQ (If-Match obbligatorio): su una FAQ pubblicata crea una copia di lavoro, il testo pubblicato resta visibile',
      params: FaqIdParams, body: s.UpdateFaqBody, response: { ...Editorial, ...errorResponses(400, 401, 403, 404, 409, 412, 422, 428) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const expected = expectedVersion(request);
    const view = await write((trx) => service.updateFaq(trx, actor, request.params.id, expected, request.body, new Date()));
    reply.header('etag', etagOf(view.faq.version));
    return presentEditorial(view);
  });

  app.post('/api/v1/faq/:id/transitions', {
    config: { access: access.authenticated },
    schema: {
      ...tags, summary: 'Azione del flusso redazionale: submit, reject, publish, archive, unarchive, discard (If-Match facoltativo)',
      params: FaqIdParams, body: s.TransitionBody, response: { ...Editorial, ...errorResponses(400, 401, 403, 404, 409, 412) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const expected = expectedVersion(request, false);
    const view = await write((trx) => service.applyAction(trx, actor, request.params.id, expected, request.body.action, request.body.note ?? null, new Date()));
    reply.header('etag', etagOf(view.faq.version));
    return presentEditorial(view);
  });

  app.get('/api/v1/faq/:id/versions', {
    config: { access: access.authenticatedWith('tickets:read') },
    schema: { ...tags, summary: 'Le versioni salvate di una FAQ, dalla più recente', params: FaqIdParams, response: { 200: Type.Object({ items: Type.Array(s.FaqVersionSchema) }), ...errorResponses(400, 401, 404) } },
  }, async (request) => {
    const versions = await service.listVersions(db, requireActor(request), request.params.id);
    return {
      items: versions.map((v) => ({
        version: v.version, status: v.status, title: v.title, body: v.body, tema: v.tema, tipo: v.tipo, enteCompetente: v.enteCompetente, tags: v.tags,
        changedBy: v.changedBy ? { id: v.changedBy, name: v.changedByName ?? '' } : null, changedAt: v.changedAt.toISOString(), note: v.note,
      })),
    };
  });

  app.get('/api/v1/faq/:id/diff', {
    config: { access: access.authenticatedWith('tickets:read') },
    schema: {
      ...tags, summary: 'Differenze parola per parola tra due versioni (predefinite: la precedente e l’ultima)',
      params: FaqIdParams, querystring: s.DiffQuery, response: { 200: s.DiffSchema, ...errorResponses(400, 401, 404, 422) },
    },
  }, async (request) => service.diffVersions(db, requireActor(request), request.params.id, request.query.from, request.query.to));

  app.post('/api/v1/faq/:id/rollback', {
    config: { access: access.authenticated },
    schema: {
      ...tags, summary: 'Ripristina il testo di una versione come nuova versione (su una FAQ pubblicata: copia di lavoro da rivedere e pubblicare)',
      params: FaqIdParams, body: s.RollbackBody, response: { ...Editorial, ...errorResponses(400, 401, 403, 404, 409, 412, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const expected = expectedVersion(request, false);
    const view = await write((trx) => service.rollback(trx, actor, request.params.id, expected, request.body.version, new Date()));
    reply.header('etag', etagOf(view.faq.version));
    return presentEditorial(view);
  });

  app.post('/api/v1/faq/:id/adopt', {
    config: { access: access.authenticated },
    schema: {
      ...tags, summary: 'L’ente adotta una FAQ di rete compilando i campi locali: nasce la variante locale, che segue il testo di rete',
      params: FaqIdParams, body: s.AdoptBody, response: { 201: s.EditorialFaqSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const b = request.body;
    const view = await write((trx) => service.adopt(trx, actor, request.params.id, { ...(b.organisationId && { organisationId: b.organisationId }), localFields: b.localFields ?? {} }, new Date()));
    reply.status(201).header('etag', etagOf(view.faq.version)).header('location', `/api/v1/faq/${view.faq.id}`);
    return presentEditorial(view);
  });

  app.delete('/api/v1/faq/:id/adoption', {
    config: { access: access.authenticated },
    schema: { ...tags, summary: 'Revoca l’adozione (elimina la variante locale; la FAQ di rete resta)', params: FaqIdParams, response: errorResponses(401, 403, 404, 409) },
  }, async (request, reply) => {
    const actor = requireActor(request);
    await write((trx) => service.unadopt(trx, actor, request.params.id));
    return reply.status(204).send();
  });

  app.get('/api/v1/faq/:id/translations', {
    config: { access: access.authenticatedWith('tickets:read') },
    schema: {
      ...tags, summary: 'Le traduzioni di una FAQ canonica, con quelle non aggiornate all’ultima versione pubblicata',
      params: FaqIdParams, response: { 200: Type.Object({ items: Type.Array(s.TranslationInfoSchema) }), ...errorResponses(400, 401, 404, 422) },
    },
  }, async (request) => {
    const items = await service.listTranslations(db, requireActor(request), request.params.id);
    return { items: items.map((t) => ({ ...t, updatedAt: t.updatedAt.toISOString() })) };
  });

  app.post('/api/v1/faq/:id/translations', {
    config: { access: access.authenticated },
    schema: {
      ...tags, summary: 'Crea la traduzione (en, de, fr, sl) di una FAQ: una bozza che segue lo stesso flusso redazionale',
      params: FaqIdParams, body: s.TranslationBody, response: { 201: s.EditorialFaqSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const view = await write((trx) => service.createTranslation(trx, actor, request.params.id, request.body, new Date()));
    reply.status(201).header('etag', etagOf(view.faq.version)).header('location', `/api/v1/faq/${view.faq.id}`);
    return presentEditorial(view);
  });
}
