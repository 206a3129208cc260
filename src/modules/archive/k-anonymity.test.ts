import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyLevels,
  BOTTOM,
  generalisePeriod,
  generaliseTerritory,
  generaliseTopic,
  informationLoss,
  kAnonymise,
  kAnonymityReport,
  memoryEvaluator,
  type QuasiIdentifyingRecord,
  RELEASED_QI_COLUMNS,
  searchGeneralisation,
  TOP,
  type TerritoryLadder,
} from './k-anonymity.js';

/** A toy territory: comune = province (3 digits) + 3 digits; region = '1' + the province's first digit. */
const territory: TerritoryLadder = {
  provinceOf: (code) => (code.length === 6 ? code.slice(0, 3) : code.length === 3 ? code : null),
  regionOf: (code) => (code.length === 2 ? code : code.length >= 3 ? `1${code[0]}` : null),
};

const record = (over: Partial<QuasiIdentifyingRecord> = {}): QuasiIdentifyingRecord => ({
  organisation_id: 'org-a',
  office_id: 'off-1',
  opened_day: '2026-01-15',
  topic_code: 'tributi.tari',
  territory_code: '066031',
  channel: 'telefono',
  ...over,
});

describe('generalisation ladders', () => {
  it('climbs the period from day to year', () => {
    expect([0, 1, 2, 3].map((l) => generalisePeriod('2026-08-31', l))).toEqual(['2026-08-31', '2026-08', '2026-Q3', '2026']);
    expect(generalisePeriod('2026-03-01', 2)).toBe('2026-Q1');
    expect(generalisePeriod('2026-10-01', 2)).toBe('2026-Q4');
  });

  it('climbs the topic to its root, then *', () => {
    expect([0, 1, 2].map((l) => generaliseTopic('tributi.tari', l))).toEqual(['tributi.tari', 'tributi', '*']);
    expect(generaliseTopic('anagrafe', 1)).toBe('anagrafe');
  });

  it('climbs the territory comune → provincia → regione → *, leaving nulls and regions alone', () => {
    expect([0, 1, 2, 3].map((l) => generaliseTerritory('066031', l, territory))).toEqual(['066031', '066', '10', '*']);
    expect(generaliseTerritory('066', 1, territory)).toBe('066');
    expect(generaliseTerritory('13', 1, territory)).toBe('13');
    expect(generaliseTerritory(null, 2, territory)).toBeNull();
    expect(generaliseTerritory('9', 1, territory)).toBe('*');
  });

  it('hides office, then organisation, and sets the territory level from the code', () => {
    const r = record();
    expect(applyLevels(r, { ...BOTTOM, office: 1 }, territory)).toMatchObject({ organisation_id: 'org-a', office_id: null, period: '2026-01-15' });
    expect(applyLevels(r, TOP, territory)).toMatchObject({ organisation_id: '*', office_id: null, period: '2026', topic_code: '*', territory_code: '*', territory_level: null, channel: '*' });
    expect(applyLevels(r, { ...BOTTOM, territory: 1 }, territory).territory_level).toBe('provincia');
  });

  it('measures information loss from 0 (as archived) to 1 (top of every ladder)', () => {
    expect(informationLoss(BOTTOM)).toBe(0);
    expect(informationLoss(TOP)).toBe(1);
  });
});

describe('searchGeneralisation', () => {
  it('keeps the archived values when every class already has k records', async () => {
    const rows = Array.from({ length: 10 }, () => record());
    const r = await searchGeneralisation(memoryEvaluator(rows, territory), { k: 5 });
    expect(r.levels).toEqual(BOTTOM);
    expect(r.suppressedRows).toBe(0);
  });

  it('generalises only the QI that separates the records', async () => {
    // Five records per month, one per day: the day must become the month, nothing else.
    const rows = ['01', '02'].flatMap((m) => ['03', '09', '12', '20', '28'].map((d) => record({ opened_day: `2026-${m}-${d}` })));
    const r = await searchGeneralisation(memoryEvaluator(rows, territory), { k: 5, maxSuppressionRate: 0 });
    expect(r.levels).toEqual({ ...BOTTOM, period: 1 });
    expect(r.suppressedRows).toBe(0);
  });

  it('suppresses a rare outlier rather than generalising everything for it', async () => {
    const common = Array.from({ length: 99 }, () => record());
    const outlier = record({ channel: 'pec', territory_code: '001001', topic_code: 'anagrafe.cie' });
    const r = await kAnonymise([...common, outlier], territory, { k: 5, maxSuppressionRate: 0.02 });
    expect(r.levels).toEqual(BOTTOM);
    expect(r.suppressedRows).toBe(1);
    expect(r.rows).toHaveLength(99);
  });

  it('respects minimum and maximum levels', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => record({ channel: `c${i}` }));
    const r = await searchGeneralisation(memoryEvaluator(rows, territory), { k: 5, minLevels: { period: 1 }, maxLevels: { channel: 0 }, maxSuppressionRate: 0 });
    expect(r.levels.period).toBeGreaterThanOrEqual(1);
    expect(r.levels.channel).toBe(0);
    // Nothing but the channel tells them apart: all six are suppressed, over the limit.
    expect(r.suppressedRows).toBe(6);
    expect(r.overSuppressionLimit).toBe(true);
  });

  it('rejects a k that is not a positive integer', async () => {
    await expect(searchGeneralisation(memoryEvaluator([], territory), { k: 0 })).rejects.toThrow(RangeError);
  });
});

describe('kAnonymityReport', () => {
  it('reports the smallest class and the violating classes', () => {
    const rows = [{ a: 1, b: 'x' }, { a: 1, b: 'x' }, { a: 2, b: 'x' }, { a: 2, b: null }];
    expect(kAnonymityReport(rows, ['a', 'b'], 2)).toMatchObject({ rows: 4, classes: 3, smallestClass: 1, violatingClasses: 2, violatingRows: 2, kAnonymous: false });
    expect(kAnonymityReport(rows, ['b'], 2)).toMatchObject({ classes: 2, smallestClass: 1 });
    expect(kAnonymityReport([], ['b'], 5)).toMatchObject({ rows: 0, smallestClass: 0, kAnonymous: true });
  });
});

const arbitraryRecord = fc.record({
  organisation_id: fc.constantFrom('org-a', 'org-b', 'org-c'),
  office_id: fc.constantFrom('off-1', 'off-2', 'off-3', null),
  opened_day: fc.constantFrom('2025-01-02', '2025-01-30', '2025-05-11', '2025-12-31', '2026-02-14'),
  topic_code: fc.constantFrom('tributi.tari', 'tributi.imu', 'anagrafe.cie', 'anagrafe', 'ambiente.rifiuti.raccolta'),
  territory_code: fc.constantFrom('066031', '066001', '067002', '101001', '066', '13', null),
  channel: fc.constantFrom('telefono', 'email', 'web', 'pec'),
});

describe('properties', () => {
  it('releases k-anonymous rows, and accounts for every record', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbitraryRecord, { maxLength: 120 }), fc.integer({ min: 1, max: 8 }), fc.constantFrom(0, 0.02, 0.1), async (rows, k, rate) => {
        const r = await kAnonymise(rows, territory, { k, maxSuppressionRate: rate });
        const report = kAnonymityReport(r.rows, RELEASED_QI_COLUMNS, k);
        expect(report.kAnonymous).toBe(true);
        expect(r.rows.length + r.suppressedRows).toBe(rows.length);
        if (!r.overSuppressionLimit) expect(r.suppressedRows).toBeLessThanOrEqual(Math.floor(rows.length * rate));
      }),
      { numRuns: 150 },
    );
  });

  it('never generalises more than needed: no single step down keeps within the limit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbitraryRecord, { minLength: 1, maxLength: 80 }), fc.integer({ min: 2, max: 5 }), async (rows, k) => {
        const evaluator = memoryEvaluator(rows, territory);
        const r = await searchGeneralisation(evaluator, { k, maxSuppressionRate: 0.05 });
        if (r.overSuppressionLimit) return;
        const allowed = Math.floor(rows.length * 0.05);
        for (const q of Object.keys(r.levels) as (keyof typeof r.levels)[]) {
          if (r.levels[q] === 0) continue;
          expect(await evaluator.smallClassRows({ ...r.levels, [q]: r.levels[q] - 1 }, k)).toBeGreaterThan(allowed);
        }
      }),
      { numRuns: 100 },
    );
  });
});
