/**
 * The command-line side of every CSV import (`urpnet import offices|closures|competences …`): read
 * the file, run the import, print its report (or JSON), and exit 1 when nothing could be written,
 * 3 when bad lines were skipped.
 */
import { readFileSync } from 'node:fs';
import { AppError } from './errors.js';

export interface FileImportOptions {
  dryRun?: boolean;
  allOrNothing?: boolean;
  skipBadLines?: boolean;
  json?: boolean;
}

export async function runFileImport<R extends { problems: readonly unknown[] }>(
  file: string,
  opts: FileImportOptions,
  run: (bytes: Uint8Array, onBadLine: 'abort' | 'skip') => Promise<R>,
  format: (report: R) => string,
): Promise<R | null> {
  if (opts.allOrNothing && opts.skipBadLines) {
    process.stderr.write('errore: scegli --all-or-nothing oppure --skip-bad-lines, non entrambi\n');
    process.exitCode = 1;
    return null;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    process.stderr.write(`errore: impossibile leggere ${file}: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return null;
  }
  try {
    const report = await run(bytes, opts.skipBadLines ? 'skip' : 'abort');
    process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : format(report));
    if (report.problems.length > 0) process.exitCode = 3;
    return report;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (opts.json) process.stdout.write(`${JSON.stringify({ code: err.code, message: err.message, ...err.params })}\n`);
    process.stderr.write(`errore: ${err.message}\n`);
    for (const e of err.details('it').errors ?? []) process.stderr.write(`  ${e.path}: ${e.message} [${e.code}]\n`);
    process.exitCode = 1;
    return null;
  }
}
