/**
 * `urpnet import closures FILE [--dry-run] [--skip-bad-lines] [--json]`: patron days and local
 * closures of offices, the same use case as the admin page, run by whoever holds the server (any
 * body). Exit code 1 when nothing could be written, 3 when lines were skipped (as the other imports).
 */
import type { Config } from '../../../config.js';
import type { Database } from '../../../db/database.js';
import { type FileImportOptions, runFileImport } from '../../../platform/import-command.js';
import { type ClosureImportReport, importClosures } from './closure-import.js';

export type ClosureCommandOptions = FileImportOptions;

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
  await runFileImport(file, opts, (bytes, onBadLine) => importClosures(db, bytes, { dryRun: opts.dryRun ?? false, onBadLine }, { actor: null, organisationId: null }), formatClosureReport);
}
