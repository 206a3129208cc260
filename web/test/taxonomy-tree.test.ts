import { describe, expect, it } from 'vitest';
import { type LocalNode, nodeOptions, visibleCodes, withLocal } from '../src/components/TaxonomyTree.js';
import { taxonomy } from './fixtures.js';

const tema = taxonomy.facets.find((f) => f.code === 'tema');
if (!tema) throw new Error('fixture without tema');

const local = (code: string, parentCode: string, status: LocalNode['status'] = 'active'): LocalNode => ({
  id: code, organisationId: 'org', facet: 'tema', code, parentCode, networkVersion: '1.0.0', label: { it: `Locale ${code}` }, description: null, status, statusNote: null, version: 1, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
});

describe('taxonomy browser tree', () => {
  it('hangs local nodes under their network parent, flagging non-active ones and dropping retired ones', () => {
    const nodes = withLocal(tema, [local('tributi.tari.celano.compost', 'tributi.tari'), local('tributi.imu.celano.old', 'tributi.imu', 'orphaned'), local('x', 'tributi', 'retired')]);
    const tributi = nodes.find((n) => n.code === 'tributi');
    expect(tributi?.children?.find((c) => c.code === 'tributi.tari')?.children).toEqual([{ code: 'tributi.tari.celano.compost', label: { it: 'Locale tributi.tari.celano.compost' }, local: true, deprecated: false }]);
    expect(tributi?.children?.find((c) => c.code === 'tributi.imu')?.children?.[0]).toMatchObject({ local: true, deprecated: true });
    expect(tributi?.children?.map((c) => c.code)).not.toContain('x');
    // The facet itself is not modified.
    expect(tema.nodes.find((n) => n.code === 'tributi')?.children?.find((c) => c.code === 'tributi.tari')?.children).toBeUndefined();
  });

  it('filters by label, code or description, keeping the ancestors of each match', () => {
    expect(visibleCodes(tema.nodes, '  ', 'it')).toBeNull();
    const shown = visibleCodes(tema.nodes, 'spid', 'it');
    expect(shown && [...shown].sort()).toEqual(['identita_digitale', 'identita_digitale.spid']);
    expect(visibleCodes(tema.nodes, 'nessuna corrispondenza', 'it')?.size).toBe(0);
  });

  it('lists every node for selects, indented by depth', () => {
    const options = nodeOptions(tema.nodes, (t) => t.it);
    expect(options[1]).toMatchObject({ code: 'identita_digitale.spid', deprecated: false });
    expect(options[1]?.text.startsWith('\u00a0\u00a0')).toBe(true);
  });
});
