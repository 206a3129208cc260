/**
 * The citizen portal's relevance cut-off: what it costs in recall and what it saves in list length.
 *
 * Imports the shared FAQ corpus into an in-memory PGlite database and runs the labelled dev queries
 * through the portal's search as the portal page calls it (8 results), then through the same
 * search with the tail below ratio × best score dropped, for several ratios. Prints Recall@1,
 * Recall@5, MRR and the number of results shown (mean, median, share of lists of 8), so that the
 * chosen ratio (PORTAL_RELEVANCE_RATIO) is the largest that keeps Recall@5 where it was.
 *
 *   npx tsx bench/faq-portal-cutoff.bench.ts [--corpus=FILE] [--queries=FILE]
 *
 * Not part of `npm test`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createFaqSearchEngine, importFaqs } from '../src/modules/knowledge/index.js';
import { PORTAL_RELEVANCE_RATIO, relevanceCut } from '../src/modules/knowledge/faq-search.js';
import { seedAll } from '../src/seed.js';

const args = process.argv.slice(2);
const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const shared = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'faq');
const corpusFile = arg('corpus') ?? path.join(shared, 'corpus.jsonl');
const queriesFile = arg('queries') ?? path.join(shared, 'dev-queries.jsonl');
const PORTAL_LIMIT = 8;

interface Query {
  qid: string;
  query: string;
  relevant: string[];
}

async function main(): Promise<void> {
  const queries = readFileSync(queriesFile, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Query);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'urpnet-cutoff-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, URPNET_DEMO_PASSWORD: 'bench-password-2026', LOG_LEVEL: 'silent', URPNET_SECRET: 'bench-secret-bench-secret-bench-secret-0123' });
  const database = await openDatabase({ databaseUrl: null, dataDir, inMemory: true, poolSize: 2 });
  try {
    await migrateToLatest(database.db);
    await seedAll(database.db, config, true);
    await database.db.transaction().execute((trx) => importFaqs(trx, readFileSync(corpusFile, 'utf8')));
    const engine = createFaqSearchEngine(database.db);
    await engine.warm();
    const ranked: { ids: string[]; scores: number[]; relevant: Set<string> }[] = [];
    for (const q of queries) {
      const { items } = await engine.search({ query: q.query, lang: 'it', limit: PORTAL_LIMIT });
      ranked.push({ ids: items.map((i) => i.faq.externalId ?? i.faq.id), scores: items.map((i) => i.score), relevant: new Set(q.relevant) });
    }
    process.stdout.write(`${queries.length} queries (${path.basename(queriesFile)}), portal limit ${PORTAL_LIMIT}\n\n`);
    process.stdout.write('cut-off               R@1    R@5    MRR    shown: mean  median  lists of 8\n');
    for (const ratio of [0, 0.3, 0.4, 0.45, 0.5, PORTAL_RELEVANCE_RATIO, 0.6].filter((r, i, all) => all.indexOf(r) === i).sort()) {
      let r1 = 0;
      let r5 = 0;
      let mrr = 0;
      const shown: number[] = [];
      for (const r of ranked) {
        const kept = relevanceCut(r.ids.map((id, i) => ({ id, score: r.scores[i]! })), ratio).map((x) => x.id);
        shown.push(kept.length);
        const at = kept.findIndex((id) => r.relevant.has(id));
        if (at === 0) r1++;
        if (at >= 0 && at < 5) r5++;
        if (at >= 0) mrr += 1 / (at + 1);
      }
      shown.sort((a, b) => a - b);
      const n = ranked.length;
      const label = ratio === 0 ? 'none (before)' : `${ratio} × best${ratio === PORTAL_RELEVANCE_RATIO ? ' (chosen)' : ''}`;
      process.stdout.write(
        `${label.padEnd(20)}  ${(r1 / n).toFixed(3)}  ${(r5 / n).toFixed(3)}  ${(mrr / n).toFixed(3)}         ${(shown.reduce((a, b) => a + b, 0) / n).toFixed(2)}  ${String(shown[Math.floor(n / 2)]).padStart(6)}  ${((shown.filter((k) => k === PORTAL_LIMIT).length / n) * 100).toFixed(0).padStart(9)}%\n`,
      );
    }
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
