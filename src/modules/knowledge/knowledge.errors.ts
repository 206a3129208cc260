import { badRequest, notFound } from '../../platform/errors.js';

/** Thrown for unknown ids and for FAQs the caller may not read alike (no existence leak). */
export const faqNotFound = (id: string) => notFound('faq.not_found', `Nessuna FAQ con id ${id}.`);
/** Thrown when an import body contains no line at all. */
export const importEmpty = () => badRequest('faq.import_empty', 'Il file da importare è vuoto: invia righe JSON, una FAQ per riga.');
/** Thrown when a thesaurus entry does not name at least two distinct terms after normalisation. */
export const thesaurusEntryInvalid = (message: string) => badRequest('faq.thesaurus_invalid', `Voce del thesaurus non valida: ${message}`);
export const thesaurusEntryNotFound = (id: string) => notFound('faq.thesaurus_not_found', `Nessuna voce del thesaurus con id ${id}.`);
