import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { access } from '../../platform/policy.js';
import { errorResponses } from '../../platform/schema.js';
import type { FaqSearchEngine } from '../knowledge/index.js';
import { currentTaxonomy } from '../taxonomy/index.js';
import { openTicket } from '../tickets/index.js';
import { ClassificationError } from './classification.errors.js';
import { listModels, type StoredModel } from './model-store.js';
import { registerClassificationHandlers } from './classification.handlers.js';
import { recordFeedback } from './suggestion-feedback.js';
import { suggestionErrors, toAppError } from './suggestion.errors.js';
import * as s from './suggestion.schemas.js';
import { ModelCache, suggest } from './suggestion.service.js';
import { trainAndStoreModels } from './training-job.js';

const tags = { tags: ['classification'] };

function presentModel(m: StoredModel & Partial<Pick<Awaited<ReturnType<typeof listModels>>[number], 'feedback' | 'suggestions'>>) {
  return { ...m, trainedAt: m.trainedAt.toISOString() };
}

/** The models this app instance suggests with; exposed for the retraining timer and tests. */
export interface ClassificationRuntime {
  cache: ModelCache;
}

/** `faqSearch`: the instance's FAQ search, whose answers' topics take part in the topic suggestions. */
export function registerClassificationRoutes(root: FastifyInstance, ctx: AppContext, faqSearch?: Pick<FaqSearchEngine, 'search'>): ClassificationRuntime {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;
  const cache = new ModelCache(db);
  registerClassificationHandlers(ctx.events, db, cache);

  app.post('/api/v1/classification/suggest', {
    config: { access: access.permission('tickets:write') },
    schema: {
      ...tags, summary: 'Suggerisce tema e tipo del contatto dal testo (i 3 codici più probabili per faccetta)', body: s.SuggestBody,
      response: { 200: s.SuggestionSchema, ...errorResponses(400, 409, 422) },
    },
  }, async (request) => suggest(db, cache, requireActor(request), request.body, faqSearch));

  app.post('/api/v1/classification/feedback', {
    config: { access: access.permission('tickets:write') },
    schema: {
      ...tags, summary: 'Registra la conferma o la correzione di un suggerimento (alimenta il prossimo addestramento)', body: s.FeedbackBody,
      response: { 200: s.FeedbackResult, ...errorResponses(400, 403, 404, 409, 422) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { suggestionId, ticketCode, choices } = request.body;
    const tax = await currentTaxonomy(db);
    for (const c of choices) {
      const node = tax.nodes.get(`${c.facet}:${c.code}`);
      if (!node || node.deprecated) throw suggestionErrors.invalidCode({ facet: c.facet, code: c.code });
    }
    const ticketId = ticketCode ? (await openTicket(db, actor, ticketCode)).ticket.id : null;
    const recorded = await db.transaction().execute((trx) => recordFeedback(trx, actor, suggestionId, choices, ticketId, new Date()));
    return { recorded };
  });

  app.get('/api/v1/classification/models', {
    config: { access: access.permission('network:manage') },
    schema: {
      ...tags, summary: 'Storico dei modelli del classificatore, con metriche e tassi di accettazione dei suggerimenti', querystring: s.ModelListQuery,
      response: { 200: Type.Object({ items: Type.Array(s.ModelSchema) }), ...errorResponses(400) },
    },
  }, async (request) => ({ items: (await listModels(db, request.query.limit ?? 50)).map(presentModel) }));

  app.post('/api/v1/classification/models/train', {
    config: { access: access.permission('network:manage') },
    schema: {
      ...tags, summary: 'Addestra ora nuovi modelli (tema e tipo) dai ticket chiusi, dalle FAQ e dalla tassonomia',
      response: { 201: Type.Object({ items: Type.Array(s.ModelSchema) }), ...errorResponses(409, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    try {
      const stored = await trainAndStoreModels(db, { trigger: 'manual', userId: actor.userId });
      cache.invalidate();
      return reply.status(201).send({ items: stored.map(presentModel) });
    } catch (err) {
      if (err instanceof ClassificationError) throw toAppError(err);
      throw err;
    }
  });

  return { cache };
}
