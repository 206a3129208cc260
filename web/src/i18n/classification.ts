/** Messages of the classification pages: Italian first; English must provide every key (type-checked). */
export const classificationIt = {
  'classification.suggest.title': 'Classificazione suggerita',
  'classification.suggest.hint': 'Suggerimenti calcolati dal testo: verifica prima di usarli.',
  'classification.suggest.loading': 'Calcolo i suggerimenti…',
  'classification.suggest.facet.tema': 'Tema',
  'classification.suggest.facet.tipo': 'Tipo di richiesta',
  'classification.suggest.use': 'Usa',
  'classification.suggest.confidence': 'confidenza',
  'classification.suggest.inUse': 'in uso',
  'classification.suggest.applied': '{facet} impostato: {label}.',
  'classification.suggest.updated': 'Suggerimenti di classificazione aggiornati: {tema}.',
  'classification.suggest.unavailable': 'Suggerimenti di classificazione non disponibili al momento.',
};

export const classificationEn: Record<keyof typeof classificationIt, string> = {
  'classification.suggest.title': 'Suggested classification',
  'classification.suggest.hint': 'Suggestions computed from the text: check them before using them.',
  'classification.suggest.loading': 'Computing suggestions…',
  'classification.suggest.facet.tema': 'Topic',
  'classification.suggest.facet.tipo': 'Request type',
  'classification.suggest.use': 'Use',
  'classification.suggest.confidence': 'confidence',
  'classification.suggest.inUse': 'in use',
  'classification.suggest.applied': '{facet} set: {label}.',
  'classification.suggest.updated': 'Classification suggestions updated: {tema}.',
  'classification.suggest.unavailable': 'Classification suggestions are not available right now.',
};
