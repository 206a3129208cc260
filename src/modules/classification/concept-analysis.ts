/**
 * The language-aware half of the classifier's features: content words stemmed (stop words out)
 * and the concepts of the network thesaurus found in the text. A citizen writes "tassa sulla
 * spazzatura", the FAQ says "TARI": both become the same concept feature, on the training side and
 * on the query side alike. Reuses the FAQ search's analysis (same normaliser, stop words, Snowball
 * stemmer, thesaurus matcher), read-only. The thesaurus a model was trained with is stored with the
 * model, so a later edit of the thesaurus never changes what an existing model sees.
 */
import { italianLexicon, type Lexicon } from '../../platform/text/lexicon.js';
import { analyse, SEARCH_LANGUAGES, type SearchLanguage, stemWord } from '../../platform/text/text-analysis.js';
import { type CompiledThesaurus, compileThesaurus, matchThesaurus } from '../../platform/text/thesaurus.js';
import type { AnalysedTerms } from './text-features.js';

export interface TextAnalysisSpec {
  /** Language of the stop words and stemmer (`it` for the network; others degrade gracefully). */
  lang: SearchLanguage;
  /** Groups of equivalent phrases (as written by the editorial board). */
  thesaurus: readonly (readonly string[])[];
}

export interface TextAnalyser {
  readonly spec: TextAnalysisSpec;
  /**
   * Stems and concepts of a text. With `isKnownStem` (a trained model's vocabulary), a word the
   * model never saw also stands for its general-language synonyms the model knows
   * ("spazzatura" → "rifiuti"), so that a caller's everyday word meets the FAQs' word.
   */
  analyse(text: string, isKnownStem?: (stem: string) => boolean): AnalysedTerms;
}

export function isSearchLanguage(lang: unknown): lang is SearchLanguage {
  return typeof lang === 'string' && (SEARCH_LANGUAGES as readonly string[]).includes(lang);
}

/**
 * `lexicon`: general-language synonyms used at prediction time only (default: the system's Italian
 * thesaurus for `it`, see knowledge/lexicon.ts). Not part of the stored spec: it only ever stands in
 * for words a model does not know, so it never changes what the model learnt.
 */
export function createTextAnalyser(spec: TextAnalysisSpec, lexicon: Lexicon = spec.lang === 'it' ? italianLexicon() : new Map()): TextAnalyser {
  const compiled: CompiledThesaurus = compileThesaurus(
    spec.thesaurus.map((terms) => ({ kind: 'synonym' as const, terms: [...terms], lang: spec.lang })),
    spec.lang,
  );
  // A concept is named by its group's first phrase: stable for a given thesaurus, readable in a dump.
  const conceptNames = compiled.groups.map((phrases) => phrases[0]!.join('_'));
  return {
    spec,
    analyse(text: string, isKnownStem?: (stem: string) => boolean): AnalysedTerms {
      const tokens = analyse(text, spec.lang);
      const stems = tokens.map((t) => t.term);
      // Per position, the stem and, for a word the model does not know, its known synonyms' stems.
      const positions: string[][] = stems.map((s) => [s]);
      if (isKnownStem && lexicon.size > 0) {
        tokens.forEach((t, i) => {
          if (isKnownStem(t.term)) return;
          for (const synonym of lexicon.get(t.word) ?? []) {
            const stem = stemWord(synonym, spec.lang);
            if (isKnownStem(stem) && !positions[i]!.includes(stem)) {
              positions[i]!.push(stem);
              stems.push(stem);
            }
          }
        });
      }
      const concepts: string[] = [];
      if (conceptNames.length > 0) for (const match of matchThesaurus(compiled, positions)) concepts.push(conceptNames[match.group]!);
      return { stems, concepts };
    },
  };
}
