import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import type { FlatNode, IndexedTaxonomy, LocalisedText, TaxonomyDocument, TaxonomyNodeInput } from './taxonomy.js';

type Db = Database | Trx;

/**
 * Organisation-local sub-nodes: an organisation refines a network node with its own codes,
 * `<network-code>.<org>.<local>`, which only its users may select and which always roll up to the
 * network node they hang under.
 */
export interface LocalNode {
  id: string;
  organisationId: string;
  facet: string;
  code: string;
  parentCode: string;
  networkVersion: string;
  label: LocalisedText;
  description: LocalisedText | null;
  status: 'active' | 'orphaned' | 'retired';
  statusNote: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

type Row = {
  id: string; organisation_id: string; facet: string; code: string; parent_code: string; network_version: string; label: Record<string, string>;
  description: Record<string, string> | null; status: string; status_note: string | null; version: number; created_at: Date; updated_at: Date;
};

export function toLocalNode(r: Row): LocalNode {
  return {
    id: r.id, organisationId: r.organisation_id, facet: r.facet, code: r.code, parentCode: r.parent_code, networkVersion: r.network_version,
    label: r.label as LocalisedText, description: (r.description as LocalisedText | null) ?? null, status: r.status as LocalNode['status'],
    statusNote: r.status_note, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** The code segment of an organisation: its slug with dashes as underscores (codes allow [a-z0-9_.]). */
export const organisationSegment = (slug: string) => slug.replace(/-/g, '_');

export const localCode = (parentCode: string, organisationSlug: string, local: string) => `${parentCode}.${organisationSegment(organisationSlug)}.${local}`;

export async function listLocalNodes(db: Db, organisationIds: readonly string[], options: { includeRetired?: boolean } = {}): Promise<LocalNode[]> {
  if (organisationIds.length === 0) return [];
  let q = db.selectFrom('taxonomy_local_nodes').selectAll().where('organisation_id', 'in', organisationIds);
  if (!options.includeRetired) q = q.where('status', '!=', 'retired');
  return (await q.orderBy('facet').orderBy('code').execute()).map(toLocalNode);
}

export async function allLocalCodes(db: Db): Promise<Set<string>> {
  return new Set((await db.selectFrom('taxonomy_local_nodes').select('code').execute()).map((r) => r.code));
}

/** A local node as a taxonomy node under its network parent (deprecated unless active, so not selectable). */
export function localFlatNode(tax: IndexedTaxonomy, n: Pick<LocalNode, 'facet' | 'code' | 'parentCode' | 'label' | 'description' | 'status'>): FlatNode {
  const parent = tax.nodes.get(`${n.facet}:${n.parentCode}`);
  return {
    facet: n.facet, code: n.code, parentCode: n.parentCode, path: parent ? `${parent.path}/${n.code}` : n.code, depth: parent ? parent.depth + 1 : 0,
    position: parent ? parent.position : 0, label: n.label, description: n.description, deprecated: n.status !== 'active',
  };
}

/**
 * The taxonomy a ticket of `organisationId` is classified against: the network version plus that
 * organisation's own local nodes named in the classification. Costs no query when every code is a
 * network code; another organisation's local code stays unknown and is rejected.
 */
export async function withLocalNodes(db: Db, tax: IndexedTaxonomy, organisationId: string, classification: Record<string, string>): Promise<IndexedTaxonomy> {
  const unknown = Object.entries(classification).filter(([facet, code]) => tax.facets.has(facet) && !tax.nodes.has(`${facet}:${code}`));
  if (unknown.length === 0) return tax;
  const rows = await db
    .selectFrom('taxonomy_local_nodes')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('code', 'in', unknown.map(([, code]) => code))
    .where('status', '!=', 'retired')
    .execute();
  if (rows.length === 0) return tax;
  const nodes = new Map(tax.nodes);
  for (const r of rows.map(toLocalNode)) {
    if (unknown.some(([facet, code]) => facet === r.facet && code === r.code)) nodes.set(`${r.facet}:${r.code}`, localFlatNode(tax, r));
  }
  return { document: tax.document, facets: tax.facets, nodes };
}

/**
 * The network code a classification code counts as in network-wide figures: itself for a network
 * code, the network parent for a local node (null when unknown), so that analytics and exports
 * roll local refinements up without knowing them.
 */
export function rollUpToNetwork(tax: IndexedTaxonomy, locals: readonly Pick<LocalNode, 'facet' | 'code' | 'parentCode'>[], facet: string, code: string): string | null {
  if (tax.nodes.has(`${facet}:${code}`)) return code;
  const local = locals.find((l) => l.facet === facet && l.code === code);
  return local && tax.nodes.has(`${facet}:${local.parentCode}`) ? local.parentCode : null;
}

/**
 * A copy of a version's document with an organisation's local nodes hung under their network
 * parents (for that organisation's exports). Local nodes whose parent is not in this version are
 * left out and returned, so the caller can say so; retired and orphaned nodes are marked deprecated.
 */
export function documentWithLocalNodes(
  doc: TaxonomyDocument,
  locals: readonly Pick<LocalNode, 'facet' | 'code' | 'parentCode' | 'label' | 'description' | 'status'>[],
): { document: TaxonomyDocument; missingParent: string[] } {
  const document = structuredClone(doc);
  const index = new Map<string, TaxonomyNodeInput>();
  const walk = (facet: string, nodes: TaxonomyNodeInput[]) => {
    for (const n of nodes) {
      index.set(`${facet}:${n.code}`, n);
      walk(facet, n.children ?? []);
    }
  };
  for (const f of document.facets) walk(f.code, f.nodes);
  const missingParent: string[] = [];
  for (const l of locals) {
    const parent = index.get(`${l.facet}:${l.parentCode}`);
    if (!parent) {
      missingParent.push(l.code);
      continue;
    }
    const node: TaxonomyNodeInput = { code: l.code, label: { ...l.label }, ...(l.description && { description: { ...l.description } }), ...(l.status !== 'active' && { deprecated: true }) };
    parent.children = [...(parent.children ?? []), node];
    index.set(`${l.facet}:${l.code}`, node);
  }
  return { document, missingParent };
}
