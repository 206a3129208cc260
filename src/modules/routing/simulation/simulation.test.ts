import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { erlangA, erlangC } from '../../../platform/queueing/erlang.js';
import { type Scenario, validateScenario } from './scenario.js';
import { runSimulation } from './simulation.js';
import { simulateScenario } from './simulation-report.js';

function scenarioOf(raw: unknown): Scenario {
  const check = validateScenario(raw);
  if (!check.ok) throw new Error(check.errors.join('\n'));
  return check.scenario;
}

function single(perHour: number, handle: number, agents: number, days: number, extra: Record<string, unknown> = {}, office: Record<string, unknown> = {}): Scenario {
  return scenarioOf({ days, seed: 2024, serviceLevelSeconds: 20, offices: [{ id: 'x', agents, ...office }], arrivals: [{ office: 'x', perHour }], handleSeconds: { dist: 'exponential', mean: handle }, ...extra });
}

const EXAMPLE = {
  days: 10,
  seed: 7,
  serviceLevelSeconds: 20,
  offices: [
    { id: 'a', open: ['08:00', '14:00'], agents: 7, overflowTo: [{ office: 'b', afterSeconds: 30 }] as Record<string, unknown>[] },
    { id: 'b', open: ['08:00', '14:00'], agents: 5 },
  ],
  arrivals: [
    { office: 'a', perHour: 100 },
    { office: 'b', perHour: 60 },
  ],
  handleSeconds: { dist: 'exponential', mean: 180 },
  patienceSeconds: null as unknown,
};

/*
 * Agreement with queueing theory. The simulated service level is a share of ~10⁵ contacts whose
 * waits are strongly correlated (busy periods), so its noise is far above the binomial one: the day
 * counts below keep it well under the 2-point tolerance (checked on several seeds) while each case
 * runs in well under a second. The mean wait is noisier still (a heavy-tailed mean over the same
 * correlated waits: ±10% between seeds at these lengths), hence a relative tolerance of 15% on ASA.
 */
describe('runSimulation against Erlang C (no abandonment)', () => {
  const cases = [
    { perHour: 100, handle: 180, agents: 7, days: 60 },
    { perHour: 300, handle: 240, agents: 23, days: 40 },
    { perHour: 30, handle: 300, agents: 4, days: 150 },
  ];
  for (const { perHour, handle, agents, days } of cases) {
    it(`${perHour}/h, ${handle} s, ${agents} agents, open 24 h`, () => {
      const run = runSimulation(single(perHour, handle, agents, days), { overflow: false });
      const c = run.counters[0]!;
      const formula = erlangC({ arrivalRate: perHour / 3600, handleTime: handle }, agents, 20);
      expect(c.abandoned).toBe(0);
      expect(c.answered).toBe(c.offered);
      expect(Math.abs(c.offered / (perHour * 24 * days) - 1)).toBeLessThan(0.02);
      expect(Math.abs(c.answeredInTarget / c.offered - formula.serviceLevel)).toBeLessThan(0.02);
      expect(Math.abs(c.answeredWaitSeconds / c.answered / formula.averageWait - 1)).toBeLessThan(0.15);
      expect(Math.abs(c.busySeconds / c.staffedSeconds - formula.occupancy)).toBeLessThan(0.02);
    });
  }

  it('100/h, 180 s, 7 agents, open 08:00–14:00 (each day starts empty; the queue at closing is cleared)', () => {
    const run = runSimulation(single(100, 180, 7, 200, {}, { open: ['08:00', '14:00'] }), { overflow: false });
    const c = run.counters[0]!;
    const formula = erlangC({ arrivalRate: 100 / 3600, handleTime: 180 }, 7, 20);
    expect(c.answered).toBe(c.offered);
    expect(Math.abs(c.offered / (100 * 6 * 200) - 1)).toBeLessThan(0.02);
    expect(Math.abs(c.answeredInTarget / c.offered - formula.serviceLevel)).toBeLessThan(0.02);
    expect(Math.abs(c.answeredWaitSeconds / c.answered / formula.averageWait - 1)).toBeLessThan(0.15);
  });
});

describe('runSimulation against Erlang A (exponential patience)', () => {
  const cases = [
    { perHour: 100, handle: 180, agents: 5, patience: 120, days: 60 },
    { perHour: 300, handle: 240, agents: 20, patience: 60, days: 30 },
    { perHour: 100, handle: 180, agents: 7, patience: 300, days: 60 },
  ];
  for (const { perHour, handle, agents, patience, days } of cases) {
    it(`${perHour}/h, ${handle} s, ${agents} agents, patience ${patience} s`, () => {
      const run = runSimulation(single(perHour, handle, agents, days, { patienceSeconds: { dist: 'exponential', mean: patience } }), { overflow: false });
      const c = run.counters[0]!;
      const formula = erlangA({ arrivalRate: perHour / 3600, handleTime: handle, patience }, agents, 20);
      expect(c.answered + c.abandoned).toBe(c.offered);
      expect(Math.abs(c.answeredInTarget / c.offered - formula.serviceLevel)).toBeLessThan(0.03);
      expect(Math.abs(c.abandoned / c.offered - formula.abandonment)).toBeLessThan(0.03);
    });
  }
});

describe('network with overflow', () => {
  it('answers at least as many contacts as isolated offices, with balanced overflow counts', () => {
    for (const patienceSeconds of [null, { dist: 'exponential', mean: 90 }]) {
      const { report } = simulateScenario(scenarioOf({ ...EXAMPLE, patienceSeconds }));
      expect(report.network.network.answered).toBeGreaterThanOrEqual(report.isolated.network.answered);
      expect(report.network.network.serviceLevel).toBeGreaterThan(report.isolated.network.serviceLevel);
      const offices = Object.values(report.network.offices);
      const out = offices.reduce((n, m) => n + m.overflowOut, 0);
      const inn = offices.reduce((n, m) => n + m.overflowIn, 0);
      expect(out).toBe(inn);
      expect(out).toBeGreaterThan(0);
      expect(report.network.network.overflowIn).toBe(out);
      expect(report.network.network.overflowOut).toBe(out);
      expect(report.isolated.network.overflowIn).toBe(0);
      // Same draws: the same contacts are offered in both runs.
      expect(report.network.network.offered).toBe(report.isolated.network.offered);
    }
  });

  it('with a cap of 0 is the isolated run', () => {
    const raw = structuredClone(EXAMPLE);
    raw.offices[0]!.overflowTo![0]!.cap = 0;
    const { report } = simulateScenario(scenarioOf(raw));
    expect(report.network).toEqual(report.isolated);
  });

  it('never has more contacts of an office at a partner than the cap', () => {
    const raw = structuredClone(EXAMPLE);
    raw.offices[0]!.overflowTo![0]!.cap = 1;
    const capped = runSimulation(scenarioOf(raw), { overflow: true });
    const free = runSimulation(scenarioOf(EXAMPLE), { overflow: true });
    expect(capped.peakAtPartner.get('a→b')).toBe(1);
    expect(free.peakAtPartner.get('a→b')).toBeGreaterThan(1);
    expect(capped.counters[1]!.overflowIn).toBeGreaterThan(0);
    expect(capped.counters[1]!.overflowIn).toBeLessThan(free.counters[1]!.overflowIn);
  });

  it('sends contacts of a closed office to an open partner on a `closed` route', () => {
    const s = scenarioOf({
      days: 5,
      seed: 3,
      offices: [
        { id: 'comune', open: ['08:00', '12:00'], agents: 3, arrivalsWhenClosed: true, overflowTo: [{ office: 'regione', when: ['closed'] }] },
        { id: 'regione', open: ['08:00', '20:00'], agents: 4 },
      ],
      arrivals: [{ office: 'comune', perHour: 20, profile: [{ from: '08:00', to: '18:00', weight: 1 }] }],
      handleSeconds: { dist: 'constant', mean: 240 },
      patienceSeconds: { dist: 'exponential', mean: 300 },
    });
    const isolated = runSimulation(s, { overflow: false });
    const network = runSimulation(s, { overflow: true });
    const [ci, ri] = isolated.counters;
    const [cn, rn] = network.counters;
    // Afternoon contacts wait in vain at the closed Comune, and are answered by the Regione in the network.
    expect(ci!.abandoned).toBeGreaterThan(ci!.offered / 3);
    expect(cn!.overflowOut).toBeGreaterThan(ci!.offered / 3);
    expect(rn!.overflowIn).toBe(cn!.overflowOut);
    expect(cn!.answered).toBeGreaterThan(ci!.answered);
    expect(ri!.offered).toBe(0);
  });
});

describe('schedules and reproducibility', () => {
  it('generates arrivals only while open (split shifts) and follows the hourly profile', () => {
    const s = scenarioOf({
      days: 100,
      seed: 5,
      offices: [{ id: 'x', open: [['08:30', '13:00'], ['15:00', '17:30']], roster: [{ from: '08:30', to: '13:00', agents: 3 }, { from: '15:00', to: '17:30', agents: 2 }] }],
      arrivals: [{ office: 'x', perHour: 10, profile: Array.from({ length: 24 }, (_, h) => (h < 12 ? 2 : 1)) }],
      handleSeconds: { dist: 'lognormal', mean: 300, cv: 1.2 },
    });
    const c = runSimulation(s, { overflow: false }).counters[0]!;
    // 3.5 h at 20/h, 1 h at 10/h, 2.5 h at 10/h.
    const expected = 100 * (3.5 * 20 + 1 * 10 + 2.5 * 10);
    expect(Math.abs(c.offered / expected - 1)).toBeLessThan(0.03);
    expect(c.answered).toBe(c.offered);
    // Staffed time: the roster (3 × 4.5 h + 2 × 2.5 h a day) plus the time spent clearing queues after closing.
    const rostered = 100 * (3 * 4.5 + 2 * 2.5) * 3600;
    expect(c.staffedSeconds).toBeGreaterThanOrEqual(rostered);
    expect(c.staffedSeconds / rostered).toBeLessThan(1.05);
  });

  it('is deterministic for a seed and changes with it', () => {
    const json = (seed: number) => JSON.stringify(simulateScenario(scenarioOf({ ...EXAMPLE, seed })).report);
    expect(json(7)).toBe(json(7));
    expect(json(8)).not.toBe(json(7));
  });
});

describe('decision points', () => {
  it('looking only at the queues an event can affect gives the same run as looking at all of them', () => {
    const demo = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../../scenarios/demo-network.json'), 'utf8'));
    for (const raw of [{ ...demo, days: 4 }, { ...demo, days: 2, patienceSeconds: null }, { ...EXAMPLE, patienceSeconds: { dist: 'exponential', mean: 60 } }]) {
      const s = scenarioOf(raw);
      for (const overflow of [false, true]) {
        expect(runSimulation(s, { overflow }).counters).toEqual(runSimulation(s, { overflow, exhaustive: true }).counters);
      }
    }
  });
});
