import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError, declaredErrors } from '../src/platform/errors.js';

/** Words only Italian text has: none may reach an English message. */
const ITALIAN = /\b(non|il|della|del|nella|già|questa|questo|nessun|nessuna|ufficio|richiesta|riprova|puoi|solo)\b|è/i;

const SRC = path.resolve(import.meta.dirname, '../src');

/** How many errors each `*.errors.ts` declares, importing every one of them (so that they declare their errors). */
const declaredPerFile = new Map<string, number>();

async function importCatalogues(): Promise<void> {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.errors.ts'));
  for (const file of files) {
    const before = declaredErrors().length;
    await import(path.join(SRC, file).replace(/\.ts$/, '.js'));
    declaredPerFile.set(file.split(path.sep).join('/'), declaredErrors().length - before);
  }
}

beforeAll(async () => {
  await importCatalogues();
});

/**
 * Codes the API returned with two statuses before the catalogues existed (a contract, kept):
 * a code looked up by a read (404) and the same code as a problem of a taxonomy change (422), a
 * local code taken (409) and a duplicate code inside a change (422).
 */
const TWO_STATUSES = new Set(['taxonomy.unknown_code', 'taxonomy.duplicate_code']);

describe('error catalogues', () => {
  it('declares stable dotted codes, one status per code', () => {
    const statusOf = new Map<string, number>();
    expect(declaredErrors().length).toBeGreaterThan(20);
    for (const e of declaredErrors()) {
      expect(e.code, `${e.scope}.${e.key}`).toMatch(/^(internal|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)$/);
      expect(e.status, e.code).toBeGreaterThanOrEqual(400);
      const seen = statusOf.get(e.code);
      if (seen !== undefined && !TWO_STATUSES.has(e.code)) expect(e.status, e.code).toBe(seen);
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
        if (typeof value === 'number' && italian.includes(String(value))) expect(english, `${label}: ${value}`).toContain(String(value));
      }
      // Parameters render as values, never as placeholders, objects or missing values.
      for (const text of [italian, english]) expect(text, label).not.toMatch(/undefined|null\b|\[object Object\]|\$\{|\{\w+\}/);
      // Extra members (e.g. field lists) exist in both languages and list as many items.
      if (e.spec.members) {
        const [it_, en] = [e.spec.members(params, 'it'), e.spec.members(params, 'en')];
        expect(Object.keys(en).sort(), label).toEqual(Object.keys(it_).sort());
        expect(en.errors?.length, label).toBe(it_.errors?.length);
      }
    }
  });

  it('has a catalogue in every module, and every catalogue file declares errors', () => {
    const modules = readdirSync(path.join(SRC, 'modules'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(modules.length).toBeGreaterThan(5);
    for (const m of modules) {
      const declared = [...declaredPerFile].filter(([file]) => file.startsWith(`modules/${m}/`)).reduce((sum, [, n]) => sum + n, 0);
      expect(declared, `modules/${m} declares no error catalogue`).toBeGreaterThan(0);
    }
    // classification.errors.ts holds the typed ClassificationError of training and models (no HTTP): its HTTP mapping is suggestion.errors.ts.
    for (const [file, n] of declaredPerFile) if (file !== 'modules/classification/classification.errors.ts') expect(n, file).toBeGreaterThan(0);
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

/** The source files of the application (tests aside), as [relative path, text]. */
function sources(): [string, string][] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => [f.split(path.sep).join('/'), readFileSync(path.join(SRC, f), 'utf8')]);
}

/** Lines of `text` that match `pattern`, as `file:line: text`. */
function offending(files: [string, string][], pattern: RegExp): string[] {
  const found: string[] = [];
  for (const [file, text] of files) {
    text.split('\n').forEach((line, i) => {
      if (pattern.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

describe('errors are recognised by their type, never by their text', () => {
  const files = sources();

  it('never chooses an error (or its code) by matching message text', () => {
    // `.message.includes(…)`, `.message?.startsWith(…)`, `message === '…'`, `/…/.test(err.message)`, `.message.match(…)`.
    const pattern = /\.message\??\.(includes|startsWith|endsWith|match|search|indexOf)\(|\.message\s*[!=]==|\.test\([\w.?]*\.message\)/;
    expect(offending(files, pattern)).toEqual([]);
  });

  it('checks no HTTP status on an untyped error outside the one mapper of framework errors', () => {
    // An error from a module is recognised by its catalogue entry (`errors.notFound.is(err)`) or `hasCode`;
    // only platform/problem.ts maps Fastify's own errors, which carry nothing but a status.
    const pattern = /\b(status|statusCode)\s*[!=]==?\s*[45]\d\d\b/;
    expect(offending(files.filter(([f]) => f !== 'platform/problem.ts'), pattern)).toEqual([]);
  });

  it('builds application errors only from catalogues (no hand-made AppError in modules)', () => {
    expect(offending(files.filter(([f]) => f.startsWith('modules/')), /new AppError\(/)).toEqual([]);
  });

  it('finds what it guards against (the patterns are not vacuous)', () => {
    const sample: [string, string][] = [
      ['x.ts', "if (err.message.includes('non trovato')) code = 'x';"],
      ['y.ts', 'if ((err as { status?: number }).status === 404) return null;'],
      ['z.ts', 'if (/duplicate key/.test(e.message)) throw conflict();'],
    ];
    expect(offending(sample, /\.message\??\.(includes|startsWith|endsWith|match|search|indexOf)\(|\.message\s*[!=]==|\.test\([\w.?]*\.message\)/)).toHaveLength(2);
    expect(offending(sample, /\b(status|statusCode)\s*[!=]==?\s*[45]\d\d\b/)).toHaveLength(1);
  });
});
