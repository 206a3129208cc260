import { sql } from 'kysely';
import type { Database } from '../../db/database.js';

export interface SimilarTicket {
  id: string;
  code: string;
  subject: string;
  status: string;
  topic: string | null;
  officeId: string;
  organisationId: string;
  officeName: string;
  organisationName: string;
  territory: string[];
  createdAt: Date;
  incidentId: string | null;
  score: number;
}

export interface SimilarQuery {
  text: string;
  topic: string | null;
  /** ISTAT code of the place the contact is about (comune, province or region). */
  territory: string | null;
  windowDays: number;
  limit: number;
  excludeTicketId?: string;
}

const fold = (w: string) => w.normalize('NFD').replace(/[\u0300-\u036f]/g, '');

/** Italian stop words that carry no meaning for "is this the same problem?" (accent-folded, as query words are). */
const STOP = new Set(
  'il lo la i gli le un uno una di a da in con su per tra fra e o ma se che chi cui non più come dove quando perché del dello della dei degli delle al allo alla ai agli alle dal dallo dalla dai dagli dalle nel nello nella nei negli nelle sul sullo sulla sui sugli sulle mi ti si ci vi è sono ho ha hanno essere avere questo questa quello quella anche ancora già molto poco tutto tutti buongiorno salve gentile cittadino cittadina chiede chiama segnala vorrei sapere informazioni informazione rivolgo grazie'.split(' ').map(fold),
);

/** Words of the description worth matching on, normalised; used to build an any-word tsquery. */
export function queryTerms(text: string): string[] {
  const words = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length >= 3 && !STOP.has(w) && !/^\d+$/.test(w));
  return [...new Set(words)].slice(0, 24);
}

/**
 * Open tickets across the network that look like the same problem: Italian full-text (stemming,
 * accents), trigram similarity on the subject (typos), the same topic or a close one, the same
 * territory, and recency within the window. One indexed query; candidates are bounded by the
 * window so the cost does not grow with the whole archive.
 */
export async function findSimilarTickets(db: Database, q: SimilarQuery): Promise<SimilarTicket[]> {
  const terms = queryTerms(q.text);
  if (terms.length === 0 && !q.topic) return [];
  const subjectText = terms.join(' ');
  const topicRoot = q.topic ? q.topic.split('.')[0]! : null;
  const since = new Date(Date.now() - q.windowDays * 86_400_000);
  const place = q.territory;
  const rows = await sql<{
    id: string; code: string; subject: string; status: string; topic: string | null; office_id: string; organisation_id: string; office_name: string; organisation_name: string;
    territory: string[]; created_at: Date; incident_id: string | null; score: number;
  }>`
    with common as (
      -- Words most tickets contain say little about "the same problem" and make the search scan a
      -- large part of the table: PostgreSQL's own statistics of the column (kept by autovacuum's
      -- ANALYZE) say which lexemes are common; the query keeps the 8 rarest of the others.
      select e.elem, e.freq from pg_stats s,
        unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as e(elem, freq)
      where s.schemaname = current_schema() and s.tablename = 'tickets' and s.attname = 'search'
    ), query_lexemes as (
      select lex from unnest(tsvector_to_array(to_tsvector('italian', ${subjectText}))) as lex
      left join common c on c.elem = lex
      where coalesce(c.freq, 0) < 0.02
      order by coalesce(c.freq, 0)
      limit 8
    ), query as (
      select case when count(*) = 0 then null else to_tsquery('simple', string_agg(quote_literal(lex), ' | ')) end as q from query_lexemes
    ), text_hits as (
      select t.id, ts_rank(t.search, query.q) as rank from tickets t, query
      where query.q is not null and t.search @@ query.q
        and t.created_at >= ${since} and t.status not in ('resolved','closed')
      order by rank desc
      limit 300
    ), topic_hits as (
      select t.id from tickets t
      where ${q.topic}::text is not null and t.classification->>'tema' = ${q.topic}
        and t.created_at >= ${since} and t.status not in ('resolved','closed')
      order by t.created_at desc
      limit 100
    ), typo_hits as (
      -- Typos: trigram similarity on the subject, only when the words found little on their own.
      select t.id from tickets t
      where (select count(*) from text_hits) < 10 and ${subjectText} <> '' and t.subject % ${subjectText}
        and t.created_at >= ${since} and t.status not in ('resolved','closed')
      limit 100
    ), candidates as (
      select id from text_hits union select id from topic_hits union select id from typo_hits
    )
    select t.id, t.code, t.subject, t.status, t.classification->>'tema' as topic, t.office_id, t.organisation_id, f.name as office_name, o.name as organisation_name,
      f.territory, t.created_at, t.incident_id,
      coalesce((select th.rank from text_hits th where th.id = t.id), 0) * 4
      + (case when ${subjectText} <> '' then similarity(t.subject, ${subjectText}) * 2 else 0 end)
      + (case when ${q.topic}::text is null then 0 when t.classification->>'tema' = ${q.topic} then 1.0
              when split_part(t.classification->>'tema', '.', 1) = ${topicRoot} then 0.4 else 0 end)
      + (case when ${place}::text is null then 0
              when f.territory @> to_jsonb(${place}::text) then 0.8
              when exists (select 1 from jsonb_array_elements_text(f.territory) c where ${place}::text like c || '%') then 0.5
              else 0 end)
      + 0.3 * (1 - extract(epoch from (now() - t.created_at)) / (${q.windowDays}::float * 86400))
      as score
    from candidates c
    join tickets t on t.id = c.id
    join offices f on f.id = t.office_id
    join organisations o on o.id = t.organisation_id
    where (${q.excludeTicketId ?? null}::uuid is null or t.id <> ${q.excludeTicketId ?? null}::uuid)
    order by score desc
    limit ${q.limit}`.execute(db);
  return rows.rows.map((r) => ({
    id: r.id, code: r.code, subject: r.subject, status: r.status, topic: r.topic, officeId: r.office_id, organisationId: r.organisation_id, officeName: r.office_name, organisationName: r.organisation_name,
    territory: r.territory, createdAt: r.created_at, incidentId: r.incident_id, score: Number(r.score),
  }));
}
