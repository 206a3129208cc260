import { type ReactNode, useRef } from 'react';
import { useI18n } from '../../i18n/index.js';
import { Link } from '../../lib/router.js';
import { type CellStatus, cellView } from '../../pages/ArchiveCells.js';
import { fileSlug, flowTiles, linePath, maxOf, niceMax, REGION_ABBREVIATIONS, REGION_TILES, shade, ticks, toCsv } from './chart-data.js';

/**
 * Hand-written SVG charts of the analytics dashboards (issue 14). Each chart is one image to
 * assistive technology (role="img", named by a summary of its data), with its data as a table in a
 * disclosure: the table is also where drill-down is reachable from the keyboard (a link per row).
 * Every chart downloads as CSV (its data), SVG and PNG (the SVG drawn on a canvas).
 * A withheld count (small-cell suppression) is never drawn as zero: it is hatched and labelled.
 */

/** One value of a chart: its label, count (null: withheld) and the link that drills down to its records. */
export interface ChartDatum {
  key: string;
  label: string;
  count: number | null;
  status: CellStatus;
  href?: string;
}

const INK = '#1a1a1a';
const BAR = '#0066cc';
const GRID = '#d9dadb';
/** Sequential blues (colour-blind safe), with the count printed on each tile: never colour alone. */
const SHADES = ['#f2f5f8', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];
const SHADE_INK = [INK, INK, INK, '#ffffff', '#ffffff'];

function Hatch({ id }: { id: string }) {
  return (
    <defs>
      <pattern id={id} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
        <rect width="6" height="6" fill="#ffffff" />
        <line x1="0" y1="0" x2="0" y2="6" stroke="#5c6f82" strokeWidth="2" />
      </pattern>
    </defs>
  );
}

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The SVG as a standalone document (namespace, size, white background). */
function svgDocument(svg: SVGSVGElement): { text: string; width: number; height: number } {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const box = svg.viewBox.baseVal;
  const width = Math.round(box?.width || svg.clientWidth || 600);
  const height = Math.round(box?.height || svg.clientHeight || 300);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('style', 'background:#ffffff;font-family:sans-serif');
  return { text: new XMLSerializer().serializeToString(clone), width, height };
}

function downloadPng(name: string, svg: SVGSVGElement): void {
  const doc = svgDocument(svg);
  const image = new Image();
  const url = URL.createObjectURL(new Blob([doc.text], { type: 'image/svg+xml' }));
  image.onload = () => {
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = doc.width * scale;
    canvas.height = doc.height * scale;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(scale, scale);
    ctx.drawImage(image, 0, 0, doc.width, doc.height);
    URL.revokeObjectURL(url);
    canvas.toBlob((blob) => blob && download(name, blob), 'image/png');
  };
  image.src = url;
}

/**
 * A chart's frame: title, download buttons, the picture, and its data as a table (with drill-down links).
 * `columns` and `rows` are the data in the table and in the CSV.
 */
export function ChartFigure({ id, title, columns, rows, links, note, children }: { id: string; title: string; columns: string[]; rows: (string | number | null)[][]; links?: (string | undefined)[]; note?: ReactNode; children: ReactNode }) {
  const { t, locale } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const svg = () => box.current?.querySelector('svg[role="img"]') as SVGSVGElement | null;
  const name = fileSlug(title);
  const number = (v: string | number | null) => (typeof v === 'number' ? v.toLocaleString(locale === 'en' ? 'en-GB' : 'it-IT') : (v ?? ''));
  return (
    <figure className="card card-bg p-3 mb-4 analytics-chart" data-testid={`chart-${id}`} aria-labelledby={`${id}-title`}>
      <div className="d-flex flex-wrap justify-content-between align-items-start gap-2">
        <h3 className="h5 mb-2" id={`${id}-title`}>
          {title}
        </h3>
        <div className="btn-group btn-group-sm" role="group" aria-label={title}>
          <button type="button" className="btn btn-outline-primary btn-sm py-1 px-2" aria-label={t('analytics.download.label', { format: t('analytics.download.csv'), title })} onClick={() => download(`${name}.csv`, new Blob([`\ufeff${toCsv(columns, rows)}`], { type: 'text/csv;charset=utf-8' }))}>
            {t('analytics.download.csv')}
          </button>
          <button
            type="button"
            className="btn btn-outline-primary btn-sm py-1 px-2"
            aria-label={t('analytics.download.label', { format: t('analytics.download.svg'), title })}
            onClick={() => {
              const el = svg();
              if (el) download(`${name}.svg`, new Blob([svgDocument(el).text], { type: 'image/svg+xml' }));
            }}
          >
            {t('analytics.download.svg')}
          </button>
          <button
            type="button"
            className="btn btn-outline-primary btn-sm py-1 px-2"
            aria-label={t('analytics.download.label', { format: t('analytics.download.png'), title })}
            onClick={() => {
              const el = svg();
              if (el) downloadPng(`${name}.png`, el);
            }}
          >
            {t('analytics.download.png')}
          </button>
        </div>
      </div>
      <div ref={box}>{children}</div>
      {note && <p className="small text-muted mb-1">{note}</p>}
      <details className="mt-2">
        <summary>{t('analytics.chart.table')}</summary>
        <div className="table-responsive">
          <table className="table table-sm mb-0">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
                {links && <th scope="col">{t('analytics.chart.drill')}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows follow the chart's order; their place is their identity.
                <tr key={i}>
                  <th scope="row">{row[0]}</th>
                  {row.slice(1).map((v, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns.
                    <td key={j} className="text-end">
                      {v === null ? t('analytics.kpi.withheld') : number(v)}
                    </td>
                  ))}
                  {links && <td>{links[i] ? <Link href={links[i]} aria-label={t('analytics.chart.drillLabel', { label: String(row[0]) })}>{t('analytics.chart.drill')}</Link> : null}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** The accessible summary of a chart: how many values, the highest and where. */
function useSummary(title: string, data: readonly ChartDatum[], template: 'analytics.chart.summary' | 'analytics.chart.mapSummary' = 'analytics.chart.summary'): string {
  const { t } = useI18n();
  const max = maxOf(data.map((d) => d.count));
  const top = data.find((d) => d.count === max && max > 0);
  return top ? t(template, { title, count: data.length, max, label: top.label }) : t('analytics.chart.summaryEmpty', { title });
}

/** Clicks on a chart's marks: the same drill-down as the table's links (the mouse's way). */
function go(href: string | undefined, onNavigate: (href: string) => void) {
  return href ? { onClick: () => onNavigate(href), style: { cursor: 'pointer' } } : {};
}

function withheldText(d: ChartDatum, t: ReturnType<typeof useI18n>['t'], locale: string, threshold: number) {
  return cellView(d.count, d.status, threshold, t, locale).text;
}

/** Horizontal bars, one per category, the count printed at the end of each bar. */
export function BarChart({ id, title, data, threshold, onNavigate }: { id: string; title: string; data: ChartDatum[]; threshold: number; onNavigate: (href: string) => void }) {
  const { t, locale } = useI18n();
  const summary = useSummary(title, data);
  const labelWidth = 190;
  const barArea = 330;
  const row = 22;
  const width = labelWidth + barArea + 70;
  const height = Math.max(row, data.length * row) + 8;
  const top = niceMax(maxOf(data.map((d) => d.count)));
  const hatch = `${id}-hatch`;
  return (
    <ChartFigure id={id} title={title} columns={[t('analytics.chart.category'), t('analytics.chart.count')]} rows={data.map((d) => [d.label, d.count])} links={data.map((d) => d.href)}>
      <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: `${width}px`, height: 'auto' }}>
        <Hatch id={hatch} />
        {data.map((d, i) => {
          const y = 4 + i * row;
          const w = d.count === null ? 24 : Math.max(d.count > 0 ? 2 : 0, (d.count / top) * barArea);
          return (
            <g key={d.key} data-key={d.key} {...go(d.href, onNavigate)}>
              <title>{`${d.label}: ${withheldText(d, t, locale, threshold)}`}</title>
              <text x={labelWidth - 6} y={y + 14} textAnchor="end" fontSize="12" fill={INK}>
                {d.label.length > 30 ? `${d.label.slice(0, 29)}…` : d.label}
              </text>
              <rect x={labelWidth} y={y + 2} width={w} height={row - 6} fill={d.count === null ? `url(#${hatch})` : BAR} stroke={d.count === null ? '#5c6f82' : 'none'} />
              <text x={labelWidth + w + 4} y={y + 14} fontSize="12" fill={INK}>
                {withheldText(d, t, locale, threshold)}
              </text>
            </g>
          );
        })}
      </svg>
    </ChartFigure>
  );
}

/** Contacts over time: columns (up to 62 periods) or a line, with a y axis; a withheld period is hatched or a gap. */
export function TimeChart({ id, title, data, threshold, onNavigate, note }: { id: string; title: string; data: ChartDatum[]; threshold: number; onNavigate: (href: string) => void; note?: ReactNode }) {
  const { t, locale } = useI18n();
  const summary = useSummary(title, data);
  const width = 720;
  const height = 240;
  const left = 44;
  const bottom = 28;
  const plotW = width - left - 8;
  const plotH = height - bottom - 8;
  const max = maxOf(data.map((d) => d.count));
  const top = niceMax(max);
  const columns = data.length <= 62;
  const slot = data.length > 0 ? plotW / data.length : plotW;
  const hatch = `${id}-hatch`;
  const labelEvery = Math.max(1, Math.ceil(data.length / 8));
  return (
    <ChartFigure id={id} title={title} columns={[t('analytics.chart.period'), t('analytics.chart.count')]} rows={data.map((d) => [d.label, d.count])} links={data.map((d) => d.href)} note={note}>
      <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: `${width}px`, height: 'auto' }} data-kind={columns ? 'columns' : 'line'}>
        <Hatch id={hatch} />
        {ticks(max).map((v) => {
          const y = 8 + plotH - (v / top) * plotH;
          return (
            <g key={v}>
              <line x1={left} x2={width - 8} y1={y} y2={y} stroke={GRID} />
              <text x={left - 4} y={y + 4} textAnchor="end" fontSize="11" fill={INK}>
                {v.toLocaleString(locale === 'en' ? 'en-GB' : 'it-IT')}
              </text>
            </g>
          );
        })}
        {!columns && (
          <g transform={`translate(${left + slot / 2} 8)`}>
            <path d={linePath(data.map((d) => d.count), plotW - slot, plotH, max)} fill="none" stroke={BAR} strokeWidth="2" />
          </g>
        )}
        {data.map((d, i) => {
          const x = left + i * slot;
          const h = d.count === null ? plotH * 0.15 : (d.count / top) * plotH;
          return (
            <g key={d.key} data-period={d.key} {...go(d.href, onNavigate)}>
              <title>{`${d.label}: ${withheldText(d, t, locale, threshold)}`}</title>
              {columns ? (
                <rect x={x + slot * 0.15} y={8 + plotH - h} width={Math.max(1, slot * 0.7)} height={h} fill={d.count === null ? `url(#${hatch})` : BAR} stroke={d.count === null ? '#5c6f82' : 'none'} />
              ) : (
                <rect x={x} y={8} width={slot} height={plotH} fill="transparent" />
              )}
              {i % labelEvery === 0 && (
                <text x={x + slot / 2} y={height - 10} textAnchor="middle" fontSize="11" fill={INK}>
                  {d.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </ChartFigure>
  );
}

/** A tile map: one square per region (fixed grid, a cartogram of Italy) or per province (flowing), shaded by count. */
export function TileMap({ id, title, data, threshold, onNavigate, layout }: { id: string; title: string; data: ChartDatum[]; threshold: number; onNavigate: (href: string) => void; layout: 'regions' | 'flow' }) {
  const { t, locale } = useI18n();
  const summary = useSummary(title, data.filter((d) => (d.count ?? 1) > 0), 'analytics.chart.mapSummary');
  const size = 56;
  const gap = 4;
  const max = maxOf(data.map((d) => d.count));
  const hatch = `${id}-hatch`;
  const placed =
    layout === 'regions'
      ? Object.entries(REGION_TILES).map(([code, [col, row]]) => {
          const d = data.find((x) => x.key === code);
          return { key: code, col, row, abbr: REGION_ABBREVIATIONS[code] ?? code, datum: d ?? { key: code, label: code, count: 0, status: 'published' as const } };
        })
      : flowTiles(data, 6).map(({ item, col, row }) => ({ key: item.key, col, row, abbr: item.label.slice(0, 8), datum: item }));
  const cols = Math.max(1, ...placed.map((p) => p.col + 1));
  const rows = Math.max(1, ...placed.map((p) => p.row + 1));
  const width = cols * (size + gap);
  const height = rows * (size + gap) + 26;
  const tableData = layout === 'regions' ? data : data;
  return (
    <ChartFigure id={id} title={title} columns={[t('analytics.chart.category'), t('analytics.chart.count')]} rows={tableData.map((d) => [d.label, d.count])} links={tableData.map((d) => d.href)}>
      <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: `${width * 1.3}px`, height: 'auto' }}>
        <Hatch id={hatch} />
        {placed.map(({ key, col, row, abbr, datum }) => {
          const level = shade(datum.count, max);
          const x = col * (size + gap);
          const y = row * (size + gap);
          return (
            <g key={key} data-tile={key} {...go(datum.href, onNavigate)}>
              <title>{`${datum.label}: ${withheldText(datum, t, locale, threshold)}`}</title>
              <rect x={x} y={y} width={size} height={size} rx="4" fill={level === null ? `url(#${hatch})` : SHADES[level]} stroke="#5c6f82" />
              <text x={x + size / 2} y={y + 22} textAnchor="middle" fontSize="12" fontWeight="600" fill={level === null ? INK : SHADE_INK[level]}>
                {abbr}
              </text>
              <text x={x + size / 2} y={y + 40} textAnchor="middle" fontSize="11" fill={level === null ? INK : SHADE_INK[level]}>
                {withheldText(datum, t, locale, threshold)}
              </text>
            </g>
          );
        })}
        <g transform={`translate(0 ${rows * (size + gap) + 6})`}>
          <text x="0" y="12" fontSize="11" fill={INK}>
            {t('analytics.legend.less')}
          </text>
          {SHADES.map((c, i) => (
            <rect key={c} x={40 + i * 18} y="2" width="16" height="14" fill={c} stroke="#5c6f82" />
          ))}
          <text x={40 + SHADES.length * 18 + 4} y="12" fontSize="11" fill={INK}>
            {t('analytics.legend.more')}
          </text>
        </g>
      </svg>
    </ChartFigure>
  );
}

/** A small line of one topic's monthly counts (a gap where a month is withheld). */
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const width = 120;
  const height = 28;
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
      <path d={linePath(values, width - 4, height - 4, maxOf(values))} transform="translate(2 2)" fill="none" stroke={BAR} strokeWidth="1.5" />
    </svg>
  );
}

/** The sparklines of the main topics, one row each (label, monthly line, total), as one picture. */
export function SparklineChart({ id, title, months, topics, threshold, onNavigate }: { id: string; title: string; months: string[]; topics: { key: string; label: string; total: number | null; counts: (number | null)[]; href?: string }[]; threshold: number; onNavigate: (href: string) => void }) {
  const { t, locale } = useI18n();
  const row = 30;
  const width = 560;
  const height = Math.max(row, topics.length * row);
  const summary = topics
    .map((s) => t('analytics.chart.sparkline', { topic: s.label, total: cellView(s.total, s.total === null ? 'secondary' : 'published', threshold, t, locale).text, first: months[0] ?? '', last: months.at(-1) ?? '' }))
    .join(' ');
  return (
    <ChartFigure
      id={id}
      title={title}
      columns={[t('analytics.chart.category'), ...months, t('analytics.chart.count')]}
      rows={topics.map((s) => [s.label, ...s.counts, s.total])}
      links={topics.map((s) => s.href)}
    >
      <svg role="img" aria-label={summary || t('analytics.chart.summaryEmpty', { title })} viewBox={`0 0 ${width} ${height}`} width="100%" style={{ maxWidth: `${width}px`, height: 'auto' }}>
        {topics.map((s, i) => (
          <g key={s.key} transform={`translate(0 ${i * row})`} data-key={s.key} {...go(s.href, onNavigate)}>
            <title>{s.label}</title>
            <text x="0" y="19" fontSize="12" fill={INK}>
              {s.label.length > 34 ? `${s.label.slice(0, 33)}…` : s.label}
            </text>
            <path d={linePath(s.counts, 200, row - 8, maxOf(s.counts))} transform="translate(260 4)" fill="none" stroke={BAR} strokeWidth="1.5" />
            <text x={width - 4} y="19" fontSize="12" textAnchor="end" fill={INK}>
              {cellView(s.total, s.total === null ? 'secondary' : 'published', threshold, t, locale).text}
            </text>
          </g>
        ))}
      </svg>
    </ChartFigure>
  );
}
