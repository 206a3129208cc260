import type { Kysely } from 'kysely';

/* Frozen in time: this migration never imports application code. */

export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
