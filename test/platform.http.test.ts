import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, demoEmail, login, type TestApp } from './helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('platform endpoints', () => {
  it('reports health, readiness and Prometheus metrics', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).json()).toMatchObject({ status: 'ready' });
    const metrics = await t.app.inject('/metrics');
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('urpnet_http_request_duration_seconds');
    expect(metrics.body).toContain('urpnet_process_resident_memory_bytes');
  });

  it('publishes an OpenAPI 3 document covering the API', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/tickets', '/api/v1/tickets/{code}', '/api/v1/tickets/{code}/status', '/api/v1/auth/login', '/api/v1/offices/{id}', '/api/v1/taxonomy']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.paths['/api/v1/tickets'].post.requestBody.content['application/json'].schema.required).toContain('subject');
    expect((await t.app.inject('/api/docs/')).statusCode).toBe(200);
  });

  it('answers unknown routes with problem+json and rate-limit headers on API calls', async () => {
    const res = await t.app.inject('/api/v1/nonexistent');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, code: 'route.not_found' });
    expect(res.headers['x-ratelimit-limit']).toBeDefined();
  });

  it('serves the shared taxonomy 1.0.0 to members, and exports it as JSON, CSV and SKOS', async () => {
    const anonymous = await t.app.inject('/api/v1/taxonomy');
    expect(anonymous.statusCode).toBe(401);
    const member = await login(t.app, demoEmail('operatore', 'comune-celano'));
    expect((await member.get('/api/v1/taxonomy')).json().version).toBe('1.0.0');
    const json = await member.get('/api/v1/taxonomy/versions/1.0.0/export');
    expect(json.json().facets).toHaveLength(6);
    const csv = await member.get('/api/v1/taxonomy/versions/1.0.0/export?format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toContain('facet,facet_required');
    const skos = await member.get('/api/v1/taxonomy/versions/1.0.0/export?format=skos');
    expect(skos.headers['content-type']).toContain('text/turtle');
    expect(skos.body).toContain('skos:ConceptScheme');
    expect((await member.get('/api/v1/taxonomy/versions/9.9.9/export')).json().code).toBe('taxonomy.version_not_found');
    expect((await member.get('/api/v1/taxonomy/versions/1.0.0/export?format=xml')).statusCode).toBe(400);
  });
});
