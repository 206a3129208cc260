/**
 * The measured effect of an action (issue 14): the contacts observed on the targeted slice after
 * the action took effect, against the forecast made from the history before it (the counterfactual:
 * what would have come without the action). Pure: the caller reads the archive and freezes the
 * forecast; this compares them.
 */

/** One day of the frozen forecast: mean and 80% prediction interval. */
export interface ForecastDay {
  date: string;
  mean: number;
  lo80: number;
  hi80: number;
}

export interface EffectDay extends ForecastDay {
  /** Contacts observed that day; null when the archive does not yet cover it (or the cell is withheld). */
  observed: number | null;
}

export type EffectVerdict = 'pending' | 'reduced' | 'increased' | 'no_clear_effect';

export interface ActionEffect {
  days: EffectDay[];
  /** Days compared: covered by both the forecast and the archive. */
  comparedDays: number;
  observed: number;
  expected: number;
  /** observed − expected, with the 80% interval of that difference. */
  difference: number;
  differenceLo80: number;
  differenceHi80: number;
  /** difference / expected (null when nothing was expected). */
  relative: number | null;
  relativeLo80: number | null;
  relativeHi80: number | null;
  verdict: EffectVerdict;
}

/** z of the 90th percentile of the normal law: an 80% interval is mean ± 1.2816 σ. */
const Z80 = 1.2815515655446004;
/** Fewer days than this after the action say nothing yet. */
export const MIN_DAYS_FOR_VERDICT = 7;

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Compares observed counts with the counterfactual forecast over the days both cover.
 *
 * The interval of the expected total treats the days' forecast errors as independent, except for a
 * share `levelCorrelation` of their variance that moves together (the uncertainty of the level the
 * forecast started from, common to every day): σ²_total = (1−ρ)·Σσ²_d + ρ·(Σσ_d)².
 */
export function measureEffect(forecast: readonly ForecastDay[], observed: ReadonlyMap<string, number>, observedThrough: string, levelCorrelation = 0.2): ActionEffect {
  const days: EffectDay[] = forecast.map((d) => ({ ...d, observed: d.date <= observedThrough ? (observed.get(d.date) ?? 0) : null }));
  const compared = days.filter((d) => d.observed !== null);
  const obs = compared.reduce((s, d) => s + d.observed!, 0);
  const expected = compared.reduce((s, d) => s + d.mean, 0);
  const sigmas = compared.map((d) => Math.max(0, d.hi80 - d.lo80) / (2 * Z80));
  const independent = sigmas.reduce((s, x) => s + x * x, 0);
  const together = sigmas.reduce((s, x) => s + x, 0) ** 2;
  const sigma = Math.sqrt((1 - levelCorrelation) * independent + levelCorrelation * together);
  const difference = obs - expected;
  const lo = difference - Z80 * sigma;
  const hi = difference + Z80 * sigma;
  const rel = (x: number) => (expected > 0 ? round(x / expected, 4) : null);
  let verdict: EffectVerdict = 'no_clear_effect';
  if (compared.length < MIN_DAYS_FOR_VERDICT) verdict = 'pending';
  else if (hi < 0) verdict = 'reduced';
  else if (lo > 0) verdict = 'increased';
  return {
    days,
    comparedDays: compared.length,
    observed: obs,
    expected: round(expected),
    difference: round(difference),
    differenceLo80: round(lo),
    differenceHi80: round(hi),
    relative: rel(difference),
    relativeLo80: rel(lo),
    relativeHi80: rel(hi),
    verdict,
  };
}
