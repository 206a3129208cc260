import { type AppError, conflict, notFound, unprocessable } from '../../platform/errors.js';
import type { ClassificationError } from './classification.errors.js';

export const suggestionNotFound = () => notFound('classification.suggestion_not_found', 'Suggerimento non trovato: richiedi un nuovo suggerimento e riprova.');
export const facetNotSuggested = (facet: string) =>
  unprocessable('classification.facet_not_suggested', `Il suggerimento indicato non contiene la faccetta «${facet}»: registra solo le faccette suggerite.`);
export const invalidCode = (facet: string, code: string) =>
  unprocessable('classification.invalid_code', `Il codice «${code}» non è un codice attivo della faccetta «${facet}» nella tassonomia corrente.`);
export const duplicateFacet = (facet: string) => unprocessable('classification.duplicate_facet', `La faccetta «${facet}» compare più volte: indicala una volta sola.`);
export const ticketMismatch = () => conflict('classification.ticket_mismatch', 'Questo suggerimento è già stato collegato a un altro ticket.');

/** ClassificationError (training, models) → HTTP problem. */
export function toAppError(err: ClassificationError): AppError {
  switch (err.code) {
    case 'classification.training_in_progress':
      return conflict(err.code, err.message);
    default:
      return unprocessable(err.code, err.message);
  }
}
