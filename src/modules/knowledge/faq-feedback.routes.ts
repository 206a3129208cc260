import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { access } from '../../platform/policy.js';
import { errorResponses } from '../../platform/schema.js';
import type { FaqSearchEngine } from './faq-search.js';
import type * as repo from './faq-feedback.repository.js';
import * as s from './faq-feedback.schemas.js';
import * as service from './faq-feedback.service.js';
import { ThesaurusEntrySchema } from './knowledge.schemas.js';

const tags = { tags: ['faq'] };

function presentGap(g: repo.Gap) {
  return {
    id: g.id, lang: g.lang, query: g.queryKey, territory: g.territory,
    organisation: g.organisationId ? { id: g.organisationId, name: g.organisationName ?? '' } : null, samples: g.samples, occurrences: g.occurrences,
    signals: { noResults: g.signals.no_results, lowScore: g.signals.low_score, notHelpful: g.signals.not_helpful, contact: g.signals.contact },
    firstSeenAt: g.firstSeenAt.toISOString(), lastSeenAt: g.lastSeenAt.toISOString(), status: g.status, faq: g.faq, note: g.note,
    decidedAt: g.decidedAt?.toISOString() ?? null, version: g.version,
  };
}

function presentStats(faqId: string, st: service.FaqFeedbackStats) {
  return { faqId, ...st, comments: st.comments.map((c) => ({ ...c, at: c.at.toISOString() })) };
}

/**
 * The FAQ base in use: portal events and ratings (anonymous, rate-limited), operators' ratings and
 * uses, deflected contacts, FAQ gaps, thesaurus edits and the draft FAQ made from a ticket.
 */
/** The job that counts deflected contacts day by day (`countDeflectionDays`). */
export const DEFLECTION_DAYS_JOB = 'knowledge.deflection-days';

export function registerFaqFeedbackRoutes(root: FastifyInstance, ctx: AppContext, engine: FaqSearchEngine): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;

  // Every hour: the days whose portal sessions have all closed their window are counted once, so the
  // dashboards add up days instead of reading a year of sessions. Safe to retry and on any instance.
  ctx.jobs.define({
    name: DEFLECTION_DAYS_JOB,
    schedule: '7 * * * *',
    retry: { limit: 2, delaySeconds: 60 },
    expireInSeconds: 30 * 60,
    async handler() {
      const r = await service.countDeflectionDays(db, new Date());
      if (r.days > 0) ctx.log.info(r, 'faq: deflected contacts counted by day');
    },
  });

  app.post('/api/v1/portal/faq/events', {
    // A portal session sends a few events per question: searches it settled on, FAQs opened, contact.
    config: { access: access.public, rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: {
      ...tags, summary: 'Registra un evento anonimo del portale (ricerca, lettura di una FAQ, intenzione di contattare l’URP)', security: [],
      body: s.PortalEventBody, response: { 202: Type.Object({ recorded: Type.Boolean() }), ...errorResponses(400, 404, 429) },
    },
  }, async (request, reply) => {
    await service.recordPortalEvent(db, engine, request.body);
    return reply.status(202).send({ recorded: true });
  });

  app.post('/api/v1/portal/faq/:id/feedback', {
    config: { access: access.public, rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: {
      ...tags, summary: 'Il cittadino valuta una FAQ («Ti è stata utile?»): un voto per sessione del portale e FAQ', security: [],
      params: s.IdParams, body: s.CitizenRatingBody, response: { 200: s.CitizenRatingResponse, ...errorResponses(400, 404, 429) },
    },
  }, async (request) => {
    const { created } = await service.rateAsCitizen(db, request.params.id, request.body);
    return { faqId: request.params.id, helpful: request.body.helpful, counted: created ? ('new' as const) : ('replaced' as const) };
  });

  app.post('/api/v1/faq/:id/feedback', {
    config: { access: access.authenticatedWith('faq:feedback') },
    schema: {
      ...tags, summary: 'L’operatore valuta una FAQ (un voto per persona, sostituibile); risponde con le statistiche aggiornate',
      params: s.IdParams, body: s.OperatorRatingBody, response: { 200: s.FeedbackStatsSchema, ...errorResponses(400, 401, 404) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const { stats } = await service.rateAsOperator(db, actor, request.params.id, request.body);
    return presentStats(request.params.id, stats);
  });

  app.get('/api/v1/faq/:id/feedback', {
    config: { access: access.authenticatedWith('tickets:read', 'faq:feedback') },
    schema: {
      ...tags, summary: 'Valutazioni di una FAQ: utile / non utile, rapporto, usi da parte degli operatori, commenti (senza dati personali)',
      params: s.IdParams, response: { 200: s.FeedbackStatsSchema, ...errorResponses(400, 401, 404) },
    },
  }, async (request) => presentStats(request.params.id, await service.feedbackOf(db, requireActor(request), request.params.id)));

  app.post('/api/v1/faq/:id/uses', {
    config: { access: access.authenticatedWith('faq:feedback') },
    schema: {
      ...tags, summary: 'L’operatore ha incollato la risposta della FAQ in una risposta o descrizione (segnale di utilità)',
      params: s.IdParams, body: s.UseBody, response: { ...errorResponses(400, 401, 404) },
    },
  }, async (request, reply) => {
    await service.recordUse(db, requireActor(request), request.params.id, request.body.context);
    return reply.status(204).send();
  });

  app.get('/api/v1/faq/analytics/deflection', {
    config: { access: access.authenticated },
    schema: {
      ...tags, summary: 'Contatti evitati dal portale: per giorno o settimana, per FAQ e per ente (analisti e coordinamento di rete)',
      querystring: s.DeflectionQuery, response: { 200: s.DeflectionResponse, ...errorResponses(400, 401, 403) },
    },
  }, async (request) => {
    service.assertAnalyst(requireActor(request));
    const r = await service.deflection(db, request.query);
    return { ...r, from: r.from.toISOString(), to: r.to.toISOString() };
  });

  app.get('/api/v1/faq/gaps', {
    config: { access: access.authenticated },
    schema: {
      ...tags, summary: 'Lacune delle FAQ: ricerche senza una buona risposta, dalla più frequente (redazione di rete; amministratori per il proprio territorio)',
      querystring: s.GapListQuery, response: { 200: s.GapListResponse, ...errorResponses(400, 401, 403) },
    },
  }, async (request) => {
    const { items, total } = await service.listGaps(db, requireActor(request), request.query);
    return { items: items.map(presentGap), total };
  });

  app.patch('/api/v1/faq/gaps/:id', {
    config: { access: access.authenticated },
    schema: {
      ...tags, summary: 'Segna una lacuna come risolta da una FAQ, scartata o di nuovo aperta',
      params: s.IdParams, body: s.GapUpdateBody, response: { 200: s.GapSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    return presentGap(await db.transaction().execute((trx) => service.decideGap(trx, actor, request.params.id, request.body)));
  });

  app.patch('/api/v1/faq/thesaurus/:id', {
    config: { access: access.permission('network:manage') },
    schema: {
      ...tags, summary: 'Modifica un gruppo del thesaurus (termini, tipo, nota); la ricerca lo usa subito',
      params: s.IdParams, body: s.ThesaurusPatchBody, response: { 200: ThesaurusEntrySchema, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const e = await db.transaction().execute((trx) => service.editThesaurusEntry(trx, actor, request.params.id, request.body));
    engine.invalidate();
    return { id: e.id, kind: e.kind as 'synonym' | 'acronym', lang: e.lang, terms: e.terms, note: e.note, updatedAt: e.updatedAt.toISOString() };
  });

  app.post('/api/v1/tickets/:code/faq-draft', {
    config: { access: access.authenticated },
    schema: {
      ...tags, summary: 'Crea una bozza di FAQ dell’ente da un ticket risolto o chiuso, senza dati personali (responsabili e amministratori dell’ente)',
      params: s.CodeParams, response: { 201: s.FaqDraftResponse, ...errorResponses(401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const draft = await db.transaction().execute((trx) => service.draftFromTicket(trx, actor, request.params.code));
    return reply.status(201).send(draft);
  });
}
