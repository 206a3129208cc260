import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { DB } from '../db/schema.js';
import { platformErrors } from './errors.js';
import { UUID_PATTERN } from './validation.js';

export type Trx = Transaction<DB>;

/** ETag of a versioned resource. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version the client claims to update, from If-Match. Returns null when the header is absent
 * and `required` is false (the update is then unconditional).
 */
export function expectedVersion(request: FastifyRequest, required = true): number | null {
  const header = request.headers['if-match'];
  if (header === undefined || header === '') {
    if (required) throw platformErrors.preconditionRequired();
    return null;
  }
  if (header === '*') return null;
  const match = /^(?:W\/)?"(\d+)"$/.exec(String(header).trim());
  if (!match?.[1]) throw platformErrors.preconditionMalformed();
  return Number(match[1]);
}

export function checkVersion(expected: number | null, actual: number): void {
  if (expected !== null && expected !== actual) throw platformErrors.preconditionFailed();
}

/** Opaque cursor for keyset pagination over (timestamp, id). */
export interface Cursor {
  at: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

/**
 * Cursors carry `Date.toISOString()` output: anything else (a year PostgreSQL cannot store, a
 * format JavaScript and PostgreSQL read differently) is a tampered cursor, refused before the query.
 */
function isCursorInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) || value.startsWith('0000')) return false;
  const time = Date.parse(value);
  return Number.isFinite(time) && new Date(time).toISOString() === value;
}

/** Decodes a cursor received from a client; a cursor we did not produce is a 400 `pagination.invalid_cursor`. */
export function decodeCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && isCursorInstant(parsed[0]) && typeof parsed[1] === 'string' && UUID_PATTERN.test(parsed[1])) {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw platformErrors.invalidCursor();
}

export interface CreatedResult<T> {
  status: number;
  body: T;
  headers?: Record<string, string>;
}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_\-:.]{8,200}$/;

/**
 * Runs a create use case at most once per (user, Idempotency-Key). The key row is inserted in the
 * same transaction as the resource: a concurrent retry blocks on the key's primary key until the
 * first commits, then replays the stored response. A reused key with a different body is a 422.
 */
export async function idempotentCreate<T>(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
  create: (trx: Trx) => Promise<CreatedResult<T>>,
): Promise<T> {
  const key = request.headers['idempotency-key'];
  if (key === undefined) {
    const result = await db.transaction().execute(create);
    return send(reply, result);
  }
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
    throw platformErrors.idempotencyInvalidKey();
  }
  const requestHash = createHash('sha256').update(`${request.method} ${request.url}\n${stableStringify(request.body ?? null)}`).digest('hex');
  const outcome = await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('idempotency_keys')
      .values({ user_id: userId, key, method: request.method, path: request.url, request_hash: requestHash })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!inserted) {
      const stored = await trx.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirstOrThrow();
      if (stored.request_hash !== requestHash) {
        throw platformErrors.idempotencyKeyReused();
      }
      if (stored.status_code === null) throw platformErrors.idempotencyInProgress();
      return { replay: true, status: stored.status_code, body: stored.response as T, headers: (stored.headers ?? {}) as Record<string, string> };
    }
    const result = await create(trx);
    await trx
      .updateTable('idempotency_keys')
      .set({ status_code: result.status, response: JSON.stringify(result.body), headers: JSON.stringify(result.headers ?? {}) })
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .execute();
    return { replay: false, ...result };
  });
  if (outcome.replay) reply.header('idempotent-replayed', 'true');
  return send(reply, outcome);
}

function send<T>(reply: FastifyReply, result: CreatedResult<T>): T {
  reply.status(result.status);
  for (const [k, v] of Object.entries(result.headers ?? {})) reply.header(k, v);
  return result.body;
}
