/**
 * The editorial board's thesaurus of public-administration synonyms and acronyms, compiled for the
 * search: every entry is a group of equivalent phrases ("TARI", "tassa rifiuti", "tassa sulla
 * spazzatura"); a query phrase that matches one phrase of a group is expanded to the others.
 * Phrases are compared after the same analysis as documents (normalised, stop words out, stemmed),
 * so "tassa sulla spazzatura" and "tasse spazzatura" meet. Pure, no I/O.
 */
import { analyseTerms, type SearchLanguage } from './text-analysis.js';

export const THESAURUS_KINDS = ['synonym', 'acronym'] as const;
export type ThesaurusKind = (typeof THESAURUS_KINDS)[number];

export interface ThesaurusEntry {
  kind: ThesaurusKind;
  /** Equivalent phrases, as the editorial board wrote them. */
  terms: string[];
  lang: SearchLanguage;
}

export interface CompiledThesaurus {
  /** Per group, its phrases as index-term sequences (deduplicated, empty ones dropped). */
  readonly groups: readonly (readonly (readonly string[])[])[];
  /** First term of a phrase → the phrases starting with it, with their group. */
  readonly byFirstTerm: ReadonlyMap<string, readonly { group: number; terms: readonly string[] }[]>;
  /** Every term that appears in some phrase (not typo-corrected: the thesaurus knows it). */
  readonly knownTerms: ReadonlySet<string>;
  /** Surface words of the phrases, for the typo-correction vocabulary. */
  readonly words: ReadonlySet<string>;
}

export function compileThesaurus(entries: readonly ThesaurusEntry[], lang: SearchLanguage = 'it'): CompiledThesaurus {
  const groups: string[][][] = [];
  const byFirstTerm = new Map<string, { group: number; terms: string[] }[]>();
  const knownTerms = new Set<string>();
  const words = new Set<string>();
  for (const entry of entries) {
    if (entry.lang !== lang) continue;
    const seen = new Set<string>();
    const phrases: string[][] = [];
    for (const raw of entry.terms) {
      const terms = analyseTerms(raw, lang);
      const key = terms.join(' ');
      if (terms.length === 0 || seen.has(key)) continue;
      seen.add(key);
      phrases.push(terms);
      for (const w of raw.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().split(/[^a-z0-9]+/)) if (w.length >= 3) words.add(w);
    }
    if (phrases.length < 2) continue;
    const group = groups.length;
    groups.push(phrases);
    for (const terms of phrases) {
      for (const t of terms) knownTerms.add(t);
      const first = terms[0]!;
      const list = byFirstTerm.get(first) ?? [];
      list.push({ group, terms });
      byFirstTerm.set(first, list);
    }
  }
  return { groups, byFirstTerm, knownTerms, words };
}

export interface ThesaurusMatch {
  /** Positions [start, end) in the query's term sequence. */
  start: number;
  end: number;
  group: number;
  /** The other phrases of the group: what the matched phrase expands to. */
  alternatives: readonly (readonly string[])[];
}

/**
 * Every phrase of the thesaurus found in the query (overlaps allowed). Each query position holds
 * the term typed and the single-term variants already known for it (typo corrections, one-word
 * synonyms), so that "risultati degli esami" also matches the phrase "risultati delle analisi".
 */
export function matchThesaurus(thesaurus: CompiledThesaurus, positions: readonly (readonly string[])[]): ThesaurusMatch[] {
  const matches: ThesaurusMatch[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < positions.length; i++) {
    for (const first of positions[i]!) {
      for (const candidate of thesaurus.byFirstTerm.get(first) ?? []) {
        const n = candidate.terms.length;
        if (i + n > positions.length) continue;
        let ok = true;
        for (let k = 1; k < n && ok; k++) ok = positions[i + k]!.includes(candidate.terms[k]!);
        if (!ok) continue;
        const key = `${i}:${i + n}:${candidate.group}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const phrase = candidate.terms.join(' ');
        const alternatives = thesaurus.groups[candidate.group]!.filter((p) => p.join(' ') !== phrase);
        matches.push({ start: i, end: i + n, group: candidate.group, alternatives });
      }
    }
  }
  return matches;
}
