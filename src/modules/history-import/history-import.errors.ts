import { defineErrors } from '../../platform/errors.js';
import type { Language } from '../../platform/messages.js';
import type { MappingIssue } from './mapping.js';

/* Errors of the historical-contacts import. Codes are part of the API contract. */

const SAVE_AS: Record<Language, string> = {
  it: 'Salvalo dal foglio di calcolo come «CSV UTF-8» (o CSV con separatore «;»).',
  en: 'Save it from the spreadsheet as “CSV UTF-8” (or CSV with “;” as separator).',
};
const delimiterName: Record<Language, (d: string) => string> = {
  it: (d) => (d === '\t' ? 'la tabulazione' : `«${d}»`),
  en: (d) => (d === '\t' ? 'the tab' : `“${d}”`),
};
const megabytes = (bytes: number) => Math.round(bytes / (1024 * 1024));
/** At most this many mapping issues are quoted in the message (all are in `errors`). */
const QUOTED_ISSUES = 5;

type Line = { line: number };

export const historyImportErrors = defineErrors('history_import', {
  importNotFound: { code: 'history_import.not_found', status: 404, it: () => 'Importazione non trovata.', en: () => 'Import not found.' },
  mappingNotFound: { code: 'history_mapping.not_found', status: 404, it: () => 'Mappatura non trovata.', en: () => 'Mapping not found.' },
  /** Thrown when the request carries no file (multipart field «file» or a CSV body). */
  fileMissing: {
    code: 'history_import.file_missing',
    status: 400,
    it: () => 'Nessun file ricevuto: invia il CSV nel campo «file» (multipart/form-data) oppure come corpo text/csv.',
    en: () => 'No file received: send the CSV in the “file” field (multipart/form-data) or as a text/csv body.',
  },
  /** Thrown when the file (or its decompressed content) exceeds the limit. */
  fileTooLarge: {
    code: 'history_import.file_too_large',
    status: 413,
    example: { maxBytes: 50 * 1024 * 1024 },
    it: (p: { maxBytes: number }) => `Il file supera il limite di ${megabytes(p.maxBytes)} MB: dividilo in più file o comprimilo con gzip.`,
    en: (p: { maxBytes: number }) => `The file exceeds the ${megabytes(p.maxBytes)} MB limit: split it into several files or compress it with gzip.`,
  },
  emptyFile: {
    code: 'history_import.empty_file',
    status: 422,
    it: () => 'Il file è vuoto: esporta di nuovo i dati dal sistema di origine.',
    en: () => 'The file is empty: export the data again from the source system.',
  },
  binaryFile: {
    code: 'history_import.binary_file',
    status: 422,
    it: () => `Il file non è un testo CSV (contiene byte binari: forse è un foglio Excel .xlsx o un PDF). ${SAVE_AS.it}`,
    en: () => `The file is not CSV text (it contains binary bytes: perhaps an Excel .xlsx sheet or a PDF). ${SAVE_AS.en}`,
  },
  utf16File: {
    code: 'history_import.unsupported_encoding',
    status: 422,
    it: () => `Il file è codificato in UTF-16, non supportato. ${SAVE_AS.it}`,
    en: () => `The file is encoded in UTF-16, which is not supported. ${SAVE_AS.en}`,
  },
  /** Thrown when the bytes are neither valid UTF-8 nor plausible Windows-1252/ISO-8859-1. */
  encodingUndecidable: {
    code: 'history_import.encoding_undecidable',
    status: 422,
    example: { line: 12 },
    it: (p: Line) =>
      `Codifica dei caratteri non riconoscibile (byte non valido alla riga ${p.line}): il file non è né UTF-8 né Windows-1252/ISO-8859-1. ${SAVE_AS.it}`,
    en: (p: Line) => `Unrecognisable character encoding (invalid byte at line ${p.line}): the file is neither UTF-8 nor Windows-1252/ISO-8859-1. ${SAVE_AS.en}`,
    members: (p: Line) => ({ line: p.line }),
  },
  badGzip: {
    code: 'history_import.bad_gzip',
    status: 422,
    it: () => 'Il file compresso (gzip) è danneggiato o incompleto: caricalo di nuovo.',
    en: () => 'The compressed (gzip) file is damaged or incomplete: upload it again.',
  },
  /** Thrown when no supported delimiter splits the file into columns. */
  singleColumn: {
    code: 'history_import.single_column',
    status: 422,
    example: { columnsBy: { ',': 1, ';': 1 } },
    it: (_p: { columnsBy: Record<string, number> }) =>
      'Il file risulta di una sola colonna: il separatore non è tra virgola, punto e virgola, tabulazione e barra verticale «|». Controlla che sia un CSV e indica il separatore corretto.',
    en: (_p: { columnsBy: Record<string, number> }) =>
      'The file has a single column: its separator is none of comma, semicolon, tab and vertical bar “|”. Check that it is a CSV and give the right separator.',
    members: (p: { columnsBy: Record<string, number> }) => ({ columnsBy: p.columnsBy }),
  },
  /** Thrown when the delimiter declared by the user yields one column (`suggestion`: one that splits the file, if any). */
  declaredDelimiterSingleColumn: {
    code: 'history_import.wrong_delimiter',
    status: 422,
    example: { declared: ',', suggestion: ';' },
    it: (p: { declared: string; suggestion: string | null }) =>
      `Con il separatore ${p.declared === '\t' ? 'tabulazione' : delimiterName.it(p.declared)} il file ha una sola colonna${p.suggestion ? `: prova con ${delimiterName.it(p.suggestion)}, che divide il file in colonne` : ''}.`,
    en: (p: { declared: string; suggestion: string | null }) =>
      `With the ${p.declared === '\t' ? 'tab separator' : `separator ${delimiterName.en(p.declared)}`} the file has a single column${p.suggestion ? `: try ${delimiterName.en(p.suggestion)}, which splits the file into columns` : ''}.`,
    members: (p: { declared: string; suggestion: string | null }) => ({ suggestion: p.suggestion }),
  },
  fieldTooLong: {
    code: 'history_import.unbalanced_quotes',
    status: 422,
    example: { line: 40 },
    it: (p: Line) => `Virgolette non chiuse a partire dalla riga ${p.line}: un campo ingloba il resto del file. Correggi le virgolette nel CSV.`,
    en: (p: Line) => `Unclosed quotes from line ${p.line}: one field swallows the rest of the file. Fix the quotes in the CSV.`,
    members: (p: Line) => ({ line: p.line }),
  },
  /** Thrown when declared column names are not among the file's columns. */
  unknownColumns: {
    code: 'history_import.unknown_column',
    status: 422,
    example: { missing: ['Data'], available: ['id', 'data_apertura'] },
    it: (p: { missing: string[]; available: string[] }) =>
      `Colonne inesistenti nel file: ${p.missing.map((m) => `«${m}»`).join(', ')}. Colonne disponibili: ${p.available.join(', ')}.`,
    en: (p: { missing: string[]; available: string[] }) =>
      `Columns not in the file: ${p.missing.map((m) => `“${m}”`).join(', ')}. Available columns: ${p.available.join(', ')}.`,
    members: (p: { missing: string[]; available: string[] }, lang) => ({
      errors: p.missing.map((m) => ({ path: 'columns', message: lang === 'en' ? `no column “${m}”` : `colonna «${m}» inesistente` })),
    }),
  },
  invalidTimeZone: {
    code: 'history_import.invalid_time_zone',
    status: 422,
    example: { zone: 'Europe/Roma' },
    it: (p: { zone: string }) => `Fuso orario «${p.zone}» sconosciuto: usa un nome IANA come Europe/Rome.`,
    en: (p: { zone: string }) => `Unknown time zone “${p.zone}”: use an IANA name such as Europe/Rome.`,
  },
  /** Thrown when dry run or commit is asked before the column roles are declared. */
  notConfigured: {
    code: 'history_import.not_configured',
    status: 409,
    it: () => 'Indica prima il ruolo delle colonne (identificativo, date, categoria).',
    en: () => 'First give the role of the columns (identifier, dates, category).',
  },
  /** Thrown when acting on an import that was already committed. */
  alreadyCommitted: {
    code: 'history_import.already_committed',
    status: 409,
    it: () => 'Questa importazione è già stata eseguita: per importare di nuovo carica di nuovo il file.',
    en: () => 'This import was already carried out: to import again, upload the file again.',
  },
  /** Thrown when changing or checking an import whose commit is running in the background. */
  commitInProgress: {
    code: 'history_import.commit_in_progress',
    status: 409,
    it: () => "L'importazione è in corso: attendi che finisca.",
    en: () => 'The import is running: wait for it to finish.',
  },
  /** Recorded (not thrown to a caller) when the commit job gives up: its retries failed or it stopped answering. */
  commitFailed: {
    code: 'history_import.commit_failed',
    status: 409,
    it: () => "L'importazione non è riuscita e nessun contatto è stato salvato: riprova; se si ripete, contatta l'assistenza.",
    en: () => 'The import failed and no contact was saved: try again; if it happens again, contact support.',
  },
  /** Thrown when a mapping refers to codes absent (or deprecated) in its taxonomy version; every issue is in `errors`. */
  invalidMapping: {
    code: 'history_mapping.invalid',
    status: 422,
    example: { issues: [{ path: 'categories[0].tema', message: 'il tema è obbligatorio per «TARI»', en: 'the topic (tema) is required for “TARI”' }] },
    it: (p: { issues: MappingIssue[] }) =>
      `Mappatura non valida: ${p.issues.slice(0, QUOTED_ISSUES).map((i) => i.message).join('; ')}${p.issues.length > QUOTED_ISSUES ? ` (e altri ${p.issues.length - QUOTED_ISSUES} problemi)` : ''}.`,
    en: (p: { issues: MappingIssue[] }) =>
      `Invalid mapping: ${p.issues.slice(0, QUOTED_ISSUES).map((i) => i.en).join('; ')}${p.issues.length > QUOTED_ISSUES ? ` (and ${p.issues.length - QUOTED_ISSUES} more problems)` : ''}.`,
    members: (p: { issues: MappingIssue[] }, lang) => ({ errors: p.issues.map((i) => ({ path: i.path, message: lang === 'en' ? i.en : i.message })) }),
  },
  unknownTaxonomyVersion: {
    code: 'history_mapping.unknown_taxonomy_version',
    status: 422,
    example: { version: '9.0.0' },
    it: (p: { version: string }) => `La versione ${p.version} della tassonomia non esiste o non è pubblicata.`,
    en: (p: { version: string }) => `Version ${p.version} of the taxonomy does not exist or is not published.`,
  },
  organisationNotFound: {
    code: 'history_import.organisation_not_found',
    status: 404,
    it: () => 'Ente non trovato o non amministrato da te.',
    en: () => 'Organisation not found, or not administered by you.',
  },
  /** Thrown when importing history for an organisation the caller does not administer. */
  forbidden: {
    code: 'auth.forbidden',
    status: 403,
    it: () => "Solo l'amministratore dell'ente (o il coordinamento di rete) può importare lo storico.",
    en: () => 'Only the organisation’s administrator (or the network coordination) can import its history.',
  },
  uploadNotCsv: {
    code: 'history_import.unsupported_media_type',
    status: 415,
    example: { type: 'application/pdf' },
    it: (p: { type: string | null }) =>
      `Tipo di contenuto «${p.type ?? 'nessuno'}» non supportato: invia multipart/form-data, text/csv, application/gzip o application/octet-stream.`,
    en: (p: { type: string | null }) =>
      `Content type “${p.type ?? 'none'}” is not supported: send multipart/form-data, text/csv, application/gzip or application/octet-stream.`,
  },
  invalidSource: {
    code: 'history_import.invalid_source',
    status: 400,
    it: () => 'Nome della fonte non valido: usa lettere minuscole, cifre e trattini (es. «municipium-2023»).',
    en: () => 'Invalid source name: use lower-case letters, digits and hyphens (e.g. “municipium-2023”).',
  },
});
