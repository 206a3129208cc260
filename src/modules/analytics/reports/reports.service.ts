/**
 * Weekly reports (issue 14): who may read which, the download, and the Monday e-mails — each
 * organisation's report to its supervisors and administrators, the network's to the coordination.
 */
import type { Database as Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import type { Mailer } from '../../../platform/mailer.js';
import { canManageNetwork, hasPermission } from '../../../platform/policy.js';
import { localIsoDate, ROME } from '../../../platform/time-zone.js';
import * as identity from '../../identity/index.js';
import type { ActionDeps } from '../actions/actions.service.js';
import type { TerritoryLadder } from '../alarms/alarm-slices.js';
import { analyticsErrors as errors } from '../analytics.errors.js';
import { addDays } from '../archive-series.js';
import { buildWeeklyReport, isoWeekOf, mondayOfIsoWeek, type WeeklyReport } from './weekly-report.js';
import { renderWeeklyReportHtml, renderWeeklyReportPdf } from './weekly-report.render.js';

export type ReportDeps = ActionDeps & { territory: () => Promise<TerritoryLadder> };

const ORGANISATION_READERS = new Set(['supervisor', 'org_admin', 'analyst']);

/** An organisation's report: its supervisors, administrators and analysts; any analyst and the coordination. The network's: analysts and the coordination. */
export function assertReadsReport(actor: Actor, organisationId: string | null): void {
  if (actor.scopes !== null) throw errors.reportForbidden();
  if (canManageNetwork(actor) || hasPermission(actor, 'analytics:read')) return;
  if (organisationId && actor.grants.some((g) => g.organisationId === organisationId && ORGANISATION_READERS.has(g.role))) return;
  throw errors.reportForbidden();
}

/** The last complete week (Monday to Sunday, Italian calendar) before `now`. */
export const lastCompleteWeek = (now: Date): string => isoWeekOf(addDays(localIsoDate(now, ROME), -7));

export async function weeklyReport(db: Db, deps: ReportDeps, actor: Actor, q: { week?: string; organisationId?: string }): Promise<WeeklyReport> {
  assertReadsReport(actor, q.organisationId ?? null);
  const week = q.week ?? lastCompleteWeek(deps.now());
  if (mondayOfIsoWeek(week) > localIsoDate(deps.now(), ROME)) throw errors.reportWeekInFuture({ week });
  if (q.organisationId && !(await identity.findOrganisation(db, q.organisationId))) throw errors.reportForbidden();
  return buildWeeklyReport(db, deps, { week, organisationId: q.organisationId ?? null });
}

/** Sends last week's reports: each organisation with contacts to its supervisors and administrators, the network's to the coordination. */
export async function sendWeeklyReports(db: Db, deps: ReportDeps, mailer: Mailer, options: { baseUrl: string }): Promise<{ sent: number }> {
  const week = lastCompleteWeek(deps.now());
  const from = mondayOfIsoWeek(week);
  const active = await db.selectFrom('contact_counts').select('organisation_id').distinct().where('day', '>=', from).where('day', '<=', addDays(from, 6)).execute();
  let sent = 0;
  const send = async (userIds: readonly string[], organisationId: string | null) => {
    if (userIds.length === 0) return;
    const report = await buildWeeklyReport(db, deps, { week, organisationId });
    for (const id of userIds) {
      const user = await identity.findUser(db, id);
      if (!user?.active) continue;
      const html = renderWeeklyReportHtml(report, user.locale);
      const link = `${options.baseUrl}/api/v1/analytics/reports/weekly?week=${week}${organisationId ? `&organisationId=${organisationId}` : ''}&format=pdf`;
      const subject = user.locale === 'en' ? `urpnet: weekly report ${week}` : `urpnet: rapporto settimanale ${week}`;
      const text = `${subject} — ${report.organisation?.name ?? (user.locale === 'en' ? 'URP network' : 'rete degli URP')}: ${report.total}\n${link}\n`;
      await mailer.send({ to: user.email, subject, text, html, attachments: [{ filename: `rapporto-${week}.pdf`, content: renderWeeklyReportPdf(report, user.locale), contentType: 'application/pdf' }] });
      sent++;
    }
  };
  for (const { organisation_id } of active) await send(await identity.activeUsersWithRole(db, ['supervisor', 'org_admin'], organisation_id), organisation_id);
  await send(await identity.activeUsersWithRole(db, 'network_coordinator'), null);
  return { sent };
}
