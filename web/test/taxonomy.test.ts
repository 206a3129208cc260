import { describe, expect, it } from 'vitest';
import { codeLabel, filterNodes, flattenNodes, fold, pathLabel } from '../src/lib/taxonomy.js';
import { taxonomy } from './fixtures.js';

const tema = taxonomy.facets.find((f) => f.code === 'tema');
if (!tema) throw new Error('fixture without tema');

describe('taxonomy flattening', () => {
  it('keeps tree order with parent paths and depth', () => {
    const nodes = flattenNodes(tema.nodes, 'it');
    expect(nodes.map((n) => n.code)).toEqual([
      'identita_digitale',
      'identita_digitale.spid',
      'identita_digitale.cie',
      'tributi',
      'tributi.tari',
      'tributi.imu',
      'anagrafe',
    ]);
    const spid = nodes[1];
    expect(spid?.path).toEqual(['Identità digitale', 'SPID']);
    expect(spid?.depth).toBe(1);
    expect(nodes[0]?.hasChildren).toBe(true);
  });

  it('uses English labels when present, Italian otherwise', () => {
    const nodes = flattenNodes(tema.nodes, 'en');
    expect(nodes[0]?.label).toBe('Digital identity');
    expect(nodes[1]?.label).toBe('SPID');
  });
});

describe('filterNodes', () => {
  const nodes = flattenNodes(tema.nodes, 'it');

  it('returns every node for an empty query', () => {
    expect(filterNodes(nodes, '   ')).toHaveLength(nodes.length);
  });

  it('matches labels without regard to case or accents', () => {
    // «Carta d'identità…» names the word itself, so it ranks above SPID, found only through its parent.
    expect(filterNodes(nodes, 'IDENTITA').map((n) => n.code)).toEqual(['identita_digitale', 'identita_digitale.cie', 'identita_digitale.spid']);
  });

  it('matches codes, dotted or not', () => {
    expect(filterNodes(nodes, 'tributi.tari').map((n) => n.code)).toEqual(['tributi.tari']);
    expect(filterNodes(nodes, 'tari')[0]?.code).toBe('tributi.tari');
  });

  it('needs every word, searching the parent path too', () => {
    expect(filterNodes(nodes, 'tributi imu').map((n) => n.code)).toEqual(['tributi.imu']);
    expect(filterNodes(nodes, 'spid cie')).toEqual([]);
  });

  it('puts nodes whose own label starts with the query first', () => {
    const codes = filterNodes(nodes, 'carta').map((n) => n.code);
    expect(codes[0]).toBe('identita_digitale.cie');
    const spidFirst = filterNodes(nodes, 'spid').map((n) => n.code);
    expect(spidFirst).toEqual(['identita_digitale.spid']);
  });
});

describe('labels', () => {
  it('shows the parent › child path of a code', () => {
    expect(codeLabel(taxonomy, 'tema', 'identita_digitale.spid', 'it')).toBe('Identità digitale › SPID');
    expect(pathLabel({ path: ['A', 'B'] })).toBe('A › B');
  });

  it('falls back to the raw code for unknown codes or facets', () => {
    expect(codeLabel(taxonomy, 'tema', 'vecchio.codice', 'it')).toBe('vecchio.codice');
    expect(codeLabel(taxonomy, 'nessuno', 'x', 'it')).toBe('x');
    expect(codeLabel(null, 'tema', 'x', 'it')).toBe('x');
    expect(codeLabel(taxonomy, 'tema', '', 'it')).toBe('');
  });

  it('folds accents', () => {
    expect(fold('Identità Àèé')).toBe('identita aee');
  });
});
