/**
 * The project's personal-data recogniser next to @openredaction/openredaction, on the same records
 * in the same run: per-type precision, recall and F2 (a span counts when it overlaps a gold span of
 * the same type with IoU ≥ 0.5) and throughput (UTF-8 MB of input per second of detection, one
 * thread, after a warm-up pass; by wall clock and by the process's CPU time, which differ on a busy
 * machine, and for the fastest pass, the nearest to one idle core). Also prints the load average,
 * since all depend on it.
 *
 * Default: the dev corpus (../shared/data/pii/dev-corpus.jsonl, else the copy in test/fixtures),
 * then the held-out shapes test/fixtures/pii/heldout-*.txt as a second section.
 *
 *   npm run bench -- pii-compare
 *   node --import tsx bench/pii-compare.bench.ts [--corpus=PATH.jsonl] [--marked=FILE.txt]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenRedaction } from '@openredaction/openredaction';
import { detectProject, evaluateTyped, type PiiRecord, readMarkedCorpus, readPiiCorpus, type TypedSpan, typedMetrics } from './lib/pii-eval.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.resolve(root, 'test', 'fixtures', 'pii');

const sections: { name: string; records: PiiRecord[] }[] = [];
for (const a of process.argv.slice(2)) {
  if (a.startsWith('--corpus=')) {
    const file = a.slice('--corpus='.length);
    sections.push({ name: file, records: readPiiCorpus(readFileSync(file, 'utf8')) });
  } else if (a.startsWith('--marked=')) {
    const file = a.slice('--marked='.length);
    sections.push({ name: file, records: readMarkedCorpus(readFileSync(file, 'utf8')) });
  }
}
if (sections.length === 0) {
  const shared = path.resolve(root, '..', 'shared', 'data', 'pii', 'dev-corpus.jsonl');
  const dev = existsSync(shared) ? shared : path.resolve(fixtures, 'dev-corpus.jsonl');
  sections.push({ name: path.relative(process.cwd(), dev), records: readPiiCorpus(readFileSync(dev, 'utf8')) });
  const heldout = readdirSync(fixtures).filter((f) => /^heldout-.*\.txt$/.test(f)).sort();
  sections.push({
    name: `test/fixtures/pii/{${heldout.join(',')}}`,
    records: heldout.flatMap((f) => readMarkedCorpus(readFileSync(path.resolve(fixtures, f), 'utf8'))),
  });
}

/**
 * OpenRedaction's types, mapped to the corpus labels where the mapping is obvious. Anything else
 * (US ZIP codes, UK postcodes, credit cards…) stays unmapped and counts against its precision.
 */
function mapOpenRedactionType(type: string): string | undefined {
  if (type === 'NAME' || /^(?:FULL_|PERSON_)?NAME/.test(type)) return 'PERSON';
  if (type === 'EMAIL' || type.startsWith('EMAIL')) return 'EMAIL';
  if (type === 'IBAN' || type.startsWith('IBAN')) return 'IBAN';
  if (/FISCAL_CODE|CODICE_FISCALE/.test(type)) return 'FISCAL_CODE';
  if (/ITALIAN_(?:VAT|PARTITA)|VAT_(?:NUMBER|IT)|PARTITA_IVA/.test(type)) return 'VAT_CODE';
  if (/^PHONE|MOBILE|TELEPHONE/.test(type)) return 'PHONE';
  if (/^IP(?:V4|V6)?(?:_ADDRESS)?$/.test(type)) return 'IP_ADDRESS';
  if (/DATE_OF_BIRTH|^DOB/.test(type)) return 'DATE_OF_BIRTH';
  if (/LICEN[CS]E_PLATE|VEHICLE_REG/.test(type)) return 'LICENSE_PLATE';
  if (/PASSPORT|DRIVING|DRIVERS?_LICEN|IDENTITY_CARD|ID_CARD|ITALIAN_ID/.test(type)) return 'ID_DOCUMENT';
  if (/HEALTH_(?:CARD|INSURANCE)|TESSERA/.test(type)) return 'HEALTH_CARD';
  if (/ADDRESS|STREET/.test(type)) return 'ADDRESS';
  return undefined;
}

const openRedaction = new OpenRedaction();
const unmapped = new Map<string, number>();
function detectOpenRedaction(text: string): TypedSpan[] {
  return openRedaction.detect(text).detections.map((d) => {
    const mapped = mapOpenRedactionType(d.type);
    if (!mapped) unmapped.set(d.type, (unmapped.get(d.type) ?? 0) + 1);
    return { type: mapped ?? `(${d.type})`, start: d.position[0], end: d.position[1] };
  });
}

const recognisers: { name: string; detect: (text: string) => TypedSpan[] }[] = [
  { name: 'urpnet', detect: detectProject },
  { name: 'openredaction', detect: detectOpenRedaction },
];

const pct = (x: number) => (Number.isNaN(x) ? '    — ' : `${(x * 100).toFixed(1).padStart(5)}%`);
const out = (s: string) => process.stdout.write(s);

out(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs\n`);
for (const section of sections) {
  out(`\n## ${section.name}: ${section.records.length} texts\n`);
  for (const r of recognisers) {
    const texts = section.records.map((x) => x.text);
    // Warm-up: compile the regular expressions, load lazy lists, let the JIT settle.
    for (const t of texts) r.detect(t);
    unmapped.clear();
    const detections = texts.map((t) => r.detect(t));
    const unmappedInSection = [...unmapped];
    const report = evaluateTyped(section.records, detections);
    // Timed passes over the whole section until at least half a second has gone by: small sections are otherwise noise.
    let passes = 0;
    let fastest = Number.POSITIVE_INFINITY;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    do {
      const pass = performance.now();
      for (const t of texts) r.detect(t);
      fastest = Math.min(fastest, performance.now() - pass);
      passes++;
    } while (performance.now() - started < 1000 || passes < 3);
    const seconds = (performance.now() - started) / 1000 / passes;
    const cpu = process.cpuUsage(cpuStart);
    // Process CPU time as well as wall time: on a shared machine the wall clock also counts other processes' turns.
    const cpuSeconds = (cpu.user + cpu.system) / 1e6 / passes;
    out(
      `\n### ${r.name}: ${(seconds * 1000).toFixed(1)} ms per pass (${passes} passes), ${(report.bytes / 1e3).toFixed(1)} kB → ` +
        `${(report.bytes / 1e6 / seconds).toFixed(2)} MB/s wall, ${(report.bytes / 1e6 / cpuSeconds).toFixed(2)} MB/s CPU (one thread), ` +
        `fastest pass ${(report.bytes / 1e6 / (fastest / 1000)).toFixed(2)} MB/s\n`,
    );
    out('type               gold  detected  recall  precision     F2\n');
    const rows = Object.entries(report.perType).sort(([a], [b]) => a.localeCompare(b));
    for (const [type, s] of [...rows, ['ALL', report.overall] as const]) {
      const m = typedMetrics(s);
      out(`${type.padEnd(16)} ${String(s.gold).padStart(6)} ${String(s.detected).padStart(9)}  ${pct(m.recall)}   ${pct(m.precision)}  ${pct(m.f2)}\n`);
    }
    if (unmappedInSection.length > 0) {
      out(`unmapped ${r.name} types (counted as false positives): ${unmappedInSection.map(([t, n]) => `${t}×${n}`).join(', ')}\n`);
    }
  }
}
