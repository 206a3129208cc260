import { type FormEvent, useState } from 'react';
import { type ApiResponseBody, apiGet, client, unwrap } from '../api/client.js';
import { DataTable, ErrorAlert, Field, fieldA11y, Spinner } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { useApiGet, useSubmission } from '../lib/hooks.js';
import { hasRole, useSession } from '../lib/session.js';
import { type Assumptions, alignIntervals, assumptionParams, parseVolumes, busyIntervals, DEFAULT_ASSUMPTIONS, formatDay, formatNumber, formatPercent, halfHourLabel, type StaffingPlan } from './analytics-work.js';
import { ColumnChart } from './AnalyticsWorkCharts.js';
import { ContactForecast } from './ContactForecast.js';

export { STAFFING_PATH } from './analytics-work.js';

type Forecast = ApiResponseBody<'/analytics/staffing/forecast'>;
type Pooling = ApiResponseBody<'/analytics/staffing/pooling', 'post'>;

/** Tomorrow in the browser's calendar, as `YYYY-MM-DD`: the day one usually plans. */
function tomorrow(): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * Staffing (issue 14): an office and a day give the contacts forecast from the archive, spread over
 * the half hours, and the agents needed for the chosen service level (Erlang C or A); a what-if
 * compares several offices answering separately with the same offices pooling their traffic.
 */
export function StaffingPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const offices = useApiGet('/offices');
  const [officeId, setOfficeId] = useState('');
  const [date, setDate] = useState(tomorrow);
  const [assumptions, setAssumptions] = useState<Assumptions>(DEFAULT_ASSUMPTIONS);
  const [forecast, setForecast] = useState<Forecast | null>(null);
  const submission = useSubmission();
  // The offices whose plans the user may see: the network's for analysts and the coordination, else their organisations'.
  const memberships = session?.memberships ?? [];
  const organisations = new Set(memberships.map((m) => m.organisationId));
  const wide = hasRole(memberships, ['analyst', 'network_coordinator']);
  const list = (offices.data?.items ?? []).filter((o) => wide || organisations.has(o.organisationId));
  const chosen = officeId || list[0]?.id || '';
  const bodies = useApiGet('/organisations');
  const bodyList = (bodies.data?.items ?? []).filter((o) => wide || organisations.has(o.id));
  const setA = (k: keyof Assumptions) => (e: { target: { value: string } }) => setAssumptions((a) => ({ ...a, [k]: e.target.value }));

  const compute = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const { data } = await apiGet('/analytics/staffing/forecast', { query: { officeId: chosen, date, ...assumptionParams(assumptions) } });
      setForecast(data);
    });
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('analyticsWork.staffing.title')}</h1>
      <p>{t('analyticsWork.staffing.intro')}</p>
      <ErrorAlert error={offices.error} />
      <form onSubmit={compute} aria-labelledby="page-title" className="mb-4">
        <div className="row">
          <div className="col-12 col-md-6">
            <Field id="st-office" label={t('analyticsWork.staffing.office')}>
              <select id="st-office" className="form-select" value={chosen} onChange={(e) => setOfficeId(e.target.value)} required>
                {list.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="col-12 col-md-3">
            <Field id="st-date" label={t('analyticsWork.staffing.date')}>
              <input id="st-date" type="date" className="form-control" value={date} onChange={(e) => setDate(e.target.value)} required />
            </Field>
          </div>
        </div>
        <fieldset className="row">
          <legend className="h6">{t('analyticsWork.staffing.assumptions')}</legend>
          <div className="col-6 col-md">
            <Field id="st-handle" label={t('analyticsWork.staffing.handleSeconds')}>
              <input id="st-handle" type="number" min={1} className="form-control" value={assumptions.handleSeconds} onChange={setA('handleSeconds')} required />
            </Field>
          </div>
          <div className="col-6 col-md">
            <Field id="st-target" label={t('analyticsWork.staffing.targetSeconds')}>
              <input id="st-target" type="number" min={1} className="form-control" value={assumptions.targetSeconds} onChange={setA('targetSeconds')} required />
            </Field>
          </div>
          <div className="col-6 col-md">
            <Field id="st-sl" label={t('analyticsWork.staffing.serviceLevel')}>
              <input id="st-sl" type="number" min={1} max={99} className="form-control" value={assumptions.serviceLevel} onChange={setA('serviceLevel')} required />
            </Field>
          </div>
          <div className="col-6 col-md">
            <Field id="st-shrinkage" label={t('analyticsWork.staffing.shrinkage')}>
              <input id="st-shrinkage" type="number" min={0} max={90} className="form-control" value={assumptions.shrinkage} onChange={setA('shrinkage')} required />
            </Field>
          </div>
          <div className="col-6 col-md">
            <Field id="st-patience" label={t('analyticsWork.staffing.patienceSeconds')}>
              <input id="st-patience" type="number" min={1} className="form-control" value={assumptions.patienceSeconds} onChange={setA('patienceSeconds')} />
            </Field>
          </div>
        </fieldset>
        <button type="submit" className="btn btn-primary" disabled={submission.busy || !chosen}>
          {t('analyticsWork.staffing.compute')}
        </button>
      </form>
      <ErrorAlert error={submission.error} />
      <div aria-live="polite" aria-busy={submission.busy}>
        {submission.busy && !forecast ? <Spinner /> : forecast ? <ForecastView forecast={forecast} /> : null}
      </div>
      <ContactForecast offices={list} organisations={bodyList} network={wide} />
      <ManualPlan assumptions={assumptions} />
      {list.length > 1 && <PoolingWhatIf offices={list} date={date} assumptions={assumptions} />}
    </section>
  );
}

function ForecastView({ forecast }: { forecast: Forecast }) {
  const { t, locale } = useI18n();
  return (
    <section aria-labelledby="plan-title" data-testid="staffing-plan">
      <h2 id="plan-title" className="h4">
        {t('analyticsWork.staffing.plan')} · {formatDay(forecast.date)}
      </h2>
      <p>
        {t('analyticsWork.staffing.forecast', { mean: formatNumber(forecast.forecast.mean, locale), lo: formatNumber(forecast.forecast.lo80, locale), hi: formatNumber(forecast.forecast.hi80, locale) })}{' '}
        {forecast.historyTo ? t('analyticsWork.staffing.historyTo', { day: formatDay(forecast.historyTo) }) : t('analyticsWork.staffing.noHistory')}
      </p>
      <p>{t(`analyticsWork.staffing.profile.${forecast.profile}`)}</p>
      <PlanView id="staffing" plan={forecast.plan} />
    </section>
  );
}

/** A plan's totals, its rostered agents per half hour as columns, and every half hour in the chart's table. */
function PlanView({ id, plan }: { id: string; plan: StaffingPlan }) {
  const { t, locale } = useI18n();
  const intervals = busyIntervals(plan.intervals);
  const labels = intervals.map((i) => halfHourLabel(i.start));
  const peak = intervals.reduce((best, i, n) => (i.rostered > (intervals[best]?.rostered ?? -1) ? n : best), 0);
  const title = t('analyticsWork.staffing.chart');
  return (
    <>
      <p data-testid={`${id}-totals`}>
        {t('analyticsWork.staffing.totals', {
          agentHours: formatNumber(plan.agentHours, locale),
          rosteredHours: formatNumber(plan.rosteredHours, locale),
          peakAgents: plan.peakAgents,
          peakRostered: plan.peakRostered,
          serviceLevel: formatPercent(plan.serviceLevel, locale),
        })}
      </p>
      {intervals.length === 0 ? (
        <p className="alert alert-info">{t('analyticsWork.staffing.noIntervals')}</p>
      ) : (
        <ColumnChart
          id={`${id}-chart`}
          title={title}
          values={intervals.map((i) => i.rostered)}
          labels={labels}
          summary={t('analytics.chart.summary', { title, count: intervals.length, max: plan.peakRostered, label: labels[peak] ?? '' })}
          columns={[t('analyticsWork.staffing.start'), t('analyticsWork.staffing.volume'), t('analyticsWork.staffing.agents'), t('analyticsWork.staffing.rostered'), t('analyticsWork.staffing.sl'), t('analyticsWork.staffing.wait'), t('analyticsWork.staffing.abandonment'), t('analyticsWork.staffing.occupancy')]}
          rows={intervals.map((i, n) => [labels[n] ?? i.start, Math.round(i.volume * 10) / 10, i.agents, i.rostered, formatPercent(i.serviceLevel, locale), Math.round(i.averageWaitSeconds), formatPercent(i.abandonment, locale), formatPercent(i.occupancy, locale)])}
        />
      )}
    </>
  );
}

/** A plan from contacts typed by hand, with the same assumptions. */
function ManualPlan({ assumptions }: { assumptions: Assumptions }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [plan, setPlan] = useState<StaffingPlan | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const submission = useSubmission();
  const compute = (event: FormEvent) => {
    event.preventDefault();
    const { intervals, bad } = parseVolumes(text);
    setProblem(bad.length > 0 ? t('analyticsWork.manual.bad', { lines: bad.join(', ') }) : intervals.length === 0 ? t('analyticsWork.manual.empty') : null);
    if (bad.length > 0 || intervals.length === 0) return;
    void submission.run(async () => {
      const { data } = await unwrap(client.POST('/analytics/staffing', { body: { ...assumptionParams(assumptions), intervals } }));
      setPlan(data);
    });
  };
  return (
    <section aria-labelledby="manual-title" className="mt-5" data-testid="staffing-manual">
      <h2 id="manual-title" className="h4">
        {t('analyticsWork.manual.title')}
      </h2>
      <p>{t('analyticsWork.manual.intro')}</p>
      <form onSubmit={compute} aria-labelledby="manual-title" noValidate>
        <Field id="manual-volumes" label={t('analyticsWork.manual.volumes')} hint={t('analyticsWork.manual.volumesHint')} error={problem ?? undefined}>
          <textarea {...fieldA11y('manual-volumes', problem ?? undefined, true)} className={`form-control ${problem ? 'is-invalid' : ''}`} rows={5} value={text} onChange={(e) => setText(e.target.value)} />
        </Field>
        <button type="submit" className="btn btn-outline-primary" disabled={submission.busy}>
          {t('analyticsWork.manual.compute')}
        </button>
      </form>
      <div className="mt-3">
        <ErrorAlert error={submission.error} />
      </div>
      <div aria-live="polite" aria-busy={submission.busy}>
        {plan && <PlanView id="manual" plan={plan} />}
      </div>
    </section>
  );
}

/** Two or more offices, the same day: their forecasts, then the agents needed separately and together. */
function PoolingWhatIf({ offices, date, assumptions }: { offices: readonly { id: string; name: string }[]; date: string; assumptions: Assumptions }) {
  const { t, locale } = useI18n();
  const [chosen, setChosen] = useState<string[]>([]);
  const [result, setResult] = useState<Pooling | null>(null);
  const submission = useSubmission();
  const toggle = (id: string, on: boolean) => setChosen((c) => (on ? [...c, id] : c.filter((x) => x !== id)));

  const compare = (event: FormEvent) => {
    event.preventDefault();
    if (chosen.length < 2) {
      submission.setError(new Error(t('analyticsWork.pooling.needTwo')));
      return;
    }
    void submission.run(async () => {
      const params = assumptionParams(assumptions);
      const forecasts = await Promise.all(chosen.map((officeId) => apiGet('/analytics/staffing/forecast', { query: { officeId, date, ...params } }).then((r) => r.data)));
      const members = alignIntervals(
        forecasts.map((f) => ({
          label: offices.find((o) => o.id === f.officeId)?.name ?? f.officeId,
          handleSeconds: params.handleSeconds,
          intervals: f.plan.intervals.map((i) => ({ start: i.start, volume: i.volume })),
        })),
      );
      if (members.every((m) => m.intervals.length === 0)) throw new Error(t('analyticsWork.pooling.closed'));
      const { patienceSeconds, handleSeconds: _handle, ...rest } = params;
      const { data } = await unwrap(client.POST('/analytics/staffing/pooling', { body: { members, ...rest, ...(patienceSeconds && { patienceSeconds }) } }));
      setResult(data);
    });
  };
  const errorText = submission.error instanceof Error && [t('analyticsWork.pooling.needTwo'), t('analyticsWork.pooling.closed')].includes(submission.error.message) ? submission.error.message : null;

  return (
    <section aria-labelledby="pooling-title" className="mt-5" data-testid="staffing-pooling">
      <h2 id="pooling-title" className="h4">
        {t('analyticsWork.pooling.title')}
      </h2>
      <p>{t('analyticsWork.pooling.intro')}</p>
      <form onSubmit={compare} aria-labelledby="pooling-title">
        <fieldset className="mb-3">
          <legend className="h6">{t('analyticsWork.pooling.offices')}</legend>
          {offices.map((o) => (
            <div key={o.id} className="form-check">
              <input id={`pool-${o.id}`} type="checkbox" className="form-check-input" checked={chosen.includes(o.id)} onChange={(e) => toggle(o.id, e.target.checked)} />
              <label htmlFor={`pool-${o.id}`} className="form-check-label">
                {o.name}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" className="btn btn-outline-primary" disabled={submission.busy}>
          {t('analyticsWork.pooling.compute')}
        </button>
      </form>
      {errorText ? (
        <p className="alert alert-danger mt-3" role="alert">
          {errorText}
        </p>
      ) : (
        <div className="mt-3">
          <ErrorAlert error={submission.error} />
        </div>
      )}
      <div aria-live="polite" aria-busy={submission.busy}>
        {result && (
          <div data-testid="pooling-result">
            <p className="lead">
              {t('analyticsWork.pooling.result', {
                separate: formatNumber(result.separateAgentHours, locale),
                pooled: formatNumber(result.pooledAgentHours, locale),
                saved: formatNumber(result.savedAgentHours, locale),
                share: formatPercent(result.savedShare, locale),
              })}
            </p>
            <DataTable caption={t('analyticsWork.pooling.title')} columns={[t('analyticsWork.pooling.member'), t('analyticsWork.pooling.separateHours'), t('analyticsWork.pooling.separatePeak')]}>
              {result.separate.map((s) => (
                <tr key={s.label}>
                  <th scope="row">{s.label}</th>
                  <td className="text-end">{formatNumber(s.plan.agentHours, locale)}</td>
                  <td className="text-end">{s.plan.peakAgents}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t('analyticsWork.pooling.pooled')}</th>
                <td className="text-end">{formatNumber(result.pooledAgentHours, locale)}</td>
                <td className="text-end">{result.pooled.peakAgents}</td>
              </tr>
            </DataTable>
          </div>
        )}
      </div>
    </section>
  );
}
