/**
 * Named schemas in the OpenAPI document. A shared TypeBox schema that carries an `$id` (`Office`,
 * `Ticket`, …) becomes `#/components/schemas/<id>` when it is nested in a route's schema, but
 * @fastify/swagger inlines it when it *is* a route's whole response. Wrapping such a response in a
 * one-item `allOf` makes it nested, so it is referenced by name as well, and the generated web types
 * (web/src/api/schema.d.ts) say `components['schemas']['Office']` everywhere. Document only: the
 * route's validation and serialisation use the original schema.
 */
import type { FastifySchema } from 'fastify';

type JsonSchema = Record<string, unknown>;

function named(schema: unknown): schema is JsonSchema & { $id: string } {
  return typeof schema === 'object' && schema !== null && typeof (schema as JsonSchema).$id === 'string' && !(schema as JsonSchema).$id!.toString().includes('#');
}

/** `transform` for @fastify/swagger: refer to named response schemas instead of inlining them. */
export function referNamedResponses(input: { schema: FastifySchema; url: string }): { schema: FastifySchema; url: string } {
  const { schema } = input;
  const response = schema?.response as Record<string, unknown> | undefined;
  if (!response) return { schema, url: input.url };
  const wrapped: Record<string, unknown> = {};
  for (const [status, body] of Object.entries(response)) wrapped[status] = named(body) ? { allOf: [body] } : body;
  return { schema: { ...schema, response: wrapped }, url: input.url };
}
