import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import { digestSecret, randomToken } from '../../platform/auth.js';
import type { Trx } from '../../platform/http.js';
import { identityErrors as errors } from './identity.errors.js';
import * as repo from './identity.repository.js';
import type { ORGANISATION_TYPES } from './identity.schemas.js';
import { acceptablePasswordHash, createOrganisation, createUser } from './identity.service.js';

/**
 * The first run of a real network (issue 11): on an empty database, `urpnet network init` or the
 * first-run page creates the network's record, the coordinating body and its first coordinator.
 * The page is guarded by a one-time setup token that the server prints at start-up while no
 * coordinator exists; the command line needs no token (whoever runs it holds the server). A person
 * without a password gets a one-time link to set it (`password_tokens`).
 */

/** How long a link to set a first password stays valid. */
export const FIRST_PASSWORD_LINK_HOURS = 72;

type Db = Database | Trx;

export interface NetworkInit {
  networkName: string;
  organisation: { name: string; ipaCode: string | null; type: (typeof ORGANISATION_TYPES)[number] };
  coordinator: { email: string; name: string; password: string | null; locale: 'it' | 'en' };
}

export interface NetworkInitResult {
  organisationId: string;
  userId: string;
  /** The one-time token of the link to set the coordinator's password (when none was given). */
  passwordToken: string | null;
  passwordTokenExpiresAt: Date | null;
}

/** True once someone holds the network coordinator role: the network has been set up (or seeded). */
export async function networkHasCoordinator(db: Db): Promise<boolean> {
  const row = await db.selectFrom('role_grants').select('id').where('role', '=', 'network_coordinator').limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function networkName(db: Db): Promise<string | null> {
  const row = await db.selectFrom('network_settings').select('name').executeTakeFirst();
  return row?.name ?? null;
}

/** A URL-safe identifier from a name: «Coordinamento Rete URP Abruzzo» → coordinamento-rete-urp-abruzzo. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug.length >= 2 ? slug : `ente-${slug || 'rete'}`;
}

/**
 * Takes the first-run lock for the rest of the transaction (two concurrent first runs, or a first run
 * and a server start, go one after the other) and says whether the network already has a coordinator.
 */
async function lockSetup(trx: Trx): Promise<boolean> {
  await sql`select pg_advisory_xact_lock(hashtext('urpnet.network-setup'))`.execute(trx);
  return networkHasCoordinator(trx);
}

/**
 * Creates the network, its coordinating body and first coordinator, in the caller's transaction;
 * refused (setup.already_done) once any coordinator exists.
 */
export async function initNetwork(trx: Trx, secret: string, input: NetworkInit, now: Date): Promise<NetworkInitResult> {
  if (await lockSetup(trx)) throw errors.setupDone();
  return createNetwork(trx, secret, input, now);
}

/** The writes of a first run, under the lock of `lockSetup` once it found no coordinator. */
async function createNetwork(trx: Trx, secret: string, input: NetworkInit, now: Date): Promise<NetworkInitResult> {
  await trx
    .insertInto('network_settings')
    .values({ name: input.networkName })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name: input.networkName }))
    .execute();
  const slug = slugOf(input.organisation.name);
  const organisation = await createOrganisation(trx, {
    slug, name: input.organisation.name, type: input.organisation.type, ipaCode: input.organisation.ipaCode ?? `urpnet-${slug}`.slice(0, 60), istatCode: null, taxCode: null, regionIstat: null, parentId: null,
  });
  const user = await createUser(trx, { email: input.coordinator.email, name: input.coordinator.name, password: input.coordinator.password, locale: input.coordinator.locale, homeOrganisationId: organisation.id });
  await repo.insertGrant(trx, { userId: user.id, role: 'network_coordinator', organisationId: organisation.id, officeId: null, createdBy: null });
  await repo.insertGrant(trx, { userId: user.id, role: 'org_admin', organisationId: organisation.id, officeId: null, createdBy: null });
  await trx.deleteFrom('setup_tokens').execute();
  if (input.coordinator.password !== null) return { organisationId: organisation.id, userId: user.id, passwordToken: null, passwordTokenExpiresAt: null };
  const link = await issuePasswordToken(trx, secret, user.id, 'first_password', FIRST_PASSWORD_LINK_HOURS, now);
  return { organisationId: organisation.id, userId: user.id, passwordToken: link.token, passwordTokenExpiresAt: link.expiresAt };
}

/**
 * While the network has no coordinator, makes a new setup token (replacing any earlier one) and
 * returns it for the server to print; null once a coordinator exists. Only its HMAC is stored.
 */
export async function renewSetupToken(db: Database, secret: string): Promise<string | null> {
  return db.transaction().execute(async (trx) => {
    if (await lockSetup(trx)) {
      await trx.deleteFrom('setup_tokens').execute();
      return null;
    }
    const token = randomToken(24);
    const tokenHash = digestSecret(secret, token);
    await trx.insertInto('setup_tokens').values({ token_hash: tokenHash }).onConflict((oc) => oc.column('id').doUpdateSet({ token_hash: tokenHash, created_at: new Date() })).execute();
    return token;
  });
}

/** The first-run page's request: checks the setup token, then sets the network up (the token is spent). */
export async function completeSetup(trx: Trx, secret: string, token: string, input: NetworkInit, now: Date): Promise<NetworkInitResult> {
  if (await lockSetup(trx)) throw errors.setupDone();
  const stored = await trx.selectFrom('setup_tokens').select('token_hash').executeTakeFirst();
  if (!stored || stored.token_hash !== digestSecret(secret, token)) throw errors.setupTokenInvalid();
  return createNetwork(trx, secret, input, now);
}

/** A one-time link token for `userId`; earlier unused tokens of the same purpose stop working. */
export async function issuePasswordToken(trx: Trx, secret: string, userId: string, purpose: 'first_password' | 'reset', hours: number, now: Date): Promise<{ token: string; expiresAt: Date }> {
  await trx.updateTable('password_tokens').set({ used_at: now }).where('user_id', '=', userId).where('purpose', '=', purpose).where('used_at', 'is', null).execute();
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  await trx.insertInto('password_tokens').values({ user_id: userId, token_hash: tokenDigest(secret, token), purpose, expires_at: expiresAt }).execute();
  return { token, expiresAt };
}

/** Tokens are stored only as HMACs keyed by the server secret (DATA_DIR/secret or URPNET_SECRET). */
const tokenDigest = (secret: string, token: string) => digestSecret(secret, `password-token:${token}`);

/** Sets the password through a one-time link; the link is spent and every session of the user ends. */
export async function setPasswordWithToken(trx: Trx, secret: string, token: string, password: string, now: Date): Promise<{ email: string }> {
  const row = await trx
    .selectFrom('password_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.user_id', 't.expires_at', 't.used_at', 'u.email', 'u.active'])
    .where('t.token_hash', '=', tokenDigest(secret, token))
    .forUpdate()
    .executeTakeFirst();
  if (!row || row.used_at !== null || row.expires_at.getTime() <= now.getTime() || !row.active) throw errors.passwordTokenInvalid();
  const passwordHash = await acceptablePasswordHash(password);
  await trx.updateTable('password_tokens').set({ used_at: now }).where('id', '=', row.id).execute();
  await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', row.user_id).execute();
  await trx.deleteFrom('sessions').where('user_id', '=', row.user_id).execute();
  return { email: row.email };
}
