/**
 * Retention of live personal data (issue 13): for each organisation, the requester's details and the
 * free text of tickets closed more than `requesterMonths` ago, and the attachments (rows and files) of
 * tickets closed more than `attachmentMonths` ago, are purged, together with every copy the map
 * (`PERSONAL_DATA_LOCATIONS`) lists: history, notifications, finished outbox events, idempotency
 * responses, portal searches. Each owner module purges its own tables (`personal-data.ts`).
 *
 * Idempotent and resumable: tickets carry `personal_data_purged_at`, attachments are gone once purged,
 * and each batch commits on its own, so a run that crashes half-way is finished by the next one.
 * Files are deleted before their rows: a crash in between leaves a row to retry, never a file nobody
 * points at.
 *
 * The archive reads closed tickets a grace period (days, at most a year) after they close; retention
 * acts months after (at least one). A policy shorter than the archive's grace would purge before the
 * archive reads: the archive then takes the already scrubbed text (no personal data is lost to it,
 * only wording). See the report of issue 13 for the guard.
 */
import * as citizen from '../citizen/index.js';
import * as identity from '../identity/index.js';
import * as knowledge from '../knowledge/index.js';
import * as tickets from '../tickets/index.js';
import type { Database } from '../../db/database.js';
import { attachmentsRoot, removeStored } from '../../platform/file-storage.js';
import type { JobDefinition } from '../../platform/jobs/index.js';
import { deleteFinishedEventsOf, deleteIdempotencyKeysBefore, deleteTicketNotifications, IDEMPOTENCY_KEY_RETENTION_DAYS } from '../../platform/personal-data.js';
import * as repo from './privacy.repository.js';

/** Tickets (or attachments) per transaction: short transactions and row locks at any size. */
export const RETENTION_BATCH_SIZE = 200;

const DAY_MS = 86_400_000;

/** `months` calendar months before `now` (UTC). */
export function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now.getTime());
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/** What one organisation's run purged (counts only: these are stored in retention_runs). */
export interface RetentionCounts {
  tickets: number;
  requesters: number;
  messages: number;
  historyEntries: number;
  tasks: number;
  shares: number;
  transfers: number;
  attachments: number;
  files: number;
  notifications: number;
  events: number;
  portalSearches: number;
}

export interface RetentionResult {
  runs: { organisationId: string; organisationName: string; runId: string; counts: RetentionCounts }[];
  /** Network-wide purges not tied to one organisation. */
  network: { idempotencyKeys: number; portalSearches: number; exports: number };
}

export interface RetentionOptions {
  now?: Date;
  trigger?: 'schedule' | 'manual';
  batchSize?: number;
  /** Only this organisation (the CLI's --organisation). */
  organisationId?: string;
  /** Called after each committed batch (tests inject a crash here). */
  afterBatch?: () => void;
}

const emptyCounts = (): RetentionCounts => ({
  tickets: 0, requesters: 0, messages: 0, historyEntries: 0, tasks: 0, shares: 0, transfers: 0, attachments: 0, files: 0, notifications: 0, events: 0, portalSearches: 0,
});

/** Runs the purge for every organisation (or one) now. */
export async function runRetention(db: Database, dataDir: string, options: RetentionOptions = {}): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? RETENTION_BATCH_SIZE;
  const organisations = (await identity.listOrganisations(db)).filter((o) => !options.organisationId || o.id === options.organisationId);
  const result: RetentionResult = { runs: [], network: { idempotencyKeys: 0, portalSearches: 0, exports: 0 } };
  for (const org of organisations) {
    const policy = await repo.findPolicy(db, org.id);
    const runId = await repo.startRun(db, org.id, options.trigger ?? 'schedule', now);
    const counts = await purgeOrganisation(db, dataDir, org.id, policy, now, batchSize, options.afterBatch);
    await repo.finishRun(db, runId, { ...counts }, new Date());
    result.runs.push({ organisationId: org.id, organisationName: org.name, runId, counts });
  }
  if (!options.organisationId) {
    result.network.portalSearches = await knowledge.forgetPortalQueriesBefore(db, { organisationId: null, before: monthsBefore(now, repo.RETENTION_DEFAULTS.requesterMonths) });
    result.network.idempotencyKeys = await deleteIdempotencyKeysBefore(db, new Date(now.getTime() - IDEMPOTENCY_KEY_RETENTION_DAYS * DAY_MS));
    result.network.exports = await repo.dropExpiredExports(db, now);
  }
  return result;
}

async function purgeOrganisation(db: Database, dataDir: string, organisationId: string, policy: repo.RetentionPolicy, now: Date, batchSize: number, afterBatch?: () => void): Promise<RetentionCounts> {
  const counts = emptyCounts();
  const root = attachmentsRoot(dataDir);
  const attachmentCutoff = monthsBefore(now, policy.attachmentMonths);
  for (;;) {
    const batch = await tickets.closedTicketAttachments(db, { organisationId, closedBefore: attachmentCutoff, limit: batchSize });
    if (batch.length === 0) break;
    for (const a of batch) await removeStored(root, a.storageKey);
    counts.files += batch.length;
    counts.attachments += await tickets.deleteAttachmentRows(db, batch.map((a) => a.id));
    afterBatch?.();
    if (batch.length < batchSize) break;
  }
  const requesterCutoff = monthsBefore(now, policy.requesterMonths);
  for (;;) {
    const ids = await tickets.closedTicketsToPurge(db, { organisationId, closedBefore: requesterCutoff, limit: batchSize });
    if (ids.length === 0) break;
    await db.transaction().execute(async (trx) => {
      const purged = await tickets.purgeTicketsPersonalData(trx, ids, now);
      for (const [k, v] of Object.entries(purged)) counts[k as keyof tickets.TicketPurgeCounts] += v;
      counts.notifications += await deleteTicketNotifications(trx, ids);
      counts.events += await deleteFinishedEventsOf(trx, ids);
      await citizen.purgeCitizenChannelData(trx, ids);
    });
    afterBatch?.();
    if (ids.length < batchSize) break;
  }
  counts.portalSearches = await knowledge.forgetPortalQueriesBefore(db, { organisationId, before: requesterCutoff });
  return counts;
}

export interface RetentionLogger {
  info(obj: object, msg: string): void;
}

/**
 * The daily purge (`privacy.retention`): at night, once across instances. A retry after a crash
 * purges only what is still there (see `runRetention`).
 */
export function privacyRetentionJob(db: Database, options: { dataDir: string; log?: RetentionLogger; now?: () => Date }): JobDefinition {
  return {
    name: 'privacy.retention',
    schedule: '23 2 * * *',
    retry: { limit: 3, delaySeconds: 300, backoff: true },
    expireInSeconds: 2 * 60 * 60,
    async handler() {
      const result = await runRetention(db, options.dataDir, { now: options.now?.() ?? new Date(), trigger: 'schedule' });
      const tickets = result.runs.reduce((n, r) => n + r.counts.tickets, 0);
      const attachments = result.runs.reduce((n, r) => n + r.counts.attachments, 0);
      options.log?.info({ organisations: result.runs.length, tickets, attachments, ...result.network }, 'personal data purged after the retention period');
    },
  };
}
