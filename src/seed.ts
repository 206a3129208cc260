import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { type DemoSeedResult, seedDemoNetwork } from './modules/identity/demo-seed.js';
import { importFaqs } from './modules/knowledge/index.js';
import { seedDemoCompetences } from './modules/sharing/demo-competences.js';
import { publishTaxonomyVersion } from './modules/taxonomy/index.js';
import { ensureTerritory } from './modules/territory/index.js';

/** Loads the network taxonomy (version 1.0.0 from data-seed/) when no version is published yet. */
export async function seedTaxonomy(db: Database, taxonomyFile: string): Promise<{ version: string; created: boolean }> {
  const doc = JSON.parse(readFileSync(taxonomyFile, 'utf8')) as unknown;
  return db.transaction().execute((trx) => publishTaxonomyVersion(trx, doc));
}

export async function seedAll(db: Database, config: Config, demo: boolean): Promise<{ taxonomy: { version: string; created: boolean }; demo: DemoSeedResult | null }> {
  const taxonomy = await seedTaxonomy(db, config.taxonomyFile);
  // The Italian territory, from the packages, on first start (later refreshed by `urpnet territory import`).
  await ensureTerritory(db);
  const demoResult = demo ? await seedDemoNetwork(db, { dataDir: config.dataDir, password: config.demoPassword }) : null;
  if (demoResult) {
    await seedDemoCompetences(db);
    // The network's shared FAQs (data-seed/faq/corpus.jsonl), so the demo answers from day one.
    const corpus = path.join(path.dirname(config.taxonomyFile), 'faq', 'corpus.jsonl');
    if (existsSync(corpus)) await db.transaction().execute((trx) => importFaqs(trx, readFileSync(corpus, 'utf8')));
  }
  return { taxonomy, demo: demoResult };
}
