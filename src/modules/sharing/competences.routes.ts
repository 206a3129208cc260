import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { type Language, requestLanguage } from '../../platform/messages.js';
import { acceptCsvBodies, MAX_CSV_UPLOAD_BYTES, uploadedCsvBytes } from '../../platform/csv-upload.js';
import { access } from '../../platform/policy.js';
import { errorResponses, StringEnum, Uuid } from '../../platform/schema.js';
import { bulkImportErrors, LINE_PROBLEM_CODES } from '../identity/index.js';
import { COMPETENCE_PROBLEM_CODES } from './competence-rows.js';
import { type CompetenceImportReport, competenceCoverage, coverageCsv, importCompetences } from './competences.service.js';
import { competenceErrors } from './sharing.errors.js';

const tags = { tags: ['network'] };

const Pair = Type.Object({ topic: Type.String(), territory: Type.Union([Type.String(), Type.Null()], { description: 'Codice ISTAT; null: tutta Italia' }) });
const Line = (codes: readonly string[]) => Type.Object({ line: Type.Integer(), code: StringEnum(codes), message: Type.String() });

const ImportReportSchema = Type.Object({
  kind: StringEnum(['competences'] as const),
  dryRun: Type.Boolean(),
  onBadLine: StringEnum(['abort', 'skip'] as const),
  written: Type.Boolean(),
  encoding: StringEnum(['utf-8', 'utf-8-bom', 'windows-1252'] as const),
  separator: StringEnum(['tab', 'comma', 'semicolon'] as const),
  columns: Type.Object({ used: Type.Array(Type.String()), ignored: Type.Array(Type.String()), unknown: Type.Array(Type.String()) }),
  rows: Type.Integer(),
  accepted: Type.Integer(),
  offices: Type.Integer({ description: 'Uffici nominati dal file: ciascuno avrà esattamente le competenze del file' }),
  changedOffices: Type.Integer(),
  added: Type.Integer(),
  removed: Type.Integer(),
  problems: Type.Array(Line([...LINE_PROBLEM_CODES, ...COMPETENCE_PROBLEM_CODES])),
  notes: Type.Array(Line(['territory_successor'])),
  changes: Type.Array(Type.Object({
    officeId: Uuid, officeCode: Type.String(), officeName: Type.String(), organisationIpa: Type.String(), organisationName: Type.String(),
    added: Type.Array(Pair), removed: Type.Array(Pair),
  })),
});

const VIA = ['comune', 'province', 'region', 'national'] as const;
const TopicCoverageSchema = Type.Object({
  topic: Type.String(), label: Type.String(), comuniTotal: Type.Integer(), comuniCovered: Type.Integer(), populationTotal: Type.Integer(), populationCovered: Type.Integer(),
});
const CoverageSchema = Type.Object({
  region: Type.Object({ code: Type.String(), name: Type.String() }),
  topics: Type.Array(TopicCoverageSchema),
  topic: Type.Optional(Type.Object({ code: Type.String(), label: Type.String() })),
  provinces: Type.Optional(Type.Array(Type.Object({ code: Type.String(), sigla: Type.String(), name: Type.String() }))),
  comuni: Type.Optional(Type.Array(Type.Object({
    code: Type.String(), name: Type.String(), provinceCode: Type.String(), population: Type.Integer(),
    offices: Type.Array(Type.Object({ id: Uuid, name: Type.String(), organisationName: Type.String(), via: StringEnum(VIA) })),
  }))),
});

/** The report in the caller's language. */
export function presentCompetenceReport(report: CompetenceImportReport, lang: Language) {
  const say = (p: { line: number; code: string; message: string; en: string }) => ({ line: p.line, code: p.code, message: lang === 'en' ? p.en : p.message });
  return { ...report, problems: report.problems.map(say), notes: report.notes.map(say) };
}

/** The competence matrix (network coordination) and the coverage report (every member of the network). */
export function registerCompetenceRoutes(root: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx;
  // Encapsulated: the raw CSV body parser applies to these routes only.
  root.register(async (scope) => {
    acceptCsvBodies(scope);
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();

    app.post('/api/v1/admin/imports/competences', {
      config: { access: access.permission('network:manage') },
      bodyLimit: MAX_CSV_UPLOAD_BYTES,
      schema: {
        ...tags,
        summary: 'Importa la matrice delle competenze (argomento × territorio → ufficio competente) da CSV (coordinamento di rete): ogni ufficio nominato avrà esattamente le competenze del file; con dryRun=true solo il resoconto per ufficio',
        querystring: Type.Object(
          {
            dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Solo prova: il resoconto per ufficio e riga per riga, nulla è scritto' })),
            onBadLine: Type.Optional(StringEnum(['abort', 'skip'] as const, { default: 'abort', description: 'abort: una riga non valida e nulla è scritto; skip: entrano le righe valide' })),
          },
          { additionalProperties: false },
        ),
        consumes: ['multipart/form-data', 'text/csv'],
        response: { 200: ImportReportSchema, ...errorResponses(400, 403, 413, 415, 422) },
      },
    }, async (request) => {
      const bytes = await uploadedCsvBytes(request, () => bulkImportErrors.fileMissing());
      const q = request.query;
      const report = await importCompetences(db, bytes, { dryRun: q.dryRun ?? false, onBadLine: q.onBadLine ?? 'abort' });
      request.log.info({ kind: 'competences', dryRun: report.dryRun, rows: report.rows, offices: report.offices, added: report.added, removed: report.removed, problems: report.problems.length }, 'competence import');
      return presentCompetenceReport(report, requestLanguage(request.headers['accept-language']));
    });
  });

  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/competences/coverage', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: {
      ...tags,
      summary: 'Copertura delle competenze in una regione: per argomento, quanti comuni (e abitanti) hanno un ufficio competente; con topic, ufficio per ufficio in ogni comune (anche in CSV con format=csv)',
      querystring: Type.Object(
        {
          region: Type.String({ pattern: '^[0-9]{2}$', description: 'Codice ISTAT della regione (es. 13)' }),
          topic: Type.Optional(Type.String({ pattern: '^[a-z0-9_.]+$' })),
          format: Type.Optional(StringEnum(['json', 'csv'] as const, { default: 'json' })),
        },
        { additionalProperties: false },
      ),
      produces: ['application/json', 'text/csv'],
      response: {
        200: { content: { 'application/json': { schema: CoverageSchema }, 'text/csv': { schema: Type.String({ description: 'Tabella per comune (con topic), separatore ;' }) } } },
        ...errorResponses(400, 404, 422),
      },
    },
  }, async (request, reply) => {
    const q = request.query;
    if (q.format === 'csv' && q.topic === undefined) throw competenceErrors.csvNeedsTopic();
    const report = await competenceCoverage(db, { region: q.region, ...(q.topic !== undefined && { topic: q.topic }), lang: requestLanguage(request.headers['accept-language']) });
    if (q.format === 'csv') {
      const filename = `copertura-${report.region.code}-${q.topic}.csv`;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).send(coverageCsv(report));
    }
    return report;
  });
}
