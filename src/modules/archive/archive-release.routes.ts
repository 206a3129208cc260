import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { type Language, requestLanguage } from '../../platform/messages.js';
import { access } from '../../platform/policy.js';
import { errorResponses } from '../../platform/schema.js';
import { ArchiveEngine, type ArchiveFilter, archiveDir } from './archive-query.js';
import * as s from './archive-release.schemas.js';
import * as service from './archive-release.service.js';

const tags = { tags: ['archive'] };
/** Analysts and the network coordination: checked by the service (the coordination holds no analytics role). */
const analysts = { access: access.authenticated };

/** An export as the API shows it. */
export function presentExport(e: service.ArchiveExportState, lang: Language = 'it') {
  return {
    id: e.id,
    format: e.format,
    includeText: e.includeText,
    status: e.status,
    createdAt: e.createdAt,
    startedAt: e.startedAt,
    finishedAt: e.finishedAt,
    progress: e.progress,
    report: e.report && {
      totalRecords: e.report.totalRecords,
      rows: e.report.rows,
      suppressedRows: e.report.suppressedRows,
      k: e.report.k,
      levels: e.report.levels,
      generalisation: e.report.generalisation,
      informationLoss: e.report.informationLoss,
      partition: e.report.partition,
      smallestClass: e.report.kAnonymity.smallestClass,
      seconds: e.report.seconds,
    },
    files: e.files.map((f) => ({ ...f, url: `/api/v1/archive/exports/${e.id}/files/${f.name}` })),
    error: e.error && { code: e.error.code, message: lang === 'en' ? e.error.en : e.error.message },
  };
}

function filterOf(q: { organisationId?: string; officeId?: string; topic?: string; channel?: string; territory?: string; from?: string; to?: string; source?: ArchiveFilter['source'] }): ArchiveFilter {
  const { organisationId, officeId, topic, channel, territory, from, to, source } = q;
  return Object.fromEntries(Object.entries({ organisationId, officeId, topic, channel, territory, from, to, source }).filter(([, v]) => v !== undefined));
}

/**
 * The anonymised archive for analysts (issue 13): aggregates with small-cell suppression, k-anonymous
 * record lists, and open-data exports (Parquet/CSV + DCAT-AP_IT) as background jobs.
 */
export function registerArchiveReleaseRoutes(root: FastifyInstance, ctx: AppContext, shared?: ArchiveEngine): void {
  const { db, config } = ctx;
  // One DuckDB per process: the app passes the engine it shares with the analytics dashboards.
  const engine = shared ?? new ArchiveEngine(archiveDir(config.dataDir));
  root.addHook('onClose', async () => engine.close());
  const retry = { limit: 2, delaySeconds: 30, backoff: true };
  ctx.jobs.define<service.ExportJobData>({
    name: service.EXPORT_JOB,
    retry,
    // A national archive exports in well under a minute; an attempt silent for an hour has died with its instance.
    expireInSeconds: 60 * 60,
    deadLetter: service.EXPORT_FAILED_JOB,
    handler: (data) => service.runExportJob(db, engine, config.dataDir, config.baseUrl, data),
  });
  ctx.jobs.define<service.ExportJobData>({
    name: service.EXPORT_FAILED_JOB,
    handler: (data) => service.markExportFailed(config.dataDir, data),
  });
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/archive/aggregates', {
    config: analysts,
    schema: {
      ...tags,
      summary: "Conteggi dell'archivio anonimo per una dimensione e per periodo, con tempi medi e percentili; le celle da 1 a 3 contatti (e quelle che le rivelerebbero) sono omesse",
      querystring: s.AggregatesQuery,
      response: { 200: s.AggregatesResponse, ...errorResponses(400, 401, 403, 422) },
    },
  }, async (request) => {
    const q = request.query;
    return service.aggregates(db, engine, requireActor(request), { dimension: q.dimension, granularity: q.granularity, ...(q.limit && { limit: q.limit }), filter: filterOf(q) });
  });

  app.get('/api/v1/archive/records', {
    config: analysts,
    schema: {
      ...tags,
      summary: "Contatti dell'archivio anonimo, con il testo: così come archiviati se la selezione è k-anonima, altrimenti con ufficio, periodo, tema, territorio e canale generalizzati",
      querystring: s.RecordsQuery,
      response: { 200: s.RecordsResponse, ...errorResponses(400, 401, 403, 422) },
    },
  }, async (request) => {
    const q = request.query;
    return service.records(db, engine, requireActor(request), { limit: q.limit ?? 25, offset: q.offset ?? 0, filter: filterOf(q) });
  });

  app.post('/api/v1/archive/exports', {
    config: analysts,
    schema: {
      ...tags,
      summary: "Avvia l'esportazione open data dell'archivio k-anonimo (CSV o Parquet per mese, con catalog.jsonld DCAT-AP_IT): risponde 202; l'avanzamento si legge con GET /api/v1/archive/exports/{id}",
      body: s.ExportBody,
      response: { 202: s.ExportSchema, ...errorResponses(400, 401, 403) },
    },
  }, async (request, reply) => {
    const state = await service.requestExport(config.dataDir, ctx.jobs, requireActor(request), request.body);
    return reply.status(202).header('location', `/api/v1/archive/exports/${state.id}`).send(presentExport(state));
  });

  app.get('/api/v1/archive/exports/:id', {
    config: analysts,
    schema: { ...tags, summary: "Stato, avanzamento e file di un'esportazione", params: s.ExportIdParams, response: { 200: s.ExportSchema, ...errorResponses(401, 403, 404) } },
  }, async (request) => presentExport(service.getExport(config.dataDir, requireActor(request), request.params.id), requestLanguage(request.headers['accept-language'])));

  app.get('/api/v1/archive/exports/:id/files/*', {
    config: analysts,
    schema: { ...tags, summary: "Scarica un file di un'esportazione completata (es. catalog.jsonld, month=2026-01/part-0.parquet, archive-2026-01.csv)", params: s.ExportFileParams },
  }, async (request, reply) => {
    const file = service.openExportFile(config.dataDir, requireActor(request), request.params.id, request.params['*']);
    reply
      .header('content-type', file.contentType)
      .header('content-length', String(file.size))
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store');
    return reply.send(file.stream);
  });
}
