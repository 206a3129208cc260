/**
 * Personal data in Italian text: one recogniser (`recogniser.ts`), used by FAQ gaps and drafts,
 * similar tickets, incidents, classifier training and later the archive. No tables, no I/O.
 */
export {
  detectPii, PII_PLACEHOLDERS, PII_TYPES, type PiiSpan, type PiiType, type ScrubOptions, redactSpans, scrubPii, stripPersonalData, validVatNumber,
} from './recogniser.js';
export { type AnonymizeOptions, type AnonymizeSummary, anonymizeStream } from './anonymize-stream.js';
