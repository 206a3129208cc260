import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const MODULES = path.resolve(import.meta.dirname, '../src/modules');

/**
 * Recurring work runs as jobs of the platform queue (`src/platform/jobs`), where a schedule runs once
 * across instances and a crash is retried; a timer in a module runs on every instance and loses its
 * work on a crash.
 */
const PENDING: Record<string, string> = {
  // None left: the notification stream's keep-alive ping is one timer of the realtime hub
  // (src/platform/realtime.ts) for every open stream of the instance.
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

describe('no timers in src/modules', () => {
  it('finds no setInterval outside the platform (recurring work is a job)', () => {
    const offenders = sources(MODULES)
      .map((file) => path.relative(MODULES, file).split(path.sep).join('/'))
      .filter((rel) => !(rel in PENDING))
      .filter((rel) => /\bsetInterval\s*\(/.test(readFileSync(path.join(MODULES, rel), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('would catch one (the check reads what it claims to read)', () => {
    expect(/\bsetInterval\s*\(/.test('const timer = setInterval(() => tick(), 1000);')).toBe(true);
    expect(sources(MODULES).length).toBeGreaterThan(20);
  });
});
