/**
 * The product's model of a daily count series, used both to raise alarms and to forecast:
 *
 *   expected(d) = level × weekday factor(d)     (public holidays take the Sunday factor)
 *   variance(d) = μ + φμ²                        (negative binomial, φ estimated online)
 *
 * Everything is updated one day at a time, so the alarm for day d depends on data up to d only
 * (prospective, as in live operation). Before updating, each count is winsorised to μ ± 2σ, so a
 * one-day spike barely moves the level; a sustained change is caught by a CUSUM on the scores and
 * the level is then re-estimated from the recent days (re-baselining), so the model follows a real
 * level shift instead of alarming on it for weeks. While an upward CUSUM run is in progress its scores
 * are taken against the model as it was when the run started, so the level absorbing the new counts
 * does not eat the signal of the shift.
 *
 * Thresholds are self-calibrated per series, prospectively: every 4 weeks the spike threshold and the
 * CUSUM bound are set to the smallest values whose alarm rate on the series' own past scores fits a
 * budget (alarms per 30 days). A quiet, Poisson-like series thus gets low thresholds (sensitive), a
 * heavy-tailed one (bulk-entry days, level wander) high ones, without tuning one global value.
 */
import { countScore } from './count-distribution.js';

export type AlarmKind = 'spike' | 'level_shift' | 'trend' | 'drop';

export interface Alarm {
  /** Index of the day in the series. */
  index: number;
  kind: AlarmKind;
  observed: number;
  expected: number;
  score: number;
  /** Index of the first day of the anomaly: the day itself for a spike, the start of the CUSUM run otherwise. */
  since?: number;
}

export interface ForecastPoint {
  /** Days after the last observed day (1 = the next day). */
  ahead: number;
  mean: number;
  lo80: number;
  hi80: number;
}

export interface CountModelParams {
  /** Days used to initialise the model; no alarm is raised before. */
  warmupDays: number;
  /** Exponential smoothing weight of the level, per day. */
  levelAlpha: number;
  /** Smoothing weight of each weekday factor, per occurrence of that weekday. */
  weekdayGamma: number;
  /** Smoothing weight of the dispersion φ, per day. */
  dispersionBeta: number;
  minDispersion: number;
  /** Winsorising bound (in σ) applied before a count updates the model. */
  clipSigma: number;
  /** Winsorising bound (in σ) for the residuals that update the dispersion. */
  dispersionClipSigma: number;
  /** Score above which a single day is a spike. */
  spikeScore: number;
  /** CUSUM on scores clipped to ±cusumClip: reference value k and decision bound h, upwards… */
  shiftK: number;
  shiftH: number;
  /** …and downwards (drops). */
  dropK: number;
  dropH: number;
  cusumClip: number;
  /** An upward CUSUM run at least this long is reported as a trend rather than a level shift. */
  trendMinDays: number;
  /** Days used to re-estimate the level after a shift alarm. */
  rebaselineDays: number;
  /**
   * 1: while a CUSUM run is in progress, its scores are computed against the level and weekday
   * factors as they were when the run started, so that the model absorbing the new counts does not
   * eat the signal of a real shift (2: the same for drops). 0: against the current model.
   */
  runBaseline: number;
  /**
   * Self-calibration (0 = off): every `calibrateEvery` days, once `calibrateAfter` days have been
   * scored, the spike threshold and the shift bound h are set to the smallest values whose alarm
   * rate on the series' own past scores (the last `calibrationWindow` days) stays within the
   * budgets (alarms per 30 days). The counts are shrunk towards the iid-normal theory with
   * `calibrationPrior` pseudo-days. Until then spikeScore and shiftH apply.
   */
  calibrateEvery: number;
  calibrateAfter: number;
  calibrationWindow: number;
  calibrationPrior: number;
  spikeBudget: number;
  /** The shift bound gets max(shiftBudget, alarmBudget − the spikes' calibrated rate). */
  shiftBudget: number;
  alarmBudget: number;
  minSpikeScore: number;
  minShiftH: number;
  /**
   * Windowed test (0 = off): the sum of the last `windowDays` counts against the sum expected from
   * the level as it was before the window started, in NB standard deviations; a level shift when
   * above `windowScore` (self-calibrated like the CUSUM, on its own `windowBudget`). It is strong
   * where per-day scores are weak: bursty, over-dispersed series multiplied by a factor. Off by
   * default: on the Boston tuning set it added no detection at the same false-alarm rate.
   */
  windowDays: number;
  windowScore: number;
  windowBudget: number;
  /** Forecast variance: relative level variance added per day of horizon (random-walk level). */
  levelDriftPerDay: number;
  /** Multiplier on the forecast standard deviation (calibrated on the backtest). */
  intervalScale: number;
}

export const DEFAULT_PARAMS: Readonly<CountModelParams> = Object.freeze({
  warmupDays: 28,
  levelAlpha: 0.08,
  weekdayGamma: 0.15,
  dispersionBeta: 0.03,
  minDispersion: 0.005,
  clipSigma: 2,
  dispersionClipSigma: 2,
  spikeScore: 2.75,
  shiftK: 0.5,
  shiftH: 4,
  dropK: 0.5,
  dropH: 8,
  cusumClip: 2,
  trendMinDays: 14,
  rebaselineDays: 7,
  runBaseline: 1,
  calibrateEvery: 28,
  calibrateAfter: 28,
  calibrationWindow: 364,
  calibrationPrior: 56,
  spikeBudget: 0.4,
  shiftBudget: 0.35,
  alarmBudget: 0.75,
  minSpikeScore: 2.5,
  minShiftH: 1.5,
  windowDays: 0,
  windowScore: 4,
  windowBudget: 0.2,
  levelDriftPerDay: 0.002,
  intervalScale: 1,
});

const Z80 = 1.2815515655446004;
/** Expected values never go below this share of the level: a closed day can still see a contact. */
const MIN_FACTOR = 0.02;
const MIN_MEAN = 0.02;

/** Everything the forecaster needs, frozen at the last observed day. */
export interface ModelState {
  level: number;
  weekdayFactors: number[];
  dispersion: number;
  /** Index of the last observed day + 1. */
  length: number;
}

export interface ModelRun {
  alarms: Alarm[];
  state: ModelState;
}

/**
 * Runs the model over `counts` (day 0 has weekday `firstWeekday`, Monday = 0) and returns the alarms
 * and the final state. `holidays[i] = 1` marks public holidays. `onDay(i, state)` is called after day
 * i has been absorbed (the bench uses it to forecast from rolling origins).
 */
export function runCountModel(
  counts: ArrayLike<number>,
  firstWeekday: number,
  holidays: ArrayLike<number>,
  params: CountModelParams = DEFAULT_PARAMS,
  onDay?: (index: number, state: ModelState) => void,
): ModelRun {
  const n = counts.length;
  const alarms: Alarm[] = [];
  const warm = Math.min(params.warmupDays, n);
  const w = initialWeekdayFactors(counts, firstWeekday, holidays, warm);
  // Level as an exponentially weighted ratio Σy / Σfactor: closed days (factor ≈ 0) weigh nothing.
  let sumY = 0;
  let sumF = 0;
  for (let i = 0; i < warm; i++) {
    sumY += counts[i]!;
    sumF += factorOf(w, (firstWeekday + i) % 7, holidays[i] === 1);
  }
  let level = sumF > 0 ? sumY / sumF : 0;
  sumY = level;
  sumF = 1;
  const wy = w.slice();
  const wl = [1, 1, 1, 1, 1, 1, 1];
  let dispA = 0;
  let dispB = 0;
  for (let i = 0; i < warm; i++) {
    const mu = Math.max(level * factorOf(w, (firstWeekday + i) % 7, holidays[i] === 1), MIN_MEAN);
    const r = counts[i]! - mu;
    dispA += r * r - mu;
    dispB += mu * mu;
  }
  let phi = clampDispersion(dispB > 0 ? dispA / dispB : params.minDispersion, params);
  dispA = phi;
  dispB = 1;
  let up = 0;
  let upStart = 0;
  let down = 0;
  let downStart = 0;
  // The model as it was when the current upward / downward run started (see params.runBaseline).
  let upLevel = level;
  let upPhi = phi;
  const upW = w.slice();
  let downLevel = level;
  let downPhi = phi;
  const downW = w.slice();
  // Past scores, for the self-calibration of the thresholds.
  const calibrating = params.calibrateEvery > 0;
  const pastScores = calibrating ? new Float64Array(n) : undefined;
  const pastSteps = calibrating ? new Float64Array(n) : undefined;
  let spikeScore = params.spikeScore;
  let shiftH = params.shiftH;
  const L = params.windowDays;
  const levelBefore = L > 0 ? new Float64Array(n) : undefined;
  const pastWindow = L > 0 && calibrating ? new Float64Array(n) : undefined;
  let windowScore = params.windowScore;
  /** No windowed alarm before this day (after an upward alarm, until its window is past). */
  let windowQuiet = warm + L;
  const a = params.levelAlpha;
  const g = params.weekdayGamma;
  const b = params.dispersionBeta;
  const clip = (z: number) => (z > params.cusumClip ? params.cusumClip : Math.max(z, -params.cusumClip));

  for (let i = 0; i < n; i++) {
    if (pastScores && pastSteps && i >= warm + params.calibrateAfter && (i - warm - params.calibrateAfter) % params.calibrateEvery === 0) {
      const from = Math.max(warm, i - params.calibrationWindow);
      const spikes = calibrateSpikeScore(pastScores, from, i, params);
      spikeScore = spikes.threshold;
      // The shifts get what the spikes leave of the total budget, and at least their own budget.
      shiftH = calibrateShiftH(pastSteps, from, i, Math.max(params.shiftBudget, params.alarmBudget - spikes.rate), params);
      if (pastWindow) windowScore = calibrateWindowScore(pastWindow, Math.max(from, warm + L), i, L, params);
    }
    const dow = (firstWeekday + i) % 7;
    const holiday = holidays[i] === 1;
    const f = factorOf(w, dow, holiday);
    const mu = Math.max(level * f, MIN_MEAN);
    const y = counts[i]!;
    const z = countScore(y, mu, phi);
    let windowZ = 0;
    if (levelBefore) {
      levelBefore[i] = level;
      if (i >= L - 1) {
        const base = levelBefore[i - L + 1]!;
        let sumObserved = 0;
        let sumExpected = 0;
        let variance = 0;
        for (let j = i - L + 1; j <= i; j++) {
          const e = Math.max(base * factorOf(w, (firstWeekday + j) % 7, holidays[j] === 1), MIN_MEAN);
          const v = e + phi * e * e;
          // Each day counts at most windowClip σ above its expected value: one spike is not a shift.
          sumObserved += Math.min(counts[j]!, e + WINDOW_CLIP * Math.sqrt(v));
          sumExpected += e;
          variance += v;
        }
        windowZ = (sumObserved - sumExpected) / Math.sqrt(variance);
        if (pastWindow) pastWindow[i] = windowZ;
      }
    }
    if (up === 0) {
      upStart = i;
      upLevel = level;
      upPhi = phi;
      for (let d = 0; d < 7; d++) upW[d] = w[d]!;
    }
    if (down === 0) {
      downStart = i;
      downLevel = level;
      downPhi = phi;
      for (let d = 0; d < 7; d++) downW[d] = w[d]!;
    }
    const frozen = params.runBaseline > 0;
    const frozenDown = params.runBaseline > 1;
    const zUp = frozen && up > 0 ? countScore(y, Math.max(upLevel * factorOf(upW, dow, holiday), MIN_MEAN), upPhi) : z;
    const zDown = frozenDown && down > 0 ? countScore(y, Math.max(downLevel * factorOf(downW, dow, holiday), MIN_MEAN), downPhi) : z;
    // Scores are clipped so that one spike alone cannot make a level shift; a day reported as a
    // spike adds no more than a moderately high day (it is already explained by its own alarm).
    const isSpike = i >= warm && z > spikeScore;
    const fullStepUp = clip(zUp);
    const stepUp = isSpike ? Math.min(fullStepUp, SPIKE_DAY_STEP) : fullStepUp;
    up = Math.max(0, up + stepUp - params.shiftK);
    down = Math.max(0, down - clip(zDown) - params.dropK);
    if (pastScores && pastSteps) {
      pastScores[i] = z;
      // The calibration replays the uncapped scores: it errs on the side of fewer alarms.
      pastSteps[i] = fullStepUp;
    }
    let rebaseline = false;
    let rebaselineFrom = i;
    if (i >= warm) {
      if (isSpike) alarms.push({ index: i, kind: 'spike', observed: y, expected: mu, score: z, since: i });
      if (up > shiftH) {
        const run = frozen ? runMeans(counts, firstWeekday, holidays, upW, upLevel, upStart, i) : runMeans(counts, firstWeekday, holidays, w, level, upStart, i);
        alarms.push({ index: i, kind: i - upStart + 1 >= params.trendMinDays ? 'trend' : 'level_shift', observed: run.observed, expected: run.expected, score: up, since: upStart });
        rebaseline = true;
        rebaselineFrom = upStart;
        windowQuiet = i + L;
      } else if (levelBefore && i >= windowQuiet && windowZ > windowScore) {
        const from = i - L + 1;
        const run = runMeans(counts, firstWeekday, holidays, w, levelBefore[from]!, from, i);
        alarms.push({ index: i, kind: 'level_shift', observed: run.observed, expected: run.expected, score: windowZ, since: from });
        rebaseline = true;
        rebaselineFrom = from;
        windowQuiet = i + L;
      } else if (down > params.dropH) {
        const run = frozenDown ? runMeans(counts, firstWeekday, holidays, downW, downLevel, downStart, i) : runMeans(counts, firstWeekday, holidays, w, level, downStart, i);
        alarms.push({ index: i, kind: 'drop', observed: run.observed, expected: run.expected, score: -down, since: downStart });
        rebaseline = true;
        rebaselineFrom = downStart;
      }
    }
    if (rebaseline) {
      const from = Math.max(i - params.rebaselineDays + 1, rebaselineFrom);
      let ry = 0;
      let rf = 0;
      for (let j = from; j <= i; j++) {
        ry += counts[j]!;
        rf += factorOf(w, (firstWeekday + j) % 7, holidays[j] === 1);
      }
      if (rf > 0) {
        level = ry / rf;
        sumY = level * sumF;
      }
      up = 0;
      down = 0;
    } else {
      absorb(y, mu, f, dow, holiday);
    }
    if (onDay) onDay(i, { level, weekdayFactors: w.slice(), dispersion: phi, length: i + 1 });
  }
  return { alarms, state: { level, weekdayFactors: w, dispersion: phi, length: n } };

  function absorb(y: number, mu: number, f: number, dow: number, holiday: boolean): void {
    // Winsorised update: a spike moves the model by at most clipSigma standard deviations.
    const sd = Math.sqrt(mu + phi * mu * mu);
    const lo = mu - params.clipSigma * sd;
    const hi = mu + params.clipSigma * sd;
    const yc = y < lo ? lo : Math.min(y, hi);
    sumY = (1 - a) * sumY + a * yc;
    sumF = (1 - a) * sumF + a * f;
    // The dispersion has its own winsorising bound: a wider one gives series with frequent outliers
    // wider bands (fewer false alarms, less detection); on Boston the same bound as the level's was best.
    const dlo = mu - params.dispersionClipSigma * sd;
    const dhi = mu + params.dispersionClipSigma * sd;
    const r = (y < dlo ? dlo : Math.min(y, dhi)) - mu;
    dispA = (1 - b) * dispA + b * (r * r - mu);
    dispB = (1 - b) * dispB + b * mu * mu;
    phi = clampDispersion(dispA / dispB, params);
    if (!holiday && level > 0) {
      wy[dow] = (1 - g) * wy[dow]! + g * yc;
      wl[dow] = (1 - g) * wl[dow]! + g * level;
      w[dow] = wy[dow]! / wl[dow]!;
      // Keep the factors' mean at 1 so that the level stays a daily mean; rescale the level to match.
      let mean = 0;
      for (let d = 0; d < 7; d++) mean += w[d]!;
      mean /= 7;
      if (mean > 0) {
        for (let d = 0; d < 7; d++) w[d] = w[d]! / mean;
        for (let d = 0; d < 7; d++) wy[d] = wy[d]! / mean;
        sumY *= mean;
      }
    }
    level = sumF > 0 ? sumY / sumF : level;
  }
}

/**
 * Forecast for `horizon` days after the state's last day. `firstWeekday` is the weekday of day 0 of
 * the series; `futureHolidays[h - 1]` marks holidays h days ahead.
 */
export function forecastFrom(state: ModelState, firstWeekday: number, horizon: number, futureHolidays: ArrayLike<number>, params: CountModelParams = DEFAULT_PARAMS): ForecastPoint[] {
  const out: ForecastPoint[] = [];
  // The level is an exponentially weighted mean: its own variance is α/(2-α) of a day's.
  const levelShare = params.levelAlpha / (2 - params.levelAlpha);
  for (let h = 1; h <= horizon; h++) {
    const dow = (firstWeekday + state.length - 1 + h) % 7;
    const mean = Math.max(state.level * factorOf(state.weekdayFactors, dow, futureHolidays[h - 1] === 1), 0);
    const dayVariance = mean + state.dispersion * mean * mean;
    const variance = dayVariance * (1 + levelShare) + params.levelDriftPerDay * h * mean * mean;
    const half = Z80 * params.intervalScale * Math.sqrt(variance);
    out.push({ ahead: h, mean, lo80: Math.max(0, mean - half), hi80: mean + half });
  }
  return out;
}

const SPIKE_GRID = [2.25, 2.5, 2.75, 3, 3.25, 3.5, 3.75, 4, 4.5, 5, 6];
const SHIFT_H_GRID = [1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3, 3.5, 4, 4.5, 5, 6, 7, 8];

/** Upper tail of the standard normal, 1 − Φ(x) (Abramowitz–Stegun 7.1.26, error < 1.5e-7). */
function normalUpperTail(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(x * x) / 2);
  return x >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** Siegmund's approximation of the in-control run length of a CUSUM (k, h) on iid N(0,1) scores. */
function cusumArl0(k: number, h: number): number {
  const bb = h + 1.166;
  return (Math.exp(2 * k * bb) - 2 * k * bb - 1) / (2 * k * k);
}

/** Smallest spike threshold whose rate over the past scores [from, to) fits the spike budget. */
function calibrateSpikeScore(scores: Float64Array, from: number, to: number, params: CountModelParams): { threshold: number; rate: number } {
  const prior = params.calibrationPrior;
  const allowed = (params.spikeBudget / 30) * (to - from + prior);
  // One pass: above[t] = number of past scores above SPIKE_GRID[t].
  const above = new Array<number>(SPIKE_GRID.length).fill(0);
  const lowest = SPIKE_GRID[0]!;
  for (let j = from; j < to; j++) {
    const z = scores[j]!;
    if (z <= lowest) continue;
    for (let t = 0; t < SPIKE_GRID.length && z > SPIKE_GRID[t]!; t++) above[t]!++;
  }
  for (let t = 0; t < SPIKE_GRID.length; t++) {
    const threshold = SPIKE_GRID[t]!;
    const expected = above[t]! + prior * normalUpperTail(threshold);
    if (threshold >= params.minSpikeScore && expected <= allowed) return { threshold, rate: (30 * expected) / (to - from + prior) };
  }
  const last = SPIKE_GRID.length - 1;
  return { threshold: SPIKE_GRID[last]!, rate: (30 * (above[last]! + prior * normalUpperTail(SPIKE_GRID[last]!))) / (to - from + prior) };
}

/** Largest CUSUM score a day reported as a spike contributes. */
const SPIKE_DAY_STEP = 1;
const WINDOW_CLIP = 3;
const WINDOW_GRID = [2, 2.25, 2.5, 2.75, 3, 3.25, 3.5, 4, 4.5, 5, 6, 7, 8];

/**
 * Smallest windowed-test threshold whose alarm rate, replayed over the past window scores [from, to)
 * with the same `windowDays` quiet time after each alarm, fits the window budget. The iid prior
 * counts about 0.4 alarms per exceedance (overlapping windows exceed in clusters).
 */
function calibrateWindowScore(scores: Float64Array, from: number, to: number, windowDays: number, params: CountModelParams): number {
  const prior = params.calibrationPrior;
  const allowed = (params.windowBudget / 30) * (Math.max(0, to - from) + prior);
  for (const t of WINDOW_GRID) {
    let budget = allowed - 0.4 * prior * normalUpperTail(t);
    if (budget < 0) continue;
    let quietUntil = from;
    for (let j = from; j < to && budget >= 0; j++) {
      if (j >= quietUntil && scores[j]! > t) {
        budget -= 1;
        quietUntil = j + windowDays;
      }
    }
    if (budget >= 0) return t;
  }
  return WINDOW_GRID[WINDOW_GRID.length - 1]!;
}

/**
 * Smallest CUSUM bound h whose alarm rate, replayed over the past clipped scores, fits the shift
 * budget. The alarm count falls as h grows, so the grid is searched by bisection.
 */
function calibrateShiftH(steps: Float64Array, from: number, to: number, shiftBudget: number, params: CountModelParams): number {
  const prior = params.calibrationPrior;
  const allowed = (shiftBudget / 30) * (to - from + prior);
  const k = params.shiftK;
  const fits = (h: number) => {
    let budget = allowed - prior / cusumArl0(k, h);
    if (budget < 0) return false;
    let s = 0;
    for (let j = from; j < to; j++) {
      s = s + steps[j]! - k;
      if (s < 0) s = 0;
      else if (s > h) {
        budget -= 1;
        if (budget < 0) return false;
        s = 0;
      }
    }
    return true;
  };
  let lo = 0;
  while (lo < SHIFT_H_GRID.length && SHIFT_H_GRID[lo]! < params.minShiftH) lo++;
  let hi = SHIFT_H_GRID.length - 1;
  if (lo >= hi) return SHIFT_H_GRID[hi]!;
  // Invariant: the answer is in [lo, hi]; the largest h is taken when nothing smaller fits.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fits(SHIFT_H_GRID[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return SHIFT_H_GRID[lo]!;
}

function factorOf(w: number[], dow: number, holiday: boolean): number {
  const f = holiday ? Math.min(w[6]!, w[dow]!) : w[dow]!;
  return Math.max(f, MIN_FACTOR);
}

function clampDispersion(phi: number, params: CountModelParams): number {
  return phi < params.minDispersion ? params.minDispersion : Math.min(phi, 4);
}

/** Weekday factors from the warm-up days, shrunk towards 1 when a weekday has been seen little. */
function initialWeekdayFactors(counts: ArrayLike<number>, firstWeekday: number, holidays: ArrayLike<number>, warm: number): number[] {
  const sum = [0, 0, 0, 0, 0, 0, 0];
  const seen = [0, 0, 0, 0, 0, 0, 0];
  let total = 0;
  let days = 0;
  for (let i = 0; i < warm; i++) {
    if (holidays[i] === 1) continue;
    const dow = (firstWeekday + i) % 7;
    sum[dow]! += counts[i]!;
    seen[dow]! += 1;
    total += counts[i]!;
    days++;
  }
  const mean = days > 0 ? total / days : 0;
  if (mean <= 0) return [1, 1, 1, 1, 1, 1, 1];
  const w = sum.map((s, d) => (s + mean) / ((seen[d]! + 1) * mean));
  const m = w.reduce((x, v) => x + v, 0) / 7;
  return w.map((v) => v / m);
}

function runMeans(counts: ArrayLike<number>, firstWeekday: number, holidays: ArrayLike<number>, w: number[], level: number, from: number, to: number): { observed: number; expected: number } {
  let observed = 0;
  let expected = 0;
  for (let j = from; j <= to; j++) {
    observed += counts[j]!;
    expected += Math.max(level * factorOf(w, (firstWeekday + j) % 7, holidays[j] === 1), MIN_MEAN);
  }
  const len = to - from + 1;
  return { observed: observed / len, expected: expected / len };
}
