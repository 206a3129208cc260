import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../src/db/database.js';
import * as m0012 from '../src/db/migrations/0012-invitations.js';
import { openMigratedMemoryDb } from './helpers/memory-db.js';

/**
 * Migration 0012 on a database that already holds accounts (issue 9, point 2): each account gets
 * the organisation of its first role as home, roles given legitimately become memberships, and a
 * role another body's administrator gave (the takeover) does not.
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

describe('migration 0012-invitations', () => {
  it('backfills home organisations and memberships, without the memberships a takeover would have made', async () => {
    // Back to the state before 0012, with data written then.
    await m0012.down(database.db as unknown as Kysely<unknown>);
    const [celano, napoli, national] = await q<{ id: string }>(sql`
      insert into organisations (slug, name, type, ipa_code) values
        ('m-celano', 'Comune di Celano', 'comune', 'm_celano'), ('m-napoli', 'Comune di Napoli', 'comune', 'm_napoli'), ('m-rete', 'Rete', 'ente_nazionale', 'm_rete')
      returning id`);
    const [celanoAdmin, napoliAdmin, coordinator, guest] = await q<{ id: string }>(sql`
      insert into users (email, name) values ('a@celano.it', 'Admin Celano'), ('a@napoli.it', 'Admin Napoli'), ('c@rete.it', 'Coordinatore'), ('g@celano.it', 'Ospite')
      returning id`);
    await sql`insert into role_grants (user_id, role, organisation_id, created_by, created_at) values
      (${celanoAdmin!.id}, 'org_admin', ${celano!.id}, null, now() - interval '3 days'),
      (${napoliAdmin!.id}, 'org_admin', ${napoli!.id}, null, now() - interval '3 days'),
      (${coordinator!.id}, 'network_coordinator', ${national!.id}, null, now() - interval '3 days'),
      (${guest!.id}, 'operator', ${celano!.id}, ${celanoAdmin!.id}, now() - interval '2 days'),
      (${guest!.id}, 'analyst', ${national!.id}, ${coordinator!.id}, now() - interval '1 day'),
      (${celanoAdmin!.id}, 'operator', ${napoli!.id}, ${napoliAdmin!.id}, now())`.execute(database.db);

    await m0012.up(database.db as unknown as Kysely<unknown>);

    const homes = await q<{ id: string; home_organisation_id: string | null }>(sql`select id, home_organisation_id from users`);
    const home = new Map(homes.map((h) => [h.id, h.home_organisation_id]));
    expect(home.get(celanoAdmin!.id)).toBe(celano!.id);
    expect(home.get(guest!.id)).toBe(celano!.id);
    const members = await q<{ user_id: string; organisation_id: string; joined_via: string }>(sql`select user_id, organisation_id, joined_via from organisation_members`);
    const of = (userId: string) => members.filter((m) => m.user_id === userId).map((m) => `${m.organisation_id}:${m.joined_via}`).sort();
    // Celano's admin keeps only Celano: Napoli's grant was the takeover.
    expect(of(celanoAdmin!.id)).toEqual([`${celano!.id}:created`]);
    expect(of(guest!.id)).toEqual([`${celano!.id}:created`, `${national!.id}:coordinator`].sort());
    expect(of(napoliAdmin!.id)).toEqual([`${napoli!.id}:created`]);
  });
});
