import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ExpressionBuilder, sql } from 'kysely';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import type { Actor, Role, RoleGrant, TokenScope } from './actor.js';
import { type AppError, platformErrors } from './errors.js';
import { type Access, hasPermission, tokenMayUse } from './policy.js';

export const SESSION_COOKIE = 'urpnet_session';
export const CSRF_HEADER = 'x-csrf-token';

/** argon2id with OWASP's second recommended parameter set (19 MiB, t=2, p=1). */
const ARGON_OPTIONS = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return argonHash(password, ARGON_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argonVerify(hash, password);
  } catch {
    return false;
  }
}

/** Secrets are stored only as HMACs keyed by the server secret: a database leak reveals no usable token. */
export function digestSecret(serverSecret: string, value: string): string {
  return createHmac('sha256', serverSecret).update(value).digest('base64url');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** Every registered route with its declared access rule (for the route-guard test and docs). */
    routeTable: RouteEntry[];
  }
  interface FastifyContextConfig {
    /** Who may call the route. Mandatory: registering a route without it fails at boot. */
    access?: Access;
  }
}

/** Grants travel with the credential lookup as one JSON column: one round trip per request. */
function grantsJson(userIdColumn: string) {
  return sql<RawGrant[]>`coalesce((select json_agg(json_build_object('id', g.id, 'role', g.role, 'organisationId', g.organisation_id, 'officeId', g.office_id))
    from role_grants g where g.user_id = ${sql.ref(userIdColumn)}), '[]'::json)`;
}

interface RawGrant {
  id: string;
  role: string;
  organisationId: string;
  officeId: string | null;
}

const toGrants = (raw: RawGrant[]): RoleGrant[] => raw.map((g) => ({ id: g.id, role: g.role as Role, organisationId: g.organisationId, officeId: g.officeId }));

/**
 * When a credential holds, written once for resolving it (per request) and for re-checking it
 * (`credentialStillValid`): a session until it expires, a token until revoked or expired, and
 * either only while its user is active.
 */
const liveSession = (eb: ExpressionBuilder<DB, 'sessions' | 'users'>) => eb.and([eb('sessions.expires_at', '>', sql<Date>`now()`), eb('users.active', '=', true)]);

const liveToken = (eb: ExpressionBuilder<DB, 'api_tokens' | 'users'>) =>
  eb.and([
    eb('api_tokens.revoked_at', 'is', null),
    eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', sql<Date>`now()`)]),
    eb('users.active', '=', true),
  ]);

/** last_seen/last_used are bookkeeping: written at most once a minute per credential. */
const TOUCH_INTERVAL_MS = 60_000;

async function actorFromSession(db: Database, secret: string, token: string): Promise<Actor | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id as sessionId', 'sessions.csrf_token', 'sessions.last_seen_at', 'users.id', 'users.email', 'users.name', 'users.locale'])
    .select(grantsJson('users.id').as('grants'))
    .where('sessions.id', '=', digestSecret(secret, token))
    .where(liveSession)
    .executeTakeFirst();
  if (!row) return null;
  if (Date.now() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
    await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id', '=', row.sessionId).execute();
  }
  return {
    userId: row.id,
    email: row.email,
    name: row.name,
    locale: row.locale === 'en' ? 'en' : 'it',
    grants: toGrants(row.grants),
    via: 'session',
    scopes: null,
    sessionId: row.sessionId,
    csrfToken: row.csrf_token,
  };
}

async function actorFromToken(db: Database, secret: string, token: string): Promise<Actor | null> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id as tokenId', 'api_tokens.scopes', 'api_tokens.last_used_at', 'users.id', 'users.email', 'users.name', 'users.locale'])
    .select(grantsJson('users.id').as('grants'))
    .where('api_tokens.token_hash', '=', digestSecret(secret, token))
    .where(liveToken)
    .executeTakeFirst();
  if (!row) return null;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.tokenId).execute();
  }
  return {
    userId: row.id,
    email: row.email,
    name: row.name,
    locale: row.locale === 'en' ? 'en' : 'it',
    grants: toGrants(row.grants),
    via: 'token',
    scopes: row.scopes as TokenScope[],
    sessionId: null,
    tokenId: row.tokenId,
    csrfToken: null,
  };
}

/**
 * True while the credential an actor was resolved from still holds: the session exists (not logged
 * out) and has not expired, or the token is neither revoked nor expired, and the user is active.
 * Long-lived responses (the notification stream) ask it periodically and end when it turns false.
 */
export async function credentialStillValid(db: Database, actor: Actor): Promise<boolean> {
  if (actor.sessionId) {
    const row = await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select('users.id')
      .where('sessions.id', '=', actor.sessionId)
      .where(liveSession)
      .executeTakeFirst();
    return row !== undefined;
  }
  if (!actor.tokenId) return false;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select('users.id')
    .where('api_tokens.id', '=', actor.tokenId)
    .where(liveToken)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * `credentialStillValid` for many credentials at once (the open streams of an instance), in at most
 * two queries whatever their number. Same order as `actors`.
 */
export async function credentialsStillValid(db: Database, actors: readonly Actor[]): Promise<boolean[]> {
  const sessionIds = [...new Set(actors.flatMap((a) => (a.sessionId ? [a.sessionId] : [])))];
  const tokenIds = [...new Set(actors.flatMap((a) => (!a.sessionId && a.tokenId ? [a.tokenId] : [])))];
  const [sessions, tokens] = await Promise.all([
    sessionIds.length === 0
      ? []
      : db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').select('sessions.id').where('sessions.id', 'in', sessionIds).where(liveSession).execute(),
    tokenIds.length === 0
      ? []
      : db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id').select('api_tokens.id').where('api_tokens.id', 'in', tokenIds).where(liveToken).execute(),
  ]);
  const live = new Set<string>([...sessions.map((r) => r.id), ...tokens.map((r) => r.id)]);
  return actors.map((a) => (a.sessionId ? live.has(a.sessionId) : a.tokenId ? live.has(a.tokenId) : false));
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Why the credential of a request was refused; thrown once the request has been counted by the rate limit. */
const credentialErrors = new WeakMap<FastifyRequest, AppError>();

/**
 * Resolves the caller from a bearer token or the session cookie, then enforces the route's declared
 * access rule. Cookie-authenticated writes must echo the session's CSRF token in a header, which a
 * cross-site form or script cannot read.
 *
 * Resolution runs in onRequest and enforcement in preParsing: the rate limit's hook sits between
 * them (route-level onRequest), so it keys a valid caller by identity and still counts requests that
 * end in 401 or 403 against their address.
 */
export function registerAuth(app: FastifyInstance, db: Database, secret: string): void {
  app.decorateRequest('actor', null);
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);

  app.addHook('onRoute', (route) => {
    const config = route.config as { access?: Access } | undefined;
    // Swagger UI's own static routes are the only ones registered by a plugin without a rule: public docs.
    const rule = config?.access ?? (route.url.startsWith('/api/docs') ? ({ kind: 'public' } as const) : undefined);
    if (!rule) throw new Error(`Route ${String(route.method)} ${route.url} declares no access rule`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routeTable.push({ method, url: route.url, access: rule });
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const authHeader = request.headers.authorization;
    if (authHeader !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(authHeader)?.[1];
      if (!token) {
        credentialErrors.set(request, platformErrors.malformedAuthorization());
      } else {
        request.actor = await actorFromToken(db, secret, token);
        if (!request.actor) credentialErrors.set(request, platformErrors.invalidToken());
      }
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) request.actor = await actorFromSession(db, secret, cookie);
    }
  });

  app.addHook('preParsing', async (request: FastifyRequest, _reply: FastifyReply, payload) => {
    const refused = credentialErrors.get(request);
    if (refused) throw refused;
    const rule = request.routeOptions.config.access ?? { kind: 'public' };
    if (rule.kind === 'public') return payload;
    const actor = request.actor;
    if (!actor) throw platformErrors.authRequired();
    if (actor.via === 'session' && UNSAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !actor.csrfToken || !safeEqual(sent, actor.csrfToken)) {
        throw platformErrors.csrf();
      }
    }
    if (rule.kind === 'authenticated' && !tokenMayUse(actor, rule.tokenScopes)) {
      throw rule.tokenScopes.length === 0 ? platformErrors.sessionRequired() : platformErrors.tokenScope({ scopes: rule.tokenScopes });
    }
    if (rule.kind === 'permission' && !hasPermission(actor, rule.permission)) {
      throw platformErrors.permissionMissing({ permission: rule.permission });
    }
    return payload;
  });
}

/** The authenticated actor of a route whose access rule is not public. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw platformErrors.authRequired();
  return request.actor;
}
