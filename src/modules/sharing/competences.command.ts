/**
 * `urpnet import competences FILE.csv [--dry-run] [--skip-bad-lines] [--json]`: the matrix
 * "topic × territory → competent office", the same use case as the admin upload, run by whoever
 * holds the server. Exit code 1 when nothing could be written, 3 when lines were skipped.
 */
import type { Database } from '../../db/database.js';
import { type FileImportOptions, runFileImport } from '../../platform/import-command.js';
import { type CompetenceImportReport, importCompetences } from './competences.service.js';

export type CompetenceImportCommandOptions = FileImportOptions;

const where = (territory: string | null) => territory ?? 'Italia';

/** The report as the command prints it, in Italian. */
export function formatCompetenceReport(report: CompetenceImportReport): string {
  const lines = [
    `competenze: righe lette ${report.rows}, valide ${report.accepted}, non valide ${report.problems.length}; uffici nominati ${report.offices}, modificati ${report.changedOffices};` +
      ` coppie argomento × territorio aggiunte ${report.added}, tolte ${report.removed} — file ${report.encoding}, separatore ${report.separator}`,
  ];
  if (report.columns.unknown.length > 0) lines.push(`colonne non riconosciute (ignorate): ${report.columns.unknown.join(', ')}`);
  for (const p of report.problems) lines.push(`  riga ${p.line}: ${p.message} [${p.code}]`);
  for (const n of report.notes) lines.push(`  riga ${n.line} (nota): ${n.message}`);
  if (report.dryRun) {
    for (const c of report.changes) {
      lines.push(`  ${c.organisationIpa} ${c.officeCode} (${c.officeName}): +${c.added.length} −${c.removed.length}`);
      for (const a of c.added.slice(0, 20)) lines.push(`    + ${a.topic} @ ${where(a.territory)}`);
      for (const r of c.removed.slice(0, 20)) lines.push(`    − ${r.topic} @ ${where(r.territory)}`);
    }
  }
  lines.push(report.dryRun ? 'prova: nulla è stato scritto' : report.written ? (report.problems.length > 0 ? 'scritte le righe valide; le righe non valide sono state saltate' : 'importazione completata') : 'nessuna modifica: le competenze sono già quelle del file');
  return `${lines.join('\n')}\n`;
}

export async function importCompetencesAction(db: Database, file: string, opts: CompetenceImportCommandOptions): Promise<void> {
  await runFileImport(file, opts, (bytes, onBadLine) => importCompetences(db, bytes, { dryRun: opts.dryRun ?? false, onBadLine }), formatCompetenceReport);
}
