import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { access } from '../../platform/policy.js';
import { errorResponses, Nullable, StringEnum, Uuid } from '../../platform/schema.js';
import { leaveNetwork, previewExit, rejoinNetwork } from './organisation-exit.js';

const OrganisationRef = Type.Object({ id: Uuid, name: Type.String(), ipaCode: Type.String() });

const ExitReportSchema = Type.Object({
  dryRun: Type.Boolean(),
  organisation: OrganisationRef,
  confirmation: Type.String({ description: 'Il codice IPA da ripetere in confirm per procedere' }),
  ticketsToFormerOwners: Type.Integer(),
  ticketsToCoordinator: Type.Integer(),
  participationsEnded: Type.Integer(),
  openTicketsKept: Type.Integer({ description: "Ticket aperti dell'ente che nessun altro segue: restano all'ente" }),
  usersDisabled: Type.Integer(),
  membershipsEnded: Type.Integer(),
  officesDeactivated: Type.Integer(),
  agreementsEnded: Type.Integer(),
  invitationsWithdrawn: Type.Integer(),
  tickets: Type.Array(Type.Object({
    code: Type.String(),
    action: StringEnum(['former_owner', 'coordinator', 'participation_ended'] as const),
    officeId: Nullable(Uuid),
    officeName: Nullable(Type.String()),
  })),
});

/** A body leaving the network and coming back: network coordinators only. */
export function registerOrganisationExitRoutes(root: FastifyInstance, ctx: AppContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;

  app.post('/api/v1/organisations/:id/leave', {
    config: { access: access.permission('network:manage') },
    schema: {
      tags: ['network'],
      summary: "Fa uscire un ente dalla rete: i ticket condivisi aperti tornano ai titolari (o al coordinamento), uffici e persone sono disattivati, i dati restano. Con dryRun=true solo l'anteprima; altrimenti confirm ripete il codice IPA",
      params: Type.Object({ id: Uuid }),
      querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean({ default: false })) }, { additionalProperties: false }),
      body: Nullable(Type.Object({ confirm: Type.Optional(Type.String({ maxLength: 40, description: "Il codice IPA dell'ente, per confermare l'uscita" })) }, { additionalProperties: false })),
      response: { 200: ExitReportSchema, ...errorResponses(400, 403, 404, 409, 422) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    if (request.query.dryRun) return previewExit(db, actor, request.params.id);
    const report = await db.transaction().execute((trx) => leaveNetwork(trx, actor, request.params.id, request.body?.confirm, new Date()));
    request.log.info({ organisationId: report.organisation.id, ...Object.fromEntries(Object.entries(report).filter(([, v]) => typeof v === 'number')) }, 'organisation left the network');
    return report;
  });

  app.post('/api/v1/organisations/:id/rejoin', {
    config: { access: access.permission('network:manage') },
    schema: {
      tags: ['network'],
      summary: "Riporta nella rete un ente uscito: l'ente, i suoi uffici e le persone disattivate dall'uscita tornano attivi (non i ticket restituiti)",
      params: Type.Object({ id: Uuid }),
      response: { 200: Type.Object({ organisation: OrganisationRef, officesReactivated: Type.Integer(), usersReactivated: Type.Integer() }), ...errorResponses(403, 404, 409) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    return db.transaction().execute((trx) => rejoinNetwork(trx, actor, request.params.id, new Date()));
  });
}
