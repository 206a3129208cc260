import { describe, expect, it } from 'vitest';
import { packageTerritory } from '../../territory/package-data.js';
import { Territory } from '../../territory/index.js';
import { readCsvInput } from './csv-input.js';
import { organisationSlug, organisationTypeOf, readOrganisationRows } from './organisation-rows.js';

const territory = new Territory(packageTerritory(), 'test');
const rows = (text: string) => {
  const read = readCsvInput(Buffer.from(text));
  if (!read.ok) throw new Error('unreadable');
  return readOrganisationRows(read.input, territory);
};

describe('organisations from the IPA register', () => {
  it('maps IPA categories and codes to the types of urpnet', () => {
    const type = (p: Partial<Parameters<typeof organisationTypeOf>[0]>) => organisationTypeOf({ explicit: '', categoryCode: '', category: '', ipaCode: 'x', name: 'Ente', ...p });
    expect(type({ category: 'Regioni, Province Autonome e loro Consorzi e Associazioni', name: 'Regione Abruzzo' })).toBe('regione');
    expect(type({ category: 'Regioni, Province Autonome e loro Consorzi e Associazioni', name: 'Provincia Autonoma di Trento' })).toBe('provincia');
    expect(type({ category: 'Comuni e loro Consorzi e Associazioni', name: 'Unione dei Comuni del Tavoliere' })).toBe('altro');
    expect(type({ category: "Citta' Metropolitane" })).toBe('citta_metropolitana');
    expect(type({ categoryCode: 'L7' })).toBe('asl');
    expect(type({ category: 'Ministeri e loro Uffici Periferici' })).toBe('ente_nazionale');
    expect(type({ ipaCode: 'c_h501' })).toBe('comune');
    expect(type({ explicit: 'Città metropolitana' })).toBe('citta_metropolitana');
    expect(type({ explicit: 'sindacato' })).toEqual({ invalid: 'sindacato' });
  });

  it('places a body through its comune, restores leading zeros, and names the successor of a merged comune', () => {
    const r = rows('Codice_IPA,Denominazione_ente,Codice_comune_ISTAT,Codice_Categoria\nc_c426,Comune di Celano,66032,L6\nc_f727,Comune di Moransengo,005079,L6\nc_x,Comune,12345678,L6\n');
    expect(r.rows).toEqual([expect.objectContaining({ line: 2, ipaCode: 'c_c426', type: 'comune', istatCode: '066032', regionIstat: '13' })]);
    expect(r.problems.map((p) => [p.line, p.code])).toEqual([[3, 'comune_merged'], [4, 'unknown_istat_code']]);
    expect(r.problems[0]!.en).toContain('Moransengo-Tonengo (ISTAT code 005122)');
  });

  it('checks the province against the comune and reads the old layout’s literal null', () => {
    const r = rows('cod_amm\tdes_amm\tProvincia\tRegione\ttipologia_istat\tCf\nc_c426\tComune di Celano\tPE\tAbruzzo\tComuni e loro Consorzi e Associazioni\tnull\nc_a345\tComune\tXX\tAbruzzo\tComuni e loro Consorzi e Associazioni\tnull\n');
    expect(r.layout).toBe('ipa_old');
    expect(r.problems.map((p) => [p.line, p.code])).toEqual([[2, 'territory_mismatch'], [3, 'unknown_province']]);
  });

  it('gives new bodies unique slugs', () => {
    const taken = new Set(['comune-di-castro']);
    expect(organisationSlug('Comune di Castro', 'c_c336', (s) => taken.has(s))).toBe('comune-di-castro-c-c336');
    taken.add('comune-di-castro-c-c336');
    expect(organisationSlug('Comune di Castro', 'c_c336', (s) => taken.has(s))).toBe('comune-di-castro-c-c336-2');
  });
});
