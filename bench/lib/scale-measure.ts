/**
 * Measuring helpers of the network-scale benchmark: sequential HTTP GETs against the app listening
 * on loopback, and EXPLAIN (ANALYZE, BUFFERS) of the exact SQL the repositories send (captured with
 * a logging Kysely over the same pool).
 */
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { DB } from '../../src/db/schema.js';

export interface CapturedQuery {
  sql: string;
  parameters: unknown[];
}

/** A Kysely over the same pool that records every compiled query. Never destroy it (it would end the pool). */
export function capturingDb(pool: pg.Pool): { db: Kysely<DB>; last(): CapturedQuery | null; reset(): void } {
  let last: CapturedQuery | null = null;
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level === 'query') last = { sql: event.query.sql, parameters: [...event.query.parameters] };
    },
  });
  return {
    db,
    last: () => last,
    reset: () => {
      last = null;
    },
  };
}

export interface PlanSummary {
  /** Every line of the plan, as PostgreSQL printed it. */
  lines: string[];
  executionMs: number;
  planningMs: number;
}

export async function explainAnalyze(pool: pg.Pool, q: CapturedQuery): Promise<PlanSummary> {
  const res = await pool.query(`explain (analyze, buffers) ${q.sql}`, q.parameters);
  const lines = res.rows.map((r: Record<string, string>) => r['QUERY PLAN'] ?? Object.values(r)[0] ?? '');
  const num = (label: string) => Number(lines.find((l) => l.startsWith(label))?.replace(/[^0-9.]/g, '') ?? Number.NaN);
  return { lines, executionMs: num('Execution Time'), planningMs: num('Planning Time') };
}

/** The plan lines worth reading in a log: nodes with their timings, trimmed, at most `max`. */
export function planDigest(plan: PlanSummary, max = 45): string[] {
  const keep = plan.lines.filter((l) => !/^\s*(Output|Planning:|Buffers: shared hit=\d+$)/.test(l));
  const out = keep.slice(0, max).map((l) => (l.length > 200 ? `${l.slice(0, 197)}…` : l));
  if (keep.length > max) out.push(`… (${keep.length - max} more lines)`);
  return out;
}

export interface HttpGetResult {
  status: number;
  body: unknown;
}

/** One GET with keep-alive (fetch pools connections per origin). */
export async function httpGet(baseUrl: string, url: string, token: string): Promise<HttpGetResult> {
  const res = await fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}
