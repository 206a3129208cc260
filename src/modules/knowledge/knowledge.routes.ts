import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { inLanguage, requestLanguage } from '../../platform/messages.js';
import { access } from '../../platform/policy.js';
import { errorResponses } from '../../platform/schema.js';
import type { LineProblem } from './faq-import.js';
import { registerFaqEditorialRoutes } from './faq-editorial.routes.js';
import { createFaqSearchEngine, type FaqSearchEngine, type FaqSearchResult, PORTAL_RELEVANCE_RATIO, relevanceCut } from './faq-search.js';
import * as repo from './knowledge.repository.js';
import * as s from './knowledge.schemas.js';
import * as service from './knowledge.service.js';
import type { SearchLanguage } from '../../platform/text/text-analysis.js';
import { registerCodeUsage } from '../taxonomy/index.js';
import { faqsUseCode } from './knowledge.repository.js';

const tags = { tags: ['faq'] };
const NO_TERMS = 'La domanda non contiene parole da cercare: scrivi, ad esempio, «rinnovo carta d’identità».';

function presentHit(item: FaqSearchResult['items'][number]) {
  const f = item.faq;
  return {
    id: f.id, externalId: f.externalId, title: f.title, snippet: item.snippet, score: item.score, lang: f.lang, scope: f.scope, owner: f.ownerLabel,
    organisation: f.organisationId ? { id: f.organisationId, name: f.organisationName ?? f.ownerLabel } : null, tema: f.tema, tags: f.tags,
  };
}

function presentFaq(f: Awaited<ReturnType<typeof service.getFaq>>) {
  return {
    id: f.id, externalId: f.externalId, title: f.title, body: f.body, lang: f.lang, scope: f.scope, owner: f.ownerLabel,
    organisation: f.organisationId ? { id: f.organisationId, name: f.organisationName ?? f.ownerLabel } : null, canonicalId: f.canonicalId,
    translations: f.translations, tema: f.tema, tipo: f.tipo, enteCompetente: f.enteCompetente, tags: f.tags, status: f.status, version: f.version,
    reviewBy: f.reviewBy, publishedAt: f.publishedAt?.toISOString() ?? null, updatedAt: f.updatedAt.toISOString(),
  };
}

function presentThesaurus(e: repo.StoredThesaurusEntry) {
  return { id: e.id, kind: e.kind, lang: e.lang, terms: e.terms, note: e.note, updatedAt: e.updatedAt.toISOString() };
}

async function runSearch(engine: FaqSearchEngine, q: { q: string; lang?: SearchLanguage; place?: string; limit?: number; prefix?: boolean }) {
  const result = await engine.search({ query: q.q, lang: q.lang ?? 'it', place: q.place ?? null, limit: q.limit ?? 10, prefix: q.prefix ?? false });
  const empty = result.interpretation.terms.length === 0;
  return { items: result.items.map(presentHit), lang: result.lang, interpretation: result.interpretation, ...(empty && { notice: NO_TERMS }) };
}

/** Registers the FAQ routes; returns the instance's search engine (an index cache of the database). */
export function registerKnowledgeRoutes(root: FastifyInstance, ctx: AppContext): FaqSearchEngine {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = ctx;
  const engine = createFaqSearchEngine(db);
  registerCodeUsage('faqs', faqsUseCode);
  root.addHook('onReady', async () => {
    await engine.warm().catch((err: unknown) => ctx.log.warn({ err }, 'FAQ search index not built at boot; it will be built on the first search'));
  });

  app.get('/api/v1/portal/faq/search', {
    // Anonymous and typed-as-you-go: a quarter of the general per-client limit.
    config: { access: access.public, rateLimit: { max: Math.max(30, Math.floor(config.rateLimitPerMinute / 4)), timeWindow: '1 minute' } },
    schema: {
      ...tags, summary: 'Ricerca nelle FAQ pubblicate, per il portale del cittadino (anonima)', security: [],
      querystring: s.PortalSearchQuery, response: { 200: s.PortalSearchResponse, ...errorResponses(400, 429) },
    },
  }, async (request) => {
    const { interpretation: _interpretation, ...result } = await runSearch(engine, request.query);
    return { ...result, items: relevanceCut(result.items, PORTAL_RELEVANCE_RATIO) };
  });

  app.get('/api/v1/portal/faq/:id', {
    config: { access: access.public },
    schema: { ...tags, summary: 'Una FAQ pubblicata, per il portale del cittadino', security: [], params: s.FaqIdParams, response: { 200: s.FaqSchema, ...errorResponses(400, 404) } },
  }, async (request) => presentFaq(await service.getFaq(db, request.params.id, false)));

  app.get('/api/v1/faq/search', {
    config: { access: access.authenticatedWith('tickets:read') },
    schema: {
      ...tags, summary: 'Suggerimenti di FAQ per l’operatore (anche dal testo del ticket), con l’interpretazione della domanda',
      querystring: s.ConsoleSearchQuery, response: { 200: s.ConsoleSearchResponse, ...errorResponses(400, 401) },
    },
  }, async (request) => runSearch(engine, request.query));

  app.get('/api/v1/faq/export', {
    config: { access: access.permission('network:manage') },
    schema: { ...tags, summary: 'Esporta le FAQ in JSON Lines (formato di importazione)', querystring: s.ExportQuery, produces: ['application/x-ndjson'], ...errorResponses(401, 403) },
  }, async (request, reply) => {
    const statuses = repo.faqStatusList(request.query.status ?? 'published');
    const records = await service.exportFaqs(db, statuses);
    reply.type('application/x-ndjson; charset=utf-8');
    return records.map((r) => JSON.stringify(r)).join('\n') + (records.length > 0 ? '\n' : '');
  });

  app.post('/api/v1/faq/import', {
    config: { access: access.permission('network:manage') },
    bodyLimit: 50 * 1024 * 1024,
    schema: {
      ...tags, summary: 'Importa FAQ da JSON Lines (text/plain): aggiorna quelle con lo stesso id, segnala le righe malformate',
      consumes: ['text/plain'], body: Type.String({ maxLength: 50 * 1024 * 1024 }), response: { 200: s.ImportReportSchema, ...errorResponses(400, 401, 403, 413, 415) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const report = await db.transaction().execute((trx) => service.importFaqs(trx, request.body, { actorId: actor.userId }));
    engine.invalidate();
    const lang = requestLanguage(request.headers['accept-language']);
    const inLang = (p: LineProblem) => ({ line: p.line, ...(p.id !== undefined && { id: p.id }), message: inLanguage(p, lang) });
    return { ...report, errors: report.errors.map(inLang), warnings: report.warnings.map(inLang) };
  });

  app.get('/api/v1/faq/thesaurus', {
    config: { access: access.authenticatedWith('tickets:read') },
    schema: { ...tags, summary: 'Il thesaurus di sinonimi e sigle usato dalla ricerca', response: { 200: Type.Object({ items: Type.Array(s.ThesaurusEntrySchema) }), ...errorResponses(401) } },
  }, async () => ({ items: (await service.listThesaurus(db)).map(presentThesaurus) }));

  app.post('/api/v1/faq/thesaurus', {
    config: { access: access.permission('network:manage') },
    schema: { ...tags, summary: 'Aggiunge un gruppo di termini equivalenti (redazione di rete)', body: s.CreateThesaurusEntryBody, response: { 201: s.ThesaurusEntrySchema, ...errorResponses(400, 401, 403) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const b = request.body;
    const entry = await db.transaction().execute((trx) => service.addThesaurusEntry(trx, actor.userId, { kind: b.kind, lang: b.lang ?? 'it', terms: b.terms, note: b.note ?? null }));
    engine.invalidate();
    return reply.status(201).send(presentThesaurus(entry));
  });

  app.delete('/api/v1/faq/thesaurus/:id', {
    config: { access: access.permission('network:manage') },
    schema: { ...tags, summary: 'Elimina un gruppo del thesaurus', params: s.FaqIdParams, response: { ...errorResponses(401, 403, 404) } },
  }, async (request, reply) => {
    await db.transaction().execute((trx) => service.removeThesaurusEntry(trx, request.params.id));
    engine.invalidate();
    return reply.status(204).send();
  });

  // Authoring, workflow, versions, adoption and translations (GET/PATCH /api/v1/faq/:id among them).
  registerFaqEditorialRoutes(root, ctx, engine);

  return engine;
}
