import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { platformErrors } from '../../platform/errors.js';
import { checkVersion, etagOf, expectedVersion } from '../../platform/http.js';
import { access, canManageNetwork, hasPermission } from '../../platform/policy.js';
import { errorResponses } from '../../platform/schema.js';
import { archiveErrors as errors } from './archive.errors.js';
import { registerArchiveHandlers } from './archive.handlers.js';
import { ARCHIVE_RUN_JOB, type ArchiveRunData, archiveRunJob } from './archive.jobs.js';
import * as repo from './archive.repository.js';
import * as s from './archive.schemas.js';
import { archiveStatus } from './archive.service.js';

const tags = { tags: ['archive'] };
const manage = { access: access.permission('network:manage') };

export function presentSettings(x: repo.StoredArchiveSettings) {
  return { graceDays: x.graceDays, minComunePopulation: x.minComunePopulation, timeGranularity: x.timeGranularity, version: x.version, updatedAt: x.updatedAt.toISOString() };
}

export function presentRun(r: repo.ArchiveRun) {
  return {
    id: r.id, state: r.state, requestedAt: r.requestedAt.toISOString(), startedAt: r.startedAt?.toISOString() ?? null, finishedAt: r.finishedAt?.toISOString() ?? null,
    ticketsArchived: r.ticketsArchived, historicalArchived: r.historicalArchived, partsWritten: r.partsWritten, error: r.error,
  };
}

/** The anonymised archive: its state, its settings (network coordination) and runs on demand; also its event handler and run job. */
export function registerArchiveRoutes(root: FastifyInstance, ctx: AppContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;
  registerArchiveHandlers(ctx.events, db, ctx.jobs);
  ctx.jobs.define<ArchiveRunData>(archiveRunJob({ db, dataDir: ctx.config.dataDir, jobs: ctx.jobs, log: ctx.log }));

  app.get('/api/v1/archive/status', {
    // Analysts (analytics:read) and the network coordination (network:manage): checked below, one rule cannot say "either".
    config: { access: access.authenticatedWith('admin') },
    schema: { ...tags, summary: "Stato dell'archivio anonimo: record in attesa, file Parquet per mese, pratiche archiviate, contatti storici da anonimizzare", response: { 200: s.ArchiveStatusSchema, ...errorResponses(403) } },
  }, async (request) => {
    const actor = requireActor(request);
    if (!hasPermission(actor, 'analytics:read') && !canManageNetwork(actor)) throw errors.analyticsForbidden();
    const status = await archiveStatus(db);
    return { ...status, lastRun: status.lastRun && presentRun(status.lastRun) };
  });

  app.get('/api/v1/archive/settings', {
    config: manage,
    schema: { ...tags, summary: "Impostazioni dell'archivio anonimo (ETag per la modifica)", response: { 200: s.ArchiveSettingsSchema } },
  }, async (_request, reply) => {
    const settings = await repo.findSettings(db);
    reply.header('etag', etagOf(settings.version));
    return presentSettings(settings);
  });

  app.put('/api/v1/archive/settings', {
    config: manage,
    schema: {
      ...tags, summary: "Modifica le impostazioni dell'archivio (If-Match obbligatorio): valgono per i contatti archiviati da ora in poi",
      body: s.ArchiveSettingsBody, response: { 200: s.ArchiveSettingsSchema, ...errorResponses(400, 403, 412, 428) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const expected = expectedVersion(request);
    const updated = await db.transaction().execute(async (trx) => {
      const current = await repo.findSettings(trx);
      checkVersion(expected, current.version);
      return repo.updateSettings(trx, request.body, expected, actor.userId, new Date());
    });
    if (!updated) throw platformErrors.preconditionFailed();
    reply.header('etag', etagOf(updated.version));
    return presentSettings(updated);
  });

  app.post('/api/v1/archive/runs', {
    config: manage,
    schema: {
      ...tags, summary: "Archivia ora (pratiche chiuse oltre il periodo di attesa e contatti storici) e scrive i file Parquet: risponde 202; l'avanzamento con GET /api/v1/archive/runs/{id}",
      response: { 202: s.ArchiveRunSchema, ...errorResponses(403) },
    },
  }, async (request, reply) => {
    const actor = requireActor(request);
    const id = randomUUID();
    // The queue is set up before the transaction: on the embedded database its one connection is the transaction's.
    await ctx.jobs.start();
    await db.transaction().execute(async (trx) => {
      await repo.createRun(trx, id, actor.userId);
      await ctx.jobs.send(ARCHIVE_RUN_JOB, { runId: id }, { trx });
    });
    const run = await repo.findRun(db, id);
    return reply.status(202).header('location', `/api/v1/archive/runs/${id}`).send(presentRun(run!));
  });

  app.get('/api/v1/archive/runs/:id', {
    config: manage,
    schema: { ...tags, summary: "Avanzamento di un'archiviazione", params: s.RunParams, response: { 200: s.ArchiveRunSchema, ...errorResponses(404) } },
  }, async (request) => {
    const run = await repo.findRun(db, request.params.id);
    if (!run) throw errors.runNotFound({ id: request.params.id });
    return presentRun(run);
  });
}
