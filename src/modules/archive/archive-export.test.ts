import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExportProgress, exportArchive } from './archive-export.js';
import { ArchiveEngine, archiveDir, releasedQiSql, sqlEvaluator } from './archive-query.js';
import { archiveRow, toyTerritory, writeArchiveRows, writeSyntheticArchive } from './archive-release.fixtures.js';
import { applyLevels, kAnonymityReport, LADDERS, type Levels, memoryEvaluator } from './k-anonymity.js';

/** 60 provinces × 10 comuni, plus a few province- and region-level codes. */
const CODES = [...Array.from({ length: 600 }, (_, i) => `${String(1 + Math.floor(i / 10)).padStart(3, '0')}${String(1 + (i % 10)).padStart(3, '0')}`), '058', '063', '12', '15'];
const catalog = { baseUrl: 'https://urp.example.it', rightsHolder: { ipaCode: 'lineamica', name: 'Linea Amica' }, contact: { name: 'Coordinamento della rete', email: 'opendata@example.it' } };

let root: string;
let engine: ArchiveEngine;

async function readRows(glob: string, reader: 'parquet' | 'csv'): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const from = reader === 'parquet' ? `read_parquet('${glob}', hive_partitioning = false)` : `read_csv('${glob}', header = true, all_varchar = true)`;
    return (await conn.runAndReadAll(`select * from ${from}`)).getRowObjectsJS();
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'urpnet-archive-export-'));
  await writeSyntheticArchive(archiveDir(root), { records: 20_000, offices: 40, months: 6, firstMonth: '2026-01', territoryCodes: CODES, seed: 0.3 });
  engine = new ArchiveEngine(archiveDir(root), { threads: 1 });
});

afterAll(async () => {
  await engine?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('exportArchive', () => {
  it('writes a k-anonymous Parquet release by month, without text, with its DCAT-AP_IT catalog', async () => {
    const out = path.join(root, 'out-parquet');
    const progress: ExportProgress[] = [];
    const report = await exportArchive(engine, toyTerritory, { format: 'parquet', outDir: out, catalog, onProgress: (p) => void progress.push(p) });
    expect(report.totalRecords).toBe(20_000);
    expect(report.rows + report.suppressedRows).toBe(20_000);
    expect(report.suppressedRows).toBeLessThanOrEqual(400);
    expect(report.kAnonymity).toMatchObject({ kAnonymous: true, k: 5 });
    expect(report.kAnonymity.smallestClass).toBeGreaterThanOrEqual(5);
    expect(progress.at(-1)).toEqual({ rowsWritten: report.rows, totalRows: report.rows });
    const partitions = readdirSync(out).filter((f) => f !== 'catalog.jsonld').sort();
    expect(partitions[0]).toMatch(/^(month=2026-01|quarter=2026-Q1|year=2026)$/);
    expect(readdirSync(path.join(out, partitions[0]!))).toEqual(['part-0.parquet']);
    // No temporary directory is left beside the target.
    expect(readdirSync(root).filter((f) => f.includes('.tmp-'))).toEqual([]);

    const rows = await readRows(path.join(out, '*', '*.parquet'), 'parquet');
    expect(rows).toHaveLength(report.rows);
    expect(Object.keys(rows[0]!)).not.toEqual(expect.arrayContaining(['text']));
    for (const hidden of ['text', 'record_id', 'opened_day', 'opened_hour', 'closed_day', 'classification_json', 'pii_counts']) expect(rows[0]).not.toHaveProperty(hidden);
    expect(kAnonymityReport(rows, ['organisation_id', 'office_id', 'period', 'topic_code', 'territory_code', 'channel'], 5).kAnonymous).toBe(true);

    const jsonld = JSON.parse(readFileSync(path.join(out, 'catalog.jsonld'), 'utf8'));
    expect(jsonld['@type']).toEqual(['dcat:Catalog', 'dcatapit:Catalog']);
    const dataset = jsonld['dcat:dataset'][0];
    for (const p of ['dct:identifier', 'dct:title', 'dct:description', 'dct:modified', 'dcat:theme', 'dct:rightsHolder', 'dct:accrualPeriodicity', 'dcat:distribution', 'dcat:contactPoint', 'dct:temporal', 'dct:language', 'dct:publisher']) {
      expect(dataset, p).toHaveProperty([p]);
    }
    expect(dataset['dct:rightsHolder']).toMatchObject({ '@type': ['foaf:Agent', 'dcatapit:Agent'], 'dct:identifier': 'lineamica' });
    expect(dataset['dct:title'].map((t: { '@language': string }) => t['@language'])).toEqual(['it', 'en']);
    expect(dataset['dcat:theme']['@id']).toBe('http://publications.europa.eu/resource/authority/data-theme/GOVE');
    const distribution = dataset['dcat:distribution'][0];
    expect(distribution['dct:format']['@id']).toBe('http://publications.europa.eu/resource/authority/file-type/PARQUET');
    expect(distribution['dct:license']).toMatchObject({ '@id': 'https://creativecommons.org/licenses/by/4.0/', '@type': ['dct:LicenseDocument', 'dcatapit:LicenseDocument'] });
    expect(distribution['dcat:accessURL']['@id']).toMatch(/^https:\/\/urp\.example\.it\/opendata\/archive\/(month|quarter|year)=/);
    expect(dataset['dcat:distribution']).toHaveLength(partitions.length);
  });

  it('writes CSV files per period, with the text for an internal export', async () => {
    const out = path.join(root, 'out-csv');
    const report = await exportArchive(engine, toyTerritory, { format: 'csv', outDir: out, includeText: true, catalog });
    const csvs = readdirSync(out).filter((f) => f.endsWith('.csv'));
    expect(csvs.length).toBeGreaterThan(0);
    expect(csvs.every((f) => /^archive-\d{4}(-\d{2}|-Q[1-4])?\.csv$/.test(f))).toBe(true);
    const rows = await readRows(path.join(out, '*.csv'), 'csv');
    expect(rows).toHaveLength(report.rows);
    expect(rows[0]).toHaveProperty('text');
    expect(JSON.parse(readFileSync(path.join(out, 'catalog.jsonld'), 'utf8'))['dcat:dataset'][0]['dcat:distribution'][0]['dct:format']['@id']).toMatch(/file-type\/CSV$/);
  });

  it('refuses a non-empty target and an unwritable one, writing nothing', async () => {
    const full = path.join(root, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'keep.txt'), 'x');
    await expect(exportArchive(engine, toyTerritory, { format: 'csv', outDir: full, catalog })).rejects.toMatchObject({ code: 'archive_export.target_not_empty' });
    expect(readdirSync(full)).toEqual(['keep.txt']);
    const blocker = path.join(root, 'a-file');
    writeFileSync(blocker, 'x');
    await expect(exportArchive(engine, toyTerritory, { format: 'parquet', outDir: path.join(blocker, 'out'), catalog })).rejects.toMatchObject({ code: 'archive_export.target_unwritable' });
    expect(readdirSync(root).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('exports an empty archive as a catalog without distributions', async () => {
    const emptyRoot = mkdtempSync(path.join(os.tmpdir(), 'urpnet-archive-empty-'));
    const empty = new ArchiveEngine(archiveDir(emptyRoot));
    const out = path.join(emptyRoot, 'out');
    const report = await exportArchive(empty, toyTerritory, { format: 'parquet', outDir: out, catalog });
    expect(report.rows).toBe(0);
    expect(readdirSync(out)).toEqual(['catalog.jsonld']);
    await empty.close();
    rmSync(emptyRoot, { recursive: true, force: true });
  });
});

describe('SQL generalisation', () => {
  it('agrees with the in-memory ladders at every level', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-archive-ladders-'));
    const rows = [
      archiveRow({ opened_day: '2026-11-30', topic_code: 'tributi.tari', territory_code: '066032' }),
      archiveRow({ opened_day: '2026-04-01', topic_code: 'anagrafe', territory_code: '066', office_id: null }),
      archiveRow({ opened_day: '2026-07-15', topic_code: 'a.b.c', territory_code: '13' }),
      archiveRow({ opened_day: '2026-01-01', topic_code: 'x.y', territory_code: null }),
      archiveRow({ opened_day: '2026-03-31', territory_code: '9' }),
    ];
    await writeArchiveRows(archiveDir(dir), rows);
    const e = new ArchiveEngine(archiveDir(dir));
    const tmap = await e.territoryMap(toyTerritory);
    const levelsList: Levels[] = [
      { office: 0, period: 0, topic: 0, territory: 0, channel: 0 },
      { office: 1, period: 1, topic: 1, territory: 1, channel: 1 },
      { office: 2, period: 2, topic: 2, territory: 2, channel: 1 },
      { office: 2, period: 3, topic: 2, territory: 3, channel: 1 },
    ];
    for (const levels of levelsList) {
      const { select } = releasedQiSql(levels);
      const fromSql = await e.use(async (conn) =>
        (await conn.runAndReadAll(`select r.record_id, ${select.join(', ')} from ${e.source()} r left join ${tmap} tm on tm.code = r.territory_code order by r.record_id`)).getRowObjectsJS(),
      );
      const fromJs = rows
        .map((r) => applyLevels(r, levels, toyTerritory))
        .sort((a, b) => a.record_id.localeCompare(b.record_id))
        .map((g) => ({ record_id: g.record_id, organisation_id: g.organisation_id, organisation_ipa: levels.office >= 2 ? '*' : g.organisation_ipa, office_id: g.office_id, channel: g.channel, topic_code: g.topic_code, territory_code: g.territory_code, territory_level: g.territory_level, period: g.period }));
      expect(fromSql, JSON.stringify(levels)).toEqual(fromJs);
    }
    await e.close();
    rmSync(dir, { recursive: true, force: true });
    expect(existsSync(dir)).toBe(false);
  });

  it('counts the same small classes as the in-memory evaluator on every node of the lattice', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-archive-lattice-'));
    let seed = 7;
    const pick = <T>(xs: readonly T[]) => {
      seed = (seed * 48271) % 2147483647;
      return xs[seed % xs.length]!;
    };
    const rows = Array.from({ length: 300 }, () =>
      archiveRow({
        organisation_id: pick(['org-a', 'org-b']),
        office_id: pick(['off-1', 'off-2', null]),
        opened_day: pick(['2026-01-03', '2026-01-20', '2026-02-11', '2026-05-05', '2026-11-30']),
        topic_code: pick(['tributi.tari', 'tributi.imu', 'anagrafe.cie', 'anagrafe']),
        territory_code: pick(['066032', '066006', '067001', '066', '13', null]),
        channel: pick(['telefono', 'email', 'pec']),
      }),
    );
    await writeArchiveRows(archiveDir(dir), rows);
    const e = new ArchiveEngine(archiveDir(dir));
    const tmap = await e.territoryMap(toyTerritory);
    const memory = memoryEvaluator(rows, toyTerritory);
    await e.use(async (conn) => {
      const sql = await sqlEvaluator(conn, { sql: `${e.source()} r left join ${tmap} tm on tm.code = r.territory_code`, params: {} });
      expect(await sql.total()).toBe(300);
      for (let office = 0; office < LADDERS.office.length; office++)
        for (let period = 0; period < LADDERS.period.length; period++)
          for (let topic = 0; topic < LADDERS.topic.length; topic++)
            for (let territory = 0; territory < LADDERS.territory.length; territory++)
              for (let channel = 0; channel < LADDERS.channel.length; channel++) {
                const levels = { office, period, topic, territory, channel };
                expect(await sql.smallClassRows(levels, 5), JSON.stringify(levels)).toBe(await memory.smallClassRows(levels, 5));
              }
      await sql.drop();
    });
    await e.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
