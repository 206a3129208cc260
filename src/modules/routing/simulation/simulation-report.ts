/**
 * From raw counts to the figures `urpnet simulate` prints: per office and for the whole network,
 * for the isolated run and the network run. Pure.
 *
 * Definitions:
 * - offered, answered, abandoned, serviceLevel and asaSeconds count contacts by the office where
 *   they ARRIVED, whoever answered them;
 * - serviceLevel = contacts answered within `serviceLevelSeconds` / offered contacts (abandoned ones
 *   count as missed; 0 when nothing was offered);
 * - asaSeconds = mean wait of the answered contacts (0 when none);
 * - occupancy = agent-seconds on calls / agent-seconds signed in, for the office's OWN agents
 *   (signed in: on shift, plus finishing a call past the shift end, plus staying after closing to
 *   clear the queue); the network figure is the ratio of the sums;
 * - overflowOut (arrival office) = its contacts answered by a partner's agent; overflowIn (answering
 *   office) = other offices' contacts its agents answered; for the network both are the total.
 */
import type { Scenario } from './scenario.js';
import { type OfficeCounters, runSimulation, type SimulationRun } from './simulation.js';

export interface Metrics {
  offered: number;
  answered: number;
  abandoned: number;
  serviceLevel: number;
  asaSeconds: number;
  occupancy: number;
  overflowIn: number;
  overflowOut: number;
}

export interface RunReport {
  network: Metrics;
  offices: Record<string, Metrics>;
}

export interface SimulationReport {
  isolated: RunReport;
  network: RunReport;
}

const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function metricsOf(c: OfficeCounters): Metrics {
  return {
    offered: c.offered,
    answered: c.answered,
    abandoned: c.abandoned,
    serviceLevel: c.offered > 0 ? round(c.answeredInTarget / c.offered, 4) : 0,
    asaSeconds: c.answered > 0 ? round(c.answeredWaitSeconds / c.answered, 2) : 0,
    occupancy: c.staffedSeconds > 0 ? round(c.busySeconds / c.staffedSeconds, 4) : 0,
    overflowIn: c.overflowIn,
    overflowOut: c.overflowOut,
  };
}

export function totalOf(counters: readonly OfficeCounters[]): OfficeCounters {
  const t: OfficeCounters = { offered: 0, answered: 0, abandoned: 0, answeredInTarget: 0, answeredWaitSeconds: 0, overflowOut: 0, overflowIn: 0, busySeconds: 0, staffedSeconds: 0 };
  for (const c of counters) for (const k of Object.keys(t) as (keyof OfficeCounters)[]) t[k] += c[k];
  return t;
}

export function runReport(run: SimulationRun): RunReport {
  const offices: Record<string, Metrics> = {};
  run.officeIds.forEach((id, i) => {
    offices[id] = metricsOf(run.counters[i]!);
  });
  return { network: metricsOf(totalOf(run.counters)), offices };
}

export interface SimulationOutcome {
  report: SimulationReport;
  /** Contacts simulated over both runs, and events processed (for speed figures). */
  contacts: number;
  events: number;
}

/** Both runs on the same draws: offices on their own, then the network with its overflow routes. */
export function simulateScenario(scenario: Scenario): SimulationOutcome {
  const isolated = runSimulation(scenario, { overflow: false });
  const network = runSimulation(scenario, { overflow: true });
  return {
    report: { isolated: runReport(isolated), network: runReport(network) },
    contacts: totalOf(isolated.counters).offered + totalOf(network.counters).offered,
    events: isolated.events + network.events,
  };
}

// ---------------------------------------------------------------------------
// Text table (Italian)
// ---------------------------------------------------------------------------

const it = (x: number, digits: number) => x.toLocaleString('it-IT', { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
const percent = (x: number) => `${it(x * 100, 1)}%`;

const HEADERS = ['ufficio', 'offerti', 'risposti', 'abbandonati', 'LdS', 'ASA (s)', 'occupazione', 'trabocco entrata', 'trabocco uscita'];

function table(run: RunReport): string {
  const row = (name: string, m: Metrics) => [name, String(m.offered), String(m.answered), String(m.abandoned), percent(m.serviceLevel), it(m.asaSeconds, 1), percent(m.occupancy), String(m.overflowIn), String(m.overflowOut)];
  const rows = [HEADERS, ...Object.entries(run.offices).map(([id, m]) => row(id, m)), row('RETE', run.network)];
  const widths = HEADERS.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  return rows.map((r) => r.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!))).join('  ').trimEnd()).join('\n');
}

/** The readable report: both runs and the change in the network's service level. */
export function formatReport(report: SimulationReport, scenario: Scenario): string {
  const before = report.isolated.network.serviceLevel;
  const after = report.network.network.serviceLevel;
  const gain = (after - before) * 100;
  const sign = gain > 0 ? '+' : gain < 0 ? '−' : '±';
  return [
    `Simulazione di ${scenario.days} ${scenario.days === 1 ? 'giorno' : 'giorni'}, seme ${scenario.seed}; livello di servizio (LdS) = quota dei contatti offerti con risposta entro ${scenario.serviceLevelSeconds} s`,
    '',
    'Uffici isolati (nessun trabocco)',
    table(report.isolated),
    '',
    'Rete con trabocco',
    table(report.network),
    '',
    `Livello di servizio della rete: ${percent(before)} isolati → ${percent(after)} in rete (${sign}${it(Math.abs(gain), 1)} punti percentuali)`,
    '',
  ].join('\n');
}
