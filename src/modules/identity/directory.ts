import type { Database } from '../../db/database.js';
import { type Role, TICKET_ROLES } from '../../platform/actor.js';
import type { Trx } from '../../platform/http.js';

type Db = Database | Trx;

/*
 * What other modules may read of identity's tables. The views below are subqueries to join
 * (`.innerJoin(officeDirectory(db).as('f'), 'f.id', 't.office_id')`, or `${officeDirectory(db)}` in
 * a sql`…` template): names and structure only, never credentials or a user's e-mail. PostgreSQL
 * pulls such subqueries up into the outer query, so the join costs what a join to the table costs.
 * Role questions are answered by the functions further down. Nobody else names these tables
 * (test/module-boundaries.test.ts).
 */

/** Bodies of the network: id, name, slug, type. */
export const organisationDirectory = (db: Db) => db.selectFrom('organisations').select(['id', 'name', 'slug', 'type', 'active']);

/** Offices: id, organisation, name, public contact e-mail, opening calendar (raw JSON, see `parseCalendar`), active. */
export const officeDirectory = (db: Db) => db.selectFrom('offices').select(['id', 'organisation_id', 'name', 'email', 'calendar', 'active']);

/** Users as others show them: id, display name, active. */
export const userDirectory = (db: Db) => db.selectFrom('users').select(['id', 'name', 'active']);

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
