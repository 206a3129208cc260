/**
 * Scores for counts: a count is turned into a standard-normal score through the mid-p value of a
 * negative-binomial distribution (mean μ, variance μ + φμ²), so that one threshold means the same
 * surprise at 1 contact a day and at 50. Plain (μ ± z·σ) scores would alarm far too often on small
 * counts, whose upper tail is long.
 */

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** Above this mean (or count) the normal approximation is used instead of summing the pmf. */
const EXACT_LIMIT = 60;
const MAX_SCORE = 8;

/**
 * Standard-normal score of count `y` under NB(μ, φ): Φ⁻¹ of the mid-p value P(Y < y) + ½P(Y = y).
 * Positive when `y` is above what was expected, clipped to ±8.
 */
export function countScore(y: number, mu: number, phi: number): number {
  const variance = mu + phi * mu * mu;
  if (mu >= EXACT_LIMIT || y >= 4 * EXACT_LIMIT) {
    const z = (y - mu) / Math.sqrt(variance);
    return z > MAX_SCORE ? MAX_SCORE : Math.max(z, -MAX_SCORE);
  }
  const k = Math.max(0, Math.round(y));
  // NB with size r = 1/φ and success probability p = r / (r + μ); φ → 0 is the Poisson limit.
  let pmf: number;
  let ratio: (j: number) => number;
  if (phi < 1e-6) {
    pmf = Math.exp(-mu);
    ratio = (j) => mu / (j + 1);
  } else {
    const r = 1 / phi;
    const p = r / (r + mu);
    pmf = Math.exp(r * Math.log(p));
    const q = 1 - p;
    ratio = (j) => ((j + r) / (j + 1)) * q;
  }
  let below = 0;
  for (let j = 0; j < k; j++) {
    below += pmf;
    pmf *= ratio(j);
  }
  // Upper tail computed from its own side keeps precision when the count is far above the mean.
  const upper = 1 - below - 0.5 * pmf;
  const z = upper < 0.5 ? -normalQuantile(Math.max(upper, 1e-15)) : normalQuantile(Math.max(below + 0.5 * pmf, 1e-15));
  return z > MAX_SCORE ? MAX_SCORE : Math.max(z, -MAX_SCORE);
}
