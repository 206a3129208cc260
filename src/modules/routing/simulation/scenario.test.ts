import { describe, expect, it } from 'vitest';
import { agentsAt, validateScenario } from './scenario.js';

const base = () => ({
  days: 10,
  seed: 7,
  serviceLevelSeconds: 20,
  offices: [
    { id: 'a', open: ['08:00', '14:00'], agents: 7, overflowTo: [{ office: 'b', afterSeconds: 30 }] },
    { id: 'b', open: ['08:00', '14:00'], agents: 5 },
  ],
  arrivals: [
    { office: 'a', perHour: 100 },
    { office: 'b', perHour: 60 },
  ],
  handleSeconds: { dist: 'exponential', mean: 180 },
  patienceSeconds: null as unknown,
});

function errorsOf(mutate: (s: ReturnType<typeof base> & Record<string, unknown>) => void): string[] {
  const s = base() as ReturnType<typeof base> & Record<string, unknown>;
  mutate(s);
  const check = validateScenario(s);
  return check.ok ? [] : check.errors;
}

describe('validateScenario', () => {
  it('accepts the minimal contract and normalises it', () => {
    const check = validateScenario(base());
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    const [a, b] = check.scenario.offices;
    expect(a!.open).toEqual([{ from: 8 * 3600, to: 14 * 3600 }]);
    expect(a!.overflowTo).toEqual([{ toOfficeId: 'b', afterSeconds: 30, cap: null, topics: [], when: ['wait', 'closed'] }]);
    expect(b!.handle).toEqual({ dist: 'exponential', mean: 180, cv: 0 });
    expect(check.scenario.patience).toBeNull();
    expect(agentsAt(a!, 9 * 3600)).toBe(7);
    expect(agentsAt(a!, 14 * 3600)).toBe(0);
  });

  it('accepts the richer optional fields', () => {
    const check = validateScenario({
      days: 3,
      offices: [
        { id: 'x', open: [['08:30', '13:00'], ['15:00', '17:30']], roster: [{ from: '08:00', to: '11:00', agents: 4 }, { from: '10:00', to: '13:00', agents: 2 }], maxQueue: 10, maxWaitSeconds: 120, arrivalsWhenClosed: true, handleSeconds: { dist: 'lognormal', mean: 200, cv: 0.8 }, overflowTo: [{ office: 'y', afterSeconds: 60, cap: 2, topics: ['ANAG'], when: ['queue', 'closed'] }] },
        { id: 'y' , agents: 3 },
      ],
      arrivals: [{ office: 'x', perHour: 20, topic: 'ANAG.CI', profile: [{ from: '08:00', to: '12:00', weight: 2 }] }, { office: 'y', perHour: 5, profile: Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 18 ? 1 : 0)) }],
      handleSeconds: { dist: 'constant', mean: 120 },
      patienceSeconds: { dist: 'exponential', mean: 90 },
    });
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    const [x, y] = check.scenario.offices;
    expect(x!.open).toHaveLength(2);
    // Overlapping roster shifts add up.
    expect(agentsAt(x!, 10.5 * 3600)).toBe(6);
    expect(agentsAt(x!, 12 * 3600)).toBe(2);
    expect(y!.open).toEqual([{ from: 0, to: 86_400 }]);
    expect(agentsAt(y!, 3 * 3600)).toBe(3);
    expect(check.scenario.seed).toBe(1);
    expect(check.scenario.arrivals[1]!.profile).toHaveLength(24);
  });

  it('names the field of every problem, in Italian', () => {
    expect(errorsOf((s) => (s.days = 0))).toEqual([expect.stringMatching(/^days: deve essere un intero ≥ 1/)]);
    expect(errorsOf((s) => (s.days = 2.5))).toEqual([expect.stringContaining('days:')]);
    expect(errorsOf((s) => (s.arrivals[0]!.perHour = -3))).toEqual(['arrivals[0].perHour: deve essere un numero ≥ 0 (trovato -3)']);
    expect(errorsOf((s) => ((s.arrivals[1] as Record<string, unknown>).perHour = 'molti'))).toEqual([expect.stringContaining('arrivals[1].perHour')]);
    expect(errorsOf((s) => (s.arrivals[1]!.office = 'z'))).toEqual(['arrivals[1].office: ufficio sconosciuto (trovato "z")']);
    expect(errorsOf((s) => (s.offices[1]!.id = 'a'))).toContain('offices[1].id: identificativo «a» ripetuto');
    expect(errorsOf((s) => (s.offices[1]!.agents = -1))).toEqual([expect.stringContaining('offices[1].agents: deve essere un intero ≥ 0')]);
    expect(errorsOf((s) => (s.offices[1]!.agents = 1.5))).toEqual([expect.stringContaining('offices[1].agents')]);
    expect(errorsOf((s) => (s.offices[0]!.open = ['8:00', '25:00']))).toEqual([expect.stringContaining('offices[0].open.to: deve essere un orario')]);
    expect(errorsOf((s) => (s.offices[0]!.open = ['14:00', '08:00']))).toEqual([expect.stringContaining('offices[0].open:')]);
    expect(errorsOf((s) => (s.offices[0]!.overflowTo![0]!.office = 'a'))).toEqual([expect.stringContaining('offices[0].overflowTo[0].office: un ufficio non può traboccare su sé stesso')]);
    expect(errorsOf((s) => (s.offices[0]!.overflowTo![0]!.office = 'q'))).toEqual([expect.stringContaining('offices[0].overflowTo[0].office: ufficio sconosciuto')]);
    expect(errorsOf((s) => ((s.offices[0]!.overflowTo![0] as Record<string, unknown>).when = ['sempre']))).toEqual([expect.stringContaining('offices[0].overflowTo[0].when')]);
    expect(errorsOf((s) => (s.handleSeconds = { dist: 'gamma', mean: 3 }))).toEqual([expect.stringContaining('handleSeconds.dist: distribuzione sconosciuta')]);
    expect(errorsOf((s) => (s.handleSeconds = { dist: 'exponential', mean: 0 }))).toEqual([expect.stringContaining('handleSeconds.mean: deve essere un numero > 0')]);
    expect(errorsOf((s) => (s.handleSeconds = { dist: 'lognormal', mean: 100 }))).toEqual([expect.stringContaining('handleSeconds.cv')]);
    expect(errorsOf((s) => (s.patienceSeconds = { dist: 'exponential', mean: -5 }))).toEqual([expect.stringContaining('patienceSeconds.mean')]);
    expect(errorsOf((s) => ((s.arrivals[0] as Record<string, unknown>).profile = [1, 2, 3]))).toEqual([expect.stringContaining('arrivals[0].profile: deve avere 24 pesi')]);
    expect(errorsOf((s) => ((s.offices[1] as Record<string, unknown>).roster = [{ from: '08:00', to: '09:00', agents: 1 }]))).toEqual([expect.stringContaining('«agents» oppure «roster»')]);
    expect(errorsOf((s) => (s.offices = []))).toContain('offices: deve essere un elenco non vuoto di uffici (trovato [])');
  });

  it('lists every problem at once and ignores unknown fields', () => {
    const errors = errorsOf((s) => {
      s.days = -1;
      s.arrivals[0]!.perHour = -1;
      s.offices[1]!.agents = -2;
      s.extra = { anything: true };
    });
    expect(errors).toHaveLength(3);
    expect(validateScenario(null)).toEqual({ ok: false, errors: ['lo scenario deve essere un oggetto JSON'] });
  });
});
