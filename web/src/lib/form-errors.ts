import { ApiError, normaliseErrorPath } from '../api/client.js';
import type { Locale } from '../api/types.js';
import { interpolate, type Params } from '../i18n/index.js';

/**
 * Field errors of a validation problem, said in the user's language. The server sends, per invalid
 * field, a stable `code` and its `params` (`{ field: 'subject', code: 'too_short', params: { limit: 3 } }`);
 * the form knows the field's label. Errors without a code (checks done by a service) keep the
 * server's own message.
 */
const MESSAGES = {
  it: {
    summary: 'Correggi i campi evidenziati: {fields}.',
    required: 'Campo obbligatorio.',
    too_short: 'Troppo corto: almeno {limit} caratteri.',
    too_long: 'Troppo lungo: al massimo {limit} caratteri.',
    too_many: 'Troppi elementi: al massimo {limit}.',
    too_few: 'Troppo pochi elementi: almeno {limit}.',
    invalid_format: 'Formato non valido.',
    'invalid_format.email': 'Indirizzo e-mail non valido.',
    'invalid_format.uuid': 'Scegli un valore dall’elenco.',
    'invalid_format.date-time': 'Data e ora non valide.',
    'invalid_format.date': 'Data non valida.',
    not_allowed: 'Valore non ammesso.',
    invalid_type: 'Valore non valido.',
    out_of_range: 'Valore fuori dall’intervallo ammesso.',
    unknown_field: 'Campo non previsto.',
    invalid: 'Valore non valido.',
  },
  en: {
    summary: 'Please correct the highlighted fields: {fields}.',
    required: 'This field is required.',
    too_short: 'Too short: at least {limit} characters.',
    too_long: 'Too long: at most {limit} characters.',
    too_many: 'Too many items: at most {limit}.',
    too_few: 'Too few items: at least {limit}.',
    invalid_format: 'Invalid format.',
    'invalid_format.email': 'Invalid e-mail address.',
    'invalid_format.uuid': 'Choose a value from the list.',
    'invalid_format.date-time': 'Invalid date and time.',
    'invalid_format.date': 'Invalid date.',
    not_allowed: 'Value not allowed.',
    invalid_type: 'Invalid value.',
    out_of_range: 'Value out of the allowed range.',
    unknown_field: 'Unexpected field.',
    invalid: 'Invalid value.',
  },
} satisfies Record<Locale, Record<string, string>>;

export interface FieldProblem {
  field: string;
  code?: string | undefined;
  params?: Record<string, unknown> | undefined;
  message: string;
}

/** The field problems of an error, one per field (dotted path), in the server's order; none for other errors. */
export function fieldProblems(error: unknown): FieldProblem[] {
  if (!(error instanceof ApiError)) return [];
  const seen = new Set<string>();
  const out: FieldProblem[] = [];
  for (const item of error.problem.errors ?? []) {
    const field = normaliseErrorPath(item.field ?? item.path);
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, code: item.code, params: item.params, message: item.message });
  }
  return out;
}

function scalarParams(params: Record<string, unknown> | undefined): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params ?? {})) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}

/** One field problem in the user's language. */
export function describeFieldProblem(problem: FieldProblem, locale: Locale): string {
  if (!problem.code) return problem.message;
  const messages: Record<string, string> = MESSAGES[locale];
  const format = typeof problem.params?.format === 'string' ? `${problem.code}.${problem.params.format}` : null;
  const template = (format && messages[format]) || messages[problem.code] || messages.invalid;
  return interpolate(template ?? problem.message, scalarParams(problem.params));
}

/** Field errors keyed by dotted path, ready for `<Field error={…}>`: all of them at once, in the user's language. */
export function fieldErrorMessages(error: unknown, locale: Locale): Record<string, string> {
  return Object.fromEntries(fieldProblems(error).map((p) => [p.field, describeFieldProblem(p, locale)]));
}

/**
 * The sentence above the form: which fields to fix, named by their labels as the user sees them
 * (a field without a label on this form is named by its path). Null when the error has no field problems.
 */
export function validationSummary(error: unknown, locale: Locale, labels: Record<string, string>): string | null {
  const problems = fieldProblems(error);
  if (problems.length === 0) return null;
  const fields = problems.map((p) => labels[p.field] ?? p.field).join(', ');
  return interpolate(MESSAGES[locale].summary, { fields });
}

/**
 * Moves focus to the first invalid control of the form, in the order the user sees the fields
 * (document order), once React has rendered the errors.
 */
export function focusFirstInvalid(root: ParentNode | null = typeof document === 'undefined' ? null : document): void {
  setTimeout(() => root?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
}
