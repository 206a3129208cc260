import { describe, expect, it } from 'vitest';
import { PII_PLACEHOLDERS } from '../../platform/privacy/index.js';
import { ARCHIVE_COLUMNS, type ArchiveContext, type ArchiveSource, buildArchiveRecord, countPlaceholders, DEFAULT_ARCHIVE_SETTINGS, redactText } from './archive-record.js';

/** A toy territory: Celano (066032, 11,000 inhabitants) stays a comune, Ortona dei Marsi (066064, 500) becomes the province of L'Aquila (066). */
const POPULATION: Record<string, number> = { '066032': 11_000, '066064': 500 };
const context: ArchiveContext = {
  generalise(code, min) {
    if (code.length === 2) return { code, kind: 'regione' };
    if (code.length === 3) return { code, kind: 'provincia' };
    const population = POPULATION[code];
    if (population === undefined) return null;
    return population >= min ? { code, kind: 'comune' } : { code: code.slice(0, 3), kind: 'provincia' };
  },
  rollUp: (facet, code) => (facet === 'tema' && code.includes('.comune_celano.') ? code.split('.comune_celano.')[0]! : code),
  randomId: () => '11111111-1111-4111-8111-111111111111',
};

const TICKET_ID = '9b0d8a8e-5a4f-4c1e-9a57-3a1c0e6f2d10';
const TICKET_CODE = '7K3M-9QAZ-4';

function source(overrides: Partial<ArchiveSource> = {}): ArchiveSource {
  return {
    source: 'ticket',
    organisation: { id: 'org-celano', ipaCode: 'c_c426', istatCode: '066032', regionIstat: '13' },
    officeId: 'office-urp',
    channel: 'telefono',
    taxonomyVersion: '1.0.0',
    classification: { tipo: 'informazione', tema: 'tributi.tari.comune_celano.compostaggio' },
    outcome: 'risposta_fornita',
    texts: [
      'Rimborso TARI per Maria Bianchi',
      `La sig.ra Maria Bianchi (maria.bianchi@example.org, 333 1234567, codice fiscale BNCMRA80A41C426X) chiede notizie della pratica ${TICKET_CODE}; abita in via Roma 12, Celano.`,
    ],
    known: { names: ['Maria Bianchi'], values: ['maria.bianchi@example.org', '+39 333 1234567', 'BNCMRA80A41C426X'] },
    // 09:30 UTC is 11:30 in Rome in summer; closed 31 July 23:30 UTC is already 1 August in Rome.
    openedAt: new Date('2026-07-20T09:30:00Z'),
    firstResponseAt: new Date('2026-07-20T10:15:00Z'),
    resolvedAt: new Date('2026-07-21T09:30:00Z'),
    closedAt: new Date('2026-07-31T23:30:00Z'),
    officesInvolved: 2,
    handoffs: 1,
    ...overrides,
  };
}

describe('buildArchiveRecord', () => {
  it('keeps no ticket id, ticket code or requester data, and says what it removed', () => {
    const record = buildArchiveRecord(source(), DEFAULT_ARCHIVE_SETTINGS, context);
    const all = JSON.stringify(record);
    for (const secret of [TICKET_ID, TICKET_CODE, 'Bianchi', 'Maria', 'maria.bianchi', '1234567', 'BNCMRA80A41C426X', 'Roma 12']) expect(all).not.toContain(secret);
    expect(record.text).toContain(PII_PLACEHOLDERS.PERSON);
    expect(record.text).toContain(PII_PLACEHOLDERS.EMAIL);
    expect(record.text).toContain(PII_PLACEHOLDERS.TICKET_CODE);
    expect(record.text).toContain('Rimborso TARI');
    const counts = JSON.parse(record.pii_counts) as Record<string, number>;
    expect(counts.EMAIL).toBe(1);
    expect(counts.PERSON).toBeGreaterThanOrEqual(2);
    expect(counts).toEqual(countPlaceholders(record.text));
    expect(Object.keys(record).sort()).toEqual([...ARCHIVE_COLUMNS].sort());
  });

  it('dates in Italian time, by day unless the hour is asked for; durations in minutes', () => {
    const byDay = buildArchiveRecord(source(), DEFAULT_ARCHIVE_SETTINGS, context);
    expect(byDay).toMatchObject({ month: '2026-08', opened_day: '2026-07-20', opened_hour: null, closed_day: '2026-08-01', first_response_minutes: 45, resolution_minutes: 24 * 60 });
    const byHour = buildArchiveRecord(source(), { ...DEFAULT_ARCHIVE_SETTINGS, timeGranularity: 'hour' }, context);
    expect(byHour.opened_hour).toBe(11);
    expect(buildArchiveRecord(source({ firstResponseAt: null }), DEFAULT_ARCHIVE_SETTINGS, context).first_response_minutes).toBeNull();
  });

  it('generalises a small comune to its province, keeps a large one, and follows the threshold', () => {
    expect(buildArchiveRecord(source(), DEFAULT_ARCHIVE_SETTINGS, context)).toMatchObject({ territory_code: '066032', territory_level: 'comune' });
    const small = source({ organisation: { id: 'org-ortona', ipaCode: 'c_g145', istatCode: '066064', regionIstat: '13' } });
    expect(buildArchiveRecord(small, DEFAULT_ARCHIVE_SETTINGS, context)).toMatchObject({ territory_code: '066', territory_level: 'provincia' });
    expect(buildArchiveRecord(small, { ...DEFAULT_ARCHIVE_SETTINGS, minComunePopulation: 100 }, context)).toMatchObject({ territory_code: '066064', territory_level: 'comune' });
    expect(buildArchiveRecord(source({ organisation: { id: 'r', ipaCode: 'r_abruzz', istatCode: null, regionIstat: '13' } }), DEFAULT_ARCHIVE_SETTINGS, context))
      .toMatchObject({ territory_code: '13', territory_level: 'regione' });
    expect(buildArchiveRecord(source({ organisation: { id: 'n', ipaCode: null, istatCode: null, regionIstat: null } }), DEFAULT_ARCHIVE_SETTINGS, context))
      .toMatchObject({ territory_code: null, territory_level: null });
  });

  it("rolls local codes up to the network code and carries the citizen's rating, empty when not rated", () => {
    const record = buildArchiveRecord(source(), DEFAULT_ARCHIVE_SETTINGS, context);
    expect(record.topic_code).toBe('tributi.tari');
    expect(JSON.parse(record.classification_json)).toEqual({ tema: 'tributi.tari', tipo: 'informazione' });
    expect(record.satisfaction).toBeNull();
    expect(buildArchiveRecord(source({ satisfaction: 4 }), DEFAULT_ARCHIVE_SETTINGS, context).satisfaction).toBe(4);
    expect(record).toMatchObject({ offices_involved: 2, handoffs: 1, outcome: 'risposta_fornita', channel: 'telefono', office_id: 'office-urp', source: 'ticket' });
  });

  it("removes the requester's own e-mail and phone in any case and spelling, as the recogniser would", () => {
    const known = { names: ['Ada Verdi'], values: ['Ada.Verdi@Example.org', '+39 347 765 4321', 'VRDDAA70A41H501X'] };
    const text = 'Scrive ada.verdi@EXAMPLE.ORG, richiamare al 347.765.4321 o 3477654321 (cf vrddaa70a41h501x); la sig.ra Verdi attende.';
    const { text: out, piiCounts } = redactText([text], known);
    expect(out).not.toMatch(/verdi|7654321|765|vrddaa/i);
    expect(out).toContain('[EMAIL]');
    expect(out).toContain('[TELEFONO] o [TELEFONO]');
    expect(out).toContain('[CODICE_FISCALE]');
    expect(piiCounts).toMatchObject({ EMAIL: 1, PHONE: 2, FISCAL_CODE: 1 });
  });

  it('gives historical contacts no office', () => {
    const record = buildArchiveRecord(source({ source: 'historical', officeId: 'ignored' }), DEFAULT_ARCHIVE_SETTINGS, context);
    expect(record.office_id).toBeNull();
    expect(record.source).toBe('historical');
  });
});
