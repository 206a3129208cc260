/**
 * The language-aware half of the classifier's features: content words stemmed (stop words out)
 * and the concepts of the network thesaurus found in the text. A citizen writes "tassa sulla
 * spazzatura", the FAQ says "TARI": both become the same concept feature, on the training side and
 * on the query side alike. Reuses the FAQ search's analysis (same normaliser, stop words, Snowball
 * stemmer, thesaurus matcher), read-only. The thesaurus a model was trained with is stored with the
 * model, so a later edit of the thesaurus never changes what an existing model sees.
 */
import { analyse, SEARCH_LANGUAGES, type SearchLanguage } from '../knowledge/text-analysis.js';
import { type CompiledThesaurus, compileThesaurus, matchThesaurus } from '../knowledge/thesaurus.js';
import type { AnalysedTerms } from './text-features.js';

export interface TextAnalysisSpec {
  /** Language of the stop words and stemmer (`it` for the network; others degrade gracefully). */
  lang: SearchLanguage;
  /** Groups of equivalent phrases (as written by the editorial board). */
  thesaurus: readonly (readonly string[])[];
}

export interface TextAnalyser {
  readonly spec: TextAnalysisSpec;
  analyse(text: string): AnalysedTerms;
}

export function isSearchLanguage(lang: unknown): lang is SearchLanguage {
  return typeof lang === 'string' && (SEARCH_LANGUAGES as readonly string[]).includes(lang);
}

export function createTextAnalyser(spec: TextAnalysisSpec): TextAnalyser {
  const compiled: CompiledThesaurus = compileThesaurus(
    spec.thesaurus.map((terms) => ({ kind: 'synonym' as const, terms: [...terms], lang: spec.lang })),
    spec.lang,
  );
  // A concept is named by its group's first phrase: stable for a given thesaurus, readable in a dump.
  const conceptNames = compiled.groups.map((phrases) => phrases[0]!.join('_'));
  return {
    spec,
    analyse(text: string): AnalysedTerms {
      const tokens = analyse(text, spec.lang);
      const stems = tokens.map((t) => t.term);
      const concepts: string[] = [];
      if (conceptNames.length > 0) {
        for (const match of matchThesaurus(
          compiled,
          stems.map((s) => [s]),
        ))
          concepts.push(conceptNames[match.group]!);
      }
      return { stems, concepts };
    },
  };
}
