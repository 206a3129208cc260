/**
 * The slices of the network's contacts that alarms watch (issue 14): topic (a root like `tributi`
 * or a leaf like `tributi.tari`) × territory (the network, a region, a province) × channel, at the
 * combinations that have enough volume. Pure: keys, the grouping the scan computes, and which
 * watches an alarm reaches.
 */

export interface AlarmSlice {
  topic?: string;
  /** ISTAT code of a region (2 digits) or a province (3 digits). */
  territory?: string;
  channel?: string;
}

/** The dimensions of one watched grouping: topic at root or leaf level, territory at region or province level, channel. */
export interface SliceGrouping {
  topic: 'none' | 'root' | 'leaf';
  territory: 'none' | 'region' | 'province';
  channel: boolean;
}

/** The groupings the scan watches, from the whole network down to a topic in a province. */
export const WATCHED_GROUPINGS: readonly SliceGrouping[] = [
  { topic: 'none', territory: 'none', channel: false },
  { topic: 'root', territory: 'none', channel: false },
  { topic: 'leaf', territory: 'none', channel: false },
  { topic: 'none', territory: 'region', channel: false },
  { topic: 'root', territory: 'region', channel: false },
  { topic: 'leaf', territory: 'region', channel: false },
  { topic: 'none', territory: 'province', channel: false },
  { topic: 'root', territory: 'province', channel: false },
  { topic: 'none', territory: 'none', channel: true },
  { topic: 'root', territory: 'none', channel: true },
  { topic: 'none', territory: 'region', channel: true },
];

/** A canonical key of a slice: the same slice always has the same key. */
export function sliceKey(slice: AlarmSlice): string {
  return `topic=${slice.topic ?? '*'};territory=${slice.territory ?? '*'};channel=${slice.channel ?? '*'}`;
}

/** The slice of a key written by `sliceKey`. */
export function sliceOfKey(key: string): AlarmSlice {
  const out: AlarmSlice = {};
  for (const part of key.split(';')) {
    const [name, value] = part.split('=') as [keyof AlarmSlice, string];
    if (value && value !== '*') out[name] = value;
  }
  return out;
}

export const topicRoot = (code: string): string => code.split('.')[0]!;

/** What a territory code is inside: itself, its province and its region. */
export interface TerritoryLadder {
  provinceOf(code: string): string | null;
  regionOf(code: string): string | null;
}

/**
 * True when a watch covers an alarm's slice: every field the watch names is matched (a topic covers
 * its subtopics, a territory the provinces and regions inside it); fields it leaves out match all.
 */
export function watchCovers(watch: AlarmSlice, alarm: AlarmSlice, territory: TerritoryLadder): boolean {
  if (watch.topic && !(alarm.topic && (alarm.topic === watch.topic || alarm.topic.startsWith(`${watch.topic}.`)))) return false;
  if (watch.channel && alarm.channel !== watch.channel) return false;
  if (watch.territory) {
    const t = alarm.territory;
    if (!t) return false;
    if (t !== watch.territory && territory.provinceOf(t) !== watch.territory && territory.regionOf(t) !== watch.territory) return false;
  }
  return true;
}
