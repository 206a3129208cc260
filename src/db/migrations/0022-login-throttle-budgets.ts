import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * Login throttling counts fixed-window budgets per account (`account:<email>`) and per client address
 * (`address:<address>`): an exhausted budget stays locked until its window ends, so a separate lock
 * time is no longer written or read. Rows keyed the old way (`<email>|<address>`) are never read again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`delete from login_throttle where key not like 'account:%' and key not like 'address:%'`.execute(db);
  await sql`alter table login_throttle drop column locked_until`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table login_throttle add column if not exists locked_until timestamptz`.execute(db);
}
