/**
 * Use case of the analytics dashboards (issue 14): who may read them, and the checks of the query.
 *
 * The dashboards are views of the anonymised archive, so they are read by those who read the
 * archive (the analysts and the network coordination, network-wide: `assertAnalyst`). An office,
 * organisation, region or the whole network is a filter of the same dashboard.
 */
import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { type ArchiveEngine, assertAnalyst } from '../archive/index.js';
import { loadTerritory } from '../territory/index.js';
import { analyticsErrors as errors } from './analytics.errors.js';
import { buildDashboard, type Dashboard, type DashboardQuery } from './dashboard.js';
import { daysBetween } from './dashboard-periods.js';

/** The longest period of an hourly series (31 days: 744 points). */
export const MAX_HOUR_DAYS = 31;

/** The dashboard of a slice of the archive, for an analyst or the network coordination. */
export async function dashboard(db: Database, engine: ArchiveEngine, actor: Actor, query: DashboardQuery): Promise<Dashboard> {
  assertAnalyst(actor);
  const { from, to } = query.filter;
  if (from && to && from > to) throw errors.invalidRange({ from, to });
  if (query.granularity === 'hour' && (!from || !to || daysBetween(from, to) > MAX_HOUR_DAYS)) throw errors.hourRangeTooLong({ maxDays: MAX_HOUR_DAYS });
  return buildDashboard(engine, await loadTerritory(db), query);
}
