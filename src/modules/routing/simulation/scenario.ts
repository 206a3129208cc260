/**
 * The scenario of a routing simulation: what `urpnet simulate --scenario FILE.json` reads, checked
 * and normalised into plain data the engine can use without further checks. Pure, no I/O.
 *
 * Input format (JSON; fields not listed are ignored, so other tools may add their own):
 *
 * {
 *   "days": integer ≥ 1,                      // simulated days, each starting at 00:00
 *   "seed": integer (default 1),              // same seed ⇒ same arrivals, handle times, patience
 *   "serviceLevelSeconds": number ≥ 0 (default 20),
 *   "offices": [{
 *     "id": string (unique),
 *     "open": ["HH:MM", "HH:MM"] | [["HH:MM","HH:MM"], …] | absent (= 24 h),   // split shifts allowed
 *     "agents": integer ≥ 0,                  // on the phones while open…
 *     "roster": [{ "from": "HH:MM", "to": "HH:MM", "agents": integer ≥ 0 }],  // …or by time of day (overlaps add up)
 *     "handleSeconds": distribution,          // override of the scenario's handleSeconds for contacts arriving here
 *     "maxQueue": integer ≥ 0 | null,         // `queue` trigger and saturation as a partner
 *     "maxWaitSeconds": number ≥ 0 | null,    // estimated wait above this: `wait` trigger at once, saturated as a partner
 *     "arrivalsWhenClosed": boolean (default false),  // contacts also arrive while closed (they wait or overflow)
 *     "overflowTo": [{ "office": id, "afterSeconds": number ≥ 0 (default 0), "cap": integer ≥ 0 | null,
 *                      "topics": [string], "when": ["closed" | "queue" | "wait"] (default ["wait", "closed"]) }]
 *   }],
 *   "arrivals": [{ "office": id, "perHour": number ≥ 0, "topic": string | null,
 *                  "profile": [24 weights ≥ 0] | [{ "from": "HH:MM", "to": "HH:MM", "weight": number ≥ 0 }] }],
 *   "handleSeconds": distribution,
 *   "patienceSeconds": distribution | null    // null or absent: nobody hangs up
 * }
 * distribution = { "dist": "exponential" | "constant" | "lognormal", "mean": number > 0, "cv": number > 0 (lognormal only) }
 *
 * The arrival rate at a time of day is perHour × the profile's weight there (no profile: weight 1;
 * a list of ranges: weight 0 outside them), and zero while the office is closed unless
 * `arrivalsWhenClosed`.
 */
import { OVERFLOW_TRIGGERS, type OfficeThresholds, type OverflowRoute, type OverflowTrigger } from '../overflow-policy.js';

export const DAY_SECONDS = 86_400;
export const DISTRIBUTIONS = ['exponential', 'constant', 'lognormal'] as const;
export type DistributionKind = (typeof DISTRIBUTIONS)[number];

export interface Distribution {
  readonly dist: DistributionKind;
  /** Seconds. */
  readonly mean: number;
  /** Coefficient of variation, used by `lognormal` only (0 otherwise). */
  readonly cv: number;
}

/** Seconds since midnight, `from` inclusive, `to` exclusive, `from < to ≤ 86400`. */
export interface DayRange {
  readonly from: number;
  readonly to: number;
}

export interface StaffShift extends DayRange {
  readonly agents: number;
}

export interface WeightedRange extends DayRange {
  readonly weight: number;
}

export interface ScenarioOffice {
  readonly id: string;
  /** Sorted, not overlapping. */
  readonly open: readonly DayRange[];
  /** Agents on the phones by time of day: the sum of the shifts covering the time. */
  readonly staffing: readonly StaffShift[];
  readonly handle: Distribution;
  readonly overflowTo: readonly OverflowRoute[];
  readonly thresholds: OfficeThresholds;
  readonly arrivalsWhenClosed: boolean;
}

export interface ScenarioArrivals {
  readonly office: string;
  readonly perHour: number;
  readonly topic: string | null;
  /** Weights by time of day (uncovered time: 0). */
  readonly profile: readonly WeightedRange[];
}

export interface Scenario {
  readonly days: number;
  readonly seed: number;
  readonly serviceLevelSeconds: number;
  readonly offices: readonly ScenarioOffice[];
  readonly arrivals: readonly ScenarioArrivals[];
  readonly patience: Distribution | null;
}

export type ScenarioCheck = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

const ALL_DAY: DayRange[] = [{ from: 0, to: DAY_SECONDS }];
const DEFAULT_WHEN: OverflowTrigger[] = ['wait', 'closed'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => {
  if (v === undefined) return 'assente';
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
};

/** Collects every problem, so one run of the command lists them all. */
class Checker {
  readonly errors: string[] = [];
  fail(field: string, message: string, ...found: unknown[]): void {
    this.errors.push(found.length > 0 ? `${field}: ${message} (trovato ${show(found[0])})` : `${field}: ${message}`);
  }
  number(field: string, v: unknown, min: number, options: { integer?: boolean; strict?: boolean } = {}): number | null {
    const ok = typeof v === 'number' && Number.isFinite(v) && (options.strict ? v > min : v >= min) && (!options.integer || Number.isInteger(v));
    if (ok) return v;
    const what = options.integer ? 'un intero' : 'un numero';
    this.fail(field, `deve essere ${what} ${options.strict ? '>' : '≥'} ${min}`, v);
    return null;
  }
  time(field: string, v: unknown): number | null {
    const m = typeof v === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(v) : null;
    const h = m ? Number(m[1]) : Number.NaN;
    const min = m ? Number(m[2]) : Number.NaN;
    if (!m || h > 24 || min > 59 || (h === 24 && min > 0)) {
      this.fail(field, 'deve essere un orario «HH:MM» tra 00:00 e 24:00', v);
      return null;
    }
    return h * 3600 + min * 60;
  }
  range(field: string, from: unknown, to: unknown): DayRange | null {
    const f = this.time(`${field}.from`, from);
    const t = this.time(`${field}.to`, to);
    if (f === null || t === null) return null;
    if (f >= t) {
      this.fail(field, `l'orario di fine deve seguire quello di inizio (${show(from)}–${show(to)}); gli orari a cavallo della mezzanotte vanno divisi in due`);
      return null;
    }
    return { from: f, to: t };
  }
  distribution(field: string, v: unknown): Distribution | null {
    if (!isObject(v)) {
      this.fail(field, 'deve essere una distribuzione { "dist": "exponential" | "constant" | "lognormal", "mean": secondi }', v);
      return null;
    }
    const kind = v.dist;
    if (typeof kind !== 'string' || !(DISTRIBUTIONS as readonly string[]).includes(kind)) {
      this.fail(`${field}.dist`, `distribuzione sconosciuta: ammesse ${DISTRIBUTIONS.join(', ')}`, kind);
      return null;
    }
    const mean = this.number(`${field}.mean`, v.mean, 0, { strict: true });
    let cv = 0;
    if (kind === 'lognormal') {
      const c = this.number(`${field}.cv`, v.cv, 0, { strict: true });
      if (c === null) return null;
      cv = c;
    }
    return mean === null ? null : { dist: kind as DistributionKind, mean, cv };
  }
}

function openRanges(c: Checker, field: string, v: unknown): DayRange[] | null {
  if (v === undefined || v === null) return ALL_DAY;
  if (!Array.isArray(v) || v.length === 0) {
    c.fail(field, 'deve essere ["HH:MM", "HH:MM"] oppure un elenco di fasce [["HH:MM", "HH:MM"], …]', v);
    return null;
  }
  const pairs: unknown[] = typeof v[0] === 'string' ? [v] : v;
  const ranges: DayRange[] = [];
  pairs.forEach((p, i) => {
    const f = pairs === v ? `${field}[${i}]` : field;
    if (!Array.isArray(p) || p.length !== 2) {
      c.fail(f, 'ogni fascia deve essere una coppia ["HH:MM", "HH:MM"]', p);
      return;
    }
    const r = c.range(f, p[0], p[1]);
    if (r) ranges.push(r);
  });
  if (ranges.length !== pairs.length) return null;
  ranges.sort((a, b) => a.from - b.from);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]!.from < ranges[i - 1]!.to) {
      c.fail(field, 'le fasce di apertura si sovrappongono');
      return null;
    }
  }
  return ranges;
}

function staffing(c: Checker, field: string, o: Json, open: DayRange[] | null): StaffShift[] | null {
  if (o.agents !== undefined && o.roster !== undefined) {
    c.fail(field, 'indicare «agents» oppure «roster», non entrambi');
    return null;
  }
  if (o.roster === undefined) {
    if (o.agents === undefined) {
      c.fail(`${field}.agents`, 'obbligatorio (oppure «roster»)');
      return null;
    }
    const agents = c.number(`${field}.agents`, o.agents, 0, { integer: true });
    return agents === null || open === null ? null : open.map((r) => ({ ...r, agents }));
  }
  if (!Array.isArray(o.roster)) {
    c.fail(`${field}.roster`, 'deve essere un elenco di turni { "from", "to", "agents" }', o.roster);
    return null;
  }
  const shifts: StaffShift[] = [];
  let ok = true;
  o.roster.forEach((s, i) => {
    const f = `${field}.roster[${i}]`;
    if (!isObject(s)) {
      c.fail(f, 'deve essere un turno { "from", "to", "agents" }', s);
      ok = false;
      return;
    }
    const r = c.range(f, s.from, s.to);
    const agents = c.number(`${f}.agents`, s.agents, 0, { integer: true });
    if (r && agents !== null) shifts.push({ ...r, agents });
    else ok = false;
  });
  return ok ? shifts : null;
}

function profile(c: Checker, field: string, v: unknown): WeightedRange[] | null {
  if (v === undefined || v === null) return [{ from: 0, to: DAY_SECONDS, weight: 1 }];
  if (!Array.isArray(v)) {
    c.fail(field, 'deve essere un elenco di 24 pesi orari oppure di fasce { "from", "to", "weight" }', v);
    return null;
  }
  if (v.every((w) => typeof w === 'number')) {
    if (v.length !== 24) {
      c.fail(field, `deve avere 24 pesi orari, uno per ora da 00 a 23 (trovati ${v.length})`);
      return null;
    }
    const weights = v.map((w, h) => c.number(`${field}[${h}]`, w, 0));
    if (weights.some((w) => w === null)) return null;
    return weights.map((w, h) => ({ from: h * 3600, to: (h + 1) * 3600, weight: w! }));
  }
  const ranges: WeightedRange[] = [];
  let ok = true;
  v.forEach((s, i) => {
    const f = `${field}[${i}]`;
    if (!isObject(s)) {
      c.fail(f, 'deve essere una fascia { "from", "to", "weight" } (o un peso orario numerico)', s);
      ok = false;
      return;
    }
    const r = c.range(f, s.from, s.to);
    const weight = c.number(`${f}.weight`, s.weight, 0);
    if (r && weight !== null) ranges.push({ ...r, weight });
    else ok = false;
  });
  if (!ok) return null;
  ranges.sort((a, b) => a.from - b.from);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i]!.from < ranges[i - 1]!.to) {
      c.fail(field, 'le fasce del profilo si sovrappongono');
      return null;
    }
  }
  return ranges;
}

function thresholdOf(c: Checker, field: string, v: unknown, integer: boolean): number | null {
  if (v === undefined || v === null) return null;
  return c.number(field, v, 0, { integer });
}

function routes(c: Checker, field: string, v: unknown, from: string, ids: ReadonlySet<string>): OverflowRoute[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    c.fail(field, 'deve essere un elenco di instradamenti { "office", "afterSeconds", … }', v);
    return [];
  }
  const out: OverflowRoute[] = [];
  v.forEach((r, i) => {
    const f = `${field}[${i}]`;
    if (!isObject(r)) {
      c.fail(f, 'deve essere un instradamento { "office", "afterSeconds", … }', r);
      return;
    }
    const before = c.errors.length;
    if (typeof r.office !== 'string' || !ids.has(r.office)) c.fail(`${f}.office`, 'ufficio sconosciuto', r.office);
    else if (r.office === from) c.fail(`${f}.office`, `un ufficio non può traboccare su sé stesso («${from}»)`);
    const afterSeconds = r.afterSeconds === undefined ? 0 : c.number(`${f}.afterSeconds`, r.afterSeconds, 0);
    const cap = r.cap === undefined || r.cap === null ? null : c.number(`${f}.cap`, r.cap, 0, { integer: true });
    let topics: string[] = [];
    if (r.topics !== undefined && r.topics !== null) {
      if (!Array.isArray(r.topics) || !r.topics.every((t) => typeof t === 'string' && t.length > 0)) c.fail(`${f}.topics`, 'deve essere un elenco di codici di tema', r.topics);
      else topics = r.topics as string[];
    }
    let when = DEFAULT_WHEN;
    if (r.when !== undefined) {
      if (!Array.isArray(r.when) || r.when.length === 0 || !r.when.every((t) => (OVERFLOW_TRIGGERS as readonly unknown[]).includes(t))) {
        c.fail(`${f}.when`, `deve essere un elenco non vuoto di ${OVERFLOW_TRIGGERS.join(', ')}`, r.when);
      } else when = [...new Set(r.when as OverflowTrigger[])];
    }
    if (c.errors.length === before) out.push({ toOfficeId: r.office as string, afterSeconds: afterSeconds!, cap: cap ?? null, topics, when });
  });
  return out;
}

/** Checks a parsed JSON scenario; every error names its field (e.g. `offices[1].agents`), in Italian. */
export function validateScenario(raw: unknown): ScenarioCheck {
  const c = new Checker();
  if (!isObject(raw)) return { ok: false, errors: ['lo scenario deve essere un oggetto JSON'] };
  const days = c.number('days', raw.days, 1, { integer: true });
  const seed = raw.seed === undefined ? 1 : c.number('seed', raw.seed, 0, { integer: true });
  const serviceLevelSeconds = raw.serviceLevelSeconds === undefined ? 20 : c.number('serviceLevelSeconds', raw.serviceLevelSeconds, 0);
  const handle = c.distribution('handleSeconds', raw.handleSeconds);
  const patience = raw.patienceSeconds === undefined || raw.patienceSeconds === null ? null : c.distribution('patienceSeconds', raw.patienceSeconds);

  const offices: ScenarioOffice[] = [];
  const ids = new Set<string>();
  if (!Array.isArray(raw.offices) || raw.offices.length === 0) c.fail('offices', 'deve essere un elenco non vuoto di uffici', raw.offices);
  const rawOffices = Array.isArray(raw.offices) ? raw.offices : [];
  rawOffices.forEach((o, i) => {
    if (!isObject(o)) return;
    if (typeof o.id !== 'string' || o.id.length === 0) c.fail(`offices[${i}].id`, 'deve essere una stringa non vuota', o.id);
    else if (ids.has(o.id)) c.fail(`offices[${i}].id`, `identificativo «${o.id}» ripetuto`);
    else ids.add(o.id);
  });
  rawOffices.forEach((o, i) => {
    const field = `offices[${i}]`;
    if (!isObject(o)) {
      c.fail(field, 'deve essere un oggetto', o);
      return;
    }
    const before = c.errors.length;
    const open = openRanges(c, `${field}.open`, o.open);
    const staff = staffing(c, field, o, open);
    const officeHandle = o.handleSeconds === undefined ? handle : c.distribution(`${field}.handleSeconds`, o.handleSeconds);
    const maxQueue = thresholdOf(c, `${field}.maxQueue`, o.maxQueue, true);
    const maxWaitSeconds = thresholdOf(c, `${field}.maxWaitSeconds`, o.maxWaitSeconds, false);
    if (o.arrivalsWhenClosed !== undefined && typeof o.arrivalsWhenClosed !== 'boolean') c.fail(`${field}.arrivalsWhenClosed`, 'deve essere true o false', o.arrivalsWhenClosed);
    const overflowTo = routes(c, `${field}.overflowTo`, o.overflowTo, typeof o.id === 'string' ? o.id : '', ids);
    if (c.errors.length > before || open === null || staff === null || officeHandle === null) return;
    offices.push({
      id: o.id as string,
      open,
      staffing: staff,
      handle: officeHandle,
      overflowTo,
      thresholds: { maxQueue, maxWaitSeconds },
      arrivalsWhenClosed: o.arrivalsWhenClosed === true,
    });
  });

  const arrivals: ScenarioArrivals[] = [];
  if (!Array.isArray(raw.arrivals)) c.fail('arrivals', 'deve essere un elenco di flussi di arrivo { "office", "perHour" }', raw.arrivals);
  (Array.isArray(raw.arrivals) ? raw.arrivals : []).forEach((a, i) => {
    const field = `arrivals[${i}]`;
    if (!isObject(a)) {
      c.fail(field, 'deve essere un flusso di arrivo { "office", "perHour" }', a);
      return;
    }
    const before = c.errors.length;
    if (typeof a.office !== 'string' || !ids.has(a.office)) c.fail(`${field}.office`, 'ufficio sconosciuto', a.office);
    const perHour = c.number(`${field}.perHour`, a.perHour, 0);
    if (a.topic !== undefined && a.topic !== null && (typeof a.topic !== 'string' || a.topic.length === 0)) c.fail(`${field}.topic`, 'deve essere un codice di tema (stringa)', a.topic);
    const weights = profile(c, `${field}.profile`, a.profile);
    if (c.errors.length > before || perHour === null || weights === null) return;
    arrivals.push({ office: a.office as string, perHour, topic: typeof a.topic === 'string' ? a.topic : null, profile: weights });
  });

  if (c.errors.length > 0 || days === null || seed === null || serviceLevelSeconds === null || handle === null) return { ok: false, errors: c.errors };
  return { ok: true, scenario: { days, seed, serviceLevelSeconds, offices, arrivals, patience } };
}

/** True when `second` (since midnight) falls in one of the ranges. */
export function inRanges(ranges: readonly DayRange[], second: number): boolean {
  return ranges.some((r) => r.from <= second && second < r.to);
}

/** Agents on the phones at `second` since midnight. */
export function agentsAt(office: ScenarioOffice, second: number): number {
  let n = 0;
  for (const s of office.staffing) if (s.from <= second && second < s.to) n += s.agents;
  return n;
}

/** Profile weight at `second` since midnight. */
export function weightAt(profileRanges: readonly WeightedRange[], second: number): number {
  for (const r of profileRanges) if (r.from <= second && second < r.to) return r.weight;
  return 0;
}
