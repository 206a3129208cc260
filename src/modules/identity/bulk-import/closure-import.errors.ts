import { defineErrors } from '../../../platform/errors.js';
import type { ClosureProblem } from './closure-rows.js';

/*
 * Errors of the closures import (patron days and local closures of offices, from CSV). The codes are
 * those of every onboarding import (bulk-import.errors.ts): a client handles them the same way.
 */

const exampleProblem: ClosureProblem = {
  line: 4, code: 'dates_reversed', message: 'la data di fine (02/01/2026) precede la data di inizio (24/12/2026)', en: 'the end date (02/01/2026) comes before the start date (24/12/2026)',
};

export const closureImportErrors = defineErrors('closures', {
  /**
   * Thrown when an all-or-nothing import of closures finds bad lines: nothing was written. `errors`
   * lists each line with its stable code and reason.
   */
  badLines: {
    code: 'import.bad_lines',
    status: 422,
    example: { count: 1, problems: [exampleProblem] },
    it: (p: { count: number; problems: ClosureProblem[] }) =>
      `Importazione di chiusure e patroni annullata, nulla è stato scritto: ${p.count === 1 ? '1 riga non valida' : `${p.count} righe non valide`}. Correggile, oppure importa solo le righe valide.`,
    en: (p: { count: number; problems: ClosureProblem[] }) =>
      `Import of closures and patron days cancelled, nothing was written: ${p.count === 1 ? '1 invalid line' : `${p.count} invalid lines`}. Fix them, or import the valid lines only.`,
    members: (p: { problems: ClosureProblem[] }, lang) => ({
      errors: p.problems.map((x) => ({ path: `${lang === 'en' ? 'line' : 'riga'} ${x.line}`, code: x.code, message: lang === 'en' ? x.en : x.message, params: { line: x.line } })),
    }),
  },
  /** Thrown when an import of offices or of closures is being written: both change office calendars, one at a time. */
  inProgress: {
    code: 'import.in_progress',
    status: 409,
    it: () => "È in corso un'altra importazione di uffici o di chiusure: riprova quando è terminata (nulla è stato scritto).",
    en: () => 'Another import of offices or closures is running: try again when it has finished (nothing was written).',
  },
});
