import type { Problem } from './types.js';

export const API_BASE = '/api/v1';

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

export interface RequestOptions {
  body?: unknown;
  /** Sent as `If-Match`: the ETag of the resource this update was based on. */
  ifMatch?: string | null;
  idempotencyKey?: string;
  query?: Record<string, string | undefined | null>;
  signal?: AbortSignal;
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

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, value);
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function readProblem(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return (await response.json()) as Problem;
    } catch {
      /* fall through: a broken body still deserves a readable error */
    }
  }
  return { status: response.status, title: response.statusText };
}

const SESSION_PATHS = ['/auth/login', '/auth/session'];

/** One call to the API: JSON in and out, CSRF and language headers, problem+json errors as ApiError. */
export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': state.language };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && state.csrfToken) headers['X-CSRF-Token'] = state.csrfToken;
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;

  const response = await fetch(buildUrl(path, options.query), {
    method,
    headers,
    body,
    credentials: 'same-origin',
    signal: options.signal,
  });
  if (!response.ok) {
    const problem = await readProblem(response);
    if (response.status === 401 && !SESSION_PATHS.includes(path)) state.onUnauthorized?.();
    throw new ApiError(response.status, problem);
  }
  const etag = response.headers.get('etag');
  if (response.status === 204) return { data: undefined as T, status: 204, etag };
  const type = response.headers.get('content-type') ?? '';
  const data = (type.includes('json') ? await response.json() : await response.text()) as T;
  return { data, status: response.status, etag };
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => apiRequest<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('PUT', path, { ...options, body }),
  delete: <T = void>(path: string, options?: RequestOptions) => apiRequest<T>('DELETE', path, options),
};

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
