import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
