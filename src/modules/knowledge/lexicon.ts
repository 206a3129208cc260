/**
 * A general-language Italian lexicon for the FAQ search: plain synonyms of everyday words
 * ("spazzatura" → "rifiuti", "immondizia"; "dottore" → "medico"), read from the Italian thesaurus of
 * LibreOffice as the operating system installs it (Debian/Ubuntu package `mythes-it`, MyThes format).
 * The search consults it only for query words no FAQ uses, so it bridges a citizen's words to the
 * corpus's without ever re-weighting words the FAQs share. Without the package the search works as
 * before, with the editorial thesaurus only.
 *
 * MyThes text format: a first line with the encoding, then per entry a line `word|n` followed by
 * n lines `(part of speech)|synonym|synonym…`.
 */
import { readFileSync } from 'node:fs';
import { normaliseText } from './text-analysis.js';

/** Where `apt-get install mythes-it` puts the Italian thesaurus. */
export const SYSTEM_ITALIAN_THESAURUS = '/usr/share/mythes/th_it_IT_v2.dat';

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
 * The Italian lexicon from `file` (default: the system's `mythes-it`), read once per process;
 * empty when the file is not there.
 */
export function italianLexicon(file = SYSTEM_ITALIAN_THESAURUS): Lexicon {
  if (cached?.file === file) return cached.lexicon;
  let lexicon: Lexicon = new Map();
  try {
    lexicon = parseMyThes(readFileSync(file, 'utf8'));
  } catch (error) {
    // No system thesaurus: the search uses the editorial thesaurus only.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  cached = { file, lexicon };
  return lexicon;
}
