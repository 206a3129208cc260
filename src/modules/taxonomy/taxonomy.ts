/**
 * The shared taxonomy as a pure data structure: facets with trees of codes. Loaded from the
 * network's JSON scheme (data-seed/urp-taxonomy.json is version 1.0.0) and indexed for lookups.
 */
export interface LocalisedText {
  it: string;
  en?: string;
  [lang: string]: string | undefined;
}

export interface TaxonomyNodeInput {
  code: string;
  label: LocalisedText;
  description?: LocalisedText;
  children?: TaxonomyNodeInput[];
  deprecated?: boolean;
  /** For a deprecated node: the code(s) to use instead. */
  replacedBy?: string[];
}

export interface TaxonomyFacetInput {
  code: string;
  label: LocalisedText;
  description?: LocalisedText;
  multi: boolean;
  required: boolean;
  nodes: TaxonomyNodeInput[];
}

export interface TaxonomyDocument {
  scheme: string;
  version: string;
  facets: TaxonomyFacetInput[];
}

export interface FlatNode {
  facet: string;
  code: string;
  parentCode: string | null;
  /** Dotted ancestry, e.g. 'tributi/tributi.tari' — used for "this topic and its descendants". */
  path: string;
  depth: number;
  position: number;
  label: LocalisedText;
  description: LocalisedText | null;
  deprecated: boolean;
  replacedBy?: string[];
}

export interface IndexedTaxonomy {
  readonly document: TaxonomyDocument;
  readonly nodes: ReadonlyMap<string, FlatNode>; // key: `${facet}:${code}`
  readonly facets: ReadonlyMap<string, TaxonomyFacetInput>;
}

export function flattenTaxonomy(doc: TaxonomyDocument): FlatNode[] {
  const out: FlatNode[] = [];
  for (const facet of doc.facets) {
    let position = 0;
    const walk = (nodes: TaxonomyNodeInput[], parent: FlatNode | null) => {
      for (const n of nodes) {
        const node: FlatNode = {
          facet: facet.code,
          code: n.code,
          parentCode: parent?.code ?? null,
          path: parent ? `${parent.path}/${n.code}` : n.code,
          depth: parent ? parent.depth + 1 : 0,
          position: position++,
          label: n.label,
          description: n.description ?? null,
          deprecated: n.deprecated ?? false,
          ...(n.replacedBy && { replacedBy: n.replacedBy }),
        };
        out.push(node);
        walk(n.children ?? [], node);
      }
    };
    walk(facet.nodes, null);
  }
  return out;
}

/** Checks structural validity: codes present and unique per facet, labels in Italian. */
/** What is wrong with a taxonomy document, in Italian and English. */
export interface DocumentError {
  it: string;
  en: string;
}

export function validateTaxonomyDocument(doc: unknown): { ok: true; document: TaxonomyDocument } | { ok: false; errors: DocumentError[] } {
  const errors: DocumentError[] = [];
  const fail = (it: string, en: string) => errors.push({ it, en });
  const d = doc as Partial<TaxonomyDocument> | null;
  if (!d || typeof d !== 'object') return { ok: false, errors: [{ it: 'il documento della tassonomia non è un oggetto JSON', en: 'the taxonomy document is not a JSON object' }] };
  if (typeof d.scheme !== 'string' || d.scheme === '') fail('«scheme» mancante', '“scheme” is missing');
  if (typeof d.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(d.version)) fail('«version» deve essere nel formato MAJOR.MINOR.PATCH', '“version” must have the form MAJOR.MINOR.PATCH');
  if (!Array.isArray(d.facets) || d.facets.length === 0) fail('«facets» deve essere un elenco non vuoto', '“facets” must be a non-empty list');
  const facetCodes = new Set<string>();
  for (const f of d.facets ?? []) {
    if (!f?.code) {
      fail('una faccetta non ha «code»', 'a facet has no “code”');
      continue;
    }
    if (facetCodes.has(f.code)) fail(`faccetta duplicata «${f.code}»`, `duplicate facet “${f.code}”`);
    facetCodes.add(f.code);
    const seen = new Set<string>();
    const walk = (nodes: TaxonomyNodeInput[] | undefined) => {
      for (const n of nodes ?? []) {
        const code = String(n?.code);
        if (!n?.code || !/^[a-z0-9_.]+$/.test(n.code)) fail(`codice non valido «${code}» nella faccetta «${f.code}»`, `invalid code “${code}” in the facet “${f.code}”`);
        else if (seen.has(n.code)) fail(`codice duplicato «${n.code}» nella faccetta «${f.code}»`, `duplicate code “${n.code}” in the facet “${f.code}”`);
        seen.add(n?.code);
        if (!n?.label?.it) fail(`il nodo «${code}» non ha l'etichetta italiana`, `the node “${code}” has no Italian label`);
        walk(n?.children);
      }
    };
    walk(f.nodes);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, document: d as TaxonomyDocument };
}

export function indexTaxonomy(doc: TaxonomyDocument): IndexedTaxonomy {
  const nodes = new Map<string, FlatNode>();
  for (const n of flattenTaxonomy(doc)) nodes.set(`${n.facet}:${n.code}`, n);
  return { document: doc, nodes, facets: new Map(doc.facets.map((f) => [f.code, f])) };
}

/** One problem of a classification: a stable code and its parameters (the caller writes the message in its language). */
export type ClassificationIssue = { path: string } & (
  | { code: 'unknown_facet'; params: { facet: string; allowed: string } }
  | { code: 'unknown_code'; params: { facet: string; code: string; version: string } }
  | { code: 'deprecated_code'; params: { facet: string; code: string; replacedBy: string | null } }
  | { code: 'missing_facet'; params: { facet: string; label: string; labelEn: string } }
);

/**
 * Validates a classification (facet → code) against a taxonomy version. `requireAll` demands every
 * facet marked required (used before a ticket is resolved).
 */
export function checkClassification(tax: IndexedTaxonomy, classification: Record<string, string>, requireAll: boolean): ClassificationIssue[] {
  const issues: ClassificationIssue[] = [];
  for (const [facet, code] of Object.entries(classification)) {
    if (!tax.facets.has(facet)) {
      issues.push({ path: `classification.${facet}`, code: 'unknown_facet', params: { facet, allowed: [...tax.facets.keys()].join(', ') } });
      continue;
    }
    const node = tax.nodes.get(`${facet}:${code}`);
    if (!node) issues.push({ path: `classification.${facet}`, code: 'unknown_code', params: { facet, code, version: tax.document.version } });
    else if (node.deprecated) {
      issues.push({ path: `classification.${facet}`, code: 'deprecated_code', params: { facet, code, replacedBy: node.replacedBy?.length ? node.replacedBy.join(', ') : null } });
    }
  }
  if (requireAll) {
    for (const facet of tax.facets.values()) {
      if (facet.required && !classification[facet.code]) {
        issues.push({ path: `classification.${facet.code}`, code: 'missing_facet', params: { facet: facet.code, label: facet.label.it, labelEn: facet.label.en ?? facet.label.it } });
      }
    }
  }
  return issues;
}

/** A node's label in the reader's language (Italian where it has no English), or its code when this version lacks the node. */
export function nodeLabel(tax: IndexedTaxonomy, facet: string, code: string, lang: 'it' | 'en' = 'it'): string {
  const label = tax.nodes.get(`${facet}:${code}`)?.label;
  return (lang === 'en' ? label?.en : undefined) ?? label?.it ?? code;
}

/** The topic path stored on tickets so that a filter on a topic matches its descendants. */
export function topicPath(tax: IndexedTaxonomy, classification: Record<string, string>): string | null {
  const tema = classification.tema;
  return tema ? (tax.nodes.get(`tema:${tema}`)?.path ?? null) : null;
}
