import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveRow, writeArchiveRows } from '../src/modules/archive/archive-release.fixtures.js';
import { dayOffset, today } from './helpers/days.js';
import { buildTestApp, type Client, demoEmail, login, type TestApp } from './helpers/test-app.js';

/**
 * Action plans over HTTP (issue 14): who plans what, the life of an action, and the effect of a done
 * action measured on the archive against the forecast frozen when it was done.
 */
let t: TestApp;
let supervisor: Client;
let otherSupervisor: Client;
let operator: Client;
let coordinator: Client;

/** The action took effect 40 days ago: the archive (7 days of grace + 14 of settling) covers 19 days after it. */
const EFFECTIVE = dayOffset(-40);

beforeAll(async () => {
  t = await buildTestApp();
  supervisor = await login(t.app, demoEmail('responsabile', 'comune-celano'));
  otherSupervisor = await login(t.app, demoEmail('responsabile', 'comune-napoli'));
  operator = await login(t.app, demoEmail('operatore', 'comune-celano'));
  coordinator = await login(t.app, demoEmail('coordinatore'));
  // Waste-collection contacts: 20 a day (12 on Sundays) for 200 days, then 8 a day from the action on.
  const rows = [];
  for (let d = -240; d <= -1; d++) {
    const day = dayOffset(d);
    const sunday = new Date(`${day}T12:00:00Z`).getUTCDay() === 0;
    const n = d < -40 ? (sunday ? 12 : 20) : sunday ? 5 : 8;
    for (let i = 0; i < n; i++) rows.push(archiveRow({ topic_code: 'ambiente.rifiuti', opened_day: day, closed_day: day }));
  }
  // A slice with very few contacts: its counts must be withheld.
  for (let d = -200; d <= -1; d += 9) rows.push(archiveRow({ topic_code: 'cultura.biblioteche', opened_day: dayOffset(d), closed_day: dayOffset(d) }));
  await writeArchiveRows(path.join(t.config.dataDir, 'archive'), rows);
});
afterAll(async () => {
  await t?.close();
});

const newAction = (over: Record<string, unknown> = {}) => ({
  title: 'Pubblicare la FAQ sul nuovo calendario della raccolta',
  kind: 'corrective',
  actionType: 'publish_faq',
  origin: 'alarm',
  originRef: 'alarm-123',
  slice: { topic: 'ambiente.rifiuti' },
  dueDate: dayOffset(10),
  ...over,
});

describe('action plans', () => {
  it('a supervisor plans an action for the organisation; operators and other bodies cannot', async () => {
    const created = await supervisor.post('/api/v1/analytics/actions', newAction({ ownerUserId: supervisor.userId }));
    expect(created.statusCode, created.body).toBe(201);
    const action = created.json();
    expect(action.organisationId).toBe(supervisor.organisationId);
    expect(action.status).toBe('planned');
    expect(action.nextStatuses).toEqual(['in_progress', 'done', 'cancelled']);
    expect(created.headers.location).toBe(`/api/v1/analytics/actions/${action.id}`);

    const byOperator = await operator.post('/api/v1/analytics/actions', newAction());
    expect(byOperator.statusCode).toBe(403);
    expect(byOperator.json().code).toBe('analytics.cannot_plan_actions');
    const forOtherBody = await otherSupervisor.post('/api/v1/analytics/actions', newAction({ organisationId: supervisor.organisationId }));
    expect(forOtherBody.statusCode).toBe(403);
    // Another body's supervisor does not even see it.
    expect((await otherSupervisor.get(`/api/v1/analytics/actions/${action.id}`)).statusCode).toBe(404);
    expect((await otherSupervisor.get('/api/v1/analytics/actions')).json().items.map((a: { id: string }) => a.id)).not.toContain(action.id);
    // The coordination sees the network's actions.
    expect((await coordinator.get('/api/v1/analytics/actions')).json().items.map((a: { id: string }) => a.id)).toContain(action.id);
  });

  it("lists whom a body's actions may be given to, for those who plan them, and gives one to a colleague", async () => {
    const res = await supervisor.get(`/api/v1/analytics/actions/owners?organisationId=${supervisor.organisationId}`);
    expect(res.statusCode, res.body).toBe(200);
    const people = res.json().items as { id: string; name: string }[];
    expect(people.map((p) => p.id)).toEqual(expect.arrayContaining([supervisor.userId, operator.userId]));
    expect(people.map((p) => p.id)).not.toContain(otherSupervisor.userId);
    expect(people.every((p) => p.name.length > 0)).toBe(true);
    const given = await supervisor.post('/api/v1/analytics/actions', newAction({ ownerUserId: operator.userId }));
    expect(given.statusCode, given.body).toBe(201);
    expect(given.json().ownerUserId).toBe(operator.userId);
    // Another body's planners, and those who plan nothing, may not list its people.
    const foreign = await otherSupervisor.get(`/api/v1/analytics/actions/owners?organisationId=${supervisor.organisationId}`);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('analytics.cannot_plan_actions');
    expect((await operator.get(`/api/v1/analytics/actions/owners?organisationId=${supervisor.organisationId}`)).statusCode).toBe(403);
    expect((await coordinator.get(`/api/v1/analytics/actions/owners?organisationId=${supervisor.organisationId}`)).statusCode).toBe(200);
  });

  it('refuses an owner from another body and bad input with clear problems', async () => {
    const foreignOwner = await supervisor.post('/api/v1/analytics/actions', newAction({ ownerUserId: otherSupervisor.userId }));
    expect(foreignOwner.statusCode).toBe(422);
    expect(foreignOwner.json().code).toBe('analytics.owner_not_member');
    const bad = await supervisor.post('/api/v1/analytics/actions', newAction({ kind: 'magic', dueDate: '2026-02-30' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('measures the effect of a done action against the forecast made before it', async () => {
    const created = (await supervisor.post('/api/v1/analytics/actions', newAction())).json();
    const noMatch = await supervisor.patch(`/api/v1/analytics/actions/${created.id}`, { status: 'done', effectiveDate: EFFECTIVE }, { 'if-match': '"999"' });
    expect(noMatch.statusCode).toBe(412);
    const done = await supervisor.patch(`/api/v1/analytics/actions/${created.id}`, { status: 'done', effectiveDate: EFFECTIVE }, { 'if-match': `"${created.version}"` });
    expect(done.statusCode, done.body).toBe(200);
    const counterfactual = done.json().counterfactual;
    expect(counterfactual.historyTo).toBe(dayOffset(-41));
    expect(counterfactual.days[0].date).toBe(EFFECTIVE);
    expect(counterfactual.days).toHaveLength(28);
    // Before the action the slice had about 19 a day: the forecast says so.
    expect(counterfactual.days[0].mean).toBeGreaterThan(10);

    const res = await supervisor.get(`/api/v1/analytics/actions/${created.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const { effect } = res.json();
    expect(effect.observedThrough).toBe(dayOffset(-21));
    expect(effect.comparedDays).toBe(20);
    expect(effect.verdict).toBe('reduced');
    expect(effect.relative).toBeLessThan(-0.4);
    expect(effect.differenceHi80).toBeLessThan(0);
    // Days the archive does not cover yet are not compared.
    expect(effect.days.at(-1).observed).toBeNull();
  });

  it('withholds small counts in the effect of a thin slice', async () => {
    const created = (await supervisor.post('/api/v1/analytics/actions', newAction({ slice: { topic: 'cultura.biblioteche' } }))).json();
    await supervisor.patch(`/api/v1/analytics/actions/${created.id}`, { status: 'done', effectiveDate: EFFECTIVE }, { 'if-match': `"${created.version}"` });
    const { effect } = (await supervisor.get(`/api/v1/analytics/actions/${created.id}`)).json();
    expect(effect.withheldDays).toBeGreaterThan(0);
    expect(effect.days.filter((d: { observed: number | null }) => d.observed !== null && d.observed > 0 && d.observed <= 3)).toEqual([]);
    expect(effect.observed).toBeNull();
    expect(effect.verdict).toBe('pending');
  });

  it('follows the life of an action: reopening forgets the forecast, a cancelled action is not done directly', async () => {
    const created = (await supervisor.post('/api/v1/analytics/actions', newAction())).json();
    const done = (await supervisor.patch(`/api/v1/analytics/actions/${created.id}`, { status: 'done' }, { 'if-match': `"${created.version}"` })).json();
    expect(done.effectiveDate).toBe(today);
    const reopened = await supervisor.patch(`/api/v1/analytics/actions/${created.id}`, { status: 'in_progress' }, { 'if-match': `"${done.version}"` });
    expect(reopened.json().counterfactual).toBeNull();
    expect(reopened.json().effectiveDate).toBeNull();
    const cancelled = (await supervisor.patch(`/api/v1/analytics/actions/${created.id}`, { status: 'cancelled' }, { 'if-match': `"${reopened.json().version}"` })).json();
    const refused = await supervisor.patch(`/api/v1/analytics/actions/${created.id}`, { status: 'done' }, { 'if-match': `"${cancelled.version}"` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('analytics.invalid_action_transition');
    const future = await supervisor.patch(`/api/v1/analytics/actions/${created.id}`, { status: 'planned' }, { 'if-match': `"${cancelled.version}"` });
    const tooLate = await supervisor.patch(`/api/v1/analytics/actions/${created.id}`, { status: 'done', effectiveDate: dayOffset(3) }, { 'if-match': `"${future.json().version}"` });
    expect(tooLate.statusCode).toBe(422);
    expect(tooLate.json().code).toBe('analytics.effective_date_in_future');
  });

  it('lists open actions first, filtered by status', async () => {
    const list = (await supervisor.get('/api/v1/analytics/actions?status=done')).json().items;
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((a: { status: string }) => a.status === 'done')).toBe(true);
  });
});
