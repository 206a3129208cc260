/**
 * The text analysis the product's models use by default: Italian stop words and stemmer plus the
 * network thesaurus. The product passes the thesaurus as the editorial board keeps it (the
 * `faq_thesaurus` table); tools without a database (`urpnet classify evaluate`, the benchmark)
 * use the thesaurus the network was seeded with.
 */
import { SEED_THESAURUS } from '../../db/migrations/0003-knowledge.js';
import type { SearchLanguage } from '../knowledge/text-analysis.js';
import type { TextAnalysisSpec } from './concept-analysis.js';

export const DEFAULT_ANALYSIS_LANGUAGE: SearchLanguage = 'it';

export function seedThesaurusAnalysis(lang: SearchLanguage = DEFAULT_ANALYSIS_LANGUAGE): TextAnalysisSpec {
  return { lang, thesaurus: lang === 'it' ? SEED_THESAURUS.map((entry) => [...entry.terms]) : [] };
}
