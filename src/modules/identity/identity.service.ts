import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import type { Actor, Role, TokenScope } from '../../platform/actor.js';
import { digestSecret, hashPassword, randomToken, verifyPassword } from '../../platform/auth.js';
import { isUniqueViolation } from '../../platform/errors.js';
import type { Trx } from '../../platform/http.js';
import { canManageNetwork, canManageOffice, canManageOrganisation } from '../../platform/policy.js';
import { identityErrors as errors } from './identity.errors.js';
import * as repo from './identity.repository.js';
import { loginSucceeded, reserveLoginAttempt } from './login-throttle.js';
import { type OfficeCalendar, validateCalendar } from './office-calendar.js';

/** Shorter passwords are refused (user.weak_password). */
const MIN_PASSWORD_LENGTH = 10;

/** A constant hash to verify against when the account does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | null = null;

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
  user: repo.User;
}

/**
 * Verifies credentials. Each attempt first takes a unit from the account's and the client address's
 * failure budgets (`login-throttle.ts`), so neither rotating addresses nor parallel guesses get more
 * password checks than the budgets allow.
 */
export async function login(
  db: Database,
  secret: string,
  input: { email: string; password: string; ip: string; userAgent: string | null; ttlHours: number },
): Promise<LoginResult> {
  const reservation = await reserveLoginAttempt(db, input.email, input.ip);
  if (!reservation.allowed) throw errors.loginThrottled({ retryAfterSeconds: reservation.retryAfterSeconds });
  const user = await repo.findUserByEmail(db, input.email);
  dummyHash ??= hashPassword('urpnet-dummy-password');
  let ok = false;
  if (user?.passwordHash) ok = await verifyPassword(user.passwordHash, input.password);
  else await verifyPassword(await dummyHash, input.password); // same work as a real check, result ignored
  if (!user || !ok || !user.active) throw errors.invalidCredentials();
  await loginSucceeded(db, reservation.attempt);
  const sessionToken = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = new Date(Date.now() + input.ttlHours * 3600_000);
  await db
    .insertInto('sessions')
    .values({ id: digestSecret(secret, sessionToken), user_id: user.id, csrf_token: csrfToken, expires_at: expiresAt, ip: input.ip, user_agent: input.userAgent?.slice(0, 300) ?? null })
    .execute();
  await db.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', user.id).execute();
  return { sessionToken, csrfToken, expiresAt, user };
}

export async function logout(db: Database, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export interface Membership {
  role: Role;
  officeId: string | null;
  officeName: string | null;
  organisationId: string;
  organisationName: string;
}

export async function memberships(db: Database, userId: string): Promise<Membership[]> {
  const grants = (await repo.listGrantsOfUsers(db, [userId])).get(userId) ?? [];
  return grants.map((g) => ({ role: g.role, officeId: g.officeId, officeName: g.officeName, organisationId: g.organisationId, organisationName: g.organisationName }));
}

// ---------------------------------------------------------------------------------------------
// Organisations and offices

export function assertCanManageOrganisation(actor: Actor, organisationId: string): void {
  if (!canManageOrganisation(actor, organisationId)) throw errors.organisationForbidden();
}

export function checkCalendar(raw: unknown): OfficeCalendar {
  const result = validateCalendar(raw);
  if (!result.ok) throw errors.invalidCalendar({ problems: result.errors, en: result.en });
  return result.calendar;
}

export async function createOrganisation(trx: Trx, input: repo.NewOrganisation): Promise<repo.Organisation> {
  try {
    return await repo.insertOrganisation(trx, input);
  } catch (err) {
    if (isUniqueViolation(err, 'slug')) throw errors.organisationSlugTaken();
    if (isUniqueViolation(err, 'ipa_code')) throw errors.ipaCodeTaken();
    throw err;
  }
}

export async function createOffice(trx: Trx, input: repo.NewOffice): Promise<repo.Office> {
  try {
    return await repo.insertOffice(trx, input);
  } catch (err) {
    if (isUniqueViolation(err, 'slug')) throw errors.officeSlugTaken();
    throw err;
  }
}

export async function requireOfficeManageable(db: Database | Trx, actor: Actor, officeId: string): Promise<repo.Office> {
  const office = await repo.findOffice(db, officeId);
  if (!office) throw errors.officeNotFound();
  if (!canManageOffice(actor, office)) {
    // Someone outside the organisation learns nothing about the office.
    if (!actor.grants.some((g) => g.organisationId === office.organisationId)) throw errors.officeNotFound();
    throw errors.officeForbidden();
  }
  return office;
}

// ---------------------------------------------------------------------------------------------
// Users and roles

/**
 * Creates an account. `homeOrganisationId` is the organisation creating it: its administrators
 * manage the account; without one, the first role the system or a coordinator gives sets it.
 */
/** The hash to store for a password a person chose; refuses (user.weak_password) one that is too short. */
export async function acceptablePasswordHash(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) throw errors.weakPassword({ minLength: MIN_PASSWORD_LENGTH });
  return hashPassword(password);
}

export async function createUser(
  trx: Trx,
  input: { email: string; name: string; password: string | null; locale: string; homeOrganisationId?: string | null },
): Promise<repo.User> {
  const passwordHash = input.password === null ? null : await acceptablePasswordHash(input.password);
  if (await repo.findUserByEmail(trx, input.email)) throw errors.emailTaken();
  return repo.insertUser(trx, { email: input.email, name: input.name, passwordHash, locale: input.locale, homeOrganisationId: input.homeOrganisationId ?? null });
}

/**
 * A role is given only to a member of the organisation. The system (seed, command line) and a network
 * coordinator make the user a member as they give the role; an organisation's administrator cannot:
 * the user joins through an invitation they accept (issue 9, point 2).
 */
async function requireMembership(trx: Trx, actor: Actor | null, user: repo.User, organisationId: string): Promise<void> {
  if (await repo.isMember(trx, user.id, organisationId)) return;
  if (actor !== null && !canManageNetwork(actor)) throw errors.notMember();
  if (user.homeOrganisationId === null) await repo.adoptHomelessUser(trx, user.id, organisationId);
  const home = user.homeOrganisationId ?? organisationId;
  await repo.addMember(trx, { userId: user.id, organisationId, joinedVia: home === organisationId ? 'created' : 'coordinator' });
}

/** Roles that apply to a whole organisation, never to one office. */
export const ORGANISATION_WIDE_ROLES: readonly Role[] = ['org_admin', 'network_coordinator', 'analyst'];

/** Where a role is given (by grant or invitation): the organisation exists and the office, when named, is one of its offices. */
export async function requireRolePlace(db: Database | Trx, organisationId: string, officeId: string | null): Promise<void> {
  if (!(await repo.findOrganisation(db, organisationId))) throw errors.organisationNotFound();
  if (officeId !== null) {
    const office = await repo.findOffice(db, officeId);
    if (!office) throw errors.officeNotFound();
    if (office.organisationId !== organisationId) throw errors.officeOutsideOrganisation();
  }
}

export async function grantRole(
  trx: Trx,
  actor: Actor | null,
  input: { userId: string; role: Role; organisationId: string; officeId: string | null },
) {
  if (actor) assertCanManageOrganisation(actor, input.organisationId);
  if (input.role === 'network_coordinator' && actor && !actor.grants.some((g) => g.role === 'network_coordinator')) {
    throw errors.coordinatorOnly();
  }
  if (input.officeId !== null && ORGANISATION_WIDE_ROLES.includes(input.role)) throw errors.roleNeedsOrganisationScope({ role: input.role });
  const user = await repo.findUser(trx, input.userId);
  if (!user) throw errors.userNotFound();
  await requireRolePlace(trx, input.organisationId, input.officeId);
  await requireMembership(trx, actor, user, input.organisationId);
  const grant = await repo.insertGrant(trx, { ...input, createdBy: actor?.userId ?? null });
  if (grant) return grant;
  const existing = await trx
    .selectFrom('role_grants')
    .select(['id', 'role', 'organisation_id', 'office_id'])
    .where('user_id', '=', input.userId)
    .where('role', '=', input.role)
    .where('organisation_id', '=', input.organisationId)
    .where(sql<boolean>`office_id is not distinct from ${input.officeId}`)
    .executeTakeFirstOrThrow();
  return { id: existing.id, role: existing.role as Role, organisationId: existing.organisation_id, officeId: existing.office_id };
}

// ---------------------------------------------------------------------------------------------
// API tokens

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Creates a token and returns its secret once; only an HMAC of it is stored. */
export async function createApiToken(
  trx: Trx,
  secret: string,
  input: { userId: string; name: string; scopes: TokenScope[]; expiresInDays: number | null },
): Promise<{ token: ApiToken; secret: string }> {
  const raw = `urp_${randomToken(30)}`;
  const expiresAt = input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * 86_400_000);
  const row = await trx
    .insertInto('api_tokens')
    .values({ user_id: input.userId, name: input.name, prefix: raw.slice(0, 10), token_hash: digestSecret(secret, raw), scopes: JSON.stringify(input.scopes), expires_at: expiresAt })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token: toToken(row), secret: raw };
}

function toToken(r: { id: string; name: string; prefix: string; scopes: string[]; created_at: Date; last_used_at: Date | null; expires_at: Date | null; revoked_at: Date | null }): ApiToken {
  return { id: r.id, name: r.name, prefix: r.prefix, scopes: r.scopes as TokenScope[], createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at, revokedAt: r.revoked_at };
}

export async function listApiTokens(db: Database, userId: string): Promise<ApiToken[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('created_at', 'desc').execute();
  return rows.map(toToken);
}

export async function revokeApiToken(db: Database, userId: string, tokenId: string): Promise<void> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw errors.tokenNotFound();
}
