import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../../platform/auth.js';
import type { AppContext } from '../../../platform/context.js';
import { access } from '../../../platform/policy.js';
import { errorResponses } from '../../../platform/schema.js';
import type { ArchiveSeriesReader } from '../archive-series.js';
import * as s from './forecast.schemas.js';
import { sliceForecast } from './forecast.service.js';

/** Forecasts of contact volumes for a slice of the network, days to weeks ahead (issue 14). */
export function registerForecastRoutes(root: FastifyInstance, ctx: AppContext, deps: { archive: ArchiveSeriesReader; now: () => Date }): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/analytics/forecast', {
    // Members of the slice's body, analysts and the coordination: checked by the service.
    config: { access: access.authenticated },
    schema: {
      tags: ['analytics'],
      summary: "Previsione dei contatti di un ufficio, un ente, un tema, un canale o un territorio per i prossimi giorni, con intervallo all'80%, accanto ai giorni osservati",
      querystring: s.SliceForecastQuery,
      response: { 200: s.SliceForecastSchema, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => sliceForecast(ctx.db, deps.archive, requireActor(request), request.query, deps.now()));
}
