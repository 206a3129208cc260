/** Public surface of the knowledge (shared FAQ) module. */
export { registerKnowledgeRoutes } from './knowledge.routes.js';
export { exportFaqs, getFaq, importFaqs, type FaqExportRecord, type ImportReport } from './knowledge.service.js';
export { publishedFaqLabels, thesaurusTermGroups } from './knowledge.repository.js';
export { createFaqSearchEngine, type FaqSearchEngine, type FaqSearchRequest, type FaqSearchResult } from './faq-search.js';
export { eraseValuesFromFaqTexts, faqTextsMentioning, forgetPortalQueriesBefore } from './personal-data.js';
export { deflection, type DeflectionReport, deflectionTotals, recordPortalEvent } from './faq-feedback.service.js';
