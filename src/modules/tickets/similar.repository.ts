import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { TicketStatusValue } from '../../db/schema.js';
import type { Trx } from '../../platform/http.js';
import type { TicketScope } from '../../platform/policy.js';
import { scrubPii } from '../../platform/privacy/index.js';
import { analyse as analyseText } from '../../platform/text/text-analysis.js';
import * as identity from '../identity/index.js';
import { DocumentFrequencies, features, type RankedFeatures, scorer } from './similar-ranking.js';

type Db = Database | Trx;

export interface SimilarTicket {
  id: string;
  code: string;
  /** The caller may read the ticket (own organisation or office, or shared with one of its offices). */
  readable: boolean;
  /** Raw subject when readable, else the subject with personal data removed. */
  subject: string;
  status: TicketStatusValue;
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
  /** What the caller may read: these tickets match on their own text, every other one on its cleaned text only. */
  readable?: TicketScope;
  /** Below this many open tickets in the window every one is scored; above, candidates come from the indexes. */
  exhaustiveBelow?: number;
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

/** Content words of a text (Italian stop words out), normalised to [a-z0-9]: safe inside a tsquery. */
function contentWords(text: string): string[] {
  return [...new Set(analyseText(text.replace(/\[[A-Z_ ]+\]/g, ' ')).map((t) => t.word).filter((w) => w.length >= 3 && !/^\d+$/.test(w)))];
}

/**
 * What other bodies may see and match of a ticket: its text with personal data removed (the
 * requester's own data by value too). Streets stay, without the house number: the place is half
 * of "the same problem", and a street names a place, not a person.
 */
export function cleanTicketText(subject: string, description: string, requester: { name: string | null; email: string | null; phone: string | null; fiscalCode: string | null } | null) {
  const options = { keepStreet: true, ...(requester && { known: { names: [requester.name], values: [requester.email, requester.phone, requester.fiscalCode] } }) };
  return { subject: scrubPii(subject, options), text: scrubPii(description, options) };
}

/**
 * Writes the cleaned copy of a ticket's text that other bodies match on, and the words of the text
 * that the copy lacks (matched only by the owner and the offices the ticket is shared with). Only
 * when there is no copy: any change of the text, of the requester or of the requester's data drops
 * it (triggers of migrations 0014 and 0021), so the other events of a ticket cost one indexed read.
 * The write is guarded by what the copy was computed from: if the ticket or its requester changed
 * meanwhile, the newer change's own refresh writes it (the requester row is locked while checked).
 */
export async function refreshSimilarText(db: Db, ticketId: string): Promise<boolean> {
  const row = (
    await sql<{ subject: string; description: string; requester_id: string | null; name: string | null; email: string | null; phone: string | null; fiscal_code: string | null }>`
      select t.subject, t.description, t.requester_id, r.name, r.email, r.phone, r.fiscal_code
      from tickets t left join requesters r on r.id = t.requester_id
      where t.id = ${ticketId}::uuid and t.similar_text is null`.execute(db)
  ).rows[0];
  if (!row) return false;
  const clean = cleanTicketText(row.subject, row.description, row.requester_id ? { name: row.name, email: row.email, phone: row.phone, fiscalCode: row.fiscal_code } : null);
  const result = await sql`
    update tickets t set similar_subject = ${clean.subject}, similar_text = ${clean.text},
      similar_private = ts_delete(to_tsvector('italian', t.subject || ' ' || t.description), tsvector_to_array(to_tsvector('italian', ${`${clean.subject} ${clean.text}`}::text)))
    where t.id = ${ticketId}::uuid and t.similar_text is null
      and t.subject = ${row.subject} and t.description = ${row.description} and t.requester_id is not distinct from ${row.requester_id}::uuid
      and (t.requester_id is null or exists (
        select 1 from requesters r where r.id = t.requester_id and r.name is not distinct from ${row.name} and r.email is not distinct from ${row.email}
          and r.phone is not distinct from ${row.phone} and r.fiscal_code is not distinct from ${row.fiscal_code}
        for share))`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

interface CandidateRow {
  id: string; code: string; subject: string; description: string; similar_subject: string | null; similar_text: string | null; readable: boolean;
  status: TicketStatusValue; topic: string | null; office_id: string; organisation_id: string; office_name: string; organisation_name: string;
  territory: string[]; created_at: Date; incident_id: string | null;
}

/**
 * What moves slowly about the window (how many tickets are open in it, the background document
 * frequencies) is read once every few minutes per instance and database, not on every keystroke.
 */
const slow = new WeakMap<object, Map<string, { at: number; value: unknown }>>();
async function everyFewMinutes<T>(db: Db, key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
  let entries = slow.get(db);
  if (!entries) {
    entries = new Map();
    slow.set(db, entries);
  }
  const cached = entries.get(key);
  if (cached && Date.now() - cached.at < ttlMs) return cached.value as T;
  const value = await load();
  entries.set(key, { at: Date.now(), value });
  return value;
}

const BACKGROUND_SIZE = 1000;
/** Pseudo-relevance feedback: how many of the best first-pass matches move the query, and how far (Rocchio's β). */
const FEEDBACK_DOCS = 3;
const FEEDBACK_WEIGHT = 0.5;

function backgroundFrequencies(db: Db, windowDays: number, since: Date): Promise<DocumentFrequencies> {
  return everyFewMinutes(db, `background:${windowDays}`, 5 * 60_000, async () => {
    const rows = await sql<{ s: string; d: string }>`
      select similar_subject as s, similar_text as d from tickets
      where status not in ('resolved','closed') and created_at >= ${since} and similar_text is not null
      order by created_at desc limit ${BACKGROUND_SIZE}`.execute(db);
    const df = new DocumentFrequencies();
    for (const r of rows.rows) df.add(features(`${r.s}. ${r.d}`));
    return df;
  });
}

/** Whether every open ticket of the window is few enough to be scored (either answer is correct; one is faster). */
function fewOpenInWindow(db: Db, windowDays: number, since: Date, below: number): Promise<boolean> {
  return everyFewMinutes(db, `few:${windowDays}:${below}`, 60_000, async () => {
    const open = await sql<{ n: number }>`
      select count(*)::int as n from (select 1 from tickets t where t.status not in ('resolved','closed') and t.created_at >= ${since} limit ${below + 1}) x`.execute(db);
    return Number(open.rows[0]?.n ?? 0) <= below;
  });
}

/**
 * Open tickets across the network that look like the same problem. Tickets the caller may read are
 * matched on their own text; every other ticket only on its copy with personal data removed, which
 * is also what is shown of it, so a citizen's name or number typed as a query finds nothing there.
 *
 * Candidates: every open ticket of the window when there are few; otherwise the union of bounded
 * index arms: cleaned copies sharing two informative words of the query (the place and the fault
 * together) or one rare word; the caller's own and shared tickets on the words their cleaned copy
 * lacks (a name, a number); the same topic. The candidates are then ranked in one pass by a TF-IDF
 * cosine over stems and character trigrams (similar-ranking.ts), plus small boosts for topic,
 * territory and recency.
 */
export async function findSimilarTickets(db: Db, q: SimilarQuery): Promise<SimilarTicket[]> {
  const cleanedQuery = scrubPii(q.text, { keepStreet: true });
  const cleanWords = contentWords(cleanedQuery);
  const rawWords = contentWords(q.text);
  if (cleanWords.length === 0 && rawWords.length === 0 && !q.topic) return [];
  const since = new Date(Date.now() - q.windowDays * 86_400_000);
  const officeIds = [...(q.readable?.officeIds ?? [])];
  const organisationIds = [...(q.readable?.organisationIds ?? [])];
  const readsSome = officeIds.length > 0 || organisationIds.length > 0;
  const exhaustive = await fewOpenInWindow(db, q.windowDays, since, q.exhaustiveBelow ?? 2000);
  // On the index arms the window is a filter, not an index condition: ANDed with the index of every
  // ticket's creation date, it read all tickets of the window, open or not, to keep a few hundred.
  const inWindow = sql`t.created_at + interval '0 s' >= ${since}`;
  const candidates = exhaustive
    ? sql`select t.id from tickets t where t.status not in ('resolved','closed') and t.created_at >= ${since}`
    : sql`
      with common as (
        -- PostgreSQL's own statistics of the column say which lexemes many tickets contain: they say
        -- little about "the same problem" and would make the search read much of the index. The
        -- frequencies are over every ticket; the index holds the open ones only (its own row count).
        select e.elem, e.freq * (select greatest(t.reltuples, 1) from pg_class t where t.oid = 'tickets'::regclass)
                              / (select greatest(i.reltuples, 1) from pg_class i where i.oid = 'tickets_open_similar_search_idx'::regclass) as freq
        from pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as e(elem, freq)
        where s.schemaname = current_schema() and s.tablename = 'tickets' and s.attname = 'similar_search'
      ), query_lexemes as (
        select lex, coalesce(c.freq, 0) as freq from unnest(tsvector_to_array(to_tsvector('italian', ${cleanWords.join(' ')}))) as lex
        left join common c on c.elem = lex where coalesce(c.freq, 0) < 0.1 order by coalesce(c.freq, 0) limit 6
      ), pairs as (
        -- The place and the fault together: tickets that share at least two informative words.
        select string_agg(format('(%s & %s)', quote_literal(a.lex), quote_literal(b.lex)), ' | ') as q
        from query_lexemes a join query_lexemes b on a.lex < b.lex
      ), rare as (
        select string_agg(quote_literal(lex), ' | ') as q from query_lexemes where freq < 0.01
      ), pair_hits as (
        select t.id from tickets t, pairs
        where pairs.q is not null and t.similar_search @@ to_tsquery('simple', pairs.q) and t.status not in ('resolved','closed') and ${inWindow}
        limit 200
      ), rare_hits as (
        select t.id from tickets t, rare
        where rare.q is not null and t.similar_search @@ to_tsquery('simple', rare.q) and t.status not in ('resolved','closed') and ${inWindow}
        limit 50
      ), private_query as (
        select string_agg(quote_literal(lex), ' | ') as q from unnest(tsvector_to_array(to_tsvector('italian', ${readsSome ? rawWords.join(' ') : ''}))) as lex
      ), private_hits as (
        -- The caller's own and shared tickets also match on the words their cleaned copy lacks (a
        -- citizen's name, a number): few tickets hold any one of them, so any one word is enough.
        select t.id from tickets t, private_query
        where private_query.q is not null and t.similar_private @@ to_tsquery('simple', private_query.q) and t.status not in ('resolved','closed') and ${inWindow}
          and (t.office_id = any(${officeIds}::uuid[]) or t.organisation_id = any(${organisationIds}::uuid[])
               or exists (select 1 from ticket_participants p where p.ticket_id = t.id and p.status = 'active'
                          and (p.office_id = any(${officeIds}::uuid[]) or p.organisation_id = any(${organisationIds}::uuid[]))))
        limit 100
      ), topic_hits as (
        select t.id from tickets t
        where ${q.topic}::text is not null and t.classification->>'tema' = ${q.topic} and t.status not in ('resolved','closed') and t.created_at >= ${since}
        order by t.created_at desc limit 50
      )
      select id from pair_hits union select id from rare_hits union select id from private_hits union select id from topic_hits`;
  const rows = await sql<CandidateRow>`
    select t.id, t.code, t.subject, t.description, t.similar_subject, t.similar_text,
      (t.office_id = any(${officeIds}::uuid[]) or t.organisation_id = any(${organisationIds}::uuid[]) or shared.yes) as readable,
      t.status, t.classification->>'tema' as topic, t.office_id, t.organisation_id, f.name as office_name, o.name as organisation_name,
      f.territory, t.created_at, t.incident_id
    from (${candidates}) c
    join tickets t on t.id = c.id
    join ${identity.officeDirectory()} f on f.id = t.office_id
    join ${identity.organisationDirectory()} o on o.id = t.organisation_id
    -- One index probe per candidate (not a scan of every share of the caller's offices).
    cross join lateral (select exists (select 1 from ticket_participants p where p.ticket_id = t.id and p.status = 'active'
                                       and (p.office_id = any(${officeIds}::uuid[]) or p.organisation_id = any(${organisationIds}::uuid[]))) as yes) shared
    where (${q.excludeTicketId ?? null}::uuid is null or t.id <> ${q.excludeTicketId ?? null}::uuid)`.execute(db);

  // Each ticket is compared on the text the caller may match it on.
  const docs: { row: CandidateRow; f: RankedFeatures }[] = [];
  for (const row of rows.rows) {
    if (!row.readable && row.similar_text === null) continue;
    const text = row.readable ? `${row.subject}. ${row.description}` : `${row.similar_subject ?? ''}. ${row.similar_text}`;
    docs.push({ row, f: features(text) });
  }
  let df: DocumentFrequencies;
  if (exhaustive) {
    df = new DocumentFrequencies();
    for (const d of docs) df.add(d.f);
  } else {
    df = await backgroundFrequencies(db, q.windowDays, since);
  }
  const forReadable = scorer(features(q.text), df);
  const forOthers = scorer(features(cleanedQuery), df);
  const topicRoot = q.topic ? q.topic.split('.')[0]! : null;
  const windowMs = q.windowDays * 86_400_000;
  const boost = (row: CandidateRow) => {
    let b = 0;
    if (q.topic && row.topic === q.topic) b += 0.08;
    else if (topicRoot && row.topic?.split('.')[0] === topicRoot) b += 0.03;
    if (q.territory && row.territory.some((c) => q.territory!.startsWith(c))) b += 0.03;
    return b + 0.01 * Math.max(0, 1 - (Date.now() - new Date(row.created_at).getTime()) / windowMs);
  };
  const matches: { row: CandidateRow; f: RankedFeatures; first: number }[] = [];
  for (const { row, f } of docs) {
    const text = (row.readable ? forReadable : forOthers).score(f);
    // A ticket that shares no word with the query is not "the same problem", whatever else matches
    // (and a name that is not in a cleaned text must not find it through look-alike trigrams). The
    // second pass below only re-orders the tickets that pass here.
    if (text.stems === 0 || text.total < 0.05) continue;
    matches.push({ row, f, first: text.total + boost(row) });
  }
  // Second pass: the query moved towards its best matches (pseudo-relevance feedback), so the other
  // reports of the same problem, written in other words, come up with them.
  const best = [...matches].sort((a, b) => b.first - a.first).slice(0, FEEDBACK_DOCS).map((m) => m.f);
  const again = { readable: forReadable.towards(best, FEEDBACK_WEIGHT), others: forOthers.towards(best, FEEDBACK_WEIGHT) };
  const ranked: SimilarTicket[] = [];
  for (const { row, f } of matches) {
    const score = (row.readable ? again.readable : again.others).score(f).total + boost(row);
    ranked.push({
      id: row.id, code: row.code, readable: row.readable, subject: row.readable ? row.subject : (row.similar_subject ?? ''), status: row.status, topic: row.topic,
      officeId: row.office_id, organisationId: row.organisation_id, officeName: row.office_name, organisationName: row.organisation_name,
      territory: row.territory, createdAt: new Date(row.created_at), incidentId: row.incident_id, score: Math.round(score * 1000) / 1000,
    });
  }
  ranked.sort((a, b) => b.score - a.score);
  return ranked.slice(0, q.limit);
}
