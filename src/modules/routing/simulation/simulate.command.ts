/**
 * `urpnet simulate --scenario FILE.json [--json]`: simulates the scenario's offices twice on the same
 * random draws, isolated and as a network with overflow, and prints the figures of both (a table in
 * Italian, or JSON with `--json`). Exit code 0; 1 when the file cannot be read; 2 when it is not a
 * valid scenario (every problem on stderr, naming its field).
 */
import { readFileSync } from 'node:fs';
import { validateScenario } from './scenario.js';
import { formatReport, simulateScenario } from './simulation-report.js';

export interface SimulateOptions {
  scenario: string;
  json?: boolean;
}

export interface CommandOutput {
  write(chunk: string): unknown;
}

export function runSimulate(options: SimulateOptions, stdout: CommandOutput, stderr: CommandOutput): number {
  let text: string;
  try {
    text = readFileSync(options.scenario, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    stderr.write(code === 'ENOENT' ? `errore: file «${options.scenario}» non trovato\n` : `errore: lettura di «${options.scenario}» non riuscita: ${(err as Error).message}\n`);
    return 1;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    stderr.write(`errore: «${options.scenario}» non è JSON valido: ${(err as Error).message}\n`);
    return 2;
  }
  const check = validateScenario(raw);
  if (!check.ok) {
    stderr.write(`errore: scenario «${options.scenario}» non valido:\n${check.errors.map((e) => `  ${e}\n`).join('')}`);
    return 2;
  }
  const { report } = simulateScenario(check.scenario);
  stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatReport(report, check.scenario));
  return 0;
}

/** The commander action: `runSimulate` on the process's streams and exit code. */
export function simulateAction(options: SimulateOptions): void {
  process.exitCode = runSimulate(options, process.stdout, process.stderr);
}
