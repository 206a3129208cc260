import { type FormEvent, useState } from 'react';
import { ApiError, client, unwrap } from '../api/client.js';
import { controlClass, DataTable, ErrorAlert, Field, fieldA11y, HiddenHeading, Notice, Spinner, StatusBadge } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { fieldErrorMessages, focusFirstInvalid } from '../lib/form-errors.js';
import { useApiGet, useSubmission } from '../lib/hooks.js';
import { Link, matchPath, navigate } from '../lib/router.js';
import { useSession } from '../lib/session.js';
import {
  ACTION_KINDS,
  ACTION_STATUSES,
  ACTION_TYPES,
  ACTIONS_PATH,
  type ActionKind,
  type ActionPlan,
  type ActionStatus,
  type ActionType,
  ALARMS_PATH,
  actionPrefill,
  canPlanActions,
  type Effect,
  effectSentence,
  formatDay,
  type NewAction,
  observedCell,
  sliceLabel,
  sliceOf,
  verdictText,
} from './analytics-work.js';
import { BandChart } from './AnalyticsWorkCharts.js';
import { EMPTY_SLICE, SliceFields, type SliceForm, useSliceChoices } from './AnalyticsWorkShared.js';

export { ACTIONS_PATH } from './analytics-work.js';

const STATUS_BADGE: Record<ActionStatus, string> = { planned: 'new', in_progress: 'open', done: 'resolved', cancelled: 'cancelled' };

/**
 * Action plans (issue 14): the list with a status filter and the form of a new action (prefilled
 * from an alarm by "Crea un'azione"); `/analisi/azioni/<id>` is one action, its status, owner and
 * due date, and for a done action its effect against the forecast made before it.
 */
export function ActionsPage({ pathname, search }: { pathname: string; search: string }) {
  const detail = matchPath(`${ACTIONS_PATH}/:id`, pathname);
  if (detail?.id) return <ActionDetail key={detail.id} id={detail.id} />;
  return <ActionList search={search} />;
}

function ownerText(ownerUserId: string | null, me: string | undefined, t: ReturnType<typeof useI18n>['t'], people: readonly { id: string; name: string }[] = []): string {
  if (!ownerUserId) return t('analyticsWork.actions.ownerNone');
  return ownerUserId === me ? t('analyticsWork.actions.ownerMe') : (people.find((p) => p.id === ownerUserId)?.name ?? t('analyticsWork.actions.ownerOther'));
}

/** Whom the body's actions may be given to (its members), for those who plan them; empty until known or when not allowed. */
function usePossibleOwners(organisationId: string | null): { id: string; name: string }[] {
  const people = useApiGet(organisationId ? '/analytics/actions/owners' : null, { query: { organisationId: organisationId ?? '' } });
  return people.data?.items ?? [];
}

/** The owner's choices: me, nobody, then the body's other members by name. */
function OwnerOptions({ people, me }: { people: readonly { id: string; name: string }[]; me: string | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <option value="me">{t('analyticsWork.actions.ownerMe')}</option>
      <option value="none">{t('analyticsWork.actions.ownerNone')}</option>
      {people
        .filter((p) => p.id !== me)
        .map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
    </>
  );
}

/** Links to last week's report of each organisation the user reads reports of, and of the network (analysts, coordination). */
function WeeklyReports() {
  const { t } = useI18n();
  const { session } = useSession();
  const memberships = session?.memberships ?? [];
  const organisations = [...new Map(memberships.filter((m) => ['supervisor', 'org_admin', 'analyst'].includes(m.role)).map((m) => [m.organisationId, m.organisationName])).entries()];
  const network = memberships.some((m) => m.role === 'analyst' || m.role === 'network_coordinator');
  const links: [string, string][] = [...organisations.map(([id, name]): [string, string] => [name, `organisationId=${id}&`]), ...(network ? [[t('analyticsWork.report.network'), ''] as [string, string]] : [])];
  if (links.length === 0) return null;
  return (
    <section aria-labelledby="weekly-reports-title" className="mb-4">
      <h2 id="weekly-reports-title" className="h5">
        {t('analyticsWork.report.title')}
      </h2>
      <ul className="list-unstyled">
        {links.map(([name, query]) => (
          <li key={name}>
            {name}:{' '}
            <a href={`/api/v1/analytics/reports/weekly?${query}format=html`} target="_blank" rel="noopener">
              HTML
            </a>{' '}
            ·{' '}
            <a href={`/api/v1/analytics/reports/weekly?${query}format=pdf`} download>
              PDF
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ActionList({ search }: { search: string }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [status, setStatus] = useState('');
  const actions = useApiGet('/analytics/actions', { query: { limit: 200, ...((ACTION_STATUSES as readonly string[]).includes(status) && { status: status as ActionStatus }) } });
  const prefill = actionPrefill(search);
  const [creating, setCreating] = useState(prefill !== null);
  const items = actions.data?.items ?? [];
  const choices = useSliceChoices([...items.map((a) => a.slice.territory ?? ''), prefill?.slice?.territory ?? ''].filter(Boolean));
  const planner = canPlanActions(session?.memberships ?? []);

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('analyticsWork.actions.title')}</h1>
      <p>{t('analyticsWork.actions.intro')}</p>
      <WeeklyReports />
      {planner &&
        (creating ? (
          <ActionForm prefill={prefill} choices={choices} onCancel={() => setCreating(false)} />
        ) : (
          <p>
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              {t('analyticsWork.actions.new')}
            </button>
          </p>
        ))}
      <div className="row">
        <div className="col-12 col-md-4">
          <Field id="ac-status" label={t('analyticsWork.actions.statusFilter')}>
            <select id="ac-status" className="form-select" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{t('analyticsWork.any')}</option>
              {ACTION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`analyticsWork.actionStatus.${s}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </div>
      <ErrorAlert error={actions.error} />
      <div aria-live="polite" aria-busy={actions.loading}>
        {actions.loading && !actions.data ? (
          <Spinner />
        ) : items.length === 0 ? (
          <p className="alert alert-info">{t('analyticsWork.actions.none')}</p>
        ) : (
          <DataTable
            caption={t('analyticsWork.actions.list')}
            columns={[t('analyticsWork.actions.title.field'), t('analyticsWork.actions.status'), t('analyticsWork.actions.actionType'), t('analyticsWork.actions.slice'), t('analyticsWork.actions.dueDate'), t('analyticsWork.actions.owner'), <HiddenHeading key="open">{t('analyticsWork.actions.open')}</HiddenHeading>]}
          >
            {items.map((a) => (
              <tr key={a.id} data-action={a.id}>
                <td>{a.title}</td>
                <td>
                  <StatusBadge status={STATUS_BADGE[a.status]} label={t(`analyticsWork.actionStatus.${a.status}`)} />
                </td>
                <td>{t(`analyticsWork.actionType.${a.actionType}`)}</td>
                <td>{sliceLabel(a.slice, choices.names, t)}</td>
                <td>{a.dueDate ? formatDay(a.dueDate) : '—'}</td>
                <td>{ownerText(a.ownerUserId, session?.user.id, t)}</td>
                <td>
                  <Link href={`${ACTIONS_PATH}/${a.id}`} aria-label={t('analyticsWork.actions.openLabel', { title: a.title })}>
                    {t('analyticsWork.actions.open')}
                  </Link>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
    </section>
  );
}

interface CreateForm extends SliceForm {
  title: string;
  description: string;
  kind: ActionKind;
  actionType: ActionType;
  /** 'me', 'none' or a member's id. */
  owner: string;
  dueDate: string;
  organisationId: string;
}

/** The form of a new action; from an alarm it carries the alarm as origin and its slice. */
function ActionForm({ prefill, choices, onCancel }: { prefill: ReturnType<typeof actionPrefill>; choices: ReturnType<typeof useSliceChoices>; onCancel: () => void }) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const planningOrgs = [...new Map((session?.memberships ?? []).filter((m) => ['supervisor', 'org_admin', 'analyst', 'network_coordinator'].includes(m.role)).map((m) => [m.organisationId, m.organisationName])).entries()];
  const [form, setForm] = useState<CreateForm>({
    ...EMPTY_SLICE,
    ...prefill?.slice,
    title: '',
    description: '',
    kind: 'corrective',
    actionType: 'publish_faq',
    owner: 'me',
    dueDate: '',
    organisationId: planningOrgs[0]?.[0] ?? '',
  });
  const submission = useSubmission();
  const people = usePossibleOwners(form.organisationId || null);
  const errors = fieldErrorMessages(submission.error, locale);
  const labels = { title: t('analyticsWork.actions.title.field'), description: t('analyticsWork.actions.description'), dueDate: t('analyticsWork.actions.dueDate'), ownerUserId: t('analyticsWork.actions.owner'), 'slice.territory': t('analyticsWork.slice.territory') };
  const set = <K extends keyof CreateForm>(k: K) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value as CreateForm[K] }));
  const origin = prefill?.origin ?? 'manual';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const body: NewAction = {
        title: form.title.trim(),
        kind: form.kind,
        actionType: form.actionType,
        origin,
        slice: sliceOf(form),
        ...(form.description.trim() && { description: form.description.trim() }),
        ...(prefill?.originRef && { originRef: prefill.originRef }),
        ...(form.owner === 'me' && session && { ownerUserId: session.user.id }),
        ...(form.owner !== 'me' && form.owner !== 'none' && { ownerUserId: form.owner }),
        ...(form.dueDate && { dueDate: form.dueDate }),
        ...(form.organisationId && { organisationId: form.organisationId }),
      };
      try {
        const { data } = await unwrap(client.POST('/analytics/actions', { body }));
        navigate(`${ACTIONS_PATH}/${data.id}`);
      } catch (error) {
        focusFirstInvalid();
        throw error;
      }
    });
  };

  return (
    <form className="card card-bg p-3 mb-4" onSubmit={submit} aria-labelledby="action-new-title" noValidate>
      <h2 id="action-new-title" className="h4">
        {t('analyticsWork.actions.new')}
      </h2>
      {origin === 'alarm' && prefill?.originRef && (
        <p>
          {t('analyticsWork.actions.origin')}: <Link href={`${ALARMS_PATH}/${prefill.originRef}`}>{t('analyticsWork.actions.fromAlarm')}</Link>
        </p>
      )}
      <ErrorAlert error={submission.error} labels={labels} />
      <div className="row">
        <div className="col-12">
          <Field id="action-title" label={labels.title} error={errors.title} required>
            <input {...fieldA11y('action-title', errors.title)} className={controlClass('form-control', errors.title)} value={form.title} onChange={set('title')} required maxLength={200} />
          </Field>
        </div>
        <div className="col-12">
          <Field id="action-description" label={labels.description} error={errors.description}>
            <textarea {...fieldA11y('action-description', errors.description)} className={controlClass('form-control', errors.description)} rows={3} value={form.description} onChange={set('description')} />
          </Field>
        </div>
        <div className="col-12 col-md-4">
          <Field id="action-kind" label={t('analyticsWork.actions.kind')}>
            <select id="action-kind" className="form-select" value={form.kind} onChange={set('kind')}>
              {ACTION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`analyticsWork.actionKind.${k}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="col-12 col-md-4">
          <Field id="action-type" label={t('analyticsWork.actions.actionType')}>
            <select id="action-type" className="form-select" value={form.actionType} onChange={set('actionType')}>
              {ACTION_TYPES.map((k) => (
                <option key={k} value={k}>
                  {t(`analyticsWork.actionType.${k}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {planningOrgs.length > 1 && (
          <div className="col-12 col-md-4">
            <Field id="action-org" label={t('analyticsWork.actions.organisation')}>
              <select id="action-org" className="form-select" value={form.organisationId} onChange={set('organisationId')}>
                {planningOrgs.map(([id, name]) => (
                  <option key={id} value={id}>
                    {name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        )}
        <div className="w-100" />
        <SliceFields prefix="action" value={form} onChange={(slice) => setForm((f) => ({ ...f, ...slice }))} choices={choices} anyLabel={t('analyticsWork.any')} />
        <div className="col-12 col-md-4">
          <Field id="action-owner" label={labels.ownerUserId} error={errors.ownerUserId}>
            <select {...fieldA11y('action-owner', errors.ownerUserId)} className={controlClass('form-select', errors.ownerUserId)} value={form.owner} onChange={set('owner')}>
              <OwnerOptions people={people} me={session?.user.id} />
            </select>
          </Field>
        </div>
        <div className="col-12 col-md-4">
          <Field id="action-due" label={labels.dueDate} error={errors.dueDate}>
            <input type="date" {...fieldA11y('action-due', errors.dueDate)} className={controlClass('form-control', errors.dueDate)} value={form.dueDate} onChange={set('dueDate')} />
          </Field>
        </div>
      </div>
      <div className="d-flex gap-2">
        <button type="submit" className="btn btn-primary" disabled={submission.busy || !form.title.trim()}>
          {t('analyticsWork.actions.create')}
        </button>
        <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </form>
  );
}

function ActionDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const { session } = useSession();
  const view = useApiGet('/analytics/actions/{id}', { path: { id } });
  const choices = useSliceChoices(view.data?.action.slice.territory ? [view.data.action.slice.territory] : []);
  const [notice, setNotice] = useState<string | null>(null);
  const action = view.data?.action;
  const people = usePossibleOwners(action?.organisationId ?? null);

  if (view.error && !action) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">{t('analyticsWork.actions.title')}</h1>
        <ErrorAlert error={view.error} />
        <Link href={ACTIONS_PATH}>{t('analyticsWork.actions.back')}</Link>
      </section>
    );
  }
  if (!action || !view.data) return <Spinner />;
  const planner = canPlanActions(session?.memberships ?? []);

  return (
    <section aria-labelledby="page-title">
      <p>
        <Link href={ACTIONS_PATH}>{t('analyticsWork.actions.back')}</Link>
      </p>
      <h1 id="page-title">{action.title}</h1>
      <p>
        <StatusBadge status={STATUS_BADGE[action.status]} label={t(`analyticsWork.actionStatus.${action.status}`)} />
      </p>
      {action.description && <p className="text-pre-wrap">{action.description}</p>}
      <dl className="row">
        <dt className="col-sm-3">{t('analyticsWork.actions.kind')}</dt>
        <dd className="col-sm-9">{t(`analyticsWork.actionKind.${action.kind}`)}</dd>
        <dt className="col-sm-3">{t('analyticsWork.actions.actionType')}</dt>
        <dd className="col-sm-9">{t(`analyticsWork.actionType.${action.actionType}`)}</dd>
        <dt className="col-sm-3">{t('analyticsWork.actions.origin')}</dt>
        <dd className="col-sm-9">
          {action.origin === 'alarm' && action.originRef ? <Link href={`${ALARMS_PATH}/${action.originRef}`}>{t('analyticsWork.actionOrigin.alarm')}</Link> : t(`analyticsWork.actionOrigin.${action.origin}`)}
        </dd>
        <dt className="col-sm-3">{t('analyticsWork.actions.slice')}</dt>
        <dd className="col-sm-9" data-testid="action-slice">
          {sliceLabel(action.slice, choices.names, t)}
        </dd>
        <dt className="col-sm-3">{t('analyticsWork.actions.owner')}</dt>
        <dd className="col-sm-9">{ownerText(action.ownerUserId, session?.user.id, t, people)}</dd>
        <dt className="col-sm-3">{t('analyticsWork.actions.dueDate')}</dt>
        <dd className="col-sm-9">{action.dueDate ? formatDay(action.dueDate) : '—'}</dd>
        {action.effectiveDate && (
          <>
            <dt className="col-sm-3">{t('analyticsWork.actions.effectiveDate')}</dt>
            <dd className="col-sm-9">{formatDay(action.effectiveDate)}</dd>
          </>
        )}
      </dl>
      {/* The confirmation lives here: the form is remade from the saved version. */}
      <Notice text={notice} onClose={() => setNotice(null)} />
      {planner && (action.nextStatuses.length > 0 || action.status !== 'cancelled') && (
        <ActionEditForm
          key={action.version}
          action={action}
          people={people}
          onSaved={async (message) => {
            await view.reload();
            setNotice(message);
          }}
        />
      )}
      <section aria-labelledby="effect-title" className="mt-4">
        <h2 id="effect-title" className="h4">
          {t('analyticsWork.actions.effect')}
        </h2>
        {view.data.effect ? <EffectView effect={view.data.effect} effectiveDate={action.effectiveDate} /> : <p>{t('analyticsWork.actions.effectNone')}</p>}
      </section>
    </section>
  );
}

interface EditForm {
  status: ActionStatus;
  /** 'keep', 'me', 'none' or a member's id. */
  owner: string;
  dueDate: string;
  effectiveDate: string;
}

/** Status (only the moves the server allows), owner, due date and, when marking it done, the day it took effect. */
/** `people`: the body's members, read once by the detail that shows the owner too. */
function ActionEditForm({ action, people, onSaved }: { action: ActionPlan; people: readonly { id: string; name: string }[]; onSaved: (message: string | null) => Promise<void> }) {
  const { t, locale } = useI18n();
  const { session } = useSession();
  const me = session?.user.id;
  const [form, setForm] = useState<EditForm>({ status: action.status, owner: 'keep', dueDate: action.dueDate ?? '', effectiveDate: '' });
  const submission = useSubmission();
  const errors = fieldErrorMessages(submission.error, locale);
  const labels = { status: t('analyticsWork.actions.status'), dueDate: t('analyticsWork.actions.dueDate'), effectiveDate: t('analyticsWork.actions.effectiveDate'), ownerUserId: t('analyticsWork.actions.owner') };
  const set = <K extends keyof EditForm>(k: K) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value as EditForm[K] }));
  const statuses: ActionStatus[] = [action.status, ...action.nextStatuses.filter((s) => s !== action.status)];
  const currentOwner = action.ownerUserId === null ? 'none' : action.ownerUserId === me ? 'me' : people.some((p) => p.id === action.ownerUserId) ? action.ownerUserId : 'keep';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submission.run(async () => {
      const body = {
        ...(form.status !== action.status && { status: form.status }),
        ...(form.status === 'done' && form.status !== action.status && form.effectiveDate && { effectiveDate: form.effectiveDate }),
        ...((form.dueDate || null) !== action.dueDate && { dueDate: form.dueDate || null }),
        ...(form.owner !== 'keep' && form.owner !== currentOwner && { ownerUserId: form.owner === 'me' ? (me ?? null) : form.owner === 'none' ? null : form.owner }),
      };
      try {
        await unwrap(client.PATCH('/analytics/actions/{id}', { params: { path: { id: action.id } }, body, headers: { 'If-Match': `"${action.version}"` } }));
      } catch (error) {
        if (error instanceof ApiError && error.status === 412) {
          await onSaved(t('analyticsWork.actions.conflict'));
          return;
        }
        focusFirstInvalid();
        throw error;
      }
      await onSaved(t('analyticsWork.actions.saved'));
    });
  };

  return (
    <form className="card card-bg p-3" onSubmit={submit} aria-labelledby="action-edit-title" noValidate>
      <h2 id="action-edit-title" className="h4">
        {t('analyticsWork.actions.edit')}
      </h2>
      <ErrorAlert error={submission.error} labels={labels} />
      <div className="row">
        <div className="col-12 col-md-3">
          <Field id="edit-status" label={labels.status} error={errors.status}>
            <select {...fieldA11y('edit-status', errors.status)} className={controlClass('form-select', errors.status)} value={form.status} onChange={set('status')}>
              {statuses.map((s) => (
                <option key={s} value={s}>
                  {t(`analyticsWork.actionStatus.${s}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {form.status === 'done' && action.status !== 'done' && (
          <div className="col-12 col-md-3">
            <Field id="edit-effective" label={labels.effectiveDate} error={errors.effectiveDate} hint={t('analyticsWork.actions.effectiveDateHint')}>
              <input type="date" {...fieldA11y('edit-effective', errors.effectiveDate, true)} className={controlClass('form-control', errors.effectiveDate)} value={form.effectiveDate} onChange={set('effectiveDate')} />
            </Field>
          </div>
        )}
        <div className="col-12 col-md-3">
          <Field id="edit-owner" label={labels.ownerUserId} error={errors.ownerUserId}>
            <select {...fieldA11y('edit-owner', errors.ownerUserId)} className={controlClass('form-select', errors.ownerUserId)} value={form.owner === 'keep' ? currentOwner : form.owner} onChange={set('owner')}>
              {currentOwner === 'keep' && <option value="keep">{t('analyticsWork.actions.ownerOther')}</option>}
              <OwnerOptions people={people} me={me} />
            </select>
          </Field>
        </div>
        <div className="col-12 col-md-3">
          <Field id="edit-due" label={labels.dueDate} error={errors.dueDate}>
            <input type="date" {...fieldA11y('edit-due', errors.dueDate)} className={controlClass('form-control', errors.dueDate)} value={form.dueDate} onChange={set('dueDate')} />
          </Field>
        </div>
      </div>
      <div>
        <button type="submit" className="btn btn-primary" disabled={submission.busy}>
          {t('analyticsWork.actions.save')}
        </button>
      </div>
    </form>
  );
}

/** The measured effect: the sentence, the verdict, and observed contacts against the forecast without the action. */
function EffectView({ effect, effectiveDate }: { effect: Effect; effectiveDate: string | null }) {
  const { t, locale } = useI18n();
  return (
    <div data-testid="action-effect">
      <p className="lead" data-testid="effect-sentence">
        {effectSentence(effect, t, locale)}
      </p>
      <p data-testid="effect-verdict">
        <strong>{verdictText(effect.verdict, t)}</strong>
      </p>
      <p className="small">
        {t('analyticsWork.actions.effectDays', { days: effect.comparedDays, through: formatDay(effect.observedThrough) })}
        {effect.withheldDays > 0 && <> {t('analyticsWork.actions.withheldDays', { count: effect.withheldDays })}</>}
      </p>
      <BandChart
        id="effect-chart"
        title={t('analyticsWork.actions.effectChart')}
        days={effect.days.map((d) => {
          const cell = observedCell(d, effect.observedThrough, t);
          return { date: d.date, observed: d.observed, expected: d.mean, lo80: d.lo80, hi80: d.hi80, ...(typeof cell === 'string' && { observedText: cell }) };
        })}
        mark={effectiveDate}
        markLabel={t('analyticsWork.actions.effectMark')}
        expectedLabel={t('analyticsWork.actions.forecast')}
      />
    </div>
  );
}
