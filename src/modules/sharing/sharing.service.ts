import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { preconditionFailed } from '../../platform/errors.js';
import { recordEvent } from '../../platform/events.js';
import type { Trx } from '../../platform/http.js';
import { type Language, message } from '../../platform/messages.js';
import { markRequestNotificationsHandled } from '../../platform/notifications.js';
import { canManageOffice, canManageOrganisation, scopeIncludes, ticketScope } from '../../platform/policy.js';
import * as identity from '../identity/index.js';
import { currentTaxonomy, nodeLabel } from '../taxonomy/index.js';
import { appendHistory, ticketErrors, findTicketById, isTicketWorker, lockTicket, openTicket, openTicketForUpdate, participants, resolutionDueAt, type Ticket, updateTicketRow } from '../tickets/index.js';
import { sharingErrors as errors } from './sharing.errors.js';
import * as repo from './sharing.repository.js';
import { findPlace, normalise, territoryMatch } from './territory.js';

type Db = Database | Trx;

async function requireActiveOffice(db: Db, officeId: string): Promise<identity.Office> {
  const office = await identity.findOffice(db, officeId);
  if (!office?.active) throw errors.unknownOffice();
  return office;
}

/** Bumps the ticket's version and activity time after a change made through the sharing workflow. */
async function touchTicket(trx: Trx, ticket: Ticket, now: Date): Promise<void> {
  if (!(await updateTicketRow(trx, ticket.id, ticket.version, {}, now))) throw preconditionFailed();
}

const writes = (actor: Actor, office: { id: string; organisationId: string }) =>
  scopeIncludes(ticketScope(actor, 'tickets:write'), { officeId: office.id, organisationId: office.organisationId });

// ------------------------------------------------------------------------------------------ shares

export interface ShareInput {
  officeId: string;
  mode: 'consult' | 'collaborate';
  reason: string;
  shareRequester?: boolean;
}

/**
 * Shares a ticket with another office for consultation or collaboration without giving it away.
 * Within the same body, or under a network agreement with auto-accept, the share is active at once;
 * otherwise the receiving office accepts or declines it.
 */
export async function shareTicket(trx: Trx, actor: Actor, code: string, input: ShareInput, now: Date) {
  const { ticket } = await openTicketForUpdate(trx, actor, code, 'reshare', null);
  const office = await requireActiveOffice(trx, input.officeId);
  if (office.id === ticket.officeId) throw errors.sameOffice();
  const agreement = office.organisationId === ticket.organisationId ? null : await repo.findCoveringAgreement(trx, ticket.organisationId, office.organisationId, 'share', ticket.classification.tema ?? null);
  const autoAccept = office.organisationId === ticket.organisationId || (agreement?.autoAccept ?? false);
  const shareRequester = input.mode === 'collaborate' && (input.shareRequester ?? false);
  const id = await participants.insertParticipant(trx, {
    ticketId: ticket.id, officeId: office.id, organisationId: office.organisationId, mode: input.mode, status: autoAccept ? 'active' : 'pending',
    shareRequester, reason: input.reason, requestedBy: actor.userId, now,
  });
  if (!id) throw errors.alreadyParticipant();
  await touchTicket(trx, ticket, now);
  await appendHistory(trx, {
    ticketId: ticket.id, actorId: actor.userId, action: 'shared', at: now,
    changes: { participant: { from: null, to: office.name }, mode: { from: null, to: input.mode }, requesterShared: { from: null, to: shareRequester }, status: { from: null, to: autoAccept ? 'active' : 'pending' }, reason: { from: null, to: input.reason } },
  });
  await recordEvent(trx, 'ticket.shared', { aggregateId: ticket.id, organisationId: ticket.organisationId, payload: {
    ticketId: ticket.id, code: ticket.code, shareId: id, officeId: office.id, ownerOfficeId: ticket.officeId, mode: input.mode, status: autoAccept ? 'active' : 'pending', reason: input.reason, actorId: actor.userId,
  } });
  return (await participants.findParticipant(trx, id))!;
}

/** Accepts or declines a pending share: one of several concurrent answers wins, the others get 409. */
export async function respondToShare(trx: Trx, actor: Actor, shareId: string, decision: 'accept' | 'decline', reason: string | undefined, now: Date) {
  const p = await participants.findParticipant(trx, shareId);
  if (!p) throw errors.shareNotFound();
  if (!writes(actor, { id: p.officeId, organisationId: p.organisationId })) {
    await openTicket(trx, actor, (await ticketCodeOf(trx, p.ticketId)) ?? '').catch(() => {
      throw errors.shareNotFound();
    });
    throw errors.notReceivingOffice();
  }
  if (decision === 'decline' && !reason?.trim()) throw errors.declineReasonRequired();
  const moved = await participants.transitionParticipant(trx, p.id, ['pending'], decision === 'accept' ? 'active' : 'declined', actor.userId, now, decision === 'decline' ? reason!.trim() : null);
  if (!moved) throw errors.shareNotPending({ status: (await participants.findParticipant(trx, p.id))?.status ?? p.status });
  const ticket = await lockedTicket(trx, p.ticketId);
  await touchTicket(trx, ticket, now);
  await appendHistory(trx, {
    ticketId: p.ticketId, actorId: actor.userId, action: decision === 'accept' ? 'share_accepted' : 'share_declined', at: now,
    changes: { participant: { from: p.officeName, to: p.officeName }, status: { from: 'pending', to: decision === 'accept' ? 'active' : 'declined' }, ...(reason && { reason: { from: null, to: reason } }) },
  });
  await markRequestNotificationsHandled(trx, ticket.id, { shareId: p.id }, now);
  const shareEvent = { ticketId: ticket.id, code: ticket.code, shareId: p.id, officeId: p.officeId, ownerOfficeId: ticket.officeId, actorId: actor.userId };
  if (decision === 'accept') await recordEvent(trx, 'ticket.share_accepted', { aggregateId: ticket.id, organisationId: ticket.organisationId, payload: shareEvent });
  else await recordEvent(trx, 'ticket.share_declined', { aggregateId: ticket.id, organisationId: ticket.organisationId, payload: { ...shareEvent, reason: reason!.trim() } });
  return (await participants.findParticipant(trx, p.id))!;
}

/** The owner ends a share (pending or active); the office loses access at once. */
export async function revokeShare(trx: Trx, actor: Actor, shareId: string, now: Date) {
  const p = await participants.findParticipant(trx, shareId);
  if (!p) throw errors.shareNotFound();
  const code = (await ticketCodeOf(trx, p.ticketId)) ?? '';
  const { ticket } = await openTicketForUpdate(trx, actor, code, 'reshare', null).catch((err) => {
    if (ticketErrors.ticketNotFound.is(err)) throw errors.shareNotFound();
    throw err;
  });
  if (!(await participants.transitionParticipant(trx, p.id, ['pending', 'active'], 'revoked', actor.userId, now))) throw errors.shareNotActive({ status: p.status });
  await touchTicket(trx, ticket, now);
  await appendHistory(trx, { ticketId: ticket.id, actorId: actor.userId, action: 'share_revoked', at: now, changes: { participant: { from: p.officeName, to: null }, status: { from: p.status, to: 'revoked' } } });
  await markRequestNotificationsHandled(trx, ticket.id, { shareId: p.id }, now);
  await recordEvent(trx, 'ticket.share_revoked', {
    aggregateId: ticket.id, organisationId: ticket.organisationId,
    payload: { ticketId: ticket.id, code: ticket.code, shareId: p.id, officeId: p.officeId, ownerOfficeId: ticket.officeId, previousStatus: p.status, actorId: actor.userId },
  });
  return (await participants.findParticipant(trx, p.id))!;
}

async function ticketCodeOf(db: Db, ticketId: string): Promise<string | null> {
  const row = await db.selectFrom('tickets').select('code').where('id', '=', ticketId).executeTakeFirst();
  return row?.code ?? null;
}

async function lockedTicket(trx: Trx, ticketId: string): Promise<Ticket> {
  await lockTicket(trx, ticketId);
  const t = await findTicketById(trx, ticketId);
  if (!t) throw errors.shareNotFound();
  return t;
}

/** Pending requests addressed to the caller's offices, with just enough of the ticket to decide. */
export async function incomingRequests(db: Db, actor: Actor) {
  const scope = ticketScope(actor, 'tickets:read');
  const officeIds = new Set(scope.officeIds);
  if (scope.organisationIds.length > 0) {
    for (const o of await identity.listOffices(db)) if (scope.organisationIds.includes(o.organisationId)) officeIds.add(o.id);
  }
  const ids = [...officeIds];
  const [shares, transfers] = await Promise.all([participants.listIncomingShares(db, ids, 'pending'), repo.listIncomingTransfers(db, ids)]);
  const ticketIds = [...new Set([...shares.map((s) => s.ticketId), ...transfers.map((t) => t.ticketId)])];
  const tickets = ticketIds.length === 0 ? [] : await db
    .selectFrom('tickets as t').innerJoin('offices as f', 'f.id', 't.office_id')
    .select(['t.id', 't.code', 't.subject', 't.classification', 't.status', 'f.name as office_name']).where('t.id', 'in', ticketIds).execute();
  const byId = new Map(tickets.map((t) => [t.id, { code: t.code, subject: t.subject, topic: t.classification.tema ?? null, status: t.status, ownerOffice: t.office_name }]));
  return { shares: shares.map((s) => ({ share: s, ticket: byId.get(s.ticketId)! })), transfers: transfers.map((t) => ({ transfer: t, ticket: byId.get(t.ticketId)! })) };
}

// --------------------------------------------------------------------------- transfers/escalations

export const TRANSFER_REASONS = ['not_competent', 'needs_authority', 'complaint_other_body', 'overflow', 'other'] as const;

export interface TransferInput {
  officeId: string;
  kind: 'transfer' | 'escalation';
  reasonCode: (typeof TRANSFER_REASONS)[number];
  reason: string;
}

/**
 * Hands a ticket to another office (of any body). The citizen keeps the code; the new office owns
 * the ticket once it accepts (at once under an auto-accept agreement); the previous office keeps a
 * consultation share to follow it.
 */
export async function requestTransfer(trx: Trx, actor: Actor, code: string, input: TransferInput, now: Date) {
  const { ticket } = await openTicketForUpdate(trx, actor, code, 'transfer', null);
  if (ticket.status === 'resolved' || ticket.status === 'closed') throw errors.ticketNotTransferable({ status: ticket.status });
  const office = await requireActiveOffice(trx, input.officeId);
  if (office.id === ticket.officeId) throw errors.sameOffice();
  const history = await repo.listTransfersOfTicket(trx, ticket.id);
  if (input.kind === 'escalation') {
    const loop = history.find((t) => t.status === 'accepted' && t.fromOfficeId === office.id);
    if (loop) throw errors.circularEscalation({ officeName: loop.fromOfficeName });
  }
  const id = await repo.insertTransfer(trx, { ticketId: ticket.id, kind: input.kind, fromOfficeId: ticket.officeId, toOfficeId: office.id, reasonCode: input.reasonCode, reason: input.reason, requestedBy: actor.userId, now });
  if (!id) throw errors.transferAlreadyPending();
  await touchTicket(trx, ticket, now);
  await appendHistory(trx, {
    ticketId: ticket.id, actorId: actor.userId, action: input.kind === 'escalation' ? 'escalation_requested' : 'transfer_requested', at: now,
    changes: { office: { from: ticket.officeName, to: office.name }, reasonCode: { from: null, to: input.reasonCode }, reason: { from: null, to: input.reason } },
  });
  const agreement = office.organisationId === ticket.organisationId ? null : await repo.findCoveringAgreement(trx, ticket.organisationId, office.organisationId, input.kind, ticket.classification.tema ?? null);
  const autoAccept = office.organisationId === ticket.organisationId || (agreement?.autoAccept ?? false);
  await recordEvent(trx, 'ticket.transfer_requested', {
    aggregateId: ticket.id, organisationId: ticket.organisationId,
    payload: {
      ticketId: ticket.id, code: ticket.code, transferId: id, kind: input.kind, fromOfficeId: ticket.officeId, toOfficeId: office.id, reasonCode: input.reasonCode, reason: input.reason,
      autoAccept, actorId: actor.userId,
    },
  });
  if (autoAccept) await applyTransfer(trx, actor.userId, id, now);
  return (await repo.findTransfer(trx, id))!;
}

async function applyTransfer(trx: Trx, actorId: string, transferId: string, now: Date): Promise<void> {
  const transfer = (await repo.findTransfer(trx, transferId))!;
  if (!(await repo.transitionTransfer(trx, transferId, 'accepted', actorId, now))) throw errors.transferNotPending({ status: transfer.status });
  const ticket = await lockedTicket(trx, transfer.ticketId);
  const office = (await identity.findOffice(trx, transfer.toOfficeId))!;
  await repo.moveTicketOwnership(trx, ticket.id, { officeId: office.id, organisationId: office.organisationId, dueAt: resolutionDueAt(office.calendar, ticket.priority as 'normal', now) }, now);
  // The new owner no longer needs a share; the previous owner follows the ticket by consultation.
  for (const p of await participants.listParticipants(trx, ticket.id)) {
    if (p.officeId === office.id && (p.status === 'active' || p.status === 'pending')) await participants.transitionParticipant(trx, p.id, [p.status], 'revoked', actorId, now);
  }
  await participants.insertParticipant(trx, {
    ticketId: ticket.id, officeId: ticket.officeId, organisationId: ticket.organisationId, mode: 'consult', status: 'active', shareRequester: false,
    reason: `Ufficio titolare precedente (trasferito a ${office.name})`, requestedBy: actorId, now,
  });
  await appendHistory(trx, {
    ticketId: ticket.id, actorId, action: transfer.kind === 'escalation' ? 'escalated' : 'transferred', at: now,
    changes: { office: { from: ticket.officeName, to: office.name }, organisation: { from: ticket.organisationName, to: office.organisationId === ticket.organisationId ? ticket.organisationName : office.name }, assignee: { from: ticket.assignee?.id ?? null, to: null } },
  });
  await markRequestNotificationsHandled(trx, ticket.id, { transferId }, now);
  await recordEvent(trx, 'ticket.transferred', { aggregateId: ticket.id, organisationId: office.organisationId, payload: { ticketId: ticket.id, code: ticket.code, transferId, kind: transfer.kind, from: ticket.officeId, to: office.id, actorId } });
}

export async function respondToTransfer(trx: Trx, actor: Actor, transferId: string, decision: 'accept' | 'decline', reason: string | undefined, now: Date) {
  const transfer = await repo.findTransfer(trx, transferId);
  if (!transfer) throw errors.transferNotFound();
  const target = await identity.findOffice(trx, transfer.toOfficeId);
  if (!target || !writes(actor, target)) {
    const code = (await ticketCodeOf(trx, transfer.ticketId)) ?? '';
    await openTicket(trx, actor, code).catch(() => {
      throw errors.transferNotFound();
    });
    throw errors.notReceivingOffice();
  }
  if (decision === 'decline' && !reason?.trim()) throw errors.declineReasonRequired();
  if (decision === 'accept') {
    await applyTransfer(trx, actor.userId, transfer.id, now);
  } else {
    if (!(await repo.transitionTransfer(trx, transfer.id, 'declined', actor.userId, now, reason!.trim()))) throw errors.transferNotPending({ status: (await repo.findTransfer(trx, transfer.id))!.status });
    const ticket = await lockedTicket(trx, transfer.ticketId);
    await touchTicket(trx, ticket, now);
    await appendHistory(trx, { ticketId: ticket.id, actorId: actor.userId, action: 'transfer_declined', at: now, changes: { office: { from: transfer.toOfficeName, to: null }, reason: { from: null, to: reason } } });
    await markRequestNotificationsHandled(trx, ticket.id, { transferId: transfer.id }, now);
    await recordEvent(trx, 'ticket.transfer_declined', {
      aggregateId: ticket.id, organisationId: ticket.organisationId,
      payload: { ticketId: ticket.id, code: ticket.code, transferId: transfer.id, fromOfficeId: transfer.fromOfficeId, toOfficeId: transfer.toOfficeId, reason: reason!.trim(), actorId: actor.userId },
    });
  }
  return (await repo.findTransfer(trx, transfer.id))!;
}

export async function cancelTransfer(trx: Trx, actor: Actor, transferId: string, now: Date) {
  const transfer = await repo.findTransfer(trx, transferId);
  if (!transfer) throw errors.transferNotFound();
  const code = (await ticketCodeOf(trx, transfer.ticketId)) ?? '';
  const { ticket } = await openTicketForUpdate(trx, actor, code, 'transfer', null).catch((err) => {
    if (ticketErrors.ticketNotFound.is(err)) throw errors.transferNotFound();
    throw err;
  });
  if (!(await repo.transitionTransfer(trx, transfer.id, 'cancelled', actor.userId, now))) throw errors.transferNotPending({ status: transfer.status });
  await touchTicket(trx, ticket, now);
  await appendHistory(trx, { ticketId: ticket.id, actorId: actor.userId, action: 'transfer_cancelled', at: now, changes: { office: { from: transfer.toOfficeName, to: null } } });
  await markRequestNotificationsHandled(trx, ticket.id, { transferId: transfer.id }, now);
  await recordEvent(trx, 'ticket.transfer_cancelled', {
    aggregateId: ticket.id, organisationId: ticket.organisationId,
    payload: { ticketId: ticket.id, code: ticket.code, transferId: transfer.id, fromOfficeId: transfer.fromOfficeId, toOfficeId: transfer.toOfficeId, actorId: actor.userId },
  });
  return (await repo.findTransfer(trx, transfer.id))!;
}

// ------------------------------------------------------------------------------------------- tasks

export async function createTask(
  trx: Trx,
  actor: Actor,
  code: string,
  input: { officeId: string; title: string; description?: string; assigneeId?: string | null; dueAt?: string | null },
  now: Date,
) {
  const { ticket, access } = await openTicketForUpdate(trx, actor, code, 'manage_tasks', null);
  const list = await participants.listParticipants(trx, ticket.id);
  const collaborating = list.some((p) => p.officeId === input.officeId && p.status === 'active' && p.mode === 'collaborate');
  if (input.officeId !== ticket.officeId && !collaborating) throw errors.taskOfficeNotParticipant();
  if (access.relation !== 'owner' && input.officeId !== access.officeId) throw errors.taskNotYours();
  const office = (await identity.findOffice(trx, input.officeId))!;
  if (input.assigneeId && !(await isWorker(trx, input.assigneeId, office))) throw errors.taskAssigneeInvalid();
  const dueAt = input.dueAt ? new Date(input.dueAt) : resolutionDueAt(office.calendar, 'normal', now);
  const id = await participants.insertTask(trx, { ticketId: ticket.id, officeId: office.id, title: input.title, description: input.description ?? null, assigneeId: input.assigneeId ?? null, dueAt, createdBy: actor.userId, now });
  await touchTicket(trx, ticket, now);
  await appendHistory(trx, { ticketId: ticket.id, actorId: actor.userId, action: 'task_created', at: now, changes: { task: { from: null, to: input.title }, office: { from: null, to: office.name } } });
  await recordEvent(trx, 'ticket.task_created', {
    aggregateId: ticket.id, organisationId: ticket.organisationId,
    payload: { ticketId: ticket.id, code: ticket.code, taskId: id, officeId: office.id, title: input.title, assigneeId: input.assigneeId ?? null, actorId: actor.userId, actorOfficeId: access.officeId },
  });
  return (await participants.findTask(trx, id))!;
}

const isWorker = (db: Db, userId: string, office: { id: string; organisationId: string }) => isTicketWorker(db, userId, office);

export async function updateTask(trx: Trx, actor: Actor, taskId: string, expectedVersion: number | null, input: { status?: 'open' | 'done' | 'cancelled'; assigneeId?: string | null }, now: Date) {
  const task = await participants.findTask(trx, taskId);
  if (!task) throw errors.taskNotFound();
  const code = (await ticketCodeOf(trx, task.ticketId)) ?? '';
  const { ticket, access } = await openTicketForUpdate(trx, actor, code, 'manage_tasks', null).catch((err) => {
    if (ticketErrors.ticketNotFound.is(err)) throw errors.taskNotFound();
    throw err;
  });
  if (access.relation !== 'owner' && task.officeId !== access.officeId) throw errors.taskNotYours();
  if (expectedVersion !== null && expectedVersion !== task.version) throw preconditionFailed();
  if (input.assigneeId) {
    const office = (await identity.findOffice(trx, task.officeId))!;
    if (!(await isWorker(trx, input.assigneeId, office))) throw errors.taskAssigneeInvalid();
  }
  if (!(await participants.updateTask(trx, task.id, task.version, { ...input, now }))) throw preconditionFailed();
  await touchTicket(trx, ticket, now);
  const changes: Record<string, { from: unknown; to: unknown }> = { task: { from: task.title, to: task.title } };
  if (input.status) changes.taskStatus = { from: task.status, to: input.status };
  if (input.assigneeId !== undefined) changes.taskAssignee = { from: task.assignee?.id ?? null, to: input.assigneeId };
  await appendHistory(trx, { ticketId: ticket.id, actorId: actor.userId, action: 'task_updated', at: now, changes });
  await recordEvent(trx, 'ticket.task_updated', {
    aggregateId: ticket.id, organisationId: ticket.organisationId,
    payload: {
      ticketId: ticket.id, code: ticket.code, taskId: task.id, officeId: task.officeId, ownerOfficeId: ticket.officeId, title: task.title, status: input.status ?? task.status,
      previousStatus: task.status, assigneeId: input.assigneeId !== undefined ? input.assigneeId : (task.assignee?.id ?? null),
      fields: [...(input.status ? ['status' as const] : []), ...(input.assigneeId !== undefined ? ['assignee' as const] : [])], actorId: actor.userId,
    },
  });
  return (await participants.findTask(trx, task.id))!;
}

// ---------------------------------------------------------------------------------------- directory

export interface DirectoryHit {
  office: identity.Office;
  organisationName: string;
  organisationType: string;
  topics: string[];
  score: number;
  reasons: string[];
}

/**
 * "Who is competent for X in place Y?": offices ranked by their declared competences (taxonomy
 * codes, matched on the code or an ancestor) and territory (ISTAT codes). Topic and place can be
 * given as codes or found in a free-text question.
 */
export async function searchDirectory(db: Db, input: { q?: string; topic?: string; territory?: string; limit: number; lang?: Language }) {
  const tax = await currentTaxonomy(db);
  const lang = input.lang ?? 'it';
  const topicLabel = (code: string) => nodeLabel(tax, 'tema', code, lang);
  const organisations = await identity.listOrganisations(db);
  const comuni = new Map(organisations.filter((o) => o.type === 'comune' && o.istatCode).map((o) => [o.name.replace(/^Comune di /, ''), o.istatCode!]));
  let place = input.territory ? { code: input.territory, name: input.territory } : null;
  if (!place && input.q) place = findPlace(input.q, comuni);
  const topics: { code: string; weight: number }[] = [];
  if (input.topic) topics.push({ code: input.topic, weight: 1 });
  else if (input.q) {
    const words = normalise(input.q).split(' ').filter((w) => w.length >= 4).map((w) => w.slice(0, 5));
    for (const node of tax.nodes.values()) {
      if (node.facet !== 'tema') continue;
      const label = normalise(node.label.it).split(' ').map((w) => w.slice(0, 5));
      const hits = words.filter((w) => label.includes(w)).length;
      if (hits > 0) topics.push({ code: node.code, weight: hits + node.depth * 0.5 });
    }
    topics.sort((a, b) => b.weight - a.weight);
    topics.splice(5);
  }
  const competences = await repo.listCompetences(db);
  const offices = new Map((await identity.listOffices(db)).filter((o) => o.active).map((o) => [o.id, o]));
  const orgById = new Map(organisations.map((o) => [o.id, o]));
  const hits = new Map<string, DirectoryHit>();
  for (const c of competences) {
    const office = offices.get(c.officeId);
    if (!office) continue;
    let topicScore = topics.length === 0 ? 1 : 0;
    for (const t of topics) {
      const exact = t.code === c.topic ? 3 : t.code.startsWith(`${c.topic}.`) ? 2 : c.topic.startsWith(`${t.code}.`) ? 1 : 0;
      topicScore = Math.max(topicScore, exact * t.weight);
    }
    const where = territoryMatch(c.territory, place?.code ?? null);
    if (topicScore === 0 || where === 0) continue;
    const score = topicScore * 10 + where * 3 + (office.kind === 'back_office' ? 1 : 0);
    const org = orgById.get(office.organisationId);
    const existing = hits.get(office.id);
    if (!existing || existing.score < score) {
      hits.set(office.id, {
        office, organisationName: org?.name ?? '', organisationType: org?.type ?? '', topics: [...(existing?.topics ?? []), c.topic], score,
        reasons: [
          message(lang, 'directory.reason.competence', { topic: topicLabel(c.topic) }),
          place
            ? where === 3 ? message(lang, 'directory.reason.territory', { place: place.name }) : where === 2 ? message(lang, 'directory.reason.territory_within', { place: place.name }) : message(lang, 'directory.reason.national')
            : message(lang, 'directory.reason.no_territory'),
        ],
      });
    } else existing.topics.push(c.topic);
  }
  const ranked = [...hits.values()].sort((a, b) => b.score - a.score || a.office.name.localeCompare(b.office.name)).slice(0, input.limit);
  return { place, topics: topics.map((t) => ({ code: t.code, label: topicLabel(t.code) })), results: ranked };
}

export async function setCompetences(trx: Trx, actor: Actor, officeId: string, competences: { topic: string; territory: string[] }[]) {
  const office = await identity.findOffice(trx, officeId);
  if (!office) throw errors.unknownOffice();
  if (!canManageOffice(actor, office)) throw errors.competenceForbidden();
  const tax = await currentTaxonomy(trx);
  const unknown = competences.filter((c) => !tax.nodes.has(`tema:${c.topic}`)).map((c) => c.topic);
  if (unknown.length > 0) {
    throw errors.competenceUnknownTopics({ topics: unknown });
  }
  await repo.replaceCompetences(trx, officeId, competences);
  return repo.listCompetences(trx, officeId);
}

// ------------------------------------------------------------------------------------- agreements

export async function proposeAgreement(trx: Trx, actor: Actor, input: { fromOrganisationId: string; toOrganisationId: string; kinds: string[]; topics: string[]; autoAccept: boolean; note?: string }, now: Date) {
  if (!canManageOrganisation(actor, input.fromOrganisationId)) throw errors.agreementForbidden();
  if (input.fromOrganisationId === input.toOrganisationId) throw errors.agreementSameOrganisation();
  if (!(await identity.findOrganisation(trx, input.toOrganisationId))) throw errors.agreementNotFound();
  const id = await repo.insertAgreement(trx, { from: input.fromOrganisationId, to: input.toOrganisationId, kinds: input.kinds, topics: input.topics, autoAccept: input.autoAccept, note: input.note ?? null, by: actor.userId, now });
  return (await repo.findAgreement(trx, id))!;
}

/** The receiving body approves or rejects; either side may revoke an active agreement. */
export async function decideAgreement(trx: Trx, actor: Actor, id: string, decision: 'approve' | 'reject' | 'revoke', now: Date) {
  const a = await repo.findAgreement(trx, id);
  if (!a) throw errors.agreementNotFound();
  const isFrom = canManageOrganisation(actor, a.fromOrganisationId);
  const isTo = canManageOrganisation(actor, a.toOrganisationId);
  if (!isFrom && !isTo) throw errors.agreementNotFound();
  if (decision !== 'revoke' && !isTo) throw errors.agreementForbidden();
  const ok =
    decision === 'revoke'
      ? await repo.transitionAgreement(trx, id, ['proposed', 'active'], 'revoked', actor.userId, now)
      : await repo.transitionAgreement(trx, id, ['proposed'], decision === 'approve' ? 'active' : 'rejected', actor.userId, now);
  if (!ok) throw errors.agreementNotProposed({ status: a.status });
  return (await repo.findAgreement(trx, id))!;
}
