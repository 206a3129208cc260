import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { platformErrors } from './errors.js';

// ajv-formats ships CommonJS with a default export object.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

/** Exactly what PostgreSQL's uuid type accepts from us: ajv-formats' uuid also admits `urn:uuid:…`. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A date-time both JavaScript and PostgreSQL read as the same instant: RFC 3339 (ajv-formats'
 * check), year 0001 or later (PostgreSQL has no year 0), and no leap second (JavaScript's Date
 * rejects `23:59:60`, which ajv-formats admits).
 */
const isStorableDateTime = (rfc3339: (s: string) => boolean) => (value: string) =>
  rfc3339(value) && !value.startsWith('0000') && Number.isFinite(Date.parse(value));

const isStorableDate = (rfc3339: (s: string) => boolean) => (value: string) => rfc3339(value) && !value.startsWith('0000');

/** The validate function of a format ajv-formats registered (a function, or `{ validate }`). */
function registeredCheck(ajv: Ajv, name: string): (s: string) => boolean {
  const format = ajv.formats[name] as ((s: string) => boolean) | { validate: (s: string) => boolean } | undefined;
  if (typeof format === 'function') return format;
  if (format && typeof format.validate === 'function') return format.validate;
  throw new Error(`format ${name} missing`);
}

/** Custom keyword: the value, when a number, is finite. */
const FINITE_KEYWORD = 'finiteNumber';

function makeAjv(options: Options): Ajv {
  // strictNumbers: a query value like `1e400` coerces to Infinity, which is no number we can store.
  // allErrors: a form learns about every invalid field at once, not one per submit.
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, strictNumbers: true, ...options });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  // Query coercion turns `1e400` into Infinity after the type check, and with strictNumbers the
  // bounds below then skip it (AJV guards numeric keywords with isFinite): this keyword (added to every numeric schema) refuses it.
  ajv.addKeyword({ keyword: FINITE_KEYWORD, schemaType: 'boolean', errors: false, validate: (_schema: boolean, data: unknown) => typeof data !== 'number' || Number.isFinite(data) });
  ajv.addFormat('uuid', UUID_PATTERN);
  ajv.addFormat('date-time', { type: 'string', validate: isStorableDateTime(registeredCheck(ajv, 'date-time')) });
  ajv.addFormat('date', { type: 'string', validate: isStorableDate(registeredCheck(ajv, 'date')) });
  return ajv;
}

/**
 * Integers travel as JavaScript numbers and land in int4/int8 columns: beyond 2^53 they are no
 * longer exact, and beyond 2^63 PostgreSQL rejects them with a 5xx. Every integer without an
 * explicit bound is bounded at the safe range, and every number must be finite, so an overflow is
 * a 400 and not a database error.
 */
function boundIntegers(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(boundIntegers);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // `enum`, `const`, `default` and `examples` hold data, not schemas.
    out[key] = key === 'enum' || key === 'const' || key === 'default' || key === 'examples' ? value : boundIntegers(value);
  }
  const type = out.type;
  const isType = (name: string) => type === name || (Array.isArray(type) && type.includes(name));
  if (isType('integer') || isType('number')) out[FINITE_KEYWORD] = true;
  if (isType('integer')) {
    if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = Number.MAX_SAFE_INTEGER;
    if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = Number.MIN_SAFE_INTEGER;
  }
  return out;
}

/**
 * Bodies are validated strictly: wrong types are errors (no coercion) and unknown fields are
 * errors (no silent removal). Query strings, params and headers arrive as text, so they are coerced.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = makeAjv({ coerceTypes: false, removeAdditional: false });
  const lenient = makeAjv({ coerceTypes: 'array', removeAdditional: false });
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : lenient;
    return ajv.compile(boundIntegers(schema) as object) as ReturnType<FastifySchemaCompiler<unknown>>;
  };
}

/** Thrown when any text of the request (query, path, JSON body: values or keys) holds a NUL character. */
const nulCharacter = (part: string) => platformErrors.nulCharacter({ part });

/** True when a parsed JSON value or query object holds a NUL in any string, key included. Iterative: a deeply nested body cannot overflow the stack. */
function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return true;
    } else if (Array.isArray(item)) {
      for (const v of item) stack.push(v);
    } else if (item !== null && typeof item === 'object' && !Buffer.isBuffer(item) && typeof (item as { pipe?: unknown }).pipe !== 'function') {
      for (const [k, v] of Object.entries(item)) {
        if (k.includes('\u0000')) return true;
        stack.push(v);
      }
    }
  }
  return false;
}

/**
 * PostgreSQL text cannot hold NUL (`invalid byte sequence for encoding "UTF8": 0x00`), so a NUL
 * anywhere in the request would surface as a 5xx deep in a query. It is refused once, here, before
 * validation, for every route: no text field of the API has a use for it.
 *
 * JSON bodies are parsed here too. An empty one means "no body" (e.g. POST …/accept sent with
 * Content-Type: application/json). JSON text can carry a NUL only as the escape `\u0000` (a raw
 * control character is invalid JSON), so a JSON body whose text lacks it is NUL-free without walking
 * the parsed value, which on a large body of many small fields costs as much as parsing it.
 */
export function registerInputGuards(app: FastifyInstance): void {
  const nulFreeJson = new WeakSet<FastifyRequest>();
  const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    if (!text.includes('\\u0000')) nulFreeJson.add(request);
    defaultJsonParser(request, text, done);
  });
  app.addHook('preValidation', async (request) => {
    if (containsNul(request.params)) throw nulCharacter('path');
    if (containsNul(request.query)) throw nulCharacter('query');
    if (!nulFreeJson.has(request) && containsNul(request.body)) throw nulCharacter('body');
  });
}
