import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flattenTaxonomy, indexTaxonomy, type TaxonomyDocument } from './taxonomy.js';
import { documentWithLocalNodes, localCode, localFlatNode, organisationSegment, rollUpToNetwork } from './taxonomy-local.js';

const doc = JSON.parse(readFileSync(new URL('../../../data-seed/urp-taxonomy.json', import.meta.url), 'utf8')) as TaxonomyDocument;
const tax = indexTaxonomy(JSON.parse(readFileSync(new URL('../../../data-seed/urp-taxonomy.json', import.meta.url), 'utf8')) as TaxonomyDocument);

describe('organisation-local nodes', () => {
  it('are namespaced by the network parent and the organisation', () => {
    expect(organisationSegment('comune-celano')).toBe('comune_celano');
    expect(localCode('tributi.tari', 'comune-celano', 'compostaggio')).toBe('tributi.tari.comune_celano.compostaggio');
  });

  it('sit under their network parent in the topic path, selectable only while active', () => {
    const node = { facet: 'tema', code: 'tributi.tari.comune_celano.compostaggio', parentCode: 'tributi.tari', label: { it: 'Compostaggio' }, description: null };
    expect(localFlatNode(tax, { ...node, status: 'active' })).toMatchObject({ path: 'tributi/tributi.tari/tributi.tari.comune_celano.compostaggio', depth: 2, deprecated: false });
    expect(localFlatNode(tax, { ...node, status: 'orphaned' }).deprecated).toBe(true);
  });

  it('roll up to the network code they refine', () => {
    const locals = [{ facet: 'tema', code: 'tributi.tari.comune_celano.compostaggio', parentCode: 'tributi.tari' }];
    expect(rollUpToNetwork(tax, locals, 'tema', 'tributi.tari.comune_celano.compostaggio')).toBe('tributi.tari');
    expect(rollUpToNetwork(tax, locals, 'tema', 'tributi.imu')).toBe('tributi.imu');
    expect(rollUpToNetwork(tax, locals, 'tema', 'tributi.tari.comune_napoli.altro')).toBeNull();
  });

  it('hang under their network parent in an exported document, without touching the original', () => {
    const locals = [
      { facet: 'tema', code: 'tributi.tari.comune_celano.compostaggio', parentCode: 'tributi.tari', label: { it: 'Compostaggio' }, description: null, status: 'active' as const },
      { facet: 'tema', code: 'tributi.tari.comune_celano.vecchio', parentCode: 'tributi.tari', label: { it: 'Vecchio' }, description: null, status: 'retired' as const },
      { facet: 'tema', code: 'sparito.comune_celano.x', parentCode: 'sparito', label: { it: 'X' }, description: null, status: 'active' as const },
    ];
    const { document, missingParent } = documentWithLocalNodes(doc, locals);
    expect(missingParent).toEqual(['sparito.comune_celano.x']);
    const flat = flattenTaxonomy(document).filter((n) => n.code.includes('comune_celano'));
    expect(flat.map((n) => [n.code, n.parentCode, n.deprecated])).toEqual([
      ['tributi.tari.comune_celano.compostaggio', 'tributi.tari', false],
      ['tributi.tari.comune_celano.vecchio', 'tributi.tari', true],
    ]);
    expect(flattenTaxonomy(doc).some((n) => n.code.includes('comune_celano'))).toBe(false);
  });
});
