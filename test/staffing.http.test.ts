import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveRow, writeArchiveRows } from '../src/modules/archive/archive-release.fixtures.js';
import { dayOffset } from './helpers/days.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

/** Staffing over HTTP (issue 14): Erlang per half hour, the pooling what-if, an office's day from the archive. */
let t: TestApp;
let supervisor: Client;
let napoli: Client;


beforeAll(async () => {
  t = await buildTestApp();
  supervisor = await login(t.app, demoEmail('responsabile', 'comune-celano'));
  napoli = await login(t.app, demoEmail('operatore', 'comune-napoli'));
  // The Celano URP: 40 contacts a weekday for 300 days, three quarters of them in the morning.
  const rows = [];
  for (let d = -320; d <= -21; d++) {
    const day = dayOffset(d);
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let i = 0; i < 40; i++) rows.push(archiveRow({ office_id: supervisor.officeId, opened_day: day, closed_day: day, opened_hour: i % 4 === 3 ? 15 : 9 + (i % 3) }));
  }
  await writeArchiveRows(path.join(t.config.dataDir, 'archive'), rows);
});
afterAll(async () => {
  await t?.close();
});

describe('staffing', () => {
  it('gives the agents per half hour for 80/20 and the roster with shrinkage', async () => {
    const res = await supervisor.post('/api/v1/analytics/staffing', { handleSeconds: 180, targetSeconds: 20, serviceLevel: 0.8, shrinkage: 0.3, intervals: [{ start: '09:00', volume: 100 }, { start: '09:30', volume: 0 }] });
    expect(res.statusCode, res.body).toBe(200);
    const plan = res.json();
    expect(plan.model).toBe('erlang-c');
    expect(plan.intervals.map((i: { agents: number; rostered: number }) => [i.agents, i.rostered])).toEqual([[14, 20], [0, 0]]);
    expect(plan.agentHours).toBe(7);
  });

  it('refuses nonsense with a clear problem', async () => {
    const res = await supervisor.post('/api/v1/analytics/staffing', { handleSeconds: 0, serviceLevel: 1.5, intervals: [] });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('shows what pooling three offices saves, and refuses misaligned half hours', async () => {
    const day = (v: number) => [{ start: '09:00', volume: v }, { start: '09:30', volume: v / 2 }];
    const res = await supervisor.post('/api/v1/analytics/staffing/pooling', {
      members: [
        { label: 'URP Celano', handleSeconds: 240, intervals: day(20) },
        { label: 'URP Avezzano', handleSeconds: 200, intervals: day(12) },
        { label: 'URP Sulmona', handleSeconds: 300, intervals: day(8) },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().savedAgentHours).toBeGreaterThan(0);
    expect(res.json().pooled.intervals[0].volume).toBe(40);
    const odd = await supervisor.post('/api/v1/analytics/staffing/pooling', {
      members: [
        { label: 'URP Celano', handleSeconds: 240, intervals: day(20) },
        { label: 'URP Sulmona', handleSeconds: 300, intervals: [{ start: '10:00', volume: 3 }] },
      ],
    });
    expect(odd.statusCode).toBe(422);
    expect(odd.json().code).toBe('analytics.pooling_intervals_mismatch');
  });

  it("staffs an office's day from its forecast and the hours its contacts arrive", async () => {
    // The first weekday the archive's complete history does not cover yet.
    let ahead = 3;
    while ([0, 6].includes(new Date(`${dayOffset(-21 + ahead)}T12:00:00Z`).getUTCDay())) ahead++;
    const date = dayOffset(-21 + ahead);
    const res = await supervisor.get(`/api/v1/analytics/staffing/forecast?officeId=${supervisor.officeId}&date=${date}&handleSeconds=240`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.historyTo).toBe(dayOffset(-21));
    expect(body.forecast.mean).toBeGreaterThan(30);
    expect(body.forecast.mean).toBeLessThan(50);
    // A weekday is closed only when it is a holiday.
    expect(['archive_hours', 'closed']).toContain(body.profile);
    if (body.profile === 'archive_hours') {
      const volume = body.plan.intervals.reduce((s: number, i: { volume: number }) => s + i.volume, 0);
      expect(volume).toBeCloseTo(body.forecast.mean, 0);
      // Mornings carry three quarters of the day.
      const morning = body.plan.intervals.filter((i: { start: string }) => i.start.slice(11) < '12:00').reduce((s: number, i: { volume: number }) => s + i.volume, 0);
      expect(morning / volume).toBeGreaterThan(0.6);
      expect(body.plan.peakAgents).toBeGreaterThan(0);
    }
  });

  it('keeps an office of another body to itself and plans only days the archive can forecast', async () => {
    const other = await napoli.get(`/api/v1/analytics/staffing/forecast?officeId=${supervisor.officeId}&date=${dayOffset(-10)}`);
    expect(other.statusCode).toBe(404);
    expect(other.json().code).toBe('analytics.office_not_found');
    const far = await supervisor.get(`/api/v1/analytics/staffing/forecast?officeId=${supervisor.officeId}&date=${dayOffset(200)}`);
    expect(far.statusCode).toBe(422);
    expect(far.json().code).toBe('analytics.planning_date_out_of_range');
  });
});
