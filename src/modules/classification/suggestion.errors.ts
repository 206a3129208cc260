import { type AppError, defineErrors } from '../../platform/errors.js';
import type { ClassificationError, ClassificationErrorCode } from './classification.errors.js';

/* Errors of classification suggestions, feedback and training over HTTP. Codes are part of the API contract. */

type Facet = { facet: string };

export const suggestionErrors = defineErrors('classification', {
  suggestionNotFound: {
    code: 'classification.suggestion_not_found',
    status: 404,
    it: () => 'Suggerimento non trovato: richiedi un nuovo suggerimento e riprova.',
    en: () => 'Suggestion not found: ask for a new suggestion and try again.',
  },
  facetNotSuggested: {
    code: 'classification.facet_not_suggested',
    status: 422,
    example: { facet: 'tema' },
    it: (p: Facet) => `Il suggerimento indicato non contiene la faccetta «${p.facet}»: registra solo le faccette suggerite.`,
    en: (p: Facet) => `The given suggestion does not contain the facet “${p.facet}”: record only the suggested facets.`,
  },
  invalidCode: {
    code: 'classification.invalid_code',
    status: 422,
    example: { facet: 'tema', code: 'tributi.xyz' },
    it: (p: Facet & { code: string }) => `Il codice «${p.code}» non è un codice attivo della faccetta «${p.facet}» nella tassonomia corrente.`,
    en: (p: Facet & { code: string }) => `“${p.code}” is not an active code of the facet “${p.facet}” in the current taxonomy.`,
  },
  duplicateFacet: {
    code: 'classification.duplicate_facet',
    status: 422,
    example: { facet: 'tema' },
    it: (p: Facet) => `La faccetta «${p.facet}» compare più volte: indicala una volta sola.`,
    en: (p: Facet) => `The facet “${p.facet}” appears more than once: give it only once.`,
  },
  ticketMismatch: {
    code: 'classification.ticket_mismatch',
    status: 409,
    it: () => 'Questo suggerimento è già stato collegato a un altro ticket.',
    en: () => 'This suggestion is already linked to another ticket.',
  },
  /** Thrown when training is asked while another instance (or request) is training. */
  trainingInProgress: {
    code: 'classification.training_in_progress',
    status: 409,
    it: () => 'Un addestramento del classificatore è già in corso: attendi che finisca e riprova.',
    en: () => 'The classifier is already being trained: wait for it to finish and try again.',
  },
  emptyTrainingSet: {
    code: 'classification.empty_training_set',
    status: 422,
    it: () => 'Nessun esempio utilizzabile per addestrare il classificatore: servono testi e categorie non vuoti.',
    en: () => 'There is no usable example to train the classifier: its texts and categories must not be empty.',
  },
  singleClass: {
    code: 'classification.single_class',
    status: 422,
    it: () => 'Servono almeno due categorie diverse per addestrare il classificatore.',
    en: () => 'Training the classifier needs at least two different categories.',
  },
  invalidExample: {
    code: 'classification.invalid_example',
    status: 422,
    it: () => 'Un esempio di addestramento non è valido: servono «text» e «label» di tipo testo e un peso positivo.',
    en: () => 'A training example is not valid: it needs a “text” and a “label” string, and a positive weight.',
  },
  invalidModel: {
    code: 'classification.invalid_model',
    status: 422,
    it: () => 'Il modello del classificatore salvato non è valido per questa versione di urpnet: addestra di nuovo i modelli.',
    en: () => 'The stored classifier model is not valid for this version of urpnet: train the models again.',
  },
  invalidInput: {
    code: 'classification.invalid_input',
    status: 422,
    it: () => 'I dati di valutazione non sono leggibili.',
    en: () => 'The evaluation input cannot be read.',
  },
});

const BY_CODE: Record<ClassificationErrorCode, () => AppError> = {
  'classification.training_in_progress': suggestionErrors.trainingInProgress,
  'classification.empty_training_set': suggestionErrors.emptyTrainingSet,
  'classification.single_class': suggestionErrors.singleClass,
  'classification.invalid_example': suggestionErrors.invalidExample,
  'classification.invalid_model': suggestionErrors.invalidModel,
  'classification.invalid_input': suggestionErrors.invalidInput,
};

/**
 * ClassificationError (training, models) → HTTP problem, by its typed code. Its own message (Italian,
 * written for the command line and the logs) stays in the logs: the catalogue says it in both languages.
 */
export function toAppError(err: ClassificationError): AppError {
  return BY_CODE[err.code]();
}
