import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, demoEmail, login, type TestApp, ticketInput } from './helpers/test-app.js';

/**
 * Malformed input that used to reach PostgreSQL (or the router) and come back as a 5xx or as plain
 * JSON: each must be a 4xx application/problem+json with a stable code.
 */
let t: TestApp;
let operator: Client;
let admin: Client;
let code: string;

beforeAll(async () => {
  t = await buildTestApp();
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  admin = await login(t.app, demoEmail('admin', 'comune-celano'));
  const created = await operator.post('/api/v1/tickets', ticketInput(operator));
  expect(created.statusCode, created.body).toBe(201);
  code = created.json().code;
});
afterAll(async () => {
  await t?.close();
});

function expectProblem(res: LightMyRequestResponse, status: number, problemCode?: string): void {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as { code?: unknown; status?: unknown };
  expect(typeof body.code).toBe('string');
  expect(body.status).toBe(status);
  if (problemCode) expect(body.code).toBe(problemCode);
}

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function multipart(filename: string, content: string) {
  const head = `--B\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n`;
  return { head, whole: `${head}${content}\r\n--B--\r\n`, headers: { 'content-type': 'multipart/form-data; boundary=B' } };
}

describe('NUL characters', () => {
  it('are refused in search queries of the inbox and the FAQ', async () => {
    expectProblem(await operator.get('/api/v1/tickets?q=a%00b'), 400, 'request.nul_character');
    expectProblem(await operator.get('/api/v1/faq?q=a%00b'), 400, 'request.nul_character');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/portal/faq/search?q=anagrafe%00' }), 400, 'request.nul_character');
  });

  it('are refused in any text field of a JSON body, keys included, and nothing is written', async () => {
    expectProblem(await operator.post('/api/v1/tickets', ticketInput(operator, { subject: 'Buca in via\u0000 Roma' })), 400, 'request.nul_character');
    expectProblem(await operator.post('/api/v1/tickets', ticketInput(operator, { requester: { name: 'Mario\u0000' } })), 400, 'request.nul_character');
    expectProblem(await operator.post(`/api/v1/tickets/${code}/messages`, { kind: 'note', body: 'nota\u0000' }), 400, 'request.nul_character');
    expectProblem(await operator.post('/api/v1/tickets', ticketInput(operator, { classification: { 'te\u0000ma': 'x' } })), 400, 'request.nul_character');
    expectProblem(await admin.patch('/api/v1/me', { name: 'Anna\u0000' }), 400, 'request.nul_character');
    const subjects = await t.database.db.selectFrom('tickets').select('subject').execute();
    expect(subjects.some((s) => s.subject.includes('Buca'))).toBe(false);
  });

  it('are refused in path parameters', async () => {
    expectProblem(await operator.get('/api/v1/tickets/AB%00'), 400, 'request.nul_character');
  });

  it('in an uploaded file name do not reach the database', async () => {
    const body = multipart('nota\u0000.txt', 'testo');
    const res = await operator.request({ method: 'POST', url: `/api/v1/tickets/${code}/attachments`, payload: body.whole, headers: body.headers });
    expect(res.statusCode, res.body).toBeLessThan(500);
    const csv = multipart('storico\u0000.csv', 'id;testo\n1;a\n2;b\n');
    const imp = await admin.request({ method: 'POST', url: '/api/v1/history-imports?source=crm-vecchio', payload: csv.whole, headers: csv.headers });
    expect(imp.statusCode, imp.body).toBeLessThan(500);
    if (imp.statusCode >= 400) expectProblem(imp, imp.statusCode);
  });
});

describe('cursors', () => {
  it('that decode to a non-UUID id or an out-of-range date are a 400', async () => {
    for (const cursor of [
      cursorOf(['2026-01-01T00:00:00.000Z', 'not-a-uuid']),
      cursorOf(['+275760-09-13T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']),
      cursorOf(['0000-01-01T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']),
      cursorOf(['Tue, 01 Jan 2026', '00000000-0000-4000-8000-000000000000']),
      cursorOf(['2026-01-01T00:00:00.000Z', 'urn:uuid:00000000-0000-4000-8000-000000000000']),
      cursorOf({ at: 1 }),
    ]) {
      expectProblem(await operator.get(`/api/v1/tickets?cursor=${cursor}`), 400, 'pagination.invalid_cursor');
      expectProblem(await admin.get(`/api/v1/faq?cursor=${cursor}`), 400, 'pagination.invalid_cursor');
    }
  });

  it('that the server produced still work', async () => {
    const ok = await operator.get(`/api/v1/tickets?cursor=${cursorOf(['2999-01-01T00:00:00.000Z', 'ffffffff-ffff-4fff-bfff-ffffffffffff'])}`);
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('identifiers and numbers', () => {
  it('an assignee that matches the old loose pattern but is no UUID is a validation error', async () => {
    expectProblem(await operator.get('/api/v1/tickets?assignee=------------------------------------'), 400, 'request.validation');
    expectProblem(await operator.get('/api/v1/tickets?assignee=urn:uuid:00000000-0000-4000-8000-000000000000'), 400, 'request.validation');
    expect((await operator.get(`/api/v1/tickets?assignee=${operator.userId}`)).statusCode).toBe(200);
  });

  it('UUIDs in urn form are refused as path parameters and body fields', async () => {
    expectProblem(await operator.get('/api/v1/offices/urn:uuid:00000000-0000-4000-8000-000000000000'), 400, 'request.validation');
    expectProblem(await operator.post('/api/v1/tickets', ticketInput(operator, { officeId: `urn:uuid:${operator.officeId}` })), 400, 'request.validation');
  });

  it('integers beyond the 64-bit range or not finite are a validation error', async () => {
    for (const afterId of ['9223372036854775808', '1e400', '18446744073709551616', '-9223372036854775809']) {
      const res = await operator.get(`/api/v1/notifications?afterId=${afterId}`);
      expect(res.statusCode, `${afterId}: ${res.body}`).toBe(400);
      expectProblem(res, 400, "request.validation");
    }
    const ids = await operator.request({
      method: 'POST', url: '/api/v1/notifications/read', payload: '{"ids":[9223372036854775808]}', headers: { 'content-type': 'application/json' },
    });
    expectProblem(ids, 400, 'request.validation');
    const huge = await operator.request({ method: 'POST', url: '/api/v1/notifications/read', payload: '{"ids":[1e400]}', headers: { 'content-type': 'application/json' } });
    expect(huge.statusCode).toBe(400);
    expect(huge.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await operator.get('/api/v1/notifications?afterId=0')).statusCode).toBe(200);
  });

  it('dates PostgreSQL and JavaScript read differently are a validation error', async () => {
    const due = (dueAt: string) => operator.request({ method: 'PATCH', url: `/api/v1/tickets/${code}`, payload: { dueAt }, headers: { 'if-match': '*' } });
    for (const dueAt of ['0000-01-01T00:00:00Z', '2026-06-30T23:59:60Z']) {
      const res = await due(dueAt);
      expect(res.statusCode, `${dueAt}: ${res.body}`).toBe(400);
      expect(res.json().code).toBe('request.validation');
    }
  });
});

describe('uploads', () => {
  it('a truncated multipart upload is a 4xx problem, and nothing is stored', async () => {
    const before = await t.database.db.selectFrom('attachments').select('id').execute();
    const body = multipart('nota.txt', 'x'.repeat(5000));
    const truncated = body.whole.slice(0, body.head.length + 2000);
    const res = await operator.request({ method: 'POST', url: `/api/v1/tickets/${code}/attachments`, payload: truncated, headers: body.headers });
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, res.body).toBeLessThan(500);
    expectProblem(res, res.statusCode);
    const headOnly = await operator.request({ method: 'POST', url: `/api/v1/tickets/${code}/attachments`, payload: '--B\r\nContent-Disp', headers: body.headers });
    expect(headOnly.statusCode, headOnly.body).toBeLessThan(500);
    expectProblem(headOnly, headOnly.statusCode);
    const after = await t.database.db.selectFrom('attachments').select('id').execute();
    expect(after).toHaveLength(before.length);
  });

  it('a truncated multipart import upload is a 4xx problem', async () => {
    const csv = multipart('storico.csv', 'id;testo\n'.concat('1;segnalazione\n'.repeat(400)));
    const res = await admin.request({ method: 'POST', url: '/api/v1/history-imports?source=crm-vecchio', payload: csv.whole.slice(0, csv.head.length + 1000), headers: csv.headers });
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, res.body).toBeLessThan(500);
    expectProblem(res, res.statusCode);
  });
});

describe('router errors', () => {
  it('an undecodable URL is a problem+json 400', async () => {
    expectProblem(await operator.get('/api/v1/tickets/%E0%A4%A'), 400, 'request.bad_url');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/offices/%zz' }), 400, 'request.bad_url');
  });

  it('an over-long path parameter is a problem+json 4xx', async () => {
    const res = await operator.get(`/api/v1/tickets/${'A'.repeat(5000)}/messages`);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expectProblem(res, res.statusCode);
  });

  it('an undecodable URL outside the API (web app fallback) is not a 5xx', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/tickets/%E0%A4%A' });
    expect(res.statusCode).toBeLessThan(500);
  });
});

describe('validation problems', () => {
  it('list every invalid field at once, each with its field, a stable code and params', async () => {
    const res = await operator.post('/api/v1/tickets', ticketInput(operator, {
      subject: 'ab', description: '', channel: 'fax', requester: { name: 'Maria', email: 'non-una-mail' },
    }));
    expectProblem(res, 400, 'request.validation');
    const errors = res.json().errors as { field: string; code: string; params: Record<string, unknown>; path: string; message: string }[];
    const byField = Object.fromEntries(errors.map((e) => [e.field, e]));
    expect(Object.keys(byField).sort()).toEqual(['channel', 'description', 'requester.email', 'subject']);
    expect(byField.subject).toMatchObject({ code: 'too_short', params: { limit: 3 }, path: 'subject' });
    expect(byField.description).toMatchObject({ code: 'required' });
    expect(byField['requester.email']).toMatchObject({ code: 'invalid_format', params: { format: 'email' } });
    expect(byField.channel?.code).toBe('not_allowed');
    expect(byField.channel?.params.allowedValues).toContain('telefono');
    // One entry per field: a nullable field does not echo "must be null" or "anyOf".
    expect(errors).toHaveLength(4);
  });

  it('name missing and unknown fields by their full dotted path', async () => {
    const { officeId: _omit, ...withoutOffice } = ticketInput(operator);
    const res = await operator.post('/api/v1/tickets', { ...withoutOffice, requester: { name: 'Maria', nickname: 'Mary' } });
    expectProblem(res, 400, 'request.validation');
    const errors = res.json().errors as { field: string; code: string }[];
    expect(errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'officeId', code: 'required' }),
      expect.objectContaining({ field: 'requester.nickname', code: 'unknown_field' }),
    ]));
  });
});
