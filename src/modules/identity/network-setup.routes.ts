import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { access } from '../../platform/policy.js';
import { errorResponses, Nullable, StringEnum } from '../../platform/schema.js';
import { ORGANISATION_TYPES } from './identity.schemas.js';
import { completeSetup, networkHasCoordinator, networkName, setPasswordWithToken } from './network-setup.js';

const tags = { tags: ['auth'] };

const SetupStatus = Type.Object({
  /** True while no coordinator exists: the first-run page is open (with the setup token). */
  required: Type.Boolean(),
  networkName: Nullable(Type.String()),
});

const SetupBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200, description: "Il codice stampato nel log del server all'avvio" }),
    networkName: Type.String({ minLength: 3, maxLength: 200 }),
    organisation: Type.Object(
      {
        name: Type.String({ minLength: 2, maxLength: 200 }),
        ipaCode: Type.Optional(Nullable(Type.String({ minLength: 2, maxLength: 60 }))),
        type: Type.Optional(StringEnum(ORGANISATION_TYPES)),
      },
      { additionalProperties: false },
    ),
    coordinator: Type.Object(
      {
        name: Type.String({ minLength: 2, maxLength: 200 }),
        email: Type.String({ format: 'email', maxLength: 254 }),
        password: Type.String({ minLength: 1, maxLength: 200 }),
        locale: Type.Optional(StringEnum(['it', 'en'] as const)),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const PasswordLinkBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

/** The first run of a network (first-run page) and one-time links to set a password. */
export function registerNetworkSetupRoutes(root: FastifyInstance, ctx: AppContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = ctx;

  app.get('/api/v1/setup', {
    config: { access: access.public },
    schema: { ...tags, summary: 'Se la rete va ancora configurata (nessun coordinatore): la pagina di primo avvio è aperta', response: { 200: SetupStatus } },
  }, async () => ({ required: !(await networkHasCoordinator(db)), networkName: await networkName(db) }));

  app.post('/api/v1/setup', {
    config: { access: access.public, rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      ...tags,
      summary: 'Primo avvio: crea la rete, il suo ente di coordinamento e il primo coordinatore (con il codice di configurazione del log del server)',
      body: SetupBody,
      response: { 201: Type.Object({ email: Type.String() }), ...errorResponses(400, 403, 409, 422, 429) },
    },
  }, async (request, reply) => {
    const b = request.body;
    await db.transaction().execute((trx) =>
      completeSetup(trx, config.secret, b.token.trim(), {
        networkName: b.networkName.trim(),
        organisation: { name: b.organisation.name.trim(), ipaCode: b.organisation.ipaCode?.trim() || null, type: b.organisation.type ?? 'altro' },
        coordinator: { name: b.coordinator.name.trim(), email: b.coordinator.email.trim(), password: b.coordinator.password, locale: b.coordinator.locale ?? 'it' },
      }, new Date()),
    );
    request.log.info({ email: b.coordinator.email }, 'network set up from the first-run page');
    return reply.status(201).send({ email: b.coordinator.email.trim() });
  });

  app.post('/api/v1/auth/password-link', {
    config: { access: access.public, rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      ...tags,
      summary: 'Imposta la password con un link monouso (primo accesso); il link non vale più e le sessioni aperte si chiudono',
      body: PasswordLinkBody,
      response: { 200: Type.Object({ email: Type.String() }), ...errorResponses(400, 410, 422, 429) },
    },
  }, async (request) => db.transaction().execute((trx) => setPasswordWithToken(trx, config.secret, request.body.token.trim(), request.body.password, new Date())));
}
