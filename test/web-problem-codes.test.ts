import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { declaredErrors } from '../src/platform/errors.js';
import { FIELD_PROBLEM_CODES } from '../src/platform/problem.js';
import { serverStringsEn, serverStringsIt } from '../web/src/i18n/server-strings.js';

/*
 * The web app shows the problem `detail` the API writes in the user's language; the only codes it
 * words itself are the field codes of a validation problem (next to each field). Both sides must
 * name the same codes.
 */

const SRC = path.resolve(import.meta.dirname, '../src');
const WEB_SRC = path.resolve(import.meta.dirname, '../web/src');

beforeAll(async () => {
  for (const file of readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.errors.ts'))) {
    await import(path.join(SRC, file).replace(/\.ts$/, '.js'));
  }
});

/** Problem codes the web app's code compares with (`….code === 'ticket.not_found'`), outside its dictionaries. */
function codesComparedIn(files: [string, string][]): string[] {
  const pattern = /\bcode\s*[!=]==\s*'([a-z_]+(?:\.[a-z_]+)+)'|'([a-z_]+(?:\.[a-z_]+)+)'\s*[!=]==\s*[\w.?]*\bcode\b/g;
  return files.flatMap(([, text]) => [...text.matchAll(pattern)].map((m) => (m[1] ?? m[2])!));
}

describe('problem codes shared by the API and the web app', () => {
  it('words every field code of the API, and only those', () => {
    const webCodes = new Set(Object.keys(serverStringsIt).filter((k) => k.startsWith('formErrors.') && k !== 'formErrors.summary').map((k) => k.split('.')[1]!));
    expect([...webCodes].sort()).toEqual([...FIELD_PROBLEM_CODES].sort());
    for (const code of webCodes) expect(serverStringsEn[`formErrors.${code}` as keyof typeof serverStringsEn], code).toBeTruthy();
  });

  it('compares problems only with codes the API declares', () => {
    const files = readdirSync(WEB_SRC, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f) && !f.startsWith('i18n'))
      .map((f): [string, string] => [f, readFileSync(path.join(WEB_SRC, f), 'utf8')]);
    expect(files.length).toBeGreaterThan(20);
    const declared = new Set(declaredErrors().map((e) => e.code));
    for (const code of codesComparedIn(files)) expect(declared, code).toContain(code);
    // The scan finds what it looks for.
    expect(codesComparedIn([['x.tsx', "if (error.code === 'ticket.not_found') return; if ('faq.expired' !== problem.code) x();"]])).toEqual(['ticket.not_found', 'faq.expired']);
  });

  it('has a status sentence only for statuses a problem can have', () => {
    for (const key of Object.keys(serverStringsIt).filter((k) => k.startsWith('problem.status.'))) expect(Number(key.split('.')[2]), key).toBeGreaterThanOrEqual(400);
  });
});
