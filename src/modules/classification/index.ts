/** Public surface of the classification module: the suggester model, its inputs and its evaluation. */
export { ClassificationError, type ClassificationErrorCode } from './classification.errors.js';
export { accuracyAtK, type EvaluationCase, type EvaluationSummary, macroF1, percentile, summarise } from './classification-metrics.js';
export { type ClassifierEvaluation, evaluateClassifier, trainFromRecords } from './classifier-evaluation.js';
export { readTabularFile, type TabularData } from './tabular-input.js';
export { normaliseText, tokenize } from './text-features.js';
export {
  deserializeModel,
  type Prediction,
  predict,
  serializeModel,
  type TextClassifierModel,
  type TrainingExample,
  type TrainOptions,
  trainClassifier,
} from './text-classifier.js';
export { expandTrainingExamples, type LabelledRecord, splitSentences } from './training-augmentation.js';
export { classifierRetrainingJob } from './retrain-scheduler.js';
