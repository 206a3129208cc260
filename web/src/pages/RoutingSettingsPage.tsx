import { type FormEvent, useEffect, useState } from 'react';
import { type ApiRequestBody, type ApiResponseBody, client, requestHeaders, unwrap } from '../api/client.js';
import type { Membership } from '../api/types.js';
import { controlClass, DataTable, ErrorAlert, Field, fieldA11y, ForbiddenPage, HiddenHeading, Notice, Spinner } from '../components/ui.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { fieldErrorMessages, focusFirstInvalid } from '../lib/form-errors.js';
import { useApiGet, useSubmission } from '../lib/hooks.js';
import { Link } from '../lib/router.js';
import { hasRole, useSession } from '../lib/session.js';
import { canWatchWallboard } from './paths.js';

/** Where the network agreements (overflow included) are managed. */
const AGREEMENTS_PATH = '/admin';
const REFRESH_MS = 10_000;

const CHANNELS = ['phone', 'callback', 'chat', 'email', 'web'] as const;
type Channel = (typeof CHANNELS)[number];
/** The slots of a channel whose capacity is not set (routing-policy DEFAULT_CAPACITY). */
const DEFAULT_CAPACITY: Readonly<Record<Channel, number>> = { phone: 1, callback: 1, chat: 3, email: 6, web: 6 };
type Operator = ApiResponseBody<'/routing/offices/{officeId}/operators'>['items'][number];
type ProfileBody = ApiRequestBody<'/routing/operators/{userId}/profile', 'put'>;

type SettingsKey = 'maxQueue' | 'maxWaitSeconds' | 'offerTimeoutSeconds' | 'serviceLevelSeconds' | 'handleSeconds' | 'callbackAfterSeconds';
const SETTINGS_KEYS: readonly SettingsKey[] = ['maxQueue', 'maxWaitSeconds', 'offerTimeoutSeconds', 'serviceLevelSeconds', 'handleSeconds', 'callbackAfterSeconds'];
const NULLABLE: ReadonlySet<SettingsKey> = new Set(['maxQueue', 'maxWaitSeconds', 'callbackAfterSeconds']);
type SettingsForm = Record<SettingsKey, string> & { numbers: string };

/** The offices whose queues a user manages: the server's rule (routing.service mayManageQueue). */
export function managesQueue(memberships: readonly Membership[], office: { id: string; organisationId: string }): boolean {
  return memberships.some(
    (m) =>
      m.role === 'network_coordinator' ||
      (m.organisationId === office.organisationId && (m.role === 'org_admin' || (m.role === 'supervisor' && (m.officeId === null || m.officeId === office.id)))),
  );
}

const splitList = (text: string): string[] => [...new Set(text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean))];
const optionalInt = (text: string): number | null => (text.trim() === '' ? null : Number(text));

/**
 * The supervisors' queue and routing settings (issue 12): for one office, the queue thresholds and
 * dialled numbers, the operators' skills and capacity, the live queue, and the body's active
 * overflow agreements (managed on the administration page).
 */
export function RoutingSettingsPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const memberships = session?.memberships ?? [];
  const allowed = canWatchWallboard(memberships);
  const offices = useApiGet(allowed ? '/offices' : null);
  const [chosen, setChosen] = useState('');
  const managed = (offices.data?.items ?? []).filter((o) => managesQueue(memberships, o));
  const office = managed.find((o) => o.id === chosen) ?? managed[0];

  if (!allowed) {
    return <ForbiddenPage title={t('routingSettings.title')} message={t('routingSettings.forbidden')} />;
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('routingSettings.title')}</h1>
      <p>{t('routingSettings.intro')}</p>
      <ErrorAlert error={offices.error} />
      {offices.loading && !offices.data ? (
        <Spinner />
      ) : !office ? (
        <p>{t('routingSettings.noOffices')}</p>
      ) : (
        <>
          <div className="row">
            <div className="col-12 col-md-6">
              <Field id="rs-office" label={t('routingSettings.office')}>
                <select id="rs-office" className="form-select" value={office.id} onChange={(e) => setChosen(e.target.value)}>
                  {managed.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
          </div>
          <div key={office.id}>
            <QueueSettings officeId={office.id} />
            <Operators officeId={office.id} />
            <LiveQueue officeId={office.id} />
            <OverflowAgreements organisationId={office.organisationId} />
          </div>
        </>
      )}
    </section>
  );
}

function QueueSettings({ officeId }: { officeId: string }) {
  const { t, locale } = useI18n();
  const settings = useApiGet('/routing/offices/{officeId}/settings', { path: { officeId } });
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const save = useSubmission();

  useEffect(() => {
    const d = settings.data;
    if (!d) return;
    const value = (v: number | null) => (v === null ? '' : String(v));
    setForm({
      maxQueue: value(d.maxQueue),
      maxWaitSeconds: value(d.maxWaitSeconds),
      offerTimeoutSeconds: value(d.offerTimeoutSeconds),
      serviceLevelSeconds: value(d.serviceLevelSeconds),
      handleSeconds: value(d.handleSeconds),
      callbackAfterSeconds: value(d.callbackAfterSeconds),
      numbers: d.numbers.join('\n'),
    });
  }, [settings.data]);

  const labels: Record<string, string> = Object.fromEntries([...SETTINGS_KEYS, 'numbers' as const].map((k) => [k, t(`routingSettings.queue.${k}`)]));
  const rawErrors = fieldErrorMessages(save.error, locale);
  // The numbers' errors come per line (`numbers.0`): shown under the one text area.
  const errors: Record<string, string> = { ...rawErrors };
  const numberError = Object.entries(rawErrors).find(([k]) => k.startsWith('numbers'))?.[1];
  if (numberError) errors.numbers = numberError;
  const summaryLabels = { ...labels, ...Object.fromEntries(Object.keys(rawErrors).filter((k) => k.startsWith('numbers.')).map((k) => [k, labels.numbers ?? k])) };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form) return;
    setNotice(null);
    void save.run(async () => {
      try {
        const body = {
          maxQueue: optionalInt(form.maxQueue),
          maxWaitSeconds: optionalInt(form.maxWaitSeconds),
          offerTimeoutSeconds: Number(form.offerTimeoutSeconds),
          serviceLevelSeconds: Number(form.serviceLevelSeconds),
          handleSeconds: Number(form.handleSeconds),
          callbackAfterSeconds: optionalInt(form.callbackAfterSeconds),
          numbers: splitList(form.numbers).map((n) => n.replace(/[\s-]/g, '')),
        };
        const response = await unwrap(
          client.PUT('/routing/offices/{officeId}/settings', { params: { path: { officeId } }, body, headers: requestHeaders({ ifMatch: settings.etag }) }),
        );
        settings.setData(response.data, response.etag);
        setNotice(t('routingSettings.queue.saved'));
      } catch (err) {
        focusFirstInvalid();
        throw err;
      }
    });
  };

  const numberField = (key: SettingsKey) => {
    if (!form) return null;
    const id = `rs-${key}`;
    const required = !NULLABLE.has(key);
    return (
      <div className="col-12 col-md-6 col-lg-4" key={key}>
        <Field id={id} label={labels[key] ?? key} hint={t(`routingSettings.queue.${key}Hint`)} error={errors[key]} required={required}>
          <input
            {...fieldA11y(id, errors[key], true)}
            type="number"
            inputMode="numeric"
            min={0}
            required={required}
            className={controlClass('form-control', errors[key])}
            value={form[key]}
            onChange={(e) => setForm({ ...form, [key]: e.target.value })}
          />
        </Field>
      </div>
    );
  };

  return (
    <section aria-labelledby="rs-queue-title" className="mb-4" data-testid="rs-queue">
      <h2 id="rs-queue-title" className="h4">
        {t('routingSettings.queue.title')}
      </h2>
      <ErrorAlert error={settings.error} />
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={save.error} labels={summaryLabels} />
      {settings.loading && !settings.data ? (
        <Spinner />
      ) : (
        form && (
          <form onSubmit={submit} noValidate className="row">
            {SETTINGS_KEYS.map(numberField)}
            <div className="col-12 col-md-8">
              <Field id="rs-numbers" label={labels.numbers ?? 'numbers'} hint={t('routingSettings.queue.numbersHint')} error={errors.numbers}>
                <textarea
                  {...fieldA11y('rs-numbers', errors.numbers, true)}
                  rows={4}
                  className={controlClass('form-control', errors.numbers)}
                  value={form.numbers}
                  onChange={(e) => setForm({ ...form, numbers: e.target.value })}
                />
              </Field>
            </div>
            <div className="col-12">
              <button type="submit" className="btn btn-primary" disabled={save.busy}>
                {t('routingSettings.queue.save')}
              </button>
            </div>
          </form>
        )
      )}
    </section>
  );
}

function Operators({ officeId }: { officeId: string }) {
  const { t } = useI18n();
  const operators = useApiGet('/routing/offices/{officeId}/operators', { path: { officeId } });
  const [editing, setEditing] = useState<Operator | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const items = operators.data?.items ?? [];
  const channel = (c: string) => translateCode(t, 'routing.channel', c);
  const totalLoad = (o: Operator) => Object.values(o.load).reduce<number>((sum, n) => sum + (n ?? 0), 0);

  return (
    <section aria-labelledby="rs-operators-title" className="mb-4" data-testid="rs-operators">
      <h2 id="rs-operators-title" className="h4">
        {t('routingSettings.operators.title')}
      </h2>
      <p className="small text-muted">{t('routingSettings.operators.intro')}</p>
      <ErrorAlert error={operators.error} />
      <Notice text={notice} onClose={() => setNotice(null)} />
      {operators.loading && !operators.data ? (
        <Spinner />
      ) : items.length === 0 ? (
        <p>{t('routingSettings.operators.empty')}</p>
      ) : (
        <DataTable
          caption={t('routingSettings.operators.caption')}
          className="table-sm"
          columns={[
            t('routingSettings.operators.name'),
            t('routingSettings.operators.presence'),
            t('routingSettings.operators.load'),
            t('routingSettings.operators.channels'),
            t('routingSettings.operators.extension'),
            <HiddenHeading key="actions">{t('routingSettings.operators.actions')}</HiddenHeading>,
          ]}
        >
          {items.map((o) => (
            <tr key={o.userId} data-operator={o.userId}>
              <td>{o.name}</td>
              <td>{translateCode(t, 'routing.presence', o.presence)}</td>
              <td data-col="load">{totalLoad(o)}</td>
              <td data-col="channels">
                {o.channels.length === 0 && `${t('routingSettings.operators.allChannels')}: `}
                {(o.channels.length ? o.channels : CHANNELS).map((c) => `${channel(c)} (${o.capacity[c as Channel] ?? DEFAULT_CAPACITY[c as Channel]})`).join(', ')}
              </td>
              <td data-col="extension">{o.extension ?? t('routingSettings.none')}</td>
              <td>
                <button
                  type="button"
                  className="btn btn-outline-primary btn-sm"
                  aria-label={t('routingSettings.operators.editOf', { name: o.name })}
                  aria-expanded={editing?.userId === o.userId}
                  onClick={() => {
                    setNotice(null);
                    setEditing(editing?.userId === o.userId ? null : o);
                  }}
                >
                  {t('routingSettings.operators.edit')}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {editing && (
        <ProfileForm
          key={editing.userId}
          officeId={officeId}
          operator={editing}
          onCancel={() => setEditing(null)}
          onSaved={async () => {
            setNotice(t('routingSettings.profile.saved', { name: editing.name }));
            setEditing(null);
            await operators.reload();
          }}
        />
      )}
    </section>
  );
}

function ProfileForm({ officeId, operator, onCancel, onSaved }: { officeId: string; operator: Operator; onCancel: () => void; onSaved: () => Promise<void> }) {
  const { t, locale } = useI18n();
  const [topics, setTopics] = useState(operator.topics.join(', '));
  const [languages, setLanguages] = useState(operator.languages.join(', '));
  const [channels, setChannels] = useState<Channel[]>(operator.channels as Channel[]);
  const [capacity, setCapacity] = useState<Record<Channel, string>>(
    () => Object.fromEntries(CHANNELS.map((c) => [c, String(operator.capacity[c] ?? DEFAULT_CAPACITY[c])])) as Record<Channel, string>,
  );
  const [extension, setExtension] = useState(operator.extension ?? '');
  const save = useSubmission();
  const errors = fieldErrorMessages(save.error, locale);
  const firstError = (prefix: string) => Object.entries(errors).find(([k]) => k === prefix || k.startsWith(`${prefix}.`))?.[1];
  const labels: Record<string, string> = {
    topics: t('routingSettings.profile.topics'),
    languages: t('routingSettings.profile.languages'),
    channels: t('routingSettings.profile.channels'),
    extension: t('routingSettings.profile.extension'),
    ...Object.fromEntries(CHANNELS.map((c) => [`capacity.${c}`, t('routingSettings.profile.capacity', { channel: translateCode(t, 'routing.channel', c) })])),
  };
  const base = `rs-profile-${operator.userId}`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run(async () => {
      try {
        const body: ProfileBody = {
          officeId,
          topics: splitList(topics),
          languages: splitList(languages).map((l) => l.toLowerCase()),
          channels,
          capacity: Object.fromEntries(CHANNELS.filter((c) => capacity[c].trim() !== '').map((c) => [c, Number(capacity[c])])),
          extension: extension.trim() === '' ? null : extension.trim(),
        };
        await unwrap(client.PUT('/routing/operators/{userId}/profile', { params: { path: { userId: operator.userId } }, body }));
        await onSaved();
      } catch (err) {
        focusFirstInvalid();
        throw err;
      }
    });
  };

  const text = (key: 'topics' | 'languages' | 'extension', value: string, set: (v: string) => void, hint: string) => {
    const id = `${base}-${key}`;
    const error = firstError(key);
    return (
      <div className="col-12 col-md-4">
        <Field id={id} label={labels[key] ?? key} hint={hint} error={error}>
          <input {...fieldA11y(id, error, true)} className={controlClass('form-control', error)} value={value} onChange={(e) => set(e.target.value)} />
        </Field>
      </div>
    );
  };

  return (
    <form onSubmit={submit} noValidate className="border rounded p-3 mt-3" aria-labelledby={`${base}-title`} data-testid="rs-profile-form">
      <h3 id={`${base}-title`} className="h5">
        {t('routingSettings.profile.title', { name: operator.name })}
      </h3>
      <ErrorAlert error={save.error} labels={labels} />
      <div className="row">
        {text('topics', topics, setTopics, t('routingSettings.profile.topicsHint'))}
        {text('languages', languages, setLanguages, t('routingSettings.profile.languagesHint'))}
        {text('extension', extension, setExtension, t('routingSettings.profile.extensionHint'))}
      </div>
      <fieldset className="mb-3">
        <legend className="form-label fw-semibold fs-6">{labels.channels}</legend>
        <p className="form-text mt-0">{t('routingSettings.profile.channelsHint')}</p>
        <div className="row">
          {CHANNELS.map((c) => {
            const capId = `${base}-capacity-${c}`;
            const capError = errors[`capacity.${c}`];
            return (
              <div key={c} className="col-12 col-md-6 col-lg-4 mb-2">
                <div className="form-check">
                  <input
                    id={`${base}-channel-${c}`}
                    type="checkbox"
                    className="form-check-input"
                    checked={channels.includes(c)}
                    onChange={(e) => setChannels(e.target.checked ? CHANNELS.filter((x) => x === c || channels.includes(x)) : channels.filter((x) => x !== c))}
                  />
                  <label htmlFor={`${base}-channel-${c}`} className="form-check-label">
                    {translateCode(t, 'routing.channel', c)}
                  </label>
                </div>
                <label htmlFor={capId} className="form-label small mb-0">
                  {labels[`capacity.${c}`]}
                </label>
                <input
                  {...fieldA11y(capId, capError)}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={50}
                  className={controlClass('form-control form-control-sm', capError)}
                  value={capacity[c]}
                  onChange={(e) => setCapacity({ ...capacity, [c]: e.target.value })}
                />
                {capError && (
                  <div id={`${capId}-error`} className="invalid-feedback d-block">
                    {capError}
                  </div>
                )}
              </div>
            );
          })}
        </div>
      </fieldset>
      <div className="d-flex gap-2">
        <button type="submit" className="btn btn-primary" disabled={save.busy}>
          {t('routingSettings.profile.save')}
        </button>
        <button type="button" className="btn btn-outline-secondary" onClick={onCancel}>
          {t('routingSettings.profile.cancel')}
        </button>
      </div>
    </form>
  );
}

function waited(from: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - new Date(from).getTime()) / 1000));
  const m = Math.floor(seconds / 60);
  return `${m}:${String(seconds % 60).padStart(2, '0')}`;
}

function LiveQueue({ officeId }: { officeId: string }) {
  const { t } = useI18n();
  const queue = useApiGet('/routing/queue', { query: { officeId } });
  const [notice, setNotice] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const remove = useSubmission();
  const { reload } = queue;

  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
      void reload();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const items = queue.data?.items ?? [];
  const removeItem = (id: string) => {
    setNotice(null);
    void remove.run(async () => {
      await unwrap(client.DELETE('/routing/items/{id}', { params: { path: { id } } }));
      setNotice(t('routingSettings.live.removed'));
      setNow(Date.now());
      await reload();
    });
  };

  return (
    <section aria-labelledby="rs-live-title" className="mb-4" data-testid="rs-live">
      <div className="d-flex align-items-center gap-3">
        <h2 id="rs-live-title" className="h4">
          {t('routingSettings.live.title')}
        </h2>
        <button
          type="button"
          className="btn btn-outline-secondary btn-sm mb-2"
          onClick={() => {
            setNow(Date.now());
            void reload();
          }}
        >
          {t('routingSettings.live.refresh')}
        </button>
      </div>
      <ErrorAlert error={queue.error} />
      <ErrorAlert error={remove.error} onClose={() => remove.setError(null)} />
      <Notice text={notice} onClose={() => setNotice(null)} />
      {queue.loading && !queue.data ? (
        <Spinner />
      ) : items.length === 0 ? (
        <p>{t('routingSettings.live.empty')}</p>
      ) : (
        <DataTable
          caption={t('routingSettings.live.caption')}
          className="table-sm"
          columns={[
            t('routingSettings.live.channel'),
            t('routingSettings.live.subject'),
            t('routingSettings.live.waited'),
            t('routingSettings.live.status'),
            <HiddenHeading key="actions">{t('routingSettings.live.actions')}</HiddenHeading>,
          ]}
        >
          {items.map((item) => {
            const subject = item.subject ?? t('routing.noSubject');
            return (
              <tr key={item.id} data-item={item.id}>
                <td>{translateCode(t, 'routing.channel', item.channel)}</td>
                <td>{subject}</td>
                <td>{waited(item.enqueuedAt, Math.max(now, Date.now() - REFRESH_MS))}</td>
                <td>{translateCode(t, 'routingSettings.live.status', item.status)}</td>
                <td>
                  {item.status === 'waiting' && (
                    <button type="button" className="btn btn-outline-danger btn-sm" disabled={remove.busy} aria-label={t('routingSettings.live.removeOf', { subject })} onClick={() => removeItem(item.id)}>
                      {t('routingSettings.live.remove')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </section>
  );
}

function OverflowAgreements({ organisationId }: { organisationId: string }) {
  const { t } = useI18n();
  const { session } = useSession();
  const agreements = useApiGet('/agreements');
  const admin = hasRole(session?.memberships ?? [], ['org_admin', 'network_coordinator']);
  const active = (agreements.data?.items ?? []).filter(
    (a) => a.status === 'active' && a.kinds.includes('overflow') && a.overflow !== null && (a.fromOrganisationId === organisationId || a.toOrganisationId === organisationId),
  );

  return (
    <section aria-labelledby="rs-overflow-title" className="mb-4" data-testid="rs-overflow">
      <h2 id="rs-overflow-title" className="h4">
        {t('routingSettings.overflow.title')}
      </h2>
      <p className="small text-muted">
        {t('routingSettings.overflow.intro')} {admin && <Link href={AGREEMENTS_PATH}>{t('routingSettings.overflow.link')}</Link>}
      </p>
      <ErrorAlert error={agreements.error} />
      {agreements.loading && !agreements.data ? (
        <Spinner />
      ) : active.length === 0 ? (
        <p>{t('routingSettings.overflow.empty')}</p>
      ) : (
        <DataTable
          caption={t('routingSettings.overflow.caption')}
          className="table-sm"
          columns={[t('routingSettings.overflow.partner'), t('routingSettings.overflow.direction'), t('routingSettings.overflow.afterSeconds'), t('routingSettings.overflow.cap'), t('routingSettings.overflow.when')]}
        >
          {active.map((a) => {
            const outgoing = a.fromOrganisationId === organisationId;
            return (
              <tr key={a.id}>
                <td>{outgoing ? a.toOrganisationName : a.fromOrganisationName}</td>
                <td>{t(outgoing ? 'routingSettings.overflow.outgoing' : 'routingSettings.overflow.incoming')}</td>
                <td>{t('routingSettings.seconds', { value: a.overflow?.afterSeconds ?? 0 })}</td>
                <td>{a.overflow?.cap ?? t('routingSettings.overflow.noCap')}</td>
                <td>{(a.overflow?.when ?? []).map((w) => translateCode(t, 'routingSettings.overflow.when', w)).join(', ')}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </section>
  );
}
