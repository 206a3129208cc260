/**
 * Generates a large network in SQL (INSERT … SELECT generate_series), on a database that was
 * migrated and seeded with the demo network by the project's own functions.
 *
 * - Tickets across every demo office, skewed by population (big comuni get more contacts; regioni,
 *   province, ASL and national bodies get a fixed weight). Subjects and descriptions combine the
 *   real `tema` labels with per-area phrases, intros, streets, places and requests; ~6 % carry a
 *   misspelling. `classification` = { tipo, tema, canale [, esito] } with real taxonomy codes,
 *   `topic_path` = the tema node's path, taxonomy_version '1.0.0'.
 * - Status depends on age (recent contacts are more often still open): ~15 % open/new/pending,
 *   ~85 % resolved/closed over 365 days; updated_at ≥ created_at.
 * - Shares: `shares` ACTIVE participations of one office (consult/collaborate) on random tickets it
 *   does not own, a few revoked/declined ones for the same office, and background shares (1 % of
 *   the tickets) between other offices, so the participants table is not all one office.
 *
 * Speed: the secondary indexes of `tickets` are dropped and recreated from their own definitions
 * (pg_indexes) around the bulk insert, and FK triggers are skipped for the session
 * (session_replication_role = replica; the referenced ids come from the tables themselves).
 */
import { type Kysely, sql } from 'kysely';
import { DEMO_NETWORK } from '../../src/modules/identity/demo-network.data.js';
import { AREA_DETAILS, ASKS, CLOSINGS, EXTRA_PLACES, INTROS, lit, STREETS, TYPOS, textArray } from './scale-data.js';

// biome-ignore lint/suspicious/noExplicitAny: the bench talks to any schema through raw SQL
type AnyDb = Kysely<any>;

export interface GenerateOptions {
  tickets: number;
  shares: number;
  /** Slug of the office the shares go to (celano-urp). */
  sharedOfficeSlug: string;
  batch?: number;
  log: (msg: string) => void;
}

export interface GenerateResult {
  seconds: { total: number; insert: number; indexes: number; shares: number; analyze: number };
  tickets: number;
  openTickets: number;
  sharesActive: number;
  participantsTotal: number;
  offices: number;
  topics: number;
  places: string[];
  temaByArea: Map<string, string[]>;
  sharedOfficeId: string;
  tableMb: number;
  indexesMb: number;
}

const CHANNEL_SLOTS = ['telefono', 'telefono', 'telefono', 'email', 'email', 'web', 'web', 'sportello', 'sportello', 'pec', 'chat', 'app'];
const TIPO_SLOTS = [
  ...Array(8).fill('informazione'), ...Array(4).fill('segnalazione'), ...Array(2).fill('stato_pratica'), ...Array(2).fill('prenotazione'),
  ...Array(2).fill('reclamo'), 'modulistica', 'orientamento', 'accesso_atti', 'suggerimento',
] as string[];
const ESITI = ['risolto_primo_contatto', 'risposta_fornita', 'risposta_fornita', 'inoltrato_ente_competente', 'orientato_altro_ente', 'non_pertinente', 'duplicato'];

const seconds = (from: number) => (performance.now() - from) / 1000;

export async function generateNetwork(db: AnyDb, options: GenerateOptions): Promise<GenerateResult> {
  const { log } = options;
  const batch = options.batch ?? 250_000;
  const started = performance.now();

  // Offices, weighted by population (comuni) or a fixed weight (other bodies).
  const offices = (
    await sql<{ id: string; slug: string; organisation_id: string; org_slug: string; org_type: string; org_name: string }>`
      select f.id, f.slug, f.organisation_id, o.slug as org_slug, o.type as org_type, o.name as org_name
      from offices f join organisations o on o.id = f.organisation_id where f.active order by f.slug`.execute(db)
  ).rows;
  const population = new Map(DEMO_NETWORK.map((o) => [o.slug, o.population ?? 0]));
  const shared = offices.find((f) => f.slug === options.sharedOfficeSlug);
  if (!shared) throw new Error(`office ${options.sharedOfficeSlug} not found`);
  const weight = (f: (typeof offices)[number]) => {
    const pop = population.get(f.org_slug) ?? 0;
    if (f.org_type === 'comune' && pop > 0) return Math.max(20_000, pop);
    if (f.org_type === 'regione') return 250_000;
    if (f.org_type === 'ente_nazionale') return 150_000;
    return 80_000;
  };
  const totalWeight = offices.reduce((s, f) => s + weight(f), 0);
  const SLOTS = 2000;
  const slots: number[] = [];
  offices.forEach((f, i) => {
    const n = Math.max(1, Math.round((weight(f) / totalWeight) * SLOTS));
    for (let k = 0; k < n; k++) slots.push(i + 1);
  });
  const placeOf = (f: (typeof offices)[number]) => (f.org_type === 'comune' ? f.org_name.replace(/^Comune di /, '') : null);
  const places = [...new Set([...offices.map(placeOf).filter((p): p is string => p !== null), ...EXTRA_PLACES])];

  // Topics: every non-deprecated tema leaf of the published taxonomy, with its path and label.
  const topics = (
    await sql<{ code: string; path: string; label: string }>`
      select n.code, n.path, coalesce(n.label->>'it', n.code) as label
      from taxonomy_nodes n join taxonomy_versions v on v.id = n.version_id
      where v.version = '1.0.0' and n.facet = 'tema' and n.parent_code is not null and not n.deprecated
      order by n.position, n.code`.execute(db)
  ).rows;
  if (topics.length === 0) throw new Error('no tema nodes in taxonomy_nodes');
  const tipi = new Set((await sql<{ code: string }>`select code from taxonomy_nodes where facet = 'tipo'`.execute(db)).rows.map((r) => r.code));
  for (const t of TIPO_SLOTS) if (!tipi.has(t)) throw new Error(`tipo ${t} not in the taxonomy`);
  const temaByArea = new Map<string, string[]>();
  for (const t of topics) {
    const area = t.code.split('.')[0]!;
    temaByArea.set(area, [...(temaByArea.get(area) ?? []), t.code]);
  }
  // A stable but mixed order, so that the skew (power law on the index) does not follow the taxonomy.
  const shuffled = [...topics].sort((a, b) => hash(a.code) - hash(b.code));

  await sql`drop table if exists bench_scale_offices, bench_scale_topics`.execute(db);
  await sql`create table bench_scale_offices (idx int primary key, office_id uuid not null, organisation_id uuid not null, place text)`.execute(db);
  await sql`create table bench_scale_topics (idx int primary key, tema text not null, path text not null, label text not null, details text[] not null)`.execute(db);
  await sql
    .raw(`insert into bench_scale_offices values ${offices.map((f, i) => `(${i + 1}, ${lit(f.id)}, ${lit(f.organisation_id)}, ${placeOf(f) === null ? 'null' : lit(placeOf(f)!)})`).join(',')}`)
    .execute(db);
  await sql
    .raw(
      `insert into bench_scale_topics values ${shuffled
        .map((t, i) => {
          const area = t.code.split('.')[0]!;
          const details = AREA_DETAILS[area] ?? [`chiede informazioni su ${t.label.toLowerCase()}`];
          return `(${i}, ${lit(t.code)}, ${lit(t.path)}, ${lit(t.label)}, ${textArray(details)})`;
        })
        .join(',')}`,
    )
    .execute(db);

  // One connection for the whole load: session settings must apply to every statement.
  let insertSeconds = 0;
  let indexSeconds = 0;
  await db.connection().execute(async (conn) => {
    const indexes = (
      await sql<{ indexname: string; indexdef: string }>`
        select i.indexname, i.indexdef from pg_indexes i
        where i.schemaname = 'public' and i.tablename = 'tickets'
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(conn)
    ).rows;
    await sql`set session_replication_role = replica`.execute(conn);
    await sql.raw(`set maintenance_work_mem = '512MB'`).execute(conn);
    for (const ix of indexes) await sql.raw(`drop index ${ix.indexname}`).execute(conn);

    const typo = (expr: string) => TYPOS.reduce((acc, [right, wrong]) => `replace(${acc}, ${lit(right)}, ${lit(wrong)})`, expr);
    const pick = (arr: string, len: number, r: string) => `(${arr})[1 + floor(${r} * ${len})::int]`;
    const t0 = performance.now();
    for (let from = 1; from <= options.tickets; from += batch) {
      const to = Math.min(options.tickets, from + batch - 1);
      const b0 = performance.now();
      await sql
        .raw(`
        insert into tickets (code, organisation_id, office_id, channel, subject, description, priority, status, outcome, classification,
          taxonomy_version, topic_path, created_at, updated_at, resolved_at, closed_at)
        select 'B' || lpad(s.g::text, 9, '0'), o.organisation_id, o.office_id, s.channel,
          case when s.r_typo < 0.06 then ${typo('s.subject0')} else s.subject0 end,
          case when s.r_typo < 0.06 then ${typo('s.description0')} else s.description0 end,
          s.priority, s.status,
          case when s.status in ('resolved','closed') then s.esito end,
          jsonb_build_object('tipo', s.tipo, 'tema', tp.tema, 'canale', s.channel)
            || case when s.status in ('resolved','closed') then jsonb_build_object('esito', s.esito) else '{}'::jsonb end,
          '1.0.0', tp.path, s.created_at, s.updated_at,
          case when s.status in ('resolved','closed') then s.updated_at end,
          case when s.status = 'closed' then s.updated_at end
        from (
          select s1.*,
            case (floor(s1.r_sub * 8))::int
              when 0 then tp1.label || ' - ' || s1.place
              when 1 then 'Informazioni su ' || lower(tp1.label)
              when 2 then 'Richiesta ' || lower(tp1.label) || ' a ' || s1.place
              when 3 then upper(left(s1.detail, 1)) || substr(s1.detail, 2)
              when 4 then 'Segnalazione: ' || s1.detail
              when 5 then 'Problema ' || lower(tp1.label) || ' ' || s1.street
              when 6 then 'Chiarimenti su ' || lower(tp1.label) || ' (' || s1.place || ')'
              else lower(tp1.label) || ': ' || s1.detail
            end as subject0,
            s1.intro || ' ' || s1.detail || ' ' || s1.street || ' a ' || s1.place || '. Riguarda: ' || lower(tp1.label) || '. ' || s1.ask
              || case when s1.r_num < 0.3 then ' Pratica n. ' || (1000 + floor(s1.r_num * 300000))::int || '.' else '' end
              || case when s1.closing <> '' then ' ' || s1.closing else '' end as description0,
            case when s1.status in ('resolved','closed')
              then s1.created_at + least(s1.age_d, 30 * s1.r_upd * s1.r_upd) * interval '1 day'
              else s1.created_at + s1.age_d * s1.r_upd * interval '1 day' end as updated_at
          from (
            select s0.*,
              coalesce(o0.place, ${pick(textArray(EXTRA_PLACES), EXTRA_PLACES.length, 's0.r_pl')}) as place,
              tp0.details[1 + floor(s0.r_det * array_length(tp0.details, 1))::int] as detail,
              case when s0.r_st < (case when s0.age_d < 30 then 0.6 when s0.age_d < 90 then 0.2 else 0.09 end)
                then (case when s0.r_st2 < 0.25 then 'new' when s0.r_st2 < 0.7 then 'open' when s0.r_st2 < 0.85 then 'pending_citizen' else 'pending_office' end)
                else (case when s0.r_st2 < 0.45 then 'resolved' else 'closed' end) end as status,
              now() - s0.age_d * interval '1 day' as created_at
            from (
              select g,
                (array[${slots.join(',')}])[1 + floor(random() * ${slots.length})::int] as office_idx,
                floor(${shuffled.length} * power(random(), 1.8))::int as topic_idx,
                random() * 365 as age_d,
                random() as r_st, random() as r_st2, random() as r_upd, random() as r_sub, random() as r_typo, random() as r_num,
                random() as r_pl, random() as r_det,
                ${pick(textArray(CHANNEL_SLOTS), CHANNEL_SLOTS.length, 'random()')} as channel,
                ${pick(textArray(TIPO_SLOTS), TIPO_SLOTS.length, 'random()')} as tipo,
                ${pick(textArray(ESITI), ESITI.length, 'random()')} as esito,
                ${pick(textArray(INTROS), INTROS.length, 'random()')} as intro,
                ${pick(textArray(STREETS), STREETS.length, 'random()')} as street,
                ${pick(textArray(ASKS), ASKS.length, 'random()')} as ask,
                ${pick(textArray(CLOSINGS), CLOSINGS.length, 'random()')} as closing,
                (case when random() < 0.75 then 'normal' when random() < 0.4 then 'low' when random() < 0.85 then 'high' else 'urgent' end) as priority
              from generate_series(${from}, ${to}) g
              offset 0
            ) s0
            join bench_scale_offices o0 on o0.idx = s0.office_idx
            join bench_scale_topics tp0 on tp0.idx = s0.topic_idx
            offset 0
          ) s1
          join bench_scale_topics tp1 on tp1.idx = s1.topic_idx
          offset 0
        ) s
        join bench_scale_offices o on o.idx = s.office_idx
        join bench_scale_topics tp on tp.idx = s.topic_idx`)
        .execute(conn);
      log(`  tickets ${from.toLocaleString('en')}…${to.toLocaleString('en')} inserted in ${seconds(b0).toFixed(1)} s`);
    }
    // The copy other bodies match on (issue 9, point 6) is written by the app after each change; the
    // generated texts hold no personal data (no names, phones or codes), so the copy is the text itself.
    const c0 = performance.now();
    await sql`update tickets set similar_subject = subject, similar_text = description where status not in ('resolved','closed') and similar_text is null`.execute(conn);
    log(`  cleaned copy of the open tickets written in ${seconds(c0).toFixed(1)} s`);
    insertSeconds = seconds(t0);
    const t1 = performance.now();
    for (const ix of indexes) {
      const i0 = performance.now();
      await sql.raw(ix.indexdef).execute(conn);
      log(`  index ${ix.indexname} rebuilt in ${seconds(i0).toFixed(1)} s`);
    }
    indexSeconds = seconds(t1);
    await sql`set session_replication_role = origin`.execute(conn);
    await sql`reset maintenance_work_mem`.execute(conn);
  });

  // Shares with the one office, a few dead ones, and background shares between other offices.
  const t2 = performance.now();
  await sql`
    insert into ticket_participants (ticket_id, office_id, organisation_id, mode, status, reason, requested_at, responded_at)
    select t.id, ${shared.id}::uuid, ${shared.organisation_id}::uuid, case when random() < 0.6 then 'consult' else 'collaborate' end, 'active',
      'Condivisione per competenza territoriale', t.created_at + interval '1 hour', t.created_at + interval '3 hours'
    from tickets t where t.office_id <> ${shared.id}::uuid
    order by random() limit ${options.shares}`.execute(db);
  await sql`
    insert into ticket_participants (ticket_id, office_id, organisation_id, mode, status, reason, requested_at, responded_at)
    select t.id, ${shared.id}::uuid, ${shared.organisation_id}::uuid, 'consult', case when random() < 0.5 then 'revoked' else 'declined' end,
      'Richiesta di parere', t.created_at + interval '1 hour', t.created_at + interval '2 hours'
    from tickets t where t.office_id <> ${shared.id}::uuid
      and not exists (select 1 from ticket_participants p where p.ticket_id = t.id and p.office_id = ${shared.id}::uuid)
    order by random() limit ${Math.round(options.shares * 0.05)}`.execute(db);
  await sql`
    insert into ticket_participants (ticket_id, office_id, organisation_id, mode, status, reason, requested_at, responded_at)
    select t.id, o.office_id, o.organisation_id, case when random() < 0.6 then 'consult' else 'collaborate' end,
      case when random() < 0.85 then 'active' when random() < 0.5 then 'pending' else 'revoked' end,
      'Condivisione in rete', t.created_at + interval '1 hour', t.created_at + interval '3 hours'
    from (select id, office_id as owner, created_at, 1 + floor(random() * ${offices.length})::int as pick from tickets tablesample bernoulli (1) offset 0) t
    join bench_scale_offices o on o.idx = t.pick
    where o.office_id <> t.owner and o.office_id <> ${shared.id}::uuid`.execute(db);
  const sharesSeconds = seconds(t2);

  const t3 = performance.now();
  await sql`analyze`.execute(db);
  const analyzeSeconds = seconds(t3);
  await sql`drop table if exists bench_scale_offices, bench_scale_topics`.execute(db);

  const counts = (
    await sql<{ tickets: number; open: number; active: number; participants: number; table_mb: number; indexes_mb: number }>`
      select (select count(*) from tickets)::int as tickets,
        (select count(*) from tickets where status not in ('resolved','closed'))::int as open,
        (select count(*) from ticket_participants where office_id = ${shared.id}::uuid and status = 'active')::int as active,
        (select count(*) from ticket_participants)::int as participants,
        round(pg_table_size('tickets') / 1048576.0)::int as table_mb,
        round(pg_indexes_size('tickets') / 1048576.0)::int as indexes_mb`.execute(db)
  ).rows[0]!;
  return {
    seconds: { total: seconds(started), insert: insertSeconds, indexes: indexSeconds, shares: sharesSeconds, analyze: analyzeSeconds },
    tickets: counts.tickets,
    openTickets: counts.open,
    sharesActive: counts.active,
    participantsTotal: counts.participants,
    offices: offices.length,
    topics: topics.length,
    places,
    temaByArea,
    sharedOfficeId: shared.id,
    tableMb: counts.table_mb,
    indexesMb: counts.indexes_mb,
  };
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
