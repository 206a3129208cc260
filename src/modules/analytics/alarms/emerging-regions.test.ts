import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveEngine, archiveDir } from '../../archive/archive-query.js';
import { archiveRow, toyTerritory, writeArchiveRows } from '../../archive/archive-release.fixtures.js';
import { addDays } from '../archive-series.js';
import { emergingTermAlarms, termCounts } from './alarm-scan.js';

/**
 * Emerging terms per region (issue 14): a subject the network knows well that bursts in one region is
 * that region's alarm; a subject new to the whole network is the network's, once.
 * Toy territory: comuni 066xxx are in region 10, 115xxx in region 11.
 */
let dataDir: string;
let engine: ArchiveEngine;
const LAST = '2026-03-31';

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-emerging-regions-'));
  const rows = [];
  for (let d = -62; d <= 0; d++) {
    const day = addDays(LAST, d);
    const recent = d > -7;
    // Region 10: 20 a day asking about the TARI deadline, all along; in the last week 6 of them also about a new bonus.
    for (let i = 0; i < 20; i++) rows.push(archiveRow({ opened_day: day, closed_day: day, text: recent && i < 6 ? 'Domanda sul bonus mamme e sulla scadenza della TARI' : 'Domanda sulla scadenza della TARI' }));
    // Region 11: 5 a day about the TARI; in the last week about its deadline, never asked there before.
    for (let i = 0; i < 5; i++) rows.push(archiveRow({ territory_code: '115049', opened_day: day, closed_day: day, text: recent ? 'Domanda sulla scadenza della TARI a Napoli' : 'Domanda sulla TARI a Napoli' }));
  }
  await writeArchiveRows(archiveDir(dataDir), rows);
  engine = new ArchiveEngine(archiveDir(dataDir), { threads: 1 });
});
afterAll(async () => {
  await engine?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('emerging terms in the network and per region', () => {
  it('counts the documents of each window for the network and for each region', async () => {
    const terms = await termCounts(engine, toyTerritory);
    expect(terms.lastDay).toBe(LAST);
    expect([terms.network.recentDocs, terms.network.baselineDocs]).toEqual([175, 1400]);
    expect([...terms.regions.keys()].sort()).toEqual(['10', '11']);
    expect([terms.regions.get('11')!.recentDocs, terms.regions.get('11')!.baselineDocs]).toEqual([35, 280]);
    const scadenza = (w: { counts: { term: string; recent: number; baseline: number }[] }) => w.counts.find((c) => c.term === 'scadenza');
    expect(scadenza(terms.regions.get('11')!)).toEqual({ term: 'scadenza', recent: 35, baseline: 0 });
    expect(scadenza(terms.network)).toEqual({ term: 'scadenza', recent: 175, baseline: 1120 });
  });

  it("gives the region the subject that bursts only there, and the network the one new everywhere, once", async () => {
    const alarms = emergingTermAlarms(await termCounts(engine, toyTerritory));
    const regional = alarms.filter((a) => a.slice.territory === '11');
    expect(regional.map((a) => a.term).some((t) => t?.includes('scadenza'))).toBe(true);
    expect(regional.every((a) => a.seriesKey === alarms.find((x) => x.slice.territory === '11')!.seriesKey && a.day === LAST)).toBe(true);
    const network = alarms.filter((a) => a.slice.territory === undefined);
    expect(network.map((a) => a.term)).toContain('bonus mamme');
    expect(network.map((a) => a.term).some((t) => t?.includes('scadenza'))).toBe(false);
    // Region 10's own burst is the network's: not repeated on the region.
    expect(alarms.filter((a) => a.slice.territory === '10' && a.term === 'bonus mamme')).toEqual([]);
  });
});
