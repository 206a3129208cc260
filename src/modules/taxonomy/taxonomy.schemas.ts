import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { TaxonomyDocument } from './taxonomy.js';

// The taxonomy document as the API returns it, named (`TaxonomyDocument`, `TaxonomyNode`) so the
// OpenAPI document and the generated web types describe it instead of an open object. Nodes nest
// (children), hence shared schemas referred to by $ref. Extra fields stay allowed: the serialiser
// must not drop what a newer document carries (deprecation, local nodes).
const LocalisedTextSchema = {
  type: 'object',
  required: ['it'],
  properties: { it: { type: 'string' }, en: { type: 'string' } },
  additionalProperties: { type: 'string' },
};

const TaxonomyNodeSchema = {
  $id: 'TaxonomyNode',
  type: 'object',
  required: ['code', 'label'],
  properties: {
    code: { type: 'string' },
    label: LocalisedTextSchema,
    description: LocalisedTextSchema,
    children: { type: 'array', items: { $ref: 'TaxonomyNode#' } },
    deprecated: { type: 'boolean' },
    replacedBy: { type: 'array', items: { type: 'string' }, description: 'For a deprecated node: the code(s) to use instead' },
  },
  additionalProperties: true,
};

const TaxonomyDocumentJsonSchema = {
  $id: 'TaxonomyDocument',
  type: 'object',
  required: ['scheme', 'version', 'facets'],
  properties: {
    scheme: { type: 'string' },
    version: { type: 'string' },
    facets: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'label', 'multi', 'required', 'nodes'],
        properties: {
          code: { type: 'string' },
          label: LocalisedTextSchema,
          description: LocalisedTextSchema,
          multi: { type: 'boolean' },
          required: { type: 'boolean' },
          nodes: { type: 'array', items: { $ref: 'TaxonomyNode#' } },
        },
        additionalProperties: true,
      },
    },
  },
  additionalProperties: true,
};

/** Registers the shared schemas the references below resolve to; call before any route uses them. */
export function addTaxonomyDocumentSchemas(app: FastifyInstance): void {
  app.addSchema(TaxonomyNodeSchema);
  app.addSchema(TaxonomyDocumentJsonSchema);
}

/** A whole taxonomy document (response schema). */
export const TaxonomyDocumentRef = () => Type.Unsafe<TaxonomyDocument>({ $ref: 'TaxonomyDocument#' });
