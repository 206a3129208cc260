import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../../platform/auth.js';
import type { AppContext } from '../../../platform/context.js';
import { createMailer } from '../../../platform/mailer.js';
import { type Language, requestLanguage } from '../../../platform/messages.js';
import { acceptCsvBodies, MAX_CSV_UPLOAD_BYTES, uploadedCsvBytes } from '../../../platform/csv-upload.js';
import { access } from '../../../platform/policy.js';
import { errorResponses, IsoDateTime, Nullable, StringEnum, Uuid } from '../../../platform/schema.js';
import { bulkImportErrors as errors } from './bulk-import.errors.js';
import { registerClosureImportRoute } from './closure-import.routes.js';
import * as service from './bulk-import.service.js';
import { invitationJob, pendingInvitationLinks } from './invitation-links.js';
import { LINE_PROBLEM_CODES } from './line-problems.js';

const tags = { tags: ['admin'] };
/** An IPA export of the whole country is about 25 MB. */

const ImportQuery = Type.Object(
  {
    dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Solo prova: il resoconto riga per riga, nulla è scritto' })),
    onBadLine: Type.Optional(StringEnum(['abort', 'skip'] as const, { default: 'abort', description: 'abort: una riga non valida e nulla è scritto; skip: entrano le righe valide' })),
    organisationId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

const ReportSchema = Type.Object({
  kind: StringEnum(['organisations', 'offices', 'users'] as const),
  dryRun: Type.Boolean(),
  onBadLine: StringEnum(['abort', 'skip'] as const),
  written: Type.Boolean(),
  encoding: StringEnum(['utf-8', 'utf-8-bom', 'windows-1252'] as const),
  separator: StringEnum(['tab', 'comma', 'semicolon'] as const),
  layout: Type.Optional(StringEnum(['ipa_old', 'ipa_new', 'urpnet'] as const)),
  columns: Type.Object({ used: Type.Array(Type.String()), ignored: Type.Array(Type.String()), unknown: Type.Array(Type.String()) }),
  rows: Type.Integer(),
  accepted: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rolesGranted: Type.Optional(Type.Integer()),
  invitations: Type.Optional(Type.Integer()),
  passwordLinks: Type.Optional(Type.Integer()),
  problems: Type.Array(Type.Object({ line: Type.Integer(), code: StringEnum(LINE_PROBLEM_CODES), message: Type.String() })),
});

const PendingLinkSchema = Type.Object({
  userId: Uuid,
  email: Type.String(),
  name: Type.String(),
  organisationId: Nullable(Uuid),
  organisationName: Nullable(Type.String()),
  url: Type.String(),
  expiresAt: IsoDateTime,
  mailed: Type.Boolean(),
});

/** The report in the caller's language. */
export function presentReport(report: service.ImportReport, lang: Language) {
  return { ...report, problems: report.problems.map((p) => ({ line: p.line, code: p.code, message: lang === 'en' ? p.en : p.message })) };
}

/** The uploaded file: the multipart field «file», or the request body (text/csv). */
const uploadedBytes = (request: FastifyRequest) => uploadedCsvBytes(request, () => errors.fileMissing());

/** Bulk onboarding for the admin page: bodies (coordinator), offices and people (coordinator, or an organisation's administrator for their body). */
export function registerBulkImportRoutes(root: FastifyInstance, ctx: AppContext): void {
  const { db, config } = ctx;
  ctx.jobs.define(invitationJob(db, { secret: config.secret, baseUrl: config.baseUrl, mailer: () => createMailer(config.smtpUrl, config.mailFrom) }));
  // Encapsulated: the raw CSV body parser applies to these routes only.
  root.register(async (scope) => {
    acceptCsvBodies(scope);
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    const importers = {
      organisations: { run: service.importOrganisations, access: access.permission('network:manage'), who: 'coordinamento di rete' },
      offices: { run: service.importOffices, access: access.permission('org:manage'), who: "coordinamento di rete o amministratore dell'ente (solo i propri uffici)" },
      users: { run: service.importUsers, access: access.permission('org:manage'), who: "coordinamento di rete o amministratore dell'ente (solo le proprie persone)" },
    } as const;
    for (const [kind, importer] of Object.entries(importers)) {
      app.post(`/api/v1/admin/imports/${kind}`, {
        config: { access: importer.access },
        bodyLimit: MAX_CSV_UPLOAD_BYTES,
        schema: {
          ...tags,
          summary: `Importa ${kind === 'organisations' ? 'enti (export IPA «amministrazioni»)' : kind === 'offices' ? 'uffici' : 'persone con ruolo'} da CSV (${importer.who}); con dryRun=true solo il resoconto riga per riga`,
          querystring: ImportQuery,
          consumes: ['multipart/form-data', 'text/csv'],
          response: { 200: ReportSchema, ...errorResponses(400, 403, 409, 413, 415, 422) },
        },
      }, async (request) => {
        const actor = requireActor(request);
        const q = request.query;
        const importContext: service.ImportContext = { actor, organisationId: q.organisationId ?? null, jobs: ctx.jobs };
        // Who may import is decided before the file is read.
        if (kind !== 'organisations') service.checkImportScope(importContext);
        const bytes = await uploadedBytes(request);
        const report = await importer.run(db, bytes, { dryRun: q.dryRun ?? false, onBadLine: q.onBadLine ?? 'abort' }, importContext);
        request.log.info({ kind, dryRun: report.dryRun, rows: report.rows, inserted: report.inserted, updated: report.updated, problems: report.problems.length }, 'bulk import');
        return presentReport(report, requestLanguage(request.headers['accept-language']));
      });
    }

    registerClosureImportRoute(scope, ctx, { uploadedBytes, query: ImportQuery, maxFileBytes: MAX_CSV_UPLOAD_BYTES });

    app.get('/api/v1/admin/imports/password-links', {
      config: { access: access.permission('org:manage') },
      schema: {
        ...tags,
        summary: 'Link monouso per impostare la password delle persone importate, da consegnare quando non sono stati inviati per email',
        querystring: Type.Object({ organisationId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(PendingLinkSchema) }), ...errorResponses(403) },
      },
    }, async (request) => {
      const actor = requireActor(request);
      const organisationId = request.query.organisationId ?? null;
      service.checkImportScope({ actor, organisationId, jobs: ctx.jobs });
      const links = await pendingInvitationLinks(db, { secret: config.secret, baseUrl: config.baseUrl, organisationId });
      return { items: links.map((l) => ({ ...l, expiresAt: l.expiresAt.toISOString() })) };
    });
  });
}
