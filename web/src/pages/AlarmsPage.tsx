import { type FormEvent, useState } from 'react';
import { type ApiQuery, client, unwrap } from '../api/client.js';
import { Alert, DataTable, ErrorAlert, Field, ForbiddenPage, HiddenHeading, Notice, Spinner, StatusBadge } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { useApiGet, useSubmission } from '../lib/hooks.js';
import { Link, matchPath } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import {
  ALARM_KINDS,
  ALARM_STATUSES,
  ALARMS_PATH,
  type Alarm,
  type AlarmStatus,
  type AlarmWatch,
  actionFromAlarmUrl,
  alarmSentence,
  canReadAlarms,
  canRunScans,
  formatDay,
  formatNumber,
  sameSlice,
  type SliceNames,
  sliceLabel,
  sliceOf,
} from './analytics-work.js';
import { BandChart } from './AnalyticsWorkCharts.js';
import { EMPTY_SLICE, SliceFields, type SliceForm, useSliceChoices } from './AnalyticsWorkShared.js';

export { ALARMS_PATH } from './analytics-work.js';

type AlarmQuery = ApiQuery<'/analytics/alarms'>;

const STATUS_BADGE: Record<AlarmStatus, string> = { open: 'new', acknowledged: 'pending_office', dismissed: 'closed' };

/**
 * The alarms of the contact series (issue 14): the list with its filters, the slices the user
 * watches and, for analysts and the coordination, the scans; `/analisi/allarmi/<id>` is one alarm
 * (the link of its notification) with its chart, its status and the way to an action.
 */
export function AlarmsPage({ pathname }: { pathname: string }) {
  const { t } = useI18n();
  const { session } = useSession();
  const memberships = session?.memberships ?? [];
  const detail = matchPath(`${ALARMS_PATH}/:id`, pathname);
  if (!canReadAlarms(memberships)) {
    return <ForbiddenPage title={t('analyticsWork.alarms.title')} message={t('analyticsWork.alarms.forbidden')} />;
  }
  if (detail?.id) return <AlarmDetail key={detail.id} id={detail.id} />;
  return <AlarmList scans={canRunScans(memberships)} />;
}

interface ListFilter extends SliceForm {
  status: string;
  kind: string;
}

const DEFAULT_FILTER: ListFilter = { ...EMPTY_SLICE, status: 'open', kind: '' };

function toQuery(f: ListFilter): AlarmQuery {
  return {
    ...sliceOf(f),
    ...((ALARM_STATUSES as readonly string[]).includes(f.status) && { status: f.status as AlarmStatus }),
    ...((ALARM_KINDS as readonly string[]).includes(f.kind) && { kind: f.kind as Alarm['kind'] }),
    limit: 100,
  };
}

function AlarmList({ scans }: { scans: boolean }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<ListFilter>(DEFAULT_FILTER);
  const [filter, setFilter] = useState<ListFilter>(DEFAULT_FILTER);
  const alarms = useApiGet('/analytics/alarms', { query: toQuery(filter) });
  const watches = useApiGet('/analytics/alarm-watches');
  const items = alarms.data?.items ?? [];
  const choices = useSliceChoices([...items.map((a) => a.slice.territory ?? ''), ...(watches.data?.items ?? []).map((w) => w.slice.territory ?? '')].filter(Boolean));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(draft);
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('analyticsWork.alarms.title')}</h1>
      <p>{t('analyticsWork.alarms.intro')}</p>
      <section aria-labelledby="alarm-filters-title" className="mb-4">
        <h2 id="alarm-filters-title" className="h4">
          {t('analyticsWork.alarms.filters')}
        </h2>
        <form className="row" onSubmit={apply} aria-labelledby="alarm-filters-title">
          <div className="col-6 col-md-3">
            <Field id="al-status" label={t('analyticsWork.alarms.status')}>
              <select id="al-status" className="form-select" value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
                <option value="">{t('analyticsWork.any')}</option>
                {ALARM_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`analyticsWork.alarmStatus.${s}`)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="col-6 col-md-3">
            <Field id="al-kind" label={t('analyticsWork.alarms.kind')}>
              <select id="al-kind" className="form-select" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value })}>
                <option value="">{t('analyticsWork.any')}</option>
                {ALARM_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`analyticsWork.alarmKind.${k}`)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="w-100" />
          <SliceFields prefix="al" value={draft} onChange={(slice) => setDraft({ ...draft, ...slice })} choices={choices} anyLabel={t('analyticsWork.any')} />
          <div className="col-12">
            <button type="submit" className="btn btn-primary">
              {t('analyticsWork.alarms.apply')}
            </button>
          </div>
        </form>
      </section>

      <ErrorAlert error={alarms.error} />
      <div aria-live="polite" aria-busy={alarms.loading}>
        {alarms.loading && !alarms.data ? (
          <Spinner />
        ) : items.length === 0 ? (
          <p className="alert alert-info" data-testid="alarms-empty">
            {t('analyticsWork.alarms.none')}
          </p>
        ) : (
          <DataTable caption={t('analyticsWork.alarms.list')} columns={[t('analyticsWork.alarms.kind'), t('analyticsWork.alarms.detail'), t('analyticsWork.alarms.trend'), t('analyticsWork.alarms.status'), <HiddenHeading key="open">{t('analyticsWork.alarms.open')}</HiddenHeading>]}>
            {items.map((alarm) => (
              <AlarmRow key={alarm.id} alarm={alarm} names={choices.names} />
            ))}
          </DataTable>
        )}
      </div>

      <Watches watches={watches.data?.items ?? null} error={watches.error} reload={watches.reload} choices={choices} />
      {scans && <Scans />}
    </section>
  );
}

/** Observed against expected as two small bars: the size of the anomaly at a glance. */
function ObservedBars({ observed, expected, label }: { observed: number; expected: number; label: string }) {
  const width = 80;
  const height = 28;
  const top = Math.max(observed, expected, 1);
  const bar = (v: number) => Math.max(1, (v / top) * (height - 2));
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
      <rect x="8" y={height - bar(expected)} width="26" height={bar(expected)} fill="#8a9aab" />
      <rect x="44" y={height - bar(observed)} width="26" height={bar(observed)} fill="#0066cc" />
    </svg>
  );
}

function AlarmRow({ alarm, names }: { alarm: Alarm; names: SliceNames }) {
  const { t, locale } = useI18n();
  const sentence = alarmSentence(alarm, names, t, locale);
  return (
    <tr data-alarm={alarm.id}>
      <td>{t(`analyticsWork.alarmKind.${alarm.kind}`)}</td>
      <td>{sentence}</td>
      <td>
        <ObservedBars observed={alarm.observed} expected={alarm.expected} label={t('analyticsWork.alarms.sparkline', { observed: formatNumber(alarm.observed, locale), expected: formatNumber(alarm.expected, locale) })} />
      </td>
      <td>
        <StatusBadge status={STATUS_BADGE[alarm.status]} label={t(`analyticsWork.alarmStatus.${alarm.status}`)} />
      </td>
      <td>
        <Link href={`${ALARMS_PATH}/${alarm.id}`} aria-label={t('analyticsWork.alarms.openLabel', { label: sentence })}>
          {t('analyticsWork.alarms.open')}
        </Link>
      </td>
    </tr>
  );
}

function AlarmDetail({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const view = useApiGet('/analytics/alarms/{id}', { path: { id } });
  const watches = useApiGet('/analytics/alarm-watches');
  const choices = useSliceChoices(view.data?.alarm.slice.territory ? [view.data.alarm.slice.territory] : []);
  const submission = useSubmission();
  const [notice, setNotice] = useState<string | null>(null);
  const alarm = view.data?.alarm;

  if (view.error) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">{t('analyticsWork.alarms.detail')}</h1>
        <ErrorAlert error={view.error} />
        <Link href={ALARMS_PATH}>{t('analyticsWork.alarms.back')}</Link>
      </section>
    );
  }
  if (!alarm || !view.data) return <Spinner />;

  const setStatus = (status: AlarmStatus) =>
    submission.run(async () => {
      const { data } = await unwrap(client.PATCH('/analytics/alarms/{id}', { params: { path: { id } }, body: { status } }));
      view.setData({ ...view.data!, alarm: data });
      setNotice(t('analyticsWork.alarms.statusChanged', { status: t(`analyticsWork.alarmStatus.${data.status}`) }));
    });
  const watched = watches.data?.items.some((w) => sameSlice(w.slice, alarm.slice)) ?? false;
  const watch = () =>
    submission.run(async () => {
      await unwrap(client.POST('/analytics/alarm-watches', { body: { slice: alarm.slice, digest: true } }));
      await watches.reload();
      setNotice(t('analyticsWork.alarms.watched'));
    });
  const sentence = alarmSentence(alarm, choices.names, t, locale);

  return (
    <section aria-labelledby="page-title">
      <p>
        <Link href={ALARMS_PATH}>{t('analyticsWork.alarms.back')}</Link>
      </p>
      <h1 id="page-title">
        {t('analyticsWork.alarms.detail')}: {t(`analyticsWork.alarmKind.${alarm.kind}`)}
      </h1>
      <p className="lead" data-testid="alarm-sentence">
        {sentence}
      </p>
      <p>
        <StatusBadge status={STATUS_BADGE[alarm.status]} label={t(`analyticsWork.alarmStatus.${alarm.status}`)} /> <span className="ms-2">{t('analyticsWork.alarms.since', { since: formatDay(alarm.since) })}</span>
        <span className="ms-2">
          {t('analyticsWork.alarms.score')}: {formatNumber(alarm.score, locale)}
        </span>
      </p>
      <ErrorAlert error={submission.error} onClose={() => submission.setError(null)} />
      <Notice text={notice} onClose={() => setNotice(null)} />
      <div className="d-flex flex-wrap gap-2 mb-4">
        {alarm.status !== 'acknowledged' && (
          <button type="button" className="btn btn-primary" disabled={submission.busy} onClick={() => void setStatus('acknowledged')}>
            {t('analyticsWork.alarms.acknowledge')}
          </button>
        )}
        {alarm.status !== 'dismissed' && (
          <button type="button" className="btn btn-outline-primary" disabled={submission.busy} onClick={() => void setStatus('dismissed')}>
            {t('analyticsWork.alarms.dismiss')}
          </button>
        )}
        {alarm.status !== 'open' && (
          <button type="button" className="btn btn-outline-secondary" disabled={submission.busy} onClick={() => void setStatus('open')}>
            {t('analyticsWork.alarms.reopen')}
          </button>
        )}
        {watched ? (
          <span className="align-self-center" data-testid="alarm-watching">
            {t('analyticsWork.alarms.watching')}
          </span>
        ) : (
          <button type="button" className="btn btn-outline-primary" disabled={submission.busy || watches.loading} onClick={() => void watch()}>
            {t('analyticsWork.alarms.watch')}
          </button>
        )}
        <Link className="btn btn-outline-primary" href={actionFromAlarmUrl(alarm)}>
          {t('analyticsWork.alarms.createAction')}
        </Link>
      </div>
      <h2 className="h4">{t('analyticsWork.alarms.trend')}</h2>
      {view.data.chart.length === 0 ? (
        <Alert kind="info">{alarm.kind === 'emerging_term' ? t('analyticsWork.alarms.noChart') : t('analyticsWork.chart.empty', { title: t('analyticsWork.alarms.chart') })}</Alert>
      ) : (
        <BandChart id="alarm-chart" title={t('analyticsWork.alarms.chart')} days={view.data.chart} mark={alarm.day} markLabel={t('analyticsWork.alarms.mark')} />
      )}
    </section>
  );
}

/** The slices the user watches: add by topic, territory and channel; digest on or off; remove. */
function Watches({ watches, error, reload, choices }: { watches: AlarmWatch[] | null; error: unknown; reload: () => Promise<void>; choices: ReturnType<typeof useSliceChoices> }) {
  const { t } = useI18n();
  const [form, setForm] = useState<SliceForm>(EMPTY_SLICE);
  const submission = useSubmission();
  const add = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      await unwrap(client.POST('/analytics/alarm-watches', { body: { slice: sliceOf(form), digest: true } }));
      setForm(EMPTY_SLICE);
      await reload();
    });
  };
  const setDigest = (watch: AlarmWatch, digest: boolean) =>
    submission.run(async () => {
      await unwrap(client.POST('/analytics/alarm-watches', { body: { slice: watch.slice, digest } }));
      await reload();
    });
  const remove = (watch: AlarmWatch) =>
    submission.run(async () => {
      await unwrap(client.DELETE('/analytics/alarm-watches/{id}', { params: { path: { id: watch.id } } }));
      await reload();
    });
  return (
    <section aria-labelledby="watches-title" className="mt-5" data-testid="alarm-watches">
      <h2 id="watches-title" className="h4">
        {t('analyticsWork.watches.title')}
      </h2>
      <p>{t('analyticsWork.watches.intro')}</p>
      <ErrorAlert error={error ?? submission.error} />
      {watches === null ? (
        error ? null : <Spinner />
      ) : watches.length === 0 ? (
        <p>{t('analyticsWork.watches.none')}</p>
      ) : (
        <DataTable caption={t('analyticsWork.watches.title')} columns={[t('analyticsWork.watches.slice'), t('analyticsWork.watches.digest'), <HiddenHeading key="remove">{t('analyticsWork.watches.remove')}</HiddenHeading>]}>
          {watches.map((w) => {
            const label = sliceLabel(w.slice, choices.names, t);
            return (
              <tr key={w.id} data-watch={w.id}>
                <td>{label}</td>
                <td>
                  <div className="form-check form-switch mb-0">
                    <input id={`watch-digest-${w.id}`} className="form-check-input" type="checkbox" role="switch" checked={w.digest} disabled={submission.busy} onChange={(e) => void setDigest(w, e.target.checked)} aria-label={t('analyticsWork.watches.digestToggle', { label })} />
                  </div>
                </td>
                <td>
                  <button type="button" className="btn btn-sm btn-outline-danger" disabled={submission.busy} onClick={() => void remove(w)} aria-label={t('analyticsWork.watches.removeLabel', { label })}>
                    {t('analyticsWork.watches.remove')}
                  </button>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <form className="row mt-3" onSubmit={add} aria-labelledby="watch-add-title">
        <h3 id="watch-add-title" className="h5 col-12">
          {t('analyticsWork.watches.addTitle')}
        </h3>
        <SliceFields prefix="watch" value={form} onChange={setForm} choices={choices} anyLabel={t('analyticsWork.any')} />
        <div className="col-12">
          <button type="submit" className="btn btn-outline-primary" disabled={submission.busy}>
            {t('analyticsWork.watches.add')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The last scans, and a scan on request (analysts and the coordination). */
function Scans() {
  const { t, fmt } = useI18n();
  const scans = useApiGet('/analytics/alarms/scans');
  const submission = useSubmission();
  const [notice, setNotice] = useState<string | null>(null);
  const run = () =>
    submission.run(async () => {
      await unwrap(client.POST('/analytics/alarms/scans'));
      setNotice(t('analyticsWork.scans.queued'));
      await scans.reload();
    });
  const items = scans.data?.items ?? [];
  return (
    <section aria-labelledby="scans-title" className="mt-5" data-testid="alarm-scans">
      <h2 id="scans-title" className="h4">
        {t('analyticsWork.scans.title')}
      </h2>
      <ErrorAlert error={scans.error ?? submission.error} />
      <Notice text={notice} onClose={() => setNotice(null)} />
      <p>
        <button type="button" className="btn btn-outline-primary" disabled={submission.busy} onClick={() => void run()}>
          {t('analyticsWork.scans.run')}
        </button>
      </p>
      {scans.loading && !scans.data ? (
        <Spinner />
      ) : items.length === 0 ? (
        <p>{t('analyticsWork.scans.none')}</p>
      ) : (
        <DataTable
          caption={t('analyticsWork.scans.title')}
          columns={[t('analyticsWork.scans.startedAt'), t('analyticsWork.scans.finishedAt'), t('analyticsWork.scans.trigger'), t('analyticsWork.scans.series'), t('analyticsWork.scans.alarms'), t('analyticsWork.scans.records'), t('analyticsWork.scans.through'), t('analyticsWork.scans.error')]}
        >
          {items.map((s) => (
            <tr key={s.id}>
              <td>{fmt(s.startedAt)}</td>
              <td>{s.finishedAt ? fmt(s.finishedAt) : t('analyticsWork.scans.running')}</td>
              <td>{t(`analyticsWork.scans.trigger.${s.trigger}`)}</td>
              <td className="text-end">{s.seriesScanned}</td>
              <td className="text-end">{s.alarmsFound}</td>
              <td className="text-end">{s.recordsRead}</td>
              <td>{s.throughDay ? formatDay(s.throughDay) : '—'}</td>
              <td>{s.error ?? ''}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
