/**
 * The weekly report (issue 14), per organisation and for the network, as the national contact
 * centre's weekly analytic reports were: the week's contacts against the four weeks before, by day,
 * topic and channel; the alarms of the week; the actions and their measured effect. Contacts come
 * from the live counts of opened contacts (counts only: the archive receives a week's contacts only
 * weeks later), alarms and actions from their tables.
 */
import type { Database as Db } from '../../../db/database.js';
import * as identity from '../../identity/index.js';
import { actionEffect, type ActionDeps, listActionsOf } from '../actions/actions.service.js';
import type { ActionPlan } from '../actions/actions.repository.js';
import type { AlarmSlice, TerritoryLadder } from '../alarms/alarm-slices.js';
import * as alarmsRepo from '../alarms/alarms.repository.js';
import { addDays } from '../archive-series.js';

export interface CountLine {
  key: string;
  week: number;
  /** Mean of the four weeks before. */
  before: number;
}

export interface WeeklyReport {
  /** ISO week, e.g. 2026-W49, and its Monday and Sunday. */
  week: string;
  from: string;
  to: string;
  organisation: { id: string; name: string } | null;
  total: number;
  totalBefore: number;
  days: { date: string; count: number }[];
  topics: CountLine[];
  channels: CountLine[];
  alarms: alarmsRepo.StoredAlarm[];
  actions: { action: ActionPlan; verdict: string | null; relative: number | null }[];
}

/** The Monday of an ISO week 'YYYY-Www'. */
export function mondayOfIsoWeek(week: string): string {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) throw new RangeError(`not an ISO week: ${week}`);
  const jan4 = new Date(Date.UTC(Number(m[1]), 0, 4));
  const monday1 = Date.UTC(Number(m[1]), 0, 4 - ((jan4.getUTCDay() + 6) % 7));
  return new Date(monday1 + (Number(m[2]) - 1) * 7 * 86_400_000).toISOString().slice(0, 10);
}

/** The ISO week of a day. */
export function isoWeekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function lines(rows: readonly { key: string; day: string; n: number }[], from: string, top: number): CountLine[] {
  const week = new Map<string, number>();
  const before = new Map<string, number>();
  for (const r of rows) (r.day >= from ? week : before).set(r.key, ((r.day >= from ? week : before).get(r.key) ?? 0) + r.n);
  return [...new Set([...week.keys(), ...before.keys()])]
    .map((key) => ({ key, week: week.get(key) ?? 0, before: Math.round(((before.get(key) ?? 0) / 4) * 10) / 10 }))
    .sort((a, b) => b.week - a.week || b.before - a.before || a.key.localeCompare(b.key))
    .slice(0, top);
}

/** Whether an alarm concerns an organisation: network-wide series, or its region or province. */
function concerns(slice: AlarmSlice, place: string | null, ladder: TerritoryLadder): boolean {
  if (!slice.territory) return true;
  if (!place) return false;
  return slice.territory === ladder.regionOf(place) || slice.territory === ladder.provinceOf(place) || slice.territory === place;
}

export async function buildWeeklyReport(db: Db, deps: ActionDeps & { territory: () => Promise<TerritoryLadder> }, options: { week: string; organisationId: string | null }): Promise<WeeklyReport> {
  const from = mondayOfIsoWeek(options.week);
  const to = addDays(from, 6);
  const beforeFrom = addDays(from, -28);
  const organisation = options.organisationId ? await identity.findOrganisation(db, options.organisationId) : null;
  let q = db
    .selectFrom('contact_counts')
    .select([(eb) => eb.cast<string>('day', 'text').as('day'), 'topic_code', 'channel', (eb) => eb.fn.sum<number>('contacts').as('n')])
    .where('day', '>=', beforeFrom)
    .where('day', '<=', to);
  if (organisation) q = q.where('organisation_id', '=', organisation.id);
  const rows = (await q.groupBy(['day', 'topic_code', 'channel']).execute()).map((r) => ({ day: r.day, topic: r.topic_code || '—', channel: r.channel || '—', n: Number(r.n) }));
  const inWeek = rows.filter((r) => r.day >= from);
  const days = Array.from({ length: 7 }, (_, i) => addDays(from, i)).map((date) => ({ date, count: inWeek.filter((r) => r.day === date).reduce((s, r) => s + r.n, 0) }));
  const ladder = await deps.territory();
  const place = organisation ? (organisation.istatCode ?? organisation.regionIstat) : null;
  const alarms = (await alarmsRepo.listAlarms(db, { organisationId: organisation?.id ?? null, from, to, limit: 500 })).filter((a) => !organisation || concerns(a.slice, place, ladder)).sort((a, b) => Math.abs(b.score) - Math.abs(a.score)).slice(0, 15);
  const actions = await listActionsOf(db, organisation ? [organisation.id] : 'all', 100);
  const relevant = actions.filter((a) => a.status !== 'cancelled' && (a.status !== 'done' || (a.effectiveDate ?? '') >= addDays(from, -56)));
  const withEffects = [];
  for (const action of relevant.slice(0, 20)) {
    const effect = action.status === 'done' ? await actionEffect(deps, action) : null;
    withEffects.push({ action, verdict: effect?.verdict ?? null, relative: effect?.relative ?? null });
  }
  return {
    week: options.week,
    from,
    to,
    organisation: organisation ? { id: organisation.id, name: organisation.name } : null,
    total: inWeek.reduce((s, r) => s + r.n, 0),
    totalBefore: Math.round((rows.filter((r) => r.day < from).reduce((s, r) => s + r.n, 0) / 4) * 10) / 10,
    days,
    topics: lines(rows.map((r) => ({ key: r.topic, day: r.day, n: r.n })), from, 10),
    channels: lines(rows.map((r) => ({ key: r.channel, day: r.day, n: r.n })), from, 8),
    alarms,
    actions: withEffects,
  };
}
