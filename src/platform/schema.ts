import { type TSchema, Type } from 'typebox';

/** A string enum rendered as JSON Schema `enum` (clear errors, clean OpenAPI). */
export function StringEnum<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Uuid = Type.String({ format: 'uuid' });
export const IsoDateTime = Type.String({ format: 'date-time' });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    params: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'The values of the case, by name: with `code`, what a client needs to write the message in its own words' }),
    ),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          path: Type.String(),
          message: Type.String(),
          field: Type.Optional(Type.String({ description: 'Dotted path of the field, as the client names its inputs' })),
          code: Type.Optional(Type.String({ description: 'Stable reason: required, too_short, too_long, invalid_format, not_allowed, invalid_type, unknown_field, out_of_range, …' })),
          params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        }),
      ),
    ),
  },
  { $id: 'Problem', additionalProperties: true },
);

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
};

/** Standard error responses for the OpenAPI document. */
export function errorResponses(...statuses: number[]): Record<number, unknown> {
  const out: Record<number, unknown> = {};
  for (const s of statuses) out[s] = Type.Ref('Problem');
  return out;
}
