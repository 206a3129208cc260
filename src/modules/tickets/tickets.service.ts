import type { Database } from '../../db/database.js';
import type { HistoryChanges } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { preconditionFailed } from '../../platform/errors.js';
import { type EventPayload, type EventTopic, recordEvent } from '../../platform/events.js';
import type { Trx } from '../../platform/http.js';
import { scopeIncludes, ticketScope } from '../../platform/policy.js';
import * as identity from '../identity/index.js';
import { checkClassification, currentTaxonomy, taxonomyVersion, topicPath, withLocalNodes } from '../taxonomy/index.js';
import { resolutionDueAt } from './sla.js';
import { generateTicketCode, normalizeTicketCode } from './ticket-code.js';
import * as participants from './participants.repository.js';
import { type ActorTicketScope, can, resolveTicketAccess, type TicketAccess, type TicketAction } from './ticket-access.js';
import { planStatusChange } from './ticket-status.js';
import { invalidClassification, statusChangeRejected, ticketErrors as errors } from './tickets.errors.js';
import * as repo from './tickets.repository.js';
import * as transfers from './transfers.repository.js';
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
  const access = await accessFor(db, actor, ticket, action);
  return { ticket: await asSeenBy(db, ticket, access), access };
}

/** The caller's access to a ticket for one action: not found without a relation, 403 when the relation does not allow it. */
async function accessFor(db: Db, actor: Actor, ticket: repo.Ticket, action: TicketAction, notFound?: () => Error): Promise<TicketAccess> {
  const access = resolveTicketAccess(actorScope(actor), ticket, await participants.listParticipants(db, ticket.id));
  if (!access) throw notFound ? notFound() : errors.ticketNotFound({ ticketCode: ticket.code });
  if (!can(access, action)) {
    throw access.writable || !isWriteAction(action) ? errors.actionForbidden({ action }) : errors.readOnly();
  }
  return access;
}

/** Whether the caller may read this ticket at all (any relation to it). */
export async function canSeeTicket(db: Db, actor: Actor, ticketId: string): Promise<boolean> {
  const accessOf = await ticketAudience(db, ticketId);
  return accessOf !== null && accessOf(actor) !== null;
}

/**
 * Loads a ticket's relations once and answers, for any caller, their access to it (null: they may
 * not see it), by the same rule as `openTicket`. The realtime stream asks it for every open stream
 * of an instance without a query per stream. Null when the ticket does not exist.
 */
export async function ticketAudience(db: Db, ticketId: string): Promise<((actor: Actor) => TicketAccess | null) | null> {
  const ticket = await repo.findTicketById(db, ticketId);
  if (!ticket) return null;
  const parts = await participants.listParticipants(db, ticket.id);
  return (actor) => resolveTicketAccess(actorScope(actor), ticket, parts);
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

// ------------------------------------------------------------------------------ changing a ticket

/** Which ticket a change is about: its code (as callers hold it) or its id (from a share, transfer or task). */
export type TicketTarget = { code: string } | { id: string };

/**
 * Who may make a change:
 * - `action`: the caller's relation to the ticket must allow it (ticket-access.ts);
 * - `receivingOffice`: the caller answers a request addressed to that office (a pending share or
 *   transfer gives no access to the ticket yet) and must hold a ticket write role on it;
 * - `system`: a background task of the platform (no caller; the actor is null).
 */
export type ChangeAccess = { action: TicketAction } | { receivingOffice: { id: string; organisationId: string } } | { system: true };

/** A catalogued event about the ticket being changed (its aggregate is the ticket). */
export type TicketEvent = { [T in EventTopic]: { topic: T; payload: EventPayload<T>; organisationId?: string } }[EventTopic];

/** What a change did, returned by its `apply` step; `changeTicket` persists it. */
export interface TicketChange<R> {
  /** The audit entry. null: nothing changed, so no version bump, no history and no event. */
  history: { action: string; changes: HistoryChanges } | null;
  /** Columns of the ticket row to change (the version and activity time are always bumped). */
  update?: repo.TicketUpdate;
  /** The domain events, recorded in the same transaction (organisation: the ticket's after the change). */
  events: TicketEvent[];
  result: R;
}

/**
 * Writes on the ticket's participations and tasks, available only inside a change (the row is
 * locked, and the change bumps the version and writes the history with them).
 */
export interface TicketChangeContext {
  /** The locked ticket as the caller may see it (requester hidden when not granted). */
  ticket: repo.Ticket;
  /** null for `receivingOffice` and `system` changes. */
  access: TicketAccess | null;
  listParticipants(): Promise<participants.Participant[]>;
  findParticipant(id: string): Promise<participants.Participant | null>;
  /** Adds a share; null when the office already has a live (pending or active) one. */
  addParticipant(p: { officeId: string; organisationId: string; mode: 'consult' | 'collaborate'; status: 'pending' | 'active'; shareRequester: boolean; reason: string }): Promise<string | null>;
  /** Moves a participation of this ticket from one status to another; false when it was not in `from` any more. */
  transitionParticipant(id: string, from: readonly participants.Participant['status'][], to: participants.Participant['status'], declineReason?: string | null): Promise<boolean>;
  addTask(t: { officeId: string; title: string; description: string | null; assigneeId: string | null; dueAt: Date | null }): Promise<string>;
  /** false when the task's version moved. */
  updateTask(id: string, expectedVersion: number, patch: { status?: participants.Task['status']; assigneeId?: string | null }): Promise<boolean>;
  /** Records a transfer or escalation request; null when one is already pending. */
  addTransfer(t: { kind: 'transfer' | 'escalation'; fromOfficeId: string; toOfficeId: string; reasonCode: string; reason: string }): Promise<string | null>;
  /** Settles a pending transfer of this ticket; false when it was not pending any more. */
  transitionTransfer(id: string, to: 'accepted' | 'declined' | 'cancelled', declineReason?: string | null): Promise<boolean>;
}

/**
 * The one way to change a ticket. Locks the row, checks the caller's access, lets `apply` plan and
 * make the change (and write what the calling module owns), then bumps the version, updates the
 * row, appends the history entry and records the domain event, all in the caller's transaction.
 * Every module that changes a ticket (sharing, incidents, later routing, channels and the archive)
 * goes through here: nobody else writes `tickets`, `ticket_participants` or `ticket_history`.
 */
export async function changeTicket<R>(
  trx: Trx,
  actor: Actor | null,
  target: TicketTarget,
  access: ChangeAccess,
  apply: (ctx: TicketChangeContext) => Promise<TicketChange<R>>,
  options: { now: Date; expectedVersion?: number | null; notFound?: () => Error },
): Promise<{ ticket: repo.Ticket; access: TicketAccess | null; result: R }> {
  const { now } = options;
  let id: string | null;
  let label: string;
  if ('code' in target) {
    const code = normalizeTicketCode(target.code);
    if (!code) throw errors.malformedTicketCode({ ticketCode: target.code });
    id = await repo.findTicketIdByCode(trx, code);
    label = code;
  } else {
    id = target.id;
    label = target.id;
  }
  const notFound = () => (options.notFound ? options.notFound() : errors.ticketNotFound({ ticketCode: label }));
  // Lock first: the access check, the plan and the diffs all read the committed state.
  const lockedVersion = id ? await repo.lockTicket(trx, id) : null;
  const row = id && lockedVersion !== null ? await repo.findTicketById(trx, id) : null;
  if (!row) throw notFound();
  let granted: TicketAccess | null = null;
  if ('action' in access) {
    if (!actor) throw new Error('a ticket action needs an actor');
    granted = await accessFor(trx, actor, row, access.action, options.notFound);
  } else if ('receivingOffice' in access) {
    const office = access.receivingOffice;
    if (!actor || !scopeIncludes(ticketScope(actor, 'tickets:write'), { officeId: office.id, organisationId: office.organisationId })) throw notFound();
  }
  if (options.expectedVersion != null && options.expectedVersion !== row.version) throw preconditionFailed();
  const actorId = actor?.userId ?? null;
  const ctx: TicketChangeContext = {
    ticket: granted ? await asSeenBy(trx, row, granted) : row,
    access: granted,
    listParticipants: () => participants.listParticipants(trx, row.id),
    findParticipant: async (participantId) => {
      const p = await participants.findParticipant(trx, participantId);
      return p && p.ticketId === row.id ? p : null;
    },
    addParticipant: (p) => participants.insertParticipant(trx, { ...p, ticketId: row.id, requestedBy: actorId, now }),
    transitionParticipant: (participantId, from, to, declineReason = null) => participants.transitionParticipant(trx, row.id, participantId, from, to, actorId, now, declineReason),
    addTask: (t) => participants.insertTask(trx, { ...t, ticketId: row.id, createdBy: actorId, now }),
    updateTask: (taskId, expectedVersion, patch) => participants.updateTask(trx, row.id, taskId, expectedVersion, { ...patch, now }),
    addTransfer: (t) => transfers.insertTransfer(trx, { ...t, ticketId: row.id, requestedBy: actorId, now }),
    transitionTransfer: (transferId, to, declineReason = null) => transfers.transitionTransfer(trx, row.id, transferId, to, actorId, now, declineReason),
  };
  const change = await apply(ctx);
  if (change.history) {
    const update = change.update ?? {};
    if (!(await repo.updateTicket(trx, row.id, row.version, update, now))) throw preconditionFailed();
    // The requester record's controller is the owning organisation: it moves with the ticket.
    if (update.organisationId !== undefined && update.organisationId !== row.organisationId && row.requester) {
      await repo.moveRequester(trx, row.requester.id, update.organisationId, now);
    }
    await repo.appendHistory(trx, { ticketId: row.id, actorId, action: change.history.action, changes: change.history.changes, at: now });
    for (const event of change.events) {
      const organisationId = event.organisationId ?? update.organisationId ?? row.organisationId;
      await recordEvent(trx, event.topic as EventTopic, { aggregateId: row.id, organisationId, payload: event.payload as EventPayload<EventTopic> });
    }
  }
  const fresh = change.history ? ((await repo.findTicketById(trx, row.id)) ?? row) : row;
  return { ticket: granted ? await asSeenBy(trx, fresh, granted) : fresh, access: granted, result: change.result };
}

async function assertAssignable(db: Db, assigneeId: string, office: { id: string; organisationId: string }): Promise<void> {
  if (!(await identity.isTicketWorker(db, assigneeId, office))) throw errors.invalidAssignee();
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
  if (!scopeIncludes(ticketScope(actor, 'tickets:write'), { officeId: row.id, organisationId: row.organisation_id })) throw errors.officeNotWritable();
  return insertTicket(trx, row, { id: actor.userId, name: actor.name }, input, now);
}

/**
 * Records a contact the citizen made themselves (the portal form, an e-mail or PEC to an office's
 * mailbox): no staff member opened it, so it has no creator and no assignee; routing and the inbox
 * take it from there like any other ticket.
 */
export async function createCitizenTicket(trx: Trx, input: Omit<CreateTicketInput, 'assigneeId' | 'classificationSuggestionId'>, now: Date): Promise<repo.Ticket> {
  const row = await repo.findOwningOffice(trx, input.officeId);
  if (!row?.active) throw errors.officeUnknown();
  return insertTicket(trx, row, null, input, now);
}

async function insertTicket(
  trx: Trx,
  row: NonNullable<Awaited<ReturnType<typeof repo.findOwningOffice>>>,
  creator: repo.PersonRef | null,
  input: CreateTicketInput,
  now: Date,
): Promise<repo.Ticket> {
  const office = { id: row.id, organisationId: row.organisation_id, name: row.name, calendar: identity.parseCalendar(row.calendar) };
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
      requester: isEmptyRequester(requester) ? null : requester, assigneeId: input.assigneeId ?? null, createdBy: creator?.id ?? null, dueAt, now, history,
      classificationSuggestionId: input.classificationSuggestionId ?? null,
    });
  }
  if (created === null) throw new Error('could not draw a free ticket code');
  // Everything the new ticket holds is known here: no read-back query.
  return {
    id: created.id, code, version: 1, organisationId: office.organisationId, organisationName: row.organisation_name, officeId: office.id, officeName: office.name,
    channel: input.channel, subject, description: input.description, priority, status: 'new', outcome: null, classification, taxonomyVersion: tax.document.version,
    requester: created.requesterId ? { id: created.requesterId, ...requester } : null, assignee, createdBy: creator,
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

/**
 * Routing handed the ticket's queued contact to an operator (issue 12): the ticket follows. An
 * operator of the owning office becomes its assignee; an operator of a partner office (overflow
 * under an agreement) gets the ticket shared with their office for collaboration, requester
 * included, so they can answer; the owning body keeps the ticket.
 */
export async function routeTicketTo(trx: Trx, ticketId: string, to: { userId: string; officeId: string; organisationId: string }, now: Date): Promise<void> {
  await changeTicket(trx, null, { id: ticketId }, { system: true }, async (ctx): Promise<TicketChange<undefined>> => {
    const t = ctx.ticket;
    if (to.officeId === t.officeId) {
      if (t.assignee?.id === to.userId) return { history: null, events: [], result: undefined };
      return {
        history: { action: 'routed', changes: { assignee: { from: t.assignee?.id ?? null, to: to.userId } } },
        update: { assigneeId: to.userId },
        events: [{ topic: 'ticket.assigned', payload: { ticketId: t.id, code: t.code, actorId: to.userId, assigneeId: to.userId, previousAssigneeId: t.assignee?.id ?? null } }],
        result: undefined,
      };
    }
    const reason = 'Trabocco: contatto instradato a un URP partner';
    const shareId = await ctx.addParticipant({ officeId: to.officeId, organisationId: to.organisationId, mode: 'collaborate', status: 'active', shareRequester: true, reason });
    if (!shareId) return { history: null, events: [], result: undefined };
    return {
      history: { action: 'routed', changes: { participant: { from: null, to: to.officeId }, mode: { from: null, to: 'collaborate' }, requesterShared: { from: null, to: true } } },
      events: [{
        topic: 'ticket.shared',
        payload: { ticketId: t.id, code: t.code, shareId, officeId: to.officeId, ownerOfficeId: t.officeId, mode: 'collaborate', status: 'active', reason, actorId: to.userId },
      }],
      result: undefined,
    };
  }, { now });
}

/** Edits a ticket under optimistic concurrency; every changed field is written to the history. */
export async function updateTicket(trx: Trx, actor: Actor, rawCode: string, expectedVersion: number | null, input: UpdateTicketInput, now: Date): Promise<TicketView> {
  const { ticket, access } = await changeTicket(trx, actor, { code: rawCode }, { action: 'edit' }, async ({ ticket: t }) => {
    const changes: HistoryChanges = {};
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
    if (Object.keys(changes).length === 0) return { history: null, events: [], result: null };
    return {
      history: { action: 'updated', changes }, update,
      events: [
        { topic: 'ticket.updated', payload: { ticketId: t.id, code: t.code, actorId: actor.userId, fields: Object.keys(changes), ...(changes.assignee && { assigneeId: update.assigneeId ?? null }) } },
        ...(changes.assignee ? [{ topic: 'ticket.assigned' as const, payload: { ticketId: t.id, code: t.code, actorId: actor.userId, assigneeId: update.assigneeId ?? null, previousAssigneeId: t.assignee?.id ?? null } }] : []),
      ],
      result: null,
    };
  }, { now, expectedVersion });
  return { ticket, access: access! };
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
  const action = input.status === 'resolved' ? 'resolve' : 'change_status';
  const { ticket, access } = await changeTicket(trx, actor, { code: rawCode }, { action }, async ({ ticket: t }) => {
    const plan = planStatusChange({ status: t.status, resolvedAt: t.resolvedAt }, { to: input.status, outcome: input.outcome ?? null }, now);
    if (!plan.ok) throw statusChangeRejected(plan.code, { from: t.status, to: input.status, allowed: plan.allowed, days: plan.days });
    const update: repo.TicketUpdate = { status: plan.to };
    const changes: HistoryChanges = { status: { from: plan.from, to: plan.to } };
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
    return {
      history: { action: plan.isReopen ? 'reopened' : 'status_changed', changes }, update,
      events: [{ topic: `ticket.${plan.to}`, payload: { ticketId: t.id, code: t.code, actorId: actor.userId, from: plan.from, to: plan.to } }],
      result: null,
    };
  }, { now, expectedVersion });
  return { ticket, access: access! };
}

/** Adds a public reply or an internal note; a first reply to a new ticket opens it. */
export async function addMessage(
  trx: Trx,
  actor: Actor,
  rawCode: string,
  input: { kind: 'reply' | 'note'; body: string; attachmentIds?: string[] },
  now: Date,
): Promise<{ ticket: repo.Ticket; message: repo.Message }> {
  const action = input.kind === 'reply' ? 'write_reply' : 'write_note';
  const { ticket, access, result: messageId } = await changeTicket(trx, actor, { code: rawCode }, { action }, async ({ ticket: t, access }) => {
    const organisationId = access!.organisationId;
    if (t.status === 'closed') throw errors.ticketClosedForMessages();
    // A note belongs to the author's organisation: other organisations on the ticket never see it.
    const messageId = await repo.insertMessage(trx, { ticketId: t.id, kind: input.kind, body: input.body, authorId: actor.userId, organisationId, now });
    const ids = input.attachmentIds ?? [];
    if (ids.length > 0 && (await repo.linkAttachments(trx, t.id, messageId, ids)) !== ids.length) throw errors.attachmentsNotUsable();
    const changes: HistoryChanges = { message: { from: null, to: input.kind } };
    const update: repo.TicketUpdate = {};
    if (input.kind === 'reply' && t.status === 'new' && access!.relation === 'owner') {
      update.status = 'open';
      changes.status = { from: 'new', to: 'open' };
    }
    return {
      history: { action: input.kind === 'reply' ? 'reply_added' : 'note_added', changes }, update,
      events: [{ topic: `ticket.${input.kind}_added`, payload: { ticketId: t.id, code: t.code, messageId, kind: input.kind, authorId: actor.userId, organisationId } }],
      result: messageId,
    };
  }, { now });
  const message = (await repo.listMessages(trx, ticket.id, access!.organisationId)).find((m) => m.id === messageId);
  return { ticket, message: message! };
}

/**
 * Adds the citizen's own message (from the tracking page, an e-mail or a PEC). A ticket waiting for
 * the citizen goes back to open; a resolved one reopens (inside the reopen window; after it, or on a
 * closed ticket, the caller opens a new ticket instead). The owner and the collaborating offices are
 * told through the `ticket.citizen_added` event.
 */
export async function addCitizenMessage(
  trx: Trx,
  ticketId: string,
  input: { body: string; channel: 'web' | 'email' | 'pec'; emailMessageId?: string | null; attachmentIds?: readonly string[] },
  now: Date,
): Promise<{ ticket: repo.Ticket; messageId: string }> {
  const { ticket, result: messageId } = await changeTicket(trx, null, { id: ticketId }, { system: true }, async ({ ticket: t }) => {
    if (t.status === 'closed') throw errors.ticketClosedForMessages();
    const update: repo.TicketUpdate = {};
    const changes: HistoryChanges = { message: { from: null, to: 'citizen' } };
    const events: TicketEvent[] = [];
    const reopen = t.status === 'resolved' || t.status === 'pending_citizen';
    if (reopen) {
      const plan = planStatusChange({ status: t.status, resolvedAt: t.resolvedAt }, { to: 'open', outcome: null }, now);
      if (!plan.ok) throw statusChangeRejected(plan.code, { from: t.status, to: 'open', allowed: plan.allowed, days: plan.days });
      update.status = 'open';
      changes.status = { from: t.status, to: 'open' };
      if (plan.isReopen) {
        update.outcome = null;
        const { esito: _dropped, ...rest } = t.classification;
        update.classification = rest;
        changes.outcome = { from: t.outcome, to: null };
      }
      if (plan.setResolvedAt !== undefined) update.resolvedAt = plan.setResolvedAt;
      events.push({ topic: 'ticket.open', payload: { ticketId: t.id, code: t.code, from: t.status, to: 'open', automatic: true } });
    }
    const messageId = await repo.insertMessage(trx, { ticketId: t.id, kind: 'citizen', body: input.body, authorId: null, organisationId: null, now, channel: input.channel, emailMessageId: input.emailMessageId ?? null });
    const ids = [...(input.attachmentIds ?? [])];
    if (ids.length > 0 && (await repo.linkAttachments(trx, t.id, messageId, ids)) !== ids.length) throw errors.attachmentsNotUsable();
    events.push({ topic: 'ticket.citizen_added', payload: { ticketId: t.id, code: t.code, messageId, kind: 'citizen', authorId: null, organisationId: null } });
    return { history: { action: 'citizen_message_added', changes }, update, events, result: messageId };
  }, { now });
  return { ticket, messageId };
}

/**
 * Fills facets the ticket has no code for yet with the suggester's codes (a request the citizen filed
 * without choosing them). Codes the ticket has are never overwritten; a code the ticket's taxonomy
 * refuses is left out. Returns the facets filled.
 */
export async function fillClassification(trx: Trx, ticketId: string, codes: Record<string, string>, now: Date): Promise<string[]> {
  const { result } = await changeTicket(trx, null, { id: ticketId }, { system: true }, async ({ ticket: t }) => {
    const tax = await taxonomyVersion(trx, t.taxonomyVersion);
    const added = Object.fromEntries(Object.entries(codes).filter(([facet, code]) => !t.classification[facet] && tax.nodes.has(`${facet}:${code}`)));
    if (Object.keys(added).length === 0) return { history: null, events: [], result: [] };
    const classification = { ...t.classification, ...added };
    if (checkClassification(tax, classification, false).length > 0) return { history: null, events: [], result: [] };
    return {
      history: { action: 'classified_by_suggester', changes: Object.fromEntries(Object.entries(added).map(([facet, code]) => [facet, { from: null, to: code }])) },
      update: { classification, topicPath: topicPath(tax, classification) },
      events: [{ topic: 'ticket.classified', payload: { ticketId: t.id, code: t.code, facets: Object.keys(added), classification } }],
      result: Object.keys(added),
    };
  }, { now });
  return result;
}

/** The citizen rated the answer (the score enters the ticket's history; the comment stays with the rating). */
export async function recordCitizenRating(trx: Trx, ticketId: string, rating: { score: number; comment: string | null }, now: Date): Promise<void> {
  await changeTicket(trx, null, { id: ticketId }, { system: true }, async ({ ticket: t }) => ({
    history: { action: 'rated_by_citizen', changes: { rating: { from: null, to: rating.score } } },
    events: [{ topic: 'ticket.rated', payload: { ticketId: t.id, code: t.code, score: rating.score, withComment: rating.comment !== null } }],
    result: null,
  }), { now });
}

/**
 * The network code a classification code stands for: itself when the network taxonomy has it, the
 * network parent of an organisation's local sub-node (`<network-code>.<org>.<local>`), else null.
 */
function networkCode(tax: { nodes: ReadonlyMap<string, unknown> }, facet: string, code: string): string | null {
  if (tax.nodes.has(`${facet}:${code}`)) return code;
  const parent = code.split('.').slice(0, -2).join('.');
  return parent && tax.nodes.has(`${facet}:${parent}`) ? parent : null;
}

/**
 * Marks a ticket as a duplicate of another (of any office of the network) and resolves it with the
 * outcome «duplicato», under the same rules as any resolve (required facets, no open tasks: the
 * tickets module's status change does the resolving). Facets the ticket lacks are taken from the
 * target as network codes only: another body's local sub-node becomes its network parent.
 */
export async function markDuplicate(trx: Trx, actor: Actor, code: string, targetCode: string, now: Date) {
  const { ticket, result: duplicateOf } = await changeTicket(trx, actor, { code }, { action: 'resolve' }, async ({ ticket }) => {
    const target = await repo.findDuplicateLink(trx, targetCode.toUpperCase());
    if (!target) throw errors.duplicateTargetNotFound({ ticketCode: targetCode });
    if (target.id === ticket.id) throw errors.duplicateOfItself();
    if (target.duplicateOfId === ticket.id) throw errors.duplicateCycle({ ticketCode: target.code });
    if (ticket.status === 'resolved' || ticket.status === 'closed') throw errors.alreadyResolved();
    const tax = await currentTaxonomy(trx);
    const classification: Record<string, string> = { ...ticket.classification };
    for (const [facet, value] of Object.entries(target.classification)) {
      if (facet === 'esito' || facet === 'canale' || classification[facet] !== undefined) continue;
      const copied = networkCode(tax, facet, value);
      if (copied) classification[facet] = copied;
    }
    if (!classification.canale && tax.nodes.has(`canale:${ticket.channel}`)) classification.canale = ticket.channel;
    return {
      history: { action: 'marked_duplicate', changes: { duplicateOf: { from: null, to: target.code } } },
      update: { duplicateOfId: target.id, classification, topicPath: topicPath(tax, classification) },
      events: [{ topic: 'ticket.duplicate', payload: { ticketId: ticket.id, code: ticket.code, duplicateOf: target.code } }],
      result: target.code,
    };
  }, { now });
  // Resolving follows the same rules as any resolve (required facets, no open tasks).
  await changeStatus(trx, actor, ticket.code, null, { status: 'resolved', outcome: 'duplicato' }, now);
  return { code: ticket.code, duplicateOf };
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
