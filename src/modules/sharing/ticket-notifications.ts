import type { Database } from '../../db/database.js';
import type { CatalogueEvent, OutboxDispatcher } from '../../platform/events.js';
import { type NotificationParams, notifyUsers } from '../../platform/notifications.js';
import { findTicketById, listParticipants, type Ticket } from '../tickets/index.js';
import { findOrganisation, officeWorkerIds, workerOfficeIds } from '../identity/index.js';

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
  const collaborating = (await listParticipants(db, ticket.id)).filter((p) => p.status === 'active' && p.mode === 'collaborate');
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

async function deliver(db: Database, eventId: number, userIds: readonly string[], exceptUserId: string | null | undefined, n: { kind: string; ticket: Ticket; params: NotificationParams }) {
  const recipients = userIds.filter((id) => id !== exceptUserId);
  if (recipients.length === 0) return;
  await notifyUsers(db, recipients, { kind: n.kind, ticketId: n.ticket.id, ticketCode: n.ticket.code, params: { code: n.ticket.code, subject: n.ticket.subject, ...n.params }, eventId, now: new Date() });
}

/**
 * A message on a shared ticket tells the other sides that can read it: a reply every party, a note
 * only the parties of the note's organisation. A citizen's message tells the owner side and every
 * collaborating office (they answer the citizen too).
 */
async function onMessageAdded(db: Database, event: CatalogueEvent<'ticket.reply_added' | 'ticket.note_added' | 'ticket.citizen_added'>): Promise<void> {
  const m = event.payload;
  const ticket = await findTicketById(db, m.ticketId);
  if (!ticket) return;
  if (m.kind === 'citizen' || !m.authorId) {
    await deliver(db, event.id, await readersOf(db, ticket, await partiesOf(db, ticket)), null, { kind: 'ticket.citizen_message', ticket, params: {} });
    return;
  }
  const parties = await partiesOf(db, ticket);
  if (parties.length < 2) return;
  const authorOffices = new Set(await workerOfficeIds(db, m.authorId, parties));
  const authorParty = parties.find((p) => authorOffices.has(p.officeId));
  const others = parties.filter((p) => !authorOffices.has(p.officeId) && (m.kind !== 'note' || p.organisationId === m.organisationId));
  const readers = await readersOf(db, ticket, others);
  const kind = m.kind === 'note' ? 'ticket.partner_note' : 'ticket.partner_reply';
  await deliver(db, event.id, readers, m.authorId, { kind, ticket, params: { office: authorParty?.officeName ?? null } });
}

/** An assignment tells the new assignee, unless they assigned the ticket to themselves. */
async function onAssigned(db: Database, event: CatalogueEvent<'ticket.created' | 'ticket.assigned'>): Promise<void> {
  const c = event.payload;
  if (!c.assigneeId || c.assigneeId === c.actorId) return;
  const ticket = await findTicketById(db, c.ticketId);
  if (!ticket) return;
  await deliver(db, event.id, [c.assigneeId], c.actorId, { kind: 'ticket.assigned', ticket, params: {} });
}

/** A reopened ticket tells the owner side (the assignee, else the office) and the collaborating offices. */
async function onStatusChanged(db: Database, event: CatalogueEvent<(typeof REOPEN_TOPICS)[number]>): Promise<void> {
  const s = event.payload;
  if (!DONE.has(s.from) || DONE.has(s.to)) return;
  const ticket = await findTicketById(db, s.ticketId);
  if (!ticket) return;
  const readers = await readersOf(db, ticket, await partiesOf(db, ticket));
  await deliver(db, event.id, readers, s.actorId, { kind: 'ticket.reopened', ticket, params: { status: s.to } });
}

/** A ticket handed back when a body left the network tells the office that now owns it. */
async function onHandedBack(db: Database, event: CatalogueEvent<'ticket.handed_back'>): Promise<void> {
  const h = event.payload;
  const ticket = await findTicketById(db, h.ticketId);
  if (!ticket) return;
  const leaving = await findOrganisation(db, h.leavingOrganisationId);
  const readers = await officeWorkerIds(db, [ticket.officeId]);
  await deliver(db, event.id, readers, h.actorId, { kind: 'ticket.handed_back', ticket, params: { organisation: leaving?.name ?? null } });
}

/** The statuses a closed or resolved ticket can be reopened to. */
const REOPEN_TOPICS = ['ticket.open', 'ticket.pending_citizen', 'ticket.pending_office', 'ticket.new'] as const;

/**
 * In-app notifications that follow ticket events (after commit, from the outbox): messages of the
 * other offices on a shared ticket and of the citizen, assignments, reopens, tickets handed back by a
 * body leaving the network. Share, transfer and task
 * notifications are the office notices (office-notices.ts, sharing.handlers.ts).
 */
export function registerTicketNotifications(events: OutboxDispatcher, db: Database): void {
  events.on('ticket.reply_added', 'onReplyAdded_notifyParties', (e) => onMessageAdded(db, e));
  events.on('ticket.note_added', 'onNoteAdded_notifyParties', (e) => onMessageAdded(db, e));
  events.on('ticket.citizen_added', 'onCitizenMessageAdded_notifyOwner', (e) => onMessageAdded(db, e));
  events.on('ticket.created', 'onTicketCreated_notifyAssignee', (e) => onAssigned(db, e));
  events.on('ticket.assigned', 'onTicketAssigned_notifyAssignee', (e) => onAssigned(db, e));
  events.on('ticket.handed_back', 'onTicketHandedBack_notifyNewOwner', (e) => onHandedBack(db, e));
  for (const topic of REOPEN_TOPICS) {
    const status = topic.slice('ticket.'.length).replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());
    events.on(topic, `onTicket${status[0]!.toUpperCase()}${status.slice(1)}_notifyIfReopened`, (e) => onStatusChanged(db, e));
  }
}
