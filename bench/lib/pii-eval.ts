/**
 * Evaluation of the personal-data scrubber against an annotated corpus (format of
 * ../shared/data/pii/README.md). Shared by bench/pii-scrub.bench.ts and the unit test that holds
 * the recall floors.
 */
import { detectPii, type PiiSpan } from '../../src/platform/privacy/index.js';

export interface PiiRecord {
  id: string;
  text: string;
  entities: { type: string; start16: number; end16: number; value: string }[];
}

export function readPiiCorpus(content: string): PiiRecord[] {
  return content
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as PiiRecord);
}

/**
 * Hand-written texts with inline marks, one per line: `sono {PERSON:Anna Neri}, tel. {PHONE:333 1234567}`.
 * Lines starting with `#` and blank lines are skipped.
 */
export function readMarkedCorpus(content: string): PiiRecord[] {
  const records: PiiRecord[] = [];
  for (const [i, line] of content.split('\n').entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    let text = '';
    const entities: PiiRecord['entities'] = [];
    let last = 0;
    for (const m of line.matchAll(/\{([A-Z_]+):([^}]*)\}/g)) {
      text += line.slice(last, m.index);
      entities.push({ type: m[1]!, start16: text.length, end16: text.length + m[2]!.length, value: m[2]! });
      text += m[2]!;
      last = (m.index ?? 0) + m[0].length;
    }
    text += line.slice(last);
    records.push({ id: `line-${i + 1}`, text, entities });
  }
  return records;
}

export interface PiiReport {
  recall: Record<string, { total: number; found: number }>;
  precision: Record<string, { detected: number; correct: number }>;
  overall: { total: number; found: number };
  cleanTexts: number;
  cleanUntouched: number;
}

/** Share of [start, end) covered by the spans. */
function covered(spans: readonly PiiSpan[], start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (spans.some((s) => s.start <= i && i < s.end)) n++;
  return end > start ? n / (end - start) : 0;
}

/** An entity counts as found when at least 80% of its characters are inside detected spans, whatever their type. */
export function evaluatePiiScrub(records: readonly PiiRecord[]): PiiReport {
  const report: PiiReport = { recall: {}, precision: {}, overall: { total: 0, found: 0 }, cleanTexts: 0, cleanUntouched: 0 };
  for (const r of records) {
    const spans = detectPii(r.text);
    for (const e of r.entities) {
      const entry = report.recall[e.type] ?? { total: 0, found: 0 };
      report.recall[e.type] = entry;
      const found = covered(spans, e.start16, e.end16) >= 0.8;
      entry.total++;
      report.overall.total++;
      if (found) {
        entry.found++;
        report.overall.found++;
      }
    }
    for (const s of spans) {
      const entry = report.precision[s.type] ?? { detected: 0, correct: 0 };
      report.precision[s.type] = entry;
      entry.detected++;
      if (r.entities.some((e) => s.start < e.end16 && e.start16 < s.end)) entry.correct++;
    }
    if (r.entities.length === 0) {
      report.cleanTexts++;
      if (spans.length === 0) report.cleanUntouched++;
    }
  }
  return report;
}

/** A detected span of any recogniser, its type already mapped to the corpus labels (or left as is when unmapped). */
export interface TypedSpan {
  type: string;
  start: number;
  end: number;
}

export interface TypedScore {
  /** Gold entities of the type. */
  gold: number;
  /** Detected spans of the type. */
  detected: number;
  /** Gold entities matched by a detected span of the same type (IoU ≥ 0.5). */
  truePositives: number;
  /** Detected spans matching a gold entity of the same type. */
  correct: number;
}

export interface TypedReport {
  perType: Record<string, TypedScore>;
  overall: TypedScore;
  /** UTF-8 bytes of the texts. */
  bytes: number;
}

function iou(a: { start: number; end: number }, b: { start: number; end: number }): number {
  const inter = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  if (inter <= 0) return 0;
  return inter / (Math.max(a.end, b.end) - Math.min(a.start, b.start));
}

/**
 * Typed scores: a detected span counts when it overlaps a gold entity OF THE SAME TYPE with
 * intersection over union ≥ 0.5 (so "Mario" for "Mario Rossi" counts, "Rossi" for a whole address
 * does not). `detections` are per record, in the order of `records`. Types the corpus does not
 * label (e.g. TICKET_CODE) are scored as detected spans only: they lower precision.
 */
export function evaluateTyped(records: readonly PiiRecord[], detections: readonly (readonly TypedSpan[])[]): TypedReport {
  const perType: Record<string, TypedScore> = {};
  const entry = (type: string) => {
    perType[type] ??= { gold: 0, detected: 0, truePositives: 0, correct: 0 };
    return perType[type];
  };
  let bytes = 0;
  records.forEach((r, i) => {
    bytes += Buffer.byteLength(r.text, 'utf8');
    const spans = detections[i] ?? [];
    for (const e of r.entities) {
      const score = entry(e.type);
      score.gold++;
      const gold = { start: e.start16, end: e.end16 };
      if (spans.some((s) => s.type === e.type && iou(s, gold) >= 0.5)) score.truePositives++;
    }
    for (const s of spans) {
      const score = entry(s.type);
      score.detected++;
      if (r.entities.some((e) => e.type === s.type && iou(s, { start: e.start16, end: e.end16 }) >= 0.5)) score.correct++;
    }
  });
  const overall: TypedScore = { gold: 0, detected: 0, truePositives: 0, correct: 0 };
  for (const s of Object.values(perType)) {
    overall.gold += s.gold;
    overall.detected += s.detected;
    overall.truePositives += s.truePositives;
    overall.correct += s.correct;
  }
  return { perType, overall, bytes };
}

/** Recall, precision and F2 (recall weighted twice: a leak costs more than a redacted word). */
export function typedMetrics(s: TypedScore): { recall: number; precision: number; f2: number } {
  const recall = s.gold > 0 ? s.truePositives / s.gold : Number.NaN;
  const precision = s.detected > 0 ? s.correct / s.detected : Number.NaN;
  const f2 = recall + precision > 0 && !Number.isNaN(recall) && !Number.isNaN(precision) ? (5 * precision * recall) / (4 * precision + recall) : Number.NaN;
  return { recall, precision, f2 };
}

/** The project's recogniser as a typed detector. */
export function detectProject(text: string): TypedSpan[] {
  return detectPii(text);
}
