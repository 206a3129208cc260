import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Client, demoEmail, login, ticketInput } from './helpers/test-app.js';

/**
 * Generated fuzz suite, driven by /api/openapi.json: every operation is called with path, query and
 * body generated from its own schemas, mixed with hostile values (NUL, huge numbers, overlong
 * strings, wrong types, malformed UUIDs and dates, odd unicode), as anonymous and as real demo users
 * (session cookie + CSRF header). Whatever comes in, the answer is never a 5xx, and every 4xx is
 * application/problem+json with a stable `code`.
 *
 * Deterministic by default (FUZZ_SEED to explore another part of the space; FUZZ_RUNS for more
 * requests per operation). A failure prints the shrunk request.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20260905);
const MIN_REQUESTS = 10_000;

type Schema = Record<string, unknown>;
interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body: Schema | null;
  multipart: boolean;
}

/** Operations that never end (a server-sent event stream) cannot be injected. */
const SKIPPED = new Set(['GET /api/v1/notifications/stream', 'GET /api/v1/routing/stream']);
/** Operations that end the caller's session would blind the rest of the run: they get a session of their own (logged out after its first call). */
const OWN_SESSION = new Set(['POST /api/v1/auth/logout']);
/** Operations whose work is heavy when authorised (a full model training): fewer runs. */
const FEW_RUNS: Record<string, number> = { 'POST /api/v1/classification/models/train': 3 };
/** File uploads: the OpenAPI document lists their body as multipart, without a JSON schema. */
const MULTIPART = new Set(['POST /api/v1/tickets/{code}/attachments', 'POST /api/v1/history-imports']);

const t = await buildTestApp();
afterAll(async () => {
  await t?.close();
});

const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
};

const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => {
    const key = `${method.toUpperCase()} ${path}`;
    return {
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content?.['application/json']?.schema ?? null,
      multipart: MULTIPART.has(key),
    };
  }),
).filter((op) => !SKIPPED.has(`${op.method} ${op.path}`));

// Real users and real resources, so that generated requests also reach the code behind the checks.
const operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
const admin = await login(t.app, demoEmail('admin', 'comune-celano'));
const coordinator = await login(t.app, demoEmail('coordinatore'));
const clients: (Client | null)[] = [null, operator, admin, coordinator];
const ownSession = await login(t.app, demoEmail('backoffice', 'comune-celano'));
const ticket = (await operator.post('/api/v1/tickets', ticketInput(operator))).json() as { id: string; code: string };
const faqs = ((await coordinator.get('/api/v1/faq?limit=5')).json() as { items?: { id: string }[] }).items ?? [];
const realIds = [operator.userId, operator.officeId, operator.organisationId, admin.userId, ticket.id, ...faqs.map((f) => f.id)];
const realValues = { code: [ticket.code], version: ['1.0.0'], id: realIds };

const hostileStrings = [
  '', ' ', '\u0000', 'a\u0000b', 'x'.repeat(10_000), '------------------------------------', 'urn:uuid:00000000-0000-4000-8000-000000000000',
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-fffffffffffff', '9223372036854775808', '-9223372036854775809', '1e400', 'NaN',
  'Infinity', '0000-01-01T00:00:00Z', '2026-02-30', '2026-06-30T23:59:60Z', '+275760-09-13T00:00:00.000Z', '\ud800', '\udfff\ud800', '🙂🏛️',
  'Z̷̢a̵l̸g̶o', '\u202eabc', '\ufeff', '%', '%00', '%E0%A4%A', '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>', '{{nome}}',
  '{"a":1}', 'true', 'null', '-1', '0', '1.5', 'ÿ'.repeat(300), '\r\n\t', 'me', 'none',
];
const hostileValues: unknown[] = [
  ...hostileStrings, null, true, false, 0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, 2 ** 63, 1e308, -1e308, [], [null], {}, { a: '\u0000' }, [[[[[]]]]],
];

/** True one time in eight: changes that make every request fail at the first check must not crowd out the rest. */
const rarely = fc.nat({ max: 7 }).map((n) => n === 0);
/** True one time in three: optional query parameters, each a chance to fail early. */
const sometimes = fc.nat({ max: 2 }).map((n) => n === 0);
const hostile = () => fc.constantFrom(...hostileValues);
const hostileText = () => fc.constantFrom(...hostileStrings);

function resolve(schema: Schema | undefined): Schema {
  if (!schema) return {};
  const ref = schema.$ref;
  if (typeof ref === 'string') return resolve(doc.components?.schemas?.[ref.replace('#/components/schemas/', '')]);
  return schema;
}

function stringFor(schema: Schema): fc.Arbitrary<string> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as string[]));
  const maxLength = typeof schema.maxLength === 'number' ? Math.min(schema.maxLength, 300) : 300;
  const minLength = typeof schema.minLength === 'number' ? Math.min(schema.minLength, maxLength) : 0;
  switch (schema.format) {
    case 'uuid':
      return fc.oneof({ arbitrary: fc.constantFrom(...realIds), weight: 3 }, { arbitrary: fc.uuid(), weight: 1 });
    case 'date-time':
      return fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'date':
      return fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'email':
      return fc.emailAddress();
  }
  if (typeof schema.pattern === 'string') {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).map((s) => s.slice(0, maxLength));
    } catch {
      // a pattern fast-check cannot generate from: fall back to free text
    }
  }
  return fc.string({ minLength, maxLength: Math.min(maxLength, 80), unit: fc.oneof(fc.constant('a'), fc.constant(' '), fc.constant('è'), fc.constant('.'), fc.string({ unit: 'binary', maxLength: 1 })) });
}

/** A value valid for the schema (hostile changes come later, from `corrupted`); `depth` bounds recursion. */
function valueFor(input: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  const variants = [...((schema.anyOf as Schema[] | undefined) ?? []), ...((schema.oneOf as Schema[] | undefined) ?? [])];
  let valid: fc.Arbitrary<unknown>;
  if (variants.length > 0) valid = fc.oneof(...variants.map((v) => valueFor(v, depth + 1)));
  else if (Array.isArray(schema.enum)) valid = fc.constantFrom(...(schema.enum as unknown[]));
  else {
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'string':
        valid = stringFor(schema);
        break;
      case 'integer':
        valid = fc.integer({
          min: typeof schema.minimum === 'number' ? schema.minimum : -1000,
          max: typeof schema.maximum === 'number' ? Math.min(schema.maximum, 2 ** 31) : 100_000,
        });
        break;
      case 'number':
        valid = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
        break;
      case 'boolean':
        valid = fc.boolean();
        break;
      case 'null':
        valid = fc.constant(null);
        break;
      case 'array':
        valid = depth > 4 ? fc.constant([]) : fc.array(valueFor(schema.items as Schema, depth + 1), { maxLength: Math.min(Number(schema.maxItems ?? 4), 4) });
        break;
      case 'object':
        valid = depth > 4 ? fc.constant({}) : objectFor(schema, depth);
        break;
      default:
        valid = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null));
    }
  }
  if (schema.nullable === true) valid = fc.oneof(valid, fc.constant(null));
  return valid;
}

/** Every place in a JSON value that a mutation can hit: the value itself, then each nested entry. */
function slots(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) slots(v, [...at, i], out);
  }
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) slots(v, [...at, k], out);
  return out;
}

type Mutation = { kind: 'none' } | { kind: 'replace'; value: unknown } | { kind: 'nul' | 'overlong' | 'delete' | 'stringify' };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'none' as const }), weight: 1 },
  { arbitrary: hostile().map((value) => ({ kind: 'replace' as const, value })), weight: 3 },
  { arbitrary: fc.constant({ kind: 'nul' as const }), weight: 3 },
  { arbitrary: fc.constantFrom('overlong' as const, 'delete' as const, 'stringify' as const).map((kind) => ({ kind })), weight: 2 },
);

function applyMutation(value: unknown, path: (string | number)[], mutation: Mutation): unknown {
  if (mutation.kind === 'none') return value;
  if (path.length === 0) {
    switch (mutation.kind) {
      case 'replace':
        return mutation.value;
      case 'nul':
        return typeof value === 'string' ? `${value.slice(0, 3)}\u0000${value.slice(3)}` : '\u0000';
      case 'overlong':
        return typeof value === 'string' ? value.padEnd(50_000, 'è') : 1e300;
      case 'stringify':
        return JSON.stringify(value) ?? 'undefined';
      case 'delete':
        return undefined;
    }
  }
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? applyMutation(v, rest, mutation) : v)).filter((v) => v !== undefined);
  const copy = { ...(value as Record<string, unknown>) };
  const next = applyMutation(copy[head as string], rest, mutation);
  if (next === undefined) delete copy[head as string];
  else copy[head as string] = next;
  return copy;
}

/** A schema-valid value, then (most of the time) one hostile change at one place in it: one bad field among valid ones reaches deepest. */
function corrupted(arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(arb, fc.nat(), mutationArb).map(([value, pick, mutation]) => {
    // Leaves (the fields a user types) first; the whole value only when it has no parts.
    const all = slots(value);
    const places = all.length > 1 ? all.slice(1) : all;
    return applyMutation(value, places[pick % places.length] ?? [], mutation);
  });
}

function objectFor(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const entries = Object.entries(properties).map(([name, s]) => fc.tuple(fc.constant(name), valueFor(s, depth + 1), fc.boolean()));
  const extra = schema.additionalProperties && typeof schema.additionalProperties === 'object'
    ? fc.array(fc.tuple(fc.oneof(fc.stringMatching(/^[a-z_]{2,12}$/), hostileText()), valueFor(schema.additionalProperties as Schema, depth + 1)), { maxLength: 3 })
    : fc.constant([] as [string, unknown][]);
  return fc.tuple(fc.tuple(...entries), extra, rarely, rarely).map(([props, more, dropRequired, unknownField]) => {
    const out: Record<string, unknown> = {};
    for (const [name, value, include] of props) if (include || (required.has(name) && !dropRequired)) out[name] = value;
    for (const [name, value] of more) out[name] = value;
    if (unknownField) out['campoSconosciuto'] = 1;
    return out;
  });
}

/** encodeURIComponent, also for strings with lone surrogates (which it refuses). */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
}

function pathValueFor(param: Parameter): fc.Arbitrary<string> {
  const real = realValues[param.name as keyof typeof realValues] ?? realIds;
  return fc.oneof(
    { arbitrary: fc.constantFrom(...real).map(encodeSegment), weight: 3 },
    { arbitrary: corrupted(valueFor(param.schema)).map((v) => encodeSegment(typeof v === 'string' ? v : JSON.stringify(v) ?? '')), weight: 2 },
    // Raw, not encoded: malformed percent-escapes and over-long segments reach the router as they are.
    { arbitrary: fc.constantFrom('%', '%E0%A4%A', '%zz', 'A'.repeat(5000), '..', '%2e%2e'), weight: 1 },
  );
}

function queryFor(params: Parameter[]): fc.Arbitrary<string> {
  const fields = params.map((p) => fc.tuple(fc.constant(p.name), valueFor(p.schema), p.required ? fc.constant(true) : sometimes));
  const object = fc.tuple(...fields).map((values) => Object.fromEntries(values.filter(([, , include]) => include).map(([name, value]) => [name, value])));
  return fc.tuple(corrupted(object), rarely, fc.boolean()).map(([values, unknown, repeat]) => {
    const qs = new URLSearchParams();
    const entries = values !== null && typeof values === 'object' && !Array.isArray(values) ? Object.entries(values) : [['q', values] as const];
    for (const [name, value] of entries) {
      if (value === undefined) continue;
      const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
      qs.append(name, text);
      if (repeat) qs.append(name, text);
    }
    if (unknown) qs.append('sconosciuto', '1');
    return qs.toString();
  });
}

function multipartFor(): fc.Arbitrary<{ payload: string; contentType: string }> {
  return fc.record({
    filename: fc.oneof(fc.constantFrom('nota.txt', 'storico.csv', 'a.pdf'), hostileText()),
    content: fc.oneof(fc.constantFrom('id;testo\n1;buca\n2;luce\n', '%PDF-1.4\n', 'MZ'), fc.string({ maxLength: 200 })),
    truncateAt: fc.option(fc.nat({ max: 200 }), { nil: undefined }),
    boundary: fc.constantFrom('B', 'B', ''),
  }).map(({ filename, content, truncateAt, boundary }) => {
    const whole = `--B\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n--B--\r\n`;
    return { payload: truncateAt === undefined ? whole : whole.slice(0, truncateAt), contentType: `multipart/form-data; boundary=${boundary}` };
  });
}

const headersArb = fc.record({
  ifMatch: fc.option(fc.constantFrom('*', '"1"', 'W/"2"', '"99999999999999999999999"', '"-1"', 'rotto', '""'), { nil: undefined }),
  idempotencyKey: fc.option(fc.oneof(fc.uuid(), fc.constantFrom('corta', 'x'.repeat(300), 'chiave con spazi')), { nil: undefined }),
  accept: fc.constantFrom('application/json', 'text/csv', '*/*', 'application/xml'),
});

function requestFor(op: Operation): fc.Arbitrary<{ client: number; options: InjectOptions }> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const pathArb = fc.tuple(...pathParams.map((p) => pathValueFor(p))).map((values) =>
    pathParams.reduce((path, p, i) => path.replace(`{${p.name}}`, values[i] ?? ''), op.path),
  );
  const queryArb = queryFor(op.parameters.filter((p) => p.in === 'query'));
  const bodyArb: fc.Arbitrary<{ payload?: string; contentType?: string }> = op.multipart
    ? multipartFor()
    : op.body
      ? fc.oneof(
          { arbitrary: corrupted(valueFor(op.body)).map((b) => ({ payload: JSON.stringify(b) ?? 'null', contentType: 'application/json' })), weight: 6 },
          { arbitrary: fc.constantFrom('{', '{"a":', '[', '"\\u0000"', '{"__proto__":{"x":1}}', '1e400').map((payload) => ({ payload, contentType: 'application/json' })), weight: 1 },
          { arbitrary: fc.constant({ payload: 'a=1', contentType: 'application/x-www-form-urlencoded' }), weight: 1 },
        )
      : fc.constant({});
  return fc.record({ client: fc.nat({ max: clients.length - 1 }), path: pathArb, query: queryArb, body: bodyArb, headers: headersArb }).map(({ client, path, query, body, headers }) => ({
    client,
    options: {
      method: op.method as InjectOptions['method'],
      url: query ? `${path}?${query}` : path,
      ...(body.payload !== undefined && { payload: body.payload }),
      headers: {
        accept: headers.accept,
        ...(body.contentType && { 'content-type': body.contentType }),
        ...(headers.ifMatch && { 'if-match': headers.ifMatch }),
        ...(headers.idempotencyKey && { 'idempotency-key': headers.idempotencyKey }),
      },
    },
  }));
}

let sent = 0;

async function send(op: Operation, client: Client | null, options: InjectOptions): Promise<LightMyRequestResponse> {
  sent++;
  if (OWN_SESSION.has(`${op.method} ${op.path}`) && client) return ownSession.request(options);
  return client ? client.request(options) : t.app.inject(options);
}

function violation(res: LightMyRequestResponse): string | null {
  if (res.statusCode >= 500) return `${res.statusCode}: ${res.body.slice(0, 300)}`;
  if (res.statusCode >= 400) {
    if (!String(res.headers['content-type'] ?? '').startsWith('application/problem+json')) return `${res.statusCode} as ${res.headers['content-type']}: ${res.body.slice(0, 200)}`;
    const body = res.json() as { code?: unknown; status?: unknown };
    if (typeof body.code !== 'string' || body.code === '') return `${res.statusCode} problem without a code`;
    if (body.status !== res.statusCode) return `${res.statusCode} problem with status ${String(body.status)}`;
  }
  return null;
}

const runsPerOperation = Math.ceil((MIN_REQUESTS * Number(process.env.FUZZ_RUNS ?? 1.05)) / operations.length);

describe('generated fuzz over every OpenAPI operation', () => {
  it('covers the whole API document', () => {
    expect(operations.length).toBeGreaterThan(100);
    expect(operations.some((op) => op.body)).toBe(true);
  });

  for (const op of operations) {
    const key = `${op.method} ${op.path}`;
    it(`${key}: never a 5xx, every 4xx is problem+json with a code`, async () => {
      await fc.assert(
        fc.asyncProperty(requestFor(op), async ({ client, options }) => {
          const res = await send(op, clients[client] ?? null, options);
          const problem = violation(res);
          if (problem) throw new Error(`${options.method} ${options.url} → ${problem}`);
        }),
        { numRuns: FEW_RUNS[key] ?? runsPerOperation, seed: SEED },
      );
    }, 120_000);
  }

  it(`sent at least ${MIN_REQUESTS} requests`, () => {
    expect(sent).toBeGreaterThanOrEqual(MIN_REQUESTS);
  });
});
