/**
 * Word-level diff between two texts, on the `diff` package (`diffWordsWithSpace`: Myers' O((N+M)·D)
 * algorithm over word, white-space and punctuation tokens). Pure. The result lists segments in reading
 * order: concatenating the `equal` and `delete` segments gives the old text, the `equal` and `insert`
 * segments the new one.
 */
import { diffWordsWithSpace, wordsWithSpaceDiff } from 'diff';

export type DiffOp = 'equal' | 'insert' | 'delete';

export interface DiffSegment {
  op: DiffOp;
  text: string;
}

/** Beyond this many edits the middle of the texts is shown as one deletion and one insertion (bounds time and memory). */
const MAX_EDITS = 2_000;

/** The tokens the diff compares: words, runs of white space (each line break on its own) and single punctuation marks. */
export function diffTokens(text: string): string[] {
  return wordsWithSpaceDiff.tokenize(text) as string[];
}

function push(out: DiffSegment[], op: DiffOp, text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.op === op) last.text += text;
  else out.push({ op, text });
}

/** When the edit script is too long: the common prefix and suffix, and the middle as one deletion and one insertion. */
function coarseDiff(before: string, after: string): DiffSegment[] {
  const a = diffTokens(before);
  const b = diffTokens(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffSegment[] = [];
  push(out, 'equal', a.slice(0, start).join(''));
  push(out, 'delete', a.slice(start, endA).join(''));
  push(out, 'insert', b.slice(start, endB).join(''));
  push(out, 'equal', a.slice(endA).join(''));
  return out;
}

/** The word-level differences between `before` and `after`, as merged segments. */
export function diffWords(before: string, after: string, options: { maxEdits?: number } = {}): DiffSegment[] {
  const changes = diffWordsWithSpace(before, after, { maxEditLength: options.maxEdits ?? MAX_EDITS });
  if (!changes) return coarseDiff(before, after);
  const out: DiffSegment[] = [];
  for (const change of changes) push(out, change.added ? 'insert' : change.removed ? 'delete' : 'equal', change.value);
  return out;
}

/** The text a side of a diff reads: the old one (equal + delete) or the new one (equal + insert). */
export function sideOf(segments: readonly DiffSegment[], side: 'before' | 'after'): string {
  const skip: DiffOp = side === 'before' ? 'insert' : 'delete';
  return segments.filter((s) => s.op !== skip).map((s) => s.text).join('');
}
