import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import type { ListProblem } from './istat-list.js';
import { describeListProblem } from './territory.errors.js';
import { importIstatList, territoryInfo } from './territory.service.js';

/** `urpnet territory import FILE.csv [--successioni FILE.csv] [--dry-run]`: prints what changes; exit code 1 when the list is refused. */
export async function territoryImportAction(db: Database, file: string, opts: { successioni?: string; dryRun: boolean; json: boolean }): Promise<void> {
  const read = (f: string) => {
    try {
      return readFileSync(f);
    } catch (err) {
      process.stderr.write(`errore: non riesco a leggere ${f}: ${(err as Error).message}\n`);
      process.exit(1);
    }
  };
  try {
    const report = await importIstatList(db, {
      list: read(file),
      ...(opts.successioni ? { successions: read(opts.successioni) } : {}),
      source: `ISTAT: ${path.basename(file)}${opts.successioni ? ` + ${path.basename(opts.successioni)}` : ''}`,
      dryRun: opts.dryRun,
    });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    const c = report.changes;
    const out = [
      `${opts.dryRun ? 'prova (nulla è stato scritto)' : 'territorio aggiornato'}: ${report.counts.regions} regioni, ${report.counts.provinces} province, ${report.counts.comuni} comuni, ${report.counts.successions} codici soppressi mappati (file ${report.encoding})`,
      `comuni nuovi: ${c.added.length}${c.added.length > 0 ? ` (${c.added.slice(0, 10).map((x) => `${x.code} ${x.name}`).join(', ')}${c.added.length > 10 ? ', …' : ''})` : ''}`,
      `comuni rinominati: ${c.renamed.length}${c.renamed.length > 0 ? ` (${c.renamed.slice(0, 10).map((x) => `${x.code} ${x.from} → ${x.to}`).join(', ')})` : ''}`,
      `comuni soppressi: ${c.suppressed.length}`,
      ...c.suppressed.map((s) => `  ${s.oldCode} ${s.oldName} → ${s.newCode} (${c.inferred.find((i) => i.oldCode === s.oldCode)?.how === 'file' ? 'dal file delle successioni' : 'dedotto dai due elenchi'})`),
      ...(report.unknownColumns.length > 0 ? [`colonne non usate: ${report.unknownColumns.join(', ')}`] : []),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } catch (err) {
    if (err instanceof AppError && err.code === 'territory.list_rejected') {
      const problems = (err.params as { problems: ListProblem[] }).problems;
      process.stderr.write(`errore: elenco non importato, nulla è stato modificato (${problems.length} problemi):\n${problems.map((p) => `  ${describeListProblem(p)}`).join('\n')}\n`);
      process.exit(1);
    }
    throw err;
  }
}

export async function territoryShowAction(db: Database): Promise<void> {
  const info = await territoryInfo(db);
  process.stdout.write(`territorio: ${info.counts.regions} regioni, ${info.counts.provinces} province, ${info.counts.comuni} comuni, ${info.counts.successions} codici soppressi mappati\nfonte: ${info.source}${info.updatedAt ? ` (${info.updatedAt.toISOString()})` : ''}\n`);
}
