import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.js';
import { recordEvent } from '../../platform/events.js';
import type { Trx } from '../../platform/http.js';
import { scopeIncludes, ticketScope } from '../../platform/policy.js';
import * as identity from '../identity/index.js';
import { currentTaxonomy, topicPath } from '../taxonomy/index.js';
import { addMessage, appendHistory, can, openTicket, openTicketForUpdate, updateTicketRow } from '../tickets/index.js';
import { findSimilarTickets, type SimilarTicket } from './similar.repository.js';

type Db = Database | Trx;

export const incidentNotFound = () => notFound('incident.not_found', 'Incidente non trovato.');

/** Similar open tickets across the network for a description being typed (no personal data shown). */
export async function similarTickets(db: Database, actor: Actor, input: { text: string; topic?: string; territory?: string; officeId?: string; excludeCode?: string; windowDays?: number; limit?: number }): Promise<(SimilarTicket & { visible: boolean })[]> {
  let territory = input.territory ?? null;
  if (!territory && input.officeId) territory = (await identity.findOffice(db, input.officeId))?.territory[0] ?? null;
  let exclude: string | undefined;
  if (input.excludeCode) exclude = (await db.selectFrom('tickets').select('id').where('code', '=', input.excludeCode).executeTakeFirst())?.id;
  const found = await findSimilarTickets(db, {
    text: input.text, topic: input.topic ?? null, territory, windowDays: input.windowDays ?? 30, limit: input.limit ?? 10, ...(exclude && { excludeTicketId: exclude }),
  });
  const scope = ticketScope(actor, 'tickets:read');
  return found.map((t) => ({ ...t, visible: scopeIncludes(scope, { officeId: t.officeId, organisationId: t.organisationId }) }));
}

/**
 * Marks a ticket as a duplicate of another (of any office of the network): the contact is linked to
 * the existing ticket, missing classification is taken from it, and the duplicate is resolved.
 */
export async function markDuplicate(trx: Trx, actor: Actor, code: string, targetCode: string, now: Date) {
  const { ticket } = await openTicketForUpdate(trx, actor, code, 'resolve', null);
  const target = await trx.selectFrom('tickets').select(['id', 'code', 'classification', 'duplicate_of_id']).where('code', '=', targetCode.toUpperCase()).executeTakeFirst();
  if (!target) throw notFound('ticket.duplicate_target_not_found', `Nessun ticket con codice ${targetCode} da collegare.`);
  if (target.id === ticket.id) throw unprocessable('ticket.duplicate_of_itself', 'Un ticket non può essere duplicato di sé stesso.');
  if (target.duplicate_of_id === ticket.id) throw conflict('ticket.duplicate_cycle', `${target.code} è già segnato come duplicato di questo ticket.`);
  if (ticket.status === 'resolved' || ticket.status === 'closed') throw conflict('ticket.already_resolved', 'Il ticket è già risolto.');
  const classification: Record<string, string> = { ...target.classification, ...ticket.classification, canale: ticket.channel, esito: 'duplicato' };
  const tax = await currentTaxonomy(trx);
  await trx.updateTable('tickets').set({ duplicate_of_id: target.id }).where('id', '=', ticket.id).execute();
  if (!(await updateTicketRow(trx, ticket.id, ticket.version, { status: 'resolved', outcome: 'duplicato', resolvedAt: now, classification, topicPath: topicPath(tax, classification) }, now))) {
    throw new AppError(412, 'precondition.failed', 'Il ticket è stato modificato nel frattempo: riprova.');
  }
  await appendHistory(trx, { ticketId: ticket.id, actorId: actor.userId, action: 'marked_duplicate', at: now, changes: { duplicateOf: { from: null, to: target.code }, status: { from: ticket.status, to: 'resolved' }, outcome: { from: ticket.outcome, to: 'duplicato' } } });
  await recordEvent(trx, 'ticket.duplicate', { aggregateId: ticket.id, organisationId: ticket.organisationId, payload: { ticketId: ticket.id, code: ticket.code, duplicateOf: target.code } });
  return { code: ticket.code, duplicateOf: target.code };
}

export interface Incident {
  id: string;
  organisationId: string;
  organisationName: string;
  officeId: string;
  title: string;
  description: string;
  topic: string | null;
  territory: string[];
  status: string;
  createdAt: Date;
  resolvedAt: Date | null;
  ticketCount: number;
}

async function findIncident(db: Db, id: string): Promise<Incident | null> {
  const row = await db
    .selectFrom('incidents as i')
    .innerJoin('organisations as o', 'o.id', 'i.organisation_id')
    .select(['i.id', 'i.organisation_id', 'o.name as organisation_name', 'i.office_id', 'i.title', 'i.description', 'i.topic', 'i.territory', 'i.status', 'i.created_at', 'i.resolved_at'])
    .select((eb) => eb.selectFrom('tickets').select(eb.fn.countAll<number>().as('n')).whereRef('tickets.incident_id', '=', 'i.id').as('ticket_count'))
    .where('i.id', '=', id)
    .executeTakeFirst();
  return row
    ? {
        id: row.id, organisationId: row.organisation_id, organisationName: row.organisation_name, officeId: row.office_id, title: row.title, description: row.description,
        topic: row.topic, territory: row.territory, status: row.status, createdAt: row.created_at, resolvedAt: row.resolved_at, ticketCount: Number(row.ticket_count ?? 0),
      }
    : null;
}

export async function getIncident(db: Db, id: string): Promise<Incident> {
  const incident = await findIncident(db, id);
  if (!incident) throw incidentNotFound();
  return incident;
}

/** Incidents are network-visible (they describe a public problem, not a person); only open ones by default. */
export async function listIncidents(db: Db, status: 'open' | 'resolved' | 'all'): Promise<Incident[]> {
  let q = db.selectFrom('incidents').select('id').orderBy('created_at', 'desc').limit(100);
  if (status !== 'all') q = q.where('status', '=', status);
  const ids = await q.execute();
  return (await Promise.all(ids.map((r) => findIncident(db, r.id)))).filter((x): x is Incident => x !== null);
}

export async function createIncident(trx: Trx, actor: Actor, input: { officeId: string; title: string; description: string; topic?: string; territory?: string[] }, now: Date): Promise<Incident> {
  const office = await identity.findOffice(trx, input.officeId);
  if (!office || !scopeIncludes(ticketScope(actor, 'tickets:write'), { officeId: office.id, organisationId: office.organisationId })) throw new AppError(403, 'incident.office_forbidden', 'Puoi aprire un incidente solo per un ufficio in cui lavori.');
  if (input.topic && !(await currentTaxonomy(trx)).nodes.has(`tema:${input.topic}`)) throw unprocessable('incident.unknown_topic', `Argomento «${input.topic}» inesistente nella tassonomia.`);
  const row = await trx
    .insertInto('incidents')
    .values({ organisation_id: office.organisationId, office_id: office.id, title: input.title, description: input.description, topic: input.topic ?? null, territory: JSON.stringify(input.territory ?? office.territory), created_by: actor.userId, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordEvent(trx, 'incident.created', { aggregateId: row.id, organisationId: office.organisationId, payload: { incidentId: row.id, title: input.title } });
  return (await findIncident(trx, row.id))!;
}

/** Links a ticket the caller works on (as owner) to an incident. */
export async function linkTicket(trx: Trx, actor: Actor, incidentId: string, code: string, now: Date): Promise<Incident> {
  const incident = await getIncident(trx, incidentId);
  if (incident.status !== 'open') throw conflict('incident.resolved', "L'incidente è già chiuso.");
  const { ticket } = await openTicketForUpdate(trx, actor, code, 'edit', null);
  await trx.updateTable('tickets').set({ incident_id: incident.id }).where('id', '=', ticket.id).execute();
  if (!(await updateTicketRow(trx, ticket.id, ticket.version, {}, now))) throw new AppError(412, 'precondition.failed', 'Il ticket è stato modificato nel frattempo: riprova.');
  await appendHistory(trx, { ticketId: ticket.id, actorId: actor.userId, action: 'linked_to_incident', at: now, changes: { incident: { from: null, to: incident.title } } });
  return getIncident(trx, incident.id);
}

/** Tickets of the incident that the caller may see, with whether they may answer them. */
export async function incidentTickets(db: Db, actor: Actor, incidentId: string) {
  const rows = await db.selectFrom('tickets').select(['code']).where('incident_id', '=', incidentId).orderBy('created_at').execute();
  const out: { code: string; subject: string; status: string; officeName: string; canReply: boolean }[] = [];
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

/**
 * One reply to every affected citizen: a public reply on each open ticket of the incident that the
 * caller may answer. Tickets of other bodies are answered by their own operators.
 */
export async function massReply(db: Database, actor: Actor, incidentId: string, body: string, now: Date): Promise<{ replied: string[]; skipped: number }> {
  await getIncident(db, incidentId);
  const rows = await db.selectFrom('tickets').select(['code', 'status']).where('incident_id', '=', incidentId).execute();
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
      const status = (err as { status?: number }).status;
      if (status !== 403 && status !== 404) throw err;
      skipped++;
    }
  }
  return { replied, skipped };
}

export async function resolveIncident(trx: Trx, actor: Actor, incidentId: string, now: Date): Promise<Incident> {
  const incident = await getIncident(trx, incidentId);
  const office = await identity.findOffice(trx, incident.officeId);
  if (!office || !scopeIncludes(ticketScope(actor, 'tickets:write'), { officeId: office.id, organisationId: office.organisationId })) throw new AppError(403, 'incident.forbidden', "Solo l'ufficio che ha aperto l'incidente può chiuderlo.");
  const moved = await trx.updateTable('incidents').set({ status: 'resolved', resolved_at: now }).where('id', '=', incidentId).where('status', '=', 'open').executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0) throw conflict('incident.resolved', "L'incidente è già chiuso.");
  return getIncident(trx, incidentId);
}
