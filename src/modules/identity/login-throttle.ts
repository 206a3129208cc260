import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import { addressKey } from '../../platform/client-address.js';

/** Failed attempts allowed per account in a window, from any address. */
const ACCOUNT_ATTEMPTS = 5;
/** Failed attempts allowed per client address in a window, whatever the accounts tried. */
const ADDRESS_ATTEMPTS = 20;
/** Length of the fixed window; an exhausted budget stays locked until the window ends. */
const WINDOW_SECONDS = 15 * 60;

export interface LoginAttempt {
  readonly accountKey: string;
  readonly addressKey: string;
}

export type Reservation = { allowed: true; attempt: LoginAttempt } | { allowed: false; retryAfterSeconds: number };

/**
 * Takes one attempt from the account's and the address's budgets before the password is checked.
 * The counters are incremented in one upsert, so concurrent attempts each see a distinct count: with
 * 20 wrong passwords sent at once, only the first ACCOUNT_ATTEMPTS reach the password check. The
 * budgets live in the database, so they hold across instances. An attempt that succeeds gives its
 * unit back (`loginSucceeded`); a failure keeps it.
 */
export async function reserveLoginAttempt(db: Database, email: string, ip: string): Promise<Reservation> {
  const attempt = { accountKey: `account:${email.trim().toLowerCase()}`, addressKey: `address:${addressKey(ip)}` };
  const windowStart = sql<Date>`now() - make_interval(secs => ${WINDOW_SECONDS})`;
  const expired = sql<boolean>`login_throttle.window_started_at <= ${windowStart}`;
  const rows = await db
    .insertInto('login_throttle')
    .values([
      { key: attempt.accountKey, failures: 1, window_started_at: sql`now()` },
      { key: attempt.addressKey, failures: 1, window_started_at: sql`now()` },
    ])
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql`case when ${expired} then 1 else login_throttle.failures + 1 end`,
        window_started_at: sql`case when ${expired} then now() else login_throttle.window_started_at end`,
      }),
    )
    .returning(['key', 'failures', sql<number>`greatest(1, ceil(extract(epoch from window_started_at + make_interval(secs => ${WINDOW_SECONDS}) - now())))::int`.as('retryAfter')])
    .execute();
  const over = rows.filter((r) => r.failures > (r.key === attempt.accountKey ? ACCOUNT_ATTEMPTS : ADDRESS_ATTEMPTS));
  if (over.length > 0) return { allowed: false, retryAfterSeconds: Math.max(...over.map((r) => Number(r.retryAfter))) };
  return { allowed: true, attempt };
}

/**
 * A correct password clears the account's failures and returns the attempt to the address budget
 * (so the logins of a whole office behind one address do not add up), keeping the address's failures.
 */
export async function loginSucceeded(db: Database, attempt: LoginAttempt): Promise<void> {
  // One statement (one round trip): the delete runs as a data-modifying CTE of the update.
  await db
    .with('cleared', (qb) => qb.deleteFrom('login_throttle').where('key', '=', attempt.accountKey).returning('key'))
    .updateTable('login_throttle')
    .set({ failures: sql`greatest(0, failures - 1)` })
    .where('key', '=', attempt.addressKey)
    .execute();
}
