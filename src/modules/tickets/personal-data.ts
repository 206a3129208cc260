/**
 * Personal data held by the tickets module, for retention and the data subject's requests (issue 13;
 * the map of every place is `PERSONAL_DATA_LOCATIONS` in the privacy module).
 *
 * Purging a ticket keeps the ticket (its code, dates, classification, offices: what the network's
 * statistics and the citizen's code need) and removes who the citizen is:
 * - the requester record (and the copies other offices kept, `ticket_participants.kept_requester_id`):
 *   name, e-mail, phone and codice fiscale set to null, `anonymised_at` set;
 * - free text (subject, description, message bodies, task titles and descriptions, share and transfer
 *   reasons, the text values recorded in the history): replaced by the same text scrubbed of personal
 *   data (`scrubPii`), with the requester's own values removed wherever they appear. Scrubbing, not a
 *   fixed placeholder: the wording of the request stays readable for the office that answered it,
 *   and the requester's values are removed by value, whatever the recognisers see;
 * - `personal_data_purged_at` marks a closed ticket, so a run never purges it twice and resumes by batch
 *   (an open ticket purged by an erasure request is not marked: what it gathers later is purged by
 *   retention once it closes).
 * Attachments are removed as a whole (rows here, files by the caller through the file store).
 */
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { HistoryChanges, HistoryValue } from '../../db/schema.js';
import type { Trx } from '../../platform/http.js';
import { scrubPii } from '../../platform/privacy/index.js';

type Db = Database | Trx;

/** What one purge changed (counts only). */
export interface TicketPurgeCounts {
  tickets: number;
  requesters: number;
  messages: number;
  historyEntries: number;
  tasks: number;
  shares: number;
  transfers: number;
}

const emptyCounts = (): TicketPurgeCounts => ({ tickets: 0, requesters: 0, messages: 0, historyEntries: 0, tasks: 0, shares: 0, transfers: 0 });

/** The placeholder of a text that scrubbing left empty (a subject made only of a name). */
export const PURGED_TEXT = '[RIMOSSO]';

interface KnownValues {
  names: string[];
  values: string[];
}

function scrubWith(known: KnownValues, text: string): string {
  const out = scrubPii(text, { known }).trim();
  return out === '' ? PURGED_TEXT : out;
}

function scrubValue(known: KnownValues, v: HistoryValue): HistoryValue {
  if (typeof v === 'string') return scrubWith(known, v);
  if (Array.isArray(v)) return v.map((x) => scrubWith(known, x));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === null ? null : scrubWith(known, x)]));
  return v;
}

/**
 * Closed tickets of an organisation closed before `closedBefore` and not purged yet, oldest first
 * (the retention job's batch).
 */
export async function closedTicketsToPurge(db: Db, q: { organisationId: string; closedBefore: Date; limit: number }): Promise<string[]> {
  const rows = await db
    .selectFrom('tickets')
    .select('id')
    .where('organisation_id', '=', q.organisationId)
    .where('status', '=', 'closed')
    .where('personal_data_purged_at', 'is', null)
    .where('closed_at', '<', q.closedBefore)
    .orderBy('closed_at')
    .limit(q.limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Purges the personal data of these tickets (see the module comment), in the caller's transaction.
 * Tickets already purged are skipped (an erasure after retention changes nothing twice), unless
 * `force` (an erasure request: the requester may have written again since). `extraKnown` are values
 * of the data subject to remove as well (an erasure request's own criteria).
 */
export async function purgeTicketsPersonalData(trx: Trx, ticketIds: readonly string[], now: Date, options: { force?: boolean; extraKnown?: Partial<KnownValues> } = {}): Promise<TicketPurgeCounts> {
  const counts = emptyCounts();
  if (ticketIds.length === 0) return counts;
  // The one door of ticket_history's append-only trigger (migration 0035): this transaction only.
  await sql`select set_config('urpnet.personal_data_purge', 'on', true)`.execute(trx);
  let query = trx
    .selectFrom('tickets as t')
    .leftJoin('requesters as r', 'r.id', 't.requester_id')
    .select(['t.id', 't.status', 't.subject', 't.description', 't.requester_id', 'r.name', 'r.email', 'r.phone', 'r.fiscal_code'])
    .where('t.id', 'in', [...ticketIds])
    .orderBy('t.id')
    .forUpdate('t');
  if (!options.force) query = query.where('t.personal_data_purged_at', 'is', null);
  const tickets = await query.execute();
  for (const t of tickets) {
    const kept = await trx
      .selectFrom('ticket_participants as p')
      .innerJoin('requesters as k', 'k.id', 'p.kept_requester_id')
      .select(['k.id', 'k.name', 'k.email', 'k.phone', 'k.fiscal_code'])
      .where('p.ticket_id', '=', t.id)
      .execute();
    const people = [{ name: t.name, email: t.email, phone: t.phone, fiscal_code: t.fiscal_code }, ...kept];
    const known: KnownValues = {
      names: [...people.map((p) => p.name), ...(options.extraKnown?.names ?? [])].filter((x): x is string => !!x),
      values: [...people.flatMap((p) => [p.email, p.phone, p.fiscal_code]), ...(options.extraKnown?.values ?? [])].filter((x): x is string => !!x),
    };
    const scrub = (text: string) => scrubWith(known, text);
    // Only a closed ticket is marked: an open one (an erasure request) may gather new data, which retention purges later.
    const purgedAt = t.status === 'closed' ? now : null;
    await trx.updateTable('tickets').set((eb) => ({ subject: scrub(t.subject), description: scrub(t.description), personal_data_purged_at: purgedAt, version: eb('version', '+', 1) })).where('id', '=', t.id).execute();
    counts.tickets++;

    const messages = await trx.selectFrom('ticket_messages').select(['id', 'body']).where('ticket_id', '=', t.id).execute();
    for (const m of messages) {
      const body = scrub(m.body);
      if (body !== m.body) await trx.updateTable('ticket_messages').set({ body }).where('id', '=', m.id).execute();
      counts.messages++;
    }
    const history = await trx.selectFrom('ticket_history').select(['id', 'changes']).where('ticket_id', '=', t.id).execute();
    for (const h of history) {
      const changes: HistoryChanges = Object.fromEntries(Object.entries(h.changes).map(([k, c]) => [k, { from: scrubValue(known, c.from), to: scrubValue(known, c.to) }]));
      if (JSON.stringify(changes) !== JSON.stringify(h.changes)) {
        await trx.updateTable('ticket_history').set({ changes: JSON.stringify(changes) }).where('id', '=', h.id).execute();
        counts.historyEntries++;
      }
    }
    const tasks = await trx.selectFrom('ticket_tasks').select(['id', 'title', 'description']).where('ticket_id', '=', t.id).execute();
    for (const k of tasks) {
      await trx.updateTable('ticket_tasks').set({ title: scrub(k.title), description: k.description === null ? null : scrub(k.description) }).where('id', '=', k.id).execute();
      counts.tasks++;
    }
    const shares = await trx.selectFrom('ticket_participants').select(['id', 'reason', 'decline_reason']).where('ticket_id', '=', t.id).execute();
    for (const s of shares) {
      await trx.updateTable('ticket_participants').set({ reason: scrub(s.reason), decline_reason: s.decline_reason === null ? null : scrub(s.decline_reason) }).where('id', '=', s.id).execute();
      counts.shares++;
    }
    const transfers = await trx.selectFrom('ticket_transfers').select(['id', 'reason', 'decline_reason']).where('ticket_id', '=', t.id).execute();
    for (const x of transfers) {
      await trx.updateTable('ticket_transfers').set({ reason: scrub(x.reason), decline_reason: x.decline_reason === null ? null : scrub(x.decline_reason) }).where('id', '=', x.id).execute();
      counts.transfers++;
    }
    const requesterIds = [t.requester_id, ...kept.map((k) => k.id)].filter((x): x is string => x !== null);
    if (requesterIds.length > 0) {
      const done = await trx
        .updateTable('requesters')
        .set({ name: null, email: null, phone: null, fiscal_code: null, anonymised_at: now, updated_at: now })
        .where('id', 'in', requesterIds)
        .executeTakeFirst();
      counts.requesters += Number(done.numUpdatedRows);
    }
  }
  return counts;
}

/** Attachments of closed tickets of an organisation closed before `closedBefore` (the retention job's batch). */
export async function closedTicketAttachments(db: Db, q: { organisationId: string; closedBefore: Date; limit: number }): Promise<{ id: string; storageKey: string }[]> {
  const rows = await db
    .selectFrom('attachments as a')
    .innerJoin('tickets as t', 't.id', 'a.ticket_id')
    .select(['a.id', 'a.storage_key'])
    .where('t.organisation_id', '=', q.organisationId)
    .where('t.status', '=', 'closed')
    .where('t.closed_at', '<', q.closedBefore)
    .orderBy('a.id')
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({ id: r.id, storageKey: r.storage_key }));
}

/** Attachments of these tickets (an erasure request's), whatever their status. */
export async function attachmentsOfTickets(db: Db, ticketIds: readonly string[]): Promise<{ id: string; storageKey: string }[]> {
  if (ticketIds.length === 0) return [];
  const rows = await db.selectFrom('attachments').select(['id', 'storage_key']).where('ticket_id', 'in', [...ticketIds]).execute();
  return rows.map((r) => ({ id: r.id, storageKey: r.storage_key }));
}

/** Removes attachment rows; the caller has removed their files first (a crash in between leaves rows to retry, never orphan files). */
export async function deleteAttachmentRows(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const done = await db.deleteFrom('attachments').where('id', 'in', [...ids]).executeTakeFirst();
  return Number(done.numDeletedRows);
}

/** What a data subject search looks for; values as typed by the desk. */
export interface PersonCriteria {
  email?: string | undefined;
  phone?: string | undefined;
  fiscalCode?: string | undefined;
  name?: string | undefined;
}

/** One requester record matching a search, with the organisation that holds it and its tickets. */
export interface MatchedRequester {
  id: string;
  organisationId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  fiscalCode: string | null;
  createdAt: Date;
  /** The tickets whose requester (or a kept copy of it) this record is. */
  tickets: { id: string; code: string; organisationId: string }[];
  /** Which criteria this record matched. */
  matchedOn: (keyof PersonCriteria)[];
}

const normalPhone = (phone: string) => phone.replace(/^\s*(\+|00)\s*39/, '').replace(/\D/g, '');
const normalFiscalCode = (code: string) => code.replace(/\s/g, '').toUpperCase();

/**
 * Requester records of EVERY organisation matching any of the criteria (the one query of the
 * network that looks across bodies: the privacy module restricts who calls it and what it shows).
 * E-mail and name match whole (case and accents aside), phone by its digits, codice fiscale exactly.
 * Records already anonymised hold nothing to match.
 */
export async function findRequestersAcrossNetwork(db: Db, c: PersonCriteria, limit = 1000): Promise<MatchedRequester[]> {
  const email = c.email?.trim().toLowerCase() || null;
  const phone = c.phone ? normalPhone(c.phone) || null : null;
  const fiscalCode = c.fiscalCode ? normalFiscalCode(c.fiscalCode) || null : null;
  const name = c.name?.trim().replace(/\s+/g, ' ') || null;
  if (!email && !phone && !fiscalCode && !name) return [];
  const rows = await db
    .selectFrom('requesters as r')
    .select(['r.id', 'r.organisation_id', 'r.name', 'r.email', 'r.phone', 'r.fiscal_code', 'r.created_at'])
    .select((eb) => [
      eb.val(email !== null).and(sql<boolean>`lower(r.email) = ${email}`).as('on_email'),
      eb.val(phone !== null).and(sql<boolean>`r.search_phone = ${phone}`).as('on_phone'),
      eb.val(fiscalCode !== null).and(sql<boolean>`r.search_fiscal_code = ${fiscalCode}`).as('on_fiscal_code'),
      eb.val(name !== null).and(sql<boolean>`lower(unaccent(regexp_replace(trim(r.name), '\\s+', ' ', 'g'))) = lower(unaccent(${name}::text))`).as('on_name'),
    ])
    .where('r.anonymised_at', 'is', null)
    .where((eb) => {
      const ors = [];
      if (email) ors.push(sql<boolean>`lower(r.email) = ${email}`);
      if (phone) ors.push(eb('r.search_phone', '=', phone));
      if (fiscalCode) ors.push(eb('r.search_fiscal_code', '=', fiscalCode));
      if (name) ors.push(sql<boolean>`lower(unaccent(regexp_replace(trim(r.name), '\\s+', ' ', 'g'))) = lower(unaccent(${name}::text))`);
      return eb.or(ors);
    })
    .orderBy('r.created_at')
    .orderBy('r.id')
    .limit(limit)
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const tickets = await db
    .selectFrom('tickets as t')
    .leftJoin('ticket_participants as p', (j) => j.onRef('p.ticket_id', '=', 't.id').on('p.kept_requester_id', 'in', ids))
    .select(['t.id', 't.code', 't.organisation_id', 't.requester_id', 'p.kept_requester_id'])
    .where((eb) => eb.or([eb('t.requester_id', 'in', ids), eb('p.kept_requester_id', 'in', ids)]))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    organisationId: r.organisation_id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    fiscalCode: r.fiscal_code,
    createdAt: r.created_at,
    tickets: dedupe(tickets.filter((t) => t.requester_id === r.id || t.kept_requester_id === r.id).map((t) => ({ id: t.id, code: t.code, organisationId: t.organisation_id }))),
    matchedOn: [
      ...(r.on_email ? (['email'] as const) : []), ...(r.on_phone ? (['phone'] as const) : []),
      ...(r.on_fiscal_code ? (['fiscalCode'] as const) : []), ...(r.on_name ? (['name'] as const) : []),
    ],
  }));
}

function dedupe<T extends { id: string }>(items: T[]): T[] {
  return [...new Map(items.map((i) => [i.id, i])).values()];
}

/** Everything the tickets module holds on these tickets, for an access request's export (art. 15). */
export async function ticketsPersonalData(db: Db, ticketIds: readonly string[]) {
  if (ticketIds.length === 0) return [];
  const tickets = await db
    .selectFrom('tickets as t')
    .leftJoin('requesters as r', 'r.id', 't.requester_id')
    .select(['t.id', 't.code', 't.organisation_id', 't.channel', 't.status', 't.subject', 't.description', 't.created_at', 't.closed_at', 'r.name', 'r.email', 'r.phone', 'r.fiscal_code'])
    .where('t.id', 'in', [...ticketIds])
    .orderBy('t.created_at')
    .execute();
  const messages = await db.selectFrom('ticket_messages').select(['ticket_id', 'kind', 'body', 'created_at']).where('ticket_id', 'in', [...ticketIds]).orderBy('created_at').execute();
  const attachments = await db.selectFrom('attachments').select(['ticket_id', 'filename', 'content_type', 'size', 'created_at']).where('ticket_id', 'in', [...ticketIds]).orderBy('created_at').execute();
  return tickets.map((t) => ({
    code: t.code,
    organisationId: t.organisation_id,
    channel: t.channel,
    status: t.status,
    createdAt: t.created_at.toISOString(),
    closedAt: t.closed_at?.toISOString() ?? null,
    requester: { name: t.name, email: t.email, phone: t.phone, fiscalCode: t.fiscal_code },
    subject: t.subject,
    description: t.description,
    messages: messages.filter((m) => m.ticket_id === t.id).map((m) => ({ kind: m.kind, body: m.body, createdAt: m.created_at.toISOString() })),
    attachments: attachments.filter((a) => a.ticket_id === t.id).map((a) => ({ filename: a.filename, contentType: a.content_type, size: a.size, createdAt: a.created_at.toISOString() })),
  }));
}
