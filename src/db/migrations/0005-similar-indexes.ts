import { type Kysely, sql } from 'kysely';

/*
 * Similar-ticket suggestions look only at open tickets of the last weeks: partial indexes on open
 * tickets keep them small as the archive of closed tickets grows. Frozen in time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index tickets_open_search_idx on tickets using gin (search) where status not in ('resolved','closed')`.execute(db);
  await sql`create index tickets_open_topic_idx on tickets ((classification->>'tema'), created_at desc) where status not in ('resolved','closed')`.execute(db);
  await sql`create index tickets_open_subject_trgm_idx on tickets using gin (subject gin_trgm_ops) where status not in ('resolved','closed')`.execute(db);
  await sql`create index tickets_open_created_idx on tickets (created_at) where status not in ('resolved','closed')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of ['tickets_open_search_idx', 'tickets_open_topic_idx', 'tickets_open_subject_trgm_idx', 'tickets_open_created_idx']) {
    await sql`drop index if exists ${sql.ref(name)}`.execute(db);
  }
}
