/**
 * A body leaves the network (issue 11), by a network coordinator, previewed first and confirmed by
 * repeating the body's IPA code; everything happens in one transaction:
 *
 * - the open tickets of other bodies it takes part in stay with their owners: its shares there end,
 *   transfers pending towards it are cancelled, its open tasks are cancelled;
 * - the open tickets it owns that are shared are handed back: to the office outside the body that
 *   had transferred the ticket to it, when that office is still active, otherwise to the
 *   coordinating body (the coordinator's own body: its contact centre, else its URP). The tickets it
 *   owns that nobody else follows stay with it, as its data;
 * - each ticket's history (its timeline) records the change, and a `ticket.handed_back` /
 *   `ticket.participant_left` event reaches the open streams of those who follow it;
 * - its network agreements end; its offices become inactive (the directory and the competences
 *   answer only with active offices); its people lose it (identity's organisation-exit.ts: an
 *   account of no other active body is disabled, with its sessions, tokens and streams);
 * - nothing is deleted: its data stays under its retention policy, and nothing of another body
 *   changes but the participations listed above.
 *
 * A coordinator may bring the body back (`rejoinNetwork`): the body, its offices and the accounts
 * the exit disabled are active again; handed-back tickets and ended agreements stay as they are.
 */
import type { Database } from '../../db/database.js';
import type { HistoryChanges } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import type { Trx } from '../../platform/http.js';
import * as identity from '../identity/index.js';
import { changeTicket, listParticipants, listTasks, listTransfersOfTicket, resolutionDueAt, type TicketChangeContext, ticketsOfLeavingBody } from '../tickets/index.js';
import { organisationExitErrors as errors } from './organisation-exit.errors.js';

type Db = Database | Trx;

export type HandBack = 'former_owner' | 'coordinator';

export interface ExitTicket {
  code: string;
  /** What happens to it: handed back (to its former owner or the coordinating body), or the body's participation ends. */
  action: HandBack | 'participation_ended';
  /** The office that owns it afterwards (null: the owner does not change). */
  officeId: string | null;
  officeName: string | null;
}

export interface ExitReport {
  dryRun: boolean;
  organisation: { id: string; name: string; ipaCode: string };
  /** What `confirm` must repeat to carry the exit out. */
  confirmation: string;
  ticketsToFormerOwners: number;
  ticketsToCoordinator: number;
  participationsEnded: number;
  /** Open tickets the body owns that nobody else follows: they stay with it. */
  openTicketsKept: number;
  usersDisabled: number;
  membershipsEnded: number;
  officesDeactivated: number;
  agreementsEnded: number;
  invitationsWithdrawn: number;
  tickets: ExitTicket[];
}

/** The coordinator's own body (where their network_coordinator role is): it takes over owned tickets and may not leave. */
function coordinatingOrganisationId(actor: Actor): string | null {
  return actor.grants.find((g) => g.role === 'network_coordinator')?.organisationId ?? null;
}

interface ExitPlan {
  report: ExitReport;
  members: identity.MembersExitPlan;
  owned: { ticketId: string; target: identity.Office; reason: HandBack }[];
  participating: string[];
  agreementIds: string[];
}

async function planExit(db: Db, actor: Actor, organisation: identity.Organisation, dryRun: boolean): Promise<ExitPlan> {
  if (!organisation.active) throw errors.alreadyLeft({ name: organisation.name });
  const coordinating = coordinatingOrganisationId(actor);
  if (coordinating === organisation.id) throw errors.coordinatingBody({ name: organisation.name });
  const coordinatorOffice = coordinating ? await identity.coordinationOffice(db, coordinating) : null;
  const touched = await ticketsOfLeavingBody(db, organisation.id);
  const offices = new Map<string, identity.Office | null>();
  const officeOf = async (id: string) => {
    if (!offices.has(id)) offices.set(id, await identity.findOffice(db, id));
    return offices.get(id) ?? null;
  };
  const bodies = new Map((await identity.listOrganisations(db)).map((o) => [o.id, o]));
  const tickets: ExitTicket[] = [];
  const owned: ExitPlan['owned'] = [];
  let kept = touched.ownedUnshared;
  for (const t of touched.owned) {
    const former = t.returnOfficeId ? await officeOf(t.returnOfficeId) : null;
    const formerOk = former?.active === true && bodies.get(former.organisationId)?.active === true;
    const target = formerOk ? former : coordinatorOffice;
    if (!target) {
      kept++;
      continue;
    }
    const reason: HandBack = formerOk ? 'former_owner' : 'coordinator';
    owned.push({ ticketId: t.ticketId, target, reason });
    tickets.push({ code: t.code, action: reason, officeId: target.id, officeName: target.name });
  }
  for (const t of touched.participating) tickets.push({ code: t.code, action: 'participation_ended', officeId: null, officeName: null });
  const members = await identity.planMembersExit(db, organisation.id);
  const agreementIds = await liveAgreementsOf(db, organisation.id);
  return {
    report: {
      dryRun,
      organisation: { id: organisation.id, name: organisation.name, ipaCode: organisation.ipaCode },
      confirmation: organisation.ipaCode,
      ticketsToFormerOwners: owned.filter((o) => o.reason === 'former_owner').length,
      ticketsToCoordinator: owned.filter((o) => o.reason === 'coordinator').length,
      participationsEnded: touched.participating.length,
      openTicketsKept: kept,
      usersDisabled: members.disableUserIds.length,
      membershipsEnded: members.endMembershipUserIds.length,
      officesDeactivated: members.officeIds.length,
      agreementsEnded: agreementIds.length,
      invitationsWithdrawn: members.pendingInvitations,
      tickets,
    },
    members,
    owned,
    participating: touched.participating.map((t) => t.ticketId),
    agreementIds,
  };
}

async function requireOrganisation(db: Db, organisationId: string, lock: Trx | null): Promise<identity.Organisation> {
  const organisation = lock ? await identity.lockOrganisation(lock, organisationId) : await identity.findOrganisation(db, organisationId);
  if (!organisation) throw errors.notFound();
  return organisation;
}

/** What leaving would do, without doing it. */
export async function previewExit(db: Database, actor: Actor, organisationId: string): Promise<ExitReport> {
  const organisation = await requireOrganisation(db, organisationId, null);
  return (await planExit(db, actor, organisation, true)).report;
}

/** Takes the body out of the network (see the file's comment); `confirm` must be its IPA code. */
export async function leaveNetwork(trx: Trx, actor: Actor, organisationId: string, confirm: string | undefined, now: Date): Promise<ExitReport> {
  const organisation = await requireOrganisation(trx, organisationId, trx);
  if (!organisation.active) throw errors.alreadyLeft({ name: organisation.name });
  if (confirm?.trim().toLowerCase() !== organisation.ipaCode) throw errors.unconfirmed({ ipaCode: organisation.ipaCode, name: organisation.name });
  const plan = await planExit(trx, actor, organisation, false);
  const leavingOffices = new Set((await identity.listOffices(trx, organisation.id)).map((o) => o.id));
  for (const ticketId of plan.participating) await endParticipation(trx, actor, ticketId, organisation, leavingOffices, now);
  for (const o of plan.owned) await handBack(trx, actor, o.ticketId, o.target, o.reason, organisation, leavingOffices, now);
  await endAgreements(trx, plan.agreementIds, actor.userId, now);
  const { tickets: _tickets, dryRun: _dryRun, organisation: _organisation, confirmation: _confirmation, ...summary } = plan.report;
  await identity.applyMembersExit(trx, organisation.id, plan.members, { actorId: actor.userId, summary, now });
  return plan.report;
}

/** Ends the body's shares, pending transfers towards it and open tasks on another body's ticket. */
async function endParticipation(trx: Trx, actor: Actor, ticketId: string, leaving: identity.Organisation, leavingOffices: ReadonlySet<string>, now: Date): Promise<void> {
  await changeTicket(trx, actor, { id: ticketId }, { system: true }, async (ctx) => {
    const { ticket } = ctx;
    const ended = await endBodyWork(ctx, trx, ticket.id, leavingOffices, { cancelAllTransfers: false });
    return {
      history: {
        action: 'participant_left',
        changes: { participant: { from: ended.offices, to: null }, organisation: { from: leaving.name, to: null } },
      },
      events: [{
        topic: 'ticket.participant_left',
        payload: { ticketId: ticket.id, code: ticket.code, leavingOrganisationId: leaving.id, sharesEnded: ended.shares, transfersCancelled: ended.transfers, tasksCancelled: ended.tasks, actorId: actor.userId },
      }],
      result: null,
    };
  }, { now });
}

/** Hands an open ticket the body owns to `target`: its former owner's office, or the coordinating body's. */
async function handBack(trx: Trx, actor: Actor, ticketId: string, target: identity.Office, reason: HandBack, leaving: identity.Organisation, leavingOffices: ReadonlySet<string>, now: Date): Promise<void> {
  await changeTicket(trx, actor, { id: ticketId }, { system: true }, async (ctx) => {
    const { ticket } = ctx;
    // A transfer still pending from the leaving body's office would hand the ticket on a second time.
    await endBodyWork(ctx, trx, ticket.id, leavingOffices, { cancelAllTransfers: true });
    // The new owner no longer needs a share of its own ticket.
    for (const p of await ctx.listParticipants()) {
      if (p.officeId === target.id && (p.status === 'active' || p.status === 'pending')) await ctx.transitionParticipant(p.id, [p.status], 'revoked');
    }
    const changes: HistoryChanges = {
      office: { from: ticket.officeName, to: target.name },
      organisation: { from: leaving.name, to: target.organisationId === ticket.organisationId ? leaving.name : (await identity.findOrganisation(trx, target.organisationId))?.name ?? null },
      assignee: { from: ticket.assignee?.id ?? null, to: null },
      reason: { from: null, to: reason },
    };
    return {
      history: { action: 'handed_back', changes },
      update: { officeId: target.id, organisationId: target.organisationId, assigneeId: null, dueAt: resolutionDueAt(target.calendar, ticket.priority as 'normal', now) },
      events: [{
        topic: 'ticket.handed_back',
        organisationId: target.organisationId,
        payload: { ticketId: ticket.id, code: ticket.code, from: ticket.officeId, to: target.id, reason, leavingOrganisationId: leaving.id, actorId: actor.userId },
      }],
      result: null,
    };
  }, { now });
}

/** Ends what the leaving body's offices hold on a ticket: live shares, pending transfers (to them, or all), open tasks. */
async function endBodyWork(
  ctx: TicketChangeContext,
  trx: Trx,
  ticketId: string,
  leavingOffices: ReadonlySet<string>,
  options: { cancelAllTransfers: boolean },
): Promise<{ offices: string[]; shares: number; transfers: number; tasks: number }> {
  const offices = new Set<string>();
  let shares = 0;
  let transfers = 0;
  let tasks = 0;
  for (const p of await listParticipants(trx, ticketId)) {
    if (!leavingOffices.has(p.officeId) || (p.status !== 'active' && p.status !== 'pending')) continue;
    if (await ctx.transitionParticipant(p.id, [p.status], 'revoked')) {
      shares++;
      offices.add(p.officeName);
    }
  }
  for (const x of await listTransfersOfTicket(trx, ticketId)) {
    if (x.status !== 'pending' || !(options.cancelAllTransfers || leavingOffices.has(x.toOfficeId))) continue;
    if (await ctx.transitionTransfer(x.id, 'cancelled')) {
      transfers++;
      if (leavingOffices.has(x.toOfficeId)) offices.add(x.toOfficeName);
    }
  }
  for (const k of await listTasks(trx, ticketId)) {
    if (k.status !== 'open' || !leavingOffices.has(k.officeId)) continue;
    if (await ctx.updateTask(k.id, k.version, { status: 'cancelled' })) {
      tasks++;
      offices.add(k.officeName);
    }
  }
  return { offices: [...offices].sort(), shares, transfers, tasks };
}

/** Agreements to or from the body that are proposed or active. */
async function liveAgreementsOf(db: Db, organisationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('network_agreements')
    .select('id')
    .where((eb) => eb.or([eb('from_organisation_id', '=', organisationId), eb('to_organisation_id', '=', organisationId)]))
    .where('status', 'in', ['proposed', 'active'])
    .execute();
  return rows.map((r) => r.id);
}

async function endAgreements(trx: Trx, ids: readonly string[], by: string, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('network_agreements')
    .set((eb) => ({ status: 'revoked', decided_by: by, decided_at: now, version: eb('version', '+', 1) }))
    .where('id', 'in', ids)
    .where('status', 'in', ['proposed', 'active'])
    .execute();
}

export interface RejoinReport extends identity.RejoinResult {
  organisation: { id: string; name: string; ipaCode: string };
}

/** Brings a body that left back into the network (not the tickets handed back, nor ended agreements or memberships). */
export async function rejoinNetwork(trx: Trx, actor: Actor, organisationId: string, now: Date): Promise<RejoinReport> {
  const organisation = await requireOrganisation(trx, organisationId, trx);
  if (organisation.active) throw errors.notLeft({ name: organisation.name });
  const result = await identity.rejoinOrganisation(trx, organisation.id, { actorId: actor.userId, now });
  return { organisation: { id: organisation.id, name: organisation.name, ipaCode: organisation.ipaCode }, ...result };
}
