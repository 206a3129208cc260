import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../../platform/auth.js';
import type { AppContext } from '../../../platform/context.js';
import { requestLanguage } from '../../../platform/messages.js';
import { access } from '../../../platform/policy.js';
import { errorResponses, StringEnum, Uuid } from '../../../platform/schema.js';
import { type ReportDeps, weeklyReport } from './reports.service.js';
import { renderWeeklyReportHtml, renderWeeklyReportPdf } from './weekly-report.render.js';

const WeeklyReportQuery = Type.Object({
  week: Type.Optional(Type.String({ pattern: '^\\d{4}-W(0[1-9]|[1-4]\\d|5[0-3])$', description: 'Settimana ISO (es. 2026-W49); predefinita: l’ultima settimana completa' })),
  organisationId: Type.Optional(Uuid),
  format: Type.Optional(StringEnum(['html', 'pdf'] as const, { default: 'html' })),
});

/** The weekly report of an organisation or of the network, as HTML or PDF (issue 14). */
export function registerReportRoutes(root: FastifyInstance, ctx: AppContext, deps: ReportDeps): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/analytics/reports/weekly', {
    config: { access: access.authenticated },
    schema: {
      tags: ['analytics'],
      summary: "Rapporto settimanale di un ente o della rete (HTML o PDF): contatti rispetto alle 4 settimane precedenti, per giorno, tema e canale, allarmi, azioni e loro effetto",
      querystring: WeeklyReportQuery,
      response: errorResponses(400, 403, 422),
    },
  }, async (request, reply) => {
    const { format, ...q } = request.query;
    const report = await weeklyReport(ctx.db, deps, requireActor(request), q);
    const lang = requestLanguage(request.headers['accept-language']);
    const name = `rapporto-${report.week}${report.organisation ? `-${report.organisation.id.slice(0, 8)}` : '-rete'}`;
    reply.header('cache-control', 'private, no-store');
    if (format === 'pdf') {
      return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${name}.pdf"`).send(renderWeeklyReportPdf(report, lang));
    }
    return reply.header('content-type', 'text/html; charset=utf-8').header('content-disposition', `inline; filename="${name}.html"`).send(renderWeeklyReportHtml(report, lang));
  });
}
