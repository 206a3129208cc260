/**
 * Quality of the personal-data scrubber (src/platform/privacy/recogniser.ts) on the annotated
 * development corpus ../shared/data/pii/dev-corpus.jsonl (400 synthetic contact-centre texts).
 *
 * Recall, per annotated type: share of annotated entities whose characters are at least 80% covered
 * by a detected span of any type (what matters for scrubbing is that the data disappears, not the
 * label of its placeholder). Precision, per detected type: share of detected spans that overlap an
 * annotated entity. Also prints the share of texts without annotations left untouched.
 *
 *   npm run bench -- pii-scrub     or     node --import tsx bench/pii-scrub.bench.ts [--corpus=PATH | --shapes[=new-shapes-2.txt]]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluatePiiScrub, readMarkedCorpus, readPiiCorpus } from './lib/pii-eval.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = process.argv.find((a) => a.startsWith('--corpus='));
// The shared data set when it is there, else the copy the unit test uses.
const shared = path.resolve(root, '..', 'shared', 'data', 'pii', 'dev-corpus.jsonl');
const corpusPath = arg ? arg.slice('--corpus='.length) : existsSync(shared) ? shared : path.resolve(root, 'test', 'fixtures', 'pii', 'dev-corpus.jsonl');
if (!existsSync(corpusPath)) {
  process.stderr.write(`pii-scrub: corpus not found at ${corpusPath}\n`);
  process.exit(2);
}
// --shapes[=FILE]: hand-written sentences in shapes the dev corpus lacks (test/fixtures/pii/new-shapes*.txt, all by default).
const shapesArg = process.argv.find((a) => a === '--shapes' || a.startsWith('--shapes='));
const shapes = shapesArg !== undefined;
const fixtures = path.resolve(root, 'test', 'fixtures', 'pii');
const shapeFiles = shapesArg?.includes('=') ? [shapesArg.slice('--shapes='.length)] : readdirSync(fixtures).filter((f) => /^new-shapes.*\.txt$/.test(f)).sort();
const records = shapes
  ? shapeFiles.flatMap((f) => readMarkedCorpus(readFileSync(path.resolve(fixtures, f), 'utf8')))
  : readPiiCorpus(readFileSync(corpusPath, 'utf8'));
const started = performance.now();
const report = evaluatePiiScrub(records);
const ms = performance.now() - started;

const pct = (x: number) => (Number.isNaN(x) ? '   —  ' : `${(x * 100).toFixed(1).padStart(5)}%`);
process.stdout.write(`PII scrubber on ${shapes ? `test/fixtures/pii/{${shapeFiles.join(',')}}` : path.relative(process.cwd(), corpusPath)}: ${records.length} texts, ${ms.toFixed(0)} ms\n\n`);
process.stdout.write('annotated type    entities  recalled  recall\n');
for (const [type, r] of Object.entries(report.recall).sort()) {
  process.stdout.write(`${type.padEnd(16)} ${String(r.total).padStart(9)} ${String(r.found).padStart(9)}  ${pct(r.found / r.total)}\n`);
}
process.stdout.write(`${'ALL'.padEnd(16)} ${String(report.overall.total).padStart(9)} ${String(report.overall.found).padStart(9)}  ${pct(report.overall.found / report.overall.total)}\n\n`);
process.stdout.write('detected type     spans  on data  precision\n');
for (const [type, p] of Object.entries(report.precision).sort()) {
  process.stdout.write(`${type.padEnd(16)} ${String(p.detected).padStart(6)} ${String(p.correct).padStart(8)}   ${pct(p.correct / p.detected)}\n`);
}
const all = Object.values(report.precision).reduce((a, p) => ({ detected: a.detected + p.detected, correct: a.correct + p.correct }), { detected: 0, correct: 0 });
process.stdout.write(`${'ALL'.padEnd(16)} ${String(all.detected).padStart(6)} ${String(all.correct).padStart(8)}   ${pct(all.correct / all.detected)}\n\n`);
process.stdout.write(`texts without personal data left untouched: ${report.cleanUntouched}/${report.cleanTexts}\n`);
