import { ApiError, normaliseErrorPath } from '../api/client.js';
import type { Locale } from '../api/types.js';
import { DICTIONARIES, type MessageKey, type Params, translator } from '../i18n/index.js';

/**
 * Field errors of a validation problem, said in the user's language. The server sends, per invalid
 * field, a stable `code` and its `params` (`{ field: 'subject', code: 'too_short', params: { limit: 3 } }`);
 * the texts are the dictionaries' `formErrors.<code>[.<format>]` entries, and the form knows the
 * field's label. Errors without a code (checks done by a service) keep the server's own message.
 */
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
  const format = typeof problem.params?.format === 'string' ? `formErrors.${problem.code}.${problem.params.format}` : null;
  const key = [format, `formErrors.${problem.code}`].find((k): k is MessageKey => k !== null && k in DICTIONARIES[locale]) ?? 'formErrors.invalid';
  return translator(locale)(key, scalarParams(problem.params));
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
  return translator(locale)('formErrors.summary', { fields });
}

/**
 * Moves focus to the first invalid control of the form, in the order the user sees the fields
 * (document order), once React has rendered the errors.
 */
export function focusFirstInvalid(root: ParentNode | null = typeof document === 'undefined' ? null : document): void {
  setTimeout(() => root?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
}
