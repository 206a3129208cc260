import type { Problem } from '../api/types.js';
import { interpolate, type Params } from '../i18n/index.js';
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
