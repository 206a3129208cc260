import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { access } from '../../platform/policy.js';
import { errorResponses } from '../../platform/schema.js';
import * as service from './taxonomy.service.js';

const TaxonomyDocumentSchema = Type.Unsafe<unknown>({
  type: 'object',
  description: 'Taxonomy document: { scheme, version, facets: [{ code, label, description, required, multi, nodes: [{ code, label, description, children }] }] }',
  additionalProperties: true,
});

export function registerTaxonomyRoutes(root: FastifyInstance, ctx: AppContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/v1/taxonomy', {
    config: { access: access.authenticated },
    schema: { tags: ['taxonomy'], summary: 'Versione corrente della tassonomia condivisa', response: { 200: TaxonomyDocumentSchema } },
  }, async (_request, reply) => {
    const tax = await service.currentTaxonomy(ctx.db);
    reply.header('cache-control', 'private, max-age=60');
    return tax.document;
  });

  app.get('/api/v1/taxonomy/versions', {
    config: { access: access.authenticated },
    schema: {
      tags: ['taxonomy'], summary: 'Versioni pubblicate della tassonomia',
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ version: Type.String(), status: Type.String(), publishedAt: Type.Union([Type.String(), Type.Null()]) })) }) },
    },
  }, async () => ({
    items: (await service.listVersions(ctx.db)).map((v) => ({ version: v.version, status: v.status, publishedAt: v.publishedAt?.toISOString() ?? null })),
  }));

  app.get('/api/v1/taxonomy/versions/:version', {
    config: { access: access.authenticated },
    schema: {
      tags: ['taxonomy'], summary: 'Una versione della tassonomia', params: Type.Object({ version: Type.String({ pattern: '^\\d+\\.\\d+\\.\\d+$' }) }),
      response: { 200: TaxonomyDocumentSchema, ...errorResponses(404) },
    },
  }, async (request) => {
    const versions = await service.listVersions(ctx.db);
    if (!versions.some((v) => v.version === request.params.version)) throw notFound('taxonomy.version_not_found', `La versione ${request.params.version} della tassonomia non esiste.`);
    return (await service.taxonomyVersion(ctx.db, request.params.version)).document;
  });
}
