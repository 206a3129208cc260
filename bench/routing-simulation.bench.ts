/**
 * The routing simulator (src/modules/routing/simulation/) on the demo network scenario: network
 * service level, mean wait (ASA) and abandonment with offices isolated and as a network with
 * overflow, the gain in percentage points, and the simulation speed (simulated contacts per second
 * of wall time). Then the speed at scale: 20 offices × 500 contacts/hour, 08:00–16:00, 30 days
 * (with patience and overflow routes between neighbours), both runs.
 *
 *   npm run bench -- routing-simulation     or     npx tsx bench/routing-simulation.bench.ts [--quick]   (--quick: 5 days at scale)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Scenario, validateScenario } from '../src/modules/routing/simulation/scenario.js';
import { type SimulationOutcome, simulateScenario } from '../src/modules/routing/simulation/simulation-report.js';

const root = path.resolve(import.meta.dirname, '..');
const quick = process.argv.includes('--quick');

function scenarioOf(raw: unknown): Scenario {
  const check = validateScenario(raw);
  if (!check.ok) throw new Error(check.errors.join('\n'));
  return check.scenario;
}

/** Wall and CPU time: on a shared machine the CPU time is the steadier figure. */
function timed(scenario: Scenario): { outcome: SimulationOutcome; seconds: number; cpuSeconds: number } {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const outcome = simulateScenario(scenario);
  const used = process.cpuUsage(cpu);
  return { outcome, seconds: (performance.now() - t) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const rate = (contacts: number, seconds: number) => `${Math.round(contacts / seconds).toLocaleString('en-US')} contacts/s`;

const demo = scenarioOf(JSON.parse(readFileSync(path.join(root, 'scenarios', 'demo-network.json'), 'utf8')));
const { outcome, seconds, cpuSeconds } = timed(demo);
const { isolated, network } = outcome.report;
console.log(`demo-network.json: ${demo.offices.length} offices, ${demo.days} days, ${isolated.network.offered} contacts per run`);
console.log('                 service level    ASA     abandoned');
for (const [name, run] of [['isolated', isolated], ['network', network]] as const) {
  const n = run.network;
  console.log(`  ${name.padEnd(9)}      ${pct(n.serviceLevel).padStart(6)}      ${n.asaSeconds.toFixed(1).padStart(5)} s   ${pct(n.abandoned / n.offered).padStart(6)}`);
}
console.log(`  gain           ${((network.network.serviceLevel - isolated.network.serviceLevel) * 100).toFixed(1)} pp   ${(network.network.asaSeconds - isolated.network.asaSeconds).toFixed(1)} s   ${((network.network.abandoned - isolated.network.abandoned) / isolated.network.offered * 100).toFixed(1)} pp   (${network.network.overflowIn} contacts overflowed)`);
console.log(`  speed          ${rate(outcome.contacts, seconds)} wall, ${rate(outcome.contacts, cpuSeconds)} CPU (${outcome.contacts} contacts, ${outcome.events} events, ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU, both runs)`);

const days = quick ? 5 : 30;
const offices = Array.from({ length: 20 }, (_, i) => ({
  id: `urp-${String(i).padStart(2, '0')}`,
  open: ['08:00', '16:00'],
  agents: 40 + (i % 5) * 2,
  overflowTo: [{ office: `urp-${String((i + 1) % 20).padStart(2, '0')}`, afterSeconds: 30, cap: 5 }],
}));
const scale = scenarioOf({
  days,
  seed: 1,
  offices,
  arrivals: offices.map((o) => ({ office: o.id, perHour: 500 })),
  handleSeconds: { dist: 'exponential', mean: 270 },
  patienceSeconds: { dist: 'exponential', mean: 180 },
});
const big = timed(scale);
console.log(`scale: 20 offices × 500/h × 8 h × ${days} days: ${big.outcome.report.isolated.network.offered} contacts per run, network SL ${pct(big.outcome.report.isolated.network.serviceLevel)} → ${pct(big.outcome.report.network.network.serviceLevel)}`);
console.log(`  speed          ${rate(big.outcome.contacts, big.seconds)} wall, ${rate(big.outcome.contacts, big.cpuSeconds)} CPU (${big.seconds.toFixed(2)} s wall, ${big.cpuSeconds.toFixed(2)} s CPU, both runs)`);
