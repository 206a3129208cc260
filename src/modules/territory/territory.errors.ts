import { defineErrors } from '../../platform/errors.js';
import type { ListProblem } from './istat-list.js';

/* Errors of the territory reference data. Codes are part of the API contract. */

const PROBLEM_IT: Record<ListProblem['code'], string> = {
  missing_column: 'manca la colonna',
  bad_code: 'codice ISTAT non valido',
  duplicate_code: 'codice ISTAT ripetuto',
  missing_name: 'manca la denominazione del comune',
  unknown_province_kind: 'tipologia di unità sovracomunale sconosciuta',
  no_successor: "comune non più presente nell'elenco e senza successore: indicarlo con --successioni",
  bad_succession: 'successione verso un codice che non è nel nuovo elenco',
  too_few_comuni: "l'elenco contiene molti meno comuni di quelli in uso (è il file giusto?)",
};
const PROBLEM_EN: Record<ListProblem['code'], string> = {
  missing_column: 'missing column',
  bad_code: 'invalid ISTAT code',
  duplicate_code: 'repeated ISTAT code',
  missing_name: 'missing comune name',
  unknown_province_kind: 'unknown kind of supra-municipal unit',
  no_successor: 'comune no longer in the list and without a successor: give it with --successioni',
  bad_succession: 'succession to a code that is not in the new list',
  too_few_comuni: 'the list has far fewer comuni than the ones in use (is it the right file?)',
};

/** One problem of a list as a line of text, in Italian or English. */
export function describeListProblem(p: ListProblem, lang: 'it' | 'en' = 'it'): string {
  const where = p.line > 0 ? (lang === 'it' ? `riga ${p.line}: ` : `line ${p.line}: `) : '';
  return `${where}${(lang === 'it' ? PROBLEM_IT : PROBLEM_EN)[p.code]} (${p.detail})`;
}

const example = { problems: [{ line: 3, code: 'bad_code' as const, detail: '12A' }] };

export const territoryErrors = defineErrors('territory', {
  /** The ISTAT list (or the successions file) has problems: nothing was changed. */
  listRejected: {
    code: 'territory.list_rejected',
    status: 422,
    example,
    it: (p: { problems: ListProblem[] }) => `L'elenco dei comuni non è stato importato (${p.problems.length} problemi): ${p.problems.slice(0, 5).map((x) => describeListProblem(x, 'it')).join('; ')}.`,
    en: (p: { problems: ListProblem[] }) => `The list of comuni was not imported (${p.problems.length} problems): ${p.problems.slice(0, 5).map((x) => describeListProblem(x, 'en')).join('; ')}.`,
    members: (p: { problems: ListProblem[] }, lang) => ({ problems: p.problems.map((x) => ({ line: x.line, code: x.code, detail: x.detail, message: describeListProblem(x, lang) })) }),
  },
  unknownPlace: {
    code: 'territory.unknown_place',
    status: 404,
    example: { code: '999999' },
    it: (p: { code: string }) => `Nessun luogo con codice ISTAT ${p.code}.`,
    en: (p: { code: string }) => `No place with ISTAT code ${p.code}.`,
  },
});
