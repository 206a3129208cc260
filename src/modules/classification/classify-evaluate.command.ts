/**
 * `urpnet classify evaluate`: trains the product's classifier on one file and measures it on
 * another. Reads files and writes to the given streams; the work is in `evaluateClassifier`.
 */
import path from 'node:path';
import { SEARCH_LANGUAGES } from '../../platform/text/text-analysis.js';
import { ClassificationError } from './classification.errors.js';
import { isSearchLanguage } from './concept-analysis.js';
import { DEFAULT_ANALYSIS_LANGUAGE, seedThesaurusAnalysis } from './network-analysis.js';
import type { TrainOptions } from './text-classifier.js';
import { evaluateClassifier } from './classifier-evaluation.js';
import { fieldSelector, readTabularFile } from './tabular-input.js';
import type { LabelledRecord } from './training-augmentation.js';

export interface ClassifyEvaluateOptions {
  train: string;
  test: string;
  /** One field, or several joined with `+` (e.g. `title+body`). */
  text: string;
  label: string;
  /** Language of the stems and thesaurus concepts (default `it`, the product's); `none` = surface features only. */
  lang?: string;
  json?: boolean;
}

export interface CommandOutput {
  write(chunk: string): unknown;
}

interface LoadedRecords {
  records: LabelledRecord[];
  skipped: number;
}

function loadRecords(file: string, options: ClassifyEvaluateOptions): LoadedRecords {
  const name = path.basename(file);
  const data = readTabularFile(file);
  if (options.label.includes('+')) throw new ClassificationError('classification.invalid_input', `--label: indicare un solo campo, non «${options.label}»`);
  const textOf = fieldSelector(data, options.text, '--text', name);
  const labelOf = fieldSelector(data, options.label, '--label', name);
  const records: LabelledRecord[] = [];
  let skipped = 0;
  for (const row of data.rows) {
    const fields = textOf(row).map((t) => t.trim());
    const label = (labelOf(row)[0] ?? '').trim();
    if (label === '' || fields.every((f) => f === '')) skipped++;
    else records.push({ fields, label });
  }
  return { records, skipped };
}

/** The product's text analysis (Italian, network thesaurus) unless another language or `none` is asked. */
function evaluationTrainOptions(lang: string | undefined): TrainOptions {
  const chosen = lang ?? DEFAULT_ANALYSIS_LANGUAGE;
  if (chosen === 'none') return {};
  if (!isSearchLanguage(chosen)) throw new ClassificationError('classification.invalid_input', `--lang: lingua «${chosen}» non supportata: usare ${SEARCH_LANGUAGES.join(', ')} oppure none`);
  return { analysis: seedThesaurusAnalysis(chosen) };
}

/** Runs the evaluation; returns the process exit code (0 ok, 1 bad input). */
export function runClassifyEvaluate(options: ClassifyEvaluateOptions, stdout: CommandOutput, stderr: CommandOutput): number {
  try {
    const train = loadRecords(options.train, options);
    const test = loadRecords(options.test, options);
    for (const [file, loaded] of [[options.train, train], [options.test, test]] as const) {
      if (loaded.skipped > 0) stderr.write(`avviso: ${loaded.skipped} righe di «${path.basename(file)}» senza testo o categoria sono state ignorate\n`);
    }
    if (test.records.length === 0) throw new ClassificationError('classification.invalid_input', `«${path.basename(options.test)}» non contiene righe con testo e categoria da valutare`);
    const result = evaluateClassifier(train.records, test.records, { train: evaluationTrainOptions(options.lang) });
    const known = new Set(result.model.labels);
    const unseen = test.records.filter((r) => !known.has(r.label)).length;
    if (unseen > 0) stderr.write(`avviso: ${unseen} righe di test hanno una categoria assente dall'addestramento (contano come errori)\n`);
    if (options.json) {
      stdout.write(
        `${JSON.stringify({
          accuracy_at_1: result.accuracyAt1,
          accuracy_at_3: result.accuracyAt3,
          macro_f1: result.macroF1,
          train_seconds: result.trainSeconds,
          predict_p95_ms: result.predictP95Ms,
          train_rows: train.records.length,
          test_rows: test.records.length,
          labels: result.labels,
          skipped_rows: train.skipped + test.skipped,
        })}\n`,
      );
    } else {
      stdout.write(
        [
          `addestramento: ${train.records.length} righe, ${result.labels} categorie, ${result.trainSeconds.toFixed(2)} s`,
          `test: ${test.records.length} righe`,
          `accuratezza@1: ${result.accuracyAt1.toFixed(4)}`,
          `accuratezza@3: ${result.accuracyAt3.toFixed(4)}`,
          `macro-F1: ${result.macroF1.toFixed(4)}`,
          `latenza di previsione p95: ${result.predictP95Ms.toFixed(3)} ms`,
          '',
        ].join('\n'),
      );
    }
    return 0;
  } catch (err) {
    if (err instanceof ClassificationError) {
      stderr.write(`errore: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/** The commander action: same as `runClassifyEvaluate`, on the process's streams and exit code. */
export function classifyEvaluateAction(options: ClassifyEvaluateOptions): void {
  process.exitCode = runClassifyEvaluate(options, process.stdout, process.stderr);
}
