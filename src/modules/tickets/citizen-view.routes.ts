import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { access } from '../../platform/policy.js';
import { errorResponses, IsoDateTime, Nullable, StringEnum } from '../../platform/schema.js';
import { isOpenAt, parseCalendar } from '../identity/index.js';
import { normalizeTicketCode } from './ticket-code.js';
import { STATUS_LABELS, TICKET_STATUSES, type TicketStatus } from './ticket-status.js';
import { ticketErrors as errors } from './tickets.errors.js';
import * as identity from '../identity/index.js';

const OfficeCard = Type.Object({ name: Type.String(), organisation: Type.String(), phone: Nullable(Type.String()), email: Nullable(Type.String()), openNow: Type.Boolean() });

/**
 * The citizen's view of their request: with the code read to them on the phone they see its status
 * and which office handles it now (also after a transfer to another body). Nothing personal and no
 * free text is shown; codes carry 40 random bits and the route is rate-limited against guessing,
 * per client address (never per cookie or unverified X-Forwarded-For: see `rateLimitKey`). Expected
 * guesses per hit are worked out in the README's security section.
 */
export function registerCitizenViewRoutes(root: FastifyInstance, ctx: AppContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/portal/tickets/:code', {
    config: { access: access.public, rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: {
      tags: ['portal'], summary: 'Stato di una richiesta per il cittadino, dal codice ticket', params: Type.Object({ code: Type.String({ minLength: 9, maxLength: 20 }) }),
      response: {
        200: Type.Object({
          code: Type.String(), status: StringEnum(TICKET_STATUSES), statusLabel: Type.Object({ it: Type.String(), en: Type.String() }), handledBy: OfficeCard,
          previousOffices: Type.Array(Type.Object({ name: Type.String(), organisation: Type.String(), until: IsoDateTime })),
          createdAt: IsoDateTime, updatedAt: IsoDateTime, resolvedAt: Nullable(IsoDateTime),
        }),
        ...errorResponses(400, 404, 429),
      },
    },
  }, async (request, reply) => {
    const code = normalizeTicketCode(request.params.code);
    if (!code) throw errors.malformedTicketCode({ ticketCode: request.params.code });
    const t = await ctx.db
      .selectFrom('tickets as t')
      .innerJoin(identity.officeDirectory().as('f'), 'f.id', 't.office_id')
      .innerJoin(identity.organisationDirectory().as('o'), 'o.id', 't.organisation_id')
      .select(['t.id', 't.code', 't.status', 't.created_at', 't.updated_at', 't.resolved_at', 'f.name as office', 'f.phone', 'f.email', 'f.calendar', 'o.name as organisation'])
      .where('t.code', '=', code)
      .executeTakeFirst();
    if (!t) throw errors.ticketNotFound({ ticketCode: code });
    const moves = await ctx.db
      .selectFrom('ticket_transfers as x')
      .innerJoin(identity.officeDirectory().as('f'), 'f.id', 'x.from_office_id')
      .innerJoin(identity.organisationDirectory().as('o'), 'o.id', 'f.organisation_id')
      .select(['f.name', 'o.name as organisation', 'x.responded_at'])
      .where('x.ticket_id', '=', t.id)
      .where('x.status', '=', 'accepted')
      .orderBy('x.responded_at')
      .execute();
    reply.header('cache-control', 'no-store');
    return {
      code: t.code, status: t.status, statusLabel: STATUS_LABELS[t.status as TicketStatus],
      handledBy: { name: t.office, organisation: t.organisation, phone: t.phone, email: t.email, openNow: isOpenAt(parseCalendar(t.calendar), new Date()) },
      previousOffices: moves.map((m) => ({ name: m.name, organisation: m.organisation, until: (m.responded_at ?? t.updated_at).toISOString() })),
      createdAt: t.created_at.toISOString(), updatedAt: t.updated_at.toISOString(), resolvedAt: t.resolved_at?.toISOString() ?? null,
    };
  });
}
