import { describe, expect, it } from 'vitest';
import { comparePooling, spreadOverIntervals, staffInterval, staffingPlan } from './staffing-plan.js';

const base = { targetTime: 20, serviceLevel: 0.8, shrinkage: 0.3, handleSeconds: 180 };

describe('staffing plan', () => {
  it('staffs each half hour and rosters for shrinkage', () => {
    // 100 contacts in half an hour at 180 s: 10 Erlang, 14 agents for 80/20 (Erlang C), 20 rostered at 30% shrinkage.
    const i = staffInterval({ start: '09:00', volume: 100 }, base);
    expect(i.agents).toBe(14);
    expect(i.rostered).toBe(20);
    expect(i.serviceLevel).toBeGreaterThanOrEqual(0.8);
  });

  it('sums hours and finds the peak', () => {
    const plan = staffingPlan(
      [
        { start: '08:30', volume: 0 },
        { start: '09:00', volume: 100 },
        { start: '09:30', volume: 40 },
      ],
      base,
    );
    expect(plan.model).toBe('erlang-c');
    expect(plan.intervals[0]!.agents).toBe(0);
    expect(plan.peakAgents).toBe(14);
    expect(plan.agentHours).toBe((0 + 14 + plan.intervals[2]!.agents) / 2);
    expect(plan.serviceLevel).toBeGreaterThanOrEqual(0.8);
  });

  it('uses Erlang A when patience is known', () => {
    expect(staffingPlan([{ start: '09:00', volume: 100 }], { ...base, patienceSeconds: 120 }).model).toBe('erlang-a');
  });

  it('shows what pooling three offices saves', () => {
    const day = (v: number) => [
      { start: '09:00', volume: v },
      { start: '09:30', volume: v / 2 },
    ];
    const cmp = comparePooling(
      [
        { label: 'A', intervals: day(20), handleSeconds: 240 },
        { label: 'B', intervals: day(12), handleSeconds: 200 },
        { label: 'C', intervals: day(8), handleSeconds: 300 },
      ],
      { targetTime: 20, serviceLevel: 0.8, shrinkage: 0.25 },
    );
    expect(cmp.pooledAgentHours).toBeLessThan(cmp.separateAgentHours);
    expect(cmp.savedAgentHours).toBeCloseTo(cmp.separateAgentHours - cmp.pooledAgentHours, 6);
    expect(cmp.pooled.intervals[0]!.volume).toBe(40);
    expect(cmp.pooled.serviceLevel).toBeGreaterThanOrEqual(0.8);
  });

  it('refuses members whose intervals do not line up', () => {
    expect(() =>
      comparePooling(
        [
          { label: 'A', intervals: [{ start: '09:00', volume: 1 }], handleSeconds: 100 },
          { label: 'B', intervals: [{ start: '09:30', volume: 1 }], handleSeconds: 100 },
        ],
        base,
      ),
    ).toThrow(/B/);
  });

  it('spreads a day by an intraday profile', () => {
    const spread = spreadOverIntervals(100, [
      { start: '09:00', weight: 3 },
      { start: '09:30', weight: 1 },
      { start: '10:00', weight: 0 },
    ]);
    expect(spread.map((s) => s.volume)).toEqual([75, 25, 0]);
    expect(spreadOverIntervals(10, [{ start: '09:00', weight: 0 }])[0]!.volume).toBe(0);
  });
});
