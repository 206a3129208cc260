import { defineErrors } from '../../../platform/errors.js';
import type { LineProblem } from './line-problems.js';

/* Errors of bulk onboarding (organisations, offices, people from CSV). Codes are part of the API contract. */

export type ImportKind = 'organisations' | 'offices' | 'users';

const KIND_IT: Record<ImportKind, string> = { organisations: 'enti', offices: 'uffici', users: 'persone' };
const KIND_EN: Record<ImportKind, string> = { organisations: 'bodies', offices: 'offices', users: 'people' };

const exampleProblem: LineProblem = { line: 7, code: 'overlapping_hours', message: 'orari sovrapposti il martedì: 09:00-13:00 e 12:00-15:00', en: 'overlapping opening hours on Tuesday: 09:00-13:00 and 12:00-15:00' };

export const bulkImportErrors = defineErrors('import', {
  /** Thrown when the file has no header or no bytes at all. */
  emptyFile: { code: 'import.empty_file', status: 422, it: () => 'Il file è vuoto: serve almeno la riga di intestazione.', en: () => 'The file is empty: it needs at least the header line.' },
  /** Thrown for UTF-16 files (Excel's «Unicode text»): they must be saved as CSV UTF-8 or plain CSV. */
  utf16File: {
    code: 'import.unsupported_encoding',
    status: 422,
    it: () => 'Il file è in UTF-16 («testo Unicode»): salvalo come «CSV UTF-8» oppure «CSV (delimitato da separatore)».',
    en: () => 'The file is UTF-16 (“Unicode text”): save it as “CSV UTF-8” or “CSV (comma delimited)”.',
  },
  /** Thrown when the file holds NUL bytes: a spreadsheet (.xlsx), a PDF, not a text file. */
  binaryFile: {
    code: 'import.not_text',
    status: 422,
    it: () => 'Il file non è un testo CSV (forse un foglio .xlsx): esportalo come CSV.',
    en: () => 'The file is not CSV text (perhaps an .xlsx workbook): export it as CSV.',
  },
  /** Thrown when one record grows beyond a million characters (an unbalanced quote swallowing the file). */
  recordTooLong: {
    code: 'import.record_too_long',
    status: 422,
    example: { line: 12 },
    it: (p: { line: number }) => `Alla riga ${p.line} un campo non finisce mai (virgolette aperte e mai chiuse?).`,
    en: (p: { line: number }) => `On line ${p.line} a field never ends (a quote opened and never closed?).`,
  },
  /** Thrown when the header lacks a column the import needs; nothing is read. */
  missingColumns: {
    code: 'import.missing_columns',
    status: 422,
    example: { missing: ['codice_ipa (ente)'], found: ['Codice', 'Nome'] },
    it: (p: { missing: string[]; found: string[] }) => `Mancano le colonne: ${p.missing.join(', ')}. Colonne trovate: ${p.found.join(', ') || '(nessuna)'}.`,
    en: (p: { missing: string[]; found: string[] }) => `Missing columns: ${p.missing.join(', ')}. Columns found: ${p.found.join(', ') || '(none)'}.`,
  },
  /**
   * Thrown when an all-or-nothing import finds bad lines: nothing was written. `errors` lists each
   * line with its stable code and reason; `params.problems` carries them in both languages.
   */
  badLines: {
    code: 'import.bad_lines',
    status: 422,
    example: { kind: 'offices' as ImportKind, count: 1, problems: [exampleProblem] },
    it: (p: { kind: ImportKind; count: number; problems: LineProblem[] }) =>
      `Importazione di ${KIND_IT[p.kind]} annullata, nulla è stato scritto: ${p.count === 1 ? '1 riga non valida' : `${p.count} righe non valide`}. Correggile, oppure importa solo le righe valide.`,
    en: (p: { kind: ImportKind; count: number; problems: LineProblem[] }) =>
      `Import of ${KIND_EN[p.kind]} cancelled, nothing was written: ${p.count === 1 ? '1 invalid line' : `${p.count} invalid lines`}. Fix them, or import the valid lines only.`,
    members: (p: { problems: LineProblem[] }, lang) => ({
      errors: p.problems.map((x) => ({ path: `${lang === 'en' ? 'line' : 'riga'} ${x.line}`, code: x.code, message: lang === 'en' ? x.en : x.message, params: { line: x.line } })),
    }),
  },
  /** Thrown when another import of the same kind is being written: they run one at a time. */
  inProgress: {
    code: 'import.in_progress',
    status: 409,
    example: { kind: 'users' as ImportKind },
    it: (p: { kind: ImportKind }) => `È in corso un'altra importazione di ${KIND_IT[p.kind]}: riprova quando è terminata (nulla è stato scritto).`,
    en: (p: { kind: ImportKind }) => `Another import of ${KIND_EN[p.kind]} is running: try again when it has finished (nothing was written).`,
  },
  fileMissing: {
    code: 'import.file_missing',
    status: 400,
    it: () => 'Manca il file: invialo come campo «file» (multipart) oppure come corpo text/csv.',
    en: () => 'The file is missing: send it as the “file” field (multipart) or as a text/csv body.',
  },
  /** Thrown when an organisation administrator imports without naming their organisation (a network-wide import). */
  networkScope: {
    code: 'auth.forbidden',
    status: 403,
    it: () => "Solo il coordinamento di rete importa per tutta la rete: indica l'ente (organisationId) che amministri.",
    en: () => 'Only the network coordination imports for the whole network: give the body (organisationId) you administer.',
  },
});
