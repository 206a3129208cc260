/**
 * `urpnet import history FILE --org <slug> --mapping FILE.json [--dry-run]`: the same import as the
 * web flow, for large files and scripted migrations. The mapping file carries the column roles
 * (`columns`), the optional source name and the mapping itself (see data-seed/mappings/*.json).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { type ColumnRoles, resolveColumns } from './contact-row.js';
import { historyImportErrors as errors } from './history-import.errors.js';
import * as repo from './history-import.repository.js';
import { processRows, saveMappingVersion, sourceFromFilename } from './history-import.service.js';
import type { ImportReport } from './import-report.js';
import { sniffSource } from './import-source.js';
import { DATE_FORMATS, isValidTimeZone } from './legacy-dates.js';
import type { MappingContent } from './mapping.js';
import * as identity from '../identity/index.js';

export interface MappingFile extends MappingContent {
  name: string;
  source?: string;
  columns: ColumnRoles;
}

export class CommandError extends Error {}

/** Reads and shape-checks a mapping file; messages say what to fix. */
export function readMappingFile(file: string): MappingFile {
  if (!existsSync(file)) throw new CommandError(`file di mappatura «${file}» inesistente`);
  let doc: Partial<MappingFile>;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as Partial<MappingFile>;
  } catch (err) {
    throw new CommandError(`«${path.basename(file)}» non è JSON valido: ${(err as Error).message}`);
  }
  const problems: string[] = [];
  if (typeof doc.name !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(doc.name)) problems.push('«name» deve essere un nome in minuscolo con trattini');
  if (typeof doc.taxonomyVersion !== 'string') problems.push('«taxonomyVersion» mancante (es. "1.0.0")');
  if (!Array.isArray(doc.categories)) problems.push('«categories» deve essere un elenco di { legacy, tema, tipo?, canale?, esito? }');
  const c = doc.columns as Partial<ColumnRoles> | undefined;
  if (!c || typeof c !== 'object') problems.push('«columns» mancante: indica almeno id, createdAt, createdFormat, category');
  else {
    for (const k of ['id', 'createdAt', 'category'] as const) if (typeof c[k] !== 'string') problems.push(`«columns.${k}» mancante`);
    if (!DATE_FORMATS.includes(c.createdFormat as never)) problems.push(`«columns.createdFormat» deve essere uno tra ${DATE_FORMATS.join(', ')}`);
    if (c.closedFormat !== undefined && !DATE_FORMATS.includes(c.closedFormat as never)) problems.push(`«columns.closedFormat» deve essere uno tra ${DATE_FORMATS.join(', ')}`);
    if (c.timeZone !== undefined && !isValidTimeZone(c.timeZone)) problems.push(`«columns.timeZone» «${c.timeZone}» sconosciuto`);
  }
  if (problems.length > 0) throw new CommandError(`mappatura «${path.basename(file)}» non valida: ${problems.join('; ')}`);
  return { ...doc, channels: doc.channels ?? [], statuses: doc.statuses ?? [], columns: { timeZone: 'Europe/Rome', ...c } } as MappingFile;
}

export interface HistoryCommandOptions {
  org: string;
  mapping: string;
  dryRun?: boolean;
  unmapped?: string;
  source?: string;
}

/** Runs the import; returns the report (the import row is written only on commit). */
export async function importHistoryFile(db: Database, file: string, options: HistoryCommandOptions): Promise<{ report: ImportReport; importId: string | null; mappingVersion: number }> {
  if (!existsSync(file)) throw new CommandError(`file «${file}» inesistente`);
  const policy = (options.unmapped ?? 'skip') as 'skip' | 'unclassified';
  if (policy !== 'skip' && policy !== 'unclassified') throw new CommandError('--unmapped deve essere «skip» o «unclassified»');
  const mappingFile = readMappingFile(options.mapping);
  const org = await identity.findOrganisationBySlug(db, options.org);
  if (!org) throw new CommandError(`ente «${options.org}» inesistente`);
  const source = options.source ?? mappingFile.source ?? sourceFromFilename(file);
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(source)) throw errors.invalidSource();
  const open = () => createReadStream(file);
  const sniff = await sniffSource(open);
  const { missing } = resolveColumns(mappingFile.columns, sniff.columns);
  if (missing.length > 0) throw errors.unknownColumns({ missing, available: sniff.columns });
  const content: MappingContent = { taxonomyVersion: mappingFile.taxonomyVersion, categories: mappingFile.categories, channels: mappingFile.channels, statuses: mappingFile.statuses, ...(mappingFile.description && { description: mappingFile.description }) };
  const run = { mappingId: '', unmappedPolicy: policy, mode: options.dryRun ? ('dry_run' as const) : ('commit' as const) };
  if (options.dryRun) {
    // Nothing is written on a dry run, not even the mapping; codes are still checked.
    const report = await processRows(db, { id: '', organisationId: org.id, source, ...sniff }, mappingFile.columns, { content, taxonomyVersion: content.taxonomyVersion }, run, open);
    return { report, importId: null, mappingVersion: 0 };
  }
  const { mapping } = await db.transaction().execute((trx) => saveMappingVersion(trx, { organisationId: org.id, name: mappingFile.name, content, createdBy: null }));
  const hash = createHash('sha256');
  for await (const chunk of open()) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  const result = await db.transaction().execute(async (trx) => {
    const imp = await repo.insertImport(trx, {
      organisationId: org.id, source, filename: path.basename(file), storageKey: null, size: statSync(file).size, sha256, ...sniff, createdBy: null,
    });
    const report = await processRows(trx, imp, mappingFile.columns, mapping, { ...run, mappingId: mapping.id }, open);
    await repo.updateImport(trx, imp.id, { settings: mappingFile.columns, mappingId: mapping.id, unmappedPolicy: policy, status: 'committed', report, importedCount: report.imported, committedAt: new Date() });
    return { report, importId: imp.id, mappingVersion: mapping.version };
  });
  if (result.report.imported > 0) await repo.analyzeContacts(db);
  return result;
}

/** Human summary of a report, in Italian. */
export function formatReport(report: ImportReport): string {
  const lines = [
    `righe lette: ${report.totalRows}`,
    `${report.mode === 'commit' ? 'importate' : 'da importare'}: ${report.imported}${report.unclassified > 0 ? ` (di cui ${report.unclassified} senza tema)` : ''}`,
    `già presenti (non duplicate): ${report.alreadyPresent}`,
    `scartate: ${report.rejected}${report.rejected > 0 ? ` — ${Object.entries(report.rejectedByReason).filter(([, n]) => n > 0).map(([r, n]) => `${r} ${n}`).join(', ')}` : ''}`,
  ];
  for (const r of report.rejectedRows.slice(0, 10)) lines.push(`  riga ${r.line}: ${r.reason} — ${r.message}`);
  if (report.unmappedCategories.length > 0) {
    lines.push(`categorie non mappate: ${report.unmappedCategories.length}`);
    for (const v of report.unmappedCategories.slice(0, 20)) lines.push(`  ${v.count}\t${v.value === '' ? '(vuota)' : v.value}`);
  }
  if (report.unmappedChannels.length > 0) lines.push(`canali non mappati: ${report.unmappedChannels.map((v) => `${v.value} (${v.count})`).join(', ')}`);
  if (report.unmappedStatuses.length > 0) lines.push(`stati senza esito: ${report.unmappedStatuses.map((v) => `${v.value} (${v.count})`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The commander action: prints the report; exits 1 with the message on bad input. */
export async function importHistoryAction(db: Database, file: string, options: HistoryCommandOptions & { json?: boolean }): Promise<void> {
  try {
    const result = await importHistoryFile(db, file, options);
    if (options.json) process.stdout.write(`${JSON.stringify({ importId: result.importId, mappingVersion: result.mappingVersion, ...result.report })}\n`);
    else process.stdout.write(`${options.dryRun ? 'prova (nessuna modifica)' : `importazione ${result.importId} (mappatura v${result.mappingVersion})`}\n${formatReport(result.report)}`);
  } catch (err) {
    if (err instanceof CommandError || err instanceof AppError) {
      process.stderr.write(`errore: ${err.message}\n`);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
}
