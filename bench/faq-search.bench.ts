/**
 * FAQ search quality and latency.
 *
 * Imports shared/data/faq/corpus.jsonl (the copy in data-seed/faq/) into a fresh in-memory PGlite
 * database with the demo network, runs the labelled development queries through
 *   - urpnet's search (the portal's, in-process),
 *   - PostgreSQL full text, all query words: websearch_to_tsquery('italian', q), ranked by ts_rank,
 *   - PostgreSQL full text, any query word: the query's Italian lexemes joined with |, ranked by ts_rank,
 * (both baselines over the `search` column: title weight A, body weight D; Italian FAQs only, like
 * the portal) and prints Recall@1, Recall@5 and MRR@10 overall and per query kind. Then it measures
 * latency p50/p95 in-process and over HTTP (a real socket: buildApp + listen on 127.0.0.1) with the
 * 320 corpus FAQs and again after adding 9,700 synthetic FAQs (corpus sentences recombined with
 * other places and topics), where quality is measured once more.
 *
 *   npx tsx bench/faq-search.bench.ts [--quick] [--queries=FILE]
 *
 * Not part of `npm test`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createFaqSearchEngine, importFaqs } from '../src/modules/knowledge/index.js';
import { startOutboxDispatcher } from '../src/platform/events.js';
import { seedAll } from '../src/seed.js';
import { syntheticFaqs } from './lib/faq-synthetic.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const root = path.resolve(import.meta.dirname, '..');
const corpusFile = path.join(root, 'data-seed', 'faq', 'corpus.jsonl');
const queriesFile = args.find((a) => a.startsWith('--queries='))?.slice('--queries='.length) ?? path.resolve(root, '..', 'shared', 'data', 'faq', 'dev-queries.jsonl');
const LATENCY_ROUNDS = quick ? 1 : 5;
const TARGET_SIZE = 10_000;

interface Query {
  qid: string;
  query: string;
  relevant: string[];
  kind: string;
}

type Ranker = (query: string) => Promise<string[]>;

interface Metrics {
  n: number;
  r1: number;
  r5: number;
  mrr: number;
}

async function evaluate(queries: Query[], rank: Ranker): Promise<Map<string, Metrics>> {
  const out = new Map<string, Metrics>();
  for (const q of queries) {
    const ids = (await rank(q.query)).slice(0, 10);
    const relevant = new Set(q.relevant);
    const at = ids.findIndex((id) => relevant.has(id));
    for (const key of ['overall', q.kind]) {
      const m = out.get(key) ?? { n: 0, r1: 0, r5: 0, mrr: 0 };
      m.n++;
      if (at === 0) m.r1++;
      if (at >= 0 && at < 5) m.r5++;
      if (at >= 0) m.mrr += 1 / (at + 1);
      out.set(key, m);
    }
  }
  return out;
}

const allWords = (db: Database): Ranker => async (query) => {
  const rows = await sql<{ id: string }>`
    select external_id as id from faq_articles, websearch_to_tsquery('italian', ${query}) q
    where status = 'published' and lang = 'it' and search @@ q
    order by ts_rank(search, q) desc, external_id limit 10`.execute(db);
  return rows.rows.map((r) => r.id);
};

const anyWord = (db: Database): Ranker => async (query) => {
  const rows = await sql<{ id: string }>`
    with q as (
      select to_tsquery('simple', string_agg(quote_literal(l), ' | ')) as q
      from unnest(tsvector_to_array(to_tsvector('italian', ${query}))) l
    )
    select external_id as id from faq_articles, q
    where q.q is not null and status = 'published' and lang = 'it' and search @@ q.q
    order by ts_rank(search, q.q) desc, external_id limit 10`.execute(db);
  return rows.rows.map((r) => r.id);
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function latency(queries: Query[], call: (q: string) => Promise<unknown>): Promise<{ p50: number; p95: number; n: number }> {
  for (const q of queries.slice(0, 20)) await call(q.query); // warm-up
  const times: number[] = [];
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    for (const q of queries) {
      const t0 = performance.now();
      await call(q.query);
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), n: times.length };
}

const f3 = (x: number) => x.toFixed(3);
const ms = (x: number) => `${x.toFixed(2)} ms`;

function qualityTable(title: string, systems: [string, Map<string, Metrics>][]): void {
  const kinds = ['overall', ...[...systems[0]![1].keys()].filter((k) => k !== 'overall').sort()];
  process.stdout.write(`\n${title}\n`);
  const header = ['kind (n)'.padEnd(16), ...systems.map(([name]) => name.padEnd(26))].join(' | ');
  process.stdout.write(`${header}\n${' '.repeat(16)} | ${systems.map(() => 'R@1    R@5    MRR@10'.padEnd(26)).join(' | ')}\n${'-'.repeat(header.length)}\n`);
  for (const kind of kinds) {
    const n = systems[0]![1].get(kind)?.n ?? 0;
    const cells = systems.map(([, m]) => {
      const x = m.get(kind);
      return x ? `${f3(x.r1 / x.n)}  ${f3(x.r5 / x.n)}  ${f3(x.mrr / x.n)}`.padEnd(26) : ''.padEnd(26);
    });
    process.stdout.write(`${`${kind} (${n})`.padEnd(16)} | ${cells.join(' | ')}\n`);
  }
}

async function main(): Promise<void> {
  const queries = readFileSync(queriesFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Query);
  const corpus = readFileSync(corpusFile, 'utf8');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-faq-bench-'));
  const config = loadConfig({
    DATA_DIR: dataDir, URPNET_DEMO_PASSWORD: 'bench-password-2026', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '10000000',
    URPNET_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  });
  const database = await openDatabase({ databaseUrl: null, dataDir, inMemory: true, poolSize: 4 });
  const events = startOutboxDispatcher(database.db, { intervalMs: 60_000 });
  const db = database.db;
  try {
    await migrateToLatest(db);
    await seedAll(db, config, true);
    let t0 = performance.now();
    const imported = await db.transaction().execute((trx) => importFaqs(trx, corpus));
    process.stdout.write(`corpus: ${imported.inserted} FAQs imported, ${imported.updated + imported.unchanged} already there, in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${queries.length} queries from ${path.relative(root, queriesFile)}\n`);

    const engine = createFaqSearchEngine(db);
    t0 = performance.now();
    await engine.warm();
    const build320 = performance.now() - t0;
    const ours: Ranker = async (q) => (await engine.search({ query: q, limit: 10 })).items.map((i) => i.faq.externalId ?? i.faq.id);
    const quality320: [string, Map<string, Metrics>][] = [
      ['urpnet search', await evaluate(queries, ours)],
      ['PG FTS all words', await evaluate(queries, allWords(db))],
      ['PG FTS any word', await evaluate(queries, anyWord(db))],
    ];
    // The demo seed may already hold the corpus (then the import only updates): count what is there.
    const corpusCount = Number((await sql<{ n: number }>`select count(*)::int as n from faq_articles`.execute(db)).rows[0]!.n);
    qualityTable(`Quality with ${corpusCount} FAQs (Italian FAQs searched)`, quality320);

    const lat: { label: string; inProcess: Awaited<ReturnType<typeof latency>>; http: Awaited<ReturnType<typeof latency>>; build: number }[] = [];
    const measure = async (label: string, build: number) => {
      const inProcess = await latency(queries, (q) => engine.search({ query: q, limit: 10 }));
      const app = await buildApp({ config, database, events, logger: false });
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      try {
        const http = await latency(queries, async (q) => {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/portal/faq/search?q=${encodeURIComponent(q)}&limit=10`);
          if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
          return res.json();
        });
        lat.push({ label, inProcess, http, build });
      } finally {
        await app.close();
      }
    };
    await measure(`${imported.inserted} FAQs`, build320);

    const count = Number((await sql<{ n: number }>`select count(*)::int as n from faq_articles`.execute(db)).rows[0]!.n);
    const synthetic = syntheticFaqs(corpus, TARGET_SIZE - count, 20260401);
    t0 = performance.now();
    const more = await db.transaction().execute((trx) => importFaqs(trx, synthetic.map((r) => JSON.stringify(r)).join('\n')));
    const total = count + more.inserted;
    process.stdout.write(`\nsynthetic: ${more.inserted} FAQs imported in ${((performance.now() - t0) / 1000).toFixed(1)} s (total ${total})\n`);
    engine.invalidate();
    t0 = performance.now();
    await engine.warm();
    const build10k = performance.now() - t0;
    qualityTable(`Quality with ${total} FAQs (same queries; synthetic FAQs are distractors, never relevant)`, [
      ['urpnet search', await evaluate(queries, ours)],
      ['PG FTS all words', await evaluate(queries, allWords(db))],
      ['PG FTS any word', await evaluate(queries, anyWord(db))],
    ]);
    await measure(`${total} FAQs`, build10k);

    process.stdout.write(`\nLatency of urpnet search (${queries.length} queries × ${LATENCY_ROUNDS} rounds, sequential; targets at 10,000: p95 < 20 ms in-process, < 40 ms HTTP)\n`);
    process.stdout.write(`${'corpus'.padEnd(14)} | ${'index build'.padEnd(12)} | ${'in-process p50'.padEnd(15)} | ${'in-process p95'.padEnd(15)} | ${'HTTP p50'.padEnd(10)} | HTTP p95\n`);
    for (const l of lat) {
      process.stdout.write(`${l.label.padEnd(14)} | ${ms(l.build).padEnd(12)} | ${ms(l.inProcess.p50).padEnd(15)} | ${ms(l.inProcess.p95).padEnd(15)} | ${ms(l.http.p50).padEnd(10)} | ${ms(l.http.p95)}\n`);
    }
    const o = quality320[0]![1];
    const get = (k: string) => o.get(k) ?? { n: 1, r1: 0, r5: 0, mrr: 0 };
    const last = lat.at(-1)!;
    const checks = [
      ['Recall@5 overall ≥ 0.93', get('overall').r5 / get('overall').n >= 0.93],
      ['MRR@10 overall ≥ 0.82', get('overall').mrr / get('overall').n >= 0.82],
      ['Recall@5 citizen ≥ 0.85', get('citizen').r5 / get('citizen').n >= 0.85],
      ['Recall@5 synonym ≥ 0.85', get('synonym').r5 / get('synonym').n >= 0.85],
      ['p95 in-process < 20 ms at 10,000', last.inProcess.p95 < 20],
      ['p95 HTTP < 40 ms at 10,000', last.http.p95 < 40],
    ] as const;
    process.stdout.write(`\nTargets\n${checks.map(([name, ok]) => `  ${ok ? 'ok  ' : 'MISS'} ${name}`).join('\n')}\n`);
  } finally {
    await events.stop();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
