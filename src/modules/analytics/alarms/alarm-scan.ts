/**
 * The alarm scan (issue 14): every watched series (alarm-series.ts) through the product's count
 * model (series/), prospective as in live operation; the new alarms of the last days recorded once
 * and sent to the users who watch their slice (and to the network coordination for network-wide
 * series); the emerging terms of the anonymised text, in the network and in each region; and the
 * daily digest by e-mail.
 */
import type { ArchiveEngine, VersionedTerritory } from '../../archive/index.js';
import type { Database as Db } from '../../../db/database.js';
import type { Mailer } from '../../../platform/mailer.js';
import { renderNotification } from '../../../platform/notification-texts.js';
import { type NotificationParams, notifyUsers } from '../../../platform/notifications.js';
import { localIsoDate, ROME } from '../../../platform/time-zone.js';
import * as identity from '../../identity/index.js';
import * as tickets from '../../tickets/index.js';
import { addDays, type ArchiveSeriesReader, daysBetween } from '../archive-series.js';
import { scanSeries } from '../series/series-analysis.js';
import { isoOfDay, parseIsoDay } from '../series/series-calendar.js';
import { type AlarmSlice, sliceKey, type TerritoryLadder, watchCovers } from './alarm-slices.js';
import { loadWatchedSeries } from './alarm-series.js';
import * as repo from './alarms.repository.js';
import { type EmergingTerm, findEmergingTerms, type TermCounts } from './emerging-terms.js';
import { escapeHtml } from '../../../platform/html.js';

/** History given to the model: a year and a few weeks, so that annual patterns and warm-up fit. */
export const SCAN_HISTORY_DAYS = 400;
/** Alarms are recorded for the days since the last scan, at most this many. */
export const MAX_LOOKBACK_DAYS = 14;
/** Days of live counts kept fresh (the archive's grace and settling, and a margin). */
export const LIVE_COUNT_DAYS = 35;
/** Windows of the emerging-terms search: the recent week against the eight before. */
const TERMS_RECENT_DAYS = 7;
const TERMS_BASELINE_DAYS = 56;

export interface AlarmDeps {
  db: Db;
  engine: ArchiveEngine;
  territory: () => Promise<VersionedTerritory>;
  archive: ArchiveSeriesReader;
}

export interface ScanResult {
  scanId: string;
  seriesScanned: number;
  candidates: number;
  recordsRead: number;
  alarms: repo.StoredAlarm[];
  throughDay: string;
  seconds: number;
}

/** Refreshes the live counts of opened contacts for the recent days (idempotent: the days are replaced). */
export async function refreshContactCounts(db: Db, now: Date): Promise<number> {
  const today = localIsoDate(now, ROME);
  const from = addDays(today, -LIVE_COUNT_DAYS);
  // From midnight in Rome of the first day (a day earlier in UTC is harmless: rows outside are filtered by day).
  const counted = (await tickets.countOpenedTickets(db, new Date(Date.parse(`${from}T00:00:00Z`) - 2 * 3_600_000), now)).filter((c) => c.day >= from);
  const organisations = new Map((await identity.listOrganisations(db)).map((o) => [o.id, o.istatCode ?? o.regionIstat ?? '']));
  await repo.replaceContactCounts(
    db,
    from,
    counted.map((c) => ({ day: c.day, organisationId: c.organisationId, officeId: c.officeId, topic: c.topic ?? '', territory: organisations.get(c.organisationId) ?? '', channel: c.channel, contacts: c.contacts })),
  );
  return counted.length;
}

const sliceLabel = (s: AlarmSlice) => [s.topic, s.territory, s.channel].filter(Boolean).join(' · ') || 'totale rete';

function notificationOf(a: repo.StoredAlarm, now: Date) {
  const params: NotificationParams = { slice: sliceLabel(a.slice), day: a.day, since: a.since, observed: Math.round(a.observed), expected: Math.round(a.expected * 10) / 10, term: a.term || null, alarmKind: a.kind };
  return { kind: `alarm.${a.kind}`, params, link: `/analisi/allarmi/${a.id}`, now };
}

/** Who hears of an alarm: the users watching a slice that covers it, and the coordination for network-wide series. */
export async function recipientsOf(db: Db, alarms: readonly repo.StoredAlarm[], ladder: TerritoryLadder, options: { digestOnly?: boolean } = {}): Promise<Map<string, string[]>> {
  const watches = (await repo.listWatches(db)).filter((w) => !options.digestOnly || w.digest);
  const coordinators = await identity.activeUsersWithRole(db, 'network_coordinator');
  const out = new Map<string, string[]>();
  for (const a of alarms) {
    const users = new Set(watches.filter((w) => watchCovers(w.slice, a.slice, ladder)).map((w) => w.userId));
    if (!a.slice.territory) for (const c of coordinators) users.add(c);
    out.set(a.id, [...users]);
  }
  return out;
}

/** Documents per term in the recent and baseline windows of one part of the archive (the network, or a region). */
export interface TermWindow {
  counts: TermCounts[];
  recentDocs: number;
  baselineDocs: number;
}

/**
 * Counts, per term, the archived documents of the recent and baseline windows ending at the archive's
 * last day: for the whole network and for each region (the ISTAT region of the record's territory).
 */
export async function termCounts(engine: ArchiveEngine, territory: VersionedTerritory): Promise<{ lastDay: string | null; network: TermWindow; regions: Map<string, TermWindow> }> {
  const empty = () => ({ counts: [], recentDocs: 0, baselineDocs: 0 });
  const source = engine.source();
  if (!source) return { lastDay: null, network: empty(), regions: new Map() };
  const tmap = await engine.territoryMap(territory);
  return engine.use(async (conn) => {
    const last = (await conn.runAndReadAll(`select strftime(max(opened_day), '%Y-%m-%d') from ${source}`)).getRows()[0]?.[0];
    if (!last) return { lastDay: null, network: empty(), regions: new Map() };
    const lastDay = String(last);
    const recentFrom = addDays(lastDay, -(TERMS_RECENT_DAYS - 1));
    const baselineFrom = addDays(recentFrom, -TERMS_BASELINE_DAYS);
    const params = { recentFrom, baselineFrom, last: lastDay };
    const docs = `select tm.t2 as region, r.opened_day >= cast($recentFrom as date) as recent, list_filter(string_split_regex(lower(r.text), '[^a-zàèéìòóù0-9_]+'), w -> length(w) > 1) as words
      from ${source} r left join ${tmap} tm on tm.code = r.territory_code where r.opened_day between cast($baselineFrom as date) and cast($last as date)`;
    // One pass each, for the network (grouping 1) and per region (grouping 0; a record without a region counts for the network only).
    const network = empty() as TermWindow;
    const regions = new Map<string, TermWindow>();
    const windowOf = (whole: number, region: unknown): TermWindow | null => {
      if (Number(whole) === 1) return network;
      if (region === null || region === undefined) return null;
      const key = String(region);
      let w = regions.get(key);
      if (!w) {
        w = empty() as TermWindow;
        regions.set(key, w);
      }
      return w;
    };
    const totals = (await conn.runAndReadAll(`select grouping(region), region, count(*) filter (where recent), count(*) filter (where not recent) from (${docs}) group by grouping sets ((), (region))`, params)).getRows();
    for (const [whole, region, recent, baseline] of totals) {
      const w = windowOf(Number(whole), region);
      if (!w) continue;
      w.recentDocs = Number(recent);
      w.baselineDocs = Number(baseline);
    }
    const rows = (
      await conn.runAndReadAll(
        `with d as (${docs}),
         t as (
           select region, recent, unnest(list_distinct(list_concat(words, list_transform(range(1, len(words)), i -> words[i] || ' ' || words[i + 1])))) as term from d
         )
         select grouping(region), region, term, count(*) filter (where recent) as r, count(*) filter (where not recent) as b from t
         group by grouping sets ((term), (region, term)) having count(*) filter (where recent) >= 5`,
        params,
      )
    ).getRows();
    for (const [whole, region, term, r, b] of rows) windowOf(Number(whole), region)?.counts.push({ term: String(term), recent: Number(r), baseline: Number(b) });
    return { lastDay, network, regions };
  });
}

/**
 * The emerging-term alarms of a scan: the network's terms, and each region's terms that are not
 * emerging in the whole network (a subject known elsewhere that bursts in one region: "alluvione"
 * where it was never asked about), on the region's slice so that its watchers hear of it.
 */
export function emergingTermAlarms(terms: { lastDay: string | null; network: TermWindow; regions: ReadonlyMap<string, TermWindow> }): repo.NewAlarm[] {
  if (!terms.lastDay) return [];
  const day = terms.lastDay;
  const since = addDays(day, -(TERMS_RECENT_DAYS - 1));
  const alarm = (slice: AlarmSlice, t: EmergingTerm): repo.NewAlarm => ({ seriesKey: sliceKey(slice), slice, kind: 'emerging_term', term: t.term, day, since, observed: t.recent, expected: t.expected, score: t.score });
  const national = findEmergingTerms(terms.network.counts, terms.network.recentDocs, terms.network.baselineDocs);
  const nationalTerms = new Set(national.map((t) => t.term));
  const out = national.map((t) => alarm({}, t));
  for (const [region, w] of [...terms.regions].sort(([a], [b]) => a.localeCompare(b))) {
    for (const t of findEmergingTerms(w.counts, w.recentDocs, w.baselineDocs)) if (!nationalTerms.has(t.term)) out.push(alarm({ territory: region }, t));
  }
  return out;
}

/**
 * One scan: refresh the live counts, load the watched series, run the model over each, record the
 * alarms of the days since the last scan (at most MAX_LOOKBACK_DAYS), find the emerging terms, and
 * notify the watchers. Idempotent: an alarm already recorded is not recorded or sent again.
 */
export async function runAlarmScan(deps: AlarmDeps, options: { now: Date; trigger: 'schedule' | 'manual' }): Promise<ScanResult> {
  const started = performance.now();
  const { db } = deps;
  const scanId = await repo.startScan(db, options.trigger, options.now);
  try {
    await refreshContactCounts(db, options.now);
    const today = localIsoDate(options.now, ROME);
    const to = addDays(today, -1);
    const from = addDays(to, -(SCAN_HISTORY_DAYS - 1));
    const archiveThrough = await deps.archive.observedThrough(today);
    const territory = await deps.territory();
    const set = await loadWatchedSeries(db, deps.engine, territory, { from, to, archiveThrough });
    const lastScanned = await repo.lastScannedDay(db);
    const firstNew = lastScanned && daysBetween(lastScanned, to) < MAX_LOOKBACK_DAYS ? addDays(lastScanned, 1) : addDays(to, -(MAX_LOOKBACK_DAYS - 1));
    const start = parseIsoDay(from)!;
    const firstNewIndex = daysBetween(from, firstNew);
    const found: repo.NewAlarm[] = [];
    const scanned = scanSeries(set.series.map((s) => ({ name: s.key, start, counts: s.counts })));
    for (let i = 0; i < scanned.length; i++) {
      const s = set.series[i]!;
      for (const a of scanned[i]!.alarms) {
        if (a.index < firstNewIndex) continue;
        const day = isoOfDay(start + a.index);
        found.push({ seriesKey: s.key, slice: s.slice, kind: a.kind, day, since: a.since === undefined ? day : isoOfDay(start + a.since), observed: a.observed, expected: a.expected, score: a.score });
      }
    }
    found.push(...emergingTermAlarms(await termCounts(deps.engine, territory)));
    const alarms = await repo.insertAlarms(db, found, options.now);
    const recipients = await recipientsOf(db, alarms, territory);
    for (const a of alarms) await notifyUsers(db, recipients.get(a.id) ?? [], notificationOf(a, options.now));
    const result = { scanId, seriesScanned: set.series.length, candidates: set.candidates, recordsRead: set.records, alarms, throughDay: to, seconds: (performance.now() - started) / 1000 };
    await repo.finishScan(db, scanId, { seriesScanned: result.seriesScanned, alarmsFound: alarms.length, recordsRead: set.records, throughDay: to, error: null }, new Date());
    return result;
  } catch (err) {
    await repo.finishScan(db, scanId, { seriesScanned: 0, alarmsFound: 0, recordsRead: 0, throughDay: null, error: err instanceof Error ? err.message.slice(0, 500) : String(err) }, new Date());
    throw err;
  }
}

/**
 * The daily digest: to each user who watches slices with the digest on (and each coordinator), one
 * e-mail with the alarms recorded in the last day that reach them, in their language.
 */
/** The digest as HTML: one row per alarm, with its day, the contacts observed against those expected, and its link. */
function digestHtml(lang: string, subject: string, intro: string, items: { alarm: repo.StoredAlarm; title: string; url: string }[]): string {
  const h = lang === 'en' ? { alarm: 'Alarm', day: 'Day', observed: 'Observed', expected: 'Expected', open: 'Open' } : { alarm: 'Allarme', day: 'Giorno', observed: 'Osservati', expected: 'Attesi', open: 'Apri' };
  const number = (x: number) => (Math.round(x * 10) / 10).toLocaleString(lang === 'en' ? 'en-GB' : 'it-IT');
  const rows = items
    .map(({ alarm, title, url }) => {
      const counts = alarm.kind === 'emerging_term' ? ['', ''] : [number(alarm.observed), number(alarm.expected)];
      return `<tr><td>${escapeHtml(title)}</td><td>${alarm.day}</td><td>${counts[0]}</td><td>${counts[1]}</td><td><a href="${escapeHtml(url)}">${h.open}</a></td></tr>`;
    })
    .join('');
  return `<!doctype html><html lang="${lang === 'en' ? 'en' : 'it'}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body><p>${escapeHtml(intro)}</p><table><thead><tr><th scope="col">${h.alarm}</th><th scope="col">${h.day}</th><th scope="col">${h.observed}</th><th scope="col">${h.expected}</th><th scope="col"></th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
}

export async function sendAlarmDigest(deps: AlarmDeps, mailer: Mailer, options: { now: Date; baseUrl: string }): Promise<{ sent: number }> {
  const { db } = deps;
  const alarms = await repo.alarmsCreatedBetween(db, new Date(options.now.getTime() - 86_400_000), options.now);
  if (alarms.length === 0) return { sent: 0 };
  const recipients = await recipientsOf(db, alarms, await deps.territory(), { digestOnly: true });
  const byUser = new Map<string, repo.StoredAlarm[]>();
  for (const a of alarms) for (const u of recipients.get(a.id) ?? []) byUser.set(u, [...(byUser.get(u) ?? []), a]);
  let sent = 0;
  for (const [userId, list] of byUser) {
    const user = await identity.findUser(db, userId);
    if (!user?.active) continue;
    const lang = user.locale;
    const items = list.slice(0, 50).map((a) => ({ alarm: a, title: renderNotification(lang, `alarm.${a.kind}`, notificationOf(a, options.now).params)?.title ?? a.kind, url: `${options.baseUrl}/analisi/allarmi/${a.id}` }));
    const subject = lang === 'en' ? `urpnet: ${list.length} new alarms` : `urpnet: ${list.length} nuovi allarmi`;
    const intro = lang === 'en' ? 'Alarms recorded in the last 24 hours on the slices you watch:' : 'Allarmi registrati nelle ultime 24 ore sulle porzioni che seguite:';
    const text = `${intro}\n\n${items.map((i) => `- ${i.title}\n  ${i.url}`).join('\n')}\n`;
    await mailer.send({ to: user.email, subject, text, html: digestHtml(lang, subject, intro, items) });
    sent++;
  }
  return { sent };
}
