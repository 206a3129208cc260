/**
 * Archive files for tests and benches, written with DuckDB in the archive's layout and columns
 * (`DIR/month=YYYY-MM/part-<uuid>.parquet`), until and besides the archive writer: explicit
 * records, or a synthetic archive with realistic skew (a few offices, topics, channels and
 * territories carry most of the traffic; a long tail carries the rest).
 */
import { mkdirSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

/** One archive record, as the Parquet files hold it (`opened_day`/`closed_day` as YYYY-MM-DD). */
export interface ArchiveRow {
  record_id: string;
  source: 'ticket' | 'historical';
  organisation_id: string;
  organisation_ipa: string;
  office_id: string | null;
  channel: string;
  taxonomy_version: string;
  topic_code: string;
  classification_json: string;
  territory_code: string | null;
  territory_level: 'comune' | 'provincia' | 'regione' | null;
  opened_day: string;
  opened_hour: number | null;
  closed_day: string;
  first_response_minutes: number | null;
  resolution_minutes: number | null;
  offices_involved: number;
  handoffs: number;
  outcome: string | null;
  satisfaction: number | null;
  text: string;
  pii_counts: string;
}

const COLUMNS = `record_id varchar, source varchar, organisation_id varchar, organisation_ipa varchar, office_id varchar, channel varchar, taxonomy_version varchar,
  topic_code varchar, classification_json varchar, territory_code varchar, territory_level varchar, opened_day date, opened_hour integer, closed_day date,
  first_response_minutes integer, resolution_minutes integer, offices_involved integer, handoffs integer, outcome varchar, satisfaction integer, text varchar, pii_counts varchar`;
const NAMES = COLUMNS.split(',').map((c) => c.trim().split(/\s+/)[0]!);

/** A toy territory for tests: comune = province (3 digits) + 3 digits; region = '1' + the province's first digit. */
export const toyTerritory = {
  version: 'toy-1',
  provinceOf: (code: string): string | null => (code.length === 6 ? code.slice(0, 3) : code.length === 3 ? code : null),
  regionOf: (code: string): string | null => (code.length === 2 ? code : code.length >= 3 ? `1${code[0]}` : null),
};

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

let counter = 0;
/** A record with defaults (a TARI call to an office of Celano in January 2026), with overrides. */
export function archiveRow(over: Partial<ArchiveRow> = {}): ArchiveRow {
  counter++;
  return {
    record_id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    source: 'ticket',
    organisation_id: 'org-celano',
    organisation_ipa: 'c_c426',
    office_id: 'off-celano-urp',
    channel: 'telefono',
    taxonomy_version: '1.0.0',
    topic_code: 'tributi.tari',
    classification_json: '{"tema":"tributi.tari","tipo":"informazione"}',
    territory_code: '066032',
    territory_level: 'comune',
    opened_day: '2026-01-15',
    opened_hour: 10,
    closed_day: '2026-01-16',
    first_response_minutes: 30,
    resolution_minutes: 1440,
    offices_involved: 1,
    handoffs: 0,
    outcome: 'resolved',
    satisfaction: 4,
    text: 'La cittadina [PERSONA] chiede come pagare la TARI.',
    pii_counts: '{"PERSONA":1}',
    ...over,
  };
}

/** Writes records into `dir` as the archive does: one Parquet file per month of `opened_day`. */
export async function writeArchiveRows(dir: string, rows: readonly ArchiveRow[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`create table rows (${COLUMNS})`);
    const appender = await conn.createAppender('rows');
    for (const row of rows) {
      for (const name of NAMES) {
        const v = row[name as keyof ArchiveRow];
        if (v === null) appender.appendNull();
        else if (typeof v === 'number') appender.appendInteger(v);
        else appender.appendVarchar(String(v));
      }
      appender.endRow();
    }
    appender.closeSync();
    await copyByMonth(conn, 'rows', dir);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function copyByMonth(conn: Awaited<ReturnType<DuckDBInstance['connect']>>, table: string, dir: string): Promise<void> {
  await conn.run(
    `copy (select *, strftime(opened_day, '%Y-%m') as month from ${table}) to ${quote(dir)} (format parquet, partition_by (month), filename_pattern 'part-{uuid}', overwrite_or_ignore true)`,
  );
}

export interface SyntheticArchive {
  records: number;
  offices?: number;
  months?: number;
  /** First month, YYYY-MM. */
  firstMonth?: string;
  /** Topic roots × 5 leaves. */
  topicRoots?: number;
  channels?: readonly string[];
  /** The territory codes the records fall in: the first ones carry most records (long tail). */
  territoryCodes: readonly string[];
  seed?: number;
  /** Include a text of ~100 characters. */
  withText?: boolean;
}

export const SYNTHETIC_CHANNELS = ['telefono', 'email', 'web', 'sportello', 'pec', 'chat', 'app', 'posta'] as const;

/**
 * Writes a synthetic archive of `records` records into `dir` in one DuckDB statement (1M records
 * take seconds): offices, topics, channels and territories all skewed (a power of a uniform draw
 * picks the index), months uniform.
 */
export async function writeSyntheticArchive(dir: string, spec: SyntheticArchive): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const offices = spec.offices ?? 300;
  const months = spec.months ?? 24;
  const roots = spec.topicRoots ?? 12;
  const channels = spec.channels ?? SYNTHETIC_CHANNELS;
  const first = `${spec.firstMonth ?? '2025-01'}-01`;
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`select setseed(${(spec.seed ?? 0.42) % 1})`);
    await conn.run('create table territories (i integer, code varchar)');
    const appender = await conn.createAppender('territories');
    spec.territoryCodes.forEach((code, i) => {
      appender.appendInteger(i);
      appender.appendVarchar(code);
      appender.endRow();
    });
    appender.closeSync();
    const channelList = `[${channels.map(quote).join(', ')}]`;
    await conn.run(
      `create table rows as
       with draws as (
         select floor(pow(random(), 1.6) * ${offices})::integer as o, floor(pow(random(), 2) * ${roots})::integer as root, floor(pow(random(), 1.5) * 5)::integer as leaf,
           floor(pow(random(), 2.2) * ${channels.length})::integer as ch, floor(pow(random(), 4) * ${spec.territoryCodes.length})::integer as t,
           (date '${first}' + to_months((floor(random() * ${months}))::integer) + to_days((floor(random() * 28))::integer))::date as opened,
           random() as u, random() as v
         from range(${spec.records}))
       select uuid()::varchar as record_id, case when u < 0.85 then 'ticket' else 'historical' end as source,
         'org-' || (o // 3)::varchar as organisation_id, 'ipa_' || (o // 3)::varchar as organisation_ipa, 'off-' || o::varchar as office_id,
         ${channelList}[ch + 1] as channel, '1.0.0' as taxonomy_version, 'tema' || root::varchar || '.voce' || leaf::varchar as topic_code,
         '{"tema":"tema' || root::varchar || '.voce' || leaf::varchar || '"}' as classification_json,
         tr.code as territory_code, case length(tr.code) when 6 then 'comune' when 3 then 'provincia' else 'regione' end as territory_level,
         opened as opened_day, (floor(v * 24))::integer as opened_hour, (opened + to_days((floor(u * 10))::integer))::date as closed_day,
         (floor(pow(v, 2) * 600))::integer as first_response_minutes, (floor(pow(u, 2) * 14400))::integer as resolution_minutes,
         1 + (u > 0.9)::integer as offices_involved, (u > 0.9)::integer as handoffs, case when v < 0.8 then 'resolved' else 'answered' end as outcome,
         case when u < 0.3 then 1 + (floor(v * 5))::integer else null end as satisfaction,
         ${spec.withText === false ? "''" : "'Il cittadino [PERSONA] chiede informazioni sul tema indicato e sui tempi di risposta dell''ufficio competente.'"} as text,
         '{"PERSONA":1}' as pii_counts
       from draws join territories tr on tr.i = draws.t`,
    );
    await copyByMonth(conn, 'rows', dir);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
