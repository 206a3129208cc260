/**
 * The text analysis the product's models use by default: Italian stop words and stemmer plus the
 * network thesaurus. The product passes the thesaurus as the editorial board keeps it (the
 * `faq_thesaurus` table); tools without a database (`urpnet classify evaluate`, the benchmarks)
 * use the thesaurus a new network starts with: the seed (migration 0003) with the revisions of
 * later migrations applied.
 */
import { SEED_THESAURUS } from '../../db/migrations/0003-knowledge.js';
import { THESAURUS_PHRASES_REMOVED } from '../../db/migrations/0020-thesaurus-revision.js';
import type { SearchLanguage } from '../../platform/text/text-analysis.js';
import type { TextAnalysisSpec } from './concept-analysis.js';

export const DEFAULT_ANALYSIS_LANGUAGE: SearchLanguage = 'it';

/** The thesaurus groups a new network's database holds once every migration has run. */
export function networkThesaurus(lang: SearchLanguage = DEFAULT_ANALYSIS_LANGUAGE): string[][] {
  if (lang !== 'it') return [];
  return SEED_THESAURUS.map((entry) => {
    let terms = [...entry.terms];
    // As the migration, one phrase after the other: a removal that would leave fewer than two is skipped.
    for (const { phrase } of THESAURUS_PHRASES_REMOVED) {
      const kept = terms.filter((t) => t !== phrase);
      if (kept.length !== terms.length && kept.length >= 2) terms = kept;
    }
    return terms;
  });
}

export function seedThesaurusAnalysis(lang: SearchLanguage = DEFAULT_ANALYSIS_LANGUAGE): TextAnalysisSpec {
  return { lang, thesaurus: networkThesaurus(lang) };
}
