import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { idempotentCreate } from '../../platform/http.js';
import { access } from '../../platform/policy.js';
import { errorResponses } from '../../platform/schema.js';
import type { Delimiter } from './csv-sniff.js';
import { historyImportErrors as errors } from './history-import.errors.js';
import type * as repo from './history-import.repository.js';
import * as s from './history-import.schemas.js';
import * as service from './history-import.service.js';
import { type Language, requestLanguage } from '../../platform/messages.js';

const tags = { tags: ['history-import'] };
const manage = { access: access.permission('org:manage') };
/** Content types accepted as a raw (streamed) file body besides multipart. */
const RAW_TYPES = ['text/csv', 'text/plain', 'text/tab-separated-values', 'application/csv', 'application/gzip', 'application/x-gzip', 'application/octet-stream'];
const DELIMITER: Record<(typeof s.DELIMITER_PARAM)[number], Delimiter> = { comma: ',', semicolon: ';', tab: '\t', pipe: '|' };

/** An import as the API shows it; `lang` chooses the language of a failed commit's message. */
export function presentImport(i: repo.HistoryImport, lang: Language = 'it') {
  return {
    id: i.id, organisationId: i.organisationId, source: i.source, filename: i.filename, size: i.size, compression: i.compression, encoding: i.encoding,
    delimiter: i.delimiter, hasHeader: i.hasHeader, columns: i.columns, rowCount: i.rowCount, settings: i.settings, mappingId: i.mappingId,
    unmappedPolicy: i.unmappedPolicy, status: i.status, report: i.report, importedCount: i.importedCount, fileAvailable: i.storageKey !== null,
    createdAt: i.createdAt.toISOString(), committedAt: i.committedAt?.toISOString() ?? null,
    progress: i.progressTotal === null ? null : { done: Math.min(i.progressDone, i.progressTotal), total: i.progressTotal }, error: i.commitError && { code: i.commitError.code, message: lang === 'en' ? (i.commitError.en ?? i.commitError.message) : i.commitError.message },
  };
}

export function presentMapping(m: repo.HistoryMapping) {
  return {
    id: m.id, organisationId: m.organisationId, name: m.name, version: m.version, taxonomyVersion: m.taxonomyVersion, description: m.content.description ?? null,
    categories: m.content.categories, channels: m.content.channels, statuses: m.content.statuses, createdAt: m.createdAt.toISOString(),
  };
}

/** The uploaded file: the multipart field «file», or the request body itself (streamed, never buffered). */
async function uploadedFile(request: FastifyRequest, fallbackName: string | undefined): Promise<{ filename: string; stream: Readable }> {
  if (request.isMultipart()) {
    const file = await request.file({ limits: { fileSize: service.MAX_UPLOAD_BYTES, files: 1 } });
    if (!file) throw errors.fileMissing();
    return { filename: file.filename || fallbackName || 'import.csv', stream: file.file };
  }
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!RAW_TYPES.includes(type)) throw errors.uploadNotCsv({ type: type || null });
  if (!request.body) throw errors.fileMissing();
  return { filename: fallbackName || 'import.csv', stream: request.body as Readable };
}

/** Historical contacts import: upload, sniffing, column roles, legacy values, mappings, dry run and commit. */
export function registerHistoryImportRoutes(root: FastifyInstance, ctx: AppContext): void {
  const { db, config } = ctx;
  const retry = { limit: 2, delaySeconds: 10, backoff: true };
  ctx.jobs.define<service.CommitJobData>({
    name: service.COMMIT_JOB,
    retry,
    // Boston's 121k rows take well under a minute; an attempt silent for an hour has died with its instance.
    expireInSeconds: 60 * 60,
    deadLetter: service.COMMIT_FAILED_JOB,
    handler: (data, run) => service.runCommitJob(db, config.dataDir, data, { attempt: run.attempt, final: run.attempt > retry.limit }),
  });
  // Also reached when the last attempt expired (its instance died): the import must not stay `committing`.
  ctx.jobs.define<service.CommitJobData>({
    name: service.COMMIT_FAILED_JOB,
    handler: (data) => service.markCommitFailed(db, data, service.commitFailure()),
  });
  // Encapsulated, so that the raw-body parsers below apply to these routes only.
  root.register(async (scope) => {
    scope.addContentTypeParser(RAW_TYPES, (_request, payload, done) => done(null, payload));
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();

    app.post('/api/v1/history-imports', {
      config: manage,
      schema: {
        ...tags, summary: 'Carica un file CSV (anche .csv.gz) di contatti storici: multipart campo «file» o corpo text/csv; restituisce colonne e anteprima',
        querystring: s.UploadQuery, consumes: ['multipart/form-data', 'text/csv', 'application/gzip'], headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        response: { 201: s.ImportDetailSchema, ...errorResponses(400, 403, 413, 415, 422) },
      },
    }, async (request, reply) => {
      const actor = requireActor(request);
      const q = request.query;
      const { filename, stream } = await uploadedFile(request, q.filename);
      const upload = await service.receiveUpload(config.dataDir, actor, {
        organisationId: q.organisationId, filename, source: q.source, delimiter: q.delimiter ? DELIMITER[q.delimiter] : undefined,
        hasHeader: q.header === 'yes' ? true : q.header === 'no' ? false : undefined,
      }, stream);
      // The file is on disk before the transaction opens. Under an Idempotency-Key the request's
      // fingerprint is the file's content hash (with the URL), not the consumed stream.
      request.body = { sha256: upload.stored.sha256 };
      const created = await idempotentCreate(db, request, reply, actor.userId, async (trx) => {
        const imp = await service.recordUpload(trx, actor, upload);
        return { status: 201, body: { ...presentImport(imp), preview: await service.previewImport(config.dataDir, imp) }, headers: { location: `/api/v1/history-imports/${imp.id}` } };
      }).catch(async (err: unknown) => {
        await service.discardUpload(config.dataDir, upload);
        throw err;
      });
      // A replay answers with the first upload's import: this copy of the file is not needed.
      if (reply.getHeader('idempotent-replayed')) await service.discardUpload(config.dataDir, upload);
      return created;
    });

    app.get('/api/v1/history-imports', {
      config: manage,
      schema: { ...tags, summary: 'Importazioni degli enti che amministri', querystring: s.ListQuery, response: { 200: Type.Object({ items: Type.Array(s.ImportSchema) }) } },
    }, async (request) => {
      const lang = requestLanguage(request.headers['accept-language']);
      return { items: (await service.listImports(db, requireActor(request), request.query.organisationId)).map((i) => presentImport(i, lang)) };
    });

    app.get('/api/v1/history-imports/:id', {
      config: manage,
      schema: { ...tags, summary: "Un'importazione, con l'anteprima delle prime righe", params: s.IdParams, response: { 200: s.ImportDetailSchema, ...errorResponses(404) } },
    }, async (request) => {
      const imp = await service.openImport(db, requireActor(request), request.params.id);
      return { ...presentImport(imp, requestLanguage(request.headers['accept-language'])), preview: await service.previewImport(config.dataDir, imp) };
    });

    app.put('/api/v1/history-imports/:id/columns', {
      config: manage,
      schema: { ...tags, summary: 'Dichiara il ruolo delle colonne (identificativo, date, canale, testo, categoria, stato)', params: s.IdParams, body: s.ColumnRolesSchema, response: { 200: s.ImportSchema, ...errorResponses(400, 404, 409, 422) } },
    }, async (request) => presentImport(await service.configureImport(db, requireActor(request), request.params.id, request.body)));

    app.get('/api/v1/history-imports/:id/values', {
      config: manage,
      schema: { ...tags, summary: 'Valori distinti (con conteggi) di categoria, canale e stato; con mappingId indica quali sono mappati', params: s.IdParams, querystring: s.ValuesQuery, response: { 200: s.ValuesSchema, ...errorResponses(404, 409) } },
    }, async (request) => service.distinctValues(db, config.dataDir, requireActor(request), request.params.id, request.query.mappingId));

    app.post('/api/v1/history-imports/:id/dry-run', {
      config: manage,
      schema: { ...tags, summary: 'Prova: righe importabili, scartate (con riga e motivo) e valori non mappati, senza scrivere nulla', params: s.IdParams, body: s.RunBody, response: { 200: s.RunResponse, ...errorResponses(400, 404, 409, 422) } },
    }, async (request) => {
      const r = await service.runImport(db, config.dataDir, requireActor(request), request.params.id, { ...request.body, mode: 'dry_run' });
      return { import: presentImport(r.import), report: r.report };
    });

    app.post('/api/v1/history-imports/:id/commit', {
      config: manage,
      schema: {
        ...tags,
        summary: "Avvia l'importazione in background (tutta o niente; gli identificativi già importati non vengono duplicati): risponde 202 con lo stato; l'avanzamento si legge con GET /api/v1/history-imports/{id}",
        params: s.IdParams, body: s.RunBody, response: { 202: s.ImportSchema, ...errorResponses(400, 404, 409, 422) },
      },
    }, async (request, reply) => {
      const imp = await service.requestCommit(db, ctx.jobs, requireActor(request), request.params.id, request.body);
      return reply.status(202).header('location', `/api/v1/history-imports/${imp.id}`).send(presentImport(imp));
    });

    app.get('/api/v1/history-imports/:id/contacts', {
      config: manage,
      schema: { ...tags, summary: "Contatti importati da un'importazione (il testo è dato personale, in attesa di anonimizzazione)", params: s.IdParams, querystring: s.ContactsQuery, response: { 200: Type.Object({ items: Type.Array(s.ContactSchema), total: Type.Integer() }), ...errorResponses(404) } },
    }, async (request) => {
      const page = await service.listContacts(db, requireActor(request), request.params.id, request.query.limit ?? 50, request.query.offset ?? 0);
      return { total: page.total, items: page.items.map((c) => ({ ...c, createdAt: c.createdAt.toISOString(), closedAt: c.closedAt?.toISOString() ?? null })) };
    });

    app.get('/api/v1/history-mappings', {
      config: manage,
      schema: { ...tags, summary: 'Mappature delle categorie storiche (tutte le versioni) degli enti che amministri', querystring: s.ListQuery, response: { 200: Type.Object({ items: Type.Array(s.MappingSchema) }) } },
    }, async (request) => ({ items: (await service.listMappings(db, requireActor(request), request.query.organisationId)).map(presentMapping) }));

    app.post('/api/v1/history-mappings', {
      config: manage,
      schema: {
        ...tags, summary: 'Salva una mappatura come nuova versione (codici verificati sulla versione della tassonomia indicata; Idempotency-Key per i tentativi ripetuti)', body: s.MappingInput,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        response: { 201: s.MappingSchema, 200: s.MappingSchema, ...errorResponses(400, 403, 422) },
      },
    }, async (request, reply) => {
      const actor = requireActor(request);
      const { organisationId, name, ...content } = request.body;
      return idempotentCreate(db, request, reply, actor.userId, async (trx) => {
        const saved = await service.saveMapping(trx, actor, { organisationId, name, content });
        return { status: saved.created ? 201 : 200, body: presentMapping(saved.mapping) };
      });
    });

    app.get('/api/v1/history-mappings/:id', {
      config: manage,
      schema: { ...tags, summary: 'Una versione di una mappatura', params: s.IdParams, response: { 200: s.MappingSchema, ...errorResponses(404) } },
    }, async (request) => presentMapping(await service.getMapping(db, requireActor(request), request.params.id)));
  });
}
