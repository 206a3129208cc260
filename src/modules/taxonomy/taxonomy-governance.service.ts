import { sql, type Updateable } from 'kysely';
import type { TaxonomyLocalNodesTable } from '../../db/tables/taxonomy-governance.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { recordEvent } from '../../platform/events.js';
import { checkVersion, type Trx } from '../../platform/http.js';
import { canManageNetwork, canManageOrganisation, hasPermission } from '../../platform/policy.js';
import {
  applyOperations, type ChangeContext, type ChangeProblem, type ChangeResult, compareVersions, type CrosswalkEntry, type CrosswalkRelation, type TaxonomyOperation, translateAcross,
  type TranslationOutcome, type VersionStep,
} from './taxonomy-changes.js';
import { isUniqueViolation } from '../../platform/errors.js';
import { changeRejected, taxonomyErrors as errors } from './taxonomy-governance.errors.js';
import { isCodeUsed } from './code-usage.js';
import { allLocalCodes, listLocalNodes, type LocalNode, localCode, toLocalNode } from './taxonomy-local.js';
import { currentTaxonomy, invalidateCurrentTaxonomy, listVersions, NETWORK_SCHEME, publishTaxonomyVersion, taxonomyVersion } from './taxonomy.service.js';
import type { LocalisedText, TaxonomyDocument } from './taxonomy.js';
import * as identity from '../identity/index.js';

type Db = Database | Trx;

// ------------------------------------------------------------------ drafts

export interface Draft {
  id: string;
  baseVersion: string;
  version: string;
  operations: TaxonomyOperation[];
  status: 'open' | 'published' | 'discarded';
  note: string | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

export interface EvaluatedDraft extends Draft {
  result: ChangeResult;
}

function assertCoordinator(actor: Actor): void {
  if (!canManageNetwork(actor)) throw errors.coordinatorOnly();
}

type DraftRow = Awaited<ReturnType<ReturnType<typeof draftQuery>['executeTakeFirstOrThrow']>>;

function draftQuery(db: Db) {
  return db.selectFrom('taxonomy_drafts').selectAll().where('scheme', '=', NETWORK_SCHEME);
}

function toDraft(r: DraftRow): Draft {
  return {
    id: r.id, baseVersion: r.base_version, version: r.version, operations: r.operations as TaxonomyOperation[], status: r.status as Draft['status'], note: r.note,
    revision: r.revision, createdAt: r.created_at, updatedAt: r.updated_at, publishedAt: r.published_at,
  };
}

async function findDraft(db: Db, id: string, lock = false): Promise<Draft | null> {
  let q = draftQuery(db).where('id', '=', id);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toDraft(r) : null;
}

/**
 * Which of the candidate `facet:code`s are in use by the modules that store codes (tickets, FAQs:
 * see code-usage.ts). Only the codes that the operations would delete without a crosswalk are
 * asked about, one check each, so that validating a draft does not read every ticket.
 */
async function usedCodes(db: Db, candidates: readonly { facet: string; code: string }[]): Promise<Set<string>> {
  const used = new Set<string>();
  for (const { facet, code } of candidates) if (await isCodeUsed(db, facet, code)) used.add(`${facet}:${code}`);
  return used;
}

/** What the database knows that the pure model needs for these operations: codes in use and codes taken by local nodes. */
async function changeContext(db: Db, operations: readonly TaxonomyOperation[]): Promise<ChangeContext> {
  const seen = new Map<string, { facet: string; code: string }>();
  for (const op of operations) if (op.op === 'delete' && !op.crosswalk) seen.set(`${op.facet}:${op.code}`, { facet: op.facet, code: op.code });
  const [usedCodesSet, reservedCodes] = await Promise.all([usedCodes(db, [...seen.values()]), allLocalCodes(db)]);
  return { usedCodes: usedCodesSet, reservedCodes };
}

async function evaluate(db: Db, base: TaxonomyDocument, version: string, operations: TaxonomyOperation[], context?: ChangeContext): Promise<ChangeResult> {
  return applyOperations(base, version, operations, context ?? (await changeContext(db, operations)));
}

async function evaluateDraft(db: Db, draft: Draft, operations = draft.operations, context?: ChangeContext): Promise<ChangeResult> {
  return evaluate(db, (await taxonomyVersion(db, draft.baseVersion)).document, draft.version, operations, context);
}

/** The open draft, if any. */
export async function openDraftId(db: Db): Promise<string | null> {
  const r = await db.selectFrom('taxonomy_drafts').select('id').where('scheme', '=', NETWORK_SCHEME).where('status', '=', 'open').executeTakeFirst();
  return r?.id ?? null;
}

export async function listDrafts(db: Db, actor: Actor): Promise<Draft[]> {
  assertCoordinator(actor);
  return (await draftQuery(db).orderBy('created_at', 'desc').limit(50).execute()).map(toDraft);
}

/** Opens the draft of the next version, starting from the current one. */
export async function openDraft(trx: Trx, actor: Actor, input: { version: string; note?: string }): Promise<EvaluatedDraft> {
  assertCoordinator(actor);
  const open = await openDraftId(trx);
  if (open) throw errors.draftAlreadyOpen({ version: (await findDraft(trx, open))?.version ?? '' });
  const current = (await currentTaxonomy(trx)).document.version;
  if (compareVersions(input.version, current) <= 0) throw errors.versionNotGreater({ version: input.version, current });
  if ((await listVersions(trx)).some((v) => v.version === input.version)) throw errors.versionExists({ version: input.version });
  const row = await trx
    .insertInto('taxonomy_drafts')
    .values({ scheme: NETWORK_SCHEME, base_version: current, version: input.version, operations: JSON.stringify([]), note: input.note ?? null, created_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch((err: unknown) => {
      // Two coordinators opening a draft at the same moment: the partial unique index decides.
      throw isUniqueViolation(err, 'taxonomy_drafts_open_idx') ? errors.draftAlreadyOpen({ version: input.version }) : err;
    });
  return getDraft(trx, actor, row.id);
}

export async function getDraft(db: Db, actor: Actor, id: string): Promise<EvaluatedDraft> {
  assertCoordinator(actor);
  const draft = await findDraft(db, id);
  if (!draft) throw errors.draftNotFound();
  return { ...draft, result: await evaluateDraft(db, draft) };
}

const problemKey = (p: ChangeProblem) => `${p.code}|${p.path}|${p.message}`;

/** Problems of `next` that the draft did not already have: a change may not introduce any. */
function newProblems(before: ChangeResult, next: ChangeResult): ChangeProblem[] {
  const known = new Set(before.problems.map(problemKey));
  return next.problems.filter((p) => !known.has(problemKey(p)));
}

async function appendToDraft(trx: Trx, draft: Draft, operations: TaxonomyOperation[], now: Date): Promise<void> {
  const context = await changeContext(trx, [...draft.operations, ...operations]);
  const before = await evaluateDraft(trx, draft, draft.operations, context);
  const next = await evaluateDraft(trx, draft, [...draft.operations, ...operations], context);
  const introduced = newProblems(before, next);
  if (introduced.length > 0) throw changeRejected(introduced);
  await trx
    .updateTable('taxonomy_drafts')
    .set({ operations: JSON.stringify([...draft.operations, ...operations]), updated_at: now, revision: draft.revision + 1 })
    .where('id', '=', draft.id)
    .execute();
}

async function lockOpenDraft(trx: Trx, id: string, expectedRevision: number | null): Promise<Draft> {
  const draft = await findDraft(trx, id, true);
  if (!draft) throw errors.draftNotFound();
  if (draft.status !== 'open') throw errors.draftNotOpen({ status: draft.status });
  checkVersion(expectedRevision, draft.revision);
  return draft;
}

/** Applies change operations to the draft, all or none: each is validated against the result so far. */
export async function applyToDraft(trx: Trx, actor: Actor, id: string, operations: TaxonomyOperation[], expectedRevision: number | null, now: Date): Promise<EvaluatedDraft> {
  assertCoordinator(actor);
  const draft = await lockOpenDraft(trx, id, expectedRevision);
  await appendToDraft(trx, draft, operations, now);
  return getDraft(trx, actor, id);
}

/** Removes the last operation of the draft. */
export async function undoLast(trx: Trx, actor: Actor, id: string, expectedRevision: number | null, now: Date): Promise<EvaluatedDraft> {
  assertCoordinator(actor);
  const draft = await lockOpenDraft(trx, id, expectedRevision);
  if (draft.operations.length === 0) throw errors.nothingToUndo();
  await trx
    .updateTable('taxonomy_drafts')
    .set({ operations: JSON.stringify(draft.operations.slice(0, -1)), updated_at: now, revision: draft.revision + 1 })
    .where('id', '=', id)
    .execute();
  return getDraft(trx, actor, id);
}

/** Dry run: the draft with `operations` added, without storing anything. */
export async function validateDraft(db: Db, actor: Actor, id: string, operations: TaxonomyOperation[]): Promise<{ result: ChangeResult; introduced: ChangeProblem[] }> {
  assertCoordinator(actor);
  const draft = await findDraft(db, id);
  if (!draft) throw errors.draftNotFound();
  const context = await changeContext(db, [...draft.operations, ...operations]);
  const before = await evaluateDraft(db, draft, draft.operations, context);
  const result = operations.length > 0 ? await evaluateDraft(db, draft, [...draft.operations, ...operations], context) : before;
  return { result, introduced: operations.length > 0 ? newProblems(before, result) : result.problems };
}

export async function discardDraft(trx: Trx, actor: Actor, id: string, now: Date): Promise<Draft> {
  assertCoordinator(actor);
  await lockOpenDraft(trx, id, null);
  await trx.updateTable('taxonomy_drafts').set({ status: 'discarded', updated_at: now }).where('id', '=', id).execute();
  return (await findDraft(trx, id))!;
}

/**
 * Publishes the draft as the new current version: nodes, crosswalk, re-parented local nodes and the
 * draft's status are written in the caller's transaction, after validating the complete result,
 * and checked once more in the database before commit — any failure rolls everything back.
 * The caller invalidates the current-version cache after commit.
 */
export async function publishDraft(trx: Trx, actor: Actor, id: string, expectedRevision: number | null, now: Date): Promise<{ version: string; crosswalk: number; localNodes: { reparented: number; orphaned: number } }> {
  assertCoordinator(actor);
  const draft = await lockOpenDraft(trx, id, expectedRevision);
  // Serialises publications: the current version cannot change under us.
  await sql`select pg_advisory_xact_lock(hashtext('urpnet.taxonomy.publish'))`.execute(trx);
  invalidateCurrentTaxonomy();
  const current = (await currentTaxonomy(trx)).document.version;
  if (current !== draft.baseVersion) throw errors.draftStale({ base: draft.baseVersion, current });
  if (draft.operations.length === 0) throw errors.noOperations();
  if ((await listVersions(trx)).some((v) => v.version === draft.version)) throw errors.versionExists({ version: draft.version });
  const result = await evaluateDraft(trx, draft);
  if (result.problems.length > 0) throw changeRejected(result.problems, 'publication');

  await publishTaxonomyVersion(trx, result.document);
  if (result.crosswalk.length > 0) {
    await trx
      .insertInto('taxonomy_crosswalk')
      .values(result.crosswalk.map((e) => ({
        scheme: NETWORK_SCHEME, facet: e.facet, from_version: draft.baseVersion, from_code: e.fromCode, to_version: draft.version, to_code: e.toCode, relation: e.relation, note: e.note,
      })))
      .execute();
  }
  // Defence in depth: every mapping into the new version must land on one of its nodes.
  const dangling = await sql<{ facet: string; from_code: string; to_code: string }>`
    select x.facet, x.from_code, x.to_code from taxonomy_crosswalk x
    join taxonomy_versions v on v.scheme = x.scheme and v.version = x.to_version
    where x.scheme = ${NETWORK_SCHEME} and x.to_version = ${draft.version}
      and not exists (select 1 from taxonomy_nodes n where n.version_id = v.id and n.facet = x.facet and n.code = x.to_code)
    limit 1`.execute(trx);
  const bad = dangling.rows[0];
  if (bad) throw errors.publicationInconsistent({ facet: bad.facet, from: bad.from_code, to: bad.to_code, version: draft.version });

  const localNodes = await reparentLocalNodes(trx, result, draft.version, now);
  await trx.updateTable('taxonomy_drafts').set({ status: 'published', published_at: now, updated_at: now, revision: draft.revision + 1 }).where('id', '=', id).execute();
  await recordEvent(trx, 'taxonomy.version_published', { payload: { scheme: NETWORK_SCHEME, version: draft.version, from: draft.baseVersion, crosswalk: result.crosswalk.length } });
  return { version: draft.version, crosswalk: result.crosswalk.length, localNodes };
}

/**
 * Local nodes follow their network parent into the new version: kept when the parent survives,
 * moved to the single code the parent maps to, or flagged (not selectable) for their
 * organisation to choose a new parent when the parent was split or removed.
 */
async function reparentLocalNodes(trx: Trx, result: ChangeResult, version: string, now: Date): Promise<{ reparented: number; orphaned: number }> {
  const rows = await trx.selectFrom('taxonomy_local_nodes').selectAll().where('status', '!=', 'retired').execute();
  const exists = (facet: string, code: string) => {
    const node = findNode(result.document, facet, code);
    return node !== null && !node.deprecated;
  };
  let reparented = 0;
  let orphaned = 0;
  for (const r of rows) {
    let parent = r.parent_code;
    let status: 'active' | 'orphaned' = 'active';
    let note = r.status === 'orphaned' ? r.status_note : null;
    if (!exists(r.facet, parent)) {
      const targets = result.crosswalk.filter((e) => e.facet === r.facet && e.fromCode === parent).map((e) => e.toCode);
      if (targets.length === 1 && exists(r.facet, targets[0]!)) {
        note = `Ricollocato dalla versione ${version}: il nodo di rete «${parent}» corrisponde ora a «${targets[0]}».`;
        parent = targets[0]!;
        reparented++;
      } else {
        status = 'orphaned';
        note = targets.length > 1
          ? `Nella versione ${version} il nodo di rete «${parent}» è stato diviso in ${targets.map((t) => `«${t}»`).join(', ')}: scegli il nuovo nodo padre.`
          : `Nella versione ${version} il nodo di rete «${parent}» non esiste più: scegli un nuovo nodo padre.`;
        orphaned++;
      }
    } else if (r.status === 'orphaned') {
      status = 'orphaned';
    }
    await trx
      .updateTable('taxonomy_local_nodes')
      .set({ parent_code: parent, network_version: version, status, status_note: note, updated_at: now, version: r.version + 1 })
      .where('id', '=', r.id)
      .execute();
  }
  return { reparented, orphaned };
}

function findNode(doc: TaxonomyDocument, facet: string, code: string): { deprecated: boolean } | null {
  const f = doc.facets.find((x) => x.code === facet);
  const stack = [...(f?.nodes ?? [])];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.code === code) return { deprecated: n.deprecated ?? false };
    stack.push(...(n.children ?? []));
  }
  return null;
}

// ------------------------------------------------------------------ crosswalk

/** The crosswalk published with `version` (from the version it replaced). */
export async function crosswalkInto(db: Db, version: string): Promise<{ fromVersion: string | null; entries: CrosswalkEntry[] }> {
  const rows = await db
    .selectFrom('taxonomy_crosswalk')
    .selectAll()
    .where('scheme', '=', NETWORK_SCHEME)
    .where('to_version', '=', version)
    .orderBy('facet')
    .orderBy('from_code')
    .orderBy('to_code')
    .execute();
  let fromVersion = rows[0]?.from_version ?? null;
  if (!fromVersion) {
    const published = (await listVersions(db)).filter((v) => v.status !== 'draft').map((v) => v.version).sort(compareVersions);
    const i = published.indexOf(version);
    fromVersion = i > 0 ? published[i - 1]! : null;
  }
  return {
    fromVersion,
    entries: rows.map((r) => ({ facet: r.facet, fromCode: r.from_code, toCode: r.to_code, relation: r.relation as CrosswalkRelation, note: r.note })),
  };
}

/**
 * Translates a code of any version into another (by default the current one), following the chain
 * of published versions and their crosswalks.
 */
export async function translateCode(db: Db, input: { facet: string; code: string; fromVersion: string; toVersion?: string }): Promise<TranslationOutcome & { fromVersion: string; toVersion: string }> {
  const published = (await listVersions(db)).map((v) => v.version).sort(compareVersions);
  const toVersion = input.toVersion ?? (await currentTaxonomy(db)).document.version;
  for (const v of [input.fromVersion, toVersion]) if (!published.includes(v)) throw errors.versionNotFound({ version: v });
  if (compareVersions(toVersion, input.fromVersion) < 0) throw errors.translateBackwards({ fromVersion: input.fromVersion, toVersion });
  const from = await taxonomyVersion(db, input.fromVersion);
  if (!from.nodes.has(`${input.facet}:${input.code}`)) throw errors.codeNotFound({ facet: input.facet, code: input.code, version: input.fromVersion });
  const chain = published.filter((v) => compareVersions(v, input.fromVersion) > 0 && compareVersions(v, toVersion) <= 0);
  const steps: VersionStep[] = [];
  let previous = input.fromVersion;
  for (const v of chain) {
    steps.push({ from: previous, to: v, entries: (await crosswalkInto(db, v)).entries, target: await taxonomyVersion(db, v) });
    previous = v;
  }
  return { ...translateAcross(steps, input.facet, input.code), fromVersion: input.fromVersion, toVersion };
}

// ------------------------------------------------------------------ proposals

export interface Proposal {
  id: string;
  organisationId: string;
  organisationName: string;
  proposedBy: { id: string; name: string } | null;
  operations: TaxonomyOperation[];
  rationale: string;
  status: 'pending' | 'approved' | 'rejected';
  decisionReason: string | null;
  decidedAt: Date | null;
  draftId: string | null;
  createdAt: Date;
  version: number;
}

function proposalQuery(db: Db) {
  return db
    .selectFrom('taxonomy_proposals as p')
    .innerJoin(identity.organisationDirectory().as('o'), 'o.id', 'p.organisation_id')
    .leftJoin(identity.userDirectory().as('u'), 'u.id', 'p.proposed_by')
    .select([
      'p.id', 'p.organisation_id', 'o.name as organisation_name', 'p.proposed_by', 'u.name as proposer_name', 'p.operations', 'p.rationale', 'p.status', 'p.decision_reason',
      'p.decided_at', 'p.draft_id', 'p.created_at', 'p.version',
    ]);
}

type ProposalRow = Awaited<ReturnType<ReturnType<typeof proposalQuery>['executeTakeFirstOrThrow']>>;

function toProposal(r: ProposalRow): Proposal {
  return {
    id: r.id, organisationId: r.organisation_id, organisationName: r.organisation_name,
    proposedBy: r.proposed_by ? { id: r.proposed_by, name: r.proposer_name ?? '' } : null, operations: r.operations as TaxonomyOperation[], rationale: r.rationale,
    status: r.status as Proposal['status'], decisionReason: r.decision_reason, decidedAt: r.decided_at, draftId: r.draft_id, createdAt: r.created_at, version: r.version,
  };
}

/** Org admins and supervisors of the organisation (and the coordinator) may propose changes for it. */
function canPropose(actor: Actor, organisationId: string): boolean {
  if (canManageOrganisation(actor, organisationId)) return true;
  return hasPermission(actor, 'tickets:write') && actor.grants.some((g) => g.role === 'supervisor' && g.organisationId === organisationId);
}

/** Records a proposal, checked against the open draft (or the current version) so that it can be applied as is. */
export async function createProposal(trx: Trx, actor: Actor, input: { organisationId: string; operations: TaxonomyOperation[]; rationale: string }): Promise<Proposal> {
  if (!canPropose(actor, input.organisationId)) throw errors.proposalForbidden();
  const draftId = await openDraftId(trx);
  const draft = draftId ? await findDraft(trx, draftId) : null;
  const current = (await currentTaxonomy(trx)).document;
  const context = await changeContext(trx, [...(draft?.operations ?? []), ...input.operations]);
  const before = draft ? await evaluateDraft(trx, draft, draft.operations, context) : await evaluate(trx, current, current.version, [], context);
  const next = draft
    ? await evaluateDraft(trx, draft, [...draft.operations, ...input.operations], context)
    : await evaluate(trx, current, current.version, input.operations, context);
  const introduced = newProblems(before, next);
  if (introduced.length > 0) throw changeRejected(introduced, 'proposal');
  const row = await trx
    .insertInto('taxonomy_proposals')
    .values({ organisation_id: input.organisationId, proposed_by: actor.userId, operations: JSON.stringify(input.operations), rationale: input.rationale.trim() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await findProposal(trx, row.id))!;
}

async function findProposal(db: Db, id: string, lock = false): Promise<Proposal | null> {
  if (lock) await db.selectFrom('taxonomy_proposals').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  const r = await proposalQuery(db).where('p.id', '=', id).executeTakeFirst();
  return r ? toProposal(r) : null;
}

/** The coordinator sees every proposal; everyone else those of their own organisations. */
export async function listProposals(db: Db, actor: Actor, status?: Proposal['status']): Promise<Proposal[]> {
  let q = proposalQuery(db);
  if (!canManageNetwork(actor)) {
    const orgs = [...new Set(actor.grants.map((g) => g.organisationId))];
    if (orgs.length === 0) return [];
    q = q.where('p.organisation_id', 'in', orgs);
  }
  if (status) q = q.where('p.status', '=', status);
  return (await q.orderBy('p.created_at', 'desc').limit(200).execute()).map(toProposal);
}

/** Approving puts the proposal's operations into the open draft (validated there) and tells the proposer. */
export async function approveProposal(trx: Trx, actor: Actor, id: string, now: Date): Promise<Proposal> {
  assertCoordinator(actor);
  const proposal = await findProposal(trx, id, true);
  if (!proposal) throw errors.proposalNotFound();
  if (proposal.status !== 'pending') throw errors.proposalNotPending({ status: proposal.status });
  const draftId = await openDraftId(trx);
  if (!draftId) throw errors.noOpenDraft();
  const draft = await lockOpenDraft(trx, draftId, null);
  await appendToDraft(trx, draft, proposal.operations, now);
  await trx
    .updateTable('taxonomy_proposals')
    .set({ status: 'approved', decided_by: actor.userId, decided_at: now, draft_id: draftId, version: proposal.version + 1 })
    .where('id', '=', id)
    .execute();
  await recordEvent(trx, 'taxonomy.proposal_approved', { aggregateId: id, payload: { proposalId: id, proposedBy: proposal.proposedBy?.id ?? null, version: draft.version, rationale: proposal.rationale, actorId: actor.userId } });
  return (await findProposal(trx, id))!;
}

export async function rejectProposal(trx: Trx, actor: Actor, id: string, reason: string, now: Date): Promise<Proposal> {
  assertCoordinator(actor);
  const proposal = await findProposal(trx, id, true);
  if (!proposal) throw errors.proposalNotFound();
  if (proposal.status !== 'pending') throw errors.proposalNotPending({ status: proposal.status });
  await trx
    .updateTable('taxonomy_proposals')
    .set({ status: 'rejected', decision_reason: reason.trim(), decided_by: actor.userId, decided_at: now, version: proposal.version + 1 })
    .where('id', '=', id)
    .execute();
  await recordEvent(trx, 'taxonomy.proposal_rejected', { aggregateId: id, payload: { proposalId: id, proposedBy: proposal.proposedBy?.id ?? null, reason: reason.trim(), actorId: actor.userId } });
  return (await findProposal(trx, id))!;
}

// ------------------------------------------------------------------ local nodes

const memberOf = (actor: Actor, organisationId: string) => actor.grants.some((g) => g.organisationId === organisationId);

/** Local nodes of the given organisation (its members and the coordinator), or of the caller's organisations. */
export async function localNodesFor(db: Db, actor: Actor, organisationId?: string): Promise<LocalNode[]> {
  if (organisationId) {
    if (!memberOf(actor, organisationId) && !canManageNetwork(actor)) throw errors.localNodeForbidden();
    return listLocalNodes(db, [organisationId]);
  }
  return listLocalNodes(db, [...new Set(actor.grants.map((g) => g.organisationId))]);
}

export async function createLocalNode(
  trx: Trx,
  actor: Actor,
  input: { organisationId: string; facet: string; parentCode: string; localCode: string; label: LocalisedText; description?: LocalisedText },
): Promise<LocalNode> {
  if (!canManageOrganisation(actor, input.organisationId)) throw errors.localNodeForbidden();
  const org = await identity.findOrganisation(trx, input.organisationId);
  if (!org) throw errors.localNodeForbidden();
  const tax = await currentTaxonomy(trx);
  const parent = tax.nodes.get(`${input.facet}:${input.parentCode}`);
  if (!parent || parent.deprecated) throw errors.localParentInvalid({ parentCode: input.parentCode, version: tax.document.version });
  const code = localCode(input.parentCode, org.slug, input.localCode);
  const draftId = await openDraftId(trx);
  const draftDoc = draftId ? (await evaluateDraft(trx, (await findDraft(trx, draftId))!)).document : null;
  const taken =
    [...tax.nodes.values()].some((n) => n.code === code) ||
    (draftDoc !== null && findNodeAnyFacet(draftDoc, code)) ||
    (await trx.selectFrom('taxonomy_local_nodes').select('id').where('code', '=', code).executeTakeFirst()) !== undefined;
  if (taken) throw errors.localCodeTaken({ code });
  const row = await trx
    .insertInto('taxonomy_local_nodes')
    .values({
      organisation_id: input.organisationId, facet: input.facet, code, parent_code: input.parentCode, network_version: tax.document.version,
      label: JSON.stringify(input.label), description: input.description ? JSON.stringify(input.description) : null, created_by: actor.userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch((err: unknown) => {
      throw isUniqueViolation(err, 'taxonomy_local_nodes_code') ? errors.localCodeTaken({ code }) : err;
    });
  return toLocalNode(row);
}

function findNodeAnyFacet(doc: TaxonomyDocument, code: string): boolean {
  return doc.facets.some((f) => findNode(doc, f.code, code) !== null);
}

async function manageableLocalNode(trx: Trx, actor: Actor, id: string): Promise<LocalNode> {
  const row = await trx.selectFrom('taxonomy_local_nodes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  // Another organisation's node does not exist for the caller.
  if (!row || !canManageOrganisation(actor, row.organisation_id)) throw errors.localNodeNotFound();
  return toLocalNode(row);
}

/** Relabels a local node or hangs it under another network node (how an orphaned node is fixed). */
export async function updateLocalNode(
  trx: Trx,
  actor: Actor,
  id: string,
  input: { label?: LocalisedText; description?: LocalisedText | null; parentCode?: string },
  expectedVersion: number | null,
  now: Date,
): Promise<LocalNode> {
  const node = await manageableLocalNode(trx, actor, id);
  checkVersion(expectedVersion, node.version);
  const update: Updateable<TaxonomyLocalNodesTable> = { updated_at: now, version: node.version + 1 };
  if (input.label) update.label = JSON.stringify(input.label);
  if (input.description !== undefined) update.description = input.description ? JSON.stringify(input.description) : null;
  if (input.parentCode !== undefined) {
    const tax = await currentTaxonomy(trx);
    const parent = tax.nodes.get(`${node.facet}:${input.parentCode}`);
    if (!parent || parent.deprecated) throw errors.localParentInvalid({ parentCode: input.parentCode, version: tax.document.version });
    Object.assign(update, { parent_code: input.parentCode, network_version: tax.document.version, status: 'active', status_note: null });
  }
  const row = await trx.updateTable('taxonomy_local_nodes').set(update).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  return toLocalNode(row);
}

/** Retires a local node: kept for the tickets that use it, no longer selectable. */
export async function retireLocalNode(trx: Trx, actor: Actor, id: string, now: Date): Promise<LocalNode> {
  const node = await manageableLocalNode(trx, actor, id);
  const row = await trx
    .updateTable('taxonomy_local_nodes')
    .set({ status: 'retired', updated_at: now, version: node.version + 1 })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toLocalNode(row);
}
