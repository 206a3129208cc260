import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from 'typebox';
import { requireActor } from '../../../platform/auth.js';
import type { AppContext } from '../../../platform/context.js';
import { requestLanguage } from '../../../platform/messages.js';
import { access } from '../../../platform/policy.js';
import { errorResponses, StringEnum } from '../../../platform/schema.js';
import { checkClosureImportScope, importClosures } from './closure-import.js';
import { CLOSURE_PROBLEM_CODES } from './closure-rows.js';
import { LINE_PROBLEM_CODES } from './line-problems.js';

const ClosureReportSchema = Type.Object({
  kind: Type.Literal('closures'),
  dryRun: Type.Boolean(),
  onBadLine: StringEnum(['abort', 'skip'] as const),
  written: Type.Boolean(),
  encoding: StringEnum(['utf-8', 'utf-8-bom', 'windows-1252'] as const),
  separator: StringEnum(['tab', 'comma', 'semicolon'] as const),
  columns: Type.Object({ used: Type.Array(Type.String()), ignored: Type.Array(Type.String()), unknown: Type.Array(Type.String()) }),
  rows: Type.Integer(),
  accepted: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  offices: Type.Integer({ description: 'Uffici il cui calendario cambia' }),
  problems: Type.Array(Type.Object({ line: Type.Integer(), code: StringEnum([...LINE_PROBLEM_CODES, ...CLOSURE_PROBLEM_CODES]), message: Type.String() })),
});

/**
 * POST /api/v1/admin/imports/closures: patron days and local closures of offices from CSV, with the
 * conventions of the other onboarding imports (registered in their scope, which parses text/csv
 * bodies; `uploadedBytes` and `query` are theirs).
 */
export function registerClosureImportRoute(
  root: FastifyInstance,
  ctx: AppContext,
  shared: { uploadedBytes: (request: FastifyRequest) => Promise<Uint8Array>; query: TSchema; maxFileBytes: number },
): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/v1/admin/imports/closures', {
    config: { access: access.permission('org:manage') },
    bodyLimit: shared.maxFileBytes,
    schema: {
      tags: ['admin'],
      summary: "Importa festività patronali e chiusure degli uffici da CSV (coordinamento di rete, o amministratore dell'ente per i propri uffici); con dryRun=true solo il resoconto riga per riga",
      querystring: shared.query,
      consumes: ['multipart/form-data', 'text/csv'],
      response: { 200: ClosureReportSchema, ...errorResponses(400, 403, 409, 413, 415, 422) },
    },
  }, async (request) => {
    const actor = requireActor(request);
    const q = request.query as { dryRun?: boolean; onBadLine?: 'abort' | 'skip'; organisationId?: string };
    const importContext = { actor, organisationId: q.organisationId ?? null };
    // Who may import is decided before the file is read.
    checkClosureImportScope(importContext);
    const bytes = await shared.uploadedBytes(request);
    const report = await importClosures(ctx.db, bytes, { dryRun: q.dryRun ?? false, onBadLine: q.onBadLine ?? 'abort' }, importContext);
    request.log.info({ kind: 'closures', dryRun: report.dryRun, rows: report.rows, inserted: report.inserted, updated: report.updated, problems: report.problems.length }, 'bulk import');
    const lang = requestLanguage(request.headers['accept-language']);
    return { ...report, problems: report.problems.map((p) => ({ line: p.line, code: p.code, message: lang === 'en' ? p.en : p.message })) };
  });
}
