/**
 * Queueing formulas for staffing a contact centre: Erlang C (callers wait as long as it takes) and
 * Erlang A (callers hang up after an exponentially distributed patience), the models behind
 * "how many operators for this half hour". Pure functions, no I/O; rates in the caller's time unit
 * (seconds throughout urpnet).
 *
 * Erlang A is the M/M/N+M birth–death chain solved numerically (Palm's model; Garnett, Mandelbaum and
 * Reiman 2002): its stationary law gives the probability of waiting and of abandoning, and the
 * service level — the share of all callers answered within t — is the absorption probability of the
 * tagged caller's own chain (callers ahead of it leave by service or by abandonment, it leaves by
 * service or by its own patience), computed by uniformisation from the law it finds on arrival.
 */

export interface TrafficInput {
  /** Arrivals per time unit (e.g. calls per second). */
  arrivalRate: number;
  /** Mean handling time, in the same unit (talk + hold + after-call work). */
  handleTime: number;
}

export interface QueueMetrics {
  agents: number;
  /** Offered load in Erlang (arrivalRate × handleTime). */
  load: number;
  /** Share of callers who must wait (find every agent busy). */
  waitProbability: number;
  /** Share of all callers answered within the target time. */
  serviceLevel: number;
  /** Mean wait over all callers (answered or not). */
  averageWait: number;
  /** Share of callers who hang up before being answered (0 for Erlang C). */
  abandonment: number;
  /** Share of agent time busy. */
  occupancy: number;
  /** False when the queue grows without bound (Erlang C with load ≥ agents). */
  stable: boolean;
}

const checkTraffic = ({ arrivalRate, handleTime }: TrafficInput) => {
  if (!(arrivalRate >= 0) || !Number.isFinite(arrivalRate)) throw new RangeError('arrivalRate must be a finite number ≥ 0');
  if (!(handleTime > 0) || !Number.isFinite(handleTime)) throw new RangeError('handleTime must be a finite number > 0');
};
const checkAgents = (agents: number) => {
  if (!Number.isInteger(agents) || agents < 0) throw new RangeError('agents must be an integer ≥ 0');
};

/** Erlang B: the blocking probability of N servers under load A, by the stable recursion. */
export function erlangB(load: number, agents: number): number {
  checkAgents(agents);
  let b = 1;
  for (let n = 1; n <= agents; n++) b = (load * b) / (n + load * b);
  return b;
}

/** Erlang C: the probability of waiting with N agents under load A (1 when A ≥ N). */
export function erlangCWait(load: number, agents: number): number {
  if (load <= 0) return 0;
  if (load >= agents) return 1;
  const b = erlangB(load, agents);
  return (agents * b) / (agents - load * (1 - b));
}

/** Erlang C metrics for a number of agents and a target answer time. */
export function erlangC(traffic: TrafficInput, agents: number, targetTime: number): QueueMetrics {
  checkTraffic(traffic);
  checkAgents(agents);
  const load = traffic.arrivalRate * traffic.handleTime;
  if (load === 0) return { agents, load, waitProbability: 0, serviceLevel: 1, averageWait: 0, abandonment: 0, occupancy: 0, stable: true };
  if (load >= agents) return { agents, load, waitProbability: 1, serviceLevel: 0, averageWait: Number.POSITIVE_INFINITY, abandonment: 0, occupancy: agents === 0 ? 0 : 1, stable: false };
  const c = erlangCWait(load, agents);
  const drain = (agents - load) / traffic.handleTime;
  return {
    agents,
    load,
    waitProbability: c,
    serviceLevel: 1 - c * Math.exp(-drain * targetTime),
    averageWait: c / drain,
    abandonment: 0,
    occupancy: load / agents,
    stable: true,
  };
}

export interface PatientTrafficInput extends TrafficInput {
  /** Mean patience before hanging up (exponential), same unit. */
  patience: number;
}

/** Stationary probabilities of the M/M/N+M chain, truncated where the tail is negligible. */
function erlangAStationary(lambda: number, mu: number, theta: number, agents: number): number[] {
  // Unnormalised terms built by ratios, rescaled as they grow so nothing overflows.
  const terms: number[] = [1];
  let last = 1;
  let sum = 1;
  for (let n = 1; ; n++) {
    const death = Math.min(n, agents) * mu + Math.max(n - agents, 0) * theta;
    last = (last * lambda) / death;
    terms.push(last);
    sum += last;
    if (sum > 1e250) {
      for (let i = 0; i < terms.length; i++) terms[i]! /= sum;
      last /= sum;
      sum = 1;
    }
    // Past the mode (death rate above the arrival rate) the terms fall geometrically or faster.
    if (n > agents && death > lambda && last < sum * 1e-14) break;
    if (n > agents + 1_000_000) break;
  }
  return terms.map((t) => t / sum);
}

/**
 * The share of callers answered within `t`, for callers who find `k` already waiting with weight
 * `weights[k]` (the stationary law at arrival): uniformisation of the tagged caller's chain.
 */
function answeredWithin(weights: number[], agents: number, mu: number, theta: number, t: number): number {
  const K = weights.length - 1;
  if (K < 0) return 0;
  const serviceRate = agents * mu;
  const exitRate = (j: number) => serviceRate + j * theta + theta;
  const uniform = exitRate(K);
  const lt = uniform * t;
  let v = weights.slice();
  let served = 0;
  let result = 0;
  let cumulative = 0;
  // Steps until the Poisson(Λt) weight left is negligible; weights in logs, since e^-Λt underflows for long queues.
  const maxSteps = Math.ceil(lt + 12 * Math.sqrt(lt) + 30);
  let logPoisson = -lt;
  for (let m = 0; m <= maxSteps; m++) {
    const w = Math.exp(logPoisson);
    result += w * served;
    cumulative += w;
    const next = new Array<number>(K + 1).fill(0);
    for (let j = 0; j <= K; j++) {
      const vj = v[j]!;
      if (vj === 0) continue;
      next[j]! += vj * (1 - exitRate(j) / uniform);
      const forward = (serviceRate + j * theta) / uniform;
      if (j === 0) served += vj * forward;
      else next[j - 1]! += vj * forward;
    }
    v = next;
    logPoisson += Math.log(lt) - Math.log(m + 1);
  }
  // The Poisson mass beyond maxSteps has `served` at least its last value.
  return result + Math.max(0, 1 - cumulative) * served;
}

/** Erlang A metrics for a number of agents and a target answer time. */
export function erlangA(traffic: PatientTrafficInput, agents: number, targetTime: number): QueueMetrics {
  checkTraffic(traffic);
  checkAgents(agents);
  if (!(traffic.patience > 0)) throw new RangeError('patience must be a number > 0');
  const load = traffic.arrivalRate * traffic.handleTime;
  if (load === 0) return { agents, load, waitProbability: 0, serviceLevel: 1, averageWait: 0, abandonment: 0, occupancy: 0, stable: true };
  if (!Number.isFinite(traffic.patience)) return erlangC(traffic, agents, targetTime);
  const lambda = traffic.arrivalRate;
  const mu = 1 / traffic.handleTime;
  const theta = 1 / traffic.patience;
  const p = erlangAStationary(lambda, mu, theta, agents);
  let waitProbability = 0;
  let queue = 0;
  let busy = 0;
  for (let n = 0; n < p.length; n++) {
    if (n >= agents) waitProbability += p[n]!;
    queue += Math.max(n - agents, 0) * p[n]!;
    busy += Math.min(n, agents) * p[n]!;
  }
  const immediate = 1 - waitProbability;
  // Arrivals finding k callers waiting, with the negligible tail cut so the tagged chain stays short.
  const waiting = p.slice(agents);
  while (waiting.length > 1 && waiting[waiting.length - 1]! < 1e-13) waiting.pop();
  const serviceLevel = agents === 0 ? 0 : immediate + answeredWithin(waiting, agents, mu, theta, targetTime);
  return {
    agents,
    load,
    waitProbability,
    serviceLevel: Math.min(1, serviceLevel),
    averageWait: queue / lambda,
    abandonment: (theta * queue) / lambda,
    occupancy: agents === 0 ? 0 : busy / agents,
    stable: true,
  };
}

export interface StaffingTarget {
  /** Answer within this time (e.g. 20 s)… */
  targetTime: number;
  /** …for at least this share of callers (e.g. 0.8). */
  serviceLevel: number;
  /** At most this occupancy (e.g. 0.85), so operators are not run to exhaustion; default 1. */
  maxOccupancy?: number;
  /** At most this abandonment rate (Erlang A only), default none. */
  maxAbandonment?: number;
}

/**
 * The fewest agents meeting the target, with their metrics. With patience given, Erlang A; without,
 * Erlang C. Zero traffic needs zero agents.
 */
export function requiredAgents(traffic: TrafficInput & { patience?: number }, target: StaffingTarget): QueueMetrics {
  if (!(target.serviceLevel >= 0 && target.serviceLevel < 1)) throw new RangeError('serviceLevel must be in [0, 1)');
  if (!(target.targetTime >= 0)) throw new RangeError('targetTime must be ≥ 0');
  const model = (n: number) => (traffic.patience !== undefined ? erlangA({ ...traffic, patience: traffic.patience }, n, target.targetTime) : erlangC(traffic, n, target.targetTime));
  const load = traffic.arrivalRate * traffic.handleTime;
  const maxOccupancy = target.maxOccupancy ?? 1;
  let n = Math.max(0, traffic.patience !== undefined ? Math.floor(load * 0.5) : Math.floor(load));
  for (;; n++) {
    const m = model(n);
    if (m.load === 0) return m;
    const ok = m.stable && m.serviceLevel >= target.serviceLevel && m.occupancy <= maxOccupancy + 1e-12 && (target.maxAbandonment === undefined || m.abandonment <= target.maxAbandonment);
    if (ok) return m;
  }
}

/** Operators to roster so that `agents` are on the phones when a share `shrinkage` is away (breaks, training, absence). */
export function rosteredStaff(agents: number, shrinkage: number): number {
  if (!(shrinkage >= 0 && shrinkage < 1)) throw new RangeError('shrinkage must be in [0, 1)');
  return Math.ceil(agents / (1 - shrinkage) - 1e-9);
}
