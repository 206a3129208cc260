import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkClassification, flattenTaxonomy, indexTaxonomy, type TaxonomyDocument, topicPath, validateTaxonomyDocument } from './taxonomy.js';

const doc = JSON.parse(readFileSync(new URL('../../../data-seed/urp-taxonomy.json', import.meta.url), 'utf8')) as TaxonomyDocument;

describe('shared taxonomy 1.0.0', () => {
  it('is structurally valid and flattens every node', () => {
    expect(validateTaxonomyDocument(doc)).toMatchObject({ ok: true });
    const flat = flattenTaxonomy(doc);
    expect(flat.filter((n) => n.facet === 'tema')).toHaveLength(136);
    const spid = flat.find((n) => n.code === 'identita_digitale.spid');
    expect(spid).toMatchObject({ parentCode: 'identita_digitale', path: 'identita_digitale/identita_digitale.spid', depth: 1 });
  });

  it('rejects duplicate codes and missing Italian labels', () => {
    const bad = { scheme: 's', version: '1.0.0', facets: [{ code: 'f', label: { it: 'F' }, multi: false, required: true, nodes: [{ code: 'a', label: { it: 'A' } }, { code: 'a', label: { en: 'A' } }] }] };
    const result = validateTaxonomyDocument(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toContainEqual({ it: 'codice duplicato «a» nella faccetta «f»', en: 'duplicate code “a” in the facet “f”' });
      expect(result.errors.some((e) => e.it.includes('etichetta italiana') && e.en.includes('Italian label'))).toBe(true);
    }
  });

  it('checks classification codes and, before resolving, the required facets', () => {
    const tax = indexTaxonomy(doc);
    expect(checkClassification(tax, { tipo: 'informazione', tema: 'identita_digitale.spid' }, false)).toEqual([]);
    expect(checkClassification(tax, { tipo: 'nonexistent' }, false)[0]).toMatchObject({ code: 'unknown_code', params: { facet: 'tipo', code: 'nonexistent' } });
    expect(checkClassification(tax, { colore: 'rosso' }, false)[0]?.path).toBe('classification.colore');
    const missing = checkClassification(tax, { tipo: 'informazione', tema: 'identita_digitale.spid' }, true).map((i) => i.path);
    expect(missing).toEqual(['classification.canale', 'classification.esito']);
    expect(topicPath(tax, { tema: 'identita_digitale.spid' })).toBe('identita_digitale/identita_digitale.spid');
  });
});
