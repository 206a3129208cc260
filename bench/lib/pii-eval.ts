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
