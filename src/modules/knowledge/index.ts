/** Public surface of the knowledge (shared FAQ) module. */
export { registerKnowledgeRoutes } from './knowledge.routes.js';
export { exportFaqs, getFaq, importFaqs, type FaqExportRecord, type ImportReport } from './knowledge.service.js';
export { createFaqSearchEngine, type FaqSearchEngine, type FaqSearchRequest, type FaqSearchResult } from './faq-search.js';
export { SEARCH_LANGUAGES, type SearchLanguage } from './text-analysis.js';
export { analyse as analyseText, normaliseText, stemWord } from './text-analysis.js';
export { italianLexicon, type Lexicon } from './lexicon.js';
export { type CompiledThesaurus, compileThesaurus, matchThesaurus } from './thesaurus.js';
