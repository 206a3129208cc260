import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexTaxonomy, type TaxonomyDocument, checkClassification } from './taxonomy.js';
import { applyOperations, compareVersions, composeRelations, crosswalkToCsv, parseOperations, type TaxonomyOperation, translateAcross } from './taxonomy-changes.js';

const seed = JSON.parse(readFileSync(new URL('../../../data-seed/urp-taxonomy.json', import.meta.url), 'utf8')) as TaxonomyDocument;

/** A small scheme: one required facet with a two-level tree, one optional flat facet. */
const small: TaxonomyDocument = {
  scheme: 'test',
  version: '1.0.0',
  facets: [
    {
      code: 'tema', label: { it: 'Tema' }, multi: false, required: true,
      nodes: [
        { code: 'tributi', label: { it: 'Tributi' }, children: [{ code: 'tributi.imu', label: { it: 'IMU' } }, { code: 'tributi.tari', label: { it: 'TARI' } }] },
        { code: 'anagrafe', label: { it: 'Anagrafe' }, children: [{ code: 'anagrafe.cie', label: { it: 'CIE' } }] },
        { code: 'ambiente', label: { it: 'Ambiente' } },
      ],
    },
    { code: 'utente', label: { it: 'Utente' }, multi: false, required: false, nodes: [{ code: 'cittadino', label: { it: 'Cittadino' } }] },
  ],
};

const apply = (ops: TaxonomyOperation[], context = {}) => applyOperations(small, '1.1.0', ops, context);
const codes = (r: ReturnType<typeof apply>) => r.problems.map((p) => p.code);
const node = (doc: TaxonomyDocument, code: string) => indexTaxonomy(doc).nodes.get(`tema:${code}`);

describe('applying change operations', () => {
  it('with no operations reproduces the base version under the new number', () => {
    const r = applyOperations(seed, '1.1.0', []);
    expect(r.problems).toEqual([]);
    expect(r.crosswalk).toEqual([]);
    expect(r.document).toEqual({ ...seed, version: '1.1.0' });
  });

  it('adds a node under a parent, last among its siblings', () => {
    const r = apply([{ op: 'add', facet: 'tema', code: 'tributi.cup', parent: 'tributi', label: { it: 'Canone unico', en: 'Single fee' } }]);
    expect(r.problems).toEqual([]);
    expect(r.document.facets[0]?.nodes[0]?.children?.map((c) => c.code)).toEqual(['tributi.imu', 'tributi.tari', 'tributi.cup']);
    expect(node(r.document, 'tributi.cup')).toMatchObject({ parentCode: 'tributi', path: 'tributi/tributi.cup', label: { it: 'Canone unico', en: 'Single fee' } });
  });

  it('rejects duplicate, malformed and reserved codes, unknown parents and facets', () => {
    expect(codes(apply([{ op: 'add', facet: 'tema', code: 'tributi.imu', parent: 'tributi', label: { it: 'x' } }]))).toEqual(['taxonomy.duplicate_code']);
    expect(codes(apply([{ op: 'add', facet: 'tema', code: 'Tributi IMU', parent: null, label: { it: 'x' } }]))).toEqual(['taxonomy.invalid_code']);
    expect(codes(apply([{ op: 'add', facet: 'tema', code: 'ambiente.x', parent: 'nessuno', label: { it: 'x' } }]))).toEqual(['taxonomy.unknown_parent']);
    expect(codes(apply([{ op: 'add', facet: 'colore', code: 'rosso', parent: null, label: { it: 'x' } }]))).toEqual(['taxonomy.unknown_facet']);
    const reserved = apply([{ op: 'add', facet: 'tema', code: 'tributi.celano.mense', parent: 'tributi', label: { it: 'x' } }], { reservedCodes: new Set(['tributi.celano.mense']) });
    expect(codes(reserved)).toEqual(['taxonomy.code_reserved']);
    expect(reserved.problems[0]?.message).toContain('nodo locale');
    expect(reserved.problems[0]?.path).toBe('operations[0]');
  });

  it('renames labels and descriptions without touching the code or the crosswalk', () => {
    const r = apply([{ op: 'rename', facet: 'tema', code: 'tributi.imu', label: { it: 'IMU - Imposta municipale', en: 'Municipal property tax' }, description: { it: 'Imposta sugli immobili' } }]);
    expect(r.problems).toEqual([]);
    expect(r.crosswalk).toEqual([]);
    expect(node(r.document, 'tributi.imu')).toMatchObject({ label: { it: 'IMU - Imposta municipale', en: 'Municipal property tax' }, description: { it: 'Imposta sugli immobili' } });
    expect(codes(apply([{ op: 'rename', facet: 'tema', code: 'nessuno', label: { it: 'x' } }]))).toEqual(['taxonomy.unknown_code']);
  });

  it('moves a node with its subtree and rejects cyclic moves', () => {
    const r = apply([{ op: 'move', facet: 'tema', code: 'anagrafe', parent: 'ambiente' }]);
    expect(r.problems).toEqual([]);
    expect(node(r.document, 'anagrafe.cie')?.path).toBe('ambiente/anagrafe/anagrafe.cie');
    const top = apply([{ op: 'move', facet: 'tema', code: 'tributi.tari', parent: null }]);
    expect(node(top.document, 'tributi.tari')).toMatchObject({ parentCode: null, depth: 0 });
    const self = apply([{ op: 'move', facet: 'tema', code: 'tributi', parent: 'tributi' }]);
    expect(codes(self)).toEqual(['taxonomy.cyclic_move']);
    const cyclic = apply([{ op: 'move', facet: 'tema', code: 'tributi', parent: 'tributi.imu' }]);
    expect(codes(cyclic)).toEqual(['taxonomy.cyclic_move']);
    expect(cyclic.problems[0]?.message).toContain('discendente');
    // Cycles through an earlier move are caught too.
    expect(codes(apply([{ op: 'move', facet: 'tema', code: 'anagrafe', parent: 'ambiente' }, { op: 'move', facet: 'tema', code: 'ambiente', parent: 'anagrafe.cie' }]))).toEqual(['taxonomy.cyclic_move']);
  });

  it('deprecates a node, keeping it with its replacement and a crosswalk', () => {
    const r = apply([{ op: 'deprecate', facet: 'tema', code: 'tributi.tari', replacement: 'ambiente', relation: 'broader' }]);
    expect(r.problems).toEqual([]);
    expect(node(r.document, 'tributi.tari')).toMatchObject({ deprecated: true, replacedBy: ['ambiente'] });
    expect(r.crosswalk).toEqual([{ facet: 'tema', fromCode: 'tributi.tari', toCode: 'ambiente', relation: 'broader', note: 'deprecato' }]);
    // Not selectable for new tickets, and the issue names the replacement.
    const issues = checkClassification(indexTaxonomy(r.document), { tema: 'tributi.tari' }, false);
    expect(issues[0]).toMatchObject({ code: 'deprecated_code', params: { code: 'tributi.tari', replacedBy: 'ambiente' } });
    expect(codes(apply([{ op: 'deprecate', facet: 'tema', code: 'tributi.tari', replacement: 'nessuno' }]))).toEqual(['taxonomy.crosswalk_target_missing']);
    expect(codes(apply([{ op: 'deprecate', facet: 'tema', code: 'tributi.tari', replacement: 'tributi.tari' }]))).toEqual(['taxonomy.invalid_target']);
    expect(codes(apply([
      { op: 'deprecate', facet: 'tema', code: 'tributi.tari', replacement: 'ambiente' },
      { op: 'deprecate', facet: 'tema', code: 'tributi.tari', replacement: 'ambiente' },
    ]))).toEqual(['taxonomy.already_deprecated']);
  });

  it('merges several codes into one, moving their children and mapping each old code', () => {
    const r = apply([{ op: 'merge', facet: 'tema', codes: ['anagrafe', 'ambiente'], into: 'tributi' }]);
    expect(r.problems).toEqual([]);
    expect(node(r.document, 'anagrafe')).toBeUndefined();
    expect(node(r.document, 'anagrafe.cie')?.parentCode).toBe('tributi');
    expect(r.crosswalk.map((e) => [e.fromCode, e.toCode, e.relation])).toEqual([['anagrafe', 'tributi', 'merge'], ['ambiente', 'tributi', 'merge']]);
    expect(codes(apply([{ op: 'merge', facet: 'tema', codes: ['tributi'], into: 'tributi.imu' }]))).toEqual(['taxonomy.cyclic_move']);
    expect(codes(apply([{ op: 'merge', facet: 'tema', codes: ['ambiente'], into: 'nessuno' }]))).toEqual(['taxonomy.unknown_code']);
  });

  it('splits one code into several new codes, noting the split in the crosswalk', () => {
    const r = apply([{ op: 'split', facet: 'tema', code: 'ambiente', into: [{ code: 'ambiente.rifiuti', label: { it: 'Rifiuti' } }, { code: 'ambiente.verde', label: { it: 'Verde' } }] }]);
    expect(r.problems).toEqual([]);
    expect(r.document.facets[0]?.nodes.map((n) => n.code)).toEqual(['tributi', 'anagrafe', 'ambiente.rifiuti', 'ambiente.verde']);
    expect(r.crosswalk).toEqual([
      { facet: 'tema', fromCode: 'ambiente', toCode: 'ambiente.rifiuti', relation: 'split', note: 'diviso in ambiente.rifiuti, ambiente.verde' },
      { facet: 'tema', fromCode: 'ambiente', toCode: 'ambiente.verde', relation: 'split', note: 'diviso in ambiente.rifiuti, ambiente.verde' },
    ]);
    expect(codes(apply([{ op: 'split', facet: 'tema', code: 'tributi', into: [{ code: 'a', label: { it: 'A' } }, { code: 'b', label: { it: 'B' } }] }]))).toEqual(['taxonomy.node_has_children']);
    expect(codes(apply([{ op: 'split', facet: 'tema', code: 'ambiente', into: [{ code: 'a', label: { it: 'A' } }] }]))).toEqual(['taxonomy.invalid_target']);
    expect(codes(apply([{ op: 'split', facet: 'tema', code: 'ambiente', into: [{ code: 'a', label: { it: 'A' } }, { code: 'a', label: { it: 'A' } }] }]))).toEqual(['taxonomy.duplicate_code']);
  });

  it('deletes unused leaves freely, but a used code only with a crosswalk', () => {
    const used = { usedCodes: new Set(['tema:tributi.tari']) };
    const free = apply([{ op: 'delete', facet: 'tema', code: 'tributi.imu' }], used);
    expect(free.problems).toEqual([]);
    expect(node(free.document, 'tributi.imu')).toBeUndefined();
    expect(free.crosswalk).toEqual([]);
    const blocked = apply([{ op: 'delete', facet: 'tema', code: 'tributi.tari' }], used);
    expect(codes(blocked)).toEqual(['taxonomy.code_in_use']);
    expect(blocked.problems[0]?.message).toContain('corrispondenza');
    const mapped = apply([{ op: 'delete', facet: 'tema', code: 'tributi.tari', crosswalk: { to: 'tributi.imu', relation: 'broader' } }], used);
    expect(mapped.problems).toEqual([]);
    expect(mapped.crosswalk).toEqual([{ facet: 'tema', fromCode: 'tributi.tari', toCode: 'tributi.imu', relation: 'broader', note: 'eliminato' }]);
    expect(codes(apply([{ op: 'delete', facet: 'tema', code: 'tributi' }]))).toEqual(['taxonomy.node_has_children']);
    expect(codes(apply([{ op: 'delete', facet: 'tema', code: 'tributi.tari', crosswalk: { to: 'nessuno' } }], used))).toEqual(['taxonomy.crosswalk_target_missing']);
  });

  it('composes chained changes into one crosswalk from the base version', () => {
    const r = apply([
      { op: 'split', facet: 'tema', code: 'ambiente', into: [{ code: 'ambiente.rifiuti', label: { it: 'Rifiuti' } }, { code: 'ambiente.verde', label: { it: 'Verde' } }] },
      { op: 'merge', facet: 'tema', codes: ['ambiente.verde'], into: 'anagrafe' },
      { op: 'deprecate', facet: 'tema', code: 'tributi.imu', replacement: 'tributi.tari' },
      { op: 'merge', facet: 'tema', codes: ['tributi.tari'], into: 'tributi' },
    ]);
    expect(r.problems).toEqual([]);
    expect(r.crosswalk.map((e) => `${e.fromCode}>${e.toCode}:${e.relation}`).sort()).toEqual([
      'ambiente>ambiente.rifiuti:split', 'ambiente>anagrafe:split', 'tributi.imu>tributi:merge', 'tributi.tari>tributi:merge',
    ]);
    // The deprecated node now points at the code that absorbed its replacement.
    expect(node(r.document, 'tributi.imu')?.replacedBy).toEqual(['tributi']);
  });

  it('reports a crosswalk left pointing at a code deleted later, and empty or unselectable facets', () => {
    const dangling = apply([
      { op: 'merge', facet: 'tema', codes: ['ambiente'], into: 'tributi.imu' },
      { op: 'delete', facet: 'tema', code: 'tributi.imu' },
    ]);
    expect(codes(dangling)).toEqual(['taxonomy.crosswalk_target_missing']);
    expect(dangling.problems[0]).toMatchObject({ path: 'crosswalk.tema.ambiente' });
    expect(codes(apply([{ op: 'delete', facet: 'utente', code: 'cittadino' }]))).toEqual(['taxonomy.facet_empty']);
    const unselectable = applyOperations(
      { ...small, facets: [{ code: 'tipo', label: { it: 'Tipo' }, multi: false, required: true, nodes: [{ code: 'a', label: { it: 'A' } }, { code: 'b', label: { it: 'B' } }] }] },
      '1.1.0',
      [{ op: 'deprecate', facet: 'tipo', code: 'a', replacement: 'b' }, { op: 'deprecate', facet: 'tipo', code: 'b', replacement: 'a' }],
    );
    // The second deprecation targets a deprecated code; even forcing both, the facet check holds.
    expect(codes(unselectable)).toEqual(['taxonomy.invalid_target']);
  });

  it('keeps going after a failed operation so that every problem is reported', () => {
    const r = apply([
      { op: 'move', facet: 'tema', code: 'tributi', parent: 'tributi.imu' },
      { op: 'add', facet: 'tema', code: 'tributi.imu', parent: null, label: { it: 'x' } },
      { op: 'rename', facet: 'tema', code: 'ambiente', label: { it: 'Ambiente e territorio' } },
    ]);
    expect(r.problems.map((p) => p.path)).toEqual(['operations[0]', 'operations[1]']);
    expect(node(r.document, 'ambiente')?.label.it).toBe('Ambiente e territorio');
  });
});

describe('versions and translation across versions', () => {
  it('orders semantic versions numerically', () => {
    expect(compareVersions('1.10.0', '1.9.3')).toBeGreaterThan(0);
    expect(compareVersions('2.0.0', '2.0.0')).toBe(0);
    expect(compareVersions('1.0.0', '1.0.1')).toBeLessThan(0);
  });

  it('composes relations', () => {
    expect(composeRelations('exact', 'split')).toBe('split');
    expect(composeRelations('merge', 'exact')).toBe('merge');
    expect(composeRelations('split', 'merge')).toBe('split');
  });

  it('follows a code through a chain of versions, fanning out on splits and reporting lost codes', () => {
    const v11 = apply([{ op: 'split', facet: 'tema', code: 'ambiente', into: [{ code: 'ambiente.rifiuti', label: { it: 'Rifiuti' } }, { code: 'ambiente.verde', label: { it: 'Verde' } }] }, { op: 'delete', facet: 'tema', code: 'tributi.imu' }]);
    const v12 = applyOperations(v11.document, '1.2.0', [{ op: 'merge', facet: 'tema', codes: ['ambiente.verde'], into: 'anagrafe' }]);
    const steps = [
      { from: '1.0.0', to: '1.1.0', entries: v11.crosswalk, target: indexTaxonomy(v11.document) },
      { from: '1.1.0', to: '1.2.0', entries: v12.crosswalk, target: indexTaxonomy(v12.document) },
    ];
    const out = translateAcross(steps, 'tema', 'ambiente');
    expect(out.targets.map((t) => [t.code, t.relation])).toEqual([['ambiente.rifiuti', 'split'], ['anagrafe', 'split']]);
    expect(out.targets[1]?.via).toEqual([{ version: '1.1.0', code: 'ambiente.verde', relation: 'split' }, { version: '1.2.0', code: 'anagrafe', relation: 'merge' }]);
    expect(translateAcross(steps, 'tema', 'tributi.tari').targets).toEqual([{ code: 'tributi.tari', relation: 'exact', via: [{ version: '1.1.0', code: 'tributi.tari', relation: 'exact' }, { version: '1.2.0', code: 'tributi.tari', relation: 'exact' }] }]);
    expect(translateAcross(steps, 'tema', 'tributi.imu')).toEqual({ targets: [], lost: [{ code: 'tributi.imu', version: '1.1.0' }] });
  });

  it('writes the crosswalk as CSV', () => {
    const csv = crosswalkToCsv('urp-network', '1.0.0', '1.1.0', [{ facet: 'tema', fromCode: 'a', toCode: 'b', relation: 'split', note: 'diviso in b, c' }]);
    expect(csv).toBe('scheme,facet,from_version,from_code,to_version,to_code,relation,note\r\nurp-network,tema,1.0.0,a,1.1.0,b,split,"diviso in b, c"\r\n');
  });
});

describe('parsing operations received over the API', () => {
  it('accepts well-formed operations and trims text', () => {
    const parsed = parseOperations([
      { op: 'add', facet: 'tema', code: 'tributi.cup', parent: 'tributi', label: { it: ' Canone unico ', en: 'Single fee' } },
      { op: 'move', facet: 'tema', code: 'tributi.cup', parent: null },
      { op: 'delete', facet: 'tema', code: 'x', crosswalk: { to: 'y', relation: 'broader' } },
    ]);
    expect(parsed).toEqual({
      ok: true,
      operations: [
        { op: 'add', facet: 'tema', code: 'tributi.cup', parent: 'tributi', label: { it: 'Canone unico', en: 'Single fee' } },
        { op: 'move', facet: 'tema', code: 'tributi.cup', parent: null },
        { op: 'delete', facet: 'tema', code: 'x', crosswalk: { to: 'y', relation: 'broader' } },
      ],
    });
  });

  it('names each mistake with its path', () => {
    const parsed = parseOperations([
      { op: 'add', facet: 'tema', code: 'a', parent: null, label: { en: 'only English' } },
      { op: 'move', facet: 'tema', code: 'a' },
      { op: 'split', facet: 'tema', code: 'a', into: [{ code: 'b', label: { it: 'B' } }] },
      { op: 'deprecate', facet: 'tema', code: 'a', replacement: 'b', relation: 'sideways' },
      { op: 'rename', facet: 'tema', code: 'a', colour: 'red', label: { it: 'A' } },
      { op: 'explode', facet: 'tema' },
    ]);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problems.map((p) => p.path)).toEqual([
        'operations[0].label', 'operations[1].parent', 'operations[2].into', 'operations[3].relation', 'operations[4].colour', 'operations[5].op',
      ]);
      expect(parsed.problems[0]?.message).toContain('testo italiano');
    }
  });
});
