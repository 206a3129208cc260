/**
 * The daily series the alarm scan watches, built in one pass: the anonymised archive (DuckDB, one
 * grouped query over the Parquet files) for the days it holds completely, then the live counts of
 * opened contacts (contact_counts) for the days after, up to yesterday. Only series with enough
 * volume are kept: a topic in a province with one contact a month has no trend to speak of.
 */
import type { ArchiveEngine, VersionedTerritory } from '../../archive/index.js';
import type { Database as Db } from '../../../db/database.js';
import { addDays, type ArchiveSeriesReader, daysBetween } from '../archive-series.js';
import { type AlarmSlice, type SliceGrouping, sliceKey, sliceOfKey, topicRoot, WATCHED_GROUPINGS } from './alarm-slices.js';

/** A series is watched when it averages at least this many contacts a day over the last weeks. */
export const MIN_DAILY_MEAN = 2;
/** The weeks the volume is judged on. */
const VOLUME_WEEKS = 8;

export interface WatchedSeries {
  key: string;
  slice: AlarmSlice;
  /** counts[i] is the count of day `from + i`. */
  counts: Float64Array;
}

export interface SeriesSet {
  from: string;
  to: string;
  /** The last day read from the archive; later days come from the live counts. */
  archiveThrough: string;
  series: WatchedSeries[];
  /** Series seen before the volume filter. */
  candidates: number;
  /** Archive records read. */
  records: number;
}

interface Dimensions {
  topic: string | null;
  region: string | null;
  province: string | null;
  channel: string | null;
}

/** The slice of a grouping for a row's dimensions, or null when a dimension it needs is unknown. */
function sliceOf(g: SliceGrouping, d: Dimensions): AlarmSlice | null {
  const slice: AlarmSlice = {};
  if (g.topic !== 'none') {
    if (!d.topic) return null;
    // A code without subtopics is its own root: the root grouping already watches it (and `topic=x` means x and below).
    if (g.topic === 'leaf' && !d.topic.includes('.')) return null;
    slice.topic = g.topic === 'root' ? topicRoot(d.topic) : d.topic;
  }
  if (g.territory !== 'none') {
    const t = g.territory === 'region' ? d.region : d.province;
    if (!t) return null;
    slice.territory = t;
  }
  if (g.channel) {
    if (!d.channel) return null;
    slice.channel = d.channel;
  }
  return slice;
}

class SeriesBuilder {
  readonly byKey = new Map<string, WatchedSeries>();
  constructor(
    readonly from: string,
    readonly length: number,
  ) {}

  /** Adds counts by day index to the series of a key (as written by `sliceKey`). */
  addMany(key: string, days: readonly number[], counts: readonly number[]): void {
    let s = this.byKey.get(key);
    if (!s) {
      s = { key, slice: sliceOfKey(key), counts: new Float64Array(this.length) };
      this.byKey.set(key, s);
    }
    for (let j = 0; j < days.length; j++) {
      const i = days[j]!;
      if (i >= 0 && i < this.length) s.counts[i]! += counts[j]!;
    }
  }

  add(slice: AlarmSlice, day: string, n: number): void {
    const i = daysBetween(this.from, day);
    if (i < 0 || i >= this.length) return;
    const key = sliceKey(slice);
    let s = this.byKey.get(key);
    if (!s) {
      s = { key, slice, counts: new Float64Array(this.length) };
      this.byKey.set(key, s);
    }
    s.counts[i]! += n;
  }
}

/** WATCHED_GROUPINGS as DuckDB grouping sets over the day `i` and tr (topic root), tp (topic), rg (region), pv (province), ch (channel). */
const GROUPING_SQL = WATCHED_GROUPINGS.map((g) => {
  const dims = ['i', g.topic === 'root' ? 'tr' : g.topic === 'leaf' ? 'tp' : null, g.territory === 'region' ? 'rg' : g.territory === 'province' ? 'pv' : null, g.channel ? 'ch' : null].filter(Boolean);
  return `(${dims.join(', ')})`;
});

/**
 * Reads the watched series over [from, to]: the archive up to `archiveThrough`, the live counts after.
 * The archive query computes every grouping at once (GROUPING SETS).
 */
export async function loadWatchedSeries(db: Db, engine: ArchiveEngine, territory: VersionedTerritory, range: { from: string; to: string; archiveThrough: string }): Promise<SeriesSet> {
  const length = daysBetween(range.from, range.to) + 1;
  const builder = new SeriesBuilder(range.from, length);
  let records = 0;
  const source = engine.source();
  if (source && range.archiveThrough >= range.from) {
    const tmap = await engine.territoryMap(territory);
    const rows = await engine.use(async (conn) => {
      // Three stages, all in DuckDB: one hash aggregation of the records by day × topic × territory ×
      // channel; the territory ladder and the grouping sets over those (far fewer) cells; then one row
      // per series, its days and counts as two lists, so that rows cross into JavaScript by the series,
      // not by the day. A grouped dimension that is unknown (no topic, no territory)
      // makes no series, nor does a topic without subtopics at leaf level (the root series is the same).
      const reader = await conn.runAndReadAll(
        `with cells as (
           select a.opened_day as day, a.topic_code, a.territory_code, a.channel, count(*) as n
           from ${source} a
           where a.opened_day between cast($from as date) and cast($through as date)
           group by all
         ), r as (
           select date_diff('day', cast($from as date), c.day) as i, split_part(c.topic_code, '.', 1) as tr, c.topic_code as tp, tm.t2 as rg, tm.t1 as pv, c.channel as ch, c.n
           from cells c left join ${tmap} tm on tm.code = c.territory_code
         ), g as (
           select i, tr, tp, rg, pv, ch, grouping(tr) as gtr, grouping(tp) as gtp, grouping(rg) as grg, grouping(pv) as gpv, grouping(ch) as gch, sum(n) as n
           from r group by grouping sets (${GROUPING_SQL.join(', ')})
         )
         select 'topic=' || case when gtp = 0 then tp when gtr = 0 then tr else '*' end
             || ';territory=' || case when grg = 0 then rg when gpv = 0 then pv else '*' end
             || ';channel=' || case when gch = 0 then ch else '*' end as key,
           list(i) as days, list(n) as counts,
           sum(n) filter (where gtr = 1 and gtp = 1 and grg = 1 and gpv = 1 and gch = 1) as everything
         from g
         where not (gtr = 0 and tr is null) and not (gtp = 0 and (tp is null or not contains(tp, '.'))) and not (grg = 0 and rg is null) and not (gpv = 0 and pv is null) and not (gch = 0 and ch is null)
         group by key`,
        { from: range.from, through: range.archiveThrough },
      );
      return reader.getRows();
    });
    for (const [key, days, counts, everything] of rows) {
      if (everything !== null) records += Number(everything);
      // Every series is a candidate: one thin in the archive may be filled by the live days (the volume is judged below).
      builder.addMany(String(key), (days as { items: unknown[] }).items.map(Number), (counts as { items: unknown[] }).items.map(Number));
    }
  }
  // The days after the archive's complete history, from the live counts.
  const liveFrom = addDays(range.archiveThrough, 1) > range.from ? addDays(range.archiveThrough, 1) : range.from;
  if (liveFrom <= range.to) {
    const live = await db
      .selectFrom('contact_counts')
      .select([(eb) => eb.cast<string>('day', 'text').as('day'), 'topic_code', 'territory_code', 'channel', (eb) => eb.fn.sum<number>('contacts').as('contacts')])
      .where('day', '>=', liveFrom)
      .where('day', '<=', range.to)
      .groupBy(['day', 'topic_code', 'territory_code', 'channel'])
      .execute();
    for (const row of live) {
      const t = row.territory_code || null;
      const dims: Dimensions = { topic: row.topic_code || null, region: t && territory.regionOf(t), province: t && territory.provinceOf(t), channel: row.channel || null };
      for (const g of WATCHED_GROUPINGS) {
        const slice = sliceOf(g, dims);
        if (slice) builder.add(slice, row.day, Number(row.contacts));
      }
    }
  }
  const volumeFrom = Math.max(0, length - VOLUME_WEEKS * 7);
  const series = [...builder.byKey.values()].filter((s) => {
    let sum = 0;
    for (let i = volumeFrom; i < length; i++) sum += s.counts[i]!;
    return sum / (length - volumeFrom) >= MIN_DAILY_MEAN;
  });
  return { from: range.from, to: range.to, archiveThrough: range.archiveThrough, series, candidates: builder.byKey.size, records };
}

/**
 * One slice's daily counts over [from, to]: the archive up to `archiveThrough`, the live counts after
 * (for an alarm's chart).
 */
export async function loadSliceSeries(db: Db, archive: ArchiveSeriesReader, territory: VersionedTerritory, slice: AlarmSlice, range: { from: string; to: string; archiveThrough: string }): Promise<Float64Array> {
  const length = daysBetween(range.from, range.to) + 1;
  const counts = new Float64Array(Math.max(length, 0));
  if (range.archiveThrough >= range.from) {
    const archived = await archive.dailyCounts(slice, range.from, range.archiveThrough < range.to ? range.archiveThrough : range.to);
    for (const [day, n] of archived) {
      const i = daysBetween(range.from, day);
      if (i >= 0 && i < length) counts[i]! += n;
    }
  }
  const liveFrom = addDays(range.archiveThrough, 1) > range.from ? addDays(range.archiveThrough, 1) : range.from;
  if (liveFrom <= range.to) {
    let q = db
      .selectFrom('contact_counts')
      .select([(eb) => eb.cast<string>('day', 'text').as('day'), 'territory_code', (eb) => eb.fn.sum<number>('contacts').as('contacts')])
      .where('day', '>=', liveFrom)
      .where('day', '<=', range.to);
    if (slice.topic) q = q.where((eb) => eb.or([eb('topic_code', '=', slice.topic!), eb('topic_code', 'like', `${slice.topic!.replace(/[\\%_]/g, '\\$&')}.%`)]));
    if (slice.channel) q = q.where('channel', '=', slice.channel);
    const rows = await q.groupBy(['day', 'territory_code']).execute();
    for (const row of rows) {
      const t = row.territory_code;
      if (slice.territory && !(t === slice.territory || territory.provinceOf(t) === slice.territory || territory.regionOf(t) === slice.territory)) continue;
      const i = daysBetween(range.from, row.day);
      if (i >= 0 && i < length) counts[i]! += Number(row.contacts);
    }
  }
  return counts;
}
