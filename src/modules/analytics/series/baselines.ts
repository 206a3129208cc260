/**
 * Reference methods the bench measures the product's model against, in the same run: the weekly
 * seasonal-naive forecaster, the same-weekday median + 3·MAD detector and a CUSUM detector on a
 * same-weekday mean baseline. Deliberately textbook: they are the yardstick, not the product.
 */
import type { Alarm, ForecastPoint } from './count-model.js';

const Z80 = 1.2815515655446004;

/**
 * Weekly seasonal naive: the value of the same weekday in the last observed week. The 80% interval
 * uses the spread of the past weekly differences (up to 8 weeks), widened with the number of weeks ahead.
 */
export function seasonalNaiveForecast(counts: ArrayLike<number>, length: number, horizon: number): ForecastPoint[] {
  let sq = 0;
  let m = 0;
  for (let i = Math.max(7, length - 56); i < length; i++) {
    const d = counts[i]! - counts[i - 7]!;
    sq += d * d;
    m++;
  }
  const sd = m > 0 ? Math.sqrt(sq / m) : 0;
  const out: ForecastPoint[] = [];
  for (let h = 1; h <= horizon; h++) {
    const weeks = Math.ceil(h / 7);
    const source = length - 1 + h - 7 * weeks;
    const mean = source >= 0 ? counts[source]! : 0;
    const half = Z80 * sd * Math.sqrt(weeks);
    out.push({ ahead: h, mean, lo80: Math.max(0, mean - half), hi80: mean + half });
  }
  return out;
}

function median(values: number[]): number {
  const s = values.slice().sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Same-weekday median + 3·MAD: day d alarms when its count is more than 3 scaled MADs (1.4826·MAD,
 * at least 1) away from the median of the same weekday in the previous `weeks` weeks. Two-sided.
 */
export function weekdayMedianMadAlarms(counts: ArrayLike<number>, weeks = 8, warmupDays = 28): Alarm[] {
  const alarms: Alarm[] = [];
  const window: number[] = [];
  for (let i = Math.max(warmupDays, 7); i < counts.length; i++) {
    window.length = 0;
    for (let k = 1; k <= weeks && i - 7 * k >= 0; k++) window.push(counts[i - 7 * k]!);
    const med = median(window);
    const mad = Math.max(1.4826 * median(window.map((v) => Math.abs(v - med))), 1);
    const y = counts[i]!;
    const score = (y - med) / mad;
    if (Math.abs(score) > 3) alarms.push({ index: i, kind: score > 0 ? 'spike' : 'drop', observed: y, expected: med, score });
  }
  return alarms;
}

/**
 * Two-sided CUSUM (k = 0.5, h = 4, reset after an alarm) on z = (y − μ)/σ, where μ is the mean of
 * the same weekday over the previous `weeks` weeks and σ the pooled spread around those means.
 */
export function cusumAlarms(counts: ArrayLike<number>, weeks = 8, warmupDays = 28, k = 0.5, h = 4): Alarm[] {
  const alarms: Alarm[] = [];
  let up = 0;
  let down = 0;
  for (let i = Math.max(warmupDays, 14); i < counts.length; i++) {
    const w = Math.min(weeks, Math.floor(i / 7));
    let mu = 0;
    for (let j = 1; j <= w; j++) mu += counts[i - 7 * j]!;
    mu /= w;
    // Pooled variance around each weekday's mean over the same weeks.
    let ss = 0;
    for (let d = 1; d <= 7; d++) {
      let m = 0;
      for (let j = 0; j < w; j++) m += counts[i - d - 7 * j]!;
      m /= w;
      for (let j = 0; j < w; j++) {
        const r = counts[i - d - 7 * j]! - m;
        ss += r * r;
      }
    }
    const sd = Math.max(Math.sqrt(ss / (7 * Math.max(w - 1, 1))), 0.5);
    const y = counts[i]!;
    const z = (y - mu) / sd;
    up = Math.max(0, up + z - k);
    down = Math.max(0, down - z - k);
    if (up > h || down > h) {
      alarms.push({ index: i, kind: up > h ? 'level_shift' : 'drop', observed: y, expected: mu, score: up > h ? up : -down });
      up = 0;
      down = 0;
    }
  }
  return alarms;
}
