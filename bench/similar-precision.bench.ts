/**
 * Quality of similar-ticket suggestions (issue 9, point 23) on labelled near-duplicate groups: each
 * group is one local problem reported several times; all reports but one are recorded as open
 * tickets across the network (with distractors), the remaining one is the query, asked by an
 * operator of another body (Comune di Celano) — so other bodies' tickets are matched on their text
 * with personal data removed, as in production.
 *
 *   - held-out: bench/similar-precision.heldout.json (never used to tune the ranker): 4 reports per
 *     group, the 4th is the query.
 *   - dev: test/fixtures/duplicate-groups.json (the set the ranker was tuned on): the 1st report is
 *     the query.
 *
 * Measures P@1 (the first suggestion is of the same problem) and recall@5 (share of the group-mates
 * among the first 5), for urpnet (GET /api/v1/tickets/similar, and its index-only candidate path as
 * used above 2,000 open tickets) next to a plain TF-IDF cosine computed here, in the same run, over
 * the same texts the caller may match (cleaned for other bodies' tickets), and over the raw texts.
 *
 *   node --import tsx bench/similar-precision.bench.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { similarRef } from '../src/modules/sharing/incidents.service.js';
import { findSimilarTickets } from '../src/modules/tickets/similar.repository.js';
import { startOutboxDispatcher } from '../src/platform/events.js';
import { ticketScope } from '../src/platform/policy.js';
import { seedAll } from '../src/seed.js';

interface Group { id: string; topic: string; org: string; texts: [string, string][]; query: [string, string] }
interface LabelledSet { name: string; groups: Group[]; distractors: [string, string, string][] }

const ORG_OF_OFFICE: Record<string, string> = {
  'celano-urp': 'comune-celano', 'napoli-urp': 'comune-napoli', 'salerno-urp': 'comune-salerno', 'cagliari-urp': 'comune-cagliari',
  'asl-avezzano-sulmona-laquila-urp': 'asl-avezzano-sulmona-laquila', 'regione-puglia-urp': 'regione-puglia', 'catania-urp': 'comune-catania',
};
const read = (url: URL) => JSON.parse(readFileSync(url, 'utf8'));
const heldout = read(new URL('./similar-precision.heldout.json', import.meta.url)) as { groups: { id: string; topic: string; org: string; texts: [string, string][] }[]; distractors: [string, string, string][] };
const dev = read(new URL('../test/fixtures/duplicate-groups.json', import.meta.url)) as { groups: { id: string; topic: string; office: string; texts: [string, string][] }[]; distractors: [string, string][] };
const SETS: LabelledSet[] = [
  { name: 'held-out', groups: heldout.groups.map((g) => ({ ...g, texts: g.texts.slice(0, 3), query: g.texts[3]! })), distractors: heldout.distractors },
  { name: 'dev', groups: dev.groups.map((g) => ({ id: g.id, topic: g.topic, org: ORG_OF_OFFICE[g.office]!, texts: g.texts.slice(1), query: g.texts[0]! })), distractors: dev.distractors.map(([s, d]) => [s, d, 'comune-napoli']) },
];
const ASKER = 'comune-celano';

/** Plain TF-IDF: lower-cased words, smoothed idf, l2-normalised, cosine. No stemming, no stop words. */
function tfidfRanker(docs: { ref: string; text: string }[]) {
  const tokens = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const df = new Map<string, number>();
  const tfs = docs.map((d) => {
    const tf = new Map<string, number>();
    for (const w of tokens(d.text)) tf.set(w, (tf.get(w) ?? 0) + 1);
    for (const w of tf.keys()) df.set(w, (df.get(w) ?? 0) + 1);
    return tf;
  });
  const n = docs.length;
  const vec = (tf: Map<string, number>) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [w, c] of tf) {
      const x = c * (Math.log((1 + n) / (1 + (df.get(w) ?? 0))) + 1);
      v.set(w, x);
      norm += x * x;
    }
    for (const [w, x] of v) v.set(w, x / (Math.sqrt(norm) || 1));
    return v;
  };
  const vectors = tfs.map(vec);
  return (query: string) => {
    const tf = new Map<string, number>();
    for (const w of tokens(query)) tf.set(w, (tf.get(w) ?? 0) + 1);
    const q = vec(tf);
    return vectors
      .map((v, i) => {
        let s = 0;
        for (const [w, x] of q) s += x * (v.get(w) ?? 0);
        return { ref: docs[i]!.ref, s };
      })
      .sort((a, b) => b.s - a.s)
      .slice(0, 10)
      .map((r) => r.ref);
  };
}

async function runSet(set: LabelledSet) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-similar-'));
  const config = loadConfig({ DATA_DIR: dataDir, URPNET_DEMO_PASSWORD: 'bench-password-2026', LOG_LEVEL: 'silent', URPNET_SECRET: 'b'.repeat(40), RATE_LIMIT_PER_MINUTE: '1000000' });
  const database = await openDatabase({ databaseUrl: null, dataDir, inMemory: true });
  await migrateToLatest(database.db);
  await seedAll(database.db, config, true);
  const events = startOutboxDispatcher(database.db, { intervalMs: 60_000 });
  const app = await buildApp({ config, database, events, logger: false });
  const sessions = new Map<string, { cookie: string; csrf: string; officeId: string }>();
  const session = async (org: string) => {
    const cached = sessions.get(org);
    if (cached) return cached;
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `operatore.${org}@demo.urpnet.it`, password: 'bench-password-2026' } });
    if (res.statusCode !== 200) throw new Error(`login ${org}: ${res.statusCode}`);
    const body = res.json() as { csrfToken: string; memberships: { officeId: string | null }[] };
    const s = { cookie: `urpnet_session=${res.cookies.find((c) => c.name === 'urpnet_session')!.value}`, csrf: body.csrfToken, officeId: body.memberships.find((m) => m.officeId)!.officeId! };
    sessions.set(org, s);
    return s;
  };
  const groupOfRef = new Map<string, string>();
  const create = async (org: string, subject: string, description: string, classification: Record<string, string>, group: string) => {
    const s = await session(org);
    const res = await app.inject({
      method: 'POST', url: '/api/v1/tickets', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
      payload: { officeId: s.officeId, channel: 'telefono', subject, description, classification },
    });
    if (res.statusCode !== 201) throw new Error(`create: ${res.body}`);
    const id = (await sql<{ id: string }>`select id from tickets where code = ${(res.json() as { code: string }).code}`.execute(database.db)).rows[0]!.id;
    groupOfRef.set(similarRef(config.secret, id), group);
  };
  for (const g of set.groups) for (const [subject, description] of g.texts) await create(g.org, subject, description, { tipo: 'segnalazione', tema: g.topic }, g.id);
  for (const [subject, description, org] of set.distractors) await create(org, subject, description, { tipo: 'informazione' }, 'distractor');
  while ((await events.drain()) > 0) {
    // clean every ticket's text for the network
  }

  const asker = await session(ASKER);
  const actorGrants = (await sql<{ office_id: string | null; organisation_id: string; role: string }>`
    select g.office_id, g.organisation_id, g.role from role_grants g join users u on u.id = g.user_id where u.email = ${`operatore.${ASKER}@demo.urpnet.it`}`.execute(database.db)).rows;
  const scope = ticketScope({ userId: '', grants: actorGrants.map((g) => ({ role: g.role, officeId: g.office_id, organisationId: g.organisation_id })), scopes: null } as never, 'tickets:read');
  const texts = (await sql<{ id: string; subject: string; description: string; similar_subject: string; similar_text: string; readable: boolean }>`
    select t.id, t.subject, t.description, t.similar_subject, t.similar_text,
      (t.office_id = any(${[...scope.officeIds]}::uuid[]) or t.organisation_id = any(${[...scope.organisationIds]}::uuid[])) as readable
    from tickets t`.execute(database.db)).rows;
  const cleaned = tfidfRanker(texts.map((t) => ({ ref: similarRef(config.secret, t.id), text: t.readable ? `${t.subject}. ${t.description}` : `${t.similar_subject}. ${t.similar_text}` })));
  const raw = tfidfRanker(texts.map((t) => ({ ref: similarRef(config.secret, t.id), text: `${t.subject}. ${t.description}` })));

  type Ranker = (text: string, topic: string | null) => Promise<string[]>;
  const urpnet: Ranker = async (text, topic) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/tickets/similar?text=${encodeURIComponent(text)}${topic ? `&topic=${topic}` : ''}`, headers: { cookie: asker.cookie } });
    return (res.json() as { items: { ref: string }[] }).items.map((i) => i.ref);
  };
  const indexOnly: Ranker = async (text) =>
    (await findSimilarTickets(database.db, { text, topic: null, territory: null, windowDays: 30, limit: 10, readable: scope, exhaustiveBelow: 0 })).map((t) => similarRef(config.secret, t.id));
  const evaluate = async (rank: Ranker, withTopic = false) => {
    let p1 = 0;
    let recall = 0;
    const misses: string[] = [];
    for (const g of set.groups) {
      const refs = await rank(g.query.join('. '), withTopic ? g.topic : null);
      if (groupOfRef.get(refs[0] ?? '') === g.id) p1++;
      else misses.push(`${g.id}→${groupOfRef.get(refs[0] ?? '') ?? 'none'}`);
      recall += refs.slice(0, 5).filter((r) => groupOfRef.get(r) === g.id).length / g.texts.length;
    }
    return { p1: p1 / set.groups.length, recall5: recall / set.groups.length, misses };
  };
  const rows = [
    ['urpnet similar (text only)', await evaluate(urpnet)],
    ['urpnet similar (text + topic)', await evaluate(urpnet, true)],
    ['urpnet, index candidates only', await evaluate(indexOnly)],
    ['plain TF-IDF, same texts', await evaluate(async (text) => cleaned(text))],
    ['plain TF-IDF, raw texts', await evaluate(async (text) => raw(text))],
  ] as const;
  console.log(`\n${set.name}: ${set.groups.length} problems, ${groupOfRef.size} open tickets (${set.distractors.length} distractors), asked by ${ASKER}`);
  console.log('ranker                              P@1     R@5');
  for (const [name, r] of rows) console.log(`${name.padEnd(34)}  ${r.p1.toFixed(3)}   ${r.recall5.toFixed(3)}`);
  if (process.env.BENCH_SHOW_MISSES) for (const [name, r] of rows) console.log(`  misses ${name}: ${r.misses.join(', ')}`);
  await app.close();
  await events.stop();
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}

for (const set of SETS) await runSet(set);
