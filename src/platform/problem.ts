import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

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

const TITLES: Record<number, string> = {
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
};

export function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `https://urpnet.it/problems/${code.replace(/\./g, '/')}`,
    title: TITLES[status] ?? 'Errore',
    status,
    detail,
    code,
    ...extra,
  };
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

function describeValidationIssue(issue: ValidationIssue, part: string): FieldError {
  const base = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const params = issue.params ?? {};
  const at = base || part;
  const make = (field: string, code: string, message: string, extra: Record<string, unknown> = {}): FieldError => ({ path: field, field, code, message, params: extra });
  switch (issue.keyword) {
    case 'additionalProperties': {
      const field = joinPath(base, String(params.additionalProperty));
      return make(field, 'unknown_field', `campo sconosciuto «${field}»: rimuovilo`);
    }
    case 'required': {
      const field = joinPath(base, String(params.missingProperty));
      return make(field, 'required', `campo obbligatorio «${field}» mancante`);
    }
    case 'type':
      return make(at, 'invalid_type', `«${at}» deve essere di tipo ${String(params.type)}`, { type: params.type });
    case 'enum':
    case 'anyOf': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : undefined;
      return make(at, 'not_allowed', `«${at}» non ammesso${allowed ? `: valori ammessi ${allowed.join(', ')}` : ''}`, allowed ? { allowedValues: allowed } : {});
    }
    case 'maxLength':
      return make(at, 'too_long', `«${at}» è troppo lungo (massimo ${String(params.limit)} caratteri)`, { limit: params.limit });
    case 'minLength':
      return Number(params.limit) === 1
        ? make(at, 'required', `campo obbligatorio «${at}» vuoto`)
        : make(at, 'too_short', `«${at}» è troppo corto (minimo ${String(params.limit)} caratteri)`, { limit: params.limit });
    case 'maxItems':
      return make(at, 'too_many', `«${at}» ha troppi elementi (massimo ${String(params.limit)})`, { limit: params.limit });
    case 'minItems':
      return make(at, 'too_few', `«${at}» ha troppo pochi elementi (minimo ${String(params.limit)})`, { limit: params.limit });
    case 'maximum':
    case 'minimum':
    case 'finiteNumber':
      return make(at, 'out_of_range', `«${at}» è fuori dall'intervallo ammesso`, params.limit !== undefined ? { limit: params.limit, comparison: params.comparison } : {});
    case 'format':
      return make(at, 'invalid_format', `«${at}» non è un ${String(params.format)} valido`, { format: params.format });
    case 'pattern':
      return make(at, 'invalid_format', `«${at}» ha un formato non valido`);
    default:
      return make(at, 'invalid', `«${at}» ${issue.message ?? 'non valido'}`);
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
function describeValidation(issues: ValidationIssue[], part: string): { errors: FieldError[]; more: boolean } {
  const pathOf = (i: ValidationIssue) => i.instancePath ?? '';
  const perPath = new Map<string, number>();
  for (const issue of issues) perPath.set(pathOf(issue), (perPath.get(pathOf(issue)) ?? 0) + 1);
  const isSpecific = (issue: ValidationIssue) =>
    perPath.get(pathOf(issue)) === 1 || !(issue.keyword === 'anyOf' || (issue.keyword === 'type' && issue.params?.type === 'null'));
  const chosen = issues.some(isSpecific) ? issues.filter(isSpecific) : issues;
  const byField = new Map<string, FieldError>();
  for (const issue of chosen) {
    const error = describeValidationIssue(issue, part);
    if (byField.has(error.field)) continue;
    if (byField.size === MAX_LISTED_FIELD_ERRORS) return { errors: [...byField.values()], more: true };
    byField.set(error.field, error);
  }
  return { errors: [...byField.values()], more: false };
}

/**
 * Errors the router raises before any route or hook runs (Fastify's `frameworkErrors` option):
 * an undecodable URL and an over-long path parameter. Without this they leave as plain
 * application/json, the one place where the API would not answer problem+json.
 */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const instance = request.url.split('?')[0];
  let body: Problem;
  if (error.code === 'FST_ERR_BAD_URL') {
    body = problem(400, 'request.bad_url', "L'indirizzo della richiesta non è valido: controlla i caratteri codificati con %.", { instance });
  } else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    body = problem(414, 'request.param_too_long', "Un parametro dell'indirizzo è troppo lungo.", { instance });
  } else {
    request.log.error({ err: error }, 'router error');
    body = problem(500, 'internal', 'Si è verificato un errore interno. Riprova; se persiste contatta l’assistenza.', { instance });
  }
  reply.status(body.status).type('application/problem+json').send(body);
}

/** Maps every error to application/problem+json: the one place where codes become HTTP. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    let body: Problem;
    if (error instanceof AppError) {
      body = problem(error.status, error.code, error.message, error.details as Partial<Problem>);
      for (const [k, v] of Object.entries(error.headers)) reply.header(k, v);
    } else if ('validation' in error && Array.isArray((error as FastifyError).validation)) {
      const fe = error as FastifyError;
      const part = fe.validationContext ?? 'body';
      const { errors, more } = describeValidation((fe.validation ?? []) as ValidationIssue[], part);
      const summary = errors.map((e) => e.message).join('; ') + (more ? '; … e altri campi non validi' : '');
      body = problem(400, 'request.validation', `Dati non validi (${part}): ${summary}`, { errors });
    } else {
      const fe = error as FastifyError;
      const status = fe.statusCode ?? 500;
      if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (status === 400 && error instanceof SyntaxError)) {
        body = problem(400, 'request.malformed_json', `Il corpo della richiesta non è JSON valido: ${error.message}`);
      } else if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
        body = problem(413, 'request.body_too_large', 'Il corpo della richiesta supera la dimensione massima consentita.');
      } else if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
        body = problem(415, 'request.unsupported_media_type', 'Tipo di contenuto non supportato: usa application/json.');
      } else if (fe.code === 'ERR_STREAM_PREMATURE_CLOSE') {
        // A streamed upload (multipart or raw) whose body ended before its end marker.
        body = problem(400, 'request.incomplete_body', 'Il corpo della richiesta è incompleto (caricamento interrotto): invia di nuovo il file.');
      } else if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
        body = problem(400, 'request.empty_body', 'Il corpo JSON è vuoto: invia un oggetto JSON.');
      } else if (status === 429) {
        body = problem(429, 'request.rate_limited', 'Troppe richieste: attendi prima di riprovare.');
      } else if (status >= 400 && status < 500) {
        body = problem(status, `request.${fe.code ?? 'invalid'}`.toLowerCase(), error.message);
      } else {
        request.log.error({ err: error }, 'unhandled error');
        body = problem(500, 'internal', 'Si è verificato un errore interno. Riprova; se persiste contatta l’assistenza.');
      }
    }
    body.instance = request.url.split('?')[0];
    reply.status(body.status).type('application/problem+json').send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .type('application/problem+json')
      .send(problem(404, 'route.not_found', `Nessuna risorsa a ${request.method} ${request.url.split('?')[0]}.`, { instance: request.url.split('?')[0] }));
  });
}
