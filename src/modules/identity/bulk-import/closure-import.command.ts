/**
 * `urpnet import closures FILE [--dry-run] [--skip-bad-lines] [--json]`: patron days and local
 * closures of offices, the same use case as the admin page, run by whoever holds the server (any
 * body). Exit code 1 when nothing could be written, 3 when lines were skipped (as the other imports).
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../../../config.js';
import type { Database } from '../../../db/database.js';
import { AppError } from '../../../platform/errors.js';
import { type ClosureImportReport, importClosures } from './closure-import.js';

export interface ClosureCommandOptions {
  dryRun?: boolean;
  allOrNothing?: boolean;
  skipBadLines?: boolean;
  json?: boolean;
}

/** The report as the command prints it, in Italian. */
export function formatClosureReport(report: ClosureImportReport): string {
  const lines = [
    `chiusure e patroni: righe lette ${report.rows}, valide ${report.accepted}, voci nuove ${report.inserted}, aggiornate ${report.updated}, invariate ${report.unchanged}, uffici modificati ${report.offices}, righe non valide ${report.problems.length}` +
      ` — file ${report.encoding}, separatore ${report.separator}`,
  ];
  if (report.columns.unknown.length > 0) lines.push(`colonne non riconosciute (ignorate): ${report.columns.unknown.join(', ')}`);
  for (const p of report.problems) lines.push(`  riga ${p.line}: ${p.message} [${p.code}]`);
  lines.push(report.dryRun ? 'prova: nulla è stato scritto' : report.written ? (report.problems.length > 0 ? 'scritte le righe valide; le righe non valide sono state saltate' : 'importazione completata') : 'nulla è stato scritto');
  return `${lines.join('\n')}\n`;
}

export async function closureImportAction(db: Database, _cfg: Config, file: string, opts: ClosureCommandOptions): Promise<void> {
  if (opts.allOrNothing && opts.skipBadLines) {
    process.stderr.write('errore: scegli --all-or-nothing oppure --skip-bad-lines, non entrambi\n');
    process.exitCode = 1;
    return;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    process.stderr.write(`errore: impossibile leggere ${file}: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  try {
    const report = await importClosures(db, bytes, { dryRun: opts.dryRun ?? false, onBadLine: opts.skipBadLines ? 'skip' : 'abort' }, { actor: null, organisationId: null });
    process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : formatClosureReport(report));
    if (report.problems.length > 0) process.exitCode = 3;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (opts.json) process.stdout.write(`${JSON.stringify({ code: err.code, message: err.message, ...err.params })}\n`);
    process.stderr.write(`errore: ${err.message}\n`);
    for (const e of err.details('it').errors ?? []) process.stderr.write(`  ${e.path}: ${e.message} [${e.code}]\n`);
    process.exitCode = 1;
  }
}
