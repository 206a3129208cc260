import { type FormEvent, useEffect, useState } from 'react';
import { type ApiResponseBody, apiGet, client, requestHeaders, unwrap } from '../api/client.js';
import { Alert, controlClass, DataTable, ErrorAlert, Field, fieldA11y, ForbiddenPage, Notice, Spinner } from '../components/ui.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { fieldErrorMessages, focusFirstInvalid } from '../lib/form-errors.js';
import { useApiGet, useSubmission, useTaxonomy } from '../lib/hooks.js';
import { Link } from '../lib/router.js';
import { hasRole, useSession } from '../lib/session.js';
import { codeLabel } from '../lib/taxonomy.js';
import { ArchiveSliceFields } from '../components/ArchiveSliceFields.js';
import { ArchiveExports } from './ArchiveExports.js';
import { type CellStatus, cellView, compactFilter, monthRange, totalStatus } from './ArchiveCells.js';
import { type AggregateDimension, type ArchiveAggregatesView, type ArchiveFilterQuery, type ArchiveRecordsView, fetchAggregates, fetchRecords, type PeriodGranularity } from './ArchiveReleaseApi.js';
import { ARCHIVE_EXPORTS_PATH, ARCHIVE_PATH, canReadArchive } from './paths.js';

/** How often the page asks for the progress of a running archive run or export. */
export const PROGRESS_POLL_MS = 1000;
const RECORDS_PAGE = 20;

const DIMENSIONS = ['topic', 'topic_root', 'channel', 'organisation', 'office', 'territory', 'province', 'region', 'source', 'outcome'] as const satisfies readonly AggregateDimension[];
const GRANULARITIES = ['month', 'week', 'day'] as const satisfies readonly PeriodGranularity[];
type Dimension = (typeof DIMENSIONS)[number];
type Granularity = (typeof GRANULARITIES)[number];

interface FilterForm {
  fromMonth: string;
  toMonth: string;
  organisationId: string;
  officeId: string;
  topic: string;
  channel: string;
  territory: string;
  source: string;
}

const EMPTY_FILTER: FilterForm = { fromMonth: '', toMonth: '', organisationId: '', officeId: '', topic: '', channel: '', territory: '', source: '' };

/**
 * The filter given in the page's URL (`/archivio?topic=tributi&from=2026-01&to=2026-01`): the
 * drill-down of the analytics dashboards. Months as `YYYY-MM` (a day's month is taken).
 */
export function filterFromSearch(search: string): FilterForm {
  const params = new URLSearchParams(search);
  const month = (v: string | null) => (v && /^\d{4}-\d{2}/.test(v) ? v.slice(0, 7) : '');
  const get = (k: string) => params.get(k) ?? '';
  return { fromMonth: month(params.get('from')), toMonth: month(params.get('to')), organisationId: get('organisationId'), officeId: get('officeId'), topic: get('topic'), channel: get('channel'), territory: get('territory'), source: get('source') };
}

/** The filter form as the API's query: months as a day range, empty fields left out. */
function filterQuery(f: FilterForm): ArchiveFilterQuery {
  const { source, ...rest } = compactFilter({ ...monthRange(f.fromMonth, f.toMonth), organisationId: f.organisationId, officeId: f.officeId, topic: f.topic, channel: f.channel, territory: f.territory, source: f.source });
  return { ...rest, ...(source === 'ticket' || source === 'historical' ? { source } : {}) };
}

export function ArchivePage({ pathname }: { pathname: string }) {
  const { t } = useI18n();
  const { session } = useSession();
  const memberships = session?.memberships ?? [];
  const coordinator = hasRole(memberships, ['network_coordinator']);
  const exportsTab = pathname === ARCHIVE_EXPORTS_PATH;

  if (!canReadArchive(memberships)) {
    return <ForbiddenPage title={t('archive.title')} message={t('archive.forbidden')} />;
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('archive.title')}</h1>
      <p>{t('archive.intro')}</p>
      <nav aria-label={t('archive.tabs')} className="mb-4">
        <ul className="nav nav-tabs">
          <li className="nav-item">
            <Link className={`nav-link ${exportsTab ? '' : 'active'}`} href={ARCHIVE_PATH} aria-current={exportsTab ? undefined : 'page'}>
              {t('archive.tab.browse')}
            </Link>
          </li>
          <li className="nav-item">
            <Link className={`nav-link ${exportsTab ? 'active' : ''}`} href={ARCHIVE_EXPORTS_PATH} aria-current={exportsTab ? 'page' : undefined}>
              {t('archive.tab.exports')}
            </Link>
          </li>
        </ul>
      </nav>
      {exportsTab ? (
        <ArchiveExports />
      ) : (
        <>
          <ArchiveStatusPanel coordinator={coordinator} />
          {coordinator && <ArchiveSettingsForm />}
          <ArchiveBrowser />
        </>
      )}
    </section>
  );
}

type ArchiveRun = ApiResponseBody<'/archive/status'>['lastRun'];

function runStateText(run: NonNullable<ArchiveRun>, t: ReturnType<typeof useI18n>['t']): string {
  return t('archive.run.progress', {
    state: translateCode(t, 'archive.run.state', run.state),
    tickets: run.ticketsArchived,
    historical: run.historicalArchived,
    parts: run.partsWritten,
  });
}

function ArchiveStatusPanel({ coordinator }: { coordinator: boolean }) {
  const { t, fmt } = useI18n();
  const status = useApiGet('/archive/status');
  const [run, setRun] = useState<ArchiveRun>(null);
  const start = useSubmission();
  const running = run !== null && (run.state === 'queued' || run.state === 'running');
  const runId = running ? run.id : null;

  // The run is a job on the server: the request answers at once, the page follows its progress.
  // biome-ignore lint/correctness/useExhaustiveDependencies: polls once per run id
  useEffect(() => {
    if (!runId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = (await apiGet('/archive/runs/{id}', { path: { id: runId } })).data;
        if (stopped) return;
        setRun(next);
        if (next.state === 'done' || next.state === 'failed') {
          void status.reload();
          return;
        }
      } catch (err) {
        if (stopped) return;
        start.setError(err);
        return;
      }
      timer = setTimeout(() => void poll(), PROGRESS_POLL_MS);
    };
    timer = setTimeout(() => void poll(), PROGRESS_POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [runId]);

  const startRun = () =>
    start.run(async () => {
      const { data } = await unwrap(client.POST('/archive/runs'));
      setRun(data);
    });

  const data = status.data;
  const records = data ? data.months.reduce((sum, m) => sum + m.records, 0) : 0;
  const lastRun = run ?? data?.lastRun ?? null;

  return (
    <section aria-labelledby="archive-status-title" className="mb-4">
      <h2 id="archive-status-title" className="h4">
        {t('archive.status.title')}
      </h2>
      <ErrorAlert error={status.error} />
      {status.loading && !data ? (
        <Spinner />
      ) : data ? (
        <>
          <dl className="row" data-testid="archive-status">
            <dt className="col-sm-5">{t('archive.status.records')}</dt>
            <dd className="col-sm-7">{records}</dd>
            <dt className="col-sm-5">{t('archive.status.months')}</dt>
            <dd className="col-sm-7">{data.months.length}</dd>
            <dt className="col-sm-5">{t('archive.status.staged')}</dt>
            <dd className="col-sm-7">{data.stagedRecords}</dd>
            <dt className="col-sm-5">{t('archive.status.pendingHistorical')}</dt>
            <dd className="col-sm-7">{data.pendingHistorical}</dd>
            <dt className="col-sm-5">{t('archive.status.lastRun')}</dt>
            <dd className="col-sm-7">
              {data.lastRun ? `${fmt(data.lastRun.finishedAt ?? data.lastRun.requestedAt)} · ${translateCode(t, 'archive.run.state', data.lastRun.state)}` : t('archive.status.never')}
            </dd>
          </dl>
          {data.months.length > 0 && (
            <DataTable caption={t('archive.status.monthsCaption')} columns={[t('archive.status.month'), t('archive.status.records'), t('archive.status.parts')]} className="table-sm">
              {data.months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{m.month}</th>
                  <td>{m.records}</td>
                  <td>{m.parts}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </>
      ) : null}
      {coordinator && (
        <div className="mt-3">
          <h3 className="h5">{t('archive.run.title')}</h3>
          <p className="form-text" id="archive-run-hint">
            {t('archive.run.hint')}
          </p>
          <ErrorAlert error={start.error} />
          <button type="button" className="btn btn-primary" aria-describedby="archive-run-hint" disabled={start.busy || running} onClick={() => void startRun()}>
            {t('archive.run.start')}
          </button>
          <div aria-live="polite" role="status" className="mt-2" data-testid="archive-run-progress">
            {run && lastRun ? runStateText(lastRun, t) : null}
          </div>
          {run?.state === 'failed' && run.error && <Alert kind="danger">{run.error}</Alert>}
        </div>
      )}
    </section>
  );
}

function ArchiveSettingsForm() {
  const { t, locale } = useI18n();
  const settings = useApiGet('/archive/settings');
  const [form, setForm] = useState<{ graceDays: string; minComunePopulation: string; timeGranularity: 'hour' | 'day' } | null>(null);
  const save = useSubmission();
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (settings.data) setForm({ graceDays: String(settings.data.graceDays), minComunePopulation: String(settings.data.minComunePopulation), timeGranularity: settings.data.timeGranularity });
  }, [settings.data]);

  const errors = fieldErrorMessages(save.error, locale);
  const labels = { graceDays: t('archive.settings.graceDays'), minComunePopulation: t('archive.settings.population'), timeGranularity: t('archive.settings.granularity') };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form) return;
    setNotice(null);
    void save.run(async () => {
      try {
        const body = { graceDays: Number(form.graceDays), minComunePopulation: Number(form.minComunePopulation), timeGranularity: form.timeGranularity };
        const response = await unwrap(client.PUT('/archive/settings', { body, headers: requestHeaders({ ifMatch: settings.etag }) }));
        settings.setData(response.data, response.etag);
        setNotice(t('archive.settings.saved'));
      } catch (err) {
        focusFirstInvalid();
        throw err;
      }
    });
  };

  return (
    <section aria-labelledby="archive-settings-title" className="mb-4">
      <h2 id="archive-settings-title" className="h4">
        {t('archive.settings.title')}
      </h2>
      <ErrorAlert error={settings.error} />
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={save.error} labels={labels} />
      {form && (
        <form onSubmit={submit} noValidate className="row">
          <div className="col-12 col-md-4">
            <Field id="archive-grace" label={labels.graceDays} hint={t('archive.settings.graceDaysHint')} error={errors.graceDays}>
              <input
                {...fieldA11y('archive-grace', errors.graceDays, true)}
                type="number"
                inputMode="numeric"
                className={controlClass('form-control', errors.graceDays)}
                value={form.graceDays}
                onChange={(e) => setForm({ ...form, graceDays: e.target.value })}
              />
            </Field>
          </div>
          <div className="col-12 col-md-4">
            <Field id="archive-population" label={labels.minComunePopulation} hint={t('archive.settings.populationHint')} error={errors.minComunePopulation}>
              <input
                {...fieldA11y('archive-population', errors.minComunePopulation, true)}
                type="number"
                inputMode="numeric"
                className={controlClass('form-control', errors.minComunePopulation)}
                value={form.minComunePopulation}
                onChange={(e) => setForm({ ...form, minComunePopulation: e.target.value })}
              />
            </Field>
          </div>
          <div className="col-12 col-md-4">
            <Field id="archive-granularity" label={labels.timeGranularity} error={errors.timeGranularity}>
              <select
                {...fieldA11y('archive-granularity', errors.timeGranularity)}
                className={controlClass('form-select', errors.timeGranularity)}
                value={form.timeGranularity}
                onChange={(e) => setForm({ ...form, timeGranularity: e.target.value === 'day' ? 'day' : 'hour' })}
              >
                <option value="hour">{t('archive.settings.granularity.hour')}</option>
                <option value="day">{t('archive.settings.granularity.day')}</option>
              </select>
            </Field>
          </div>
          <div className="col-12">
            <button type="submit" className="btn btn-outline-primary" disabled={save.busy}>
              {t('archive.settings.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function ArchiveBrowser() {
  const { t } = useI18n();
  const [draft, setDraft] = useState<FilterForm>(() => filterFromSearch(window.location.search));
  const [filter, setFilter] = useState<FilterForm>(() => filterFromSearch(window.location.search));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(draft);
  };

  const set = (key: keyof FilterForm) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value, ...(key === 'organisationId' ? { officeId: '' } : {}) }));

  return (
    <>
      <section aria-labelledby="archive-filters-title" className="mb-4">
        <h2 id="archive-filters-title" className="h4">
          {t('archive.filters.title')}
        </h2>
        <form onSubmit={apply} className="row" aria-labelledby="archive-filters-title">
          <div className="col-6 col-md-3">
            <Field id="af-from" label={t('archive.filters.from')}>
              <input id="af-from" type="month" className="form-control" value={draft.fromMonth} onChange={set('fromMonth')} />
            </Field>
          </div>
          <div className="col-6 col-md-3">
            <Field id="af-to" label={t('archive.filters.to')}>
              <input id="af-to" type="month" className="form-control" value={draft.toMonth} onChange={set('toMonth')} />
            </Field>
          </div>
          <ArchiveSliceFields idPrefix="af" messages="archive" values={draft} onChange={(key, value) => set(key)({ target: { value } })} />
          <div className="col-12 col-md-3">
            <Field id="af-territory" label={t('archive.filters.territory')}>
              <input id="af-territory" className="form-control" inputMode="numeric" value={draft.territory} onChange={set('territory')} />
            </Field>
          </div>
          <div className="col-12 d-flex gap-2">
            <button type="submit" className="btn btn-primary">
              {t('archive.filters.apply')}
            </button>
            <button
              type="button"
              className="btn btn-outline-secondary"
              onClick={() => {
                setDraft(EMPTY_FILTER);
                setFilter(EMPTY_FILTER);
              }}
            >
              {t('archive.filters.reset')}
            </button>
          </div>
        </form>
      </section>
      <ArchiveAggregates filter={filter} />
      <ArchiveRecords filter={filter} />
    </>
  );
}

/** Loads `load(key)` whenever `key` (a JSON string) changes; keeps the last answer and error. */
function useKeyedLoad<T>(key: string, load: () => Promise<T>): { data: T | null; error: unknown; loading: boolean } {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({ data: null, error: null, loading: true });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the query, by value
  useEffect(() => {
    let alive = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => alive && setState({ data, error: null, loading: false }),
      (error: unknown) => alive && setState({ data: null, error, loading: false }),
    );
    return () => {
      alive = false;
    };
  }, [key]);
  return state;
}

function isMissingRoute(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'status' in error && (error as { status: number }).status === 404;
}

function CountCell({ count, status, threshold, header }: { count: number | null; status: CellStatus | undefined; threshold: number; header?: boolean }) {
  const { t, locale } = useI18n();
  const view = cellView(count, status, threshold, t, locale);
  const content = view.withheld ? (
    <>
      <span aria-hidden="true" title={view.label ?? undefined}>
        {view.text}
      </span>
      <span className="visually-hidden">{view.label}</span>
    </>
  ) : (
    view.text
  );
  const className = `text-end ${view.withheld ? 'text-muted fst-italic' : ''} ${header ? 'fw-semibold' : ''}`;
  return (
    <td className={className} data-withheld={view.withheld ? 'true' : undefined}>
      {content}
    </td>
  );
}

function ArchiveAggregates({ filter }: { filter: FilterForm }) {
  const { t, locale } = useI18n();
  const taxonomy = useTaxonomy();
  const orgs = useApiGet('/organisations');
  const [dimension, setDimension] = useState<Dimension>('topic');
  const [granularity, setGranularity] = useState<Granularity>('month');
  const query = { ...filterQuery(filter), dimension, granularity };
  const result = useKeyedLoad<ArchiveAggregatesView>(JSON.stringify(query), () => fetchAggregates(query));
  const dimensionLabel = t(`archive.dimension.${dimension}`);
  const granularityLabel = t(`archive.aggregates.granularity.${granularity}`);

  const groupLabel = (key: string | null, index: number, listed: number): string => {
    if (key === null) return t('archive.aggregates.notRecorded');
    if (index >= listed || key === '*') return t('archive.aggregates.others', { count: result.data?.otherGroups ?? 0 });
    if (dimension === 'topic' || dimension === 'topic_root') return codeLabel(taxonomy, 'tema', key, locale);
    if (dimension === 'channel') return codeLabel(taxonomy, 'canale', key, locale);
    if (dimension === 'organisation') return orgs.data?.items.find((o) => o.ipaCode === key || o.id === key)?.name ?? key;
    if (dimension === 'source') return translateCode(t, 'archive.source', key);
    return key;
  };

  const data = result.data;
  const listed = data ? data.groups.length - (data.otherGroups > 0 ? 1 : 0) : 0;

  return (
    <section aria-labelledby="archive-aggregates-title" className="mb-4">
      <h2 id="archive-aggregates-title" className="h4">
        {t('archive.aggregates.title')}
      </h2>
      <div className="row">
        <div className="col-6 col-md-3">
          <Field id="agg-dimension" label={t('archive.aggregates.dimension')}>
            <select id="agg-dimension" className="form-select" value={dimension} onChange={(e) => setDimension(e.target.value as Dimension)}>
              {DIMENSIONS.map((d) => (
                <option key={d} value={d}>
                  {t(`archive.dimension.${d}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="col-6 col-md-3">
          <Field id="agg-granularity" label={t('archive.aggregates.granularity')}>
            <select id="agg-granularity" className="form-select" value={granularity} onChange={(e) => setGranularity(e.target.value as Granularity)}>
              {GRANULARITIES.map((g) => (
                <option key={g} value={g}>
                  {t(`archive.aggregates.granularity.${g}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </div>
      <div aria-live="polite" aria-busy={result.loading}>
        {result.error ? (
          isMissingRoute(result.error) ? <Alert kind="info">{t('archive.aggregates.unavailable')}</Alert> : <ErrorAlert error={result.error} />
        ) : result.loading && !data ? (
          <Spinner />
        ) : data && data.groups.length > 0 ? (
          <>
            <p className="form-text" id="archive-suppression-explain">
              {t('archive.suppression.explain', { threshold: data.threshold, primary: data.suppressed.primary, secondary: data.suppressed.secondary })}
            </p>
            <div className="table-responsive">
              <table className="table table-sm" aria-describedby="archive-suppression-explain" data-testid="archive-aggregates">
                <caption>{t('archive.aggregates.caption', { dimension: dimensionLabel.toLowerCase(), granularity: granularityLabel.toLowerCase() })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{dimensionLabel}</th>
                    {data.periods.map((p) => (
                      <th scope="col" className="text-end" key={p}>
                        {p}
                      </th>
                    ))}
                    <th scope="col" className="text-end">
                      {t('archive.aggregates.total')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.groups.map((g, i) => (
                    <tr key={g.key ?? '∅'}>
                      <th scope="row">{groupLabel(g.key, i, listed)}</th>
                      {data.periods.map((p, j) => (
                        <CountCell key={p} count={g.counts[j] ?? null} status={g.status[j]} threshold={data.threshold} />
                      ))}
                      <CountCell count={g.total} status={totalStatus(g.total)} threshold={data.threshold} header />
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{t('archive.aggregates.total')}</th>
                    {data.periods.map((p, j) => (
                      <CountCell key={p} count={data.totals[j] ?? null} status={totalStatus(data.totals[j])} threshold={data.threshold} header />
                    ))}
                    <CountCell count={data.total} status={totalStatus(data.total)} threshold={data.threshold} header />
                  </tr>
                </tfoot>
              </table>
            </div>
          </>
        ) : (
          <p>{t('archive.aggregates.empty')}</p>
        )}
      </div>
    </section>
  );
}

function ArchiveRecords({ filter }: { filter: FilterForm }) {
  const { t, locale } = useI18n();
  const taxonomy = useTaxonomy();
  const [offset, setOffset] = useState(0);
  const filterKey = JSON.stringify(filterQuery(filter));
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts from the first page
  useEffect(() => setOffset(0), [filterKey]);
  const query = { ...filterQuery(filter), limit: RECORDS_PAGE, offset };
  const result = useKeyedLoad<ArchiveRecordsView>(JSON.stringify(query), () => fetchRecords(query));
  const data = result.data;
  // A value hidden by the generalisation comes as `*`: said, not just drawn.
  const shown = (value: string | null | undefined) =>
    !value ? (
      '—'
    ) : value === '*' ? (
      <>
        <span aria-hidden="true">*</span>
        <span className="visually-hidden">{t('archive.records.hidden')}</span>
      </>
    ) : (
      value
    );

  return (
    <section aria-labelledby="archive-records-title" className="mb-4">
      <h2 id="archive-records-title" className="h4">
        {t('archive.records.title')}
      </h2>
      <div aria-live="polite" aria-busy={result.loading}>
        {result.error ? (
          isMissingRoute(result.error) ? <Alert kind="info">{t('archive.records.unavailable')}</Alert> : <ErrorAlert error={result.error} />
        ) : result.loading && !data ? (
          <Spinner />
        ) : data && data.items.length > 0 ? (
          <>
            <p>
              {t('archive.records.page', { from: offset + 1, to: offset + data.items.length, total: data.total })}
              {data.generalised ? ` ${t('archive.records.generalised')}` : ''}
              {data.suppressed > 0 ? ` ${t('archive.records.suppressed', { suppressed: data.suppressed })}` : ''}
            </p>
            <DataTable
              caption={t('archive.records.caption')}
              columns={[t('archive.records.period'), t('archive.records.topic'), t('archive.records.channel'), t('archive.records.territory'), t('archive.records.outcome'), t('archive.records.text')]}
              className="table-sm"
            >
              {data.items.map((r) => (
                <tr key={r.recordId} data-testid="archive-record">
                  <td>{shown(r.period)}</td>
                  <td>{shown(codeLabel(taxonomy, 'tema', r.topicCode, locale))}</td>
                  <td>{shown(codeLabel(taxonomy, 'canale', r.channel, locale))}</td>
                  <td>{shown(r.territoryCode)}</td>
                  <td>{shown(codeLabel(taxonomy, 'esito', r.outcome, locale))}</td>
                  <td className="archive-text">{r.text}</td>
                </tr>
              ))}
            </DataTable>
            <nav aria-label={t('archive.records.pagination')} className="d-flex gap-2">
              <button type="button" className="btn btn-outline-primary btn-sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - RECORDS_PAGE))}>
                {t('archive.records.previous')}
              </button>
              <button type="button" className="btn btn-outline-primary btn-sm" disabled={offset + data.items.length >= data.total} onClick={() => setOffset(offset + RECORDS_PAGE)}>
                {t('archive.records.next')}
              </button>
            </nav>
          </>
        ) : (
          <p>{t('archive.records.empty')}</p>
        )}
      </div>
    </section>
  );
}
