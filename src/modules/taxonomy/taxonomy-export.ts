import { flattenTaxonomy, type LocalisedText, type TaxonomyDocument } from './taxonomy.js';

/** Export formats of a taxonomy version, for other systems (open data, thesaurus tools, BI). */
export const EXPORT_FORMATS = ['json', 'csv', 'skos'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const csvCell = (v: string | number | boolean | null | undefined) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One row per node: facet, code, parent, depth and labels/descriptions in Italian and English. */
export function taxonomyToCsv(doc: TaxonomyDocument): string {
  const facets = new Map(doc.facets.map((f) => [f.code, f]));
  const header = ['scheme', 'version', 'facet', 'facet_required', 'facet_multi', 'code', 'parent_code', 'depth', 'label_it', 'label_en', 'description_it', 'deprecated'];
  const rows = flattenTaxonomy(doc).map((n) => {
    const f = facets.get(n.facet);
    return [doc.scheme, doc.version, n.facet, f?.required ?? false, f?.multi ?? false, n.code, n.parentCode, n.depth, n.label.it, n.label.en, n.description?.it, n.deprecated];
  });
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const turtleString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
const localName = (code: string) => code.replace(/[^A-Za-z0-9_-]/g, '_');

function langLiterals(predicate: string, text: LocalisedText | null | undefined): string[] {
  if (!text) return [];
  return Object.entries(text)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')
    .map(([lang, value]) => `  ${predicate} ${turtleString(value)}@${lang}`);
}

/**
 * SKOS in Turtle: each facet is a skos:ConceptScheme, each node a skos:Concept with its code as
 * skos:notation, labels per language, definition, broader/narrower and top concepts.
 */
export function taxonomyToSkos(doc: TaxonomyDocument, baseUri: string): string {
  const base = `${baseUri.replace(/\/$/, '')}/taxonomy/${doc.scheme}/${doc.version}/`;
  const out: string[] = [
    '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .',
    '@prefix dct: <http://purl.org/dc/terms/> .',
    '@prefix owl: <http://www.w3.org/2002/07/owl#> .',
    `@prefix t: <${base}> .`,
    '',
  ];
  const nodes = flattenTaxonomy(doc);
  for (const f of doc.facets) {
    const tops = nodes.filter((n) => n.facet === f.code && n.parentCode === null).map((n) => `t:${localName(`${f.code}/${n.code}`)}`);
    const lines = [
      `t:${localName(f.code)} a skos:ConceptScheme`,
      `  skos:notation ${turtleString(f.code)}`,
      `  owl:versionInfo ${turtleString(doc.version)}`,
      ...langLiterals('dct:title', f.label),
      ...langLiterals('dct:description', f.description),
      ...(tops.length > 0 ? [`  skos:hasTopConcept ${tops.join(', ')}`] : []),
    ];
    out.push(`${lines.join(' ;\n')} .`, '');
  }
  for (const n of nodes) {
    const children = nodes.filter((c) => c.facet === n.facet && c.parentCode === n.code).map((c) => `t:${localName(`${n.facet}/${c.code}`)}`);
    const lines = [
      `t:${localName(`${n.facet}/${n.code}`)} a skos:Concept`,
      `  skos:inScheme t:${localName(n.facet)}`,
      `  skos:notation ${turtleString(n.code)}`,
      ...langLiterals('skos:prefLabel', n.label),
      ...langLiterals('skos:definition', n.description),
      n.parentCode === null ? `  skos:topConceptOf t:${localName(n.facet)}` : `  skos:broader t:${localName(`${n.facet}/${n.parentCode}`)}`,
      ...(children.length > 0 ? [`  skos:narrower ${children.join(', ')}`] : []),
      ...(n.deprecated ? ['  owl:deprecated true'] : []),
    ];
    out.push(`${lines.join(' ;\n')} .`, '');
  }
  return out.join('\n');
}
