import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { taxonomyErrors } from './taxonomy-governance.errors.js';
import { access, canManageNetwork } from '../../platform/policy.js';
import { errorResponses, StringEnum } from '../../platform/schema.js';
import { EXPORT_FORMATS, taxonomyToCsv, taxonomyToSkos } from './taxonomy-export.js';
import { crosswalkInto } from './taxonomy-governance.service.js';
import { registerTaxonomyGovernanceRoutes } from './taxonomy-governance.routes.js';
import { documentWithLocalNodes, listLocalNodes } from './taxonomy-local.js';
import { addTaxonomyDocumentSchemas, TaxonomyDocumentRef } from './taxonomy.schemas.js';
import * as service from './taxonomy.service.js';
import { findOrganisation } from '../identity/index.js';

const TaxonomyDocumentSchema = TaxonomyDocumentRef();

export function registerTaxonomyRoutes(root: FastifyInstance, ctx: AppContext): void {
  addTaxonomyDocumentSchemas(root);
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/taxonomy', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: { tags: ['taxonomy'], summary: 'Versione corrente della tassonomia condivisa', response: { 200: TaxonomyDocumentSchema } },
  }, async (_request, reply) => {
    const tax = await service.currentTaxonomy(ctx.db);
    reply.header('cache-control', 'private, max-age=60');
    return tax.document;
  });

  app.get('/api/v1/taxonomy/versions', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: {
      tags: ['taxonomy'], summary: 'Versioni pubblicate della tassonomia',
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ version: Type.String(), status: StringEnum(['draft', 'published', 'retired'] as const), publishedAt: Type.Union([Type.String(), Type.Null()]) })) }) },
    },
  }, async () => ({
    items: (await service.listVersions(ctx.db)).map((v) => ({ version: v.version, status: v.status, publishedAt: v.publishedAt?.toISOString() ?? null })),
  }));

  app.get('/api/v1/taxonomy/versions/:version', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: {
      tags: ['taxonomy'], summary: 'Una versione della tassonomia', params: Type.Object({ version: Type.String({ pattern: '^\\d+\\.\\d+\\.\\d+$' }) }),
      response: { 200: TaxonomyDocumentSchema, ...errorResponses(404) },
    },
  }, async (request) => {
    const versions = await service.listVersions(ctx.db);
    if (!versions.some((v) => v.version === request.params.version)) throw taxonomyErrors.versionNotFound({ version: request.params.version });
    return (await service.taxonomyVersion(ctx.db, request.params.version)).document;
  });

  app.get('/api/v1/taxonomy/versions/:version/export', {
    config: { access: access.authenticatedWith('tickets:read', 'admin') },
    schema: {
      tags: ['taxonomy'], summary: 'Esporta una versione della tassonomia in JSON, CSV o SKOS (Turtle)',
      params: Type.Object({ version: Type.String({ pattern: '^\\d+\\.\\d+\\.\\d+$' }) }),
      querystring: Type.Object({
        format: Type.Optional(StringEnum(EXPORT_FORMATS)),
        organisationId: Type.Optional(Type.String({ format: 'uuid', description: 'Include this organisation’s local sub-nodes under their network nodes (its members and the network coordinators only)' })),
      }, { additionalProperties: false }),
      produces: ['application/json', 'text/csv', 'text/turtle'],
      response: { ...errorResponses(404) },
    },
  }, async (request, reply) => {
    const versions = await service.listVersions(ctx.db);
    if (!versions.some((v) => v.version === request.params.version)) throw taxonomyErrors.versionNotFound({ version: request.params.version });
    let doc = (await service.taxonomyVersion(ctx.db, request.params.version)).document;
    const format = request.query.format ?? 'json';
    let filename = `${doc.scheme}-${doc.version}`;
    const { organisationId } = request.query;
    if (organisationId) {
      const actor = requireActor(request);
      // Local nodes are the organisation's own: its members (and the network coordinators) may export them.
      if (!actor.grants.some((g) => g.organisationId === organisationId) && !canManageNetwork(actor)) {
        throw taxonomyErrors.organisationNotFound();
      }
      const org = await findOrganisation(ctx.db, organisationId);
      if (!org) throw taxonomyErrors.organisationNotFound();
      doc = documentWithLocalNodes(doc, await listLocalNodes(ctx.db, [organisationId], { includeRetired: true })).document;
      filename = `${filename}-${org.slug}`;
    }
    if (format === 'csv') {
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}.csv"`).send(taxonomyToCsv(doc));
    }
    if (format === 'skos') {
      return reply.type('text/turtle; charset=utf-8').header('content-disposition', `attachment; filename="${filename}.ttl"`).send(taxonomyToSkos(doc, ctx.config.baseUrl));
    }
    // The JSON export carries the crosswalk from the previous version, so that other systems can map their data.
    const crosswalk = await crosswalkInto(ctx.db, doc.version);
    const body = { ...doc, crosswalk: { fromVersion: crosswalk.fromVersion, entries: crosswalk.entries } };
    return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${filename}.json"`).send(JSON.stringify(body, null, 2));
  });

  registerTaxonomyGovernanceRoutes(root, ctx);
}
