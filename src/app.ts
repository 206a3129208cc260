import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import websocket from '@fastify/websocket';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Config } from './config.js';
import type { OpenedDatabase } from './db/database.js';
import { registerIdentityRoutes } from './modules/identity/index.js';
import { registerKnowledgeRoutes } from './modules/knowledge/index.js';
import { registerFaqFeedbackRoutes } from './modules/knowledge/faq-feedback.routes.js';
import { registerHistoryImportRoutes } from './modules/history-import/index.js';
import { analyticsJobs, registerAnalyticsRoutes } from './modules/analytics/index.js';
import { ArchiveEngine, archiveDir, archiveJobs, registerArchiveReleaseRoutes, registerArchiveRoutes } from './modules/archive/index.js';
import { classifierRetrainingJob } from './modules/classification/index.js';
import { registerClassificationRoutes } from './modules/classification/suggestion.routes.js';
import { registerTaxonomyRoutes } from './modules/taxonomy/index.js';
import { registerTerritoryRoutes } from './modules/territory/index.js';
import { registerIncidentRoutes, registerOfficeMailer, registerSharingRoutes } from './modules/sharing/index.js';
import { registerCitizenViewRoutes, registerTicketRoutes, ticketAutoCloseJob } from './modules/tickets/index.js';
import { privacyRetentionJob, registerPrivacyRoutes } from './modules/privacy/index.js';
import { registerRouting } from './modules/routing/index.js';
import { registerCitizenChannels } from './modules/citizen/index.js';
import { registerAuth } from './platform/auth.js';
import { rateLimitKey } from './platform/client-address.js';
import type { AppContext } from './platform/context.js';
import type { OutboxDispatcher } from './platform/events.js';
import { type RealtimeHub, startRealtimeHub } from './platform/realtime.js';
import { createJobRunner, type JobRunner, outboxDrainJob, poolExecutor } from './platform/jobs/index.js';
import { createMailer } from './platform/mailer.js';
import { registerMetrics } from './platform/metrics.js';
import { access } from './platform/policy.js';
import { platformErrors } from './platform/errors.js';
import { referNamedResponses } from './platform/openapi-names.js';
import { registerProblemHandlers, sendFrameworkError } from './platform/problem.js';
import { ProblemSchema } from './platform/schema.js';
import { registerSecurityHeaders, SECURITY_HEADERS } from './platform/security-headers.js';
import { createValidatorCompiler, registerInputGuards } from './platform/validation.js';

export interface BuildAppOptions {
  config: Config;
  database: OpenedDatabase;
  events: OutboxDispatcher;
  /**
   * Where the modules declare their jobs; whoever built the app starts it (the server in work mode,
   * tests and benches in manual mode). Default: a manual runner that nobody starts.
   */
  jobs?: JobRunner;
  /** The instance's realtime hub (one listener); when absent the app opens its own and closes it with itself. */
  realtime?: RealtimeHub;
  /** Pino logger options, or false to silence (tests). */
  logger?: boolean | object;
}

/** Builds the HTTP application: platform plugins first, then the modules in the order a contact flows. Never listens. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: config.maxBodyBytes,
    // Forwarding headers are believed only from the configured proxies (TRUST_PROXY), never by default.
    trustProxy: config.trustProxy === false ? false : [...config.trustProxy],
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Router errors are answered before any hook runs: they get the security headers here.
    frameworkErrors: (error, request, reply) => {
      reply.headers(SECURITY_HEADERS);
      sendFrameworkError(error, request, reply);
    },
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(createValidatorCompiler());
  app.addSchema(ProblemSchema);

  const jobs = options.jobs ?? createJobRunner(poolExecutor(database.pool), { mode: 'manual' });
  let realtime = options.realtime;
  if (!realtime) {
    const own = await startRealtimeHub(database, { log: app.log });
    app.addHook('onClose', async () => own.close());
    realtime = own;
  }
  const ctx: AppContext = { config, db: database.db, engine: database.engine, events: options.events, jobs, realtime, log: app.log };
  // On shutdown, in-flight requests finish and their connections are closed after the response, so
  // that closing does not wait for idle keep-alive sockets.
  let shuttingDown = false;
  app.addHook('preClose', async () => {
    shuttingDown = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (shuttingDown) reply.header('connection', 'close');
    return payload;
  });

  registerProblemHandlers(app);
  registerSecurityHeaders(app);
  registerInputGuards(app);
  await app.register(cookie);
  // Auth first: its onRoute hook then sees every route registered after it, plugins' included.
  registerAuth(app, database.db, config.secret);
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(multipart, { limits: { fileSize: config.maxAttachmentBytes, files: 1, fields: 10 } });
  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    // Per authenticated user when the credential is valid, else per client address; it runs after the
    // credential is resolved and before it is enforced, so requests that end in 401 count too.
    keyGenerator: rateLimitKey,
    // Thrown by the plugin: the problem handler writes it in the request's language.
    errorResponseBuilder: (_request, context) => platformErrors.rateLimitedFor({ max: context.max, seconds: Math.ceil(context.ttl / 1000) }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'urpnet API',
        version: '1',
        description: 'API della rete degli URP: ticket unico, rete, tassonomia. Errori in application/problem+json con campo `code` stabile.',
      },
      servers: [{ url: config.baseUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Token API (urp_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'urpnet_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: referNamedResponses,
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  registerMetrics(app, options.events);

  app.get('/api/openapi.json', { config: { access: access.public }, schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { config: { access: access.public }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: access.public }, schema: { hide: true } }, async () => {
    if (shuttingDown) throw platformErrors.shuttingDown();
    try {
      await sql`select 1`.execute(database.db);
      return { status: 'ready', database: database.engine };
    } catch {
      throw platformErrors.databaseUnavailable();
    }
  });

  // Modules, in the order a contact flows through them.
  registerIdentityRoutes(app, ctx);
  registerTaxonomyRoutes(app, ctx);
  registerTerritoryRoutes(app, ctx);
  registerTicketRoutes(app, ctx);
  registerCitizenViewRoutes(app, ctx);
  registerSharingRoutes(app, ctx);
  registerIncidentRoutes(app, ctx);
  registerRouting(app, ctx);
  const mailer = createMailer(config.smtpUrl, config.mailFrom);
  if (mailer) {
    registerOfficeMailer(options.events, database.db, mailer, { baseUrl: config.baseUrl, onError: (err) => app.log.warn({ err }, 'office e-mail not delivered') });
    app.addHook('onClose', async () => mailer.close());
  }
  const faqSearch = registerKnowledgeRoutes(app, ctx);
  registerFaqFeedbackRoutes(app, ctx, faqSearch);
  registerCitizenChannels(app, ctx, faqSearch, mailer);
  registerHistoryImportRoutes(app, ctx);
  registerArchiveRoutes(app, ctx);
  // One DuckDB per process over the archive, shared by the analysts' queries and the dashboards.
  const archiveEngine = new ArchiveEngine(archiveDir(config.dataDir));
  registerArchiveReleaseRoutes(app, ctx, archiveEngine);
  registerAnalyticsRoutes(app, ctx, archiveEngine);
  for (const job of analyticsJobs(database.db, archiveEngine, { mailer, baseUrl: config.baseUrl, log: app.log })) jobs.define(job);
  registerClassificationRoutes(app, ctx, faqSearch);
  registerPrivacyRoutes(app, ctx);

  // Platform and module jobs not tied to a routes file (those are declared where their routes are).
  jobs.define(outboxDrainJob(options.events));
  jobs.define(ticketAutoCloseJob(database.db, { log: app.log }));
  jobs.define(privacyRetentionJob(database.db, { dataDir: config.dataDir, log: app.log }));
  for (const job of archiveJobs({ db: database.db, dataDir: config.dataDir, jobs, log: app.log })) jobs.define(job);
  jobs.define(classifierRetrainingJob(database.db, { intervalHours: config.classifierRetrainHours, log: app.log }));

  await registerWeb(app, config.webDist);
  return app;
}

/** Serves the built web app with SPA fallback; API paths keep their problem+json 404s. */
async function registerWeb(app: FastifyInstance, webDist: string): Promise<void> {
  const hasWeb = existsSync(path.join(webDist, 'index.html'));
  // Pre-compressed copies (.br, .gz) written at build time are sent to clients that accept them.
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, serve: false, preCompressed: true });
  app.get('/*', { config: { access: access.public }, schema: { hide: true } }, async (request, reply) => {
    const url = decodeURIComponent(request.url.split('?')[0] ?? '/');
    const notFound = () => {
      throw platformErrors.routeNotFound({ method: request.method, path: url });
    };
    if (url.startsWith('/api/') || url.startsWith('/open311/') || !hasWeb) return notFound();
    if (path.extname(url) !== '') {
      const file = path.normalize(url).replace(/^([/\\])+/, '');
      if (file.startsWith('..') || !existsSync(path.join(webDist, file))) return notFound();
      // Hashed assets never change; everything else revalidates.
      reply.header('cache-control', file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      return reply.sendFile(file);
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
}
