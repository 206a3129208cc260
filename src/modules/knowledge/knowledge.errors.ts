import { defineErrors } from '../../platform/errors.js';

/* Errors of the FAQ corpus: reading, import, thesaurus. Codes are part of the API contract. */

type Id = { id: string };

export const knowledgeErrors = defineErrors('faq', {
  /** Thrown for unknown ids and for FAQs the caller may not read alike (no existence leak). */
  faqNotFound: {
    code: 'faq.not_found',
    status: 404,
    example: { id: '0199a1b2-0000-7000-8000-000000000001' },
    it: (p: Id) => `Nessuna FAQ con id ${p.id}.`,
    en: (p: Id) => `No FAQ with id ${p.id}.`,
  },
  /** Thrown when an import body contains no line at all. */
  importEmpty: {
    code: 'faq.import_empty',
    status: 400,
    it: () => 'Il file da importare è vuoto: invia righe JSON, una FAQ per riga.',
    en: () => 'The file to import is empty: send JSON lines, one FAQ per line.',
  },
  /** Thrown when a thesaurus entry does not name at least two distinct terms after normalisation. */
  thesaurusEntryInvalid: {
    code: 'faq.thesaurus_invalid',
    status: 400,
    it: () => 'Voce del thesaurus non valida: servono almeno due termini diversi e significativi (non solo parole vuote come «di», «la»)',
    en: () => 'Invalid thesaurus entry: it needs at least two different, meaningful terms (not only empty words such as “di”, “la”)',
  },
  thesaurusEntryNotFound: {
    code: 'faq.thesaurus_not_found',
    status: 404,
    example: { id: '42' },
    it: (p: Id) => `Nessuna voce del thesaurus con id ${p.id}.`,
    en: (p: Id) => `No thesaurus entry with id ${p.id}.`,
  },
});
