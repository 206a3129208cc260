import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../../platform/auth.js';
import type { AppContext } from '../../../platform/context.js';
import { access } from '../../../platform/policy.js';
import { errorResponses } from '../../../platform/schema.js';
import { analyticsErrors as errors } from '../analytics.errors.js';
import type { ArchiveSeriesReader } from '../archive-series.js';
import { comparePooling, staffingPlan } from './staffing-plan.js';
import * as s from './staffing.schemas.js';
import { forecastStaffing } from './staffing.service.js';

const tags = { tags: ['analytics'] };

/** Staffing per half hour with Erlang C/A, pooling what-ifs, and an office's day from its forecast (issue 14). */
export function registerStaffingRoutes(root: FastifyInstance, ctx: AppContext, deps: { archive: ArchiveSeriesReader; now: () => Date }): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  // The calculators hold no data: any signed-in member may use them (sessions only).
  const members = { access: access.authenticated };

  app.post('/api/v1/analytics/staffing', {
    config: members,
    schema: { ...tags, summary: "Operatori necessari per mezz'ora (Erlang C, o Erlang A con la pazienza dei chiamanti) per un livello di servizio, con lo shrinkage", body: s.StaffingBody, response: { 200: s.StaffingPlanSchema, ...errorResponses(400) } },
  }, async (request) => {
    const { intervals, targetSeconds, ...assumptions } = request.body;
    return staffingPlan(intervals, { ...assumptions, targetTime: targetSeconds ?? 20, serviceLevel: assumptions.serviceLevel ?? 0.8, shrinkage: assumptions.shrinkage ?? 0.3 });
  });

  app.post('/api/v1/analytics/staffing/pooling', {
    config: members,
    schema: { ...tags, summary: 'E se questi URP mettessero in comune il traffico? Operatori necessari separati e insieme', body: s.PoolingBody, response: { 200: s.PoolingSchema, ...errorResponses(400, 422) } },
  }, async (request) => {
    const { members: offices, targetSeconds, ...assumptions } = request.body;
    const starts = offices[0]!.intervals.map((i) => i.start).join('\n');
    const odd = offices.find((m) => m.intervals.map((i) => i.start).join('\n') !== starts);
    if (odd) throw errors.poolingMismatch({ label: odd.label });
    return comparePooling(offices, { ...assumptions, targetTime: targetSeconds ?? 20, serviceLevel: assumptions.serviceLevel ?? 0.8, shrinkage: assumptions.shrinkage ?? 0.3 });
  });

  app.get('/api/v1/analytics/staffing/forecast', {
    config: members,
    schema: {
      ...tags,
      summary: "Turni di un ufficio per un giorno: contatti previsti dall'archivio, distribuiti sulle mezz'ore, e operatori necessari",
      querystring: s.ForecastStaffingQuery,
      response: { 200: s.ForecastStaffingSchema, ...errorResponses(400, 404, 422) },
    },
  }, async (request) => {
    const q = request.query;
    return forecastStaffing(ctx.db, deps.archive, requireActor(request), { ...q, targetSeconds: q.targetSeconds ?? 20, serviceLevel: q.serviceLevel ?? 0.8, shrinkage: q.shrinkage ?? 0.3, handleSeconds: q.handleSeconds ?? 300 }, deps.now());
  });
}
