/**
 * Pure helpers of the hand-written SVG charts (issue 14): scales and ticks, the line of a series
 * with gaps, the tile map of Italy, CSV of a chart's data, and what a period of the dashboard covers
 * in months (the archive browser filters by month). No DOM.
 */

/** The smallest 1, 2 or 5 × 10^k at or above `max` (at least 1): the top of a chart's axis. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

/** `count + 1` evenly spaced ticks from 0 to `niceMax(max)`, whole numbers only. */
export function ticks(max: number, count = 4): number[] {
  const top = niceMax(max);
  const step = Math.max(1, Math.round(top / count));
  const out: number[] = [];
  for (let v = 0; v <= top; v += step) out.push(v);
  return out;
}

/**
 * The SVG path of a series over a width × height box (y grows downwards), one point per value,
 * broken where a value is withheld (null): a withheld count is not drawn as zero.
 */
export function linePath(values: readonly (number | null)[], width: number, height: number, max: number): string {
  const top = niceMax(max);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    const x = values.length > 1 ? i * step : width / 2;
    const y = height - (v / top) * height;
    d += `${pen ? 'L' : 'M'}${round(x)} ${round(y)} `;
    pen = true;
  });
  return d.trim();
}

const round = (v: number) => Math.round(v * 10) / 10;

/** The largest published value (0 when none). */
export function maxOf(values: readonly (number | null)[]): number {
  return values.reduce<number>((m, v) => (v !== null && v > m ? v : m), 0);
}

/**
 * The schematic tile map of Italy: each region (ISTAT code) on a cell of a grid, roughly where it
 * lies — a cartogram, not geography, so that every region is one equal, readable, clickable square.
 */
export const REGION_TILES: Readonly<Record<string, readonly [col: number, row: number]>> = {
  '02': [0, 0], '03': [1, 0], '04': [2, 0], '06': [3, 0],
  '01': [0, 1], '08': [1, 1], '05': [2, 1],
  '07': [0, 2], '09': [1, 2], '11': [2, 2],
  '10': [2, 3], '13': [3, 3],
  '20': [0, 4], '12': [2, 4], '14': [3, 4], '16': [4, 4],
  '15': [3, 5], '17': [4, 5],
  '18': [4, 6],
  '19': [3, 7],
};

/** Short labels of the regions on their tiles. */
export const REGION_ABBREVIATIONS: Readonly<Record<string, string>> = {
  '01': 'PIE', '02': 'VDA', '03': 'LOM', '04': 'TAA', '05': 'VEN', '06': 'FVG', '07': 'LIG', '08': 'EMR', '09': 'TOS', '10': 'UMB',
  '11': 'MAR', '12': 'LAZ', '13': 'ABR', '14': 'MOL', '15': 'CAM', '16': 'PUG', '17': 'BAS', '18': 'CAL', '19': 'SIC', '20': 'SAR',
};

/** Tiles of places without a fixed position (the provinces of a region): rows of `perRow`, in the given order. */
export function flowTiles<T>(items: readonly T[], perRow = 5): { item: T; col: number; row: number }[] {
  return items.map((item, i) => ({ item, col: i % perRow, row: Math.floor(i / perRow) }));
}

/** The shade class (0–4) of a count against the largest: 0 for zero, withheld counts have none (null). */
export function shade(count: number | null, max: number, classes = 5): number | null {
  if (count === null) return null;
  if (count <= 0 || max <= 0) return 0;
  return Math.min(classes - 1, 1 + Math.floor((count / max) * (classes - 1) - 1e-9));
}

/** A CSV document (RFC 4180, comma-separated, CRLF): fields with a comma, quote or line break are quoted. */
export function toCsv(headers: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const field = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [headers, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

/** A file name from a chart title: lower case, ASCII, dashes. */
export function fileSlug(title: string): string {
  return (
    title
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'grafico'
  );
}

export type Granularity = 'hour' | 'day' | 'week' | 'month';

const pad = (n: number) => String(n).padStart(2, '0');
const monthOf = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
};

/** The months (`YYYY-MM`, first and last) a period of the series covers: the archive browser's filter. */
export function periodMonths(period: string, granularity: Granularity): { from: string; to: string } | null {
  if (granularity === 'month') return /^\d{4}-\d{2}$/.test(period) ? { from: period, to: period } : null;
  if (granularity === 'week') {
    const m = /^(\d{4})-W(\d{2})$/.exec(period);
    if (!m) return null;
    const jan4 = Date.UTC(Number(m[1]), 0, 4);
    const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000 + (Number(m[2]) - 1) * 7 * 86_400_000;
    return { from: monthOf(monday), to: monthOf(monday + 6 * 86_400_000) };
  }
  const m = /^(\d{4})-(\d{2})-\d{2}/.exec(period);
  return m ? { from: `${m[1]}-${m[2]}`, to: `${m[1]}-${m[2]}` } : null;
}

/** The archive browser's URL for a filter (empty values left out). */
export function archiveUrl(filter: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) params.set(k, v);
  const query = params.toString();
  return `/archivio${query ? `?${query}` : ''}`;
}
