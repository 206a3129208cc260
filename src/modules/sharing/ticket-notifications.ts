import type { Database } from '../../db/database.js';
import type { DomainEvent, OutboxDispatcher } from '../../platform/events.js';
import type { Trx } from '../../platform/http.js';
import { type NotificationParams, notifyUsers } from '../../platform/notifications.js';
import { findTicketById, participants, type Ticket } from '../tickets/index.js';
import { officeWorkerIds, workerOfficeIds } from './sharing.repository.js';

/** Payload of `ticket.reply_added`, `ticket.note_added` and `ticket.citizen_added`. */
interface MessageAdded {
  ticketId: string;
  messageId: string;
  /** `citizen`: written by the requester (no author user). */
  kind?: 'reply' | 'note' | 'citizen';
  authorId?: string | null;
  /** The organisation a note belongs to (only its members see it). */
  organisationId?: string | null;
}

/** Payload of `ticket.created` and `ticket.updated`. */
interface TicketChanged {
  ticketId: string;
  actorId?: string;
  fields?: string[];
  assigneeId?: string | null;
}

/** Payload of `ticket.<status>`. */
interface StatusChanged {
  ticketId: string;
  actorId?: string;
  from: string;
  to: string;
}

const DONE = new Set(['resolved', 'closed']);

/** One side of a ticket: the owner office, or an office collaborating on it. */
interface Party {
  officeId: string;
  officeName: string;
  organisationId: string;
  owner: boolean;
}

const ownerParty = (ticket: Ticket): Party => ({ officeId: ticket.officeId, officeName: ticket.officeName, organisationId: ticket.organisationId, owner: true });

async function partiesOf(db: Database, ticket: Ticket): Promise<Party[]> {
  const collaborating = (await participants.listParticipants(db, ticket.id)).filter((p) => p.status === 'active' && p.mode === 'collaborate');
  return [
    ownerParty(ticket),
    ...collaborating.map((p) => ({ officeId: p.officeId, officeName: p.officeName, organisationId: p.organisationId, owner: false })),
  ];
}

/** Who reads these parties' news: the ticket's assignee for the owner office when there is one, else each office's workers. */
async function readersOf(db: Database, ticket: Ticket, parties: readonly Party[]): Promise<string[]> {
  const byAssignee = (p: Party) => p.owner && ticket.assignee !== null;
  const assignee = ticket.assignee && parties.some(byAssignee) ? [ticket.assignee.id] : [];
  return [...assignee, ...(await officeWorkerIds(db, parties.filter((p) => !byAssignee(p)).map((p) => p.officeId)))];
}

async function deliver(db: Database, userIds: readonly string[], exceptUserId: string | null | undefined, n: { kind: string; ticket: Ticket; title: string; params: NotificationParams }) {
  const recipients = userIds.filter((id) => id !== exceptUserId);
  if (recipients.length === 0) return;
  await db.transaction().execute((trx: Trx) =>
    notifyUsers(trx, recipients, { kind: n.kind, ticketId: n.ticket.id, title: n.title, body: null, params: { code: n.ticket.code, subject: n.ticket.subject, ...n.params }, now: new Date() }),
  );
}

/**
 * A message on a shared ticket tells the other sides that can read it: a reply every party, a note
 * only the parties of the note's organisation. A citizen's message tells the owner side.
 */
async function onMessageAdded(db: Database, event: DomainEvent): Promise<void> {
  const m = event.payload as MessageAdded;
  const ticket = await findTicketById(db, m.ticketId);
  if (!ticket) return;
  if (m.kind === 'citizen' || !m.authorId) {
    await deliver(db, await readersOf(db, ticket, [ownerParty(ticket)]), null, { kind: 'ticket.citizen_message', ticket, title: `Nuovo messaggio del cittadino su ${ticket.code}: ${ticket.subject}`, params: {} });
    return;
  }
  const parties = await partiesOf(db, ticket);
  if (parties.length < 2) return;
  const authorOffices = new Set(await workerOfficeIds(db, m.authorId, parties));
  const authorParty = parties.find((p) => authorOffices.has(p.officeId));
  const others = parties.filter((p) => !authorOffices.has(p.officeId) && (m.kind !== 'note' || p.organisationId === m.organisationId));
  const readers = await readersOf(db, ticket, others);
  const fromOffice = authorParty?.officeName;
  const kind = m.kind === 'note' ? 'ticket.partner_note' : 'ticket.partner_reply';
  const what = m.kind === 'note' ? 'Nuova nota interna' : 'Nuova risposta';
  await deliver(db, readers, m.authorId, { kind, ticket, title: `${what} su ${ticket.code}${fromOffice ? ` da ${fromOffice}` : ''}: ${ticket.subject}`, params: { office: fromOffice ?? null } });
}

/** An assignment tells the new assignee, unless they assigned the ticket to themselves. */
async function onAssigned(db: Database, event: DomainEvent): Promise<void> {
  const c = event.payload as TicketChanged;
  if (!c.assigneeId || c.assigneeId === c.actorId) return;
  if (event.topic === 'ticket.updated' && !c.fields?.includes('assignee')) return;
  const ticket = await findTicketById(db, c.ticketId);
  if (!ticket) return;
  await deliver(db, [c.assigneeId], c.actorId, { kind: 'ticket.assigned', ticket, title: `Ti è stato assegnato il ticket ${ticket.code}: ${ticket.subject}`, params: {} });
}

/** A reopened ticket tells the owner side (the assignee, else the office) and the collaborating offices. */
async function onStatusChanged(db: Database, event: DomainEvent): Promise<void> {
  const s = event.payload as StatusChanged;
  if (!DONE.has(s.from) || DONE.has(s.to)) return;
  const ticket = await findTicketById(db, s.ticketId);
  if (!ticket) return;
  const readers = await readersOf(db, ticket, await partiesOf(db, ticket));
  await deliver(db, readers, s.actorId, { kind: 'ticket.reopened', ticket, title: `Ticket ${ticket.code} riaperto: ${ticket.subject}`, params: { status: s.to } });
}

const STATUS_TOPICS = ['open', 'pending_citizen', 'pending_office', 'new'];

/**
 * In-app notifications that follow ticket events (after commit, from the outbox): messages of the
 * other offices on a shared ticket and of the citizen, assignments, reopens. Share, transfer and task
 * notifications are written with the change itself (sharing.service.ts).
 */
export function registerTicketNotifications(events: OutboxDispatcher, db: Database): void {
  events.subscribe('ticket.', async (event) => {
    const topic = event.topic.slice('ticket.'.length);
    if (topic === 'reply_added' || topic === 'note_added' || topic === 'citizen_added') await onMessageAdded(db, event);
    else if (topic === 'created' || topic === 'updated') await onAssigned(db, event);
    else if (STATUS_TOPICS.includes(topic)) await onStatusChanged(db, event);
  });
}
