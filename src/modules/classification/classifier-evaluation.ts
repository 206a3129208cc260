/**
 * Train-then-test with the product's own training path (augmentation + classifier), timing both
 * halves. Shared by `urpnet classify evaluate` and the benchmark so they measure the same thing.
 */
import { performance } from 'node:perf_hooks';
import { type EvaluationCase, type EvaluationSummary, percentile, summarise } from './classification-metrics.js';
import { predict, type TextClassifierModel, type TrainOptions, trainClassifier } from './text-classifier.js';
import { type AugmentationOptions, expandTrainingExamples, type LabelledRecord } from './training-augmentation.js';

const WARM_UP_PREDICTIONS = 20;

export interface ClassifierEvaluation extends EvaluationSummary {
  trainSeconds: number;
  predictP95Ms: number;
  trainingRecords: number;
  trainingExamples: number;
  labels: number;
  model: TextClassifierModel;
  cases: EvaluationCase[];
}

export interface EvaluationOptions {
  train?: TrainOptions;
  augmentation?: AugmentationOptions;
}

/** The model the product trains from labelled records (tickets, FAQs, imported contacts). */
export function trainFromRecords(records: readonly LabelledRecord[], options: EvaluationOptions = {}): { model: TextClassifierModel; examples: number } {
  const examples = expandTrainingExamples(records, options.augmentation);
  return { model: trainClassifier(examples, options.train), examples: examples.length };
}

export function evaluateClassifier(train: readonly LabelledRecord[], test: readonly LabelledRecord[], options: EvaluationOptions = {}): ClassifierEvaluation {
  const started = performance.now();
  const { model, examples } = trainFromRecords(train, options);
  const trainSeconds = (performance.now() - started) / 1000;
  // A few untimed predictions first: the product answers from a warm process, and the first
  // calls would otherwise time the JIT compiler rather than the model.
  for (const record of test.slice(0, WARM_UP_PREDICTIONS)) predict(model, record.fields.join('\n\n'), 3);
  const latencies: number[] = [];
  const cases: EvaluationCase[] = [];
  for (const record of test) {
    const text = record.fields.join('\n\n');
    const t0 = performance.now();
    const ranked = predict(model, text, 3);
    latencies.push(performance.now() - t0);
    cases.push({ gold: record.label, ranked: ranked.map((r) => r.label) });
  }
  return {
    ...summarise(cases),
    trainSeconds,
    predictP95Ms: percentile(latencies, 95),
    trainingRecords: train.length,
    trainingExamples: examples,
    labels: model.labels.length,
    model,
    cases,
  };
}
