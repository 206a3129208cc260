import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError, declaredErrors } from '../src/platform/errors.js';

/** Words only Italian text has: none may reach an English message. */
const ITALIAN = /\b(non|il|della|del|nella|già|questa|questo|nessun|nessuna|ufficio|richiesta|riprova|puoi|solo)\b|è/i;

/** Every module's error catalogue (`*.errors.ts`), imported so that it declares its errors. */
async function importCatalogues(): Promise<string[]> {
  const root = path.resolve(import.meta.dirname, '../src');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.errors.ts'));
  for (const file of files) await import(path.join(root, file).replace(/\.ts$/, '.js'));
  return files;
}

beforeAll(async () => {
  await importCatalogues();
});

describe('error catalogues', () => {
  it('declares stable dotted codes, one status per code', () => {
    const statusOf = new Map<string, number>();
    expect(declaredErrors().length).toBeGreaterThan(20);
    for (const e of declaredErrors()) {
      expect(e.code, `${e.scope}.${e.key}`).toMatch(/^(internal|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)$/);
      expect(e.status, e.code).toBeGreaterThanOrEqual(400);
      const seen = statusOf.get(e.code);
      if (seen !== undefined) expect(e.status, e.code).toBe(seen);
      statusOf.set(e.code, e.status);
    }
  });

  it('writes every declared error in Italian and in English, from its parameters', () => {
    for (const e of declaredErrors()) {
      const label = `${e.scope}.${e.key} (${e.code})`;
      const takesParams = e.spec.it.length > 0 || e.spec.en.length > 0;
      if (takesParams) expect(e.spec.example, `${label} needs an example`).toBeDefined();
      const params = e.spec.example ?? {};
      const italian = e.spec.it(params);
      const english = e.spec.en(params);
      expect(italian.trim(), label).not.toBe('');
      expect(english.trim(), label).not.toBe('');
      expect(english, label).not.toBe(italian);
      expect(english, label).not.toMatch(ITALIAN);
      for (const value of Object.values(params)) {
        if (typeof value === 'string' && value.length > 2 && italian.includes(value)) expect(english, `${label}: ${value}`).toContain(value);
      }
      // Extra members (e.g. field lists) exist in both languages and list as many items.
      if (e.spec.members) {
        const [it_, en] = [e.spec.members(params, 'it'), e.spec.members(params, 'en')];
        expect(Object.keys(en).sort(), label).toEqual(Object.keys(it_).sort());
        expect(en.errors?.length, label).toBe(it_.errors?.length);
      }
    }
  });

  it('builds errors that carry code, params and both languages', async () => {
    const { platformErrors } = await import('../src/platform/errors.js');
    const err = platformErrors.routeNotFound({ method: 'GET', path: '/x' });
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('route.not_found');
    expect(err.status).toBe(404);
    expect(err.params).toEqual({ method: 'GET', path: '/x' });
    expect(err.text('it')).toBe('Nessuna risorsa a GET /x.');
    expect(err.text('en')).toBe('No resource at GET /x.');
    expect(err.message).toBe(err.text('it'));
    expect(platformErrors.routeNotFound.is(err)).toBe(true);
    expect(platformErrors.internal.is(err)).toBe(false);
    expect(platformErrors.routeNotFound.is(new Error('Nessuna risorsa'))).toBe(false);
  });
});
