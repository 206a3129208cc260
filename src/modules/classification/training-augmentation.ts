/**
 * Turns labelled records with several text fields (title, body, description…) into training
 * examples: the fields joined, and optionally each field alone and each sentence of a longer field
 * as lighter examples of the same label.
 *
 * The extra examples are off by default: with the centroid-started classifier they did not help
 * on the FAQ queries (whole records only: accuracy@1 0.82, @3 0.95; + fields at 0.5: 0.81/0.93;
 * + sentences at 0.25: 0.81/0.95), because a centroid already averages the sentences. They remain
 * for models refined on many texts, where short examples do teach the short form.
 */
import type { TrainingExample } from './text-classifier.js';

export interface LabelledRecord {
  /** Text fields in order of importance (e.g. title, then body); blank ones are ignored. */
  fields: readonly string[];
  label: string;
}

export interface AugmentationOptions {
  /** Weight of each field on its own, when the record has more than one non-blank field. */
  fieldWeight?: number;
  /** Weight of each sentence of a field that has more than one. */
  sentenceWeight?: number;
  /** Sentences with fewer words than this carry too little to be examples on their own. */
  minSentenceWords?: number;
}

// Sentence ends: . ! ? ; : followed by space, or line breaks. Good enough for Italian and English
// prose; a wrong split only yields one more (lighter) example.
const SENTENCE_BOUNDARY = /(?<=[.!?;:])\s+|\s*[\r\n]+\s*/u;

export function splitSentences(text: string): string[] {
  return text
    .split(SENTENCE_BOUNDARY)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

export function expandTrainingExamples(records: readonly LabelledRecord[], options: AugmentationOptions = {}): TrainingExample[] {
  const fieldWeight = options.fieldWeight ?? 0;
  const sentenceWeight = options.sentenceWeight ?? 0;
  const minWords = options.minSentenceWords ?? 3;
  const out: TrainingExample[] = [];
  for (const record of records) {
    const fields = record.fields.map((f) => f.trim()).filter((f) => f !== '');
    if (fields.length === 0) continue;
    out.push({ text: fields.join('\n\n'), label: record.label });
    for (const field of fields) {
      if (fields.length > 1 && fieldWeight > 0) out.push({ text: field, label: record.label, weight: fieldWeight });
      if (sentenceWeight <= 0) continue;
      const sentences = splitSentences(field);
      if (sentences.length < 2) continue;
      for (const s of sentences) if (wordCount(s) >= minWords) out.push({ text: s, label: record.label, weight: sentenceWeight });
    }
  }
  return out;
}

/**
 * The training text of a FAQ: title, body and the editors' tags. Tags are the corpus's own
 * keywords for the topic ("TARI", "rifiuti", "avviso di pagamento"), often the short words a caller
 * uses and the body does not repeat.
 */
export function faqTrainingText(faq: { title: string; body: string; tags?: readonly string[] | null }): string {
  const tags = (faq.tags ?? []).filter((t) => typeof t === 'string' && t.trim() !== '');
  return [faq.title, faq.body, tags.join(', ')].filter((p) => p.trim() !== '').join('\n\n');
}

/** The training text of a taxonomy node: its labels and descriptions, Italian and English. */
export function taxonomyNodeTrainingText(node: { label: { it: string; en?: string | null }; description?: { it?: string | null; en?: string | null } | null }): string {
  const parts = [node.label.it, node.label.en, node.description?.it, node.description?.en];
  return parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join('\n');
}
