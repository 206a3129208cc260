import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiGet, apiUpload, buildUrl, client, fieldErrors, newIdempotencyKey, normaliseErrorPath, requestHeaders, setApiLanguage, setCsrfToken, setUnauthorizedHandler, unwrap } from '../src/api/client.js';

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  setUnauthorizedHandler(null);
  setApiLanguage('it');
});

describe('api client', () => {
  it('builds URLs under /api/v1 without empty parameters', () => {
    expect(buildUrl('/tickets', { officeId: 'o1', q: '', cursor: null, status: 'new,open' })).toBe('/api/v1/tickets?officeId=o1&status=new%2Copen');
  });
});

describe('typed client (generated from the OpenAPI document)', () => {
  const requestOf = (mock: ReturnType<typeof vi.fn>, call = 0) => (mock.mock.calls[call] as unknown as [Request])[0];

  it('fills path and query parameters, sends CSRF, If-Match, Idempotency-Key and Accept-Language, and returns the ETag', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(200, { ok: true }, { etag: '"4"' }));
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('csrf-1');
    setApiLanguage('en');
    const result = await unwrap(
      client.PATCH('/tasks/{id}', { params: { path: { id: 'a b' } }, body: { status: 'done' }, headers: requestHeaders({ ifMatch: '"3"', idempotencyKey: 'k1' }) }),
    );
    expect(result.etag).toBe('"4"');
    expect(result.status).toBe(200);
    const request = requestOf(fetchMock);
    expect(new URL(request.url).pathname).toBe('/api/v1/tasks/a%20b');
    expect(request.method).toBe('PATCH');
    expect(request.credentials).toBe('same-origin');
    for (const [name, value] of Object.entries({ 'x-csrf-token': 'csrf-1', 'if-match': '"3"', 'idempotency-key': 'k1', 'accept-language': 'en', 'content-type': 'application/json' })) {
      expect(request.headers.get(name)).toBe(value);
    }
    expect(await request.text()).toBe('{"status":"done"}');
  });

  it('leaves empty query values out and sends no CSRF header on GET', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(200, { items: [] }));
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('csrf-1');
    await unwrap(client.GET('/directory', { params: { query: { q: '', topic: undefined, limit: 5 } } }));
    const request = requestOf(fetchMock);
    expect(new URL(request.url).search).toBe('?limit=5');
    expect(request.headers.get('x-csrf-token')).toBeNull();
  });

  it('turns problem+json into ApiError and calls the 401 handler, but not for a failed login', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(401, { status: 401, code: 'auth.required', detail: 'Sessione scaduta' })));
    const onUnauthorized = vi.fn();
    setUnauthorizedHandler(onUnauthorized);
    const error = await unwrap(client.GET('/offices')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).message).toBe('Sessione scaduta');
    expect((error as ApiError).code).toBe('auth.required');
    expect(onUnauthorized).toHaveBeenCalledOnce();
    await expect(unwrap(client.POST('/auth/login', { body: { email: 'a@b.it', password: 'x' } }))).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('keeps a readable error when the body is not problem+json, and returns undefined for 204', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('Bad gateway', { status: 502, statusText: 'Bad Gateway' })));
    const error = (await unwrap(client.GET('/offices')).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.message).toBe('Bad Gateway');
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
    expect((await unwrap(client.DELETE('/me/tokens/{id}', { params: { path: { id: '1' } } }))).data).toBeUndefined();
  });
});

describe('typed helpers', () => {
  const requestOf = (mock: ReturnType<typeof vi.fn>, call = 0) => (mock.mock.calls[call] as unknown as [Request])[0];

  it('apiGet fills path and query parameters and returns data with its ETag', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(200, { id: 'f1' }, { etag: '"7"' }));
    vi.stubGlobal('fetch', fetchMock);
    const result = await apiGet('/faq/{id}/diff', { path: { id: 'f 1' }, query: { from: 2 } });
    expect(result).toMatchObject({ data: { id: 'f1' }, status: 200, etag: '"7"' });
    const url = new URL(requestOf(fetchMock).url);
    expect(url.pathname).toBe('/api/v1/faq/f%201/diff');
    expect(url.search).toBe('?from=2');
  });

  it('apiGet passes the abort signal and turns problem+json into ApiError', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(404, { status: 404, code: 'faq.not_found', detail: 'FAQ non trovata' }));
    vi.stubGlobal('fetch', fetchMock);
    const controller = new AbortController();
    const error = await apiGet('/faq/{id}', { path: { id: 'x' } }, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('faq.not_found');
    controller.abort();
    expect(requestOf(fetchMock).signal.aborted).toBe(true);
  });

  it('apiUpload sends the form as multipart (no JSON content type), with CSRF and Idempotency-Key', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(201, { id: 'a1' }));
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('csrf-1');
    const form = new FormData();
    form.append('file', new Blob(['ciao'], { type: 'text/plain' }), 'nota.txt');
    const result = await apiUpload('/tickets/{code}/attachments', { path: { code: 'ABCD' } }, form, { idempotencyKey: 'k2' });
    expect(result.status).toBe(201);
    const request = requestOf(fetchMock);
    expect(new URL(request.url).pathname).toBe('/api/v1/tickets/ABCD/attachments');
    expect(request.method).toBe('POST');
    expect(request.headers.get('x-csrf-token')).toBe('csrf-1');
    expect(request.headers.get('idempotency-key')).toBe('k2');
    expect(request.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
  });
});

describe('field errors', () => {
  it('normalises JSON-pointer and dotted paths', () => {
    expect(normaliseErrorPath('/requester/email')).toBe('requester.email');
    expect(normaliseErrorPath('body.subject')).toBe('subject');
    expect(normaliseErrorPath('classification[tema]')).toBe('classification.tema');
  });

  it('keeps the first message per field', () => {
    const error = new ApiError(422, { errors: [{ path: '/subject', message: 'obbligatorio' }, { path: '/subject', message: 'troppo corto' }] });
    expect(fieldErrors(error)).toEqual({ subject: 'obbligatorio' });
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});

describe('idempotency keys', () => {
  it('are v4 uuids, different every time', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});
