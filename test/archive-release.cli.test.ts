import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveExportAction } from '../src/modules/archive/archive-export.command.js';
import { archiveRow, writeArchiveRows } from '../src/modules/archive/archive-release.fixtures.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';

/** `urpnet archive export` (issue 13): the action behind the command, on the test database. */
let t: TestApp;
const output = () => {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: { log: (s: string) => void lines.push(s), error: (s: string) => void errors.push(s) } };
};

beforeAll(async () => {
  t = await buildTestApp();
  await writeArchiveRows(path.join(t.config.dataDir, 'archive'), Array.from({ length: 12 }, () => archiveRow()));
});
afterAll(async () => {
  await t?.close();
});

describe('urpnet archive export', () => {
  it('exports Parquet with the catalog, and refuses the same directory again', async () => {
    const out = path.join(t.config.dataDir, 'opendata');
    const first = output();
    expect(await archiveExportAction(t.database.db, t.config, { format: 'parquet', out }, first.out)).toBe(0);
    expect(first.lines[0]).toMatch(/12 contatti pubblicati su 12/);
    expect(readdirSync(out).sort()).toEqual(['catalog.jsonld', 'month=2026-01']);
    expect(JSON.parse(readFileSync(path.join(out, 'catalog.jsonld'), 'utf8'))['dcat:dataset'][0]['dct:rightsHolder']['dct:identifier']).toBe('lineamica');

    const again = output();
    expect(await archiveExportAction(t.database.db, t.config, { format: 'csv', out }, again.out)).toBe(1);
    expect(again.errors[0]).toContain('archive_export.target_not_empty');
  });

  it('rejects an unknown format and an unknown organisation without writing', async () => {
    const out = path.join(t.config.dataDir, 'never');
    const bad = output();
    expect(await archiveExportAction(t.database.db, t.config, { format: 'xlsx', out }, bad.out)).toBe(2);
    expect(await archiveExportAction(t.database.db, t.config, { format: 'csv', out, organisation: 'ente-inesistente' }, bad.out)).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('prints the report as JSON', async () => {
    const json = output();
    expect(await archiveExportAction(t.database.db, t.config, { format: 'csv', out: path.join(t.config.dataDir, 'csv'), json: true, organisation: 'comune-celano' }, json.out)).toBe(0);
    const report = JSON.parse(json.lines[0]!);
    expect(report).toMatchObject({ format: 'csv', rows: 12, k: 5, kAnonymity: { kAnonymous: true } });
  });
});
