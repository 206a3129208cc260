import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { platformErrors } from '../../platform/errors.js';
import { incidentErrors as errors } from './sharing.errors.js';
import { recordEvent } from '../../platform/events.js';
import type { Trx } from '../../platform/http.js';
import { scopeIncludes, ticketScope } from '../../platform/policy.js';
import * as identity from '../identity/index.js';
import { scrubPii } from '../../platform/privacy/index.js';
import { currentTaxonomy } from '../taxonomy/index.js';
import {
  addMessage, can, changeTicket, countIncidentTickets, findSimilarTickets, findTicketById, findTicketIdByCode, incidentTicketCodes, openTicket, type SimilarTicket, ticketErrors,
  type TicketStatus,
} from '../tickets/index.js';

type Db = Database | Trx;

export const incidentNotFound = errors.incidentNotFound;

/** Similar open tickets across the network for a description being typed: other bodies' tickets only through their cleaned text. */
export async function similarTickets(db: Database, actor: Actor, input: { text: string; topic?: string; territory?: string; officeId?: string; excludeCode?: string; windowDays?: number; limit?: number }): Promise<SimilarTicket[]> {
  let territory = input.territory ?? null;
  if (!territory && input.officeId) territory = (await identity.findOffice(db, input.officeId))?.territory[0] ?? null;
  let exclude: string | undefined;
  if (input.excludeCode) exclude = (await findTicketIdByCode(db, input.excludeCode.toUpperCase())) ?? undefined;
  return findSimilarTickets(db, {
    text: input.text, topic: input.topic ?? null, territory, windowDays: input.windowDays ?? 30, limit: input.limit ?? 10, ...(exclude && { excludeTicketId: exclude }),
    readable: ticketScope(actor, 'tickets:read'),
  });
}

/**
 * The opaque reference of a similar ticket: its id enciphered (AES-256 on the id's single 16-byte
 * block) under a key derived from the server secret. Stable for a ticket, reversible only by the
 * server, and unrelated to the ticket code the citizen holds.
 */
function refKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('urpnet similar-ticket reference').digest();
}

export function similarRef(secret: string, ticketId: string): string {
  const cipher = createCipheriv('aes-256-ecb', refKey(secret), null).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.from(ticketId.replace(/-/g, ''), 'hex')), cipher.final()]).toString('base64url');
}

function ticketIdOfRef(secret: string, ref: string): string | null {
  const bytes = Buffer.from(ref, 'base64url');
  if (bytes.length !== 16) return null;
  const decipher = createDecipheriv('aes-256-ecb', refKey(secret), null).setAutoPadding(false);
  const hex = Buffer.concat([decipher.update(bytes), decipher.final()]).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const similarNotFound = errors.similarNotFound;

/**
 * Another office asks the owner of a similar ticket to share it, to let it link its contact to it,
 * or to open an incident together. The owner's office is notified; the asking office's own ticket
 * code is not handed over (the code is what a citizen holds).
 */
export async function requestAboutSimilar(
  trx: Trx, actor: Actor, secret: string, ref: string, input: { kind: 'link' | 'share' | 'incident'; ticketCode: string; message?: string }, now: Date,
): Promise<{ id: string }> {
  const targetId = ticketIdOfRef(secret, ref);
  const target = targetId ? await findTicketById(trx, targetId) : null;
  if (!target) throw similarNotFound();
  const { ticket: own, access } = await openTicket(trx, actor, input.ticketCode);
  if (access.relation !== 'owner') throw errors.ownTicketNotFound({ ticketCode: input.ticketCode });
  if (own.id === target.id) throw errors.similarSameTicket();
  const message = input.message ? scrubPii(input.message) : null;
  const inserted = await sql<{ id: string }>`
    insert into similar_requests (ticket_id, from_ticket_id, from_office_id, kind, message, created_by, created_at)
    values (${target.id}::uuid, ${own.id}::uuid, ${own.officeId}::uuid, ${input.kind}, ${message}, ${actor.userId}::uuid, ${now}::timestamptz)
    returning id`.execute(trx);
  const row = inserted.rows[0]!;
  await recordEvent(trx, 'ticket.similar_requested', {
    aggregateId: target.id, organisationId: target.organisationId,
    payload: { ticketId: target.id, code: target.code, requestId: row.id, requestKind: input.kind, ownerOfficeId: target.officeId, fromOfficeId: own.officeId, message, actorId: actor.userId },
  });
  return { id: row.id };
}

/** Marking a duplicate is a change of the ticket alone: the tickets module does it. */
export { markDuplicate } from '../tickets/index.js';

export interface Incident {
  id: string;
  organisationId: string;
  organisationName: string;
  officeId: string;
  title: string;
  description: string;
  topic: string | null;
  territory: string[];
  status: (typeof INCIDENT_STATUSES)[number];
  createdAt: Date;
  resolvedAt: Date | null;
  ticketCount: number;
}

async function findIncident(db: Db, id: string): Promise<Incident | null> {
  const row = await db
    .selectFrom('incidents as i')
    .innerJoin(identity.organisationDirectory().as('o'), 'o.id', 'i.organisation_id')
    .select(['i.id', 'i.organisation_id', 'o.name as organisation_name', 'i.office_id', 'i.title', 'i.description', 'i.topic', 'i.territory', 'i.status', 'i.created_at', 'i.resolved_at'])
    .where('i.id', '=', id)
    .executeTakeFirst();
  const ticketCount = row ? await countIncidentTickets(db, row.id) : 0;
  return row
    ? {
        // Visible network-wide: shown without personal data, also for rows written before cleaning on write.
        id: row.id, organisationId: row.organisation_id, organisationName: row.organisation_name, officeId: row.office_id, title: scrubPii(row.title), description: scrubPii(row.description),
        topic: row.topic, territory: row.territory, status: row.status, createdAt: row.created_at, resolvedAt: row.resolved_at, ticketCount,
      }
    : null;
}

export async function getIncident(db: Db, id: string): Promise<Incident> {
  const incident = await findIncident(db, id);
  if (!incident) throw incidentNotFound();
  return incident;
}

/** Incidents are network-visible (they describe a public problem, not a person); only open ones by default. */
/** An incident is open until an operator marks it resolved. */
export const INCIDENT_STATUSES = ['open', 'resolved'] as const;

export async function listIncidents(db: Db, status: 'open' | 'resolved' | 'all'): Promise<Incident[]> {
  let q = db.selectFrom('incidents').select('id').orderBy('created_at', 'desc').limit(100);
  if (status !== 'all') q = q.where('status', '=', status);
  const ids = await q.execute();
  return (await Promise.all(ids.map((r) => findIncident(db, r.id)))).filter((x): x is Incident => x !== null);
}

export async function createIncident(trx: Trx, actor: Actor, input: { officeId: string; title: string; description: string; topic?: string; territory?: string[] }, now: Date): Promise<Incident> {
  const office = await identity.findOffice(trx, input.officeId);
  if (!office || !scopeIncludes(ticketScope(actor, 'tickets:write'), { officeId: office.id, organisationId: office.organisationId })) throw errors.officeForbidden();
  if (input.topic && !(await currentTaxonomy(trx)).nodes.has(`tema:${input.topic}`)) throw errors.unknownTopic({ topic: input.topic });
  const row = await trx
    .insertInto('incidents')
    .values({ organisation_id: office.organisationId, office_id: office.id, title: scrubPii(input.title), description: scrubPii(input.description), topic: input.topic ?? null, territory: JSON.stringify(input.territory ?? office.territory), created_by: actor.userId, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(trx, 'incident.created', { aggregateId: row.id, organisationId: office.organisationId, payload: { incidentId: row.id, title: scrubPii(input.title) } });
  return (await findIncident(trx, row.id))!;
}

/** Links a ticket the caller works on (as owner) to an incident. */
export async function linkTicket(trx: Trx, actor: Actor, incidentId: string, code: string, now: Date): Promise<Incident> {
  const incident = await getIncident(trx, incidentId);
  if (incident.status !== 'open') throw errors.resolved();
  await changeTicket(trx, actor, { code }, { action: 'edit' }, async () => ({
    history: { action: 'linked_to_incident', changes: { incident: { from: null, to: incident.title } } }, update: { incidentId: incident.id }, events: [], result: null,
  }), { now });
  return getIncident(trx, incident.id);
}

/** Tickets of the incident that the caller may see, with whether they may answer them. */
export async function incidentTickets(db: Db, actor: Actor, incidentId: string) {
  const rows = await incidentTicketCodes(db, incidentId);
  const out: { code: string; subject: string; status: TicketStatus; officeName: string; canReply: boolean }[] = [];
  for (const r of rows) {
    try {
      const { ticket, access } = await openTicket(db, actor, r.code);
      out.push({ code: ticket.code, subject: ticket.subject, status: ticket.status, officeName: ticket.officeName, canReply: can(access, 'write_reply') });
    } catch {
      // Not visible to this caller: counted in ticketCount, not listed.
    }
  }
  return out;
}

/** What a reply the ticket policy refuses throws (unknown or unreadable ticket, action not allowed): such tickets are skipped. */
const ticketRefusals = [ticketErrors.ticketNotFound, ticketErrors.actionForbidden, ticketErrors.readOnly, ticketErrors.officeNotWritable, platformErrors.forbidden];

/**
 * One reply to every affected citizen: a public reply on each open ticket of the incident that the
 * caller may answer. Tickets of other bodies are answered by their own operators.
 */
export async function massReply(db: Database, actor: Actor, incidentId: string, body: string, now: Date): Promise<{ replied: string[]; skipped: number }> {
  await getIncident(db, incidentId);
  const rows = await incidentTicketCodes(db, incidentId);
  const replied: string[] = [];
  let skipped = 0;
  for (const r of rows) {
    if (r.status === 'closed' || r.status === 'resolved') {
      skipped++;
      continue;
    }
    try {
      // The ticket policy decides, as for any reply: tickets the caller may not answer are skipped.
      await db.transaction().execute((trx) => addMessage(trx, actor, r.code, { kind: 'reply', body }, now));
      replied.push(r.code);
    } catch (err) {
      if (!ticketRefusals.some((refusal) => refusal.is(err))) throw err;
      skipped++;
    }
  }
  return { replied, skipped };
}

export async function resolveIncident(trx: Trx, actor: Actor, incidentId: string, now: Date): Promise<Incident> {
  const incident = await getIncident(trx, incidentId);
  const office = await identity.findOffice(trx, incident.officeId);
  if (!office || !scopeIncludes(ticketScope(actor, 'tickets:write'), { officeId: office.id, organisationId: office.organisationId })) throw errors.forbidden();
  const moved = await trx.updateTable('incidents').set({ status: 'resolved', resolved_at: now }).where('id', '=', incidentId).where('status', '=', 'open').executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0) throw errors.resolved();
  return getIncident(trx, incidentId);
}
