/**
 * Staffing per half hour (issue 14): from the contacts expected in each interval and their handling
 * time, the operators needed on the phones to meet a service level (Erlang C, or Erlang A when the
 * callers' patience is known), then the operators to roster once shrinkage (breaks, training,
 * absence) is added; and the what-if of pooling the traffic of several offices.
 */
import { type QueueMetrics, requiredAgents, rosteredStaff, type StaffingTarget } from '../../../platform/queueing/erlang.js';

export const INTERVAL_MINUTES = 30;

export interface StaffingAssumptions extends StaffingTarget {
  /** Mean handling time in seconds. */
  handleSeconds: number;
  /** Share of paid time away from the phones, 0 ≤ s < 1. */
  shrinkage: number;
  /** Mean patience of callers in seconds (Erlang A); absent: Erlang C. */
  patienceSeconds?: number;
}

export interface IntervalDemand {
  /** Start of the interval, as given (e.g. "2026-12-07T08:30" or "08:30"). */
  start: string;
  /** Contacts expected in the interval. */
  volume: number;
}

export interface IntervalStaffing extends IntervalDemand {
  agents: number;
  rostered: number;
  serviceLevel: number;
  averageWaitSeconds: number;
  abandonment: number;
  occupancy: number;
}

export interface StaffingPlan {
  model: 'erlang-c' | 'erlang-a';
  intervals: IntervalStaffing[];
  /** Operator-hours on the phones and rostered, over all intervals. */
  agentHours: number;
  rosteredHours: number;
  peakAgents: number;
  peakRostered: number;
  /** Service level over the whole period, weighted by volume. */
  serviceLevel: number;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The staffing of one interval. */
export function staffInterval(demand: IntervalDemand, a: StaffingAssumptions, intervalMinutes = INTERVAL_MINUTES): IntervalStaffing {
  const traffic = { arrivalRate: demand.volume / (intervalMinutes * 60), handleTime: a.handleSeconds, ...(a.patienceSeconds !== undefined && { patience: a.patienceSeconds }) };
  const target: StaffingTarget = { targetTime: a.targetTime, serviceLevel: a.serviceLevel, ...(a.maxOccupancy !== undefined && { maxOccupancy: a.maxOccupancy }), ...(a.maxAbandonment !== undefined && { maxAbandonment: a.maxAbandonment }) };
  const m: QueueMetrics = requiredAgents(traffic, target);
  return {
    ...demand,
    agents: m.agents,
    rostered: rosteredStaff(m.agents, a.shrinkage),
    serviceLevel: round(m.serviceLevel),
    averageWaitSeconds: round(m.averageWait, 1),
    abandonment: round(m.abandonment),
    occupancy: round(m.occupancy),
  };
}

/** Totals of staffed intervals. */
function summarise(intervals: IntervalStaffing[], model: StaffingPlan['model'], intervalMinutes: number): StaffingPlan {
  const hours = intervalMinutes / 60;
  const volume = intervals.reduce((s, i) => s + i.volume, 0);
  return {
    model,
    intervals,
    agentHours: round(intervals.reduce((s, i) => s + i.agents * hours, 0), 2),
    rosteredHours: round(intervals.reduce((s, i) => s + i.rostered * hours, 0), 2),
    peakAgents: Math.max(0, ...intervals.map((i) => i.agents)),
    peakRostered: Math.max(0, ...intervals.map((i) => i.rostered)),
    serviceLevel: volume === 0 ? 1 : round(intervals.reduce((s, i) => s + i.serviceLevel * i.volume, 0) / volume),
  };
}

const modelOf = (a: { patienceSeconds?: number }): StaffingPlan['model'] => (a.patienceSeconds === undefined ? 'erlang-c' : 'erlang-a');

/** The staffing of every interval, with totals. */
export function staffingPlan(demand: readonly IntervalDemand[], a: StaffingAssumptions, intervalMinutes = INTERVAL_MINUTES): StaffingPlan {
  return summarise(
    demand.map((d) => staffInterval(d, a, intervalMinutes)),
    modelOf(a),
    intervalMinutes,
  );
}

export interface PoolMember {
  /** Who this is (an office name or id). */
  label: string;
  /** Expected contacts per interval, aligned on the same interval starts for every member. */
  intervals: readonly IntervalDemand[];
  handleSeconds: number;
}

export interface PoolingComparison {
  separate: { label: string; plan: StaffingPlan }[];
  pooled: StaffingPlan;
  /** Operator-hours on the phones: the sum of the separate plans, the pooled plan, and the saving. */
  separateAgentHours: number;
  pooledAgentHours: number;
  savedAgentHours: number;
  savedShare: number;
}

/**
 * "If these URPs pool their traffic": each office staffed alone against one shared queue. The pooled
 * queue's handling time is the volume-weighted mean of the members' (calls keep their own length).
 */
export function comparePooling(members: readonly PoolMember[], a: Omit<StaffingAssumptions, 'handleSeconds'>, intervalMinutes = INTERVAL_MINUTES): PoolingComparison {
  if (members.length === 0) throw new RangeError('at least one member is needed');
  const starts = members[0]!.intervals.map((i) => i.start);
  for (const m of members) {
    if (m.intervals.length !== starts.length || m.intervals.some((i, k) => i.start !== starts[k])) throw new RangeError(`the intervals of ${m.label} do not match the others'`);
  }
  const separate = members.map((m) => ({ label: m.label, plan: staffingPlan(m.intervals, { ...a, handleSeconds: m.handleSeconds }, intervalMinutes) }));
  // Each interval of the pooled queue has its own mix of handling times.
  const pooledIntervals = starts.map((start, k) => {
    const volume = members.reduce((s, m) => s + m.intervals[k]!.volume, 0);
    const work = members.reduce((s, m) => s + m.intervals[k]!.volume * m.handleSeconds, 0);
    const handleSeconds = volume > 0 ? work / volume : members.reduce((s, m) => s + m.handleSeconds, 0) / members.length;
    return staffInterval({ start, volume }, { ...a, handleSeconds }, intervalMinutes);
  });
  const pooled = summarise(pooledIntervals, modelOf(a), intervalMinutes);
  const separateAgentHours = round(separate.reduce((s, m) => s + m.plan.agentHours, 0), 2);
  const saved = round(separateAgentHours - pooled.agentHours, 2);
  return { separate, pooled, separateAgentHours, pooledAgentHours: pooled.agentHours, savedAgentHours: saved, savedShare: separateAgentHours === 0 ? 0 : round(saved / separateAgentHours) };
}

/**
 * Spreads a day's expected contacts over its intervals by an intraday profile (one weight per
 * interval, e.g. the share of a weekday's contacts in each half hour seen in the archive).
 */
export function spreadOverIntervals(dayVolume: number, profile: readonly { start: string; weight: number }[]): IntervalDemand[] {
  const total = profile.reduce((s, p) => s + Math.max(0, p.weight), 0);
  if (total === 0) return profile.map((p) => ({ start: p.start, volume: 0 }));
  return profile.map((p) => ({ start: p.start, volume: (dayVolume * Math.max(0, p.weight)) / total }));
}
