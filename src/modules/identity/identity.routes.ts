import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { type Role, TICKET_ROLES } from '../../platform/actor.js';
import { SESSION_COOKIE, hashPassword, requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { platformErrors } from '../../platform/errors.js';
import { checkVersion, etagOf, expectedVersion, idempotentCreate, type Trx } from '../../platform/http.js';
import { access, canManageNetwork, canManageOrganisation } from '../../platform/policy.js';
import { errorResponses, Uuid } from '../../platform/schema.js';
import { identityErrors as errors } from './identity.errors.js';
import * as repo from './identity.repository.js';
import * as s from './identity.schemas.js';
import * as service from './identity.service.js';
import { registerBulkImportRoutes } from './bulk-import/bulk-import.routes.js';
import { registerInvitationRoutes } from './invitations.routes.js';
import { registerNetworkSetupRoutes } from './network-setup.routes.js';
import { deactivateAccounts, endSessions } from './account-deactivation.js';
import { administeredOrganisations, type UserAdminRights, userAdminRights } from './user-admin.policy.js';
import { DEFAULT_TIME_ZONE, isOpenAt } from './office-calendar.js';

export function presentOrganisation(o: repo.Organisation) {
  return { ...o, type: o.type as (typeof s.ORGANISATION_TYPES)[number] };
}

export function presentOffice(o: repo.Office, now = new Date()) {
  return { ...o, kind: o.kind as (typeof s.OFFICE_KINDS)[number], openNow: isOpenAt(o.calendar, now) };
}

function presentToken(t: service.ApiToken) {
  return {
    id: t.id, name: t.name, prefix: t.prefix, scopes: t.scopes, createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null, expiresAt: t.expiresAt?.toISOString() ?? null,
  };
}

/**
 * Users with their roles; an organisation's administrator sees only the roles in the organisations
 * they administer. `grants`: the users' roles when the caller has just read them.
 */
async function presentUsers(
  db: AppContext['db'] | Trx,
  users: repo.User[],
  roleOrganisations: UserAdminRights['roleOrganisations'],
  grants?: Map<string, repo.GrantWithNames[]>,
) {
  grants ??= await repo.listGrantsOfUsers(db, users.map((u) => u.id));
  const shown = (g: repo.GrantWithNames) => roleOrganisations === 'all' || roleOrganisations.has(g.organisationId);
  return users.map((u) => ({ id: u.id, email: u.email, name: u.name, locale: u.locale, active: u.active, roles: (grants.get(u.id) ?? []).filter(shown) }));
}

const tags = (t: string) => ({ tags: [t] });

export function registerIdentityRoutes(root: FastifyInstance, ctx: AppContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = ctx;

  // ---------------------------------------------------------------- authentication
  app.post('/api/v1/auth/login', {
    config: { access: access.public, rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { ...tags('auth'), summary: 'Accesso con email e password', body: s.LoginBody, response: { 200: s.SessionSchema, ...errorResponses(400, 401, 429) } },
  }, async (request, reply) => {
    const result = await service.login(db, config.secret, {
      email: request.body.email.trim(), password: request.body.password, ip: request.ip, userAgent: request.headers['user-agent'] ?? null, ttlHours: config.sessionTtlHours,
    });
    reply.setCookie(SESSION_COOKIE, result.sessionToken, {
      path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, expires: result.expiresAt,
    });
    return {
      user: { id: result.user.id, email: result.user.email, name: result.user.name, locale: result.user.locale },
      memberships: await service.memberships(db, result.user.id),
      csrfToken: result.csrfToken,
    };
  });

  app.post('/api/v1/auth/logout', {
    config: { access: access.authenticated },
    schema: { ...tags('auth'), summary: 'Chiude la sessione', response: {} },
  }, async (request, reply) => {
    const actor = requireActor(request);
    if (actor.sessionId) await service.logout(db, actor.sessionId);
    // The same attributes as when set: a browser keeps a Secure cookie that a non-Secure clear cannot replace.
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies });
    return reply.status(204).send();
  });

  app.get('/api/v1/auth/session', {
    config: { access: access.authenticated },
    schema: { ...tags('auth'), summary: 'Utente corrente, ruoli e token CSRF', response: { 200: s.SessionSchema, ...errorResponses(401) } },
  }, async (request) => {
    const actor = requireActor(request);
    return {
      user: { id: actor.userId, email: actor.email, name: actor.name, locale: actor.locale },
      memberships: await service.memberships(db, actor.userId),
      csrfToken: actor.csrfToken,
    };
  });

  app.patch('/api/v1/me', {
    config: { access: access.authenticatedWith('profile') },
    schema: {
      ...tags('auth'), summary: 'Aggiorna nome, lingua o password del proprio profilo',
      body: Type.Object({ name: Type.Optional(Type.String({ minLength: 2, maxLength: 120 })), locale: Type.Optional(Type.Union([Type.Literal('it'), Type.Literal('en')])) }, { additionalProperties: false, minProperties: 1 }),
      response: { ...errorResponses(400) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    await repo.updateUser(db, actor.userId, request.body);
    return reply.status(204).send();
  });

  // ---------------------------------------------------------------- API tokens
  app.get('/api/v1/me/tokens', {
    config: { access: access.authenticatedWith('profile') },
    schema: { ...tags('auth'), summary: 'I miei token API', response: { 200: Type.Object({ items: Type.Array(s.TokenSchema) }) } },
  }, async (request) => ({ items: (await service.listApiTokens(db, requireActor(request).userId)).map(presentToken) }));

  app.post('/api/v1/me/tokens', {
    config: { access: access.authenticated },
    schema: {
      ...tags('auth'), summary: 'Crea un token API (il segreto è mostrato una sola volta)', body: s.CreateTokenBody,
      response: { 201: Type.Intersect([s.TokenSchema, Type.Object({ secret: Type.String() })]), ...errorResponses(400, 403) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    if (actor.via === 'token') throw errors.tokenCannotCreateTokens();
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => {
      const { token, secret } = await service.createApiToken(trx, config.secret, {
        userId: actor.userId, name: request.body.name, scopes: request.body.scopes, expiresInDays: request.body.expiresInDays ?? null,
      });
      return { status: 201, body: { ...presentToken(token), secret } };
    });
  });

  app.delete('/api/v1/me/tokens/:id', {
    config: { access: access.authenticatedWith('profile') },
    schema: { ...tags('auth'), summary: 'Revoca un token API', params: s.IdParams, response: { ...errorResponses(404) } },
  }, async (request, reply) => {
    await service.revokeApiToken(db, requireActor(request).userId, request.params.id);
    return reply.status(204).send();
  });

  // ---------------------------------------------------------------- organisations
  // The network directory (names, codes, offices, hours) is visible to every member of the network.
  app.get('/api/v1/organisations', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: { ...tags('network'), summary: 'Organizzazioni della rete', response: { 200: Type.Object({ items: Type.Array(s.OrganisationSchema) }) } },
  }, async () => ({ items: (await repo.listOrganisations(db)).map(presentOrganisation) }));

  app.post('/api/v1/organisations', {
    config: { access: access.permission('network:manage') },
    schema: { ...tags('network'), summary: 'Aggiunge un\'organizzazione alla rete', body: s.CreateOrganisationBody, response: { 201: s.OrganisationSchema, ...errorResponses(400, 403, 409) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => {
      const b = request.body;
      const org = await service.createOrganisation(trx, {
        slug: b.slug, name: b.name, type: b.type, ipaCode: b.ipaCode, istatCode: b.istatCode ?? null, taxCode: b.taxCode ?? null,
        regionIstat: b.regionIstat ?? null, parentId: b.parentId ?? null,
      });
      return { status: 201, body: presentOrganisation(org), headers: { etag: etagOf(org.version), location: `/api/v1/organisations/${org.id}` } };
    });
  });

  app.get('/api/v1/organisations/:id', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: { ...tags('network'), params: s.IdParams, response: { 200: s.OrganisationSchema, ...errorResponses(404) } },
  }, async (request, reply) => {
    const org = await repo.findOrganisation(db, request.params.id);
    if (!org) throw errors.organisationNotFound();
    reply.header('etag', etagOf(org.version));
    return presentOrganisation(org);
  });

  app.patch('/api/v1/organisations/:id', {
    config: { access: access.permission('org:manage') },
    schema: { ...tags('network'), params: s.IdParams, body: s.UpdateOrganisationBody, response: { 200: s.OrganisationSchema, ...errorResponses(400, 403, 404, 412, 428) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    service.assertCanManageOrganisation(actor, request.params.id);
    if (request.body.active !== undefined) throw errors.activeThroughExit();
    const current = await repo.findOrganisation(db, request.params.id);
    if (!current) throw errors.organisationNotFound();
    const expected = expectedVersion(request);
    checkVersion(expected, current.version);
    const updated = await repo.updateOrganisation(db, current.id, current.version, request.body);
    if (!updated) throw platformErrors.preconditionFailed();
    reply.header('etag', etagOf(updated.version));
    return presentOrganisation(updated);
  });

  // ---------------------------------------------------------------- offices
  app.get('/api/v1/organisations/:id/offices', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: { ...tags('network'), params: s.IdParams, response: { 200: Type.Object({ items: Type.Array(s.OfficeSchema) }), ...errorResponses(404) } },
  }, async (request) => {
    if (!(await repo.findOrganisation(db, request.params.id))) throw errors.organisationNotFound();
    const now = new Date();
    return { items: (await repo.listOffices(db, request.params.id)).map((o) => presentOffice(o, now)) };
  });

  app.get('/api/v1/offices', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: { ...tags('network'), summary: 'Tutti gli uffici della rete', response: { 200: Type.Object({ items: Type.Array(s.OfficeSchema) }) } },
  }, async () => {
    const now = new Date();
    return { items: (await repo.listOffices(db)).map((o) => presentOffice(o, now)) };
  });

  app.post('/api/v1/organisations/:id/offices', {
    config: { access: access.permission('org:manage') },
    schema: { ...tags('network'), params: s.IdParams, body: s.CreateOfficeBody, response: { 201: s.OfficeSchema, ...errorResponses(400, 403, 404, 409, 422) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    service.assertCanManageOrganisation(actor, request.params.id);
    if (!(await repo.findOrganisation(db, request.params.id))) throw errors.organisationNotFound();
    const b = request.body;
    const calendar = service.checkCalendar(b.calendar ?? { timeZone: DEFAULT_TIME_ZONE, weekly: {}, closures: [] });
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => {
      const office = await service.createOffice(trx, {
        organisationId: request.params.id, slug: b.slug, name: b.name, kind: b.kind, email: b.email ?? null, pec: b.pec ?? null,
        phone: b.phone ?? null, address: b.address ?? null, channels: b.channels ?? [], calendar, territory: b.territory ?? [],
      });
      return { status: 201, body: presentOffice(office), headers: { etag: etagOf(office.version), location: `/api/v1/offices/${office.id}` } };
    });
  });

  app.get('/api/v1/offices/:id', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: { ...tags('network'), params: s.IdParams, response: { 200: s.OfficeSchema, ...errorResponses(404) } },
  }, async (request, reply) => {
    const office = await repo.findOffice(db, request.params.id);
    if (!office) throw errors.officeNotFound();
    reply.header('etag', etagOf(office.version));
    return presentOffice(office);
  });

  app.patch('/api/v1/offices/:id', {
    config: { access: access.authenticatedWith('tickets:write', 'admin') },
    schema: {
      ...tags('network'), summary: 'Modifica un ufficio: contatti, canali, orari settimanali (anche spezzati) e chiusure',
      params: s.IdParams, body: s.UpdateOfficeBody, response: { 200: s.OfficeSchema, ...errorResponses(400, 403, 404, 412, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const office = await service.requireOfficeManageable(db, actor, request.params.id);
    const expected = expectedVersion(request, false);
    checkVersion(expected, office.version);
    const { calendar, ...rest } = request.body;
    const patch: repo.OfficePatch = { ...rest, ...(calendar !== undefined && { calendar: service.checkCalendar(calendar) }) };
    const updated = await repo.updateOffice(db, office.id, office.version, patch);
    if (!updated) throw platformErrors.preconditionFailed();
    reply.header('etag', etagOf(updated.version));
    return presentOffice(updated);
  });

  app.get('/api/v1/offices/:id/users', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: {
      ...tags('network'), summary: "Colleghi dell'ufficio (per l'assegnazione)", params: s.IdParams,
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, name: Type.String(), email: Type.String(), role: Type.String() })) }), ...errorResponses(404) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const office = await repo.findOffice(db, request.params.id);
    // Staff lists are internal to the organisation.
    if (!office || !actor.grants.some((g) => g.organisationId === office.organisationId)) throw errors.officeNotFound();
    const users = await repo.listUsersOfOrganisation(db, office.organisationId, office.id);
    const grants = await repo.listGrantsOfUsers(db, users.map((u) => u.id));
    const items = users
      .filter((u) => u.active)
      .map((u) => {
        const g = (grants.get(u.id) ?? []).find((x) => x.organisationId === office.organisationId && (x.officeId === office.id || x.officeId === null) && TICKET_ROLES.includes(x.role));
        return g ? { id: u.id, name: u.name, email: u.email, role: g.role } : null;
      })
      .filter((x): x is NonNullable<typeof x> => x !== null);
    return { items };
  });

  // ---------------------------------------------------------------- users and roles
  app.get('/api/v1/users', {
    config: { access: access.permission('org:manage') },
    schema: {
      ...tags('admin'), summary: "Utenti di un'organizzazione", querystring: Type.Object({ organisationId: Uuid }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(s.UserSchema) }), ...errorResponses(403) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    service.assertCanManageOrganisation(actor, request.query.organisationId);
    const members = await repo.listMembersOfOrganisation(db, request.query.organisationId);
    return { items: await presentUsers(db, members, administeredOrganisations(actor)) };
  });

  app.post('/api/v1/users', {
    config: { access: access.permission('org:manage') },
    schema: { ...tags('admin'), summary: 'Crea un utente (con ruoli iniziali)', body: s.CreateUserBody, response: { 201: s.UserSchema, ...errorResponses(400, 403, 409, 422) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const b = request.body;
    for (const r of b.roles ?? []) service.assertCanManageOrganisation(actor, r.organisationId);
    if ((b.roles ?? []).length === 0 && !canManageNetwork(actor)) {
      throw errors.newUserNeedsRole();
    }
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => {
      // The account belongs to the organisation creating it (the first role's: createUser makes it a member there), and is a member of every organisation it gets a role in.
      const roleOrganisations = [...new Set((b.roles ?? []).map((r) => r.organisationId))];
      const user = await service.createUser(trx, { email: b.email, name: b.name, password: b.password, locale: b.locale ?? 'it', homeOrganisationId: roleOrganisations[0] ?? null });
      for (const organisationId of roleOrganisations.slice(1)) await repo.addMember(trx, { userId: user.id, organisationId, joinedVia: 'created' });
      for (const r of b.roles ?? []) {
        await service.grantRole(trx, actor, { userId: user.id, role: r.role, organisationId: r.organisationId, officeId: r.officeId ?? null });
      }
      const [presented] = await presentUsers(trx, [user], administeredOrganisations(actor));
      return { status: 201, body: presented!, headers: { location: `/api/v1/users/${user.id}` } };
    });
  });

  /**
   * The user, if the caller administers one of the organisations the user is a member of; `account`
   * (rename, deactivate, reset the password) needs the organisation that created the account.
   * Anyone else learns nothing: 404, even with the user's id in hand.
   */
  async function requireManagedUser(actorReq: Parameters<typeof requireActor>[0], userId: string, need: 'read' | 'account') {
    const actor = requireActor(actorReq);
    const user = await repo.findUser(db, userId);
    if (!user) throw errors.userNotFound();
    const grants = await repo.listGrantsOfUsers(db, [userId]);
    const rights = userAdminRights(actor, {
      homeOrganisationId: user.homeOrganisationId,
      memberOrganisationIds: await repo.memberOrganisationIds(db, userId),
      isCoordinator: (grants.get(userId) ?? []).some((g) => g.role === 'network_coordinator'),
    });
    if (!rights.read) throw errors.userNotFound();
    if (need === 'account' && !rights.account) throw errors.notAccountOwner();
    return { actor, user, rights, grants };
  }

  app.get('/api/v1/users/:id', {
    config: { access: access.permission('org:manage') },
    schema: { ...tags('admin'), params: s.IdParams, response: { 200: s.UserSchema, ...errorResponses(404) } },
  }, async (request) => {
    const { user, rights, grants } = await requireManagedUser(request, request.params.id, 'read');
    return (await presentUsers(db, [user], rights.roleOrganisations, grants))[0]!;
  });

  app.patch('/api/v1/users/:id', {
    config: { access: access.permission('org:manage') },
    schema: {
      ...tags('admin'), summary: "Modifica, disattiva o reimposta la password di un utente creato dalla propria organizzazione", params: s.IdParams, body: s.UpdateUserBody,
      response: { 200: s.UserSchema, ...errorResponses(400, 403, 404) },
    },
  }, async (request) => {
    const { user, rights, grants } = await requireManagedUser(request, request.params.id, 'account');
    const { password, ...rest } = request.body;
    const passwordHash = password !== undefined ? await hashPassword(password) : undefined;
    const updated = await db.transaction().execute(async (trx) => {
      const changed = await repo.updateUser(trx, user.id, { ...rest, ...(passwordHash !== undefined && { passwordHash }) });
      // Deactivation ends sessions, tokens and open streams at once; a new password ends the sessions.
      if (request.body.active === false) await deactivateAccounts(trx, [user.id], new Date());
      else if (passwordHash !== undefined) await endSessions(trx, user.id);
      return changed;
    });
    // A profile change leaves the roles as they were just read.
    return (await presentUsers(db, [updated!], rights.roleOrganisations, grants))[0]!;
  });

  app.post('/api/v1/users/:id/roles', {
    config: { access: access.permission('org:manage') },
    schema: { ...tags('admin'), summary: 'Assegna un ruolo su un ufficio o su tutta l\'organizzazione', params: s.IdParams, body: s.GrantRoleBody, response: { 201: s.RoleGrantSchema, ...errorResponses(400, 403, 404, 422) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const grant = await db.transaction().execute((trx) =>
      service.grantRole(trx, actor, { userId: request.params.id, role: request.body.role as Role, organisationId: request.body.organisationId, officeId: request.body.officeId ?? null }),
    );
    return reply.status(201).send(grant);
  });

  app.delete('/api/v1/users/:id/roles/:roleId', {
    config: { access: access.permission('org:manage') },
    schema: { ...tags('admin'), params: Type.Object({ id: Uuid, roleId: Uuid }), response: { ...errorResponses(403, 404) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const grant = await repo.findGrant(db, request.params.roleId);
    if (!grant || grant.userId !== request.params.id || !canManageOrganisation(actor, grant.organisationId)) throw errors.grantNotFound();
    await repo.deleteGrant(db, grant.id);
    return reply.status(204).send();
  });

  registerInvitationRoutes(app, ctx);
  registerNetworkSetupRoutes(app, ctx);
  registerBulkImportRoutes(app, ctx);
}
