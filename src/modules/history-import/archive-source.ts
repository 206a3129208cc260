/**
 * Historical contacts as the anonymised archive needs them (issue 13). They enter the archive through
 * the same anonymiser as tickets; once archived, a contact is flagged `anonymised` and its `text` —
 * the one column that may hold personal data (migration 0010) — is replaced by the redacted text,
 * in the archive's transaction, so that a contact is never archived twice nor left half done.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';

type Db = Database | Trx;

/** A historical contact still holding its original text, read for anonymisation. */
export interface HistoricalContactForArchive {
  /** To flag it afterwards only: never written into a record. */
  id: string;
  organisationId: string;
  createdAt: Date;
  closedAt: Date | null;
  taxonomyVersion: string;
  /** Network codes by facet (the import's mapping), `canale` and `esito` included when mapped. */
  classification: Record<string, string>;
  text: string | null;
}

/** One batch of contacts not yet anonymised, by id after the cursor. */
export async function historicalContactsForArchive(db: Db, q: { after: string | null; limit: number }): Promise<HistoricalContactForArchive[]> {
  let query = db
    .selectFrom('historical_contacts')
    .select(['id', 'organisation_id', 'created_at', 'closed_at', 'taxonomy_version', 'classification', 'text'])
    .where('anonymised', '=', false);
  if (q.after) query = query.where('id', '>', q.after);
  const rows = await query.orderBy('id').limit(q.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    createdAt: r.created_at,
    closedAt: r.closed_at,
    taxonomyVersion: r.taxonomy_version,
    classification: typeof r.classification === 'string' ? (JSON.parse(r.classification) as Record<string, string>) : r.classification,
    text: r.text,
  }));
}

/** How many historical contacts still wait for the archive. */
export async function pendingHistoricalContacts(db: Db): Promise<number> {
  const row = await db.selectFrom('historical_contacts').select((eb) => eb.fn.countAll<string | number | bigint>().as('n')).where('anonymised', '=', false).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Flags contacts as anonymised and replaces their text with the redacted one (no longer personal
 * data). Call it in the transaction that inserts their archive records; re-checks `anonymised` so a
 * concurrent run changes nothing twice. Returns the ids it flagged.
 */
export async function markHistoricalAnonymised(trx: Trx, contacts: readonly { id: string; text: string | null }[], now: Date): Promise<string[]> {
  if (contacts.length === 0) return [];
  const values = JSON.stringify(contacts.map((c) => ({ id: c.id, text: c.text })));
  const { rows } = await sql<{ id: string }>`
    update historical_contacts h set anonymised = true, anonymised_at = ${now}::timestamptz, text = u.text
    from jsonb_to_recordset(${values}::jsonb) as u(id uuid, text text)
    where h.id = u.id and h.anonymised = false
    returning h.id`.execute(trx);
  return rows.map((r) => r.id);
}
