import { expressionBuilder } from 'kysely';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { type Role, TICKET_ROLES } from '../../platform/actor.js';
import type { Trx } from '../../platform/http.js';

type Db = Database | Trx;

/** Builds the views below as subqueries, with no database of their own: they run inside the caller's query. */
const views = expressionBuilder<DB, never>();

/*
 * What other modules may read of identity's tables. The views below are subqueries to join
 * (`.innerJoin(officeDirectory().as('f'), 'f.id', 't.office_id')`, or `${officeDirectory()}` in
 * a sql`…` template): names and structure only, never credentials or a user's e-mail. PostgreSQL
 * pulls such subqueries up into the outer query, so the join costs what a join to the table costs.
 * Role questions are answered by the functions further down. Nobody else names these tables
 * (test/module-boundaries.test.ts).
 */

/** Bodies of the network, as public registers list them (IPA, ISTAT codes). */
export const organisationDirectory = () =>
  views.selectFrom('organisations').select(['id', 'slug', 'name', 'type', 'ipa_code', 'istat_code', 'region_istat', 'parent_id', 'active']);

/** Offices with their public contacts, channels, territory and opening calendar (raw JSON: see `parseCalendar`). */
export const officeDirectory = () =>
  views.selectFrom('offices').select(['id', 'organisation_id', 'slug', 'name', 'kind', 'email', 'pec', 'phone', 'address', 'channels', 'calendar', 'territory', 'active']);

/** Users as others show them: id, display name, active. */
export const userDirectory = () => views.selectFrom('users').select(['id', 'name', 'active']);

/** Grants of a ticket role held by active users. */
const ticketWorkerGrants = (db: Db) =>
  db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', (j) => j.onRef('u.id', '=', 'g.user_id').on('u.active', '=', true))
    .where('g.role', 'in', TICKET_ROLES);

/** The active users who work these offices' tickets (a ticket role on one of them or on its whole organisation). */
export async function officeWorkerIds(db: Db, officeIds: readonly string[]): Promise<string[]> {
  if (officeIds.length === 0) return [];
  const rows = await ticketWorkerGrants(db)
    .innerJoin('offices as f', 'f.organisation_id', 'g.organisation_id')
    .where('f.id', 'in', officeIds)
    .where((eb) => eb.or([eb('g.office_id', '=', eb.ref('f.id')), eb('g.office_id', 'is', null)]))
    .select('g.user_id')
    .distinct()
    .execute();
  return rows.map((r) => r.user_id);
}

/** Which of these offices the user works in (a ticket role on the office or on its whole organisation). */
export async function workerOfficeIds(db: Db, userId: string, offices: readonly { officeId: string; organisationId: string }[]): Promise<string[]> {
  const grants = await ticketWorkerGrants(db).where('g.user_id', '=', userId).select(['g.organisation_id', 'g.office_id']).execute();
  return offices.filter((o) => grants.some((g) => g.organisation_id === o.organisationId && (g.office_id === null || g.office_id === o.officeId))).map((o) => o.officeId);
}

/** Whether the user holds a ticket role on this office (directly or organisation-wide). */
export async function isTicketWorker(db: Db, userId: string, office: { id: string; organisationId: string }): Promise<boolean> {
  const row = await ticketWorkerGrants(db)
    .select('g.id')
    .where('g.user_id', '=', userId)
    .where('g.organisation_id', '=', office.organisationId)
    .where((eb) => eb.or([eb('g.office_id', '=', office.id), eb('g.office_id', 'is', null)]))
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether an active user holds any role in the organisation, or `role` network-wide when `organisationId` is null. */
export async function holdsRoleIn(db: Db, userId: string, organisationId: string | null, networkRole: Role = 'network_coordinator'): Promise<boolean> {
  let q = db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select('g.user_id')
    .where('g.user_id', '=', userId)
    .where('u.active', '=', true);
  q = organisationId === null ? q.where('g.role', '=', networkRole) : q.where('g.organisation_id', '=', organisationId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** The active users holding one of `roles` (in one organisation, or in any), by id. */
/** The active people holding any role in an organisation, by name: whom its work may be given to. */
export async function peopleOfOrganisation(db: Db, organisationId: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('users as u')
    .select(['u.id', 'u.name'])
    .where('u.active', '=', true)
    .where((eb) => eb.exists(eb.selectFrom('role_grants as g').select('g.user_id').whereRef('g.user_id', '=', 'u.id').where('g.organisation_id', '=', organisationId)))
    .orderBy('u.name')
    .orderBy('u.id')
    .execute();
}

export async function activeUsersWithRole(db: Db, roles: Role | readonly Role[], organisationId?: string): Promise<string[]> {
  let q = db
    .selectFrom('role_grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select('g.user_id')
    .distinct()
    .where('g.role', 'in', typeof roles === 'string' ? [roles] : roles)
    .where('u.active', '=', true);
  if (organisationId) q = q.where('g.organisation_id', '=', organisationId);
  return (await q.execute()).map((r) => r.user_id);
}
