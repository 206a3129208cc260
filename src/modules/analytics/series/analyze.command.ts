/**
 * `urpnet analyze --input FILE.csv [--horizon N] [--country IT]`: prospective alarms and a forecast
 * for each series of a `date,series,count` file, as JSON on stdout. Input problems are reported on
 * stderr, one line each with its line number, and never stop the analysis. Exit code: 0 when at
 * least one series could be analysed (even with reported lines), 1 when nothing was usable (missing
 * file, bad header, no valid row), 2 for invalid options.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { analyzeSeries } from './series-analysis.js';
import { todayDay } from './series-calendar.js';
import { SeriesInputReader } from './series-input.js';

export interface AnalyzeOptions {
  input: string;
  /** Days to forecast after the last date of the file (default 14). */
  horizon?: string | number;
  /** Holiday calendar (`IT` by default; `none` to ignore holidays). */
  country?: string;
}

export interface CommandOutput {
  write(chunk: string): unknown;
}

const MAX_HORIZON = 366;

/** Runs the analysis; returns the process exit code. `today` bounds acceptable dates (default: now, UTC). */
export async function runAnalyze(options: AnalyzeOptions, stdout: CommandOutput, stderr: CommandOutput, today = todayDay()): Promise<number> {
  const horizon = Number(options.horizon ?? 14);
  if (!Number.isInteger(horizon) || horizon < 0 || horizon > MAX_HORIZON) {
    stderr.write(`errore: --horizon deve essere un intero tra 0 e ${MAX_HORIZON}, non «${options.horizon}»\n`);
    return 2;
  }
  const country = options.country ?? 'IT';
  if (!existsSync(options.input)) {
    stderr.write(`errore: file «${options.input}» non trovato\n`);
    return 1;
  }
  const reader = new SeriesInputReader(today);
  const raw = createReadStream(options.input);
  const lines = createInterface({ input: options.input.endsWith('.gz') ? raw.pipe(createGunzip()) : raw, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  try {
    for await (const line of lines) reader.addLine(line, ++lineNumber);
  } catch (err) {
    stderr.write(`errore: lettura di «${options.input}» non riuscita: ${(err as Error).message}\n`);
    return 1;
  }
  const input = reader.finish();
  for (const issue of input.issues) stderr.write(`riga ${issue.line}: ${issue.message}\n`);
  if (input.series.length === 0) {
    stderr.write('errore: nessuna riga utilizzabile, nessuna serie da analizzare\n');
    return 1;
  }
  // One series at a time, so that a large input never becomes one huge string.
  stdout.write('{"series":[');
  input.series.forEach((s, i) => {
    stdout.write(`${i > 0 ? ',' : ''}\n${JSON.stringify(analyzeSeries(s, horizon, { country }))}`);
  });
  stdout.write('\n]}\n');
  const rows = (n: number) => (n === 1 ? '1 riga' : `${n} righe`);
  if (input.issues.length > 0) stderr.write(`avviso: ${rows(input.issues.length)} ${input.issues.length === 1 ? 'segnalata' : 'segnalate'}, ${rows(input.rowsUsed)} ${input.rowsUsed === 1 ? 'usata' : 'usate'} in ${input.series.length} serie\n`);
  return 0;
}

/** The commander action: `runAnalyze` on the process's streams and exit code. */
export async function analyzeAction(options: AnalyzeOptions): Promise<void> {
  process.exitCode = await runAnalyze(options, process.stdout, process.stderr);
}
