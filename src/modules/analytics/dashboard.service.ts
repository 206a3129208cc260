/**
 * Use case of the analytics dashboards (issue 14): who may read them, and the checks of the query.
 *
 * The dashboards are views of the anonymised archive, so they are read network-wide by those who
 * read the archive (the analysts and the network coordination: `assertAnalyst`). Supervisors and
 * administrators of a body read the dashboard of their own body and its offices (the filter must
 * name it), with the same small cells withheld. An office, organisation, region or the whole
 * network is a filter of the same dashboard.
 */
import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { canManageNetwork, hasPermission } from '../../platform/policy.js';
import * as identity from '../identity/index.js';
import { type ArchiveEngine, assertAnalyst } from '../archive/index.js';
import { loadTerritory } from '../territory/index.js';
import { analyticsErrors as errors } from './analytics.errors.js';
import { buildDashboard, type Dashboard, type DashboardQuery } from './dashboard.js';
import { daysBetween } from './dashboard-periods.js';

/** The longest period of an hourly series (31 days: 744 points). */
export const MAX_HOUR_DAYS = 31;

/** Roles that read their own body's dashboard. */
const BODY_READERS: readonly string[] = ['supervisor', 'org_admin'];

/** The bodies whose dashboard the actor reads as their supervisor or administrator (none for analysts, who read all). */
export function dashboardBodies(actor: Actor): string[] {
  return [...new Set(actor.grants.filter((g) => BODY_READERS.includes(g.role)).map((g) => g.organisationId))];
}

/**
 * Who may read the dashboard of this filter: analysts and the coordination any; a body's supervisors
 * and administrators their own body's (named by the filter), and only its offices.
 */
async function assertDashboardReader(db: Database, actor: Actor, filter: DashboardQuery['filter']): Promise<void> {
  if (hasPermission(actor, 'analytics:read') || canManageNetwork(actor)) return;
  const bodies = dashboardBodies(actor);
  if (bodies.length === 0) assertAnalyst(actor);
  if (!filter.organisationId || !bodies.includes(filter.organisationId)) throw errors.dashboardBodyRequired();
  if (filter.officeId) {
    const office = await identity.findOffice(db, filter.officeId);
    if (!office || office.organisationId !== filter.organisationId) throw errors.officeNotFound({ id: filter.officeId });
  }
}

/** The dashboard of a slice of the archive: network-wide for an analyst or the coordination, a body's own for its supervisors. */
export async function dashboard(db: Database, engine: ArchiveEngine, actor: Actor, query: DashboardQuery): Promise<Dashboard> {
  await assertDashboardReader(db, actor, query.filter);
  const { from, to } = query.filter;
  if (from && to && from > to) throw errors.invalidRange({ from, to });
  if (query.granularity === 'hour' && (!from || !to || daysBetween(from, to) > MAX_HOUR_DAYS)) throw errors.hourRangeTooLong({ maxDays: MAX_HOUR_DAYS });
  return buildDashboard(engine, await loadTerritory(db), query);
}
