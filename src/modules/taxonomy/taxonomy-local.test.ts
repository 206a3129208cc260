import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexTaxonomy, type TaxonomyDocument } from './taxonomy.js';
import { localCode, localFlatNode, organisationSegment, rollUpToNetwork } from './taxonomy-local.js';

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
});
