/**
 * The archive record: one closed contact, anonymous in the GDPR sense, as a pure function of what
 * the contact was (`ArchiveSource`), the archive's settings and the territory. No I/O.
 *
 * What makes it anonymous, column by column:
 * - nothing identifies the contact: `record_id` is a fresh random UUID (no ticket id or code, no
 *   keyed or reversible pseudonym), and the requester is not in it at all;
 * - times are coarsened: the day (and, only when the network chooses it, the hour) of opening and
 *   closing, in Italian time, and durations in whole minutes;
 * - the place is the organisation's territory, generalised to its province when the comune has fewer
 *   inhabitants than the threshold (a contact from a comune of 300 people nearly names them);
 * - the text is the citizen's request (subject and description) with every recognised piece of
 *   personal data — and the requester's own known name, e-mail, phone and fiscal code — replaced by
 *   a placeholder; `pii_counts` says how many of each were removed. Replies are left out: they add
 *   names of staff and citizens for little analytical value (the answer lives in the FAQ).
 * Small cells (rare combinations) are the export's business (k-anonymity), not the record's.
 */
import { randomUUID } from 'node:crypto';
import { PII_PLACEHOLDERS, PII_TYPES, type PiiType, scrubPii } from '../../platform/privacy/index.js';
import { ROME, wallClockOf } from '../../platform/time-zone.js';

/** The record's columns, in the order of the staging table and of the Parquet files (`month` is the hive partition, not a column of the files). */
export const ARCHIVE_COLUMNS = [
  'record_id', 'month', 'source', 'organisation_id', 'organisation_ipa', 'office_id', 'channel', 'taxonomy_version', 'topic_code', 'classification_json',
  'territory_code', 'territory_level', 'opened_day', 'opened_hour', 'closed_day', 'first_response_minutes', 'resolution_minutes', 'offices_involved',
  'handoffs', 'outcome', 'satisfaction', 'text', 'pii_counts',
] as const;

export type TimeGranularity = 'hour' | 'day';
export type TerritoryLevel = 'comune' | 'provincia' | 'regione';

export interface ArchiveRecord {
  record_id: string;
  /** 'YYYY-MM' of the closure (Italian time). */
  month: string;
  source: 'ticket' | 'historical';
  organisation_id: string;
  organisation_ipa: string | null;
  /** Null for historical contacts (they belong to an organisation, not to an office of the platform). */
  office_id: string | null;
  channel: string | null;
  taxonomy_version: string;
  /** The `tema` facet as a network code (an organisation's local node rolled up to its network parent). */
  topic_code: string | null;
  /** Every facet as a network code, JSON with sorted keys. */
  classification_json: string;
  territory_code: string | null;
  territory_level: TerritoryLevel | null;
  /** 'YYYY-MM-DD', Italian time. */
  opened_day: string;
  /** 0–23 when the granularity is the hour, else null. */
  opened_hour: number | null;
  closed_day: string;
  first_response_minutes: number | null;
  resolution_minutes: number | null;
  offices_involved: number;
  handoffs: number;
  outcome: string | null;
  /** The citizen's rating of the answer (1-5, from the portal or the e-mail link); null when not rated. */
  satisfaction: number | null;
  text: string;
  /** JSON: placeholders per type of personal data removed from the text, e.g. {"EMAIL":1,"PERSON":2}. */
  pii_counts: string;
}

export interface ArchiveSettings {
  graceDays: number;
  minComunePopulation: number;
  timeGranularity: TimeGranularity;
}

export const DEFAULT_ARCHIVE_SETTINGS: ArchiveSettings = { graceDays: 7, minComunePopulation: 5000, timeGranularity: 'day' };

/** A closed contact as the anonymiser sees it (from a ticket or a historical contact). */
export interface ArchiveSource {
  source: 'ticket' | 'historical';
  organisation: { id: string; ipaCode: string | null; istatCode: string | null; regionIstat: string | null };
  officeId: string | null;
  channel: string | null;
  taxonomyVersion: string;
  classification: Record<string, string>;
  outcome: string | null;
  /** The citizen-visible text, in order (subject, description, or a historical contact's text). */
  texts: readonly string[];
  /** Personal data known to belong to the requester: removed wherever it appears. */
  known?: { names?: readonly string[]; values?: readonly string[] };
  openedAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date;
  officesInvolved: number;
  handoffs: number;
  /** The citizen's rating (1-5), when they gave one. */
  satisfaction?: number | null;
}

/** What the record needs of the world: the territory and the taxonomy, as plain functions. */
export interface ArchiveContext {
  /** `Territory.generalise`: the comune, or its province when smaller than `minPopulation`; null when unknown. */
  generalise(code: string, minPopulation: number): { code: string; kind: TerritoryLevel } | null;
  /** The network code a (possibly local) code of a facet counts as, null when unknown. */
  rollUp(facet: string, code: string, organisationId: string, taxonomyVersion: string): string | null;
  /** Tests pin it; by default a random UUID. */
  randomId?: () => string;
}

const MINUTE_MS = 60_000;

/** Italian wall clock of an instant as 'YYYY-MM-DDTHH'. */
function romeClock(at: Date): string {
  return new Date(wallClockOf(at.getTime(), ROME)).toISOString().slice(0, 13);
}

const minutesBetween = (from: Date, to: Date | null) => (to === null ? null : Math.max(0, Math.round((to.getTime() - from.getTime()) / MINUTE_MS)));

/** Placeholders per type found in a redacted text. */
export function countPlaceholders(text: string): Partial<Record<PiiType, number>> {
  const counts: Partial<Record<PiiType, number>> = {};
  for (const type of PII_TYPES) {
    const placeholder = PII_PLACEHOLDERS[type];
    let n = 0;
    for (let i = text.indexOf(placeholder); i !== -1; i = text.indexOf(placeholder, i + placeholder.length)) n++;
    if (n > 0) counts[type] = n;
  }
  return counts;
}

const digitsOf = (s: string) => s.replace(/\D/g, '');

/**
 * The known values that occur in the text (a superset test: case-insensitive, digits of phone
 * numbers whatever their separators): a value that does not occur cannot be replaced, and a name
 * handed to `scrubPii` costs regular expressions compiled for this one text.
 */
function occurring(text: string, known: ArchiveSource['known']): { names: string[]; values: string[] } {
  const lower = text.toLowerCase();
  let digits: string | null = null;
  const names = (known?.names ?? []).filter((n) => n.split(/\s+/).some((w) => w.length >= 3 && lower.includes(w.toLowerCase())));
  const values = (known?.values ?? []).filter((v) => {
    if (lower.includes(v.trim().toLowerCase())) return true;
    const d = digitsOf(v).replace(/^(?:0039|39)(?=3)/, '');
    if (d.length < 6) return false;
    digits ??= digitsOf(text);
    return digits.includes(d);
  });
  return { names, values };
}

/** The citizen's text with personal data replaced by placeholders, and how many of each. */
export function redactText(texts: readonly string[], known?: ArchiveSource['known']): { text: string; piiCounts: Partial<Record<PiiType, number>> } {
  const joined = texts.map((t) => t.trim()).filter((t) => t !== '').join('\n\n');
  const text = scrubPii(joined, { known: occurring(joined, known) });
  return { text, piiCounts: countPlaceholders(text) };
}

/** Builds the anonymised record of one closed contact. */
export function buildArchiveRecord(source: ArchiveSource, settings: ArchiveSettings, context: ArchiveContext): ArchiveRecord {
  const opened = romeClock(source.openedAt);
  const closed = romeClock(source.closedAt);
  const classification: Record<string, string> = {};
  for (const facet of Object.keys(source.classification).sort()) {
    const code = source.classification[facet];
    if (!code) continue;
    const network = context.rollUp(facet, code, source.organisation.id, source.taxonomyVersion);
    if (network) classification[facet] = network;
  }
  const place = source.organisation.istatCode ?? source.organisation.regionIstat;
  const territory = place ? context.generalise(place, settings.minComunePopulation) : null;
  const { text, piiCounts } = redactText(source.texts, source.known);
  return {
    record_id: (context.randomId ?? randomUUID)(),
    month: closed.slice(0, 7),
    source: source.source,
    organisation_id: source.organisation.id,
    organisation_ipa: source.organisation.ipaCode,
    office_id: source.source === 'historical' ? null : source.officeId,
    channel: source.channel,
    taxonomy_version: source.taxonomyVersion,
    topic_code: classification.tema ?? null,
    classification_json: JSON.stringify(classification),
    territory_code: territory?.code ?? null,
    territory_level: territory?.kind ?? null,
    opened_day: opened.slice(0, 10),
    opened_hour: settings.timeGranularity === 'hour' ? Number(opened.slice(11, 13)) : null,
    closed_day: closed.slice(0, 10),
    first_response_minutes: minutesBetween(source.openedAt, source.firstResponseAt),
    resolution_minutes: minutesBetween(source.openedAt, source.resolvedAt ?? source.closedAt),
    offices_involved: Math.max(1, source.officesInvolved),
    handoffs: source.handoffs,
    outcome: source.outcome,
    satisfaction: source.satisfaction ?? null,
    text,
    pii_counts: JSON.stringify(piiCounts),
  };
}
