/**
 * Quality of similar-ticket suggestions on the labelled near-duplicate set
 * (test/fixtures/duplicate-groups.json): for the first description of each group, with the other
 * descriptions and the distractors already open as tickets in the network, how often are the
 * suggestions tickets about the same problem? Printed next to a plain PostgreSQL full-text
 * baseline (any query word, ts_rank) over the same tickets, in the same run, on PGlite.
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
import { queryTerms } from '../src/modules/sharing/similar.repository.js';
import { startOutboxDispatcher } from '../src/platform/events.js';
import { seedAll } from '../src/seed.js';

interface Fixture {
  groups: { id: string; topic: string; office: string; texts: [string, string][] }[];
  distractors: [string, string][];
}
const fixture = JSON.parse(readFileSync(new URL('../test/fixtures/duplicate-groups.json', import.meta.url), 'utf8')) as Fixture;
const ORG: Record<string, string> = {
  'celano-urp': 'comune-celano', 'napoli-urp': 'comune-napoli', 'salerno-urp': 'comune-salerno', 'cagliari-urp': 'comune-cagliari',
  'asl-avezzano-sulmona-laquila-urp': 'asl-avezzano-sulmona-laquila', 'regione-puglia-urp': 'regione-puglia', 'catania-urp': 'comune-catania',
};

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-similar-'));
const config = loadConfig({ DATA_DIR: dataDir, URPNET_DEMO_PASSWORD: 'bench-password-2026', LOG_LEVEL: 'silent', URPNET_SECRET: 'b'.repeat(40), RATE_LIMIT_PER_MINUTE: '1000000' });
const database = await openDatabase({ databaseUrl: null, dataDir, inMemory: true });
await migrateToLatest(database.db);
await seedAll(database.db, config, true);
const events = startOutboxDispatcher(database.db, { intervalMs: 60_000 });
const app = await buildApp({ config, database, events, logger: false });

const sessions = new Map<string, { cookie: string; csrf: string; officeId: string }>();
async function session(org: string) {
  const cached = sessions.get(org);
  if (cached) return cached;
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `operatore.${org}@demo.urpnet.it`, password: 'bench-password-2026' } });
  const body = res.json() as { csrfToken: string; memberships: { officeId: string }[] };
  const cookie = `urpnet_session=${res.cookies.find((c) => c.name === 'urpnet_session')!.value}`;
  const s = { cookie, csrf: body.csrfToken, officeId: body.memberships[0]!.officeId };
  sessions.set(org, s);
  return s;
}

const groupOf = new Map<string, string>();
async function create(org: string, subject: string, description: string, classification: Record<string, string>, group: string) {
  const s = await session(org);
  const res = await app.inject({
    method: 'POST', url: '/api/v1/tickets', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    payload: { officeId: s.officeId, channel: 'telefono', subject, description, classification },
  });
  groupOf.set((res.json() as { code: string }).code, group);
}
for (const g of fixture.groups) for (const [subject, description] of g.texts.slice(1)) await create(ORG[g.office]!, subject, description, { tipo: 'segnalazione', tema: g.topic }, g.id);
for (const [subject, description] of fixture.distractors) await create('comune-napoli', subject, description, { tipo: 'informazione' }, 'distractor');

const asker = await session('comune-celano');
type Ranker = (text: string, topic: string | null) => Promise<string[]>;
const urpnet: Ranker = async (text, topic) => {
  const res = await app.inject({ method: 'GET', url: `/api/v1/tickets/similar?text=${encodeURIComponent(text)}${topic ? `&topic=${topic}` : ''}`, headers: { cookie: asker.cookie } });
  return (res.json() as { items: { code: string }[] }).items.map((i) => i.code);
};
const baseline: Ranker = async (text) => {
  const terms = queryTerms(text);
  if (terms.length === 0) return [];
  const rows = await sql<{ code: string }>`select code from tickets where search @@ to_tsquery('italian', ${terms.join(' | ')})
    order by ts_rank(search, to_tsquery('italian', ${terms.join(' | ')})) desc limit 10`.execute(database.db);
  return rows.rows.map((r) => r.code);
};

async function evaluate(rank: Ranker, withTopic: boolean) {
  let p1 = 0;
  let p3 = 0;
  for (const g of fixture.groups) {
    const [subject, description] = g.texts[0]!;
    const codes = await rank(`${subject}. ${description}`, withTopic ? g.topic : null);
    if (codes[0] && groupOf.get(codes[0]) === g.id) p1++;
    const relevant = Math.min(3, g.texts.length - 1);
    p3 += codes.slice(0, 3).filter((c) => groupOf.get(c) === g.id).length / relevant;
  }
  return { precisionAt1: p1 / fixture.groups.length, precisionAt3: p3 / fixture.groups.length };
}

const rows = [
  ['urpnet similar (text only)', await evaluate(urpnet, false)],
  ['urpnet similar (text + topic)', await evaluate(urpnet, true)],
  ['baseline FTS any-word ts_rank', await evaluate(baseline, false)],
] as const;
console.log(`\nSimilar-ticket suggestions on the labelled set: ${fixture.groups.length} problems, ${groupOf.size} open tickets (${fixture.distractors.length} distractors)\n`);
console.log('ranker                              P@1     P@3');
for (const [name, r] of rows) console.log(`${name.padEnd(34)}  ${r.precisionAt1.toFixed(3)}   ${r.precisionAt3.toFixed(3)}`);
await app.close();
await events.stop();
await database.close();
rmSync(dataDir, { recursive: true, force: true });
