/**
 * Emerging subjects in the anonymised text (issue 14): words and two-word phrases whose share of
 * the recent contacts bursts against their share in the weeks before ("bonus" + a new name, "sito
 * non funziona"). Shares, not counts, so that a window the archive has not filled completely yet
 * does not hide or fake a burst. Pure: the caller counts documents per term.
 */
import { isStopWord } from '../../../platform/text/text-analysis.js';

export interface TermCounts {
  term: string;
  /** Documents containing the term in the recent window and in the baseline window. */
  recent: number;
  baseline: number;
}

export interface EmergingTerm extends TermCounts {
  /** Documents expected in the recent window at the term's baseline share. */
  expected: number;
  /** (recent − expected) / √expected. */
  score: number;
}

export interface EmergingOptions {
  /** At least this many recent documents… */
  minRecent?: number;
  /** …at least this many times the expected… */
  minRatio?: number;
  /** …and this score. */
  minScore?: number;
  /** At most this many terms reported. */
  limit?: number;
}

/** Placeholder words of the anonymiser ([PERSONA], [TELEFONO]…), lower-cased as the tokeniser sees them. */
const PLACEHOLDERS = new Set(['persona', 'codice_fiscale', 'telefono', 'email', 'iban', 'indirizzo', 'partita_iva', 'tessera_sanitaria', 'documento', 'targa', 'indirizzo_ip', 'codice_pratica', 'data_di_nascita']);

/** Whether a term says something: not a placeholder, not a number, not made of stop words only. */
export function meaningfulTerm(term: string): boolean {
  const words = term.split(' ');
  if (words.some((w) => PLACEHOLDERS.has(w) || w.length < 2 || /^\d+$/.test(w))) return false;
  return words.some((w) => w.length >= 3 && !isStopWord(w));
}

/**
 * The terms bursting in the recent window. `recentDocs` and `baselineDocs` are the documents in
 * each window. A word is not reported again inside a reported phrase with most of its documents.
 */
export function findEmergingTerms(counts: readonly TermCounts[], recentDocs: number, baselineDocs: number, options: EmergingOptions = {}): EmergingTerm[] {
  const minRecent = options.minRecent ?? 5;
  const minRatio = options.minRatio ?? 3;
  const minScore = options.minScore ?? 4;
  if (recentDocs === 0) return [];
  const found: EmergingTerm[] = [];
  for (const c of counts) {
    if (c.recent < minRecent || !meaningfulTerm(c.term)) continue;
    // Half a document of prior: a term never seen before is not infinitely surprising.
    const share = (c.baseline + 0.5) / Math.max(baselineDocs, 1);
    const expected = share * recentDocs;
    const score = (c.recent - expected) / Math.sqrt(expected);
    if (c.recent >= minRatio * expected && score >= minScore) found.push({ ...c, expected: Math.round(expected * 100) / 100, score: Math.round(score * 100) / 100 });
  }
  found.sort((a, b) => b.score - a.score || a.term.localeCompare(b.term));
  const out: EmergingTerm[] = [];
  for (const t of found) {
    const inPhrase = out.some((p) => p.term.includes(' ') && p.term.split(' ').includes(t.term) && p.recent >= 0.6 * t.recent);
    if (!inPhrase) out.push(t);
    if (out.length >= (options.limit ?? 20)) break;
  }
  return out;
}
