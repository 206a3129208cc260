/**
 * Word-level diff between two texts (Myers' O((N+M)·D) algorithm over word, space and punctuation
 * tokens). Pure. The result lists segments in reading order: concatenating the `equal` and `delete`
 * segments gives the old text, the `equal` and `insert` segments the new one.
 */
export type DiffOp = 'equal' | 'insert' | 'delete';

export interface DiffSegment {
  op: DiffOp;
  text: string;
}

/** Beyond this many edits the middle of the texts is shown as one deletion and one insertion (bounds time and memory). */
const MAX_EDITS = 2_000;

/** Words, runs of white space and single punctuation marks. */
export function diffTokens(text: string): string[] {
  return text.match(/[\p{L}\p{N}_]+|\s+|[^\p{L}\p{N}_\s]/gu) ?? [];
}

function push(out: DiffSegment[], op: DiffOp, text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.op === op) last.text += text;
  else out.push({ op, text });
}

/** Myers' shortest edit script of `a` into `b`, as (op, token) steps in order; null when it needs more than `maxEdits`. */
function shortestEdit(a: readonly string[], b: readonly string[], maxEdits: number): [DiffOp, string][] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return null;
  const steps: [DiffOp, string][] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d]!;
    // prev holds v for k in [-d-1, d+1] at index k + d + 1.
    const at = (k: number) => prev[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      steps.push(['equal', a[x - 1]!]);
      x--;
      y--;
    }
    if (prevK === k + 1) steps.push(['insert', b[prevY]!]);
    else steps.push(['delete', a[prevX]!]);
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    steps.push(['equal', a[x - 1]!]);
    x--;
    y--;
  }
  return steps.reverse();
}

/** The word-level differences between `before` and `after`, as merged segments. */
export function diffWords(before: string, after: string, options: { maxEdits?: number } = {}): DiffSegment[] {
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
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  const steps = shortestEdit(middleA, middleB, options.maxEdits ?? MAX_EDITS);
  if (steps) {
    for (const [op, token] of steps) push(out, op, token);
  } else {
    push(out, 'delete', middleA.join(''));
    push(out, 'insert', middleB.join(''));
  }
  push(out, 'equal', a.slice(endA).join(''));
  return out;
}

/** The text a side of a diff reads: the old one (equal + delete) or the new one (equal + insert). */
export function sideOf(segments: readonly DiffSegment[], side: 'before' | 'after'): string {
  const skip: DiffOp = side === 'before' ? 'insert' : 'delete';
  return segments.filter((s) => s.op !== skip).map((s) => s.text).join('');
}
