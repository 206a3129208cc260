/**
 * Personal data in the knowledge module's tables (issue 13; the map is `PERSONAL_DATA_LOCATIONS` in
 * the privacy module). Citizens' portal searches (`faq_portal_events.query`), FAQ gap samples and
 * keys (`faq_gaps`) and feedback comments (`faq_feedback.comment`) are scrubbed by the recogniser
 * before they are stored; a value it did not recognise (an unusual name) may remain. So:
 * - retention drops the text of portal searches older than the window (the counts stay);
 * - an erasure request removes the data subject's own values wherever they still appear.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import { scrubPii } from '../../platform/privacy/index.js';

type Db = Database | Trx;

/** Forgets the text of portal searches older than `before` (of one organisation, or without one). Returns how many. */
export async function forgetPortalQueriesBefore(db: Db, q: { organisationId: string | null; before: Date }): Promise<number> {
  let query = db.updateTable('faq_portal_events').set({ query: null }).where('query', 'is not', null).where('created_at', '<', q.before);
  query = q.organisationId === null ? query.where('organisation_id', 'is', null) : query.where('organisation_id', '=', q.organisationId);
  const done = await query.executeTakeFirst();
  return Number(done.numUpdatedRows);
}

/** A name is looked for whole and word by word (a search may hold the surname alone), as `scrubPii` removes it. */
const nameAndWords = (name: string) => [name, ...name.split(/\s+/).filter((w) => w.length >= 4)];

const likePatterns = (values: readonly string[]) => values.filter((v) => v.length >= 3).map((v) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);

/** Removes the data subject's values from portal searches, gap samples and feedback comments. Returns counts. */
export async function eraseValuesFromFaqTexts(trx: Trx, known: { names: string[]; values: string[] }): Promise<{ portalSearches: number; gaps: number; feedback: number }> {
  const patterns = likePatterns([...known.names.flatMap(nameAndWords), ...known.values]);
  const counts = { portalSearches: 0, gaps: 0, feedback: 0 };
  if (patterns.length === 0) return counts;
  const scrub = (text: string) => scrubPii(text, { known });
  const events = await trx.selectFrom('faq_portal_events').select(['id', 'query']).where(sql<boolean>`query ilike any(${patterns}::text[])`).execute();
  for (const e of events) {
    await trx.updateTable('faq_portal_events').set({ query: scrub(e.query ?? '') }).where('id', '=', e.id).execute();
    counts.portalSearches++;
  }
  const gaps = await trx.selectFrom('faq_gaps').select(['id', 'samples', 'query_key']).where(sql<boolean>`(samples::text ilike any(${patterns}::text[]) or query_key ilike any(${patterns}::text[]))`).execute();
  for (const g of gaps) {
    // The key stays unique per (lang, key, territory): a scrubbed key that collides keeps the row's id as suffix.
    const key = scrub(g.query_key).slice(0, 450);
    await trx.updateTable('faq_gaps').set({ samples: JSON.stringify(g.samples.map(scrub)), query_key: key === g.query_key ? key : `${key} #${g.id.slice(0, 8)}` }).where('id', '=', g.id).execute();
    counts.gaps++;
  }
  const feedback = await trx.selectFrom('faq_feedback').select(['id', 'comment']).where(sql<boolean>`comment ilike any(${patterns}::text[])`).execute();
  for (const f of feedback) {
    await trx.updateTable('faq_feedback').set({ comment: scrub(f.comment ?? '') }).where('id', '=', f.id).execute();
    counts.feedback++;
  }
  return counts;
}

/** Portal searches and feedback comments mentioning the data subject's values, for an access request's export. */
export async function faqTextsMentioning(db: Db, values: readonly string[]): Promise<{ portalSearches: { query: string; at: string }[]; feedbackComments: { comment: string; at: string }[] }> {
  const patterns = likePatterns(values);
  if (patterns.length === 0) return { portalSearches: [], feedbackComments: [] };
  const events = await db.selectFrom('faq_portal_events').select(['query', 'created_at']).where(sql<boolean>`query ilike any(${patterns}::text[])`).orderBy('created_at').limit(1000).execute();
  const comments = await db.selectFrom('faq_feedback').select(['comment', 'created_at']).where(sql<boolean>`comment ilike any(${patterns}::text[])`).orderBy('created_at').limit(1000).execute();
  return {
    portalSearches: events.map((e) => ({ query: e.query ?? '', at: e.created_at.toISOString() })),
    feedbackComments: comments.map((c) => ({ comment: c.comment ?? '', at: c.created_at.toISOString() })),
  };
}
