import { AppError, badRequest, conflict, notFound, unprocessable } from '../../platform/errors.js';

/* Errors of the historical-contacts import. Codes are part of the API contract. */

const SAVE_AS = 'Salvalo dal foglio di calcolo come «CSV UTF-8» (o CSV con separatore «;»).';

export const importNotFound = () => notFound('history_import.not_found', 'Importazione non trovata.');
export const mappingNotFound = () => notFound('history_mapping.not_found', 'Mappatura non trovata.');
/** Thrown when the request carries no file (multipart field «file» or a CSV body). */
export const fileMissing = () =>
  badRequest('history_import.file_missing', 'Nessun file ricevuto: invia il CSV nel campo «file» (multipart/form-data) oppure come corpo text/csv.');
/** Thrown when the file (or its decompressed content) exceeds the limit. */
export const fileTooLarge = (max: number) =>
  new AppError(413, 'history_import.file_too_large', `Il file supera il limite di ${Math.round(max / (1024 * 1024))} MB: dividilo in più file o comprimilo con gzip.`);
export const emptyFile = () => unprocessable('history_import.empty_file', 'Il file è vuoto: esporta di nuovo i dati dal sistema di origine.');
export const binaryFile = () =>
  unprocessable('history_import.binary_file', `Il file non è un testo CSV (contiene byte binari: forse è un foglio Excel .xlsx o un PDF). ${SAVE_AS}`);
export const utf16File = () => unprocessable('history_import.unsupported_encoding', `Il file è codificato in UTF-16, non supportato. ${SAVE_AS}`);
/** Thrown when the bytes are neither valid UTF-8 nor plausible Windows-1252/ISO-8859-1. */
export const encodingUndecidable = (line: number) =>
  unprocessable(
    'history_import.encoding_undecidable',
    `Codifica dei caratteri non riconoscibile (byte non valido alla riga ${line}): il file non è né UTF-8 né Windows-1252/ISO-8859-1. ${SAVE_AS}`,
    { line },
  );
export const badGzip = () => unprocessable('history_import.bad_gzip', 'Il file compresso (gzip) è danneggiato o incompleto: caricalo di nuovo.');
/** Thrown when no supported delimiter splits the file into columns. */
export const singleColumn = (columnsBy: Record<string, number>) =>
  unprocessable(
    'history_import.single_column',
    'Il file risulta di una sola colonna: il separatore non è tra virgola, punto e virgola, tabulazione e barra verticale «|». Controlla che sia un CSV e indica il separatore corretto.',
    { columnsBy },
  );
/** Thrown when the delimiter declared by the user yields one column. */
export const declaredDelimiterSingleColumn = (declared: string, suggestion: string | null) =>
  unprocessable(
    'history_import.wrong_delimiter',
    `Con il separatore ${declared} il file ha una sola colonna${suggestion ? `: prova con ${suggestion === '\t' ? 'la tabulazione' : `«${suggestion}»`}, che divide il file in colonne` : ''}.`,
    { suggestion },
  );
export const fieldTooLong = (line: number) =>
  unprocessable('history_import.unbalanced_quotes', `Virgolette non chiuse a partire dalla riga ${line}: un campo ingloba il resto del file. Correggi le virgolette nel CSV.`, { line });
/** Thrown when declared column names are not among the file's columns. */
export const unknownColumns = (missing: string[], available: string[]) =>
  unprocessable('history_import.unknown_column', `Colonne inesistenti nel file: ${missing.map((m) => `«${m}»`).join(', ')}. Colonne disponibili: ${available.join(', ')}.`, {
    errors: missing.map((m) => ({ path: 'columns', message: `colonna «${m}» inesistente` })),
  });
export const invalidTimeZone = (zone: string) => unprocessable('history_import.invalid_time_zone', `Fuso orario «${zone}» sconosciuto: usa un nome IANA come Europe/Rome.`);
/** Thrown when dry run or commit is asked before the column roles are declared. */
export const notConfigured = () => conflict('history_import.not_configured', 'Indica prima il ruolo delle colonne (identificativo, date, categoria).');
/** Thrown when acting on an import that was already committed. */
export const alreadyCommitted = () => conflict('history_import.already_committed', 'Questa importazione è già stata eseguita: per importare di nuovo carica di nuovo il file.');
/** Thrown when changing or checking an import whose commit is running in the background. */
export const commitInProgress = () => conflict('history_import.commit_in_progress', "L'importazione è in corso: attendi che finisca.");
/** Recorded (not thrown to a caller) when the commit job gives up: its retries failed or it stopped answering. */
export const commitFailed = () => conflict('history_import.commit_failed', "L'importazione non è riuscita e nessun contatto è stato salvato: riprova; se si ripete, contatta l'assistenza.");
/** Thrown when a mapping refers to codes absent (or deprecated) in its taxonomy version. */
export const invalidMapping = (issues: { path: string; message: string }[]) =>
  unprocessable('history_mapping.invalid', `Mappatura non valida: ${issues.slice(0, 5).map((i) => i.message).join('; ')}${issues.length > 5 ? ` (e altri ${issues.length - 5} problemi)` : ''}.`, { errors: issues });
export const unknownTaxonomyVersion = (version: string) =>
  unprocessable('history_mapping.unknown_taxonomy_version', `La versione ${version} della tassonomia non esiste o non è pubblicata.`);
export const organisationNotFound = () => notFound('history_import.organisation_not_found', 'Ente non trovato o non amministrato da te.');
export const uploadNotCsv = (type: string) =>
  new AppError(415, 'history_import.unsupported_media_type', `Tipo di contenuto «${type}» non supportato: invia multipart/form-data, text/csv, application/gzip o application/octet-stream.`);
export const invalidSource = () =>
  badRequest('history_import.invalid_source', 'Nome della fonte non valido: usa lettere minuscole, cifre e trattini (es. «municipium-2023»).');
