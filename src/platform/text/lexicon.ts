/**
 * A general-language Italian lexicon for the FAQ search: plain synonyms of everyday words
 * ("spazzatura" → "rifiuti", "immondizia"; "dottore" → "medico"), read from the Italian thesaurus of
 * LibreOffice (MyThes format), shipped with urpnet in data-seed/lexicon/ (MPL-2.0, see its README).
 * The search consults it only for query words no FAQ uses, so it bridges a citizen's words to the
 * corpus's without ever re-weighting words the FAQs share. Without the file the search works as
 * before, with the editorial thesaurus only.
 *
 * MyThes text format: a first line with the encoding, then per entry a line `word|n` followed by
 * n lines `(part of speech)|synonym|synonym…`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { normaliseText } from './text-analysis.js';

/** The Italian thesaurus shipped in data-seed/ (the same path from src/ and from the compiled dist/). */
export const ITALIAN_THESAURUS = fileURLToPath(new URL('../../../data-seed/lexicon/th_it_IT_v2.dat.gz', import.meta.url));

export type Lexicon = ReadonlyMap<string, readonly string[]>;

/**
 * Normalised one-word entry → its normalised one-word synonyms (every sense, first-seen order).
 * Multi-word entries and synonyms are left out: the lexicon stands in for a single query word.
 */
export function parseMyThes(text: string): Lexicon {
  const lines = text.split('\n');
  const out = new Map<string, string[]>();
  let i = 1;
  while (i < lines.length) {
    const [head = '', n = '0'] = lines[i]!.split('|');
    const senses = Number.parseInt(n, 10) || 0;
    const word = normaliseText(head);
    const single = word !== '' && !word.includes(' ');
    const list = single ? (out.get(word) ?? []) : [];
    for (let k = 1; k <= senses && i + k < lines.length; k++) {
      if (!single) continue;
      for (const raw of lines[i + k]!.split('|').slice(1)) {
        const synonym = normaliseText(raw.replace(/\(.*?\)/g, ''));
        if (synonym !== '' && !synonym.includes(' ') && synonym !== word && !list.includes(synonym)) list.push(synonym);
      }
    }
    if (single && list.length > 0) out.set(word, list);
    i += senses + 1;
  }
  return out;
}

let cached: { file: string; lexicon: Lexicon } | null = null;

/**
 * The Italian lexicon from `file` (MyThes text, gzipped when it ends in .gz; default: the shipped
 * thesaurus), read once per process; empty when the file is not there.
 */
export function italianLexicon(file = ITALIAN_THESAURUS): Lexicon {
  if (cached?.file === file) return cached.lexicon;
  let lexicon: Lexicon = new Map();
  try {
    const bytes = readFileSync(file);
    lexicon = parseMyThes((file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'));
  } catch (error) {
    // No thesaurus file: the search uses the editorial thesaurus only.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  cached = { file, lexicon };
  return lexicon;
}
