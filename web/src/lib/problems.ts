import { ApiError } from '../api/client.js';
import type { Problem } from '../api/types.js';
import { interpolate, type Params, type Translate } from '../i18n/index.js';
import { PROBLEMS_EN } from '../i18n/server-strings.js';

/**
 * A problem's text in the user's language. The server writes `detail` in Italian, naming the
 * specific case: Italian users get it as is; English users get the English sentence of the
 * problem's `code` (its fields fill the placeholders), else the sentence of its HTTP status.
 */
export function problemText(problem: Problem, language: string, fallback: string): string {
  if (language === 'it') return problem.detail ?? problem.title ?? fallback;
  const params: Params = {};
  for (const [key, value] of Object.entries(problem)) if (typeof value === 'string' || typeof value === 'number') params[key] = value;
  const template = (problem.code ? PROBLEMS_EN[problem.code] : undefined) ?? (problem.status ? PROBLEMS_EN[`status.${problem.status}`] : undefined);
  return template ? interpolate(template, params) : fallback;
}

/**
 * The text to show for any error: an API problem in the user's language (above), a failed network
 * request, or a generic sentence. Field problems of a form are lib/form-errors.ts.
 */
export function errorMessage(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    const fallback = error.problem.code === 'auth.invalid_credentials' ? t('login.invalid') : error.status === 429 ? t('login.throttled') : t('app.error.generic');
    return problemText(error.problem, t('app.languageCode'), fallback);
  }
  if (error instanceof TypeError) return t('app.error.network');
  return t('app.error.generic');
}
