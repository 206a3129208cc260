/**
 * Strips personal-data tokens from a ticket's text before it is used for training: e-mail and PEC
 * addresses, web addresses, Italian codici fiscali and partite IVA, IBANs, phone numbers and any
 * other number (house numbers, dates, protocol and practice numbers, amounts). What is left is the
 * wording of the request. Names cannot be recognised reliably; they are kept out of the stored
 * model by the trainer's minimum document frequency for private texts (a word written in fewer
 * than a few distinct tickets never becomes a feature), see `training-job.ts`.
 */

const PATTERNS: readonly RegExp[] = [
  // e-mail / PEC
  /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu,
  // URLs
  /\b(?:https?:\/\/|www\.)\S+/giu,
  // IBAN (IT60X0542811101000000123456, also with spaces every 4 characters)
  /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b/gu,
  // codice fiscale of a person (RSSMRA85T10A562S), any case
  /\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b/giu,
  // phone numbers: +39 333 123 4567, 0863-123456, (06) 1234 5678
  /(?:\+|00)?\d[\d\s./()-]{5,}\d/gu,
  // any other number, with its decimal or date separators
  /\d+(?:[.,/:-]\d+)*/gu,
];

export function stripPersonalData(text: string): string {
  let out = text;
  for (const pattern of PATTERNS) out = out.replace(pattern, ' ');
  return out.replace(/\s{2,}/g, ' ').trim();
}
