import type { Database } from '../../db/database.js';
import * as identity from '../identity/index.js';
import { runRetention } from './retention.js';

/**
 * `urpnet privacy retention run [--organisation <ipa>] [--json]`: runs the purge now (as the nightly
 * job does) and prints what it removed, per organisation: counts only.
 */
export async function retentionRunAction(db: Database, dataDir: string, opts: { organisation?: string; json: boolean }): Promise<void> {
  let organisationId: string | undefined;
  if (opts.organisation) {
    const org = (await identity.listOrganisations(db)).find((o) => o.ipaCode === opts.organisation || o.slug === opts.organisation);
    if (!org) {
      process.stderr.write(`errore: nessun ente con codice IPA o slug ${opts.organisation}\n`);
      process.exitCode = 1;
      return;
    }
    organisationId = org.id;
  }
  const result = await runRetention(db, dataDir, { trigger: 'manual', ...(organisationId && { organisationId }) });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const lines = result.runs
    .filter((r) => Object.values(r.counts).some((n) => n > 0))
    .map((r) => `${r.organisationName}: ${r.counts.tickets} ticket ripuliti, ${r.counts.requesters} richiedenti anonimizzati, ${r.counts.messages} messaggi, ${r.counts.historyEntries} voci di cronologia, ${r.counts.attachments} allegati (${r.counts.files} file) eliminati, ${r.counts.notifications} notifiche, ${r.counts.events} eventi, ${r.counts.portalSearches} ricerche del portale`);
  const total = (k: keyof (typeof result.runs)[number]['counts']) => result.runs.reduce((n, r) => n + r.counts[k], 0);
  lines.push(
    `totale: ${result.runs.length} enti esaminati, ${total('tickets')} ticket ripuliti, ${total('attachments')} allegati eliminati; rete: ${result.network.idempotencyKeys} chiavi di idempotenza, ${result.network.portalSearches} ricerche del portale, ${result.network.exports} esportazioni scadute`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}
