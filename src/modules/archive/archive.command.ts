/** `urpnet archive run` and `urpnet archive status`: the archive from the command line. */
import type { Database } from '../../db/database.js';
import { compactArchive } from './archive-compact.js';
import { archiveStatus, sweepArchive } from './archive.service.js';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Sweep then compaction, now, with progress on stderr and the counts on stdout (or JSON). */
export async function archiveRunAction(db: Database, dataDir: string, opts: { json: boolean }): Promise<void> {
  const started = performance.now();
  const progress = (line: string) => {
    if (!opts.json) process.stderr.write(`\r${line}   `);
  };
  const swept = await sweepArchive(db, { onBatch: (p) => progress(`archiviati: ${p.tickets} pratiche, ${p.historical} contatti storici`) });
  if (!opts.json) process.stderr.write('\n');
  let parts = 0;
  const compacted = await compactArchive(db, dataDir, { onPart: (p) => progress(`file Parquet scritti: ${++parts} (${p.month}, ${p.rowCount} record)`) });
  if (!opts.json) process.stderr.write(parts > 0 ? '\n' : '');
  const seconds = (performance.now() - started) / 1000;
  if (opts.json) out(JSON.stringify({ tickets: swept.tickets, historical: swept.historical, parts: compacted.parts, records: compacted.records, seconds: Number(seconds.toFixed(1)) }));
  else {
    out(`pratiche archiviate: ${swept.tickets}; contatti storici anonimizzati: ${swept.historical}`);
    out(`file Parquet scritti: ${compacted.parts} (${compacted.records} record) in ${seconds.toFixed(1)} s`);
  }
}

/** The archive's state: staged records, parts, months, archived tickets, pending historical contacts. */
export async function archiveStatusAction(db: Database, opts: { json: boolean }): Promise<void> {
  const s = await archiveStatus(db);
  if (opts.json) {
    out(JSON.stringify(s));
    return;
  }
  out(`pratiche archiviate: ${s.archivedTickets}`);
  out(`record in attesa di compattazione: ${s.stagedRecords}`);
  out(`file Parquet: ${s.parts.written} scritti${s.parts.writing > 0 ? `, ${s.parts.writing} in scrittura` : ''}`);
  out(`contatti storici da anonimizzare: ${s.pendingHistorical}`);
  out(`impostazioni: attesa ${s.settings.graceDays} giorni dopo la chiusura; comuni sotto ${s.settings.minComunePopulation} abitanti generalizzati alla provincia; orario: ${s.settings.timeGranularity === 'hour' ? 'ora' : 'giorno'}`);
  for (const m of s.months) out(`  ${m.month}: ${m.records} record in ${m.parts} file${m.staged > 0 ? `, ${m.staged} in attesa` : ''}`);
}
