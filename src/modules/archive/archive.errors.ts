import { defineErrors } from '../../platform/errors.js';

/* Errors of the anonymised archive. Codes are part of the API contract. */

export const archiveErrors = defineErrors('archive', {
  /** Thrown when a run id names no archive run. */
  runNotFound: {
    code: 'archive.run_not_found',
    status: 404,
    example: { id: '00000000-0000-4000-8000-000000000000' },
    it: (p: { id: string }) => `Nessuna esecuzione dell'archiviazione con identificativo ${p.id}.`,
    en: (p: { id: string }) => `No archive run with id ${p.id}.`,
  },
  /** Thrown when the caller is neither an analyst nor a network coordinator (archive status). */
  analyticsForbidden: {
    code: 'archive.forbidden',
    status: 403,
    it: () => "Lo stato dell'archivio anonimo è riservato agli analisti e al coordinamento della rete.",
    en: () => 'The state of the anonymised archive is for analysts and the network coordination only.',
  },
});
