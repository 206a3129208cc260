import type { Locale, Taxonomy, TaxonomyFacet, TaxonomyNode } from '../api/types.js';

/** One node of a facet tree, flattened with the labels of its ancestors for display and search. */
export interface FlatNode {
  code: string;
  label: string;
  /** Labels from the root down to this node, included. */
  path: string[];
  depth: number;
  hasChildren: boolean;
  /** Lower-cased, accent-free text searched by `filterNodes`. */
  haystack: string;
}

/** Lower-case and strip accents, so «identita» finds «Identità». */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function nodeLabel(node: Pick<TaxonomyNode, 'label'>, locale: Locale): string {
  return (locale === 'en' ? node.label.en : undefined) ?? node.label.it;
}

export function flattenNodes(nodes: readonly TaxonomyNode[], locale: Locale, parents: string[] = []): FlatNode[] {
  const out: FlatNode[] = [];
  for (const node of nodes) {
    const label = nodeLabel(node, locale);
    const path = [...parents, label];
    const children = node.children ?? [];
    out.push({
      code: node.code,
      label,
      path,
      depth: parents.length,
      hasChildren: children.length > 0,
      haystack: fold(`${path.join(' ')} ${node.code.replace(/[._]/g, ' ')} ${node.code}`),
    });
    out.push(...flattenNodes(children, locale, path));
  }
  return out;
}

/**
 * Nodes whose label path or code contains every word of the query (accent- and case-insensitive).
 * Nodes whose own label starts with the query come first; otherwise the tree order is kept,
 * so parents still precede their children.
 */
export function filterNodes(nodes: readonly FlatNode[], query: string): FlatNode[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...nodes];
  const whole = fold(query.trim());
  const matches = nodes.filter((node) => words.every((word) => node.haystack.includes(word)));
  const rank = (node: FlatNode) => {
    const label = fold(node.label);
    if (label.startsWith(whole) || fold(node.code) === whole) return 0;
    if (label.includes(whole)) return 1;
    return 2;
  };
  return matches
    .map((node, index) => ({ node, index, rank: rank(node) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.node);
}

export const PATH_SEPARATOR = ' › ';

export function pathLabel(node: Pick<FlatNode, 'path'>): string {
  return node.path.join(PATH_SEPARATOR);
}

export function findFacet(taxonomy: Taxonomy | null | undefined, code: string): TaxonomyFacet | undefined {
  return taxonomy?.facets.find((facet) => facet.code === code);
}

/** Label path of a code in a facet, or the code itself when the taxonomy does not know it (an older version). */
export function codeLabel(taxonomy: Taxonomy | null | undefined, facetCode: string, code: string | null | undefined, locale: Locale): string {
  if (!code) return '';
  const facet = findFacet(taxonomy, facetCode);
  if (!facet) return code;
  const node = flattenNodes(facet.nodes, locale).find((n) => n.code === code);
  return node ? pathLabel(node) : code;
}
