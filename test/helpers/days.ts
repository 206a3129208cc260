import { localIsoDate, ROME } from '../../src/platform/time-zone.js';

/** Today in Italy, YYYY-MM-DD: tests of the analytics place their data relative to it. */
export const today = localIsoDate(new Date(), ROME);

/** The day `n` days from today (negative: before), YYYY-MM-DD. */
export const dayOffset = (n: number): string => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
