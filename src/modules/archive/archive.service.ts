/**
 * The archive's writer (issue 13): every closed contact, once the grace period after its closure
 * has passed and it can no longer reopen, is anonymised into one archive record (archive-record.ts)
 * and staged; compaction (archive-compact.ts) then moves staged records into Parquet.
 *
 * The sweep reads closed tickets through the tickets module (`closedTicketsForArchive`, keyset on
 * (closed_at, id)) and historical contacts through history-import. Per batch, ONE transaction claims
 * the tickets in `archived_tickets` (on conflict: skipped) and inserts the records of those it
 * claimed: a crash loses nothing (the batch is redone) and duplicates nothing (claimed tickets are
 * skipped), even with two sweeps at once. A watermark — the last (closed_at, id) below which every
 * closed ticket is final — is moved forward in the same transaction, so that a sweep reads only the
 * tickets closed since, not the whole history.
 */
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import { historicalContactsForArchive, markHistoricalAnonymised, pendingHistoricalContacts } from '../history-import/index.js';
import { type IndexedTaxonomy, rollUpToNetwork, taxonomyVersion, withLocalNodes } from '../taxonomy/index.js';
import { loadTerritory } from '../territory/index.js';
import { closedTicketsForArchive, finalBefore } from '../tickets/index.js';
import { type ArchiveContext, type ArchiveRecord, type ArchiveSource, buildArchiveRecord, type ArchiveSettings } from './archive-record.js';
import * as repo from './archive.repository.js';

type Db = Database | Trx;

const DAY_MS = 86_400_000;
/** Contacts per transaction: a few MB of JSON, and row locks held for well under a second. */
export const ARCHIVE_BATCH_SIZE = 1000;

export interface SweepProgress {
  tickets: number;
  historical: number;
  /** True when the sweep stopped at its deadline with work left (the job sends itself again). */
  more?: boolean;
}

export interface SweepOptions {
  now?: Date;
  batchSize?: number;
  /** Stop after the batch that passes this instant (a job never outlives its expiry on a large backlog). */
  until?: Date;
  /** After each committed batch (progress output; tests inject a crash here). */
  onBatch?: (progress: SweepProgress) => void | Promise<void>;
}

/**
 * What the records need of the world, loaded once per sweep: the organisations' codes, the territory
 * and the taxonomies, with the roll-up of local codes resolved ahead of each batch (cached).
 */
interface World {
  organisations: Awaited<ReturnType<typeof repo.organisationCodes>>;
  context: ArchiveContext;
  /** Loads what `context.rollUp` will be asked for these contacts (taxonomy versions, local codes). */
  prepare(contacts: readonly { organisationId: string; taxonomyVersion: string; classification: Record<string, string> }[]): Promise<void>;
}

async function loadWorld(db: Db): Promise<World> {
  const organisations = await repo.organisationCodes(db);
  const territory = await loadTerritory(db);
  const taxonomies = new Map<string, IndexedTaxonomy | null>();
  const localRollUps = new Map<string, string | null>();
  const key = (org: string, version: string, facet: string, code: string) => `${org}|${version}|${facet}|${code}`;
  return {
    organisations,
    context: {
      generalise: (code, min) => territory.generalise(code, min),
      rollUp(facet, code, organisationId, version) {
        const tax = taxonomies.get(version);
        // A version this database does not hold: its codes cannot be checked, but they are codes, not personal data.
        if (!tax) return code;
        if (!tax.facets.has(facet)) return null;
        return tax.nodes.has(`${facet}:${code}`) ? code : (localRollUps.get(key(organisationId, version, facet, code)) ?? null);
      },
    },
    async prepare(contacts) {
      for (const c of contacts) {
        if (!taxonomies.has(c.taxonomyVersion)) taxonomies.set(c.taxonomyVersion, await taxonomyVersion(db, c.taxonomyVersion).catch(() => null));
        const tax = taxonomies.get(c.taxonomyVersion);
        if (!tax) continue;
        for (const [facet, code] of Object.entries(c.classification)) {
          const k = key(c.organisationId, c.taxonomyVersion, facet, code);
          if (!tax.facets.has(facet) || tax.nodes.has(`${facet}:${code}`) || localRollUps.has(k)) continue;
          // An organisation's local node: rolled up to the network node it hangs under (rare; cached).
          const withLocal = await withLocalNodes(db, tax, c.organisationId, { [facet]: code });
          const local = withLocal.nodes.get(`${facet}:${code}`);
          localRollUps.set(k, local?.parentCode ? rollUpToNetwork(tax, [{ facet, code, parentCode: local.parentCode }], facet, code) : null);
        }
      }
    },
  };
}

export async function archiveSettings(db: Db): Promise<repo.StoredArchiveSettings> {
  return repo.findSettings(db);
}

const unknownOrganisation = (id: string) => ({ id, ipaCode: null, istatCode: null, regionIstat: null });

/** Archives every final closed ticket not yet archived, in batches. Returns how many records it wrote. */
export async function sweepTickets(db: Database, settings: ArchiveSettings, world: World, options: SweepOptions = {}): Promise<{ archived: number; more: boolean }> {
  const now = options.now ?? new Date();
  const limit = options.batchSize ?? ARCHIVE_BATCH_SIZE;
  const closedBefore = new Date(now.getTime() - settings.graceDays * DAY_MS);
  const stable = finalBefore({ closedBefore, now });
  // A batch and which of its tickets are already archived (a sweep redone after a crash, or running alongside another).
  const read = (after: { closedAt: Date; id: string } | null) => {
    const batch = closedTicketsForArchive(db, { closedBefore, now, after, limit }).then(async (tickets) => ({
      tickets,
      seen: await repo.archivedAmong(db, tickets.map((t) => t.id)),
    }));
    batch.catch(() => undefined); // awaited below; a failure while the previous batch is written must not go unhandled
    return batch;
  };
  let next = read((await repo.findSettings(db)).watermark);
  let archived = 0;
  // The previous batch's transaction, committing while this batch is anonymised: one at a time, in order.
  let writing: Promise<number> | null = null;
  const committed = async () => {
    if (!writing) return;
    const write = writing;
    writing = null;
    archived += await write;
    await options.onBatch?.({ tickets: archived, historical: 0 });
  };
  try {
    for (;;) {
      const { tickets: batch, seen } = await next;
      if (batch.length === 0) break;
      const last = batch.at(-1)!;
      const more = batch.length === limit;
      // The next batch is read while this one is anonymised and written (keyset: it does not depend on this one's outcome).
      if (more) next = read({ closedAt: last.closedAt, id: last.id });
      const fresh = batch.filter((t) => !seen.has(t.id));
      await world.prepare(fresh);
      const records = new Map<string, ArchiveRecord>();
      for (const t of fresh) {
        const source: ArchiveSource = {
          source: 'ticket', organisation: world.organisations.get(t.organisationId) ?? unknownOrganisation(t.organisationId), officeId: t.officeId, channel: t.channel,
          taxonomyVersion: t.taxonomyVersion, classification: t.classification, outcome: t.outcome, texts: [t.subject, t.description], known: t.known,
          openedAt: t.createdAt, firstResponseAt: t.firstReplyAt, resolvedAt: t.resolvedAt, closedAt: t.closedAt, officesInvolved: t.officesInvolved, handoffs: t.handoffs,
          satisfaction: t.satisfaction,
        };
        records.set(t.id, buildArchiveRecord(source, settings, world.context));
      }
      // Below `stable` every closed ticket is final and now archived: the next sweep starts there.
      const lastFinal = batch.findLast((t) => t.closedAt < stable);
      await committed();
      // This batch's transaction runs in PostgreSQL while the next batch is anonymised here (both CPUs at work).
      writing = db.transaction().execute(async (trx) => {
        const claimed = await repo.claimTickets(trx, [...records.keys()], now);
        await repo.insertRecords(trx, [...records].filter(([id]) => claimed.has(id)).map(([, r]) => r));
        if (lastFinal) await repo.advanceWatermark(trx, { closedAt: lastFinal.closedAt, id: lastFinal.id });
        return claimed.size;
      });
      writing.catch(() => undefined); // awaited by `committed`
      if (!more) break;
      if (options.until && Date.now() > options.until.getTime()) {
        await committed();
        return { archived, more: true };
      }
    }
    await committed();
  } catch (err) {
    // Never leave a transaction running behind the caller's back.
    await writing?.catch(() => undefined);
    throw err;
  }
  return { archived, more: false };
}

/** Archives every historical contact not yet anonymised; each batch also redacts their text, in the same transaction. */
export async function sweepHistorical(db: Database, settings: ArchiveSettings, world: World, options: SweepOptions & { ticketsSoFar?: number } = {}): Promise<{ archived: number; more: boolean }> {
  const now = options.now ?? new Date();
  const limit = options.batchSize ?? ARCHIVE_BATCH_SIZE;
  let after: string | null = null;
  let archived = 0;
  for (;;) {
    const batch = await historicalContactsForArchive(db, { after, limit });
    if (batch.length === 0) break;
    await world.prepare(batch);
    const built = batch.map((h) => {
      const closedAt = h.closedAt ?? h.createdAt;
      const record = buildArchiveRecord({
        source: 'historical', organisation: world.organisations.get(h.organisationId) ?? unknownOrganisation(h.organisationId), officeId: null,
        channel: h.classification.canale ?? null, taxonomyVersion: h.taxonomyVersion, classification: h.classification, outcome: h.classification.esito ?? null,
        texts: h.text ? [h.text] : [], openedAt: h.createdAt, firstResponseAt: null, resolvedAt: h.closedAt, closedAt, officesInvolved: 1, handoffs: 0,
      }, settings, world.context);
      return { id: h.id, record };
    });
    const written = await db.transaction().execute(async (trx) => {
      const flagged = new Set(await markHistoricalAnonymised(trx, built.map((b) => ({ id: b.id, text: b.record.text === '' ? null : b.record.text })), now));
      await repo.insertRecords(trx, built.filter((b) => flagged.has(b.id)).map((b) => b.record));
      return flagged.size;
    });
    archived += written;
    after = batch.at(-1)!.id;
    await options.onBatch?.({ tickets: options.ticketsSoFar ?? 0, historical: archived });
    if (batch.length < limit) break;
    if (options.until && Date.now() > options.until.getTime()) return { archived, more: true };
  }
  return { archived, more: false };
}

/** One sweep: tickets, then historical contacts. */
export async function sweepArchive(db: Database, options: SweepOptions = {}): Promise<SweepProgress> {
  const settings = await repo.findSettings(db);
  const world = await loadWorld(db);
  const tickets = await sweepTickets(db, settings, world, options);
  if (tickets.more) return { tickets: tickets.archived, historical: 0, more: true };
  const historical = await sweepHistorical(db, settings, world, { ...options, ticketsSoFar: tickets.archived });
  return { tickets: tickets.archived, historical: historical.archived, ...(historical.more && { more: true }) };
}

export interface ArchiveStatus extends repo.ArchiveCounts {
  pendingHistorical: number;
  settings: ArchiveSettings;
  lastRun: repo.ArchiveRun | null;
}

export async function archiveStatus(db: Db): Promise<ArchiveStatus> {
  const [counts, pendingHistorical, settings, lastRun] = [await repo.archiveCounts(db), await pendingHistoricalContacts(db), await repo.findSettings(db), await repo.lastRun(db)];
  return { ...counts, pendingHistorical, settings: { graceDays: settings.graceDays, minComunePopulation: settings.minComunePopulation, timeGranularity: settings.timeGranularity }, lastRun };
}
