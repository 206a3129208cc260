import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { type ApiQuery, type ApiResponseBody, apiGet } from '../api/client.js';
import { BarChart, type ChartDatum, SparklineChart, TileMap, TimeChart } from '../components/charts/Charts.js';
import { archiveUrl, type Granularity, periodMonths } from '../components/charts/chart-data.js';
import { ErrorAlert, Field, ForbiddenPage, Spinner } from '../components/ui.js';
import { type Translate, useI18n } from '../i18n/index.js';
import { useApiGet, useTaxonomy } from '../lib/hooks.js';
import { navigate } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import { codeLabel, findFacet, flattenNodes } from '../lib/taxonomy.js';
import { ArchiveSliceFields } from '../components/ArchiveSliceFields.js';
import { formatDay } from './analytics-work.js';
import { canReadArchive, canReadDashboard, dashboardBodies } from './paths.js';

/** The longest period of the hourly series (the server's limit). */
export const MAX_HOUR_DAYS = 31;

type DashboardView = ApiResponseBody<'/analytics/dashboard'>;
type DashboardQuery = ApiQuery<'/analytics/dashboard'>;
type Item = DashboardView['breakdowns']['topic']['items'][number];

interface FilterForm {
  from: string;
  to: string;
  organisationId: string;
  officeId: string;
  topic: string;
  requestType: string;
  channel: string;
  region: string;
  territory: string;
  source: string;
  slaHours: string;
}

const EMPTY: FilterForm = { from: '', to: '', organisationId: '', officeId: '', topic: '', requestType: '', channel: '', region: '', territory: '', source: '', slaHours: '48' };
const GRANULARITIES: readonly Granularity[] = ['month', 'week', 'day', 'hour'];

/** Days from `from` to `to`, both included (0 when either is missing). */
function spanDays(from: string, to: string): number {
  if (!from || !to) return 0;
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
}

/** The form as the API's query: empty fields left out; the territory is the province/comune, else the region. */
function toQuery(f: FilterForm, granularity: Granularity): DashboardQuery {
  const territory = f.territory || f.region;
  const sla = Number(f.slaHours);
  return {
    granularity,
    ...(f.from && { from: f.from }),
    ...(f.to && { to: f.to }),
    ...(f.organisationId && { organisationId: f.organisationId }),
    ...(f.officeId && { officeId: f.officeId }),
    ...(f.topic && { topic: f.topic }),
    ...(f.requestType && { requestType: f.requestType }),
    ...(f.channel && { channel: f.channel }),
    ...(territory && { territory }),
    ...((f.source === 'ticket' || f.source === 'historical') && { source: f.source }),
    ...(Number.isInteger(sla) && sla > 0 && sla !== 48 && { slaHours: sla }),
  };
}

/** The archive browser's filter for the current slice (months: the browser filters by month), narrowed by `extra`. */
function drillHref(query: DashboardQuery, extra: Record<string, string | undefined>): string {
  return archiveUrl({
    organisationId: query.organisationId,
    officeId: query.officeId,
    topic: query.topic,
    channel: query.channel,
    territory: query.territory,
    source: query.source,
    from: query.from?.slice(0, 7),
    to: query.to?.slice(0, 7),
    ...extra,
  });
}

function percent(rate: number | null, locale: string): string | null {
  return rate === null ? null : `${(rate * 100).toLocaleString(locale === 'en' ? 'en-GB' : 'it-IT', { maximumFractionDigits: 1 })}%`;
}

/** Names of places by ISTAT code (the provinces of the map), fetched once each; the code until it arrives. */
function usePlaceNames(codes: readonly string[]): (code: string) => string {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = codes.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the codes, by value
  useEffect(() => {
    let alive = true;
    for (const code of codes) {
      if (names[code]) continue;
      apiGet('/territory/places/{code}', { path: { code } }).then(
        ({ data }) => alive && setNames((n) => ({ ...n, [code]: data.name })),
        () => {},
      );
    }
    return () => {
      alive = false;
    };
  }, [key]);
  return (code) => names[code] ?? code;
}

function Kpi({ id, label, value, hint, t }: { id: string; label: string; value: string | null; hint?: string | null; t: Translate }) {
  return (
    <div className="col-6 col-lg" data-testid={`kpi-${id}`}>
      <div className="card card-bg p-3 h-100">
        <p className="small mb-1">{label}</p>
        <p className="h3 mb-1">{value ?? <span className="text-muted fst-italic">{t('analytics.kpi.noData')}</span>}</p>
        {hint && <p className="small text-muted mb-0">{hint}</p>}
      </div>
    </div>
  );
}

export function AnalyticsPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const memberships = session?.memberships ?? [];
  if (!canReadDashboard(memberships)) {
    return <ForbiddenPage title={t('analytics.title')} message={t('analytics.forbidden')} />;
  }
  // Analysts and the coordination read the network and drill down to the archive's records; a
  // body's supervisors and administrators read their own body's dashboard, without the records.
  return canReadArchive(memberships) ? <AnalyticsDashboard bodies={null} /> : <AnalyticsDashboard bodies={dashboardBodies(memberships)} />;
}

function AnalyticsDashboard({ bodies }: { bodies: string[] | null }) {
  const { t, locale } = useI18n();
  const taxonomy = useTaxonomy();
  const orgs = useApiGet('/organisations');
  const allOffices = useApiGet('/offices');
  const territoryInfo = useApiGet('/territory');
  const initial: FilterForm = bodies ? { ...EMPTY, organisationId: bodies[0] ?? '' } : EMPTY;
  const [draft, setDraft] = useState<FilterForm>(initial);
  const [filter, setFilter] = useState<FilterForm>(initial);
  const drills = bodies === null;
  const [granularity, setGranularity] = useState<Granularity>('month');
  const [state, setState] = useState<{ data: DashboardView | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: true });
  const hourAllowed = spanDays(filter.from, filter.to) > 0 && spanDays(filter.from, filter.to) <= MAX_HOUR_DAYS;
  const query = useMemo(() => toQuery(filter, granularity === 'hour' && !hourAllowed ? 'day' : granularity), [filter, granularity, hourAllowed]);
  const key = JSON.stringify(query);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the query, by value
  useEffect(() => {
    let alive = true;
    setState((s) => ({ ...s, loading: true }));
    apiGet('/analytics/dashboard', { query }).then(
      ({ data }) => alive && setState({ data, error: null, loading: false }),
      (error: unknown) => alive && setState({ data: null, error, loading: false }),
    );
    return () => {
      alive = false;
    };
  }, [key]);

  const requestTypes = flattenNodes(findFacet(taxonomy, 'tipo')?.nodes ?? [], locale);
  const regions = territoryInfo.data?.regions ?? [];
  const set = (k: keyof FilterForm) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [k]: e.target.value, ...(k === 'organisationId' ? { officeId: '' } : {}), ...(k === 'region' ? { territory: '' } : {}) }));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(draft);
  };

  const data = state.data;
  const threshold = data?.threshold ?? 3;
  const orgName = (id: string | null) => orgs.data?.items.find((o) => o.id === id)?.name ?? id ?? '';
  const officeName = (id: string | null) => allOffices.data?.items.find((o) => o.id === id)?.name ?? id ?? '';
  const regionName = (code: string | null) => regions.find((r) => r.code === code)?.name ?? code ?? '';
  const label = (item: Item, name: (k: string) => string) => (item.key === '*' ? t('analytics.chart.other') : item.key === null ? t('analytics.chart.unknown') : name(item.key));
  const datum = (item: Item, name: (k: string) => string, drill?: (k: string) => Record<string, string>): ChartDatum => ({
    key: String(item.key),
    label: label(item, name),
    count: item.count,
    status: item.status,
    ...(drills && drill && item.key !== null && item.key !== '*' && { href: drillHref(query, drill(item.key)) }),
  });
  const topicName = (k: string) => codeLabel(taxonomy, 'tema', k, locale) || k;

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('analytics.title')}</h1>
      <p>{t('analytics.intro', { threshold })}</p>
      <section aria-labelledby="analytics-filters-title" className="mb-4">
        <h2 id="analytics-filters-title" className="h4">
          {t('analytics.filters.title')}
        </h2>
        <form onSubmit={apply} className="row" aria-labelledby="analytics-filters-title">
          <div className="col-6 col-md-3">
            <Field id="an-from" label={t('analytics.filters.from')}>
              <input id="an-from" type="date" className="form-control" value={draft.from} onChange={set('from')} />
            </Field>
          </div>
          <div className="col-6 col-md-3">
            <Field id="an-to" label={t('analytics.filters.to')}>
              <input id="an-to" type="date" className="form-control" value={draft.to} onChange={set('to')} />
            </Field>
          </div>
          <ArchiveSliceFields idPrefix="an" messages="analytics" values={draft} onChange={(key, value) => set(key)({ target: { value } })} {...(bodies && { organisations: bodies })} />
          <div className="col-12 col-md-3">
            <Field id="an-type" label={t('analytics.filters.requestType')}>
              <select id="an-type" className="form-select" value={draft.requestType} onChange={set('requestType')}>
                <option value="">{t('analytics.filters.any')}</option>
                {requestTypes.map((n) => (
                  <option key={n.code} value={n.code}>
                    {n.label}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="col-12 col-md-3">
            <Field id="an-region" label={t('analytics.filters.region')}>
              <select id="an-region" className="form-select" value={draft.region} onChange={set('region')}>
                <option value="">{t('analytics.filters.any')}</option>
                {regions.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="col-12 col-md-6">
            <Field id="an-territory" label={t('analytics.filters.territory')} hint={t('analytics.filters.territoryHint')}>
              <input id="an-territory" aria-describedby="an-territory-hint" className="form-control" inputMode="numeric" pattern="\d{2,6}" value={draft.territory} onChange={set('territory')} />
            </Field>
          </div>
          <div className="col-12 col-md-3">
            <Field id="an-sla" label={t('analytics.filters.sla')}>
              <input id="an-sla" type="number" min={1} max={2160} className="form-control" value={draft.slaHours} onChange={set('slaHours')} />
            </Field>
          </div>
          <div className="col-12 d-flex gap-2">
            <button type="submit" className="btn btn-primary">
              {t('analytics.filters.apply')}
            </button>
            <button
              type="button"
              className="btn btn-outline-secondary"
              onClick={() => {
                setDraft(initial);
                setFilter(initial);
              }}
            >
              {t('analytics.filters.reset')}
            </button>
          </div>
        </form>
      </section>

      <fieldset className="mb-3">
        <legend className="h6">{t('analytics.granularity')}</legend>
        <div className="btn-group" role="group" aria-describedby="an-hour-hint">
          {GRANULARITIES.map((g) => (
            <button key={g} type="button" className={`btn btn-sm ${query.granularity === g ? 'btn-primary' : 'btn-outline-primary'}`} aria-pressed={query.granularity === g} disabled={g === 'hour' && !hourAllowed} onClick={() => setGranularity(g)}>
              {t(`analytics.granularity.${g}`)}
            </button>
          ))}
        </div>
        <p id="an-hour-hint" className="form-text">
          {t('analytics.granularity.hourHint', { days: MAX_HOUR_DAYS })}
        </p>
      </fieldset>

      <ErrorAlert error={state.error} />
      <div aria-live="polite" aria-busy={state.loading}>
        {state.loading && !data ? (
          <Spinner />
        ) : data?.empty ? (
          <p className="alert alert-info" data-testid="analytics-no-data">
            {t('analytics.noData')}
          </p>
        ) : data ? (
          <DashboardBody
            data={data}
            t={t}
            locale={locale}
            threshold={threshold}
            query={query}
            drills={drills}
            datum={datum}
            names={{ topic: topicName, org: orgName, office: officeName, officeOrganisation: (k) => allOffices.data?.items.find((o) => o.id === k)?.organisationId ?? '', region: regionName, type: (k) => codeLabel(taxonomy, 'tipo', k, locale) || k, channel: (k) => codeLabel(taxonomy, 'canale', k, locale) || k }}
          />
        ) : null}
      </div>
    </section>
  );
}

function DashboardBody({
  data,
  t,
  locale,
  threshold,
  query,
  drills,
  datum,
  names,
}: {
  data: DashboardView;
  t: Translate;
  locale: string;
  threshold: number;
  query: DashboardQuery;
  /** Charts link to the archive's records (for those who read the archive). */
  drills: boolean;
  datum: (item: Item, name: (k: string) => string, drill?: (k: string) => Record<string, string>) => ChartDatum;
  names: Record<'topic' | 'org' | 'office' | 'officeOrganisation' | 'region' | 'type' | 'channel', (k: string) => string>;
}) {
  const { kpis } = data;
  const granularity = data.granularity as Granularity;
  const go = (href: string) => navigate(href);
  const number = (v: number | null) => (v === null ? null : v.toLocaleString(locale === 'en' ? 'en-GB' : 'it-IT'));
  const series: ChartDatum[] = data.series.periods.map((p, i) => {
    const months = periodMonths(p, granularity);
    return { key: p, label: p, count: data.series.counts[i] ?? null, status: data.series.status[i] ?? 'secondary', ...(drills && months && { href: drillHref(query, months) }) };
  });
  const region = query.territory?.length === 2 ? query.territory : null;
  const mapItems = region ? data.breakdowns.province.items : data.breakdowns.region.items;
  const provinceName = usePlaceNames(region ? mapItems.flatMap((i) => (i.key && i.key !== '*' ? [i.key] : [])) : []);
  return (
    <>
      <section aria-labelledby="analytics-kpi-title" className="mb-4">
        <h2 id="analytics-kpi-title" className="h4">
          {t('analytics.kpi.title')}
        </h2>
        <div className="row g-3">
          <Kpi id="total" t={t} label={t('analytics.kpi.total')} value={number(data.total) ?? t('analytics.kpi.withheld')} />
          <Kpi id="fcr" t={t} label={t('analytics.kpi.fcr')} value={percent(kpis.firstContactResolution.rate, locale)} hint={t('analytics.kpi.fcrHint')} />
          <Kpi id="handoffs" t={t} label={t('analytics.kpi.handoffs')} value={percent(kpis.handoffs.rate, locale)} hint={kpis.handoffs.handoffs === null ? null : t('analytics.kpi.handoffsHint', { handoffs: kpis.handoffs.handoffs })} />
          <Kpi id="sla" t={t} label={t('analytics.kpi.sla', { hours: Math.round(data.slaMinutes / 60) })} value={percent(kpis.sla.rate, locale)} hint={kpis.sla.of === null ? null : t('analytics.kpi.slaHint', { of: kpis.sla.of })} />
          <Kpi
            id="satisfaction"
            t={t}
            label={t('analytics.kpi.satisfaction')}
            value={kpis.satisfaction.mean === null ? null : `${kpis.satisfaction.mean.toLocaleString(locale === 'en' ? 'en-GB' : 'it-IT')} / 5`}
            hint={kpis.satisfaction.rated === null ? null : t('analytics.kpi.satisfactionHint', { rated: kpis.satisfaction.rated })}
          />
          <Kpi
            id="deflected"
            t={t}
            label={t('analytics.kpi.deflected')}
            value={data.deflection ? number(data.deflection.deflected) : null}
            hint={
              data.deflection
                ? data.deflection.rate === null
                  ? null
                  : t('analytics.kpi.deflectedHint', { rate: percent(data.deflection.rate, locale) ?? '', sessions: data.deflection.sessions, from: formatDay(data.deflection.from), to: formatDay(data.deflection.to) })
                : t('analytics.kpi.deflectedNone')
            }
          />
        </div>
      </section>
      <p className="small text-muted">{t('analytics.chart.drillHint')}</p>
      <TimeChart
        id="series"
        title={t('analytics.chart.series')}
        data={series}
        threshold={threshold}
        onNavigate={go}
        note={data.series.withoutHour ? t('analytics.chart.withoutHour', { count: data.series.withoutHour }) : null}
      />
      <div className="row">
        <div className="col-12 col-xl-6">
          <TileMap
            id={region ? 'provinces' : 'regions'}
            title={region ? t('analytics.chart.provinces', { region: names.region(region) }) : t('analytics.chart.regions')}
            layout={region ? 'flow' : 'regions'}
            data={mapItems.map((i) => datum(i, region ? provinceName : names.region, (k) => ({ territory: k })))}
            threshold={threshold}
            onNavigate={(href) => navigate(href)}
          />
        </div>
        <div className="col-12 col-xl-6">
          <SparklineChart
            id="sparklines"
            title={t('analytics.chart.sparklines')}
            months={data.sparklines.months}
            topics={data.sparklines.topics.map((s) => ({ key: String(s.key), label: s.key === null ? t('analytics.chart.unknown') : names.topic(s.key), total: s.total, counts: s.counts, ...(drills && s.key && { href: drillHref(query, { topic: s.key }) }) }))}
            threshold={threshold}
            onNavigate={go}
          />
        </div>
      </div>
      <div className="row">
        <div className="col-12 col-xl-6">
          <BarChart id="topic-root" title={t('analytics.chart.topicRoot')} data={data.breakdowns.topicRoot.items.map((i) => datum(i, names.topic, (k) => ({ topic: k })))} threshold={threshold} onNavigate={go} />
        </div>
        <div className="col-12 col-xl-6">
          <BarChart id="topic" title={t('analytics.chart.topic')} data={data.breakdowns.topic.items.map((i) => datum(i, names.topic, (k) => ({ topic: k })))} threshold={threshold} onNavigate={go} />
        </div>
        <div className="col-12 col-xl-6">
          <BarChart id="request-type" title={t('analytics.chart.requestType')} data={data.breakdowns.requestType.items.map((i) => datum(i, names.type))} threshold={threshold} onNavigate={go} />
        </div>
        <div className="col-12 col-xl-6">
          <BarChart id="channel" title={t('analytics.chart.channel')} data={data.breakdowns.channel.items.map((i) => datum(i, names.channel, (k) => ({ channel: k })))} threshold={threshold} onNavigate={go} />
        </div>
        <div className="col-12 col-xl-6">
          <BarChart id="organisation" title={t('analytics.chart.organisation')} data={data.breakdowns.organisation.items.map((i) => datum(i, names.org, (k) => ({ organisationId: k })))} threshold={threshold} onNavigate={go} />
        </div>
        <div className="col-12 col-xl-6">
          <BarChart id="office" title={t('analytics.chart.office')} data={data.breakdowns.office.items.map((i) => datum(i, names.office, (k) => ({ officeId: k, organisationId: names.officeOrganisation(k) })))} threshold={threshold} onNavigate={go} />
        </div>
      </div>
    </>
  );
}
