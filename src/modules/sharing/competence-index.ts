/**
 * The network's declared competences indexed for "who is competent for topic T in place P":
 * by topic, then by territory code as it stands today (codes of comuni merged away count as their
 * successors), with the nationwide ones apart. A directory question then reads a handful of
 * buckets — the place, its province, its region, the whole country — instead of every competence
 * of the network. Pure: built from a list of competences and a territory, shared read-only.
 */

export interface IndexedCompetence {
  officeId: string;
  topic: string;
  territory: readonly string[];
}

/** How well a competence's territory covers a place: 3 the place itself, 2 a province or region around it, 1 the whole country. */
export type PlaceMatch = 1 | 2 | 3;

/** What of the territory the index needs (the territory module's `Territory` has it). */
export interface IndexTerritory {
  resolve(code: string): string | null;
  regionOf(code: string): string | null;
  provinceOf(code: string): string | null;
}

interface Bucket {
  all: IndexedCompetence[];
  national: IndexedCompetence[];
  byCode: Map<string, IndexedCompetence[]>;
}

const emptyBucket = (): Bucket => ({ all: [], national: [], byCode: new Map() });

function add(bucket: Bucket, c: IndexedCompetence, codes: readonly string[]): void {
  bucket.all.push(c);
  if (codes.length === 0) bucket.national.push(c);
  for (const code of codes) {
    const list = bucket.byCode.get(code);
    if (list) {
      if (list[list.length - 1] !== c) list.push(c);
    } else bucket.byCode.set(code, [c]);
  }
}

/** The topic and its ancestors, most specific first: 'tributi.tari.riduzioni' → itself, 'tributi.tari', 'tributi'. */
export function topicAndAncestors(topic: string): string[] {
  const parts = topic.split('.');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('.'));
}

export class CompetenceIndex {
  readonly size: number;
  private readonly everything = emptyBucket();
  private readonly byTopic = new Map<string, Bucket>();
  private readonly territory: IndexTerritory;

  constructor(competences: readonly IndexedCompetence[], territory: IndexTerritory) {
    this.territory = territory;
    this.size = competences.length;
    for (const c of competences) {
      const codes = [...new Set(c.territory.map((t) => territory.resolve(t) ?? t))];
      add(this.everything, c, codes);
      let bucket = this.byTopic.get(c.topic);
      if (!bucket) {
        bucket = emptyBucket();
        this.byTopic.set(c.topic, bucket);
      }
      add(bucket, c, codes);
    }
  }

  /** Topics some office declares. */
  topics(): string[] {
    return [...this.byTopic.keys()];
  }

  /** Offices that declare some competence. */
  officeIds(): string[] {
    return [...new Set(this.everything.all.map((c) => c.officeId))];
  }

  /** Topics declared that lie below `topic` in the taxonomy ('tributi' → 'tributi.tari', …). */
  descendantsOf(topic: string): string[] {
    const prefix = `${topic}.`;
    return this.topics().filter((t) => t.startsWith(prefix));
  }

  /**
   * Competences of `topic` (every topic when null) whose territory covers `place` (every one when
   * null, as the whole country), each with how well. A competence listed under several of the place's
   * codes counts once, at its best.
   */
  at(topic: string | null, place: string | null): Map<IndexedCompetence, PlaceMatch> {
    const bucket = topic === null ? this.everything : this.byTopic.get(topic);
    const out = new Map<IndexedCompetence, PlaceMatch>();
    if (!bucket) return out;
    if (place === null) {
      for (const c of bucket.all) out.set(c, 1);
      return out;
    }
    const p = this.territory.resolve(place) ?? place;
    for (const c of bucket.byCode.get(p) ?? []) out.set(c, 3);
    for (const around of [this.territory.provinceOf(p), this.territory.regionOf(p)]) {
      if (around === null || around === p) continue;
      for (const c of bucket.byCode.get(around) ?? []) if (!out.has(c)) out.set(c, 2);
    }
    for (const c of bucket.national) if (!out.has(c)) out.set(c, 1);
    return out;
  }

  /**
   * For the coverage report: the competences of `topic` or an ancestor of it (a competence on a
   * topic covers its sub-topics), split by the level of territory they are declared on.
   */
  covering(topic: string): { national: IndexedCompetence[]; byCode: ReadonlyMap<string, readonly IndexedCompetence[]> } {
    const national: IndexedCompetence[] = [];
    const byCode = new Map<string, IndexedCompetence[]>();
    for (const t of topicAndAncestors(topic)) {
      const bucket = this.byTopic.get(t);
      if (!bucket) continue;
      national.push(...bucket.national);
      for (const [code, list] of bucket.byCode) byCode.set(code, [...(byCode.get(code) ?? []), ...list]);
    }
    return { national, byCode };
  }
}
