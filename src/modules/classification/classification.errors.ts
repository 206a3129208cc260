export type ClassificationErrorCode =
  /** Thrown when the training set has no usable example (empty, or every text/label blank). */
  | 'classification.empty_training_set'
  /** Thrown when every usable example carries the same label: there is nothing to tell apart. */
  | 'classification.single_class'
  /** Thrown when a training example is not a {text, label} pair of strings. */
  | 'classification.invalid_example'
  /** Thrown when a serialised model is not one this version of urpnet wrote. */
  | 'classification.invalid_model'
  /** Thrown when an evaluation input cannot be read: missing file, bad encoding, bad CSV/JSON, unknown field. */
  | 'classification.invalid_input'
  /** Thrown when another server instance (or request) is already training the models. */
  | 'classification.training_in_progress';

/** An error the operator or the coordinator can act on; `message` is Italian and says what to fix. */
export class ClassificationError extends Error {
  constructor(
    readonly code: ClassificationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ClassificationError';
  }
}
