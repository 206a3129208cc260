import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import * as identity from '../identity/index.js';

type Db = Database | Trx;

export interface Agreement {
  id: string;
  fromOrganisationId: string;
  fromOrganisationName: string;
  toOrganisationId: string;
  toOrganisationName: string;
  kinds: string[];
  topics: string[];
  autoAccept: boolean;
  status: 'proposed' | 'active' | 'rejected' | 'revoked';
  note: string | null;
  proposedAt: Date;
  decidedAt: Date | null;
  /** Overflow terms when `kinds` includes `overflow` (routing, issue 12). */
  overflow: AgreementOverflow | null;
}

/** How a body's waiting contacts overflow to the partner's offices. */
export interface AgreementOverflow {
  /** Seconds a contact waits at its own office before the partner may take it. */
  afterSeconds: number;
  /** At most this many of the body's contacts at the partner at once (null: no cap). */
  cap: number | null;
  /** When the route opens: own office closed, queue over its limit, wait over its limit. */
  when: ('closed' | 'queue' | 'wait')[];
}

/** Default overflow terms: after 60 s of waiting or when the office is closed, at most 10 contacts at once. */
export const DEFAULT_OVERFLOW: AgreementOverflow = { afterSeconds: 60, cap: 10, when: ['wait', 'closed'] };

function agreementQuery(db: Db) {
  return db
    .selectFrom('network_agreements as a')
    .innerJoin(identity.organisationDirectory().as('f'), 'f.id', 'a.from_organisation_id')
    .innerJoin(identity.organisationDirectory().as('t'), 't.id', 'a.to_organisation_id')
    .select([
      'a.id', 'a.from_organisation_id', 'f.name as from_name', 'a.to_organisation_id', 't.name as to_name', 'a.kinds', 'a.topics', 'a.auto_accept', 'a.status',
      'a.note', 'a.proposed_at', 'a.decided_at', 'a.overflow',
    ]);
}

type AgreementRow = Awaited<ReturnType<ReturnType<typeof agreementQuery>['executeTakeFirstOrThrow']>>;

function toAgreement(r: AgreementRow): Agreement {
  return {
    id: r.id, fromOrganisationId: r.from_organisation_id, fromOrganisationName: r.from_name, toOrganisationId: r.to_organisation_id, toOrganisationName: r.to_name,
    kinds: r.kinds, topics: r.topics, autoAccept: r.auto_accept, status: r.status as Agreement['status'], note: r.note, proposedAt: r.proposed_at, decidedAt: r.decided_at,
    overflow: r.kinds.includes('overflow') ? (r.overflow ?? DEFAULT_OVERFLOW) : null,
  };
}

export async function findAgreement(db: Db, id: string): Promise<Agreement | null> {
  const row = await agreementQuery(db).where('a.id', '=', id).executeTakeFirst();
  return row ? toAgreement(row) : null;
}

export async function listAgreements(db: Db, organisationIds: readonly string[]): Promise<Agreement[]> {
  if (organisationIds.length === 0) return [];
  const rows = await agreementQuery(db)
    .where((eb) => eb.or([eb('a.from_organisation_id', 'in', organisationIds), eb('a.to_organisation_id', 'in', organisationIds)]))
    .orderBy('a.proposed_at', 'desc')
    .execute();
  return rows.map(toAgreement);
}

/** The active agreement from one body to another covering a kind of hand-over and a topic, if any. */
export async function findCoveringAgreement(db: Db, fromOrganisationId: string, toOrganisationId: string, kind: string, topic: string | null): Promise<Agreement | null> {
  const rows = await agreementQuery(db)
    .where('a.from_organisation_id', '=', fromOrganisationId)
    .where('a.to_organisation_id', '=', toOrganisationId)
    .where('a.status', '=', 'active')
    .execute();
  return (
    rows.map(toAgreement).find(
      (a) => a.kinds.includes(kind) && (a.topics.length === 0 || (topic !== null && a.topics.some((t) => topic === t || topic.startsWith(`${t}.`)))),
    ) ?? null
  );
}

/** Active agreements of kind `overflow` of the whole network (the routing module's overflow routes). */
export async function activeOverflowAgreements(db: Db): Promise<Agreement[]> {
  const rows = await agreementQuery(db).where('a.status', '=', 'active').where(sql<boolean>`a.kinds ? 'overflow'`).execute();
  return rows.map(toAgreement);
}

export async function insertAgreement(trx: Trx, a: { from: string; to: string; kinds: string[]; topics: string[]; autoAccept: boolean; note: string | null; overflow: AgreementOverflow | null; by: string; now: Date }): Promise<string> {
  const row = await trx
    .insertInto('network_agreements')
    .values({
      from_organisation_id: a.from, to_organisation_id: a.to, kinds: JSON.stringify(a.kinds), topics: JSON.stringify(a.topics), auto_accept: a.autoAccept,
      overflow: a.overflow ? JSON.stringify(a.overflow) : null,
      status: 'proposed', note: a.note, proposed_by: a.by, proposed_at: a.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function transitionAgreement(trx: Trx, id: string, from: readonly Agreement['status'][], to: Agreement['status'], by: string, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('network_agreements')
    .set((eb) => ({ status: to, decided_by: by, decided_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface Competence {
  officeId: string;
  topic: string;
  territory: string[];
}

export async function listCompetences(db: Db, officeId?: string): Promise<Competence[]> {
  let q = db.selectFrom('office_competences').select(['office_id', 'topic', 'territory']);
  if (officeId) q = q.where('office_id', '=', officeId);
  return (await q.execute()).map((r) => ({ officeId: r.office_id, topic: r.topic, territory: r.territory }));
}

export async function replaceCompetences(trx: Trx, officeId: string, competences: { topic: string; territory: string[] }[]): Promise<void> {
  await trx.deleteFrom('office_competences').where('office_id', '=', officeId).execute();
  if (competences.length === 0) return;
  await trx
    .insertInto('office_competences')
    .values(competences.map((c) => ({ office_id: officeId, topic: c.topic, territory: JSON.stringify(c.territory) })))
    .execute();
}


/** Competences of these offices (one query over all of them). */
export async function listCompetencesOf(db: Db, officeIds: readonly string[]): Promise<Competence[]> {
  if (officeIds.length === 0) return [];
  const rows = await db.selectFrom('office_competences').select(['office_id', 'topic', 'territory']).where(sql<boolean>`office_id = any(${sql.val(officeIds)}::uuid[])`).execute();
  return rows.map((r) => ({ officeId: r.office_id, topic: r.topic, territory: r.territory }));
}

/** Rows per insert: PostgreSQL takes at most 65,535 parameters. */
const INSERT_BATCH = 1000;

/** Replaces the competences of several offices at once (a matrix import): one delete, batched inserts. */
export async function replaceCompetencesOf(trx: Trx, byOffice: ReadonlyMap<string, readonly { topic: string; territory: readonly string[] }[]>): Promise<void> {
  const officeIds = [...byOffice.keys()];
  if (officeIds.length === 0) return;
  await trx.deleteFrom('office_competences').where(sql<boolean>`office_id = any(${sql.val(officeIds)}::uuid[])`).execute();
  const values = [...byOffice].flatMap(([officeId, list]) => list.map((c) => ({ office_id: officeId, topic: c.topic, territory: JSON.stringify(c.territory) })));
  for (let i = 0; i < values.length; i += INSERT_BATCH) await trx.insertInto('office_competences').values(values.slice(i, i + INSERT_BATCH)).execute();
}

/** How many times the competences changed (bumped by a trigger on every write, migration 0032). */
export async function competenceRevision(db: Db): Promise<string> {
  const row = await db.selectFrom('competence_revision').select('revision').where('id', '=', 1).executeTakeFirst();
  return String(row?.revision ?? '0');
}

/**
 * Serialises matrix imports across every instance (a transaction-scoped advisory lock): a second
 * import waits for the first to commit, then plans against what it wrote.
 */
export async function lockCompetenceImport(trx: Trx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('urpnet.competence-import'))`.execute(trx);
}

/** An office as the directory and the coverage report rank and show it. */
export interface CompetentOffice {
  id: string;
  name: string;
  kind: string;
  organisationId: string;
  organisationName: string;
  organisationType: string;
}

/** The active offices among these, with their body (one query, through identity's read views). */
export async function activeOffices(db: Db, officeIds: readonly string[]): Promise<Map<string, CompetentOffice>> {
  if (officeIds.length === 0) return new Map();
  const rows = await db
    .selectFrom(identity.officeDirectory().as('f'))
    .innerJoin(identity.organisationDirectory().as('o'), 'o.id', 'f.organisation_id')
    .select(['f.id', 'f.name', 'f.kind', 'f.organisation_id', 'o.name as organisation_name', 'o.type as organisation_type'])
    .where(sql<boolean>`f.id = any(${sql.val(officeIds)}::uuid[])`)
    .where('f.active', '=', true)
    .execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, kind: r.kind, organisationId: r.organisation_id, organisationName: r.organisation_name, organisationType: r.organisation_type }]));
}

/** Bodies by IPA code, and their offices by code (a matrix names them so). */
export async function officesByCode(db: Db, ipaCodes: readonly string[], officeCodes: readonly string[]) {
  const organisations = ipaCodes.length === 0 ? [] : await db
    .selectFrom(identity.organisationDirectory().as('o'))
    .select(['o.id', 'o.ipa_code', 'o.name'])
    .where(sql<boolean>`o.ipa_code = any(${sql.val(ipaCodes)}::text[])`)
    .execute();
  const offices = officeCodes.length === 0 ? [] : await db
    .selectFrom(identity.officeDirectory().as('f'))
    .select(['f.id', 'f.slug', 'f.name', 'f.organisation_id', 'f.active'])
    .where(sql<boolean>`f.slug = any(${sql.val(officeCodes)}::text[])`)
    .execute();
  return {
    organisations: new Map(organisations.map((o) => [o.ipa_code, { id: o.id, name: o.name }])),
    offices: new Map(offices.map((f) => [f.slug, { id: f.id, name: f.name, organisationId: f.organisation_id, active: f.active }])),
  };
}
