import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { preconditionFailed } from '../../platform/errors.js';
import { recordEvent } from '../../platform/events.js';
import type { Trx } from '../../platform/http.js';
import { scopeIncludes, ticketScope } from '../../platform/policy.js';
import { recordFeedback } from '../classification/suggestion-feedback.js';
import { SUGGESTED_FACETS } from '../classification/suggested-facets.js';
import * as identity from '../identity/index.js';
import { checkClassification, currentTaxonomy, taxonomyVersion, topicPath, withLocalNodes } from '../taxonomy/index.js';
import { resolutionDueAt } from './sla.js';
import { generateTicketCode, normalizeTicketCode } from './ticket-code.js';
import * as participants from './participants.repository.js';
import { type ActorTicketScope, can, resolveTicketAccess, type TicketAccess, type TicketAction } from './ticket-access.js';
import { planStatusChange } from './ticket-status.js';
import { invalidClassification, statusChangeRejected, ticketErrors as errors } from './tickets.errors.js';
import * as repo from './tickets.repository.js';
import type { Priority } from './tickets.schemas.js';

type Db = Database | Trx;

export interface RequesterInput {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  fiscalCode?: string | null;
}

function cleanRequester(r: RequesterInput): Omit<repo.Requester, 'id'> {
  const clean = (v: string | null | undefined) => (v === undefined || v === null || v.trim() === '' ? null : v.trim());
  return { name: clean(r.name), email: clean(r.email)?.toLowerCase() ?? null, phone: clean(r.phone), fiscalCode: clean(r.fiscalCode)?.toUpperCase() ?? null };
}

const isEmptyRequester = (r: Omit<repo.Requester, 'id'>) => !r.name && !r.email && !r.phone && !r.fiscalCode;

/** Requester values are personal data: the audit history records that they changed, not what they are. */
const REDACTED = '[dato personale]';

function actorScope(actor: Actor): ActorTicketScope {
  return { read: ticketScope(actor, 'tickets:read'), write: ticketScope(actor, 'tickets:write') };
}

/** A ticket as one caller sees it: the requester is hidden when their relation does not grant it. */
export interface TicketView {
  ticket: repo.Ticket;
  access: TicketAccess;
}


/**
 * Opens a ticket for one action. Unknown codes and tickets the caller has no relation to both
 * answer "not found", so the API never confirms that a code exists elsewhere; a caller who sees
 * the ticket but may not do this action gets 403 with the reason.
 */
export async function openTicket(db: Db, actor: Actor, rawCode: string, action: TicketAction = 'read_thread'): Promise<TicketView> {
  const code = normalizeTicketCode(rawCode);
  if (!code) throw errors.malformedTicketCode({ ticketCode: rawCode });
  const ticket = await repo.findTicketByCode(db, code);
  if (!ticket) throw errors.ticketNotFound({ ticketCode: code });
  const access = resolveTicketAccess(actorScope(actor), ticket, await participants.listParticipants(db, ticket.id));
  if (!access) throw errors.ticketNotFound({ ticketCode: code });
  if (!can(access, action)) {
    throw access.writable || !isWriteAction(action) ? errors.actionForbidden({ action }) : errors.readOnly();
  }
  return { ticket: await asSeenBy(db, ticket, access), access };
}

/** The ticket with the requester the caller may see: none, the ticket's, or a former owner's kept copy. */
async function asSeenBy(db: Db, ticket: repo.Ticket, access: TicketAccess): Promise<repo.Ticket> {
  if (!access.requesterVisible) return { ...ticket, requester: null };
  if (access.keptRequesterId) return { ...ticket, requester: await repo.findRequester(db, access.keptRequesterId) };
  return ticket;
}

/** The creator's access to a ticket just created in one of their offices (no participants yet). */
export function creatorAccess(actor: Actor, ticket: repo.Ticket): TicketAccess | null {
  return resolveTicketAccess(actorScope(actor), ticket, []);
}

const isWriteAction = (action: TicketAction) => action !== 'read_thread' && action !== 'read_requester';

/** Opens a ticket for a write action and locks its row; checks If-Match against the locked version. */
export async function openTicketForUpdate(trx: Trx, actor: Actor, rawCode: string, action: TicketAction, expectedVersion: number | null): Promise<TicketView> {
  const view = await openTicket(trx, actor, rawCode, action);
  const lockedVersion = await repo.lockTicket(trx, view.ticket.id);
  if (lockedVersion === null) throw errors.ticketNotFound({ ticketCode: view.ticket.code });
  if (expectedVersion !== null && expectedVersion !== lockedVersion) throw preconditionFailed();
  if (lockedVersion === view.ticket.version) return view;
  // Re-read under the lock so that diffs are computed against the committed state.
  const fresh = (await repo.findTicketById(trx, view.ticket.id)) ?? view.ticket;
  return { ticket: await asSeenBy(trx, fresh, view.access), access: view.access };
}

async function assertAssignable(db: Db, assigneeId: string, office: { id: string; organisationId: string }): Promise<void> {
  if (!(await repo.isTicketWorker(db, assigneeId, office))) throw errors.invalidAssignee();
}

export interface CreateTicketInput {
  officeId: string;
  channel: string;
  subject: string;
  description: string;
  priority?: Priority;
  requester?: RequesterInput | null;
  classification?: Record<string, string>;
  assigneeId?: string | null;
  /** The classification suggestion the operator saw: its outcome (confirmed/corrected) is recorded. */
  classificationSuggestionId?: string;
}

/** Records a contact as a ticket in one of the actor's offices, with its SLA and audit entry. */
export async function createTicket(trx: Trx, actor: Actor, input: CreateTicketInput, now: Date): Promise<repo.Ticket> {
  const row = await repo.findOwningOffice(trx, input.officeId);
  if (!row?.active) throw errors.officeUnknown();
  const office = { id: row.id, organisationId: row.organisation_id, name: row.name, calendar: identity.parseCalendar(row.calendar) };
  if (!scopeIncludes(ticketScope(actor, 'tickets:write'), { officeId: office.id, organisationId: office.organisationId })) throw errors.officeNotWritable();
  // The channel the contact came through is also its `canale` classification.
  const classification: Record<string, string> = { ...(input.classification ?? {}), canale: input.channel };
  // Local sub-nodes of the owner organisation are valid codes too (another organisation's are not).
  const tax = await withLocalNodes(trx, await currentTaxonomy(trx), office.organisationId, classification);
  const issues = checkClassification(tax, classification, false);
  if (issues.length > 0) throw invalidClassification(issues);
  let assignee: repo.PersonRef | null = null;
  if (input.assigneeId) {
    await assertAssignable(trx, input.assigneeId, office);
    assignee = { id: input.assigneeId, name: (await identity.findUser(trx, input.assigneeId))?.name ?? '' };
  }
  const requester = cleanRequester(input.requester ?? {});
  const priority = input.priority ?? 'normal';
  const subject = input.subject.trim();
  const dueAt = resolutionDueAt(office.calendar, priority, now);
  const history = {
    status: { from: null, to: 'new' }, office: { from: null, to: office.name }, channel: { from: null, to: input.channel }, priority: { from: null, to: priority },
    ...(input.assigneeId ? { assignee: { from: null, to: input.assigneeId } } : {}),
  };
  let created: { id: string; requesterId: string | null } | null = null;
  let code = '';
  for (let attempt = 0; attempt < 8 && created === null; attempt++) {
    code = generateTicketCode();
    created = await repo.insertNewTicket(trx, {
      code, organisationId: office.organisationId, officeId: office.id, channel: input.channel, subject, description: input.description, priority,
      classification, taxonomyVersion: tax.document.version, topicPath: topicPath(tax, classification), requesterId: null,
      requester: isEmptyRequester(requester) ? null : requester, assigneeId: input.assigneeId ?? null, createdBy: actor.userId, dueAt, now, history,
    });
  }
  if (created === null) throw new Error('could not draw a free ticket code');
  if (input.classificationSuggestionId) {
    const chosen = Object.entries(classification).filter(([facet]) => (SUGGESTED_FACETS as readonly string[]).includes(facet)).map(([facet, code]) => ({ facet, code }));
    await recordFeedback(trx, actor, input.classificationSuggestionId, chosen, created.id, now, false);
  }
  // Everything the new ticket holds is known here: no read-back query.
  return {
    id: created.id, code, version: 1, organisationId: office.organisationId, organisationName: row.organisation_name, officeId: office.id, officeName: office.name,
    channel: input.channel, subject, description: input.description, priority, status: 'new', outcome: null, classification, taxonomyVersion: tax.document.version,
    requester: created.requesterId ? { id: created.requesterId, ...requester } : null, assignee, createdBy: { id: actor.userId, name: actor.name },
    dueAt, createdAt: now, updatedAt: now, resolvedAt: null, closedAt: null,
  };
}

export interface UpdateTicketInput {
  subject?: string;
  description?: string;
  priority?: Priority;
  classification?: Record<string, string>;
  assigneeId?: string | null;
  requester?: RequesterInput | null;
}

/** Edits a ticket under optimistic concurrency; every changed field is written to the history. */
export async function updateTicket(trx: Trx, actor: Actor, rawCode: string, expectedVersion: number | null, input: UpdateTicketInput, now: Date): Promise<TicketView> {
  const { ticket: t, access } = await openTicketForUpdate(trx, actor, rawCode, 'edit', expectedVersion);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const update: repo.TicketUpdate = {};
  if (input.subject !== undefined && input.subject.trim() !== t.subject) {
    update.subject = input.subject.trim();
    changes.subject = { from: t.subject, to: update.subject };
  }
  if (input.description !== undefined && input.description !== t.description) {
    update.description = input.description;
    changes.description = { from: t.description, to: input.description };
  }
  if (input.priority !== undefined && input.priority !== t.priority) {
    update.priority = input.priority;
    changes.priority = { from: t.priority, to: input.priority };
    const office = await identity.findOffice(trx, t.officeId);
    if (office) update.dueAt = resolutionDueAt(office.calendar, input.priority, t.createdAt);
  }
  if (input.classification !== undefined) {
    const next: Record<string, string> = { ...input.classification, canale: input.classification.canale ?? t.classification.canale ?? t.channel };
    const tax = await withLocalNodes(trx, await taxonomyVersion(trx, t.taxonomyVersion), t.organisationId, next);
    const issues = checkClassification(tax, next, false);
    if (issues.length > 0) throw invalidClassification(issues);
    for (const facet of new Set([...Object.keys(t.classification), ...Object.keys(next)])) {
      if (t.classification[facet] !== next[facet]) changes[`classification.${facet}`] = { from: t.classification[facet] ?? null, to: next[facet] ?? null };
    }
    update.classification = next;
    update.topicPath = topicPath(tax, next);
  }
  if (input.assigneeId !== undefined && input.assigneeId !== (t.assignee?.id ?? null)) {
    if (input.assigneeId !== null) await assertAssignable(trx, input.assigneeId, { id: t.officeId, organisationId: t.organisationId });
    update.assigneeId = input.assigneeId;
    changes.assignee = { from: t.assignee?.id ?? null, to: input.assigneeId };
  }
  if (input.requester !== undefined) {
    const next = cleanRequester(input.requester ?? {});
    const before = t.requester;
    const fields = ['name', 'email', 'phone', 'fiscalCode'] as const;
    const changed = fields.filter((f) => (before?.[f] ?? null) !== next[f]);
    if (changed.length > 0) {
      // An office that handed the ticket over keeps the record as it knew it: the change goes to a
      // new record, and the former owners keep reading the old one.
      const keptByFormerOwners = before ? (await participants.keepRequesterForFormerOwners(trx, t.id, before.id)) > 0 : false;
      if (before && !keptByFormerOwners) await repo.updateRequester(trx, before.id, next);
      else update.requesterId = await repo.insertRequester(trx, t.organisationId, next);
      for (const f of changed) changes[`requester.${f}`] = { from: before?.[f] ? REDACTED : null, to: next[f] ? REDACTED : null };
    }
  }
  if (Object.keys(changes).length === 0) return { ticket: t, access };
  if (!(await repo.updateTicket(trx, t.id, t.version, update, now))) throw preconditionFailed();
  await repo.appendHistory(trx, { ticketId: t.id, actorId: actor.userId, action: 'updated', changes, at: now });
  await recordEvent(trx, 'ticket.updated', { aggregateId: t.id, organisationId: t.organisationId, payload: { ticketId: t.id, code: t.code, actorId: actor.userId, fields: Object.keys(changes), ...(changes.assignee && { assigneeId: update.assigneeId ?? null }) } });
  if (changes.assignee) {
    await recordEvent(trx, 'ticket.assigned', { aggregateId: t.id, organisationId: t.organisationId, payload: { ticketId: t.id, code: t.code, actorId: actor.userId, assigneeId: update.assigneeId ?? null, previousAssigneeId: t.assignee?.id ?? null } });
  }
  return { ticket: (await repo.findTicketById(trx, t.id))!, access };
}

/**
 * Moves a ticket through its lifecycle. Resolving needs an outcome from the `esito` facet and a
 * complete classification (every facet the taxonomy marks required).
 */
export async function changeStatus(
  trx: Trx,
  actor: Actor,
  rawCode: string,
  expectedVersion: number | null,
  input: { status: repo.Ticket['status']; outcome?: string | null; reason?: string },
  now: Date,
): Promise<TicketView> {
  const { ticket: t, access } = await openTicketForUpdate(trx, actor, rawCode, input.status === 'resolved' ? 'resolve' : 'change_status', expectedVersion);
  const plan = planStatusChange({ status: t.status, resolvedAt: t.resolvedAt }, { to: input.status, outcome: input.outcome ?? null }, now);
  if (!plan.ok) throw statusChangeRejected(plan.code, { from: t.status, to: input.status, allowed: plan.allowed, days: plan.days });
  const update: repo.TicketUpdate = { status: plan.to };
  const changes: Record<string, { from: unknown; to: unknown }> = { status: { from: plan.from, to: plan.to } };
  if (plan.to === 'resolved') {
    const outcome = input.outcome ?? '';
    const classification = { ...t.classification, esito: outcome };
    const tax = await withLocalNodes(trx, await taxonomyVersion(trx, t.taxonomyVersion), t.organisationId, classification);
    if (!tax.nodes.has(`esito:${outcome}`)) throw errors.invalidOutcome({ outcome });
    const issues = checkClassification(tax, classification, true);
    if (issues.length > 0) throw invalidClassification(issues);
    const openTasks = await participants.countOpenTasks(trx, t.id);
    if (openTasks > 0) throw errors.openTasksRemain({ count: openTasks });
    update.outcome = outcome;
    update.classification = classification;
    changes.outcome = { from: t.outcome, to: outcome };
  }
  if (plan.isReopen) {
    update.outcome = null;
    const { esito: _dropped, ...rest } = t.classification;
    update.classification = rest;
    changes.outcome = { from: t.outcome, to: null };
  }
  if (plan.setResolvedAt !== undefined) update.resolvedAt = plan.setResolvedAt;
  if (plan.setClosedAt !== undefined) update.closedAt = plan.setClosedAt;
  if (input.reason) changes.reason = { from: null, to: input.reason };
  if (!(await repo.updateTicket(trx, t.id, t.version, update, now))) throw preconditionFailed();
  await repo.appendHistory(trx, { ticketId: t.id, actorId: actor.userId, action: plan.isReopen ? 'reopened' : 'status_changed', changes, at: now });
  await recordEvent(trx, `ticket.${plan.to}`, { aggregateId: t.id, organisationId: t.organisationId, payload: { ticketId: t.id, code: t.code, actorId: actor.userId, from: plan.from, to: plan.to } });
  return { ticket: (await repo.findTicketById(trx, t.id))!, access };
}

/** Adds a public reply or an internal note; a first reply to a new ticket opens it. */
export async function addMessage(
  trx: Trx,
  actor: Actor,
  rawCode: string,
  input: { kind: 'reply' | 'note'; body: string; attachmentIds?: string[] },
  now: Date,
): Promise<{ ticket: repo.Ticket; message: repo.Message }> {
  const { ticket: t, access } = await openTicketForUpdate(trx, actor, rawCode, input.kind === 'reply' ? 'write_reply' : 'write_note', null);
  if (t.status === 'closed') throw errors.ticketClosedForMessages();
  // A note belongs to the author's organisation: other organisations on the ticket never see it.
  const messageId = await repo.insertMessage(trx, { ticketId: t.id, kind: input.kind, body: input.body, authorId: actor.userId, organisationId: access.organisationId, now });
  const ids = input.attachmentIds ?? [];
  if (ids.length > 0 && (await repo.linkAttachments(trx, t.id, messageId, ids)) !== ids.length) throw errors.attachmentsNotUsable();
  const changes: Record<string, { from: unknown; to: unknown }> = { message: { from: null, to: input.kind } };
  const update: repo.TicketUpdate = {};
  if (input.kind === 'reply' && t.status === 'new' && access.relation === 'owner') {
    update.status = 'open';
    changes.status = { from: 'new', to: 'open' };
  }
  if (!(await repo.updateTicket(trx, t.id, t.version, update, now))) throw preconditionFailed();
  await repo.appendHistory(trx, { ticketId: t.id, actorId: actor.userId, action: input.kind === 'reply' ? 'reply_added' : 'note_added', changes, at: now });
  await recordEvent(trx, `ticket.${input.kind}_added`, { aggregateId: t.id, organisationId: t.organisationId, payload: { ticketId: t.id, code: t.code, messageId, kind: input.kind, authorId: actor.userId, organisationId: access.organisationId } });
  const message = (await repo.listMessages(trx, t.id, access.organisationId)).find((m) => m.id === messageId);
  return { ticket: (await repo.findTicketById(trx, t.id))!, message: message! };
}

export async function listInbox(db: Db, actor: Actor, filters: Omit<repo.ListFilters, 'scope' | 'topicPath' | 'code'> & { topic?: string }): Promise<repo.TicketSummary[]> {
  const scope = ticketScope(actor, 'tickets:read');
  let topic: string | undefined;
  if (filters.topic) {
    const tax = await currentTaxonomy(db);
    topic = tax.nodes.get(`tema:${filters.topic}`)?.path ?? filters.topic;
  }
  const code = filters.text ? (normalizeTicketCode(filters.text) ?? undefined) : undefined;
  return repo.listTickets(db, { ...filters, scope, ...(topic !== undefined && { topicPath: topic }), ...(code !== undefined && { code }) });
}

export async function inboxCounts(db: Db, actor: Actor, officeId?: string) {
  return repo.countInbox(db, { scope: ticketScope(actor, 'tickets:read'), userId: actor.userId, ...(officeId !== undefined && { officeId }) });
}
