import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../src/db/database.js';
import * as m0041 from '../src/db/migrations/0041-alarm-states.js';
import { openMigratedMemoryDb } from './helpers/memory-db.js';

/**
 * Migration 0041 on a database whose alarms already have network-wide statuses (issue 14): each
 * status moves to the body of the user who gave it; an open alarm gets no row (open for every body).
 */
let database: OpenedDatabase;
let q: Awaited<ReturnType<typeof openMigratedMemoryDb>>['q'];
let close: () => Promise<void>;

beforeAll(async () => {
  ({ database, q, close } = await openMigratedMemoryDb());
});
afterAll(async () => {
  await close?.();
});

describe('migration 0041-alarm-states', () => {
  it("moves each alarm's status to the body of whoever gave it", async () => {
    await m0041.down(database.db as unknown as Kysely<unknown>);
    const [celano, rete] = await q<{ id: string }>(sql`
      insert into organisations (slug, name, type, ipa_code) values ('a-celano', 'Comune di Celano', 'comune', 'a_celano'), ('a-rete', 'Rete', 'ente_nazionale', 'a_rete') returning id`);
    const [supervisor, analyst] = await q<{ id: string }>(sql`
      insert into users (email, name, home_organisation_id) values ('s@celano.it', 'Responsabile', ${celano!.id}), ('a@rete.it', 'Analista', null) returning id`);
    await sql`insert into role_grants (user_id, role, organisation_id) values (${analyst!.id}, 'analyst', ${rete!.id})`.execute(database.db);
    const alarms = await q<{ id: string }>(sql`
      insert into analytics_alarms (series_key, slice, kind, day, since, observed, expected, score, status, status_by, status_at) values
        ('k1', '{}', 'spike', '2026-01-05', '2026-01-05', 9, 2, 5, 'acknowledged', ${supervisor!.id}, now()),
        ('k2', '{}', 'spike', '2026-01-06', '2026-01-06', 9, 2, 5, 'dismissed', ${analyst!.id}, now()),
        ('k3', '{}', 'spike', '2026-01-07', '2026-01-07', 9, 2, 5, 'open', null, null)
      returning id`);
    await m0041.up(database.db as unknown as Kysely<unknown>);
    const states = await q<{ alarm_id: string; organisation_id: string; status: string; status_by: string }>(sql`
      select alarm_id, organisation_id, status, status_by from analytics_alarm_states where alarm_id = any(${alarms.map((a) => a.id)}::uuid[]) order by status`);
    expect(states).toEqual([
      { alarm_id: alarms[0]!.id, organisation_id: celano!.id, status: 'acknowledged', status_by: supervisor!.id },
      { alarm_id: alarms[1]!.id, organisation_id: rete!.id, status: 'dismissed', status_by: analyst!.id },
    ]);
    const columns = await q<{ column_name: string }>(sql`select column_name from information_schema.columns where table_name = 'analytics_alarms' and column_name like 'status%'`);
    expect(columns).toEqual([]);
  });
});
