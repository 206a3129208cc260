/**
 * The data subject's requests (GDPR art. 15 access, art. 17 erasure), received by one body of the
 * network and executed across every body that holds the person's data: the one place where the
 * network looks across organisations. Only administrators (org_admin, network coordinator) call it,
 * and what it shows of other bodies is counts per organisation, never their data.
 *
 * 1. Search: requester records of every organisation matching any criterion (e-mail, phone, codice
 *    fiscale, name) are grouped into candidate people — records sharing a codice fiscale, e-mail or
 *    phone are one person; records with none of them are grouped by name. Two people with the same
 *    name and different codici fiscali are two candidates: the desk chooses.
 * 2. Request: the same criteria, the chosen candidate ids and `confirm: true`. The search runs again
 *    (a candidate id is an HMAC of its first record, stable between the two calls) and the request is
 *    executed at once, in one transaction: a person's tickets are a bounded set (the search refuses
 *    more than `MATCH_LIMIT` records as too broad), so no job is needed.
 *    - erasure: every ticket of the person, whatever its status or body, is purged as retention does
 *      (tickets module), its attachments removed, and the person's own values removed from every other
 *      place of the map (notifications, outbox, idempotency responses, FAQ portal texts, historical
 *      contacts, waiting access exports). The anonymised archive is untouched.
 *    - access: an export (JSON) of everything held, kept until the requesting administrator downloads
 *      it once, or for `EXPORT_TTL_DAYS`.
 *    The request is recorded without its criteria: only their kinds, and counts.
 */
import { createHmac } from 'node:crypto';
import type { Database } from '../../db/database.js';
import * as citizen from '../citizen/index.js';
import * as historyImport from '../history-import/index.js';
import * as identity from '../identity/index.js';
import * as knowledge from '../knowledge/index.js';
import * as tickets from '../tickets/index.js';
import type { Actor } from '../../platform/actor.js';
import { attachmentsRoot, removeStored } from '../../platform/file-storage.js';
import { deleteFinishedEventsOf, deleteIdempotencyKeysMentioning, deleteTicketNotifications, scrubPendingEventsOf } from '../../platform/personal-data.js';
import { canManageOrganisation } from '../../platform/policy.js';
import { privacyErrors as errors } from './privacy.errors.js';
import * as repo from './privacy.repository.js';

/** More matching records than this: the criteria are too broad for one person. */
export const MATCH_LIMIT = 1000;
/** How long an access export waits to be downloaded. */
export const EXPORT_TTL_DAYS = 7;
const DAY_MS = 86_400_000;

export type Criteria = tickets.PersonCriteria;
export const CRITERIA_KINDS = ['email', 'phone', 'fiscalCode', 'name'] as const;

/** What the search shows of one candidate person. */
export interface Candidate {
  id: string;
  matchedOn: string[];
  /** Per organisation holding records of this person: counts only. */
  organisations: { organisationId: string; organisationName: string; requesters: number; tickets: number }[];
  /** The records held by the organisations the caller administers directly, in full (the desk recognises the person). */
  records: { organisationId: string; name: string | null; email: string | null; phone: string | null; fiscalCode: string | null; ticketCodes: string[] }[];
}

const criteriaKinds = (c: Criteria) => CRITERIA_KINDS.filter((k) => c[k]?.trim());

/** The organisations whose records the caller sees in full: where it holds org_admin or network_coordinator itself. */
function ownOrganisations(actor: Actor): Set<string> {
  return new Set(actor.grants.filter((g) => g.role === 'org_admin' || g.role === 'network_coordinator').map((g) => g.organisationId));
}

/** Groups matching records into people (see the module comment). */
export function groupIntoPeople(records: readonly tickets.MatchedRequester[]): tickets.MatchedRequester[][] {
  const parent = records.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root]!;
    return root;
  };
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const seen = new Map<string, number>();
  records.forEach((r, i) => {
    const keys = [
      r.fiscalCode ? `cf:${r.fiscalCode.replace(/\s/g, '').toUpperCase()}` : null,
      r.email ? `email:${r.email.trim().toLowerCase()}` : null,
      r.phone ? `phone:${r.phone.replace(/^\s*(\+|00)\s*39/, '').replace(/\D/g, '')}` : null,
    ].filter((k): k is string => k !== null && !k.endsWith(':'));
    if (keys.length === 0 && r.name) keys.push(`name:${r.name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/\s+/g, ' ')}`);
    for (const k of keys) {
      const j = seen.get(k);
      if (j === undefined) seen.set(k, i);
      else union(i, j);
    }
  });
  const groups = new Map<number, tickets.MatchedRequester[]>();
  records.forEach((r, i) => {
    groups.set(find(i), [...(groups.get(find(i)) ?? []), r]);
  });
  return [...groups.values()];
}

const candidateId = (secret: string, group: readonly tickets.MatchedRequester[]) =>
  createHmac('sha256', secret).update(`privacy-candidate:${group[0]!.id}`).digest('base64url').slice(0, 22);

async function matchPeople(db: Database, criteria: Criteria): Promise<tickets.MatchedRequester[][]> {
  if (criteriaKinds(criteria).length === 0) throw errors.noCriteria();
  const records = await tickets.findRequestersAcrossNetwork(db, criteria, MATCH_LIMIT + 1);
  if (records.length > MATCH_LIMIT) throw errors.tooBroad({ limit: MATCH_LIMIT });
  return groupIntoPeople(records);
}

/** Searches the whole network for the person; see the module comment for what is shown. */
export async function searchDataSubject(db: Database, secret: string, actor: Actor, criteria: Criteria): Promise<{ found: boolean; ambiguous: boolean; candidates: Candidate[] }> {
  const people = await matchPeople(db, criteria);
  const names = new Map((await identity.listOrganisations(db)).map((o) => [o.id, o.name]));
  const own = ownOrganisations(actor);
  const candidates = people.map((group): Candidate => {
    const byOrg = new Map<string, { requesters: number; tickets: Set<string> }>();
    for (const r of group) {
      const entry = byOrg.get(r.organisationId) ?? { requesters: 0, tickets: new Set<string>() };
      entry.requesters++;
      for (const t of r.tickets) entry.tickets.add(t.id);
      byOrg.set(r.organisationId, entry);
    }
    return {
      id: candidateId(secret, group),
      matchedOn: [...new Set(group.flatMap((r) => r.matchedOn))],
      organisations: [...byOrg].map(([organisationId, e]) => ({ organisationId, organisationName: names.get(organisationId) ?? '', requesters: e.requesters, tickets: e.tickets.size })),
      records: group.filter((r) => own.has(r.organisationId)).map((r) => ({
        organisationId: r.organisationId, name: r.name, email: r.email, phone: r.phone, fiscalCode: r.fiscalCode, ticketCodes: r.tickets.map((t) => t.code),
      })),
    };
  });
  return { found: candidates.length > 0, ambiguous: candidates.length > 1, candidates };
}

export interface NewDataSubjectRequest {
  kind: 'erasure' | 'access';
  criteria: Criteria;
  candidates: string[];
  confirm: boolean;
  /** The body that received the request (default: the first the caller administers). */
  organisationId?: string | undefined;
}

/** Records and executes an erasure or access request (see the module comment). */
export async function createDataSubjectRequest(db: Database, ctx: { secret: string; dataDir: string }, actor: Actor, input: NewDataSubjectRequest, now = new Date()): Promise<repo.DataSubjectRequest> {
  const receiving = input.organisationId ?? [...ownOrganisations(actor)][0];
  if (!receiving || !canManageOrganisation(actor, receiving)) throw errors.notYourOrganisation();
  if (!input.confirm || input.candidates.length === 0) throw errors.confirmationRequired();
  const people = await matchPeople(db, input.criteria);
  const byId = new Map(people.map((g) => [candidateId(ctx.secret, g), g]));
  const chosen = input.candidates.map((id) => byId.get(id));
  if (chosen.some((g) => g === undefined)) throw errors.candidatesChanged();
  const records = (chosen as tickets.MatchedRequester[][]).flat();
  const ticketRefs = [...new Map(records.flatMap((r) => r.tickets).map((t) => [t.id, t])).values()];
  const ticketIds = ticketRefs.map((t) => t.id);
  const clean = (xs: (string | null | undefined)[]) => [...new Set(xs.map((x) => x?.trim()).filter((x): x is string => !!x && x.length >= 3))];
  const known = {
    names: clean([...records.map((r) => r.name), input.criteria.name]),
    values: clean([...records.flatMap((r) => [r.email, r.phone, r.fiscalCode]), input.criteria.email, input.criteria.phone, input.criteria.fiscalCode]),
  };
  const matched: Record<string, { requesters: number; tickets: number }> = {};
  const countIn = (organisationId: string) => {
    matched[organisationId] ??= { requesters: 0, tickets: 0 };
    return matched[organisationId];
  };
  for (const r of records) countIn(r.organisationId).requesters++;
  for (const t of ticketRefs) countIn(t.organisationId).tickets++;
  const base = { kind: input.kind, organisationId: receiving, criteriaKinds: criteriaKinds(input.criteria), candidateCount: chosen.length, matched, actorId: actor.userId, now };

  if (input.kind === 'access') {
    const held = await tickets.ticketsPersonalData(db, ticketIds);
    const faq = await knowledge.faqTextsMentioning(db, known.values);
    const historical = await historyImport.historicalContactsMentioning(db, known.values);
    const names = new Map((await identity.listOrganisations(db)).map((o) => [o.id, o.name]));
    const exported = {
      generatedAt: now.toISOString(),
      note: 'Dati personali trattati dalla rete degli URP (art. 15 GDPR). Personal data held by the URP network (GDPR art. 15).',
      requesters: records.map((r) => ({ organisation: names.get(r.organisationId) ?? r.organisationId, name: r.name, email: r.email, phone: r.phone, fiscalCode: r.fiscalCode, since: r.createdAt.toISOString() })),
      tickets: held.map((t) => ({ ...t, organisation: names.get(t.organisationId) ?? t.organisationId })),
      portalSearches: faq.portalSearches,
      faqComments: faq.feedbackComments,
      historicalContacts: historical.map((h) => ({ ...h, organisation: names.get(h.organisationId) ?? h.organisationId })),
    };
    const result = {
      requesters: records.length, tickets: held.length, messages: held.reduce((n, t) => n + t.messages.length, 0), attachments: held.reduce((n, t) => n + t.attachments.length, 0),
      portalSearches: faq.portalSearches.length, faqComments: faq.feedbackComments.length, historicalContacts: historical.length,
    };
    return db.transaction().execute((trx) => repo.insertRequest(trx, { ...base, result, export: exported, exportExpiresAt: new Date(now.getTime() + EXPORT_TTL_DAYS * DAY_MS) }));
  }

  // Erasure: files first (a crash after leaves rows to retry, never orphan files), then one transaction.
  const attachments = await tickets.attachmentsOfTickets(db, ticketIds);
  const root = attachmentsRoot(ctx.dataDir);
  for (const a of attachments) await removeStored(root, a.storageKey);
  return db.transaction().execute(async (trx) => {
    const result: Record<string, number> = { files: attachments.length };
    result.attachments = await tickets.deleteAttachmentRows(trx, attachments.map((a) => a.id));
    Object.assign(result, await tickets.purgeTicketsPersonalData(trx, ticketIds, now, { force: true, extraKnown: known }));
    result.notifications = await deleteTicketNotifications(trx, ticketIds);
    result.events = await deleteFinishedEventsOf(trx, ticketIds);
    result.citizenChannel = await citizen.purgeCitizenChannelData(trx, ticketIds);
    result.pendingEvents = await scrubPendingEventsOf(trx, ticketIds, known);
    result.idempotencyKeys = await deleteIdempotencyKeysMentioning(trx, [...ticketIds, ...ticketRefs.map((t) => t.code), ...known.values]);
    const faq = await knowledge.eraseValuesFromFaqTexts(trx, known);
    Object.assign(result, faq);
    result.historicalContacts = await historyImport.eraseValuesFromHistoricalContacts(trx, known);
    result.exports = await repo.dropExportsMentioning(trx, known.values);
    return repo.insertRequest(trx, { ...base, result, export: null, exportExpiresAt: null });
  });
}

/** The organisations whose requests and runs the caller may read: those it administers (all for a coordinator). */
export function readableOrganisations(actor: Actor): string[] | 'all' {
  if (actor.grants.some((g) => g.role === 'network_coordinator')) return 'all';
  return [...new Set(actor.grants.filter((g) => g.role === 'org_admin').map((g) => g.organisationId))];
}
