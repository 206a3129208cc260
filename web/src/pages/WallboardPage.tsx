import { useEffect, useId, useState } from 'react';
import type { ApiResponseBody } from '../api/client.js';
import { ErrorAlert, ForbiddenPage, Spinner } from '../components/ui.js';
import { TIME_ZONE, type Translate, useI18n } from '../i18n/index.js';
import { useApiGet } from '../lib/hooks.js';
import { useSession } from '../lib/session.js';
import { formatNumber, formatPercent } from './analytics-work.js';
import { ColumnChart } from './AnalyticsWorkCharts.js';
import { canWatchWallboard } from './paths.js';

/** The stream says when the figures moved; the timer keeps the waiting times growing in between. */
const REFRESH_MS = 30_000;

type Wallboard = ApiResponseBody<'/routing/wallboard'>;
type Figures = Wallboard['total'];

function timeOf(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale === 'it' ? 'it-IT' : 'en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

function seconds(value: number | null, t: Translate, locale: string): string {
  return value === null ? t('routing.wallboard.none') : t('routing.wallboard.seconds', { value: formatNumber(value, locale, 0) });
}

function percent(value: number | null, t: Translate, locale: string): string {
  return value === null ? t('routing.wallboard.none') : formatPercent(value, locale);
}

function Tiles({ figures }: { figures: Figures }) {
  const { t, locale } = useI18n();
  const tiles: [string, string, string][] = [
    ['waiting', t('routing.wallboard.waiting'), String(figures.waiting)],
    ['oldest', t('routing.wallboard.oldest'), seconds(figures.oldestWaitSeconds, t, locale)],
    ['available', t('routing.wallboard.available'), String(figures.operators.available)],
    ['busy', t('routing.wallboard.busy'), String(figures.operators.busy + figures.operators.after_contact)],
    ['break', t('routing.wallboard.break'), String(figures.operators.break)],
    ['service-level', t('routing.wallboard.serviceLevel'), percent(figures.serviceLevel, t, locale)],
    ['abandonment', t('routing.wallboard.abandonment'), percent(figures.abandonment, t, locale)],
    ['asa', t('routing.wallboard.asa'), seconds(figures.asaSeconds, t, locale)],
    ['overflow-in', t('routing.wallboard.overflowIn'), String(figures.overflowIn)],
    ['overflow-out', t('routing.wallboard.overflowOut'), String(figures.overflowOut)],
  ];
  return (
    <dl className="d-flex flex-wrap gap-2 mb-4" data-testid="wallboard-tiles">
      {tiles.map(([key, label, value]) => (
        <div key={key} className="border rounded p-2 flex-grow-1" style={{ minWidth: '10rem' }} data-tile={key}>
          <dt className="small fw-normal">{label}</dt>
          <dd className="h3 mb-0">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function OfficeTable({ board }: { board: Wallboard }) {
  const { t, locale } = useI18n();
  if (board.offices.length === 0) return <p>{t('routing.wallboard.noOffices')}</p>;
  return (
    // The table scrolls sideways on narrow screens: the region takes focus so the keyboard can scroll it.
    <div className="table-responsive" role="region" aria-label={t('routing.wallboard.offices')} tabIndex={0}>
      <table className="table table-sm">
        <caption className="visually-hidden">{t('routing.wallboard.offices')}</caption>
        <thead>
          <tr>
            {[
              t('routing.wallboard.office'),
              t('routing.wallboard.open'),
              t('routing.wallboard.waiting'),
              t('routing.wallboard.oldest'),
              t('routing.wallboard.available'),
              t('routing.wallboard.busy'),
              t('routing.wallboard.break'),
              t('routing.wallboard.offered'),
              t('routing.wallboard.answered'),
              t('routing.wallboard.abandoned'),
              t('routing.wallboard.serviceLevel'),
              t('routing.wallboard.abandonment'),
              t('routing.wallboard.asa'),
              t('routing.wallboard.overflowIn'),
              t('routing.wallboard.overflowOut'),
            ].map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {board.offices.map((o) => (
            <tr key={o.officeId} data-office={o.officeId}>
              <th scope="row">{o.officeName}</th>
              <td>{o.open ? t('routing.wallboard.isOpen') : t('routing.wallboard.isClosed')}</td>
              <td data-col="waiting">{o.waiting}</td>
              <td>{seconds(o.oldestWaitSeconds, t, locale)}</td>
              <td>{o.operators.available}</td>
              <td>{o.operators.busy + o.operators.after_contact}</td>
              <td>{o.operators.break}</td>
              <td>{o.offered}</td>
              <td data-col="answered">{o.answered}</td>
              <td>{o.abandoned}</td>
              <td>{percent(o.serviceLevel, t, locale)}</td>
              <td>{percent(o.abandonment, t, locale)}</td>
              <td>{seconds(o.asaSeconds, t, locale)}</td>
              <td>{o.overflowIn}</td>
              <td>{o.overflowOut}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SeriesChart({ board }: { board: Wallboard }) {
  const { t, locale } = useI18n();
  const labels = board.series.map((s) => timeOf(s.slot, locale));
  const title = t('routing.wallboard.chart');
  return (
    <ColumnChart
      id="wallboard-series"
      title={title}
      columns={[t('routing.wallboard.slot'), t('routing.wallboard.offered'), t('routing.wallboard.answered'), t('routing.wallboard.abandoned')]}
      rows={board.series.map((s, i) => [labels[i] ?? '', s.arrived, s.answered, s.abandoned])}
      values={board.series.map((s) => s.arrived)}
      labels={labels}
      summary={`${title}: ${t('routing.wallboard.chartNote')}`}
    />
  );
}

/**
 * The queue wallboard (issue 12): the live figures of the contact queues, in total and per office,
 * with the contacts of the day per half hour; read again when the server's stream says they changed
 * (a contact queued, offered, taken or ended, an operator's presence) and every 30 seconds.
 */
export function WallboardPage() {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const allowed = canWatchWallboard(session?.memberships ?? []);
  const [officeId, setOfficeId] = useState('');
  const board = useApiGet(allowed ? '/routing/wallboard' : null, { query: officeId ? { officeId } : {} });
  const filterId = useId();
  const { reload } = board;
  // The office list of the filter comes from the unfiltered board, kept when a filter is chosen.
  const [offices, setOffices] = useState<{ id: string; name: string }[]>([]);

  useEffect(() => {
    if (!allowed) return;
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [allowed, reload]);

  useEffect(() => {
    if (!allowed || typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v1/routing/wallboard/stream${officeId ? `?officeId=${encodeURIComponent(officeId)}` : ''}`);
    source.addEventListener('changed', () => void reload());
    return () => source.close();
  }, [allowed, officeId, reload]);

  useEffect(() => {
    if (!officeId && board.data) setOffices(board.data.offices.map((o) => ({ id: o.officeId, name: o.officeName })));
  }, [officeId, board.data]);

  if (!allowed) {
    return <ForbiddenPage title={t('routing.wallboard.title')} message={t('routing.wallboard.forbidden')} />;
  }

  const data = board.data;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('routing.wallboard.title')}</h1>
      {data && <p>{t('routing.wallboard.intro', { since: timeOf(data.since, locale) })}</p>}
      <div className="row align-items-end mb-3">
        <div className="col-12 col-md-4">
          <label htmlFor={filterId} className="form-label">
            {t('routing.wallboard.filter')}
          </label>
          <select id={filterId} className="form-select" value={officeId} onChange={(e) => setOfficeId(e.target.value)}>
            <option value="">{t('routing.wallboard.allOffices')}</option>
            {offices.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        {data && (
          <p className="col-12 col-md-8 small text-muted mb-0" data-testid="wallboard-updated">
            {t('routing.wallboard.updated', { time: new Intl.DateTimeFormat(locale === 'it' ? 'it-IT' : 'en-GB', { timeZone: TIME_ZONE, timeStyle: 'medium' }).format(new Date(data.at)) })}
          </p>
        )}
      </div>
      <ErrorAlert error={board.error} />
      {!data && !board.error && <Spinner />}
      {data && (
        <>
          <h2 className="h4">{t('routing.wallboard.totals')}</h2>
          <Tiles figures={data.total} />
          <h2 className="h4">{t('routing.wallboard.offices')}</h2>
          <OfficeTable board={data} />
          <SeriesChart board={data} />
        </>
      )}
    </section>
  );
}
