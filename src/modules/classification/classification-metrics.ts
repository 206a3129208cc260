/** Evaluation measures for a classifier, over gold labels and ranked predictions. */

export interface EvaluationCase {
  gold: string;
  /** Predicted labels, most likely first. */
  ranked: readonly string[];
}

export interface EvaluationSummary {
  count: number;
  accuracyAt1: number;
  accuracyAt3: number;
  macroF1: number;
}

/** Share of cases whose gold label is among the first k predictions. */
export function accuracyAtK(cases: readonly EvaluationCase[], k: number): number {
  if (cases.length === 0) return 0;
  let hits = 0;
  for (const c of cases) if (c.ranked.slice(0, k).includes(c.gold)) hits++;
  return hits / cases.length;
}

/**
 * Macro-averaged F1 of the top prediction over the labels that occur as gold or as prediction: a
 * class the model invents counts as a zero, so does a class it never finds.
 */
export function macroF1(cases: readonly EvaluationCase[]): number {
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const labels = new Set<string>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const c of cases) {
    const top = c.ranked[0];
    labels.add(c.gold);
    if (top !== undefined) labels.add(top);
    if (top === c.gold) inc(tp, c.gold);
    else {
      inc(fn, c.gold);
      if (top !== undefined) inc(fp, top);
    }
  }
  if (labels.size === 0) return 0;
  let sum = 0;
  for (const label of labels) {
    const t = tp.get(label) ?? 0;
    const denominator = 2 * t + (fp.get(label) ?? 0) + (fn.get(label) ?? 0);
    sum += denominator === 0 ? 0 : (2 * t) / denominator;
  }
  return sum / labels.size;
}

export function summarise(cases: readonly EvaluationCase[]): EvaluationSummary {
  return { count: cases.length, accuracyAt1: accuracyAtK(cases, 1), accuracyAt3: accuracyAtK(cases, 3), macroF1: macroF1(cases) };
}

/** Nearest-rank percentile (p in 0..100) of a list of numbers; 0 for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}
