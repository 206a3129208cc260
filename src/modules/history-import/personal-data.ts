/**
 * Personal data in historical contacts (issue 13): only `historical_contacts.text` (migration 0010),
 * redacted by the archive when it takes the contact (`markHistoricalAnonymised`). Retention leaves
 * them to the archive; an erasure request removes the data subject's own values from the text of
 * any contact that still mentions them, archived or not, without touching the `anonymised` flag
 * (the archive still takes a contact that was not archived yet).
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import { scrubPii } from '../../platform/privacy/index.js';

type Db = Database | Trx;

/** A name is looked for whole and word by word (a search may hold the surname alone), as `scrubPii` removes it. */
const nameAndWords = (name: string) => [name, ...name.split(/\s+/).filter((w) => w.length >= 4)];

const likePatterns = (values: readonly string[]) => values.filter((v) => v.length >= 3).map((v) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);

/** Removes the data subject's values from historical contacts' text. Returns how many contacts changed. */
export async function eraseValuesFromHistoricalContacts(trx: Trx, known: { names: string[]; values: string[] }): Promise<number> {
  const patterns = likePatterns([...known.names.flatMap(nameAndWords), ...known.values]);
  if (patterns.length === 0) return 0;
  const rows = await trx.selectFrom('historical_contacts').select(['id', 'text']).where(sql<boolean>`text ilike any(${patterns}::text[])`).execute();
  for (const r of rows) await trx.updateTable('historical_contacts').set({ text: scrubPii(r.text ?? '', { known }) }).where('id', '=', r.id).execute();
  return rows.length;
}

/** Historical contacts whose text mentions the data subject's values, for an access request's export. */
export async function historicalContactsMentioning(db: Db, values: readonly string[]): Promise<{ organisationId: string; legacyId: string; createdAt: string; text: string }[]> {
  const patterns = likePatterns(values);
  if (patterns.length === 0) return [];
  const rows = await db.selectFrom('historical_contacts').select(['organisation_id', 'legacy_id', 'created_at', 'text']).where(sql<boolean>`text ilike any(${patterns}::text[])`).orderBy('created_at').limit(1000).execute();
  return rows.map((r) => ({ organisationId: r.organisation_id, legacyId: r.legacy_id, createdAt: r.created_at.toISOString(), text: r.text ?? '' }));
}
