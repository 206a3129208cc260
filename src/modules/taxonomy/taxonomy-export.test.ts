import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TaxonomyDocument } from './taxonomy.js';
import { taxonomyToCsv, taxonomyToSkos } from './taxonomy-export.js';

const doc = JSON.parse(readFileSync(new URL('../../../data-seed/urp-taxonomy.json', import.meta.url), 'utf8')) as TaxonomyDocument;

describe('taxonomy export', () => {
  it('writes one CSV row per node with parent and labels, quoting where needed', () => {
    const csv = taxonomyToCsv(doc).trimEnd().split('\r\n');
    expect(csv[0]).toBe('scheme,version,facet,facet_required,facet_multi,code,parent_code,depth,label_it,label_en,description_it,deprecated');
    expect(csv).toHaveLength(1 + 192);
    const spid = csv.find((l) => l.includes(',identita_digitale.spid,'));
    expect(spid).toMatch(/^urp-network,1\.0\.0,tema,true,false,identita_digitale\.spid,identita_digitale,1,SPID,/);
    expect(taxonomyToCsv({ scheme: 's', version: '1.0.0', facets: [{ code: 'f', label: { it: 'F' }, multi: false, required: false, nodes: [{ code: 'a', label: { it: 'Uno, "due"' } }] }] })).toContain('"Uno, ""due"""');
  });

  it('writes SKOS Turtle: schemes per facet, concepts with notation, labels, broader and narrower', () => {
    const ttl = taxonomyToSkos(doc, 'https://urpnet.example.it');
    expect(ttl).toContain('@prefix t: <https://urpnet.example.it/taxonomy/urp-network/1.0.0/> .');
    expect(ttl).toContain('t:tema a skos:ConceptScheme ;\n  skos:notation "tema" ;');
    expect(ttl).toMatch(/t:tema_identita_digitale_spid a skos:Concept ;\n {2}skos:inScheme t:tema ;\n {2}skos:notation "identita_digitale\.spid" ;\n {2}skos:prefLabel "SPID"@it ;/);
    expect(ttl).toContain('skos:broader t:tema_identita_digitale');
    expect(ttl.match(/ a skos:Concept ;/g)).toHaveLength(192);
    expect(ttl.match(/ a skos:ConceptScheme ;/g)).toHaveLength(6);
  });
});
