import { type FormEvent, useState } from 'react';
import { type ApiResponseBody, apiGet } from '../api/client.js';
import { ErrorAlert, Field, Spinner } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { useSubmission } from '../lib/hooks.js';
import { formatDay, formatNumber } from './analytics-work.js';
import { BandChart, type BandDay } from './AnalyticsWorkCharts.js';
import { EMPTY_SLICE, SliceFields, type SliceForm, useSliceChoices } from './AnalyticsWorkShared.js';

type Forecast = ApiResponseBody<'/analytics/forecast'>;

const HORIZONS = [7, 14, 28, 56, 90] as const;

/**
 * Contacts forecast for the days ahead (issue 14): an office, a whole body or, for analysts and the
 * coordination, the network; optionally one topic, territory or channel. The observed days before the forecast and the
 * forecast with its 80% band in one chart, its data as a table and as CSV.
 */
export function ContactForecast({ offices, organisations, network }: { offices: readonly { id: string; name: string }[]; organisations: readonly { id: string; name: string }[]; network: boolean }) {
  const { t, locale } = useI18n();
  const sliceChoices = useSliceChoices([]);
  const choices = [
    ...offices.map((o) => ({ value: `office:${o.id}`, label: o.name })),
    ...organisations.map((o) => ({ value: `organisation:${o.id}`, label: t('analyticsWork.forecast.wholeBody', { name: o.name }) })),
    ...(network ? [{ value: 'network', label: t('analyticsWork.forecast.network') }] : []),
  ];
  const [scope, setScope] = useState('');
  const [slice, setSlice] = useState<SliceForm>(EMPTY_SLICE);
  const [horizon, setHorizon] = useState<number>(28);
  const [forecast, setForecast] = useState<Forecast | null>(null);
  const submission = useSubmission();
  const chosen = scope || choices[0]?.value || '';

  const run = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const [kind, id] = chosen.split(':');
      const query = {
        horizon,
        days: 56,
        ...(kind === 'office' && { officeId: id }),
        ...(kind === 'organisation' && { organisationId: id }),
        ...(slice.topic && { topic: slice.topic }),
        ...(slice.territory && { territory: slice.territory }),
        ...(slice.channel && { channel: slice.channel }),
      };
      const { data } = await apiGet('/analytics/forecast', { query });
      setForecast(data);
    });
  };

  return (
    <section aria-labelledby="forecast-title" className="mb-4" data-testid="contact-forecast">
      <h2 id="forecast-title" className="h4">
        {t('analyticsWork.forecast.title')}
      </h2>
      <p>{t('analyticsWork.forecast.intro')}</p>
      <form onSubmit={run} aria-labelledby="forecast-title" className="row align-items-end">
        <div className="col-12 col-md-6">
          <Field id="fc-scope" label={t('analyticsWork.forecast.scope')}>
            <select id="fc-scope" className="form-select" value={chosen} onChange={(e) => setScope(e.target.value)} required>
              {choices.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <SliceFields prefix="fc" value={slice} onChange={setSlice} choices={sliceChoices} anyLabel={t('analyticsWork.any')} />
        <div className="col-6 col-md-3">
          <Field id="fc-horizon" label={t('analyticsWork.forecast.horizon')}>
            <select id="fc-horizon" className="form-select" value={horizon} onChange={(e) => setHorizon(Number(e.target.value))}>
              {HORIZONS.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="col-6 col-md-3 mb-3">
          <button type="submit" className="btn btn-primary" disabled={submission.busy || !chosen}>
            {t('analyticsWork.forecast.compute')}
          </button>
        </div>
      </form>
      <ErrorAlert error={submission.error} />
      <div aria-live="polite" aria-busy={submission.busy}>
        {submission.busy && !forecast ? <Spinner /> : forecast ? <ForecastChart forecast={forecast} locale={locale} /> : null}
      </div>
    </section>
  );
}

function ForecastChart({ forecast, locale }: { forecast: Forecast; locale: string }) {
  const { t } = useI18n();
  if (forecast.forecast.length === 0) return <p data-testid="forecast-empty">{t('analyticsWork.forecast.empty')}</p>;
  const withheld = t('analyticsWork.forecast.withheld');
  const days: BandDay[] = [
    ...forecast.history.map((h) => ({ date: h.date, observed: h.count, expected: null, lo80: null, hi80: null, ...(h.count === null && { observedText: withheld }) })),
    ...forecast.forecast.map((f) => ({ date: f.date, observed: null, observedText: '—', expected: f.mean, lo80: f.lo80, hi80: f.hi80 })),
  ];
  const first = forecast.forecast[0]!;
  const last = forecast.forecast.at(-1)!;
  return (
    <div data-testid="forecast-result">
      <p data-testid="forecast-total">
        {t('analyticsWork.forecast.total', { mean: formatNumber(forecast.total.mean, locale, 0), from: formatDay(first.date), to: formatDay(last.date), historyTo: formatDay(forecast.historyTo) })}
        {forecast.withheld && <> {t('analyticsWork.forecast.withheldNote')}</>}
      </p>
      <BandChart id="forecast-chart" title={t('analyticsWork.forecast.chart')} days={days} mark={first.date} markLabel={t('analyticsWork.forecast.mark')} expectedLabel={t('analyticsWork.forecast.expected')} />
    </div>
  );
}
