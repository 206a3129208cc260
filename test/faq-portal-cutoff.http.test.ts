import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_RELEVANCE_RATIO, relevanceCut } from '../src/modules/knowledge/faq-search.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

const corpus = readFileSync(path.resolve(import.meta.dirname, '..', 'data-seed', 'faq', 'corpus.jsonl'), 'utf8');

let t: TestApp;
let operator: Client;

interface Hit {
  externalId: string;
  score: number;
}

const portal = async (q: string): Promise<Hit[]> => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/portal/faq/search?limit=8&q=${encodeURIComponent(q)}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
};
const console8 = async (q: string): Promise<Hit[]> => {
  const res = await operator.get(`/api/v1/faq/search?limit=8&q=${encodeURIComponent(q)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
};

beforeAll(async () => {
  t = await buildTestApp();
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  const coordinator = await login(t.app, demoEmail('coordinatore'));
  const res = await coordinator.request({ method: 'POST', url: '/api/v1/faq/import', payload: corpus, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  expect(res.statusCode, res.body).toBe(200);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('relevance cut-off of the citizen portal', () => {
  // Questions as citizens ask them, with the answer they need (labels of the corpus).
  const questions: [string, string][] = [
    ['orari urp celano', 'faq-0261'],
    ['come faccio ad avere le credenziali per entrare nei siti dello stato', 'faq-0001'],
    ["mi hanno rubato il portafoglio con dentro la carta d'identità cosa faccio", 'faq-0011'],
  ];

  it('drops the tail far below the best answer instead of always showing 8, and keeps the answer', async () => {
    let shorter = 0;
    for (const [q, answer] of questions) {
      const full = await console8(q);
      const shown = await portal(q);
      expect(full.length, q).toBe(8);
      expect(shown.length, q).toBeGreaterThan(0);
      // The same ranking, cut: a prefix of the full list, every kept score near the best.
      expect(shown.map((h) => h.externalId), q).toEqual(full.slice(0, shown.length).map((h) => h.externalId));
      const best = shown[0]!.score;
      for (const h of shown) expect(h.score, `${q}: ${h.externalId}`).toBeGreaterThanOrEqual(PORTAL_RELEVANCE_RATIO * best);
      for (const h of full.slice(shown.length)) expect(h.score, `${q}: ${h.externalId}`).toBeLessThan(PORTAL_RELEVANCE_RATIO * best);
      expect(shown.slice(0, 5).map((h) => h.externalId), q).toContain(answer);
      if (shown.length < full.length) shorter++;
    }
    expect(shorter).toBeGreaterThan(0);
  });

  it('keeps the best result whatever the ratio, and everything when nothing scores', () => {
    expect(relevanceCut([{ score: 10 }, { score: 3.9 }, { score: 4 }], 0.4)).toEqual([{ score: 10 }, { score: 4 }]);
    expect(relevanceCut([{ score: 2 }], 0.99)).toEqual([{ score: 2 }]);
    expect(relevanceCut([], 0.4)).toEqual([]);
    expect(relevanceCut([{ score: 0 }, { score: 0 }], 0.4)).toHaveLength(2);
  });
});
