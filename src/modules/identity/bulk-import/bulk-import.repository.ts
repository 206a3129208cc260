/**
 * Set-based reads and writes of bulk onboarding: every lookup is one query over the whole file's
 * keys (`= any($1)`), every write a batched multi-row statement, so that a national network (8,000
 * bodies, 10,000 offices, 30,000 people) goes in with a few dozen round trips, not one per row.
 */
import { sql } from 'kysely';
import type { Database } from '../../../db/database.js';
import type { Role } from '../../../platform/actor.js';
import type { Trx } from '../../../platform/http.js';
import type { OfficeCalendar } from '../office-calendar.js';

type Db = Database | Trx;

/** Rows per statement: PostgreSQL takes at most 65,535 parameters, and smaller batches stream better. */
const BATCH = 1000;

function batches<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const anyOf = (column: string, values: readonly string[], type = 'text') => sql<boolean>`${sql.ref(column)} = any(${sql.val(values)}::${sql.raw(type)}[])`;

/**
 * Serialises writing imports of one kind across every instance (a transaction-scoped advisory
 * lock); false when another import of that kind holds it.
 */
export async function tryLockImport(trx: Trx, kind: string): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext('urpnet.bulk-import'), hashtext(${kind})) as locked`.execute(trx);
  return rows[0]?.locked === true;
}

// ------------------------------------------------------------------------------ organisations

export interface StoredOrganisation {
  id: string;
  ipaCode: string;
  slug: string;
  name: string;
  type: string;
  istatCode: string | null;
  regionIstat: string | null;
  taxCode: string | null;
  email: string | null;
  pec: string | null;
}

export async function organisationsByIpa(db: Db, codes: readonly string[]): Promise<Map<string, StoredOrganisation>> {
  const out = new Map<string, StoredOrganisation>();
  if (codes.length === 0) return out;
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'ipa_code', 'slug', 'name', 'type', 'istat_code', 'region_istat', 'tax_code', 'email', 'pec'])
    .where(anyOf('ipa_code', codes))
    .execute();
  for (const r of rows) {
    out.set(r.ipa_code, { id: r.id, ipaCode: r.ipa_code, slug: r.slug, name: r.name, type: r.type, istatCode: r.istat_code, regionIstat: r.region_istat, taxCode: r.tax_code, email: r.email, pec: r.pec });
  }
  return out;
}

export async function organisationNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('organisations').select(['id', 'name']).where(anyOf('id', ids, 'uuid')).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Slugs already taken among `candidates`, and (for the rare name whose candidates are all taken) those starting with `prefix-`. */
export async function takenOrganisationSlugs(db: Db, candidates: readonly string[], prefix?: string): Promise<Set<string>> {
  if (candidates.length === 0 && prefix === undefined) return new Set();
  const rows = await db
    .selectFrom('organisations')
    .select('slug')
    .where((eb) => eb.or([anyOf('slug', candidates), ...(prefix === undefined ? [] : [eb('slug', 'like', `${prefix}-%`)])]))
    .execute();
  return new Set(rows.map((r) => r.slug));
}

export type OrganisationWrite = Omit<StoredOrganisation, 'id'>;

/** Inserts new bodies and updates changed ones (by IPA code); the slug of an existing body never changes. */
export async function upsertOrganisations(trx: Trx, rows: readonly OrganisationWrite[], now: Date): Promise<void> {
  for (const batch of batches(rows)) {
    await trx
      .insertInto('organisations')
      .values(batch.map((o) => ({ slug: o.slug, name: o.name, type: o.type, ipa_code: o.ipaCode, istat_code: o.istatCode, region_istat: o.regionIstat, tax_code: o.taxCode, email: o.email, pec: o.pec })))
      .onConflict((oc) =>
        oc.column('ipa_code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'), type: eb.ref('excluded.type'), istat_code: eb.ref('excluded.istat_code'), region_istat: eb.ref('excluded.region_istat'),
          tax_code: eb.ref('excluded.tax_code'), email: eb.ref('excluded.email'), pec: eb.ref('excluded.pec'),
          version: sql`organisations.version + 1`, updated_at: now,
        })),
      )
      .execute();
  }
}

// ------------------------------------------------------------------------------ offices

export interface StoredOffice {
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
  calendar: unknown;
}

export async function officesBySlug(db: Db, slugs: readonly string[]): Promise<Map<string, StoredOffice>> {
  const out = new Map<string, StoredOffice>();
  if (slugs.length === 0) return out;
  const rows = await db
    .selectFrom('offices')
    .select(['id', 'organisation_id', 'slug', 'name', 'kind', 'email', 'pec', 'phone', 'address', 'channels', 'calendar'])
    .where(anyOf('slug', slugs))
    .execute();
  for (const r of rows) {
    out.set(r.slug, { id: r.id, organisationId: r.organisation_id, slug: r.slug, name: r.name, kind: r.kind, email: r.email, pec: r.pec, phone: r.phone, address: r.address, channels: r.channels, calendar: r.calendar });
  }
  return out;
}

export interface OfficeWrite {
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
}

/** Inserts new offices and updates changed ones (by code, only within the organisation that owns it). */
export async function upsertOffices(trx: Trx, rows: readonly OfficeWrite[], now: Date): Promise<void> {
  for (const batch of batches(rows)) {
    await trx
      .insertInto('offices')
      .values(
        batch.map((o) => ({
          organisation_id: o.organisationId, slug: o.slug, name: o.name, kind: o.kind, email: o.email, pec: o.pec, phone: o.phone, address: o.address,
          channels: JSON.stringify(o.channels), calendar: JSON.stringify(o.calendar), territory: '[]',
        })),
      )
      .onConflict((oc) =>
        oc
          .column('slug')
          .doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'), kind: eb.ref('excluded.kind'), email: eb.ref('excluded.email'), pec: eb.ref('excluded.pec'), phone: eb.ref('excluded.phone'),
            address: eb.ref('excluded.address'), channels: eb.ref('excluded.channels'), calendar: eb.ref('excluded.calendar'), version: sql`offices.version + 1`, updated_at: now,
          }))
          .whereRef('offices.organisation_id', '=', 'excluded.organisation_id'),
      )
      .execute();
  }
}

// ------------------------------------------------------------------------------ people

export interface StoredUser {
  id: string;
  email: string;
  name: string;
  locale: string;
  homeOrganisationId: string | null;
}

/** Accounts by e-mail, case-insensitively (keys in lower case), through the unique index on lower(email). */
export async function usersByEmail(db: Db, keys: readonly string[]): Promise<Map<string, StoredUser>> {
  const out = new Map<string, StoredUser>();
  if (keys.length === 0) return out;
  const rows = await db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'locale', 'home_organisation_id'])
    .where(sql<boolean>`lower(email) = any(${sql.val(keys)}::text[])`)
    .execute();
  for (const r of rows) out.set(r.email.toLowerCase(), { id: r.id, email: r.email, name: r.name, locale: r.locale, homeOrganisationId: r.home_organisation_id });
  return out;
}

/** `user|organisation` of every membership of the accounts. */
export async function membershipsOf(db: Db, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db.selectFrom('organisation_members').select(['user_id', 'organisation_id']).where(anyOf('user_id', userIds, 'uuid')).execute();
  return new Set(rows.map((r) => `${r.user_id}|${r.organisation_id}`));
}

export const grantKey = (userId: string, role: string, organisationId: string, officeId: string | null) => `${userId}|${role}|${organisationId}|${officeId ?? ''}`;

/** Every role of the accounts, as `grantKey`s. */
export async function grantsOf(db: Db, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db.selectFrom('role_grants').select(['user_id', 'role', 'organisation_id', 'office_id']).where(anyOf('user_id', userIds, 'uuid')).execute();
  return new Set(rows.map((r) => grantKey(r.user_id, r.role, r.organisation_id, r.office_id)));
}

/** `organisation|email` (lower case) → the role and office of each pending invitation to the addresses. */
export async function pendingInvitationsOf(db: Db, keys: readonly string[]): Promise<Map<string, { role: string; officeId: string | null }>> {
  const out = new Map<string, { role: string; officeId: string | null }>();
  if (keys.length === 0) return out;
  const rows = await db
    .selectFrom('organisation_invitations')
    .select(['organisation_id', 'email', 'role', 'office_id'])
    .where('status', '=', 'pending')
    .where(sql<boolean>`lower(email) = any(${sql.val(keys)}::text[])`)
    .execute();
  for (const r of rows) out.set(`${r.organisation_id}|${r.email.toLowerCase()}`, { role: r.role, officeId: r.office_id });
  return out;
}

export interface NewAccount {
  email: string;
  name: string;
  locale: string;
  homeOrganisationId: string;
}

/** Creates accounts without a password, each a member of its home organisation; returns their ids by lower-case e-mail. */
export async function insertAccounts(trx: Trx, accounts: readonly NewAccount[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const batch of batches(accounts)) {
    const rows = await trx
      .insertInto('users')
      .values(batch.map((a) => ({ email: a.email, name: a.name, locale: a.locale, password_hash: null, home_organisation_id: a.homeOrganisationId })))
      .returning(['id', 'email', 'home_organisation_id'])
      .execute();
    await trx
      .insertInto('organisation_members')
      .values(rows.map((r) => ({ user_id: r.id, organisation_id: r.home_organisation_id!, joined_via: 'created' })))
      .onConflict((oc) => oc.columns(['user_id', 'organisation_id']).doNothing())
      .execute();
    for (const r of rows) ids.set(r.email.toLowerCase(), r.id);
  }
  return ids;
}

export async function updateAccounts(trx: Trx, changes: readonly { id: string; name: string; locale: string }[], now: Date): Promise<void> {
  for (const batch of batches(changes)) {
    await sql`
      update users u set name = v.name, locale = v.locale, updated_at = ${now}
      from (select unnest(${sql.val(batch.map((c) => c.id))}::uuid[]) as id, unnest(${sql.val(batch.map((c) => c.name))}::text[]) as name,
                   unnest(${sql.val(batch.map((c) => c.locale))}::text[]) as locale) v
      where u.id = v.id`.execute(trx);
  }
}

export interface NewGrant {
  userId: string;
  role: Role;
  organisationId: string;
  officeId: string | null;
  createdBy: string | null;
}

export async function insertGrants(trx: Trx, grants: readonly NewGrant[]): Promise<void> {
  for (const batch of batches(grants)) {
    await trx
      .insertInto('role_grants')
      .values(batch.map((g) => ({ user_id: g.userId, role: g.role, organisation_id: g.organisationId, office_id: g.officeId, created_by: g.createdBy })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

export interface NewInvitation {
  organisationId: string;
  email: string;
  role: Role;
  officeId: string | null;
  invitedBy: string | null;
}

export async function insertInvitations(trx: Trx, invitations: readonly NewInvitation[]): Promise<void> {
  for (const batch of batches(invitations)) {
    await trx
      .insertInto('organisation_invitations')
      .values(batch.map((i) => ({ organisation_id: i.organisationId, email: i.email, role: i.role, office_id: i.officeId, invited_by: i.invitedBy })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
