import type { Role, RoleGrant } from '../../platform/actor.js';
import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';
import { DEFAULT_TIME_ZONE, type OfficeCalendar, validateCalendar } from './office-calendar.js';

type Db = Database | Trx;

/** Calendars are validated before they are written; a row that somehow fails validation reads as 'always closed'. */
export function parseCalendar(raw: unknown): OfficeCalendar {
  const result = validateCalendar(raw);
  return result.ok ? result.calendar : { timeZone: DEFAULT_TIME_ZONE, weekly: {}, closures: [] };
}

export interface Organisation {
  id: string;
  slug: string;
  name: string;
  type: string;
  ipaCode: string;
  istatCode: string | null;
  taxCode: string | null;
  regionIstat: string | null;
  parentId: string | null;
  active: boolean;
  version: number;
}

export interface Office {
  id: string;
  organisationId: string;
  slug: string;
  name: string;
  kind: string;
  email: string | null;
  pec: string | null;
  phone: string | null;
  address: string | null;
  channels: string[];
  calendar: OfficeCalendar;
  territory: string[];
  active: boolean;
  version: number;
}

export interface User {
  id: string;
  email: string;
  name: string;
  locale: 'it' | 'en';
  active: boolean;
  passwordHash: string | null;
  /** The organisation that created the account (null: created by the system or a coordinator without a role). */
  homeOrganisationId: string | null;
}

function toOrganisation(r: {
  id: string; slug: string; name: string; type: string; ipa_code: string; istat_code: string | null; tax_code: string | null;
  region_istat: string | null; parent_id: string | null; active: boolean; version: number;
}): Organisation {
  return {
    id: r.id, slug: r.slug, name: r.name, type: r.type, ipaCode: r.ipa_code, istatCode: r.istat_code, taxCode: r.tax_code,
    regionIstat: r.region_istat, parentId: r.parent_id, active: r.active, version: r.version,
  };
}

function toOffice(r: {
  id: string; organisation_id: string; slug: string; name: string; kind: string; email: string | null; pec: string | null;
  phone: string | null; address: string | null; channels: string[]; calendar: unknown; territory: string[]; active: boolean; version: number;
}): Office {
  return {
    id: r.id, organisationId: r.organisation_id, slug: r.slug, name: r.name, kind: r.kind, email: r.email, pec: r.pec,
    phone: r.phone, address: r.address, channels: r.channels, calendar: parseCalendar(r.calendar), territory: r.territory,
    active: r.active, version: r.version,
  };
}

export async function listOrganisations(db: Db): Promise<Organisation[]> {
  const rows = await db.selectFrom('organisations').selectAll().orderBy('name').execute();
  return rows.map(toOrganisation);
}

export async function findOrganisation(db: Db, id: string): Promise<Organisation | null> {
  const row = await db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toOrganisation(row) : null;
}

export async function findOrganisationBySlug(db: Db, slug: string): Promise<Organisation | null> {
  const row = await db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toOrganisation(row) : null;
}

export interface NewOrganisation {
  slug: string; name: string; type: string; ipaCode: string; istatCode: string | null; taxCode: string | null;
  regionIstat: string | null; parentId: string | null;
}

export async function insertOrganisation(db: Db, o: NewOrganisation): Promise<Organisation> {
  const row = await db
    .insertInto('organisations')
    .values({ slug: o.slug, name: o.name, type: o.type, ipa_code: o.ipaCode, istat_code: o.istatCode, tax_code: o.taxCode, region_istat: o.regionIstat, parent_id: o.parentId })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toOrganisation(row);
}

export async function updateOrganisation(db: Db, id: string, expectedVersion: number, patch: Partial<Pick<NewOrganisation, 'name' | 'ipaCode' | 'istatCode' | 'taxCode'>> & { active?: boolean }): Promise<Organisation | null> {
  const row = await db
    .updateTable('organisations')
    .set((eb) => ({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.ipaCode !== undefined && { ipa_code: patch.ipaCode }),
      ...(patch.istatCode !== undefined && { istat_code: patch.istatCode }),
      ...(patch.taxCode !== undefined && { tax_code: patch.taxCode }),
      ...(patch.active !== undefined && { active: patch.active }),
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
  return row ? toOrganisation(row) : null;
}

/** Offices of one organisation, of several (an array; none for an empty one), or of the whole network. */
export async function listOffices(db: Db, organisationId?: string | readonly string[]): Promise<Office[]> {
  let q = db.selectFrom('offices').selectAll().orderBy('name');
  if (typeof organisationId === 'string') q = q.where('organisation_id', '=', organisationId);
  else if (organisationId) {
    if (organisationId.length === 0) return [];
    q = q.where('organisation_id', 'in', [...organisationId]);
  }
  return (await q.execute()).map(toOffice);
}

export async function findOffice(db: Db, id: string): Promise<Office | null> {
  const row = await db.selectFrom('offices').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toOffice(row) : null;
}

export interface NewOffice {
  organisationId: string; slug: string; name: string; kind: string; email: string | null; pec: string | null; phone: string | null;
  address: string | null; channels: string[]; calendar: OfficeCalendar; territory: string[];
}

export async function insertOffice(db: Db, o: NewOffice): Promise<Office> {
  const row = await db
    .insertInto('offices')
    .values({
      organisation_id: o.organisationId, slug: o.slug, name: o.name, kind: o.kind, email: o.email, pec: o.pec, phone: o.phone,
      address: o.address, channels: JSON.stringify(o.channels), calendar: JSON.stringify(o.calendar), territory: JSON.stringify(o.territory),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toOffice(row);
}

export type OfficePatch = Partial<Pick<NewOffice, 'name' | 'email' | 'pec' | 'phone' | 'address' | 'channels' | 'calendar' | 'territory'>> & { active?: boolean };

export async function updateOffice(db: Db, id: string, expectedVersion: number, patch: OfficePatch): Promise<Office | null> {
  const row = await db
    .updateTable('offices')
    .set((eb) => ({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.email !== undefined && { email: patch.email }),
      ...(patch.pec !== undefined && { pec: patch.pec }),
      ...(patch.phone !== undefined && { phone: patch.phone }),
      ...(patch.address !== undefined && { address: patch.address }),
      ...(patch.channels !== undefined && { channels: JSON.stringify(patch.channels) }),
      ...(patch.calendar !== undefined && { calendar: JSON.stringify(patch.calendar) }),
      ...(patch.territory !== undefined && { territory: JSON.stringify(patch.territory) }),
      ...(patch.active !== undefined && { active: patch.active }),
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
  return row ? toOffice(row) : null;
}

const USER_COLUMNS = ['id', 'email', 'name', 'locale', 'active', 'password_hash', 'home_organisation_id'] as const;

function toUser(r: { id: string; email: string; name: string; locale: string; active: boolean; password_hash: string | null; home_organisation_id: string | null }): User {
  return {
    id: r.id, email: r.email, name: r.name, locale: r.locale === 'en' ? 'en' : 'it', active: r.active, passwordHash: r.password_hash,
    homeOrganisationId: r.home_organisation_id,
  };
}

export async function findUserByEmail(db: Db, email: string): Promise<User | null> {
  const row = await db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function findUser(db: Db, id: string): Promise<User | null> {
  const row = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : null;
}

/** Inserts an account; with a home organisation, the account is also recorded as a member of it ('created'). */
export async function insertUser(db: Db, u: { email: string; name: string; passwordHash: string | null; locale: string; homeOrganisationId?: string | null }): Promise<User> {
  const row = await db
    .insertInto('users')
    .values({ email: u.email, name: u.name, password_hash: u.passwordHash, locale: u.locale, home_organisation_id: u.homeOrganisationId ?? null })
    .returning(USER_COLUMNS)
    .executeTakeFirstOrThrow();
  const user = toUser(row);
  if (user.homeOrganisationId) await addMember(db, { userId: user.id, organisationId: user.homeOrganisationId, joinedVia: 'created' });
  return user;
}

export async function updateUser(db: Db, id: string, patch: { name?: string; locale?: string; active?: boolean; passwordHash?: string }): Promise<User | null> {
  const row = await db
    .updateTable('users')
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.locale !== undefined && { locale: patch.locale }),
      ...(patch.active !== undefined && { active: patch.active }),
      ...(patch.passwordHash !== undefined && { password_hash: patch.passwordHash }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returning(USER_COLUMNS)
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

export interface GrantWithNames extends RoleGrant {
  organisationName: string;
  officeName: string | null;
}

export async function listGrantsOfUsers(db: Db, userIds: string[]): Promise<Map<string, GrantWithNames[]>> {
  const out = new Map<string, GrantWithNames[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('role_grants as g')
    .innerJoin('organisations as o', 'o.id', 'g.organisation_id')
    .leftJoin('offices as f', 'f.id', 'g.office_id')
    .select(['g.id', 'g.user_id', 'g.role', 'g.organisation_id', 'g.office_id', 'o.name as organisation_name', 'f.name as office_name'])
    .where('g.user_id', 'in', userIds)
    .orderBy('o.name')
    .execute();
  for (const r of rows) {
    const list = out.get(r.user_id) ?? [];
    list.push({ id: r.id, role: r.role as Role, organisationId: r.organisation_id, officeId: r.office_id, organisationName: r.organisation_name, officeName: r.office_name });
    out.set(r.user_id, list);
  }
  return out;
}

/** Users holding any role in the organisation (or in one office of it). */
export async function listUsersOfOrganisation(db: Db, organisationId: string, officeId?: string): Promise<User[]> {
  let q = db
    .selectFrom('users')
    .select(USER_COLUMNS.map((c) => `users.${c}` as const))
    .where((eb) =>
      eb.exists(
        eb.selectFrom('role_grants as g')
          .select('g.id')
          .whereRef('g.user_id', '=', 'users.id')
          .where('g.organisation_id', '=', organisationId)
          .$if(officeId !== undefined, (qb) => qb.where((e) => e.or([e('g.office_id', '=', officeId ?? ''), e('g.office_id', 'is', null)]))),
      ),
    )
    .orderBy('users.name');
  if (officeId === undefined) q = q.limit(1000);
  return (await q.execute()).map(toUser);
}

export async function insertGrant(db: Db, g: { userId: string; role: Role; organisationId: string; officeId: string | null; createdBy: string | null }): Promise<RoleGrant | null> {
  const row = await db
    .insertInto('role_grants')
    .values({ user_id: g.userId, role: g.role, organisation_id: g.organisationId, office_id: g.officeId, created_by: g.createdBy })
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'role', 'organisation_id', 'office_id'])
    .executeTakeFirst();
  return row ? { id: row.id, role: row.role as Role, organisationId: row.organisation_id, officeId: row.office_id } : null;
}

export async function findGrant(db: Db, id: string): Promise<(RoleGrant & { userId: string }) | null> {
  const row = await db.selectFrom('role_grants').select(['id', 'user_id', 'role', 'organisation_id', 'office_id']).where('id', '=', id).executeTakeFirst();
  return row ? { id: row.id, userId: row.user_id, role: row.role as Role, organisationId: row.organisation_id, officeId: row.office_id } : null;
}

export async function deleteGrant(db: Db, id: string): Promise<void> {
  await db.deleteFrom('role_grants').where('id', '=', id).execute();
}

/** Sets the home organisation of an account that has none yet (the first organisation the system gives it a role in). */
export async function adoptHomelessUser(db: Db, userId: string, organisationId: string): Promise<void> {
  await db.updateTable('users').set({ home_organisation_id: organisationId }).where('id', '=', userId).where('home_organisation_id', 'is', null).execute();
}

export type JoinedVia = 'created' | 'invitation' | 'coordinator';

/** Records that the user belongs to the organisation (no-op when already a member). */
export async function addMember(db: Db, m: { userId: string; organisationId: string; joinedVia: JoinedVia; invitationId?: string | null }): Promise<void> {
  await db
    .insertInto('organisation_members')
    .values({ user_id: m.userId, organisation_id: m.organisationId, joined_via: m.joinedVia, invitation_id: m.invitationId ?? null })
    .onConflict((oc) => oc.columns(['user_id', 'organisation_id']).doNothing())
    .execute();
}

export async function isMember(db: Db, userId: string, organisationId: string): Promise<boolean> {
  const row = await db.selectFrom('organisation_members').select('user_id').where('user_id', '=', userId).where('organisation_id', '=', organisationId).executeTakeFirst();
  return row !== undefined;
}

/** Organisations the user is a member of. */
export async function memberOrganisationIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('organisation_members').select('organisation_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.organisation_id);
}

/** Members of the organisation (created there, invited, or added by a coordinator), for its administrators. */
export async function listMembersOfOrganisation(db: Db, organisationId: string): Promise<User[]> {
  const rows = await db
    .selectFrom('users')
    .select(USER_COLUMNS.map((c) => `users.${c}` as const))
    .where((eb) =>
      eb.exists(eb.selectFrom('organisation_members as m').select('m.user_id').whereRef('m.user_id', '=', 'users.id').where('m.organisation_id', '=', organisationId)),
    )
    .orderBy('users.name')
    .limit(1000)
    .execute();
  return rows.map(toUser);
}
