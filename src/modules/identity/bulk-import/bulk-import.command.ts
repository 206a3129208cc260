/**
 * `urpnet import organisations|offices|users FILE [--dry-run] [--all-or-nothing | --skip-bad-lines] [--json]`
 * and `urpnet import links`: the same use cases as the admin page, run by whoever holds the server
 * (no actor: the only place where the network coordinator role may be given). Invitations are
 * queued as jobs in the import's transaction; `urpnet import links` runs the queued ones here (the
 * server's workers do it otherwise) and lists the links to hand over.
 */
import { CompiledQuery } from 'kysely';
import type { Config } from '../../../config.js';
import type { Database } from '../../../db/database.js';
import { type FileImportOptions, runFileImport } from '../../../platform/import-command.js';
import { createJobRunner, type JobRunner } from '../../../platform/jobs/index.js';
import { createMailer } from '../../../platform/mailer.js';
import * as service from './bulk-import.service.js';
import { invitationJob, pendingInvitationLinks } from './invitation-links.js';

export type ImportCommandOptions = FileImportOptions;

const KIND_LABELS = { organisations: 'enti', offices: 'uffici', users: 'persone' } as const;

/** A job runner over the command's own connection, with the invitation job defined (manual mode: nothing runs unless asked). */
function commandJobs(db: Database, cfg: Config): JobRunner {
  const jobs = createJobRunner({ executeSql: async (text, values = []) => ({ rows: (await db.executeQuery(CompiledQuery.raw(text, values))).rows as unknown[] }) }, { mode: 'manual' });
  jobs.define(invitationJob(db, { secret: cfg.secret, baseUrl: cfg.baseUrl, mailer: () => createMailer(cfg.smtpUrl, cfg.mailFrom) }));
  return jobs;
}

/** The report as the command prints it, in Italian. */
export function formatImportReport(report: service.ImportReport): string {
  const lines = [
    `${KIND_LABELS[report.kind]}: righe lette ${report.rows}, valide ${report.accepted}, nuove ${report.inserted}, aggiornate ${report.updated}, invariate ${report.unchanged}, non valide ${report.problems.length}` +
      ` — file ${report.encoding}, separatore ${report.separator}${report.layout ? `, tracciato ${report.layout}` : ''}`,
  ];
  if (report.kind === 'users') lines.push(`ruoli assegnati ${report.rolesGranted ?? 0}, inviti ad altri enti ${report.invitations ?? 0}, link per la password accodati ${report.passwordLinks ?? 0}`);
  if (report.columns.unknown.length > 0) lines.push(`colonne non riconosciute (ignorate): ${report.columns.unknown.join(', ')}`);
  if (report.columns.ignored.length > 0) lines.push(`colonne note ma non usate: ${report.columns.ignored.join(', ')}`);
  for (const p of report.problems) lines.push(`  riga ${p.line}: ${p.message} [${p.code}]`);
  lines.push(report.dryRun ? 'prova: nulla è stato scritto' : report.written ? (report.problems.length > 0 ? 'scritte le righe valide; le righe non valide sono state saltate' : 'importazione completata') : 'nulla è stato scritto');
  return `${lines.join('\n')}\n`;
}

/** Runs one import from the command line; exit code 1 when nothing could be written, 3 when lines were skipped. */
export async function importCommandAction(db: Database, cfg: Config, kind: 'organisations' | 'offices' | 'users', file: string, opts: ImportCommandOptions): Promise<void> {
  const jobs = commandJobs(db, cfg);
  const run = { organisations: service.importOrganisations, offices: service.importOffices, users: service.importUsers }[kind];
  try {
    const report = await runFileImport(file, opts, (bytes, onBadLine) => run(db, bytes, { dryRun: opts.dryRun ?? false, onBadLine }, { actor: null, organisationId: null, jobs }), formatImportReport);
    if (kind === 'users' && report?.written && (report.passwordLinks ?? 0) > 0) {
      process.stdout.write(`i link per impostare la password sono in coda: il server li invia per email (SMTP) oppure «urpnet import links» li elenca da consegnare\n`);
    }
  } finally {
    await jobs.stop();
  }
}

/** `urpnet import links`: runs the queued invitations here, then lists the links still to hand over. */
export async function invitationLinksAction(db: Database, cfg: Config, opts: { organisation?: string; json?: boolean }): Promise<void> {
  const jobs = commandJobs(db, cfg);
  try {
    const ran = await jobs.runDue();
    let organisationId: string | null = null;
    if (opts.organisation) {
      const org = await db.selectFrom('organisations').select('id').where('ipa_code', '=', opts.organisation.toLowerCase()).executeTakeFirst();
      if (!org) {
        process.stderr.write(`errore: nessun ente con codice IPA «${opts.organisation}»\n`);
        process.exitCode = 1;
        return;
      }
      organisationId = org.id;
    }
    const links = await pendingInvitationLinks(db, { secret: cfg.secret, baseUrl: cfg.baseUrl, organisationId });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ jobsRun: ran.completed, jobsFailed: ran.failed, items: links })}\n`);
      return;
    }
    if (ran.completed + ran.failed > 0) process.stdout.write(`inviti elaborati: ${ran.completed} lotti${ran.failed > 0 ? `, ${ran.failed} non riusciti (saranno ritentati)` : ''}\n`);
    process.stdout.write(`link da consegnare: ${links.length}\n`);
    for (const l of links) process.stdout.write(`${l.email}\t${l.organisationName ?? ''}\t${l.mailed ? 'inviato per email' : 'da consegnare'}\tfino al ${l.expiresAt.toISOString()}\t${l.url}\n`);
  } finally {
    await jobs.stop();
  }
}
