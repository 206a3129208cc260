import { type Kysely, sql } from 'kysely';

/*
 * Frozen in time: this migration never imports application code.
 *
 * A notification keeps the code of its ticket, so that reading notifications (a platform concern)
 * needs no join to the tickets module's table. A ticket keeps its code for life.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table notifications add column ticket_code text`.execute(db);
  await sql`update notifications n set ticket_code = t.code from tickets t where t.id = n.ticket_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table notifications drop column if exists ticket_code`.execute(db);
}
