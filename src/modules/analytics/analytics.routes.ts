import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { access } from '../../platform/policy.js';
import { errorResponses } from '../../platform/schema.js';
import type { Database } from '../../db/database.js';
import type { JobDefinition } from '../../platform/jobs/index.js';
import type { Mailer } from '../../platform/mailer.js';
import type { ArchiveEngine } from '../archive/index.js';
import { loadTerritory } from '../territory/index.js';
import { registerActionRoutes } from './actions/actions.routes.js';
import { registerForecastRoutes } from './forecast/forecast.routes.js';
import type { AlarmDeps } from './alarms/alarm-scan.js';
import { alarmJobs } from './alarms/alarms.jobs.js';
import { registerAlarmRoutes } from './alarms/alarms.routes.js';
import * as s from './analytics.schemas.js';
import { archiveSeriesReader } from './archive-series.js';
import { registerReportRoutes } from './reports/reports.routes.js';
import { sendWeeklyReports } from './reports/reports.service.js';
import { registerStaffingRoutes } from './staffing/staffing.routes.js';
import type { DashboardFilter } from './dashboard.js';
import * as service from './dashboard.service.js';

const tags = { tags: ['analytics'] };
/** Analysts and the network coordination (network-wide), supervisors and administrators (their own body): checked by the service. */
const analysts = { access: access.authenticated };

/** What analytics reads: the database, the archive through the process's one DuckDB engine, the territory. */
function analyticsDeps(db: Database, engine: ArchiveEngine): AlarmDeps & { now: () => Date } {
  const territory = () => loadTerritory(db);
  return { db, engine, territory, archive: archiveSeriesReader(db, engine, territory), now: () => new Date() };
}

/**
 * Analytics (issue 14) over the anonymised archive's columnar files through the process's one DuckDB
 * engine (shared with the archive's routes): dashboards, alarms, action plans and staffing.
 */
export function registerAnalyticsRoutes(root: FastifyInstance, ctx: AppContext, engine: ArchiveEngine): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const deps = analyticsDeps(ctx.db, engine);
  registerAlarmRoutes(root, ctx, deps);
  registerActionRoutes(root, ctx, deps);
  registerStaffingRoutes(root, ctx, deps);
  registerForecastRoutes(root, ctx, deps);
  registerReportRoutes(root, ctx, deps);

  app.get('/api/v1/analytics/dashboard', {
    config: analysts,
    schema: {
      ...tags,
      summary:
        "Cruscotto di una selezione dell'archivio anonimo (ufficio, ente, territorio o rete): contatti nel tempo, per tema, tipo di richiesta, canale, ufficio, ente, provincia e regione, andamento dei temi principali e indicatori (risoluzione al primo contatto, passaggi tra enti, rispetto dei tempi, soddisfazione); i conteggi da 1 a 3 (e quelli che li rivelerebbero) sono omessi",
      querystring: s.DashboardQuery,
      response: { 200: s.DashboardResponse, ...errorResponses(400, 401, 403, 422) },
    },
  }, async (request) => {
    const { granularity, slaHours, ...rest } = request.query;
    const filter = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as DashboardFilter;
    return service.dashboard(ctx.db, engine, requireActor(request), { granularity, filter, slaMinutes: (slaHours ?? 48) * 60 });
  });
}

export const WEEKLY_REPORT_JOB = 'analytics.weekly-report';

/** The jobs of analytics: live counts, the alarm scan and, with a mailer, the daily digest and the Monday reports. */
export function analyticsJobs(db: Database, engine: ArchiveEngine, options: { mailer: Mailer | null; baseUrl: string; log?: { info(obj: object, msg: string): void } }): JobDefinition<{ trigger?: 'schedule' | 'manual' }>[] {
  const deps = analyticsDeps(db, engine);
  const jobs = alarmJobs({ ...deps, ...options });
  const mailer = options.mailer;
  if (mailer) {
    jobs.push({
      name: WEEKLY_REPORT_JOB,
      schedule: '0 8 * * 1',
      timeZone: 'Europe/Rome',
      // Not retried: a half-sent batch sent again would repeat e-mails.
      retry: { limit: 0, delaySeconds: 60 },
      expireInSeconds: 60 * 60,
      async handler() {
        const r = await sendWeeklyReports(db, deps, mailer, { baseUrl: options.baseUrl });
        options.log?.info(r, 'weekly reports sent');
      },
    });
  }
  return jobs;
}
