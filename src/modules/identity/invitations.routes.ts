import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ROLES } from '../../platform/actor.js';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { idempotentCreate } from '../../platform/http.js';
import { access } from '../../platform/policy.js';
import { errorResponses, IsoDateTime, Nullable, StringEnum, Uuid } from '../../platform/schema.js';
import * as service from './invitations.service.js';

/** Every role but network coordinator, which only a coordinator gives (directly, not by invitation). */
const INVITABLE_ROLES = ROLES.filter((r) => r !== 'network_coordinator');

const InvitationSchema = Type.Object({
  id: Uuid,
  organisationId: Uuid,
  organisationName: Type.String(),
  email: Type.String(),
  role: StringEnum(ROLES),
  officeId: Nullable(Uuid),
  officeName: Nullable(Type.String()),
  status: StringEnum(['pending', 'accepted', 'declined', 'revoked'] as const),
  invitedByName: Nullable(Type.String()),
  createdAt: IsoDateTime,
  answeredAt: Nullable(IsoDateTime),
});

const InviteBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    role: StringEnum(INVITABLE_ROLES),
    officeId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Uuid });
const tags = { tags: ['admin'] };

function present(i: service.Invitation) {
  return {
    id: i.id, organisationId: i.organisationId, organisationName: i.organisationName, email: i.email, role: i.role, officeId: i.officeId,
    officeName: i.officeName, status: i.status, invitedByName: i.invitedByName, createdAt: i.createdAt.toISOString(), answeredAt: i.answeredAt?.toISOString() ?? null,
  };
}

/** Invitations: how a user of one body joins another (the user accepts), instead of a role given behind their back. */
export function registerInvitationRoutes(root: FastifyInstance, ctx: AppContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;

  app.post('/api/v1/organisations/:id/invitations', {
    config: { access: access.permission('org:manage') },
    schema: {
      ...tags, summary: "Invita per email un utente (anche di un altro ente) a un ruolo nell'organizzazione: vale quando l'utente accetta",
      params: IdParams, body: InviteBody, headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
      response: { 201: InvitationSchema, ...errorResponses(400, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    return idempotentCreate(db, request, reply, actor.userId, async (trx) => {
      const invitation = await service.inviteMember(trx, actor, {
        organisationId: request.params.id, email: request.body.email, role: request.body.role, officeId: request.body.officeId ?? null,
      });
      return { status: 201, body: present(invitation) };
    });
  });

  app.get('/api/v1/organisations/:id/invitations', {
    config: { access: access.permission('org:manage') },
    schema: { ...tags, summary: "Inviti dell'organizzazione (i più recenti)", params: IdParams, response: { 200: Type.Object({ items: Type.Array(InvitationSchema) }), ...errorResponses(403) } },
  }, async (request) => ({ items: (await service.listInvitations(db, requireActor(request), request.params.id)).map(present) }));

  app.delete('/api/v1/invitations/:id', {
    config: { access: access.permission('org:manage') },
    schema: { ...tags, summary: 'Ritira un invito in attesa', params: IdParams, response: { ...errorResponses(404, 409) } },
  }, async (request, reply) => {
    const actor = requireActor(request);
    await db.transaction().execute((trx) => service.revokeInvitation(trx, actor, request.params.id, new Date()));
    return reply.status(204).send();
  });

  app.get('/api/v1/me/invitations', {
    config: { access: access.authenticated },
    schema: { ...tags, summary: 'Inviti in attesa rivolti a me', response: { 200: Type.Object({ items: Type.Array(InvitationSchema) }) } },
  }, async (request) => ({ items: (await service.myInvitations(db, requireActor(request))).map(present) }));

  for (const answer of ['accept', 'decline'] as const) {
    app.post(`/api/v1/me/invitations/:id/${answer}`, {
      config: { access: access.authenticated },
      schema: {
        ...tags, summary: answer === 'accept' ? "Accetta un invito: entri nell'organizzazione con il ruolo indicato" : 'Rifiuta un invito',
        params: IdParams, response: { 200: InvitationSchema, ...errorResponses(403, 404, 409) },
      },
    }, async (request) => {
      const actor = requireActor(request);
      return present(await db.transaction().execute((trx) => service.answerInvitation(trx, actor, request.params.id, answer, new Date())));
    });
  }
}
