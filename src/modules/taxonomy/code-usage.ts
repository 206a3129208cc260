import type { Database } from '../../db/database.js';
import type { Trx } from '../../platform/http.js';

type Db = Database | Trx;

/** Whether any stored record of the registering module uses `facet:code`. */
export type CodeUsageCheck = (db: Db, facet: string, code: string) => Promise<boolean>;

/*
 * The modules that store classification codes (tickets, FAQs…) sit above taxonomy and read their own
 * tables; a taxonomy change must not delete a code they use without a crosswalk. They register a
 * check here as the app starts (by name, so building the app again replaces rather than adds), and
 * taxonomy asks them all without importing them.
 */
const checks = new Map<string, CodeUsageCheck>();

export function registerCodeUsage(name: string, check: CodeUsageCheck): void {
  checks.set(name, check);
}

export async function isCodeUsed(db: Db, facet: string, code: string): Promise<boolean> {
  for (const check of checks.values()) if (await check(db, facet, code)) return true;
  return false;
}
