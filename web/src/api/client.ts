import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export const API_BASE = '/api/v1';

/** Named schemas of the OpenAPI document (generated into schema.d.ts by `npm run gen:client`). */
export type Schemas = components['schemas'];

/**
 * A problem+json answer as the client may receive it: the server always sends the full `Problem`
 * schema, but a proxy or a dropped connection can leave only a status, hence every field optional.
 */
export type Problem = Partial<Schemas['Problem']>;

/** The API's paths relative to `/api/v1`, so calls read `client.GET('/tickets/{code}', …)`. */
export type ApiPaths = { [P in keyof paths as P extends `${typeof API_BASE}${infer Rest}` ? Rest : never]: paths[P] };

type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonContent<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type SuccessStatus = 200 | 201 | 202;

/** The JSON body a successful call of `method` on `path` answers with, e.g. `ApiResponseBody<'/offices/{id}'>`. */
export type ApiResponseBody<P extends keyof ApiPaths, M extends HttpMethod = 'get'> = ApiPaths[P] extends Record<M, { responses: infer R }>
  ? { [S in keyof R]: S extends SuccessStatus ? JsonContent<R[S]> : never }[keyof R]
  : never;

/** The JSON body a call of `method` on `path` sends, e.g. `ApiRequestBody<'/tickets', 'post'>`. */
export type ApiRequestBody<P extends keyof ApiPaths, M extends HttpMethod> = ApiPaths[P] extends Record<M, { requestBody?: infer B }>
  ? JsonContent<NonNullable<B>>
  : never;

/** The query parameters of `method` on `path`. */
export type ApiQuery<P extends keyof ApiPaths, M extends HttpMethod = 'get'> = ApiPaths[P] extends Record<M, { parameters: { query?: infer Q } }>
  ? NonNullable<Q>
  : never;

/** An API answer that was not 2xx, carrying the problem+json body when there was one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get code(): string | undefined {
    return this.problem.code;
  }
}

export interface ApiResponse<T> {
  data: T;
  status: number;
  etag: string | null;
}

interface ClientState {
  csrfToken: string | null;
  language: string;
  onUnauthorized: (() => void) | null;
}

const state: ClientState = { csrfToken: null, language: 'it', onUnauthorized: null };

export function setCsrfToken(token: string | null): void {
  state.csrfToken = token;
}

export function setApiLanguage(language: string): void {
  state.language = language;
}

/** Called on any 401 outside the login/session endpoints, so the app can send the user to /login. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  state.onUnauthorized = handler;
}

type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/** Query strings the way the server reads them: empty, null and undefined values are left out; arrays repeat the key. */
export function serializeQuery(query: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, QueryValue>)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.set(key, String(value));
  }
  return params.toString();
}

export function buildUrl(path: string, query?: Record<string, unknown>): string {
  const qs = serializeQuery(query);
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

const SESSION_PATHS = ['/auth/login', '/auth/session'];

/** Language, CSRF (on every state-changing call) and the 401 hook, for every call of `client`. */
const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept', 'application/json');
    request.headers.set('Accept-Language', state.language);
    if (request.method !== 'GET' && request.method !== 'HEAD' && state.csrfToken) request.headers.set('X-CSRF-Token', state.csrfToken);
    return request;
  },
  onResponse({ response, schemaPath }) {
    if (response.status === 401 && !SESSION_PATHS.includes(schemaPath)) state.onUnauthorized?.();
    return undefined;
  },
};

/** Absolute, because `new Request()` outside a document (unit tests) cannot resolve a relative URL. */
function apiBaseUrl(): string {
  const origin = typeof location === 'undefined' ? '' : location.origin;
  return `${origin}${API_BASE}`;
}

/** How long after the page's start an answer fetched by /early.js may still be used. */
const EARLY_FOR_MS = 10_000;

/**
 * The answer /early.js (web/public/early.js) already asked for, for the same GET and language, once:
 * the first screen does not wait for the app's code to start before its data is on the way.
 */
export function takeEarlyResponse(request: Request): Promise<Response> | null {
  const early = (globalThis as { __urpnetEarly?: Record<string, Promise<Response>> }).__urpnetEarly;
  if (!early || request.method !== 'GET' || request.headers.get('Accept-Language') !== state.language) return null;
  const url = new URL(request.url);
  if (!url.pathname.startsWith(API_BASE)) return null;
  const key = `${url.pathname.slice(API_BASE.length)}${url.search}`;
  const answer = early[key];
  if (!answer) return null;
  delete early[key];
  return typeof performance !== 'undefined' && performance.now() > EARLY_FOR_MS ? null : answer;
}

/**
 * The typed API client: paths, parameters, bodies and responses come from the server's OpenAPI
 * document (schema.d.ts). Call through `unwrap` to get the data or an `ApiError`.
 */
export const client = createClient<ApiPaths>({
  baseUrl: apiBaseUrl(),
  credentials: 'same-origin',
  querySerializer: serializeQuery,
  // Looked up on every call, so a test (or a polyfill) can replace fetch after this module loaded.
  fetch: (request) => takeEarlyResponse(request) ?? globalThis.fetch(request),
});
client.use(sessionMiddleware);

/** Per-call headers: `If-Match` (the ETag the change was based on) and `Idempotency-Key`. */
export function requestHeaders(options: { ifMatch?: string | null; idempotencyKey?: string }): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  return headers;
}

function asProblem(status: number, statusText: string, body: unknown): Problem {
  if (body && typeof body === 'object' && !Array.isArray(body)) return body as Problem;
  return { status, title: statusText || `HTTP ${status}` };
}

/**
 * The data of a successful call, with its status and ETag; a non-2xx answer throws an `ApiError`
 * carrying the problem+json body. Usage: `const { data } = await unwrap(client.GET('/offices'))`.
 */
export async function unwrap<D>(call: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<ApiResponse<D>> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, asProblem(response.status, response.statusText, error));
  return { data: data as D, status: response.status, etag: response.headers.get('etag') };
}

type HasGet<P extends keyof ApiPaths> = ApiPaths[P] extends { get: { parameters: unknown } } ? P : never;

/** The paths that answer GET. */
export type ApiGetPath = { [P in keyof ApiPaths]: HasGet<P> }[keyof ApiPaths];

/** The parameters (`path`, `query`) of a GET on `path`, as `client.GET(path, { params })` takes them. */
export type ApiGetParams<P extends ApiGetPath> = ApiPaths[P] extends { get: { parameters: infer Q } } ? Q : never;

/** `[params?]` when every parameter of `Q` is optional, `[params]` otherwise. */
export type ParamArgs<Q> = object extends Q ? [params?: Q] : [params: Q];

/** A typed GET, unwrapped: `apiGet('/faq/{id}', { path: { id } })`. */
export function apiGet<P extends ApiGetPath>(path: P, ...args: [...ParamArgs<ApiGetParams<P>>, { signal?: AbortSignal }?]): Promise<ApiResponse<ApiResponseBody<P>>> {
  const [params, init] = args as unknown as [unknown, { signal?: AbortSignal } | undefined];
  // The generic signature above is what callers see; openapi-fetch's own overloads cannot follow a
  // path type that is still generic here, hence the one widening.
  const get = client.GET as unknown as (path: string, init: object) => Promise<{ data?: ApiResponseBody<P>; error?: unknown; response: Response }>;
  return unwrap(get(path, { params: params ?? {}, signal: init?.signal }));
}

type HasPost<P extends keyof ApiPaths> = ApiPaths[P] extends { post: { parameters: unknown } } ? P : never;
type ApiPostPath = { [P in keyof ApiPaths]: HasPost<P> }[keyof ApiPaths];
type ApiPostParams<P extends ApiPostPath> = ApiPaths[P] extends { post: { parameters: infer Q } } ? Q : never;

/**
 * A multipart upload (the server reads `multipart/form-data`, which the OpenAPI document does not
 * describe as a body): the path, its parameters and the answer are still the generated ones.
 */
export function apiUpload<P extends ApiPostPath>(
  path: P,
  params: ApiPostParams<P>,
  form: FormData,
  options: { idempotencyKey?: string; signal?: AbortSignal } = {},
): Promise<ApiResponse<ApiResponseBody<P, 'post'>>> {
  const post = client.POST as unknown as (path: string, init: object) => Promise<{ data?: ApiResponseBody<P, 'post'>; error?: unknown; response: Response }>;
  return unwrap(post(path, { params, body: form, headers: requestHeaders(options), signal: options.signal }));
}

/** Field errors of a 4xx answer keyed by dotted path (`requester.email`), whatever separator the server used. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const item of error.problem.errors ?? []) {
    const key = normaliseErrorPath(item.path);
    if (!(key in out)) out[key] = item.message;
  }
  return out;
}

export function normaliseErrorPath(path: string): string {
  return path
    .replace(/^[/#.]+/, '')
    .replace(/^body[./]/, '')
    .replace(/\[(\w+)\]/g, '.$1')
    .replace(/\//g, '.');
}

/** A uuid v4 also outside secure contexts (plain http on a LAN name), where crypto.randomUUID is missing. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
