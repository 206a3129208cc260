import { ChartFigure } from '../components/charts/Charts.js';
import { linePath, maxOf, niceMax, ticks } from '../components/charts/chart-data.js';
import { useI18n } from '../i18n/index.js';
import { formatDay, formatNumber } from './analytics-work.js';

/**
 * The charts of the alarms, actions and staffing pages, in the frame of the dashboard's charts
 * (components/charts: title, CSV/SVG/PNG downloads, the data as a table): one image to assistive
 * technology, named by a summary of its data.
 */

const INK = '#1a1a1a';
const OBSERVED = '#0066cc';
const EXPECTED = '#5c6f82';
const BAND = '#d6e4f0';
const MARK = '#cc334d';
const GRID = '#d9dadb';

/** One day of a band chart: observed (null: withheld or not yet), expected with its 80% interval (null: none). */
export interface BandDay {
  date: string;
  observed: number | null;
  expected: number | null;
  lo80: number | null;
  hi80: number | null;
  /** How the observed value reads in the table when it is null ("≤3", "not yet"). */
  observedText?: string;
}

/** The SVG path of a closed band between `lo` and `hi` (skipping days without either), over width × height. */
function bandPath(lo: readonly (number | null)[], hi: readonly (number | null)[], width: number, height: number, top: number): string {
  const step = lo.length > 1 ? width / (lo.length - 1) : 0;
  const points: [number, number, number][] = [];
  lo.forEach((l, i) => {
    const h = hi[i];
    if (l === null || h === null || h === undefined) return;
    points.push([lo.length > 1 ? i * step : width / 2, height - (l / top) * height, height - (h / top) * height]);
  });
  if (points.length === 0) return '';
  const r = (v: number) => Math.round(v * 10) / 10;
  const upper = points.map(([x, , y]) => `${r(x)} ${r(y)}`).join(' L');
  const lower = [...points].reverse().map(([x, y]) => `${r(x)} ${r(y)}`).join(' L');
  return `M${upper} L${lower} Z`;
}

/**
 * Observed against expected, day by day: the expected line (dashed) inside its 80% band, the
 * observed line over it, and one day marked (the alarm's day, the action's start).
 */
export function BandChart({ id, title, days, mark, markLabel, observedLabel, expectedLabel }: { id: string; title: string; days: BandDay[]; mark: string | null; markLabel: string; observedLabel?: string; expectedLabel?: string }) {
  const { t, locale } = useI18n();
  const width = 720;
  const height = 260;
  const left = 44;
  const bottom = 28;
  const plotW = width - left - 12;
  const plotH = height - bottom - 12;
  const max = maxOf(days.flatMap((d) => [d.observed, d.hi80, d.expected]));
  const top = niceMax(max);
  const step = days.length > 1 ? plotW / (days.length - 1) : 0;
  const xOf = (i: number) => left + (days.length > 1 ? i * step : plotW / 2);
  const markIndex = mark === null ? -1 : days.findIndex((d) => d.date === mark);
  const marked = markIndex >= 0 ? days[markIndex] : undefined;
  const labelEvery = Math.max(1, Math.ceil(days.length / 8));
  const value = (v: number | null) => (v === null ? '—' : formatNumber(v, locale));
  const first = days[0]?.date;
  const last = days.at(-1)?.date;
  const summary =
    !first || !last
      ? t('analyticsWork.chart.empty', { title })
      : marked
        ? t('analyticsWork.chart.summary', { title, days: days.length, first: formatDay(first), last: formatDay(last), markLabel, mark: formatDay(marked.date), observed: marked.observed === null ? (marked.observedText ?? '—') : value(marked.observed), expected: value(marked.expected) })
        : t('analyticsWork.chart.summaryShort', { title, days: days.length, first: formatDay(first), last: formatDay(last) });
  return (
    <ChartFigure
      id={id}
      title={title}
      columns={[t('analyticsWork.day'), observedLabel ?? t('analyticsWork.observed'), expectedLabel ?? t('analyticsWork.expected'), t('analyticsWork.lo80'), t('analyticsWork.hi80')]}
      // A day with no expectation at all (the observed days before a forecast) has none to withhold: a dash, not "not shown".
      rows={days.map((d) => {
        const none = d.expected === null && d.lo80 === null && d.hi80 === null ? '—' : null;
        return [d.date, d.observed ?? d.observedText ?? null, d.expected ?? none, d.lo80 ?? none, d.hi80 ?? none];
      })}
    >
      <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: `${width}px`, height: 'auto' }} data-testid={`${id}-svg`}>
        {ticks(max).map((v) => {
          const y = 12 + plotH - (v / top) * plotH;
          return (
            <g key={v}>
              <line x1={left} x2={width - 8} y1={y} y2={y} stroke={GRID} />
              <text x={left - 4} y={y + 4} textAnchor="end" fontSize="11" fill={INK}>
                {formatNumber(v, locale)}
              </text>
            </g>
          );
        })}
        <g transform={`translate(${left} 12)`}>
          <path d={bandPath(days.map((d) => d.lo80), days.map((d) => d.hi80), plotW, plotH, top)} fill={BAND} stroke="none" data-series="band" />
          <path d={linePath(days.map((d) => d.expected), plotW, plotH, max)} fill="none" stroke={EXPECTED} strokeWidth="2" strokeDasharray="6 4" data-series="expected" />
          <path d={linePath(days.map((d) => d.observed), plotW, plotH, max)} fill="none" stroke={OBSERVED} strokeWidth="2.5" data-series="observed" />
        </g>
        {days.map((d, i) =>
          d.observed === null ? null : (
            <circle key={d.date} cx={xOf(i)} cy={12 + plotH - (d.observed / top) * plotH} r="2.5" fill={OBSERVED}>
              <title>{`${formatDay(d.date)}: ${value(d.observed)} / ${value(d.expected)}`}</title>
            </circle>
          ),
        )}
        {marked && (
          <g data-mark={marked.date}>
            <line x1={xOf(markIndex)} x2={xOf(markIndex)} y1={12} y2={12 + plotH} stroke={MARK} strokeWidth="1.5" strokeDasharray="3 3" />
            <text x={Math.min(xOf(markIndex) + 4, width - 120)} y={24} fontSize="11" fill={MARK}>
              {markLabel}
            </text>
          </g>
        )}
        {days.map((d, i) =>
          i % labelEvery === 0 ? (
            <text key={d.date} x={xOf(i)} y={height - 8} textAnchor="middle" fontSize="11" fill={INK}>
              {formatDay(d.date).slice(0, 5)}
            </text>
          ) : null,
        )}
      </svg>
      <ul className="list-inline small mb-0 mt-1" aria-hidden="true">
        <li className="list-inline-item">
          <span style={{ display: 'inline-block', width: 16, height: 3, background: OBSERVED, verticalAlign: 'middle' }} /> {observedLabel ?? t('analyticsWork.observed')}
        </li>
        <li className="list-inline-item">
          <span style={{ display: 'inline-block', width: 16, height: 0, borderTop: `2px dashed ${EXPECTED}`, verticalAlign: 'middle' }} /> {expectedLabel ?? t('analyticsWork.expected')}
        </li>
        <li className="list-inline-item">
          <span style={{ display: 'inline-block', width: 16, height: 10, background: BAND, verticalAlign: 'middle' }} /> {t('analyticsWork.band')}
        </li>
        {marked && (
          <li className="list-inline-item">
            <span style={{ display: 'inline-block', width: 0, height: 12, borderLeft: `2px dashed ${MARK}`, verticalAlign: 'middle' }} /> {markLabel}
          </li>
        )}
      </ul>
    </ChartFigure>
  );
}

/** Columns of one value per period (agents per half hour), with a y axis and the value in each column's tooltip. */
export function ColumnChart({ id, title, columns, rows, values, labels, summary }: { id: string; title: string; columns: string[]; rows: (string | number | null)[][]; values: number[]; labels: string[]; summary: string }) {
  const { locale } = useI18n();
  const width = 720;
  const height = 220;
  const left = 40;
  const bottom = 26;
  const plotW = width - left - 8;
  const plotH = height - bottom - 8;
  const max = maxOf(values);
  const top = niceMax(max);
  const slot = values.length > 0 ? plotW / values.length : plotW;
  const labelEvery = Math.max(1, Math.ceil(values.length / 12));
  return (
    <ChartFigure id={id} title={title} columns={columns} rows={rows}>
      <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: `${width}px`, height: 'auto' }}>
        {ticks(max).map((v) => {
          const y = 8 + plotH - (v / top) * plotH;
          return (
            <g key={v}>
              <line x1={left} x2={width - 8} y1={y} y2={y} stroke={GRID} />
              <text x={left - 4} y={y + 4} textAnchor="end" fontSize="11" fill={INK}>
                {formatNumber(v, locale)}
              </text>
            </g>
          );
        })}
        {values.map((v, i) => {
          const h = (v / top) * plotH;
          const x = left + i * slot;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: one column per period, in order.
            <g key={i} data-column={labels[i]}>
              <title>{`${labels[i] ?? ''}: ${formatNumber(v, locale)}`}</title>
              <rect x={x + slot * 0.15} y={8 + plotH - h} width={Math.max(1, slot * 0.7)} height={h} fill={OBSERVED} />
              {i % labelEvery === 0 && (
                <text x={x + slot / 2} y={height - 8} textAnchor="middle" fontSize="11" fill={INK}>
                  {labels[i]}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </ChartFigure>
  );
}
