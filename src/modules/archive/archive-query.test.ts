import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateArchive, ArchiveEngine, archiveDir, listArchiveRecords } from './archive-query.js';
import { archiveRow, toyTerritory, writeArchiveRows } from './archive-release.fixtures.js';
import { kAnonymityReport } from './k-anonymity.js';


let dataDir: string;
let engine: ArchiveEngine;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-archive-query-'));
  const rows = [
    // January: 40 TARI calls from Celano, 10 e-mails, 2 PEC (a small cell), all at the Celano URP.
    ...Array.from({ length: 40 }, (_, i) => archiveRow({ opened_day: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`, first_response_minutes: i })),
    ...Array.from({ length: 10 }, () => archiveRow({ channel: 'email', opened_day: '2026-01-20' })),
    ...Array.from({ length: 2 }, () => archiveRow({ channel: 'pec', opened_day: '2026-01-21', text: 'Segnalazione unica di [PERSONA]' })),
    // February: 30 IMU contacts from Avezzano (same province), 6 by e-mail.
    ...Array.from({ length: 24 }, () => archiveRow({ topic_code: 'tributi.imu', territory_code: '066006', opened_day: '2026-02-03' })),
    ...Array.from({ length: 6 }, () => archiveRow({ topic_code: 'tributi.imu', territory_code: '066006', channel: 'email', opened_day: '2026-02-04' })),
    // One historical record of another organisation, alone in its class.
    archiveRow({ source: 'historical', organisation_id: 'org-napoli', organisation_ipa: 'c_f839', office_id: 'off-napoli', territory_code: '115049', topic_code: 'anagrafe.cie', opened_day: '2026-02-10' }),
  ];
  await writeArchiveRows(archiveDir(dataDir), rows);
  engine = new ArchiveEngine(archiveDir(dataDir), { threads: 1 });
});

afterAll(async () => {
  await engine?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('aggregateArchive', () => {
  it('counts by channel and month, suppressing small cells and what would reveal them', async () => {
    const r = await aggregateArchive(engine, toyTerritory, { dimension: 'channel', granularity: 'month' });
    expect(r.periods).toEqual(['2026-01', '2026-02']);
    const byKey = Object.fromEntries(r.groups.map((g) => [g.key, g]));
    expect(byKey.telefono!.counts).toEqual([40, 25]);
    // PEC: 2 in January (primary) — withheld along with enough other cells that totals do not give it away.
    expect(byKey.pec!.counts[0]).toBeNull();
    expect(byKey.pec!.status[0]).toBe('primary');
    expect(r.suppressed.secondary).toBeGreaterThan(0);
    expect(r.total).toBe(83);
    // Statistics only for large published groups.
    expect(byKey.telefono!.firstResponseMinutes).toMatchObject({ count: 65 });
    expect(byKey.pec!.firstResponseMinutes).toBeNull();
  });

  it('filters by topic prefix, territory (a province reaches its comuni), source and period, all as parameters', async () => {
    const imu = await aggregateArchive(engine, toyTerritory, { dimension: 'topic', granularity: 'month', filter: { topic: 'tributi', territory: '066', from: '2026-02-01', to: '2026-02-28' } });
    expect(imu.groups.map((g) => [g.key, g.total])).toEqual([['tributi.imu', 30]]);
    const region = await aggregateArchive(engine, toyTerritory, { dimension: 'region', granularity: 'month', filter: { territory: '10' } });
    expect(region.total).toBe(82);
    const injection = await aggregateArchive(engine, toyTerritory, { dimension: 'channel', granularity: 'day', filter: { channel: "telefono' or '1'='1", source: 'ticket' } });
    expect(injection.groups).toEqual([]);
  });

  it('merges the groups beyond the limit, so that totals still add up', async () => {
    const r = await aggregateArchive(engine, toyTerritory, { dimension: 'channel', granularity: 'month', limit: 1 });
    expect(r.groups.map((g) => g.key)).toEqual(['telefono', '*']);
    expect(r.otherGroups).toBe(2);
  });

  it('answers an empty archive with empty results', async () => {
    const empty = new ArchiveEngine(path.join(dataDir, 'nothing-here'));
    expect((await aggregateArchive(empty, toyTerritory, { dimension: 'topic', granularity: 'week' })).groups).toEqual([]);
    expect((await listArchiveRecords(empty, toyTerritory, { limit: 10, offset: 0 })).items).toEqual([]);
    await empty.close();
  });
});

describe('listArchiveRecords', () => {
  it('lists a k-anonymous filter as archived, with the text', async () => {
    const page = await listArchiveRecords(engine, toyTerritory, { filter: { topic: 'tributi.imu', channel: 'telefono' }, limit: 5, offset: 0 });
    expect(page.generalised).toBe(false);
    expect(page.total).toBe(24);
    expect(page.items).toHaveLength(5);
    expect(page.items[0]).toMatchObject({ topicCode: 'tributi.imu', period: '2026-02-03', territoryCode: '066006', text: expect.stringContaining('[PERSONA]') });
  });

  it('generalises the QIs (and leaves out the rare records) when the filtered set is not k-anonymous', async () => {
    const page = await listArchiveRecords(engine, toyTerritory, { limit: 200, offset: 0 });
    expect(page.generalised).toBe(true);
    const rows = page.items.map((i) => ({ o: i.organisationId, f: i.officeId, p: i.period, t: i.topicCode, g: i.territoryCode, c: i.channel }));
    expect(kAnonymityReport(rows, ['o', 'f', 'p', 't', 'g', 'c'], 5).kAnonymous).toBe(true);
    expect(page.total + page.suppressed).toBe(83);
    // The lone Napoli record is generalised or left out, never listed as archived.
    expect(page.items.some((i) => i.territoryCode === '115049' || i.organisationId === 'org-napoli')).toBe(false);
    expect(page.levels).not.toEqual({ office: 0, period: 0, topic: 0, territory: 0, channel: 0 });
  });
});
