/**
 * The dashboard of issue 14: for one slice of the anonymised archive (an office, an organisation, a
 * territory or the whole network, narrowed by topic, request type, channel, period and source), the
 * contacts over time, the breakdowns by topic, request type, channel, office, organisation,
 * province and region, the sparklines of the main topics and the service KPIs — in ONE DuckDB query
 * over the Parquet files (GROUPING SETS), so that it stays interactive at national scale.
 *
 * What leaves here is safe to show an analyst, as the archive's own aggregates are:
 * - every count goes through small-cell suppression (`suppressCounts`/`suppressTable`): counts of 1
 *   to `threshold` are withheld, and enough others that none can be recomputed from a table;
 * - the tables of one answer agree with each other: the topic roots by month form one two-way table
 *   whose margins are the root breakdown and (at month granularity) the series; the grand total is
 *   published only when every table publishes it;
 * - rates are given only when both their parts are published (a rate of 98% over 100 reveals 2);
 *   the mean satisfaction only over at least `MIN_GROUP_FOR_STATS` rated contacts.
 * Like the archive's aggregates, differences between answers to different filters are not audited.
 *
 * Definitions (documented in the API too):
 * - first-contact resolution: the contact was resolved by the office that received it, without
 *   involving another office or body — `offices_involved <= 1 and handoffs = 0` and an outcome of
 *   `RESOLVED_OUTCOMES`; the rate is over every contact of the slice;
 * - handoffs between bodies: contacts with at least one handoff (transfer to another office or
 *   body), their share, and the number of handoffs;
 * - SLA compliance: the first response came within `slaMinutes` of the opening (default 2 days,
 *   as elapsed time: the archive keeps durations in minutes, not office hours); over the contacts
 *   with a first response;
 * - satisfaction: mean rating of the rated contacts (the platform runs no survey yet: "no data").
 */
import {
  type ArchiveEngine,
  type ArchiveFilter,
  type CellStatus,
  DEFAULT_SMALL_CELL_THRESHOLD,
  fromFiltered,
  MIN_GROUP_FOR_STATS,
  type PublishedCounts,
  SUPPRESSED,
  suppressCounts,
  suppressTable,
  type VersionedTerritory,
} from '../archive/index.js';
import { type DashboardGranularity, fillPeriods, PERIOD_SQL } from './dashboard-periods.js';

/** Outcomes that count as resolved: the taxonomy's `esito` codes for a contact answered in full. */
export const RESOLVED_OUTCOMES = ['risolto_primo_contatto', 'risposta_fornita', 'resolved'] as const;
/** The default service level: a first response within 2 days (2880 minutes) of the opening. */
export const DEFAULT_SLA_MINUTES = 2 * 24 * 60;
/** Categories listed per breakdown, the largest first; the others are merged into one `*` item. */
export const BREAKDOWN_LIMIT = 30;
/** Topics with a sparkline, the largest first. */
export const SPARKLINE_TOPICS = 8;

export const BREAKDOWNS = ['topic', 'topicRoot', 'requestType', 'channel', 'office', 'organisation', 'province', 'region'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export interface DashboardFilter extends ArchiveFilter {
  /** The `tipo` facet of the classification (informazione, reclamo, …). */
  requestType?: string;
}

export interface DashboardQuery {
  filter: DashboardFilter;
  granularity: DashboardGranularity;
  slaMinutes?: number;
  threshold?: number;
}

export interface CountItem {
  /** The category (null: not recorded; `*`: the categories beyond the list, merged). */
  key: string | null;
  count: number | null;
  status: CellStatus;
}

export interface BreakdownView {
  items: CountItem[];
  total: number | null;
  /** Categories merged into the `*` item. */
  otherGroups: number;
}

/** A share of the slice: `count` of `of`, and their ratio when both are published. */
export interface RateView {
  count: number | null;
  of: number | null;
  rate: number | null;
}

export interface Dashboard {
  granularity: DashboardGranularity;
  threshold: number;
  slaMinutes: number;
  /** True when the slice holds no contact: the charts say "no data". */
  empty: boolean;
  total: number | null;
  series: {
    periods: string[];
    counts: (number | null)[];
    status: CellStatus[];
    /** Hour granularity: contacts whose opening hour was not archived (not in the series). */
    withoutHour: number | null;
  };
  breakdowns: Record<Breakdown, BreakdownView>;
  /** Monthly counts of the main topic roots, over `months`. */
  sparklines: { months: string[]; topics: { key: string | null; total: number | null; counts: (number | null)[] }[] };
  kpis: {
    firstContactResolution: RateView;
    handoffs: RateView & { handoffs: number | null };
    sla: RateView;
    satisfaction: { rated: number | null; mean: number | null };
  };
  suppressed: { primary: number; secondary: number };
}

/** The grouping columns of the dashboard query, in the order of `grouping(...)`'s bits. */
const COLUMNS = ['p', 'month', 'topic', 'rtype', 'channel', 'office', 'org', 'province', 'region'] as const;
type Column = (typeof COLUMNS)[number];
const SETS: Record<string, readonly Column[]> = {
  total: [],
  series: ['p'],
  // Topics by month: the topic breakdown, the topic roots and the roots by month all come from it.
  topics: ['topic', 'month'],
  requestType: ['rtype'],
  channel: ['channel'],
  office: ['office'],
  organisation: ['org'],
  province: ['province'],
  region: ['region'],
};
/** The grouping columns at a granularity: at month the series is the margin of the topics by month, no column (nor set) of its own. */
const columnsAt = (granularity: DashboardGranularity): readonly Column[] => (granularity === 'month' ? COLUMNS.filter((c) => c !== 'p') : COLUMNS);
/** `grouping(c1, …, cn)` of a set: bit (n-1-i) is set when column i is not grouped. */
const groupingId = (set: readonly Column[], columns: readonly Column[]) => columns.reduce((id, c, i) => (set.includes(c) ? id : id | (1 << (columns.length - 1 - i))), 0);
const BREAKDOWN_SET: Record<Exclude<Breakdown, 'topicRoot' | 'topic'>, string> = {
  requestType: 'requestType',
  channel: 'channel',
  office: 'office',
  organisation: 'organisation',
  province: 'province',
  region: 'region',
};
const COLUMN_OF: Record<string, Column> = { requestType: 'rtype', channel: 'channel', office: 'office', organisation: 'org', province: 'province', region: 'region' };

interface Row {
  gid: number;
  key: Record<Column, string | null>;
  n: number;
  fcr: number;
  handed: number;
  handoffs: number;
  responded: number;
  withinSla: number;
  rated: number;
  satisfaction: number | null;
}

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** The slice's dashboard. An archive without files, or a filter matching nothing, gives an empty one. */
export async function buildDashboard(engine: ArchiveEngine, territory: VersionedTerritory, q: DashboardQuery): Promise<Dashboard> {
  const threshold = q.threshold ?? DEFAULT_SMALL_CELL_THRESHOLD;
  const slaMinutes = q.slaMinutes ?? DEFAULT_SLA_MINUTES;
  const source = engine.source();
  const rows = source ? await queryRows(engine, source, territory, q, slaMinutes) : [];
  return shapeDashboard(rows, { granularity: q.granularity, threshold, slaMinutes });
}

async function queryRows(engine: ArchiveEngine, source: string, territory: VersionedTerritory, q: DashboardQuery, slaMinutes: number): Promise<Row[]> {
  const tmap = await engine.territoryMap(territory);
  const { requestType, ...archiveFilter } = q.filter;
  const from = fromFiltered(source, tmap, archiveFilter);
  const params = { ...from.params, sla: slaMinutes, ...(requestType ? { rtype: requestType } : {}) };
  const resolved = RESOLVED_OUTCOMES.map((o) => `'${o}'`).join(', ');
  const columns = columnsAt(q.granularity);
  const sets = Object.entries(SETS)
    .filter(([name]) => name !== 'series' || q.granularity !== 'month')
    .map(([, s]) => `(${s.join(', ')})`)
    .join(', ');
  // One scan of the slice: each grouping set is one table of the dashboard (the totals, the series,
  // the topics by month, one per breakdown), told apart by grouping(). The request type is read
  // from the classification with a pattern, not a JSON parser: the archive writes it with
  // JSON.stringify (no spaces), and parsing every record's JSON took two thirds of the query (bench/dashboard.bench.ts).
  const sql = `with base as (
      select ${q.granularity === 'month' ? '' : `${PERIOD_SQL[q.granularity]} as p, `}strftime(r.opened_day, '%Y-%m') as month, r.topic_code as topic,
        nullif(regexp_extract(r.classification_json, '"tipo":"([^"]*)"', 1), '') as rtype,
        r.channel as channel, r.office_id as office, r.organisation_id as org, tm.t1 as province, tm.t2 as region,
        (coalesce(r.offices_involved, 1) <= 1 and coalesce(r.handoffs, 0) = 0 and r.outcome in (${resolved})) as fcr,
        coalesce(r.handoffs, 0) as handoffs, r.first_response_minutes as fr, r.satisfaction as sat
      from ${from.sql})
    select grouping(${columns.join(', ')}) as gid, ${COLUMNS.map((c) => (columns.includes(c) ? c : `cast(null as varchar) as ${c}`)).join(', ')}, count(*) as n, count_if(fcr) as fcr_n, count_if(handoffs > 0) as handed_n, sum(handoffs) as handoffs_sum,
      count(fr) as fr_n, count_if(fr <= $sla) as sla_n, count(sat) as sat_n, avg(sat) as sat_mean
    from base ${requestType ? 'where rtype = $rtype' : ''}
    group by grouping sets (${sets})`;
  const result = await engine.use(async (conn) => (await conn.runAndReadAll(sql, params)).getRowObjectsJS());
  return result.map((r) => ({
    gid: Number(r.gid),
    key: Object.fromEntries(COLUMNS.map((c) => [c, text(r[c])])) as Record<Column, string | null>,
    n: Number(r.n),
    fcr: Number(r.fcr_n ?? 0),
    handed: Number(r.handed_n ?? 0),
    handoffs: Number(r.handoffs_sum ?? 0),
    responded: Number(r.fr_n ?? 0),
    withinSla: Number(r.sla_n ?? 0),
    rated: Number(r.sat_n ?? 0),
    satisfaction: r.sat_mean === null || r.sat_mean === undefined ? null : Number(r.sat_mean),
  }));
}

/** Counts by key, the largest first, the ones beyond `limit` merged into `*`; then suppressed. */
function breakdown(groups: readonly { key: string | null; n: number }[], threshold: number, limit = BREAKDOWN_LIMIT): BreakdownView & { published: PublishedCounts } {
  const ranked = [...groups].sort((a, b) => b.n - a.n || String(a.key).localeCompare(String(b.key)));
  const listed = ranked.slice(0, limit);
  const others = ranked.slice(limit);
  const keys = [...listed.map((g) => g.key), ...(others.length ? [SUPPRESSED] : [])];
  const counts = [...listed.map((g) => g.n), ...(others.length ? [others.reduce((s, g) => s + g.n, 0)] : [])];
  const published = suppressCounts(
    keys.map((k) => String(k)),
    counts,
    threshold,
  );
  return {
    items: keys.map((key, i) => ({ key, count: published.counts[i] ?? null, status: published.status.counts[i]! })),
    total: published.total,
    otherGroups: others.length,
    published,
  };
}

/** A share `part` of `whole`: both parts suppressed as a two-cell table; the rate only when both are published. */
function rate(part: number, whole: number, threshold: number): RateView & { published: PublishedCounts } {
  const published = suppressCounts(['yes', 'no'], [part, whole - part], threshold);
  const count = published.counts[0] ?? null;
  const rest = published.counts[1] ?? null;
  return { count, of: published.total, rate: count !== null && rest !== null && whole > 0 ? Math.round((count / whole) * 1000) / 1000 : null, published };
}

const EMPTY_ROW: Row = { gid: 0, key: Object.fromEntries(COLUMNS.map((c) => [c, null])) as Record<Column, string | null>, n: 0, fcr: 0, handed: 0, handoffs: 0, responded: 0, withinSla: 0, rated: 0, satisfaction: null };

/** The dashboard from the query's rows (pure: the suppression and the agreement between tables). */
export function shapeDashboard(rows: readonly Row[], o: { granularity: DashboardGranularity; threshold: number; slaMinutes: number }): Dashboard {
  const { threshold, granularity } = o;
  const bySet = new Map<number, Row[]>();
  for (const row of rows) bySet.set(row.gid, [...(bySet.get(row.gid) ?? []), row]);
  const set = (name: string) => bySet.get(groupingId(SETS[name]!, columnsAt(granularity))) ?? [];
  const totalRow = set('total')[0] ?? EMPTY_ROW;
  const total = totalRow.n;

  // The topic roots by month: one two-way table; its margins are the root breakdown (and the monthly series).
  const topicRows = set('topics');
  const rootRows = topicRows.map((r) => ({ ...r, root: r.key.topic === null ? null : r.key.topic.split('.')[0]! }));
  const months = fillPeriods(
    rootRows.map((r) => r.key.month!).filter(Boolean),
    'month',
  );
  const rootTotals = new Map<string | null, number>();
  for (const r of rootRows) rootTotals.set(r.root, (rootTotals.get(r.root) ?? 0) + r.n);
  const rankedRoots = [...rootTotals.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  const listedRoots = rankedRoots.slice(0, BREAKDOWN_LIMIT).map(([k]) => k);
  const otherRoots = rankedRoots.length - listedRoots.length;
  const rootKeys: (string | null)[] = [...listedRoots, ...(otherRoots ? [SUPPRESSED] : [])];
  const rootIndex = new Map(listedRoots.map((k, i) => [k, i]));
  const monthIndex = new Map(months.map((m, i) => [m, i]));
  const cells = rootKeys.map(() => months.map(() => 0));
  for (const r of rootRows) {
    const i = rootIndex.get(r.root) ?? rootKeys.length - 1;
    const j = monthIndex.get(r.key.month!);
    if (j !== undefined) cells[i]![j]! += r.n;
  }
  const rootTable = suppressTable({ rows: rootKeys.map(String), columns: months, cells }, threshold);

  // The series: at month granularity the margin of the roots table; else a one-way table over the periods
  // (with, at hour granularity, the contacts without an hour as one more cell, so that the total holds).
  let series: Dashboard['series'];
  let seriesTotal: number | null;
  let seriesSuppressed = { primary: 0, secondary: 0 };
  if (granularity === 'month') {
    series = { periods: months, counts: rootTable.columnTotals, status: rootTable.status.columnTotals, withoutHour: null };
    seriesTotal = rootTable.total;
  } else {
    const periodRows = set('series');
    const periods = fillPeriods(periodRows.map((r) => r.key.p).filter((p): p is string => p !== null), granularity);
    const counts = new Map(periodRows.map((r) => [r.key.p, r.n]));
    const noHour = counts.get(null) ?? 0;
    const labels = granularity === 'hour' ? [...periods, '-'] : periods;
    const published = suppressCounts(labels, [...periods.map((p) => counts.get(p) ?? 0), ...(granularity === 'hour' ? [noHour] : [])], threshold);
    series = {
      periods,
      counts: published.counts.slice(0, periods.length),
      status: published.status.counts.slice(0, periods.length),
      withoutHour: granularity === 'hour' ? (published.counts[periods.length] ?? null) : null,
    };
    seriesTotal = published.total;
    seriesSuppressed = published.suppressed;
  }

  const tables = Object.fromEntries(
    Object.entries(BREAKDOWN_SET).map(([name, setName]) => [name, breakdown(set(setName).map((r) => ({ key: r.key[COLUMN_OF[name]!]!, n: r.n })), threshold)]),
  ) as Record<Exclude<Breakdown, 'topicRoot'>, ReturnType<typeof breakdown>>;
  const topicTotals = new Map<string | null, number>();
  for (const r of topicRows) topicTotals.set(r.key.topic, (topicTotals.get(r.key.topic) ?? 0) + r.n);
  tables.topic = breakdown([...topicTotals].map(([key, n]) => ({ key, n })), threshold);
  const fcr = rate(totalRow.fcr, total, threshold);
  const handed = rate(totalRow.handed, total, threshold);
  const sla = rate(totalRow.withinSla, totalRow.responded, threshold);

  // The grand total is one cell of every table: published only when none of them withholds it.
  const totals = [rootTable.total, seriesTotal, ...Object.values(tables).map((t) => t.total), fcr.of, handed.of];
  const grand = total === 0 ? 0 : totals.every((t) => t !== null) ? total : null;
  const view = (t: ReturnType<typeof breakdown>): BreakdownView => ({ items: t.items, total: grand, otherGroups: t.otherGroups });
  const ratedEnough = totalRow.rated >= Math.max(MIN_GROUP_FOR_STATS, threshold + 1);

  const suppressed = [rootTable.suppressed, seriesSuppressed, ...Object.values(tables).map((t) => t.published.suppressed), fcr.published.suppressed, handed.published.suppressed, sla.published.suppressed].reduce(
    (a, b) => ({ primary: a.primary + b.primary, secondary: a.secondary + b.secondary }),
    { primary: 0, secondary: 0 },
  );
  const ranked = rootKeys.map((key, i) => ({ key, i, raw: rootTotals.get(key) ?? 0 })).filter((r) => r.key !== SUPPRESSED);
  return {
    granularity,
    threshold,
    slaMinutes: o.slaMinutes,
    empty: total === 0,
    total: grand,
    series,
    breakdowns: {
      topicRoot: {
        items: rootKeys.map((key, i) => ({ key, count: rootTable.rowTotals[i] ?? null, status: rootTable.status.rowTotals[i]! })),
        total: grand,
        otherGroups: otherRoots,
      },
      topic: view(tables.topic),
      requestType: view(tables.requestType),
      channel: view(tables.channel),
      office: view(tables.office),
      organisation: view(tables.organisation),
      province: view(tables.province),
      region: view(tables.region),
    },
    sparklines: {
      months,
      topics: ranked.slice(0, SPARKLINE_TOPICS).map(({ key, i }) => ({ key, total: rootTable.rowTotals[i] ?? null, counts: rootTable.cells[i] ?? [] })),
    },
    kpis: {
      firstContactResolution: { count: fcr.count, of: grand, rate: grand === null ? null : fcr.rate },
      handoffs: { count: handed.count, of: grand, rate: grand === null ? null : handed.rate, handoffs: handed.count === null ? null : totalRow.handoffs },
      sla: { count: sla.count, of: sla.of, rate: sla.rate },
      satisfaction: { rated: ratedEnough ? totalRow.rated : null, mean: ratedEnough && totalRow.satisfaction !== null ? Math.round(totalRow.satisfaction * 100) / 100 : null },
    },
    suppressed,
  };
}
