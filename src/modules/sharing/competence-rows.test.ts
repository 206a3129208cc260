import { describe, expect, it } from 'vitest';
import { readCsvInput } from '../identity/index.js';
import { CompetenceIndex } from './competence-index.js';
import { competenceDiff, fromPairs, type MatrixTerritory, readCompetenceRows, resolveTerritory, toPairs } from './competence-rows.js';

/** A small territory: L'Aquila (comune and province), Celano, Ocre merged into L'Aquila, Abruzzo; Castro in two provinces. */
const PLACES: MatrixTerritory = {
  comune: (code) => ({ '066049': { code: '066049', name: "L'Aquila" }, '066032': { code: '066032', name: 'Celano' } })[code],
  successor: (code) => (code === '066059' ? { succession: { oldName: 'Ocre', since: '2026-07-01' }, current: { code: '066049', name: "L'Aquila" } } : undefined),
  province: (code) => (code === '066' || code === 'AQ' ? { code: '066', name: "L'Aquila" } : undefined),
  region: (code) => (code === '13' ? { code: '13', name: 'Abruzzo' } : undefined),
  named: (name) =>
    ({
      aquila: [{ level: 'comune' as const, code: '066049', name: "L'Aquila" }, { level: 'province' as const, code: '066', name: "L'Aquila" }],
      celano: [{ level: 'comune' as const, code: '066032', name: 'Celano' }],
      abruzzo: [{ level: 'region' as const, code: '13', name: 'Abruzzo' }],
    })[name.replace(/^l /, '')] ?? [],
};

const TOPICS = new Set(['tributi', 'tributi.tari', 'sanita']);
const read = (text: string) => {
  const input = readCsvInput(Buffer.from(text));
  if (!input.ok) throw new Error('unreadable');
  return readCompetenceRows(input.input, (t) => TOPICS.has(t), PLACES);
};

describe('resolveTerritory', () => {
  it('reads codes, abbreviations and exact names; empty is the whole country', () => {
    expect(resolveTerritory('', PLACES)).toEqual({ ok: true, code: null });
    expect(resolveTerritory('066032', PLACES)).toEqual({ ok: true, code: '066032' });
    // A spreadsheet that dropped the leading zeros.
    expect(resolveTerritory('66032', PLACES)).toEqual({ ok: true, code: '066032' });
    expect(resolveTerritory('066', PLACES)).toEqual({ ok: true, code: '066' });
    expect(resolveTerritory('aq', PLACES)).toEqual({ ok: true, code: '066' });
    expect(resolveTerritory('13', PLACES)).toEqual({ ok: true, code: '13' });
    expect(resolveTerritory('Celano', PLACES)).toEqual({ ok: true, code: '066032' });
    expect(resolveTerritory('Regione Abruzzo', PLACES)).toEqual({ ok: true, code: '13' });
  });

  it('maps a comune merged away to its successor, and refuses unknown or ambiguous places', () => {
    expect(resolveTerritory('066059', PLACES)).toEqual({ ok: true, code: '066049', mergedFrom: { oldCode: '066059', oldName: 'Ocre', newName: "L'Aquila", since: '2026-07-01' } });
    expect(resolveTerritory('099999', PLACES)).toEqual({ ok: false, problem: 'unknown_territory' });
    expect(resolveTerritory('14', PLACES)).toEqual({ ok: false, problem: 'unknown_territory' });
    expect(resolveTerritory('Atlantide', PLACES)).toEqual({ ok: false, problem: 'unknown_territory' });
    expect(resolveTerritory("L'Aquila", PLACES)).toMatchObject({ ok: false, problem: 'ambiguous_territory' });
    expect(resolveTerritory("Provincia dell'Aquila", PLACES)).toEqual({ ok: true, code: '066' });
    expect(resolveTerritory("Comune dell'Aquila", PLACES)).toEqual({ ok: true, code: '066049' });
    expect(resolveTerritory("Città metropolitana dell'Aquila", PLACES)).toEqual({ ok: true, code: '066' });
  });
});

describe('readCompetenceRows', () => {
  it('reads the Italian header or its aliases, and reports each bad line by its number', () => {
    const rows = read([
      'Tema,Ambito territoriale,Codice IPA,Codice ufficio,Note',
      'tributi.tari,066032,c_c426,celano-urp,',
      'TRIBUTI.TARI,066059,C_C426,Celano URP,fusione',
      'tributi.xyz,066032,c_c426,celano-urp,',
      'sanita,Atlantide,c_c426,celano-urp,',
      'sanita,,,celano-urp,',
      'tributi.tari,066032,c_c426,celano-urp,',
      'sanita,,r_abruzz,regione-abruzzo-urp,',
    ].join('\n'));
    expect(rows.missingColumns).toEqual([]);
    expect(rows.columns.ignored).toEqual(['Note']);
    expect(rows.rows).toEqual([
      { line: 2, topic: 'tributi.tari', territory: '066032', organisationIpa: 'c_c426', officeCode: 'celano-urp' },
      { line: 3, topic: 'tributi.tari', territory: '066049', organisationIpa: 'c_c426', officeCode: 'celano-urp' },
      { line: 8, topic: 'sanita', territory: null, organisationIpa: 'r_abruzz', officeCode: 'regione-abruzzo-urp' },
    ]);
    expect(rows.notes).toEqual([expect.objectContaining({ line: 3, code: 'territory_successor' })]);
    expect(rows.problems.map((p) => [p.line, p.code])).toEqual([[4, 'unknown_topic'], [5, 'unknown_territory'], [6, 'missing_field'], [7, 'duplicate_in_file']]);
    expect(rows.problems[3]!.message).toContain('riga 2');
  });

  it('names the missing columns', () => {
    expect(read('argomento;territorio\ntributi;13\n').missingColumns).toEqual(['ente (codice IPA)', 'ufficio']);
  });
});

describe('competence pairs', () => {
  it('merges the rows of one topic, the whole country covering the rest, and diffs pair by pair', () => {
    const next = fromPairs([{ topic: 'tributi', territory: '13' }, { topic: 'tributi', territory: '066' }, { topic: 'sanita', territory: '13' }, { topic: 'sanita', territory: null }]);
    expect(next).toEqual([{ topic: 'sanita', territory: [] }, { topic: 'tributi', territory: ['066', '13'] }]);
    const diff = competenceDiff(toPairs([{ topic: 'tributi', territory: ['13', '067'] }]), toPairs(next));
    expect(diff).toEqual({ added: [{ topic: 'sanita', territory: null }, { topic: 'tributi', territory: '066' }], removed: [{ topic: 'tributi', territory: '067' }] });
  });
});

describe('CompetenceIndex', () => {
  const territory = {
    resolve: (c: string) => (c === '066059' ? '066049' : c),
    regionOf: (c: string) => (c.length === 2 ? c : '13'),
    provinceOf: (c: string) => (c.length === 2 ? null : c.slice(0, 3)),
  };
  const index = new CompetenceIndex([
    { officeId: 'comune', topic: 'tributi.tari', territory: ['066059'] },
    { officeId: 'provincia', topic: 'tributi', territory: ['066'] },
    { officeId: 'nazionale', topic: 'tributi.tari', territory: [] },
    { officeId: 'altrove', topic: 'tributi.tari', territory: ['067'] },
  ], territory);

  it('finds the competences of a topic at a place, its province, its region and nationwide: 3 the place, 2 an area around it, 1 nationwide', () => {
    const at = [...index.at('tributi.tari', '066049')].map(([c, where]) => [c.officeId, where]);
    expect(at).toEqual([['comune', 3], ['nazionale', 1]]);
    expect([...index.at('tributi', '066049')].map(([c, where]) => [c.officeId, where])).toEqual([['provincia', 2]]);
    expect(index.at('tributi.tari', null).size).toBe(3);
    expect(index.descendantsOf('tributi')).toEqual(['tributi.tari']);
  });

  it('lets a competence on a topic cover its sub-topics in the coverage', () => {
    const covering = index.covering('tributi.tari');
    expect(covering.national.map((c) => c.officeId)).toEqual(['nazionale']);
    expect(covering.byCode.get('066')?.map((c) => c.officeId)).toEqual(['provincia']);
    expect(covering.byCode.get('066049')?.map((c) => c.officeId)).toEqual(['comune']);
  });
});
