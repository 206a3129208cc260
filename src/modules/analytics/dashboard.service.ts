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
import * as identity from '../identity/index.js';
import * as knowledge from '../knowledge/index.js';
import { type ArchiveEngine, assertAnalyst } from '../archive/index.js';
import { loadTerritory } from '../territory/index.js';
import { analyticsErrors as errors } from './analytics.errors.js';
import { readsNetworkAnalytics } from './analytics-readers.js';
import { buildDashboard, type Dashboard, type DashboardQuery } from './dashboard.js';
import { daysBetween } from './dashboard-periods.js';

/** The longest period of an hourly series (31 days: 744 points). */
export const MAX_HOUR_DAYS = 31;

/** Roles that read their own body's dashboard. */
const BODY_READERS: readonly string[] = ['supervisor', 'org_admin'];

/** The bodies whose dashboard the actor reads as their supervisor or administrator (none for analysts, who read all). */
function dashboardBodies(actor: Actor): string[] {
  return [...new Set(actor.grants.filter((g) => BODY_READERS.includes(g.role)).map((g) => g.organisationId))];
}

/**
 * Who may read the dashboard of this filter: analysts and the coordination any; a body's supervisors
 * and administrators their own body's (named by the filter), and only its offices.
 */
async function assertDashboardReader(db: Database, actor: Actor, filter: DashboardQuery['filter']): Promise<void> {
  if (readsNetworkAnalytics(actor)) return;
  const bodies = dashboardBodies(actor);
  if (bodies.length === 0) assertAnalyst(actor);
  if (!filter.organisationId || !bodies.includes(filter.organisationId)) throw errors.dashboardBodyRequired();
  if (filter.officeId) {
    const office = await identity.findOffice(db, filter.officeId);
    if (!office || office.organisationId !== filter.organisationId) throw errors.officeNotFound({ id: filter.officeId });
  }
}

/** Contacts the FAQs deflected: portal sessions that read an answer and did not go on to contact an office. */
export interface DeflectedContacts {
  from: string;
  to: string;
  sessions: number;
  deflected: number;
  rate: number | null;
}

const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The deflected contacts of the dashboard's period (at most its last 366 days; the last 30 days when
 * it has none), for the network or one body: the portal knows which body's FAQ was read, not the
 * office, topic, channel or place of a contact that never happened, so any other filter gives none.
 */
async function deflectedContacts(db: Database, filter: DashboardQuery['filter'], now: Date): Promise<DeflectedContacts | null> {
  const other = Object.entries(filter).some(([k, v]) => v !== undefined && v !== '' && !['from', 'to', 'organisationId'].includes(k));
  // The archive's filter takes any body id (records of an import may name bodies the network no longer holds); the portal knows the network's own.
  if (other || (filter.organisationId !== undefined && !UUID.test(filter.organisationId))) return null;
  const end = filter.to ? new Date(Math.min(Date.parse(`${filter.to}T00:00:00Z`) + DAY_MS, now.getTime())) : now;
  const floor = end.getTime() - (filter.from ? 366 : 30) * DAY_MS;
  const start = new Date(Math.max(filter.from ? Date.parse(`${filter.from}T00:00:00Z`) : floor, floor));
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start >= end) return null;
  const r = await knowledge.deflectionTotals(db, { from: start.toISOString(), to: end.toISOString(), organisationId: filter.organisationId }, now);
  return { from: start.toISOString().slice(0, 10), to: end.toISOString().slice(0, 10), ...r };
}

/** The dashboard of a slice of the archive: network-wide for an analyst or the coordination, a body's own for its supervisors. */
export async function dashboard(db: Database, engine: ArchiveEngine, actor: Actor, query: DashboardQuery, now = new Date()): Promise<Dashboard & { deflection: DeflectedContacts | null }> {
  await assertDashboardReader(db, actor, query.filter);
  const { from, to } = query.filter;
  if (from && to && from > to) throw errors.invalidRange({ from, to });
  if (query.granularity === 'hour' && (!from || !to || daysBetween(from, to) > MAX_HOUR_DAYS)) throw errors.hourRangeTooLong({ maxDays: MAX_HOUR_DAYS });
  const [board, deflection] = await Promise.all([buildDashboard(engine, await loadTerritory(db), query), deflectedContacts(db, query.filter, now)]);
  return { ...board, deflection };
}
