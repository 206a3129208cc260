import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTicketCode } from '../src/modules/tickets/ticket-code.js';
import { requestLanguage } from '../src/platform/messages.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let operator: Client;

beforeAll(async () => {
  t = await buildTestApp();
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
});
afterAll(async () => {
  await t?.close();
});

const ITALIAN = /\b(competenza|territorio|nazionale|comprende|indicato)\b/;

describe('server-written sentences follow the UI language (Accept-Language)', () => {
  const question = encodeURIComponent("chi è competente per esenzione ticket sanitario in provincia dell'Aquila?");

  it('gives the directory reasons in English to an English UI, in Italian otherwise', async () => {
    const english = (await operator.get(`/api/v1/directory?q=${question}`, { 'accept-language': 'en' })).json();
    expect(english.results.length).toBeGreaterThan(0);
    for (const r of english.results as { reasons: string[] }[]) {
      expect(r.reasons.join(' · ')).not.toMatch(ITALIAN);
      expect(r.reasons[0]).toMatch(/^competence: /);
    }
    const italian = (await operator.get(`/api/v1/directory?q=${question}`, { 'accept-language': 'it' })).json();
    expect(italian.results[0].reasons[0]).toMatch(/^competenza: /);
    expect((await operator.get(`/api/v1/directory?q=${question}`)).json().results[0].reasons[0]).toMatch(/^competenza: /);
  });

  it('reads the preferred supported language of the header', () => {
    expect(requestLanguage('en-GB,en;q=0.9,it;q=0.8')).toBe('en');
    expect(requestLanguage('de-DE, it;q=0.5, en;q=0.4')).toBe('it');
    expect(requestLanguage('fr, en;q=0.1')).toBe('en');
    expect(requestLanguage('it;q=0, en;q=0')).toBe('it');
    expect(requestLanguage(undefined)).toBe('it');
  });
});

describe('problems follow the UI language (Accept-Language)', () => {
  it('writes an unknown route in English for an English UI, in Italian otherwise, with code and params', async () => {
    const english = await operator.get('/api/v1/no-such-thing', { 'accept-language': 'en-GB,en;q=0.9' });
    expect(english.statusCode).toBe(404);
    expect(english.headers['content-type']).toContain('application/problem+json');
    expect(english.headers['content-language']).toBe('en');
    expect(english.json()).toMatchObject({
      code: 'route.not_found',
      title: 'Not found',
      detail: 'No resource at GET /api/v1/no-such-thing.',
      params: { method: 'GET', path: '/api/v1/no-such-thing' },
    });
    const italian = await operator.get('/api/v1/no-such-thing');
    expect(italian.headers['content-language']).toBe('it');
    expect(italian.json()).toMatchObject({ code: 'route.not_found', title: 'Non trovato', detail: 'Nessuna risorsa a GET /api/v1/no-such-thing.' });
  });

  it('writes the invalid fields of a request in English, keeping their stable codes', async () => {
    const res = await operator.get('/api/v1/tickets?assignee=not-a-uuid', { 'accept-language': 'en' });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('request.validation');
    expect(body.detail).toMatch(/^Invalid data \(querystring\): /);
    expect(body.detail).not.toMatch(/\b(non|valido|campo)\b/);
    expect(body.errors[0]).toMatchObject({ field: 'assignee', code: 'invalid_format' });
    expect(body.errors[0].message).toMatch(/^“assignee” /);
    const italian = (await operator.get('/api/v1/tickets?assignee=not-a-uuid')).json();
    expect(italian.detail).toMatch(/^Dati non validi \(querystring\): «assignee» /);
  });

  it('writes authentication problems in English too', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'auth.required', title: 'Authentication required', detail: 'Authentication required: sign in or send a valid API token.', params: {} });
  });

  it('writes a module’s problem in English with its parameters, the same code and status as in Italian', async () => {
    const code = generateTicketCode();
    const english = await operator.get(`/api/v1/tickets/${code}`, { 'accept-language': 'en' });
    expect(english.statusCode).toBe(404);
    expect(english.json()).toMatchObject({
      code: 'ticket.not_found',
      detail: `No ticket with code ${code} among those you can see.`,
      params: { ticketCode: code },
    });
    const italian = await operator.get(`/api/v1/tickets/${code}`);
    expect(italian.statusCode).toBe(404);
    expect(italian.json()).toMatchObject({ code: 'ticket.not_found', detail: `Nessun ticket con codice ${code} tra quelli che puoi vedere.`, params: { ticketCode: code } });
    const malformed = (await operator.get('/api/v1/tickets/ABCD-EFGH-Z', { 'accept-language': 'en' })).json();
    expect(malformed).toMatchObject({ code: 'ticket.malformed_code', params: { ticketCode: 'ABCD-EFGH-Z' } });
    expect(malformed.detail).toMatch(/^“ABCD-EFGH-Z” is not a valid ticket code/);
  });
});
