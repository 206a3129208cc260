import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexTaxonomy, type TaxonomyDocument } from '../taxonomy/taxonomy.js';
import { convertRow, resolveColumns, type ColumnRoles } from './contact-row.js';
import { compileMapping, type MappingContent, splitCategories, validateMapping } from './mapping.js';

const tax = indexTaxonomy(JSON.parse(readFileSync('data-seed/urp-taxonomy.json', 'utf8')) as TaxonomyDocument);
const load = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as MappingContent & { columns: ColumnRoles };

const mapping: MappingContent = {
  taxonomyVersion: '1.0.0',
  categories: [
    { legacy: 'Buche', tema: 'manutenzione_urbana.buche_strade', tipo: 'segnalazione' },
    { legacy: 'Tombini', tema: 'manutenzione_urbana.servizio_idrico' },
    { legacy: 'Idee e proposte', tema: 'trasparenza_partecipazione.consultazioni', tipo: 'suggerimento', canale: 'web' },
    { legacy: 'Tombini + Buche', tema: 'manutenzione_urbana' },
  ],
  channels: [{ legacy: 'App Municipium', canale: 'app' }],
  statuses: [{ legacy: 'annullata', esito: 'annullato' }],
};

describe('mapping validation', () => {
  it('accepts the real mappings shipped in data-seed', () => {
    expect(validateMapping(load('data-seed/mappings/alessandria.json'), tax)).toEqual([]);
    const boston = load('data-seed/mappings/boston-311.json');
    expect(validateMapping(boston, tax)).toEqual([]);
    expect(boston.categories).toHaveLength(153);
  });

  it('names each code that does not exist, is deprecated, or is mapped twice', () => {
    const issues = validateMapping(
      { ...mapping, categories: [{ legacy: 'Buche', tema: 'buche' }, { legacy: ' buche ', tema: 'tributi' }], channels: [{ legacy: 'x', canale: 'piccione' }], statuses: [{ legacy: 'y', esito: 'risolto' }] },
      tax,
    );
    expect(issues.map((i) => i.path)).toEqual(['categories[1].legacy', 'categories[0].tema', 'channels[0].canale', 'statuses[0].esito']);
  });
});

describe('mapping application', () => {
  const m = compileMapping(mapping);

  it('maps a value case- and blank-insensitively, with channel and status', () => {
    expect(m.classify(['  buche '], 'App Municipium', 'annullata')).toMatchObject({
      classification: { tema: 'manutenzione_urbana.buche_strade', tipo: 'segnalazione', canale: 'app', esito: 'annullato' }, unmappedCategories: [], unmappedChannel: null, unmappedStatus: null,
    });
  });

  it('prefers an exact combination, else the first mapped value, and reports unmapped ones', () => {
    expect(m.classify(['Tombini', 'Buche'], null, null).classification).toEqual({ tema: 'manutenzione_urbana' });
    const r = m.classify(['Altro', 'Buche', 'Tombini'], null, null);
    expect(r.classification).toEqual({ tema: 'manutenzione_urbana.buche_strade', tipo: 'segnalazione' });
    expect(r.unmappedCategories).toEqual(['Altro']);
  });

  it('takes canale from the category when the channel column says nothing', () => {
    expect(m.classify(['Idee e proposte'], null, null).classification?.canale).toBe('web');
    expect(m.classify(['Idee e proposte'], 'App Municipium', null).classification?.canale).toBe('app');
  });

  it('leaves an unmapped or empty category unclassified, keeping channel and status codes', () => {
    expect(m.classify([], 'App Municipium', 'chiusa')).toEqual({ classification: null, partial: { canale: 'app' }, unmappedCategories: [''], unmappedChannel: null, unmappedStatus: 'chiusa' });
  });

  it('splits multi-valued cells', () => {
    expect(splitCategories(' Buche ; Tombini;;buche ', ';')).toEqual(['Buche', 'Tombini']);
    expect(splitCategories('Buche;Tombini', null)).toEqual(['Buche;Tombini']);
  });
});

describe('row conversion', () => {
  const roles: ColumnRoles = { id: 'Id', createdAt: 'Creato', createdFormat: 'iso', closedAt: 'Chiusa', category: 'Categoria', categorySeparator: ';', text: ['Testo'], timeZone: 'Europe/Rome' };
  const columns = ['Id', 'Creato', 'Chiusa', 'Testo', 'Categoria'];
  const ctx = { roles, positions: resolveColumns(roles, columns).positions, delimiter: ';' as const, mapping: compileMapping(mapping), unmappedPolicy: 'skip' as const };

  it('reports unknown columns', () => {
    expect(resolveColumns({ ...roles, status: 'Stato' }, columns).missing).toEqual(['Stato']);
  });

  it('converts a row and reads spilled values of an unquoted multi-valued last column', () => {
    const out = convertRow(['7', '2024-01-29', '', 'Buca in via Roma', 'Buche', 'Tombini'], ctx);
    expect(out).toMatchObject({ ok: true, contact: { legacyId: '7', closedAt: null, legacyCategory: 'Buche + Tombini', text: 'Buca in via Roma', classified: true } });
  });

  it('rejects with a reason', () => {
    expect(convertRow(['', '2024-01-29', '', '', 'Buche'], ctx)).toMatchObject({ ok: false, reason: 'missing_id' });
    expect(convertRow(['1', '29/01/2024', '', '', 'Buche'], ctx)).toMatchObject({ ok: false, reason: 'bad_date' });
    expect(convertRow(['1', '2024-01-29', 'domani', '', 'Buche'], ctx)).toMatchObject({ ok: false, reason: 'bad_date' });
    expect(convertRow(['1', '2024-01-29'], ctx)).toMatchObject({ ok: false, reason: 'column_count', message: '2 campi invece di 5' });
    expect(convertRow(['1', '2024-01-29', '', '', 'Altro'], ctx)).toMatchObject({ ok: false, reason: 'unmapped_category', unmappedCategories: ['Altro'] });
    expect(convertRow(['1', '2024-01-29', '', '', 'Altro'], { ...ctx, unmappedPolicy: 'unclassified' })).toMatchObject({ ok: true, contact: { classified: false, classification: {} } });
  });
});
