/**
 * How an inbox search text is read as a requester: words of a name or e-mail, a phone number as
 * dictated, a codice fiscale. Pure; the normalisation mirrors the `requesters_search_columns`
 * trigger of migration 0015 (lower case without accents; phone digits without +39/0039).
 */

export interface RequesterSearch {
  /** Every word must occur in the name or e-mail (substrings, so a surname or half an e-mail do). */
  words: string[];
  /** At least 6 digits: matched anywhere in the phone number. */
  phoneDigits: string | null;
  /** A whole codice fiscale (16 characters) or a company's 11-digit one: matched exactly. */
  fiscalCode: string | null;
}

/** Trigram indexes need 3 characters to narrow anything: shorter searches do not look at names. */
const MIN_WORD_SEARCH = 3;
const MIN_PHONE_DIGITS = 6;

export function normaliseForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function parseRequesterSearch(text: string): RequesterSearch | null {
  const trimmed = text.trim();
  const words = normaliseForSearch(trimmed).split(/\s+/).filter((w) => w !== '');
  const nameWords = words.some((w) => w.length >= MIN_WORD_SEARCH) ? words : [];
  let phoneDigits: string | null = null;
  if (/^[\d\s+().\-/]+$/.test(trimmed)) {
    const digits = trimmed.replace(/^\s*(\+|00)\s*39/, '').replace(/\D/g, '');
    if (digits.length >= MIN_PHONE_DIGITS) phoneDigits = digits;
  }
  const compact = trimmed.replace(/\s/g, '').toUpperCase();
  const fiscalCode = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(compact) || /^\d{11}$/.test(compact) ? compact : null;
  if (nameWords.length === 0 && !phoneDigits && !fiscalCode) return null;
  return { words: nameWords, phoneDigits, fiscalCode };
}
