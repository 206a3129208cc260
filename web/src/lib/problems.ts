import { ApiError } from '../api/client.js';
import type { Problem } from '../api/types.js';
import type { MessageKey, Translate } from '../i18n/index.js';
import { serverStringsIt } from '../i18n/server-strings.js';

/**
 * A problem's text in the user's language. The API writes `detail` from its typed error catalogues
 * in the language the app asks for (every call sends Accept-Language: api/client.ts), naming the
 * specific case: it is shown as it is. An error answer that is not one of the API's problems (no
 * `code`: a proxy's or gateway's page) gets the sentence of its HTTP status, else `fallback`.
 */
export function problemText(problem: Problem, t: Translate, fallback: string): string {
  if (problem.code && problem.detail) return problem.detail;
  const key = `problem.status.${problem.status}`;
  return key in serverStringsIt ? t(key as MessageKey) : fallback;
}

/**
 * The text to show for any error: an API problem in the user's language (above), a failed network
 * request, or a generic sentence. Field problems of a form are lib/form-errors.ts.
 */
export function errorMessage(error: unknown, t: Translate): string {
  if (error instanceof ApiError) return problemText(error.problem, t, t('app.error.generic'));
  if (error instanceof TypeError) return t('app.error.network');
  return t('app.error.generic');
}
