import type { Database } from '../../db/database.js';
import type { HistoryChanges } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { preconditionFailed } from '../../platform/errors.js';
import type { Trx } from '../../platform/http.js';
import { type Language, message } from '../../platform/messages.js';
import { markRequestNotificationsHandled } from '../../platform/notifications.js';
import { canManageOffice, canManageOrganisation, scopeIncludes, ticketScope } from '../../platform/policy.js';
import * as identity from '../identity/index.js';
import { currentTaxonomy, nodeLabel } from '../taxonomy/index.js';
import { canSeeTicket, changeTicket, findShare, findTask, findTransfer, incomingShares, listIncomingTransfers, listTransfersOfTicket, type Participant, resolutionDueAt, type Task, ticketBriefs } from '../tickets/index.js';
import { sharingErrors as errors } from './sharing.errors.js';
import * as repo from './sharing.repository.js';
import { normaliseText as normalise } from '../../platform/text/text-analysis.js';
import { loadTerritory } from '../territory/index.js';
import { type IndexedCompetence, type PlaceMatch, topicAndAncestors } from './competence-index.js';
import { competenceIndex } from './competences.service.js';

type Db = Database | Trx;

async function requireActiveOffice(db: Db, officeId: string): Promise<identity.Office> {
  const office = await identity.findOffice(db, officeId);
  if (!office?.active) throw errors.unknownOffice();
  return office;
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
export async function shareTicket(trx: Trx, actor: Actor, code: string, input: ShareInput, now: Date): Promise<Participant> {
  const { result } = await changeTicket(trx, actor, { code }, { action: 'reshare' }, async (ctx) => {
    const { ticket } = ctx;
    const office = await requireActiveOffice(trx, input.officeId);
    if (office.id === ticket.officeId) throw errors.sameOffice();
    const agreement = office.organisationId === ticket.organisationId ? null : await repo.findCoveringAgreement(trx, ticket.organisationId, office.organisationId, 'share', ticket.classification.tema ?? null);
    const autoAccept = office.organisationId === ticket.organisationId || (agreement?.autoAccept ?? false);
    const shareRequester = input.mode === 'collaborate' && (input.shareRequester ?? false);
    const id = await ctx.addParticipant({ officeId: office.id, organisationId: office.organisationId, mode: input.mode, status: autoAccept ? 'active' : 'pending', shareRequester, reason: input.reason });
    if (!id) throw errors.alreadyParticipant();
    return {
      history: {
        action: 'shared',
        changes: { participant: { from: null, to: office.name }, mode: { from: null, to: input.mode }, requesterShared: { from: null, to: shareRequester }, status: { from: null, to: autoAccept ? 'active' : 'pending' }, reason: { from: null, to: input.reason } },
      },
      events: [{
        topic: 'ticket.shared',
        payload: { ticketId: ticket.id, code: ticket.code, shareId: id, officeId: office.id, ownerOfficeId: ticket.officeId, mode: input.mode, status: autoAccept ? 'active' : 'pending', reason: input.reason, actorId: actor.userId },
      }],
      result: (await ctx.findParticipant(id))!,
    };
  }, { now });
  return result;
}

/** Accepts or declines a pending share: one of several concurrent answers wins, the others get 409. */
export async function respondToShare(trx: Trx, actor: Actor, shareId: string, decision: 'accept' | 'decline', reason: string | undefined, now: Date): Promise<Participant> {
  const p = await findShare(trx, shareId);
  if (!p) throw errors.shareNotFound();
  const receiving = { id: p.officeId, organisationId: p.organisationId };
  if (!writes(actor, receiving)) {
    if (!(await canSeeTicket(trx, actor, p.ticketId))) throw errors.shareNotFound();
    throw errors.notReceivingOffice();
  }
  if (decision === 'decline' && !reason?.trim()) throw errors.declineReasonRequired();
  const { result } = await changeTicket(trx, actor, { id: p.ticketId }, { receivingOffice: receiving }, async (ctx) => {
    const { ticket } = ctx;
    const moved = await ctx.transitionParticipant(p.id, ['pending'], decision === 'accept' ? 'active' : 'declined', decision === 'decline' ? reason!.trim() : null);
    if (!moved) throw errors.shareNotPending({ status: (await ctx.findParticipant(p.id))?.status ?? p.status });
    await markRequestNotificationsHandled(trx, ticket.id, { shareId: p.id }, now);
    const shareEvent = { ticketId: ticket.id, code: ticket.code, shareId: p.id, officeId: p.officeId, ownerOfficeId: ticket.officeId, actorId: actor.userId };
    return {
      history: {
        action: decision === 'accept' ? 'share_accepted' : 'share_declined',
        changes: { participant: { from: p.officeName, to: p.officeName }, status: { from: 'pending', to: decision === 'accept' ? 'active' : 'declined' }, ...(reason && { reason: { from: null, to: reason } }) },
      },
      events: [
        decision === 'accept'
          ? { topic: 'ticket.share_accepted', payload: shareEvent }
          : { topic: 'ticket.share_declined', payload: { ...shareEvent, reason: reason!.trim() } },
      ],
      result: (await ctx.findParticipant(p.id))!,
    };
  }, { now, notFound: errors.shareNotFound });
  return result;
}

/** The owner ends a share (pending or active); the office loses access at once. */
export async function revokeShare(trx: Trx, actor: Actor, shareId: string, now: Date): Promise<Participant> {
  const p = await findShare(trx, shareId);
  if (!p) throw errors.shareNotFound();
  const { result } = await changeTicket(trx, actor, { id: p.ticketId }, { action: 'reshare' }, async (ctx) => {
    const { ticket } = ctx;
    if (!(await ctx.transitionParticipant(p.id, ['pending', 'active'], 'revoked'))) throw errors.shareNotActive({ status: p.status });
    await markRequestNotificationsHandled(trx, ticket.id, { shareId: p.id }, now);
    return {
      history: { action: 'share_revoked', changes: { participant: { from: p.officeName, to: null }, status: { from: p.status, to: 'revoked' } } },
      events: [{
        topic: 'ticket.share_revoked',
        payload: { ticketId: ticket.id, code: ticket.code, shareId: p.id, officeId: p.officeId, ownerOfficeId: ticket.officeId, previousStatus: p.status, actorId: actor.userId },
      }],
      result: (await ctx.findParticipant(p.id))!,
    };
  }, { now, notFound: errors.shareNotFound });
  return result;
}

/** Pending requests addressed to the caller's offices, with just enough of the ticket to decide. */
export async function incomingRequests(db: Db, actor: Actor) {
  const scope = ticketScope(actor, 'tickets:read');
  const officeIds = new Set(scope.officeIds);
  if (scope.organisationIds.length > 0) {
    for (const o of await identity.listOffices(db)) if (scope.organisationIds.includes(o.organisationId)) officeIds.add(o.id);
  }
  const ids = [...officeIds];
  const [shares, transfers] = await Promise.all([incomingShares(db, ids), listIncomingTransfers(db, ids)]);
  const briefs = await ticketBriefs(db, [...new Set([...shares.map((s) => s.ticketId), ...transfers.map((t) => t.ticketId)])]);
  const byId = new Map(briefs.map((t) => [t.id, { code: t.code, subject: t.subject, topic: t.topic, status: t.status, ownerOffice: t.officeName }]));
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
  const { result } = await changeTicket(trx, actor, { code }, { action: 'transfer' }, async (ctx) => {
    const { ticket } = ctx;
    if (ticket.status === 'resolved' || ticket.status === 'closed') throw errors.ticketNotTransferable({ status: ticket.status });
    const office = await requireActiveOffice(trx, input.officeId);
    if (office.id === ticket.officeId) throw errors.sameOffice();
    const history = await listTransfersOfTicket(trx, ticket.id);
    if (input.kind === 'escalation') {
      const loop = history.find((t) => t.status === 'accepted' && t.fromOfficeId === office.id);
      if (loop) throw errors.circularEscalation({ officeName: loop.fromOfficeName });
    }
    const id = await ctx.addTransfer({ kind: input.kind, fromOfficeId: ticket.officeId, toOfficeId: office.id, reasonCode: input.reasonCode, reason: input.reason });
    if (!id) throw errors.transferAlreadyPending();
    const agreement = office.organisationId === ticket.organisationId ? null : await repo.findCoveringAgreement(trx, ticket.organisationId, office.organisationId, input.kind, ticket.classification.tema ?? null);
    const autoAccept = office.organisationId === ticket.organisationId || (agreement?.autoAccept ?? false);
    return {
      history: {
        action: input.kind === 'escalation' ? 'escalation_requested' : 'transfer_requested',
        changes: { office: { from: ticket.officeName, to: office.name }, reasonCode: { from: null, to: input.reasonCode }, reason: { from: null, to: input.reason } },
      },
      events: [{
        topic: 'ticket.transfer_requested',
        payload: {
          ticketId: ticket.id, code: ticket.code, transferId: id, kind: input.kind, fromOfficeId: ticket.officeId, toOfficeId: office.id, reasonCode: input.reasonCode, reason: input.reason,
          autoAccept, actorId: actor.userId,
        },
      }],
      result: { id, autoAccept },
    };
  }, { now });
  // Under auto-accept the requesting owner's own change hands the ticket over at once.
  if (result.autoAccept) await applyTransfer(trx, actor, result.id, { action: 'transfer' }, now);
  return (await findTransfer(trx, result.id))!;
}

/** Accepts a pending transfer: ownership moves, the new owner's share ends, the previous owner keeps a consultation. */
async function applyTransfer(trx: Trx, actor: Actor, transferId: string, access: { action: 'transfer' } | { receivingOffice: { id: string; organisationId: string } }, now: Date): Promise<void> {
  const transfer = (await findTransfer(trx, transferId))!;
  await changeTicket(trx, actor, { id: transfer.ticketId }, access, async (ctx) => {
    const { ticket } = ctx;
    if (!(await ctx.transitionTransfer(transferId, 'accepted'))) throw errors.transferNotPending({ status: transfer.status });
    const office = (await identity.findOffice(trx, transfer.toOfficeId))!;
    // The new owner no longer needs a share; the previous owner follows the ticket by consultation.
    for (const p of await ctx.listParticipants()) {
      if (p.officeId === office.id && (p.status === 'active' || p.status === 'pending')) await ctx.transitionParticipant(p.id, [p.status], 'revoked');
    }
    await ctx.addParticipant({
      officeId: ticket.officeId, organisationId: ticket.organisationId, mode: 'consult', status: 'active', shareRequester: false,
      reason: `Ufficio titolare precedente (trasferito a ${office.name})`,
    });
    await markRequestNotificationsHandled(trx, ticket.id, { transferId }, now);
    return {
      history: {
        action: transfer.kind === 'escalation' ? 'escalated' : 'transferred',
        changes: { office: { from: ticket.officeName, to: office.name }, organisation: { from: ticket.organisationName, to: office.organisationId === ticket.organisationId ? ticket.organisationName : office.name }, assignee: { from: ticket.assignee?.id ?? null, to: null } },
      },
      update: { officeId: office.id, organisationId: office.organisationId, assigneeId: null, dueAt: resolutionDueAt(office.calendar, ticket.priority as 'normal', now) },
      events: [{ topic: 'ticket.transferred', organisationId: office.organisationId, payload: { ticketId: ticket.id, code: ticket.code, transferId, kind: transfer.kind, from: ticket.officeId, to: office.id, actorId: actor.userId } }],
      result: null,
    };
  }, { now, notFound: errors.transferNotFound });
}

export async function respondToTransfer(trx: Trx, actor: Actor, transferId: string, decision: 'accept' | 'decline', reason: string | undefined, now: Date) {
  const transfer = await findTransfer(trx, transferId);
  if (!transfer) throw errors.transferNotFound();
  const target = await identity.findOffice(trx, transfer.toOfficeId);
  if (!target || !writes(actor, target)) {
    if (!(await canSeeTicket(trx, actor, transfer.ticketId))) throw errors.transferNotFound();
    throw errors.notReceivingOffice();
  }
  if (decision === 'decline' && !reason?.trim()) throw errors.declineReasonRequired();
  if (decision === 'accept') {
    await applyTransfer(trx, actor, transfer.id, { receivingOffice: target }, now);
  } else {
    await changeTicket(trx, actor, { id: transfer.ticketId }, { receivingOffice: target }, async ({ ticket, transitionTransfer }) => {
      if (!(await transitionTransfer(transfer.id, 'declined', reason!.trim()))) throw errors.transferNotPending({ status: (await findTransfer(trx, transfer.id))!.status });
      await markRequestNotificationsHandled(trx, ticket.id, { transferId: transfer.id }, now);
      return {
        history: { action: 'transfer_declined', changes: { office: { from: transfer.toOfficeName, to: null }, reason: { from: null, to: reason?.trim() ?? null } } },
        events: [{
          topic: 'ticket.transfer_declined',
          payload: { ticketId: ticket.id, code: ticket.code, transferId: transfer.id, fromOfficeId: transfer.fromOfficeId, toOfficeId: transfer.toOfficeId, reason: reason!.trim(), actorId: actor.userId },
        }],
        result: null,
      };
    }, { now, notFound: errors.transferNotFound });
  }
  return (await findTransfer(trx, transfer.id))!;
}

export async function cancelTransfer(trx: Trx, actor: Actor, transferId: string, now: Date) {
  const transfer = await findTransfer(trx, transferId);
  if (!transfer) throw errors.transferNotFound();
  await changeTicket(trx, actor, { id: transfer.ticketId }, { action: 'transfer' }, async ({ ticket, transitionTransfer }) => {
    if (!(await transitionTransfer(transfer.id, 'cancelled'))) throw errors.transferNotPending({ status: transfer.status });
    await markRequestNotificationsHandled(trx, ticket.id, { transferId: transfer.id }, now);
    return {
      history: { action: 'transfer_cancelled', changes: { office: { from: transfer.toOfficeName, to: null } } },
      events: [{
        topic: 'ticket.transfer_cancelled',
        payload: { ticketId: ticket.id, code: ticket.code, transferId: transfer.id, fromOfficeId: transfer.fromOfficeId, toOfficeId: transfer.toOfficeId, actorId: actor.userId },
      }],
      result: null,
    };
  }, { now, notFound: errors.transferNotFound });
  return (await findTransfer(trx, transfer.id))!;
}

// ------------------------------------------------------------------------------------------- tasks

export async function createTask(
  trx: Trx,
  actor: Actor,
  code: string,
  input: { officeId: string; title: string; description?: string; assigneeId?: string | null; dueAt?: string | null },
  now: Date,
): Promise<Task> {
  const { result } = await changeTicket(trx, actor, { code }, { action: 'manage_tasks' }, async (ctx) => {
    const { ticket } = ctx;
    const access = ctx.access!;
    const list = await ctx.listParticipants();
    const collaborating = list.some((p) => p.officeId === input.officeId && p.status === 'active' && p.mode === 'collaborate');
    if (input.officeId !== ticket.officeId && !collaborating) throw errors.taskOfficeNotParticipant();
    if (access.relation !== 'owner' && input.officeId !== access.officeId) throw errors.taskNotYours();
    const office = (await identity.findOffice(trx, input.officeId))!;
    if (input.assigneeId && !(await identity.isTicketWorker(trx, input.assigneeId, office))) throw errors.taskAssigneeInvalid();
    const dueAt = input.dueAt ? new Date(input.dueAt) : resolutionDueAt(office.calendar, 'normal', now);
    const id = await ctx.addTask({ officeId: office.id, title: input.title, description: input.description ?? null, assigneeId: input.assigneeId ?? null, dueAt });
    return {
      history: { action: 'task_created', changes: { task: { from: null, to: input.title }, office: { from: null, to: office.name } } },
      events: [{
        topic: 'ticket.task_created',
        payload: { ticketId: ticket.id, code: ticket.code, taskId: id, officeId: office.id, title: input.title, assigneeId: input.assigneeId ?? null, actorId: actor.userId, actorOfficeId: access.officeId },
      }],
      result: id,
    };
  }, { now });
  return (await findTask(trx, result))!;
}

export async function updateTask(trx: Trx, actor: Actor, taskId: string, expectedVersion: number | null, input: { status?: 'open' | 'done' | 'cancelled'; assigneeId?: string | null }, now: Date): Promise<Task> {
  const task = await findTask(trx, taskId);
  if (!task) throw errors.taskNotFound();
  await changeTicket(trx, actor, { id: task.ticketId }, { action: 'manage_tasks' }, async (ctx) => {
    const { ticket } = ctx;
    const access = ctx.access!;
    if (access.relation !== 'owner' && task.officeId !== access.officeId) throw errors.taskNotYours();
    if (expectedVersion !== null && expectedVersion !== task.version) throw preconditionFailed();
    if (input.assigneeId) {
      const office = (await identity.findOffice(trx, task.officeId))!;
      if (!(await identity.isTicketWorker(trx, input.assigneeId, office))) throw errors.taskAssigneeInvalid();
    }
    if (!(await ctx.updateTask(task.id, task.version, input))) throw preconditionFailed();
    const changes: HistoryChanges = { task: { from: task.title, to: task.title } };
    if (input.status) changes.taskStatus = { from: task.status, to: input.status };
    if (input.assigneeId !== undefined) changes.taskAssignee = { from: task.assignee?.id ?? null, to: input.assigneeId };
    return {
      history: { action: 'task_updated', changes },
      events: [{
        topic: 'ticket.task_updated',
        payload: {
          ticketId: ticket.id, code: ticket.code, taskId: task.id, officeId: task.officeId, ownerOfficeId: ticket.officeId, title: task.title, status: input.status ?? task.status,
          previousStatus: task.status, assigneeId: input.assigneeId !== undefined ? input.assigneeId : (task.assignee?.id ?? null),
          fields: [...(input.status ? ['status' as const] : []), ...(input.assigneeId !== undefined ? ['assignee' as const] : [])], actorId: actor.userId,
        },
      }],
      result: null,
    };
  }, { now, notFound: errors.taskNotFound });
  return (await findTask(trx, task.id))!;
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
  const territory = await loadTerritory(db);
  // A code names its place (a comune merged away stands for its successor); otherwise the question may name one.
  let place = input.territory ? { code: territory.resolve(input.territory) ?? input.territory, name: territory.nameOf(input.territory) ?? input.territory } : null;
  if (!place && input.q) place = territory.findPlace(input.q);
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
  // Only the competences of the asked topics (their ancestors and descendants too) at the place, its
  // province, its region or nationwide: a few index buckets, not every competence of the network.
  const index = await competenceIndex(db);
  const candidates = new Map<IndexedCompetence, PlaceMatch>();
  const topicKeys = topics.length === 0 ? [null] : [...new Set(topics.flatMap((t) => [...topicAndAncestors(t.code), ...index.descendantsOf(t.code)]))];
  for (const key of topicKeys) for (const [c, where] of index.at(key, place?.code ?? null)) candidates.set(c, where);
  const offices = await repo.activeOffices(db, [...new Set([...candidates.keys()].map((c) => c.officeId))]);
  const hits = new Map<string, Omit<DirectoryHit, 'office'> & { office: repo.CompetentOffice }>();
  for (const [c, where] of candidates) {
    const office = offices.get(c.officeId);
    if (!office) continue;
    let topicScore = topics.length === 0 ? 1 : 0;
    for (const t of topics) {
      const exact = t.code === c.topic ? 3 : t.code.startsWith(`${c.topic}.`) ? 2 : c.topic.startsWith(`${t.code}.`) ? 1 : 0;
      topicScore = Math.max(topicScore, exact * t.weight);
    }
    if (topicScore === 0) continue;
    const score = topicScore * 10 + where * 3 + (office.kind === 'back_office' ? 1 : 0);
    const existing = hits.get(office.id);
    if (!existing || existing.score < score) {
      hits.set(office.id, {
        office, organisationName: office.organisationName, organisationType: office.organisationType, topics: [...(existing?.topics ?? []), c.topic], score,
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
  // The whole office (contacts, hours) only for the few that are shown.
  const shown = await Promise.all(ranked.map(async (h) => ({ ...h, office: await identity.findOffice(db, h.office.id) })));
  const results: DirectoryHit[] = shown.flatMap((h) => (h.office ? [{ ...h, office: h.office }] : []));
  return { place, topics: topics.map((t) => ({ code: t.code, label: topicLabel(t.code) })), results };
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
  // This instance's directory index is invalidated by the route once the transaction commits.
  return repo.listCompetences(trx, officeId);
}

// ------------------------------------------------------------------------------------- agreements

export async function proposeAgreement(
  trx: Trx,
  actor: Actor,
  input: { fromOrganisationId: string; toOrganisationId: string; kinds: string[]; topics: string[]; autoAccept: boolean; note?: string; overflow?: repo.AgreementOverflow },
  now: Date,
) {
  if (!canManageOrganisation(actor, input.fromOrganisationId)) throw errors.agreementForbidden();
  if (input.fromOrganisationId === input.toOrganisationId) throw errors.agreementSameOrganisation();
  if (!(await identity.findOrganisation(trx, input.toOrganisationId))) throw errors.agreementNotFound();
  const id = await repo.insertAgreement(trx, { from: input.fromOrganisationId, to: input.toOrganisationId, kinds: input.kinds, topics: input.topics, autoAccept: input.autoAccept, note: input.note ?? null,
    overflow: input.kinds.includes('overflow') ? (input.overflow ?? repo.DEFAULT_OVERFLOW) : null, by: actor.userId, now });
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
