import { describe, expect, it } from 'vitest';
import { erlangA, erlangB, erlangC, erlangCWait, requiredAgents, rosteredStaff } from './erlang.js';
import { mulberry32 as prng } from '../seeded-random.js';

/**
 * An independent check: a discrete-event simulation of the M/M/N+M queue (FIFO), measuring the share
 * of callers answered within t, the abandonment and the share who wait.
 */
function simulate(lambda: number, aht: number, patience: number, agents: number, t: number, callers: number, seed: number) {
  const rnd = prng(seed);
  const exp = (mean: number) => -Math.log(1 - rnd()) * mean;
  const free: number[] = Array.from({ length: agents }, () => 0); // time each agent becomes free
  let now = 0;
  let answeredInTime = 0;
  let abandoned = 0;
  let waited = 0;
  // FIFO with exponential patience: a caller is answered when the earliest agent frees up, if still there.
  // Agents are taken in order of availability; abandoned callers do not hold an agent.
  for (let i = 0; i < callers; i++) {
    now += exp(1 / lambda);
    let k = 0;
    for (let j = 1; j < agents; j++) if (free[j]! < free[k]!) k = j;
    const start = Math.max(now, free[k]!);
    const wait = start - now;
    if (wait > 0) waited++;
    if (wait > exp(patience)) {
      abandoned++;
      continue;
    }
    if (wait <= t) answeredInTime++;
    free[k] = start + exp(aht);
  }
  return { serviceLevel: answeredInTime / callers, abandonment: abandoned / callers, waitProbability: waited / callers };
}

describe('Erlang B and C', () => {
  it('matches the textbook values', () => {
    // 10 Erlang on 10 trunks: B = 0.2146 (standard table).
    expect(erlangB(10, 10)).toBeCloseTo(0.2146, 4);
    // 100 calls per half hour, 180 s each: 10 Erlang. C(12) = 0.4494, C(13) = 0.2853, C(14) = 0.1741.
    expect(erlangCWait(10, 12)).toBeCloseTo(0.4494, 3);
    expect(erlangCWait(10, 14)).toBeCloseTo(0.1741, 3);
    const m = erlangC({ arrivalRate: 100 / 1800, handleTime: 180 }, 12, 20);
    expect(m.serviceLevel).toBeCloseTo(1 - 0.4494 * Math.exp(-(2 / 180) * 20), 3);
    expect(m.averageWait).toBeCloseTo((0.4494 * 180) / 2, 0);
    expect(m.occupancy).toBeCloseTo(10 / 12, 6);
  });

  it('is unstable when the load reaches the agents', () => {
    const m = erlangC({ arrivalRate: 1, handleTime: 5 }, 5, 20);
    expect(m.stable).toBe(false);
    expect(m.serviceLevel).toBe(0);
    expect(erlangCWait(5, 5)).toBe(1);
  });

  it('refuses nonsense input', () => {
    expect(() => erlangC({ arrivalRate: -1, handleTime: 10 }, 1, 20)).toThrow(RangeError);
    expect(() => erlangC({ arrivalRate: 1, handleTime: 0 }, 1, 20)).toThrow(RangeError);
    expect(() => erlangC({ arrivalRate: 1, handleTime: 10 }, 1.5, 20)).toThrow(RangeError);
    expect(() => rosteredStaff(10, 1)).toThrow(RangeError);
  });
});

describe('Erlang A', () => {
  it('tends to Erlang C as patience grows', () => {
    const traffic = { arrivalRate: 100 / 1800, handleTime: 180 };
    const c = erlangC(traffic, 12, 20);
    const a = erlangA({ ...traffic, patience: 1e9 }, 12, 20);
    expect(a.waitProbability).toBeCloseTo(c.waitProbability, 4);
    expect(a.serviceLevel).toBeCloseTo(c.serviceLevel, 4);
    expect(a.abandonment).toBeLessThan(1e-6);
  });

  it('is stable even when the load exceeds the agents', () => {
    const m = erlangA({ arrivalRate: 1 / 10, handleTime: 300, patience: 60 }, 20, 20);
    expect(m.stable).toBe(true);
    expect(m.abandonment).toBeGreaterThan(0.2);
    expect(m.serviceLevel).toBeGreaterThan(0);
    expect(m.serviceLevel).toBeLessThan(0.5);
  });

  it.each([
    { lambda: 100 / 1800, aht: 180, patience: 120, agents: 10, t: 20 },
    { lambda: 1 / 20, aht: 240, patience: 60, agents: 11, t: 30 },
    { lambda: 1 / 4, aht: 300, patience: 180, agents: 70, t: 20 },
  ])('agrees with a simulation of the queue (λ=$lambda, N=$agents, patience $patience s)', ({ lambda, aht, patience, agents, t }) => {
    const model = erlangA({ arrivalRate: lambda, handleTime: aht, patience }, agents, t);
    const sim = simulate(lambda, aht, patience, agents, t, 400_000, 7);
    expect(Math.abs(model.serviceLevel - sim.serviceLevel)).toBeLessThan(0.01);
    expect(Math.abs(model.abandonment - sim.abandonment)).toBeLessThan(0.006);
    expect(Math.abs(model.waitProbability - sim.waitProbability)).toBeLessThan(0.01);
  });
});

describe('staffing', () => {
  it('finds the fewest agents meeting 80/20', () => {
    const traffic = { arrivalRate: 100 / 1800, handleTime: 180 };
    const m = requiredAgents(traffic, { targetTime: 20, serviceLevel: 0.8 });
    expect(m.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(erlangC(traffic, m.agents - 1, 20).serviceLevel).toBeLessThan(0.8);
    expect(m.agents).toBe(14);
  });

  it('needs no more agents with impatient callers than with patient ones', () => {
    const traffic = { arrivalRate: 1 / 15, handleTime: 240 };
    const c = requiredAgents(traffic, { targetTime: 20, serviceLevel: 0.8 });
    const a = requiredAgents({ ...traffic, patience: 90 }, { targetTime: 20, serviceLevel: 0.8 });
    expect(a.agents).toBeLessThanOrEqual(c.agents);
  });

  it('honours an occupancy cap and needs nobody for no traffic', () => {
    const traffic = { arrivalRate: 2, handleTime: 200 }; // 400 Erlang: occupancy binds before the service level
    const capped = requiredAgents(traffic, { targetTime: 20, serviceLevel: 0.8, maxOccupancy: 0.85 });
    expect(capped.occupancy).toBeLessThanOrEqual(0.85);
    expect(requiredAgents({ arrivalRate: 0, handleTime: 200 }, { targetTime: 20, serviceLevel: 0.8 }).agents).toBe(0);
  });

  it('pooling needs fewer agents than separate offices', () => {
    const office = { arrivalRate: 20 / 1800, handleTime: 240 };
    const alone = requiredAgents(office, { targetTime: 20, serviceLevel: 0.8 }).agents;
    const pooled = requiredAgents({ arrivalRate: 3 * office.arrivalRate, handleTime: 240 }, { targetTime: 20, serviceLevel: 0.8 }).agents;
    expect(pooled).toBeLessThan(3 * alone);
  });

  it('adds shrinkage on top', () => {
    expect(rosteredStaff(14, 0.3)).toBe(20);
    expect(rosteredStaff(14, 0)).toBe(14);
  });
});
