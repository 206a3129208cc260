/**
 * Candidate fixes measured by `bench/network-scale.ts --try-fixes`, on the bench database only.
 * They are proposals for a migration and for the repositories (see the report), not part of the
 * schema or code under test:
 *
 * 1. Index-only changes (the app's SQL unchanged): measured again through HTTP.
 * 2. Query rewrites that need them, run directly (same pool) next to the current repository call:
 *    - the shared inbox read from `ticket_participants` in sort order, with the ticket's
 *      `updated_at` copied onto the participation (kept in step by a trigger);
 *    - similar tickets with every candidate arm restricted to open tickets in the window through
 *      partial indexes, the full-text arm limited to its best matches, the trigram arm on the first
 *      words only.
 */
import { type Kysely, sql } from 'kysely';
import { queryTerms } from '../../src/modules/tickets/similar.repository.js';

// biome-ignore lint/suspicious/noExplicitAny: raw SQL on the bench database
type AnyDb = Kysely<any>;

export const OPEN = `status not in ('resolved','closed')`;

/** DDL that helps the current SQL as it is (planner picks the indexes up). */
export const INDEX_FIXES: { name: string; ddl: string[] }[] = [
  {
    name: 'participants: partial index of active shares by office (office_id, ticket_id)',
    ddl: [`create index if not exists bench_fix_participants_active_idx on ticket_participants (office_id, ticket_id) where status = 'active'`],
  },
  {
    name: 'tickets: partial FTS, trigram, created_at and tema indexes on open tickets only',
    ddl: [
      `create index if not exists bench_fix_tickets_open_search_idx on tickets using gin (search) where ${OPEN}`,
      `create index if not exists bench_fix_tickets_open_trgm_idx on tickets using gin (subject gin_trgm_ops) where ${OPEN}`,
      `create index if not exists bench_fix_tickets_open_created_idx on tickets (created_at) where ${OPEN}`,
      `create index if not exists bench_fix_tickets_open_tema_idx on tickets ((classification->>'tema'), created_at) where ${OPEN}`,
    ],
  },
];

/** The denormalised sort key for the shared inbox (needs the rewritten query below). */
export const INBOX_DENORMALISATION: string[] = [
  `alter table ticket_participants add column if not exists ticket_updated_at timestamptz`,
  `update ticket_participants p set ticket_updated_at = t.updated_at from tickets t where t.id = p.ticket_id`,
  `create index if not exists bench_fix_participants_inbox_idx on ticket_participants (office_id, ticket_updated_at desc, ticket_id desc) where status = 'active'`,
  `create or replace function bench_fix_sync_participants() returns trigger language plpgsql as $$
   begin
     update ticket_participants set ticket_updated_at = new.updated_at where ticket_id = new.id and ticket_updated_at is distinct from new.updated_at;
     return null;
   end $$`,
  `drop trigger if exists bench_fix_sync_participants on tickets`,
  `create trigger bench_fix_sync_participants after update of updated_at on tickets for each row execute function bench_fix_sync_participants()`,
  `analyze ticket_participants`,
];

export interface InboxCursor {
  at: string;
  id: string;
}

/**
 * The shared inbox of one office, read from the participations in (ticket_updated_at, ticket_id)
 * order: an index range scan of `limit` entries plus `limit` ticket lookups, whatever the number of
 * shares. Same columns, order and cursor semantics as listTickets(view = 'shared', officeId).
 */
export async function sharedInboxRewritten(db: AnyDb, officeId: string, cursor: InboxCursor | null, limit = 25) {
  const after = cursor ? sql`and (p.ticket_updated_at, p.ticket_id) < (${new Date(cursor.at)}::timestamptz, ${cursor.id}::uuid)` : sql``;
  const rows = await sql<{ id: string; updated_at: Date }>`
    select t.id, t.code, t.subject, t.status, t.priority, t.channel, t.classification, t.assignee_id, a.name as assignee_name,
      r.name as requester_name, t.office_id, t.created_at, t.updated_at, t.due_at
    from ticket_participants p
    join tickets t on t.id = p.ticket_id
    left join users a on a.id = t.assignee_id
    left join requesters r on r.id = t.requester_id
    where p.office_id = ${officeId}::uuid and p.status = 'active' and t.office_id <> ${officeId}::uuid ${after}
    order by p.ticket_updated_at desc, p.ticket_id desc
    limit ${limit}`.execute(db);
  return rows.rows;
}

export interface SimilarInput {
  text: string;
  topic: string | null;
  windowDays: number;
  limit: number;
}

/**
 * findSimilarTickets with bounded arms: every arm filters `status not in (…)` first so the partial
 * indexes apply; the full-text arm keeps its 300 best by ts_rank, the trigram arm compares the
 * first 6 terms (a subject-sized string) and keeps 100, the topic arm keeps the 100 newest. The
 * final scoring is unchanged (territory omitted: the bench asks without it).
 */
export async function similarRewritten(db: AnyDb, q: SimilarInput) {
  const terms = queryTerms(q.text);
  if (terms.length === 0 && !q.topic) return [];
  const tsq = terms.join(' | ');
  const subjectText = terms.slice(0, 6).join(' ');
  const topicRoot = q.topic ? q.topic.split('.')[0]! : null;
  const since = new Date(Date.now() - q.windowDays * 86_400_000);
  const rows = await sql<{ id: string; score: number }>`
    with fts as (
      select t.id from tickets t
      where t.status not in ('resolved','closed') and t.created_at >= ${since} and ${tsq} <> '' and t.search @@ to_tsquery('italian', ${tsq})
      order by ts_rank(t.search, to_tsquery('italian', ${tsq})) desc limit 300
    ), trgm as (
      select t.id from tickets t
      where t.status not in ('resolved','closed') and t.created_at >= ${since} and ${subjectText} <> '' and t.subject % ${subjectText}
      limit 100
    ), topic as (
      select t.id from tickets t
      where t.status not in ('resolved','closed') and t.created_at >= ${since} and ${q.topic}::text is not null and t.classification->>'tema' = ${q.topic}
      order by t.created_at desc limit 100
    ), candidates as (select id from fts union select id from trgm union select id from topic)
    select t.id, t.code, t.subject, t.status, t.classification->>'tema' as topic, t.office_id, t.organisation_id, f.name as office_name, o.name as organisation_name,
      t.created_at, t.incident_id,
      (case when ${tsq} <> '' then ts_rank(t.search, to_tsquery('italian', ${tsq})) * 4 else 0 end)
      + (case when ${subjectText} <> '' then similarity(t.subject, ${terms.join(' ')}) * 2 else 0 end)
      + (case when ${q.topic}::text is null then 0 when t.classification->>'tema' = ${q.topic} then 1.0
              when split_part(t.classification->>'tema', '.', 1) = ${topicRoot} then 0.4 else 0 end)
      + 0.3 * (1 - extract(epoch from (now() - t.created_at)) / (${q.windowDays}::float * 86400))
      as score
    from candidates c
    join tickets t on t.id = c.id
    join offices f on f.id = t.office_id
    join organisations o on o.id = t.organisation_id
    order by score desc
    limit ${q.limit}`.execute(db);
  return rows.rows;
}
