import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, platformErrors } from './errors.js';
import { type Language, requestLanguage } from './messages.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: { path: string; message: string; field?: string; code?: string; params?: Record<string, unknown> }[];
  [key: string]: unknown;
}

const TITLES: Record<Language, Record<number, string>> = {
  it: {
    400: 'Richiesta non valida',
    401: 'Autenticazione richiesta',
    403: 'Accesso negato',
    404: 'Non trovato',
    405: 'Metodo non consentito',
    409: 'Conflitto',
    412: 'Precondizione non soddisfatta',
    413: 'Richiesta troppo grande',
    414: 'URI troppo lungo',
    415: 'Tipo di contenuto non supportato',
    422: 'Richiesta non elaborabile',
    428: 'Precondizione richiesta',
    429: 'Troppe richieste',
    500: 'Errore interno',
    503: 'Servizio non disponibile',
  },
  en: {
    400: 'Bad request',
    401: 'Authentication required',
    403: 'Forbidden',
    404: 'Not found',
    405: 'Method not allowed',
    409: 'Conflict',
    412: 'Precondition failed',
    413: 'Request too large',
    414: 'URI too long',
    415: 'Unsupported media type',
    422: 'Unprocessable request',
    428: 'Precondition required',
    429: 'Too many requests',
    500: 'Internal error',
    503: 'Service unavailable',
  },
};

export function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}, lang: Language = 'it'): Problem {
  return {
    type: `https://urpnet.it/problems/${code.replace(/\./g, '/')}`,
    title: TITLES[lang][status] ?? (lang === 'en' ? 'Error' : 'Errore'),
    status,
    detail,
    code,
    params: {},
    ...extra,
  };
}

/**
 * The one mapping from an application error to application/problem+json: `detail` (and the
 * messages of `errors`) in `lang`, the error's extra members, and `params`, from which a client
 * can write the message in its own words.
 */
export function problemOf(error: AppError, lang: Language): Problem {
  return problem(error.status, error.code, error.text(lang), { ...error.details(lang), params: error.params }, lang);
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/**
 * One invalid field. `path`/`message` (Italian, for API users) are kept; `field` (dotted path, as
 * the client names its inputs), `code` (stable) and `params` let a client say it in its own words,
 * next to the field the user sees, in the user's language.
 */
interface FieldError {
  path: string;
  message: string;
  field: string;
  code: string;
  params: Record<string, unknown>;
}

const joinPath = (base: string, name: string) => (base ? `${base}.${name}` : name);

/** The sentence of one invalid field, by its stable code, in each language. */
const FIELD_MESSAGES: Record<string, Record<Language, (field: string, p: Record<string, unknown>) => string>> = {
  unknown_field: { it: (f) => `campo sconosciuto «${f}»: rimuovilo`, en: (f) => `unknown field “${f}”: remove it` },
  required: { it: (f) => `campo obbligatorio «${f}» mancante`, en: (f) => `required field “${f}” is missing` },
  required_empty: { it: (f) => `campo obbligatorio «${f}» vuoto`, en: (f) => `required field “${f}” is empty` },
  invalid_type: { it: (f, p) => `«${f}» deve essere di tipo ${String(p.type)}`, en: (f, p) => `“${f}” must be of type ${String(p.type)}` },
  not_allowed: {
    it: (f, p) => `«${f}» non ammesso${Array.isArray(p.allowedValues) ? `: valori ammessi ${p.allowedValues.join(', ')}` : ''}`,
    en: (f, p) => `“${f}” is not allowed${Array.isArray(p.allowedValues) ? `: allowed values ${p.allowedValues.join(', ')}` : ''}`,
  },
  too_long: { it: (f, p) => `«${f}» è troppo lungo (massimo ${String(p.limit)} caratteri)`, en: (f, p) => `“${f}” is too long (at most ${String(p.limit)} characters)` },
  too_short: { it: (f, p) => `«${f}» è troppo corto (minimo ${String(p.limit)} caratteri)`, en: (f, p) => `“${f}” is too short (at least ${String(p.limit)} characters)` },
  too_many: { it: (f, p) => `«${f}» ha troppi elementi (massimo ${String(p.limit)})`, en: (f, p) => `“${f}” has too many items (at most ${String(p.limit)})` },
  too_few: { it: (f, p) => `«${f}» ha troppo pochi elementi (minimo ${String(p.limit)})`, en: (f, p) => `“${f}” has too few items (at least ${String(p.limit)})` },
  out_of_range: { it: (f) => `«${f}» è fuori dall'intervallo ammesso`, en: (f) => `“${f}” is out of the allowed range` },
  invalid_format: {
    it: (f, p) => (p.format ? `«${f}» non è un ${String(p.format)} valido` : `«${f}» ha un formato non valido`),
    en: (f, p) => (p.format ? `“${f}” is not a valid ${String(p.format)}` : `“${f}” has an invalid format`),
  },
  invalid: { it: (f, p) => `«${f}» ${String(p.reason ?? 'non valido')}`, en: (f) => `“${f}” is not valid` },
};

/** The stable codes of invalid fields (`required_empty` is a sentence of `required`, not a code): clients word them (web/src/lib/form-errors.ts). */
export const FIELD_PROBLEM_CODES: readonly string[] = Object.keys(FIELD_MESSAGES).filter((sentence) => sentence !== 'required_empty');

function describeValidationIssue(issue: ValidationIssue, part: string, lang: Language): FieldError {
  const base = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const params = issue.params ?? {};
  const at = base || part;
  const make = (field: string, code: string, extra: Record<string, unknown> = {}, sentence = code): FieldError => ({
    path: field,
    field,
    code,
    message: FIELD_MESSAGES[sentence]![lang](field, { ...extra, reason: issue.message }),
    params: extra,
  });
  switch (issue.keyword) {
    case 'additionalProperties':
      return make(joinPath(base, String(params.additionalProperty)), 'unknown_field');
    case 'required':
      return make(joinPath(base, String(params.missingProperty)), 'required');
    case 'type':
      return make(at, 'invalid_type', { type: params.type });
    case 'enum':
    case 'anyOf': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : undefined;
      return make(at, 'not_allowed', allowed ? { allowedValues: allowed } : {});
    }
    case 'maxLength':
      return make(at, 'too_long', { limit: params.limit });
    case 'minLength':
      return Number(params.limit) === 1 ? make(at, 'required', {}, 'required_empty') : make(at, 'too_short', { limit: params.limit });
    case 'maxItems':
      return make(at, 'too_many', { limit: params.limit });
    case 'minItems':
      return make(at, 'too_few', { limit: params.limit });
    case 'maximum':
    case 'minimum':
    case 'finiteNumber':
      return make(at, 'out_of_range', params.limit !== undefined ? { limit: params.limit, comparison: params.comparison } : {});
    case 'format':
      return make(at, 'invalid_format', { format: params.format });
    case 'pattern':
      return make(at, 'invalid_format');
    default:
      return make(at, 'invalid');
  }
}

/** How many invalid fields a validation problem lists at most: a form has far fewer. */
const MAX_LISTED_FIELD_ERRORS = 100;

/**
 * The invalid fields of a request, one entry per field, the first MAX_LISTED_FIELD_ERRORS of them
 * (`more`: there were others). With allErrors, a nullable field reports its own failure plus "not
 * null" and "no branch of anyOf matched": those echoes go, and the most specific issue of each
 * field stays. A body of thousands of invalid items is neither described item by item nor echoed
 * back many times its size.
 */
function describeValidation(issues: ValidationIssue[], part: string, lang: Language): { errors: FieldError[]; more: boolean } {
  const pathOf = (i: ValidationIssue) => i.instancePath ?? '';
  const perPath = new Map<string, number>();
  for (const issue of issues) perPath.set(pathOf(issue), (perPath.get(pathOf(issue)) ?? 0) + 1);
  const isSpecific = (issue: ValidationIssue) =>
    perPath.get(pathOf(issue)) === 1 || !(issue.keyword === 'anyOf' || (issue.keyword === 'type' && issue.params?.type === 'null'));
  const chosen = issues.some(isSpecific) ? issues.filter(isSpecific) : issues;
  const byField = new Map<string, FieldError>();
  for (const issue of chosen) {
    const error = describeValidationIssue(issue, part, lang);
    if (byField.has(error.field)) continue;
    if (byField.size === MAX_LISTED_FIELD_ERRORS) return { errors: [...byField.values()], more: true };
    byField.set(error.field, error);
  }
  return { errors: [...byField.values()], more: false };
}

const languageOf = (request: FastifyRequest): Language => requestLanguage(request.headers['accept-language']);

function send(reply: FastifyReply, request: FastifyRequest, body: Problem, lang: Language): void {
  body.instance = request.url.split('?')[0];
  reply.status(body.status).type('application/problem+json').header('content-language', lang).send(body);
}

/**
 * Errors the router raises before any route or hook runs (Fastify's `frameworkErrors` option):
 * an undecodable URL and an over-long path parameter. Without this they leave as plain
 * application/json, the one place where the API would not answer problem+json.
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const lang = languageOf(request);
  let known: AppError;
  if (error.code === 'FST_ERR_BAD_URL') known = platformErrors.badUrl();
  else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') known = platformErrors.paramTooLong();
  else {
    request.log.error({ err: error }, 'router error');
    known = platformErrors.internal();
  }
  send(reply, request, problemOf(known, lang), lang);
}

/** A Fastify (or Node) error that is not an AppError, as one of the platform's errors; null for a 5xx. */
function platformErrorOf(error: FastifyError | Error): AppError | null {
  const fe = error as FastifyError;
  const status = fe.statusCode ?? 500;
  if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (status === 400 && error instanceof SyntaxError)) return platformErrors.malformedJson({ reason: error.message });
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) return platformErrors.bodyTooLarge();
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) return platformErrors.unsupportedMediaType();
  // A streamed upload (multipart or raw) whose body ended before its end marker.
  if (fe.code === 'ERR_STREAM_PREMATURE_CLOSE') return platformErrors.incompleteBody();
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return platformErrors.emptyBody();
  if (status === 429) return platformErrors.rateLimited();
  // Another client error of Fastify or a plugin: its own code, its (English) message in both languages.
  if (status >= 400 && status < 500) return new AppError(status, `request.${fe.code ?? 'invalid'}`.toLowerCase(), { it: error.message, en: error.message }, {}, {}, {});
  return null;
}

/** Maps every error to application/problem+json: the one place where codes become HTTP. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    const lang = languageOf(request);
    let body: Problem;
    if (error instanceof AppError) {
      body = problemOf(error, lang);
      for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
    } else if ('validation' in error && Array.isArray((error as FastifyError).validation)) {
      const fe = error as FastifyError;
      const part = fe.validationContext ?? 'body';
      const { errors, more } = describeValidation((fe.validation ?? []) as ValidationIssue[], part, lang);
      // The field sentences are already in `lang`: the summary joins them.
      const summary = platformErrors.validation({ part, fields: errors.map((e) => e.message).join('; '), more });
      body = problem(400, summary.code, summary.text(lang), { errors, params: { part, more } }, lang);
    } else {
      const known = platformErrorOf(error);
      if (!known) request.log.error({ err: error }, 'unhandled error');
      body = problemOf(known ?? platformErrors.internal(), lang);
    }
    send(reply, request, body, lang);
  });

  app.setNotFoundHandler((request, reply) => {
    const lang = languageOf(request);
    send(reply, request, problemOf(platformErrors.routeNotFound({ method: request.method, path: request.url.split('?')[0] ?? '' }), lang), lang);
  });
}
