import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deflectionTotals } from '../src/modules/knowledge/index.js';
import { romeMidnight } from '../src/modules/knowledge/deflection-days.js';
import { countDeflectionDays } from '../src/modules/knowledge/faq-feedback.service.js';
import { addDays, localIsoDate, ROME } from '../src/platform/time-zone.js';
import { buildTestApp, type TestApp } from './helpers/test-app.js';

/**
 * Deflected contacts counted day by day (faq_deflection_days): a day is counted once all its
 * sessions have closed their window, and the totals add up the counted days and count the rest from
 * the sessions, with the same result as counting every session.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

const HOUR = 3_600_000;

describe('deflected contacts by day', () => {
  it('counts closed days once, adds them up with what is not counted yet, and gives the figures of a count of every session', async () => {
    const db = t.database.db;
    // A fixed "now" ten days back, at noon in Rome: the data and the questions are relative to it.
    const today = addDays(localIsoDate(new Date(), ROME), -10);
    const now = new Date(romeMidnight(today).getTime() + 12 * HOUR);
    const at = (daysBefore: number, hours: number) => new Date(romeMidnight(addDays(today, -daysBefore)).getTime() + hours * HOUR);
    const celano = (await db.selectFrom('organisations').select('id').where('slug', '=', 'comune-celano').executeTakeFirstOrThrow()).id;
    const event = (session: string, kind: string, when: Date, organisationId: string | null = null) => ({ session_id: `days-${session}-session`, kind, organisation_id: organisationId, query: kind === 'search' ? 'domanda' : null, created_at: when });
    await db
      .insertInto('faq_portal_events')
      .values([
        // Three days back: one deflected (Celano's FAQ), one that asked an office.
        event('one', 'search', at(3, 10)), event('one', 'read', at(3, 10.02), celano),
        event('two', 'search', at(3, 11)), event('two', 'read', at(3, 11.02)), event('two', 'contact', at(3, 11.1)),
        // Two days back, just before midnight: the contact comes after midnight, within the window.
        event('three', 'search', at(2, 23.8)), event('three', 'read', at(2, 23.85), celano), event('three', 'contact', at(1, 0.1)),
        // Today, an hour ago: closed, not counted by day yet.
        event('four', 'search', at(0, 11)), event('four', 'read', at(0, 11.02)),
      ])
      .execute();
    const period = { from: romeMidnight(addDays(today, -6)).toISOString(), to: now.toISOString() };
    const mine = { ...period, organisationId: celano };
    expect(await deflectionTotals(db, period, now)).toEqual({ sessions: 4, deflected: 2, rate: 0.5 });
    expect(await deflectionTotals(db, mine, now)).toEqual({ sessions: 2, deflected: 1, rate: 0.5 });

    const counted = await countDeflectionDays(db, now);
    // From the first read ever recorded up to today (its sessions may still change).
    expect(counted.through).toBe(today);
    const days = await db.selectFrom('faq_deflection_days').select(['organisation_id', 'sessions', 'deflected']).select((eb) => eb.cast<string>('day', 'text').as('day')).execute();
    const key = (d: { day: string; organisation_id: string | null }) => `${d.day} ${d.organisation_id ?? ''}`;
    expect(days.sort((a, b) => key(a).localeCompare(key(b))).map((d) => [d.day, d.organisation_id, d.sessions, d.deflected])).toEqual([
      [addDays(today, -3), null, 1, 0],
      [addDays(today, -3), celano, 1, 1],
      [addDays(today, -2), celano, 1, 0],
    ]);
    // Counting again finds nothing new.
    expect((await countDeflectionDays(db, now)).days).toBe(0);
    expect(await deflectionTotals(db, period, now)).toEqual({ sessions: 4, deflected: 2, rate: 0.5 });
    expect(await deflectionTotals(db, mine, now)).toEqual({ sessions: 2, deflected: 1, rate: 0.5 });

    // The counted days no longer need their sessions: with the log of those days gone, the figures stay.
    await db.deleteFrom('faq_portal_events').where('session_id', 'in', ['days-one-session', 'days-two-session', 'days-three-session']).execute();
    expect(await deflectionTotals(db, period, now)).toEqual({ sessions: 4, deflected: 2, rate: 0.5 });
    // A period starting inside a counted day counts that partial day from the sessions (gone here).
    expect(await deflectionTotals(db, { ...period, from: at(3, 10.5).toISOString() }, now)).toEqual({ sessions: 2, deflected: 1, rate: 0.5 });
  });

  it('runs as a job', async () => {
    await t.jobs.send('knowledge.deflection-days', {});
    await t.jobs.runDue();
    const state = await t.database.db.selectFrom('faq_deflection_rollup').select((eb) => eb.cast<string>('through', 'text').as('through')).executeTakeFirstOrThrow();
    // Counted up to the day of (now - 30 minutes) in Rome: today, or yesterday in the first half hour of the day.
    expect([localIsoDate(new Date(), ROME), localIsoDate(new Date(Date.now() - 30 * 60_000), ROME)]).toContain(state.through);
  });
});
