/**
 * `urpnet archive export --format csv|parquet --out DIR [--include-text] [--organisation SLUG] [--json]`:
 * the open-data export of the archive (archive-export.ts) from the command line, for publication
 * pipelines. The organisation (rights holder and publisher in catalog.jsonld) is `--organisation`,
 * else the network's national body, else the first organisation.
 */
import type { Command } from 'commander';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { findOrganisationBySlug, listOrganisations } from '../identity/index.js';
import { loadTerritory } from '../territory/index.js';
import { EXPORT_FORMATS, type ExportFormat, exportArchive } from './archive-export.js';
import { ArchiveEngine, archiveDir } from './archive-query.js';

export interface ArchiveExportOptions {
  format: string;
  out: string;
  includeText?: boolean;
  organisation?: string;
  json?: boolean;
}

type WithDatabase = <T>(fn: (db: Database, cfg: Config) => Promise<T>) => Promise<T>;

/** Runs the export; returns the process exit code (messages on stdout/stderr). */
export async function archiveExportAction(db: Database, cfg: Config, opts: ArchiveExportOptions, out: { log(s: string): void; error(s: string): void } = console): Promise<number> {
  if (!EXPORT_FORMATS.includes(opts.format as ExportFormat)) {
    out.error(`errore: formato «${opts.format}» non supportato: usa ${EXPORT_FORMATS.join(' o ')}`);
    return 2;
  }
  const organisation = opts.organisation
    ? await findOrganisationBySlug(db, opts.organisation)
    : await listOrganisations(db).then((all) => all.find((o) => o.type === 'ente_nazionale') ?? all[0] ?? null);
  if (opts.organisation && !organisation) {
    out.error(`errore: ente «${opts.organisation}» inesistente`);
    return 2;
  }
  const agent = { ipaCode: organisation?.ipaCode ?? 'urpnet', name: organisation?.name ?? 'Rete degli URP' };
  const engine = new ArchiveEngine(archiveDir(cfg.dataDir));
  let lastPercent = -1;
  try {
    const report = await exportArchive(engine, await loadTerritory(db), {
      format: opts.format as ExportFormat,
      outDir: opts.out,
      includeText: opts.includeText ?? false,
      catalog: { baseUrl: cfg.baseUrl, rightsHolder: agent, contact: { name: organisation ? `URP – ${organisation.name}` : 'Rete degli URP', email: null } },
      onProgress: (p) => {
        if (opts.json || p.totalRows === 0) return;
        const percent = Math.floor((100 * p.rowsWritten) / p.totalRows / 10) * 10;
        if (percent > lastPercent) {
          lastPercent = percent;
          process.stderr.write(`  ${p.rowsWritten.toLocaleString('it-IT')} / ${p.totalRows.toLocaleString('it-IT')} contatti scritti\n`);
        }
      },
    });
    if (opts.json) out.log(JSON.stringify(report, null, 2));
    else {
      out.log(`esportazione ${report.format} in ${report.outDir}: ${report.rows} contatti pubblicati su ${report.totalRecords}, ${report.suppressedRows} omessi (classi con meno di ${report.k} contatti)`);
      out.log(`generalizzazione: ${Object.entries(report.generalisation).map(([q, l]) => `${q}=${l}`).join(', ')}; classe più piccola: ${report.kAnonymity.smallestClass}`);
      out.log(`file: ${report.files.length} (catalog.jsonld compreso) in ${report.seconds.toFixed(1)} s${report.includeText ? ' — CONTIENE IL TESTO: solo uso interno' : ''}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      out.error(`errore: ${err.text('it')} [${err.code}]`);
      return 1;
    }
    throw err;
  } finally {
    await engine.close();
  }
}

/** Adds `export` to the `archive` command group; `withDatabase` opens (and closes) the configured database. */
export function archiveExportCommand(group: Command, withDatabase: WithDatabase): void {
  group
    .command('export')
    .description("esporta l'archivio k-anonimo come dati aperti (CSV o Parquet per mese) con catalog.jsonld DCAT-AP_IT; la cartella non deve esistere o essere vuota")
    .requiredOption('--format <format>', 'csv o parquet')
    .requiredOption('--out <dir>', 'cartella di destinazione (nuova o vuota)')
    .option('--include-text', 'include il testo delle richieste (dati personali sostituiti da segnaposto): SOLO per uso interno, mai come dati aperti', false)
    .option('--organisation <slug>', "ente titolare dei dati nel catalogo (predefinito: l'ente nazionale della rete)")
    .option('--json', 'resoconto in JSON', false)
    .action(async (opts: ArchiveExportOptions) => {
      const code = await withDatabase((db, cfg) => archiveExportAction(db, cfg, opts));
      if (code !== 0) process.exitCode = code;
    });
}
