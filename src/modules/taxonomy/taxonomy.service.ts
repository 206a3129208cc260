import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import { flattenTaxonomy, type IndexedTaxonomy, indexTaxonomy, type TaxonomyDocument, validateTaxonomyDocument } from './taxonomy.js';
import type { TaxonomyVersionStatus } from '../../db/schema.js';

type Db = Database | Trx;

/**
 * A published taxonomy version never changes, so its index is cached by (scheme, version); only
 * "which version is current" is read from the database each time it matters.
 */
const cache = new Map<string, IndexedTaxonomy>();

export const NETWORK_SCHEME = 'urp-network';

/** Publishes a taxonomy document as a version (idempotent for an identical re-import). */
export async function publishTaxonomyVersion(trx: Trx, raw: unknown): Promise<{ version: string; created: boolean }> {
  const checked = validateTaxonomyDocument(raw);
  if (!checked.ok) throw new Error(`Tassonomia non valida: ${checked.errors.map((e) => e.it).join('; ')}`);
  const doc = checked.document;
  const existing = await trx.selectFrom('taxonomy_versions').select('id').where('scheme', '=', doc.scheme).where('version', '=', doc.version).executeTakeFirst();
  if (existing) return { version: doc.version, created: false };
  const row = await trx
    .insertInto('taxonomy_versions')
    .values({ scheme: doc.scheme, version: doc.version, status: 'published', content: JSON.stringify(doc), published_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const nodes = flattenTaxonomy(doc);
  for (let i = 0; i < nodes.length; i += 200) {
    await trx
      .insertInto('taxonomy_nodes')
      .values(
        nodes.slice(i, i + 200).map((n) => ({
          version_id: row.id, facet: n.facet, code: n.code, parent_code: n.parentCode, path: n.path, depth: n.depth, position: n.position,
          label: JSON.stringify(n.label), description: n.description ? JSON.stringify(n.description) : null, deprecated: n.deprecated,
        })),
      )
      .execute();
  }
  current = null;
  return { version: doc.version, created: true };
}

/**
 * Which version is current is re-read at most every few seconds per instance: a newly published
 * version reaches every instance within that delay, and creating a ticket costs no extra query.
 */
const CURRENT_TTL_MS = 5_000;
let current: { version: string; readAt: number } | null = null;

/**
 * Forgets which version is current on this instance (called after a publication commits); other
 * instances pick the new version up within CURRENT_TTL_MS.
 */
export function invalidateCurrentTaxonomy(): void {
  current = null;
}

/** The current (latest published) version of the network taxonomy. */
export async function currentTaxonomy(db: Db): Promise<IndexedTaxonomy> {
  if (current && Date.now() - current.readAt < CURRENT_TTL_MS) return taxonomyVersion(db, current.version);
  const row = await db
    .selectFrom('taxonomy_versions')
    .select(['version'])
    .where('scheme', '=', NETWORK_SCHEME)
    .where('status', '=', 'published')
    .orderBy(sql`string_to_array(version, '.')::int[]`, 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new Error('Nessuna versione della tassonomia pubblicata: eseguire "urpnet seed"');
  current = { version: row.version, readAt: Date.now() };
  return taxonomyVersion(db, row.version);
}

export async function taxonomyVersion(db: Db, version: string): Promise<IndexedTaxonomy> {
  const key = `${NETWORK_SCHEME}@${version}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const row = await db
    .selectFrom('taxonomy_versions')
    .select(['content'])
    .where('scheme', '=', NETWORK_SCHEME)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw new Error(`Versione della tassonomia ${version} inesistente`);
  const indexed = indexTaxonomy(row.content as TaxonomyDocument);
  cache.set(key, indexed);
  return indexed;
}

export async function listVersions(db: Db): Promise<{ version: string; status: TaxonomyVersionStatus; publishedAt: Date | null }[]> {
  const rows = await db.selectFrom('taxonomy_versions').select(['version', 'status', 'published_at']).where('scheme', '=', NETWORK_SCHEME).orderBy('created_at').execute();
  return rows.map((r) => ({ version: r.version, status: r.status, publishedAt: r.published_at }));
}
