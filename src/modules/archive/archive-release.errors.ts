import { defineErrors } from '../../platform/errors.js';

/* Errors of the archive's release: analyst queries and open-data exports. Codes are part of the API contract. */

export const archiveReleaseErrors = defineErrors('archive_release', {
  /** Thrown to callers who are neither analysts nor network coordinators. */
  forbidden: {
    code: 'archive.forbidden',
    status: 403,
    it: () => "L'archivio anonimo è riservato agli analisti e al coordinamento di rete.",
    en: () => 'The anonymised archive is reserved to analysts and the network coordination.',
  },
  /** Thrown when a query's period starts after it ends. */
  invalidRange: {
    code: 'archive.invalid_range',
    status: 422,
    example: { from: '2026-03-01', to: '2026-01-31' },
    it: (p: { from: string; to: string }) => `Periodo non valido: l'inizio (${p.from}) è successivo alla fine (${p.to}).`,
    en: (p: { from: string; to: string }) => `Invalid period: the start (${p.from}) is after the end (${p.to}).`,
  },
  exportNotFound: {
    code: 'archive_export.not_found',
    status: 404,
    it: () => 'Esportazione non trovata.',
    en: () => 'Export not found.',
  },
  /** Thrown when downloading a file the export does not have. */
  fileNotFound: {
    code: 'archive_export.file_not_found',
    status: 404,
    example: { name: 'archive-2026-01.csv' },
    it: (p: { name: string }) => `L'esportazione non contiene il file «${p.name}».`,
    en: (p: { name: string }) => `The export has no file “${p.name}”.`,
  },
  /** Thrown when downloading from an export that has not finished. */
  notReady: {
    code: 'archive_export.not_ready',
    status: 409,
    example: { status: 'running' },
    it: (p: { status: string }) => `L'esportazione non è pronta (stato: ${p.status}): riprova quando è completata.`,
    en: (p: { status: string }) => `The export is not ready (status: ${p.status}): try again when it has completed.`,
  },
  /** Thrown when the export's target directory exists and is not empty (nothing is written). */
  targetNotEmpty: {
    code: 'archive_export.target_not_empty',
    status: 409,
    example: { dir: '/srv/opendata/2026' },
    it: (p: { dir: string }) => `La cartella di destinazione ${p.dir} esiste e non è vuota: indica una cartella nuova o vuota (nulla è stato scritto).`,
    en: (p: { dir: string }) => `The target directory ${p.dir} exists and is not empty: give a new or empty directory (nothing was written).`,
  },
  /** Thrown when the export's target directory (or its parent) cannot be created or written. */
  targetUnwritable: {
    code: 'archive_export.target_unwritable',
    status: 500,
    example: { dir: '/srv/opendata/2026', reason: 'EACCES' },
    it: (p: { dir: string; reason: string }) => `Impossibile scrivere nella cartella ${p.dir} (${p.reason}): controlla che esista e che i permessi lo consentano (nulla è stato scritto).`,
    en: (p: { dir: string; reason: string }) => `Cannot write to the directory ${p.dir} (${p.reason}): check that it exists and that its permissions allow it (nothing was written).`,
  },
  /** Recorded (not thrown to a caller) when the export job gives up: its retries failed or it stopped answering. */
  exportFailed: {
    code: 'archive_export.failed',
    status: 500,
    it: () => "L'esportazione non è riuscita e nessun file è stato pubblicato: riprova; se si ripete, contatta l'assistenza.",
    en: () => 'The export failed and no file was published: try again; if it happens again, contact support.',
  },
});
