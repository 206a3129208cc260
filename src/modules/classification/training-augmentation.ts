/**
 * Turns labelled records with several text fields (title, body, description…) into training
 * examples. Besides the whole record, each field alone and each sentence of a longer field become
 * lighter examples of the same label: people write one short sentence, the archive has
 * paragraphs, and a model that has seen the paragraph split into sentences matches the short form
 * much better.
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
  const fieldWeight = options.fieldWeight ?? 0.5;
  const sentenceWeight = options.sentenceWeight ?? 0.5;
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
