import { type FormEvent, useEffect, useState } from 'react';
import { client, fieldErrors, unwrap } from '../api/client.js';
import { type AdminUser, type Closure, type Locale, type Office, type OfficeCalendar, type Organisation, ROLES, type Role, WEEKDAYS, type Weekday } from '../api/types.js';
import { AgreementsSection, CompetencesEditor } from '../components/AdminNetwork.js';
import { InvitationsSection, PendingInvitations } from '../components/Invitations.js';
import { NetworkBodies } from '../components/NetworkBodies.js';
import { Alert, controlClass, DataTable, ErrorAlert, Field, fieldA11y, HiddenHeading, Icon, Notice, Spinner } from '../components/ui.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { invalidClosures, invalidShifts, normaliseCalendar } from '../lib/calendar.js';
import { useApiGet, useSubmission } from '../lib/hooks.js';
import { ADMIN_ROLES, hasRole, ORGANISATION_WIDE_ROLES, useSession } from '../lib/session.js';

export function AdminPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const allowed = hasRole(session?.memberships ?? [], ADMIN_ROLES);
  const orgs = useApiGet(allowed ? '/organisations' : null);
  const [orgId, setOrgId] = useState('');
  const organisations = orgs.data?.items ?? [];
  // Start from the organisation the user administers, not from the top of the network's list.
  const ownOrgId = session?.memberships.find((m) => ADMIN_ROLES.includes(m.role))?.organisationId;
  const currentOrgId = orgId || organisations.find((o) => o.id === ownOrgId)?.id || organisations[0]?.id || '';
  // The coordinator sees the network's bodies and takes them out of it, or back in (never its own).
  const coordinatingId = session?.memberships.find((m) => m.role === 'network_coordinator')?.organisationId;
  const coordinator = coordinatingId !== undefined;

  if (!allowed) {
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title">{t('admin.title')}</h1>
        <PendingInvitations />
        <p className="alert alert-warning" role="alert">
          {t('admin.forbidden')}
        </p>
      </section>
    );
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('admin.title')}</h1>
      <PendingInvitations />
      <ErrorAlert error={orgs.error} />
      {orgs.loading && !orgs.data ? (
        <Spinner />
      ) : (
        <div className="row">
          <div className="col-12 col-lg-4 mb-4">
            <Field id="admin-org" label={t('admin.organisation')}>
              <select id="admin-org" className="form-select" value={currentOrgId} onChange={(e) => setOrgId(e.target.value)}>
                {organisations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </Field>
            {organisations
              .filter((o) => o.id === currentOrgId)
              .map((o) => (
                <dl key={o.id} className="compact-dl small">
                  <div>
                    <dt>{t('admin.col.type')}</dt>
                    <dd>{o.type}</dd>
                  </div>
                  <div>
                    <dt>{t('admin.col.codes')}</dt>
                    <dd>
                      {o.ipaCode ?? '—'} / {o.istatCode ?? '—'}
                    </dd>
                  </div>
                </dl>
              ))}
          </div>
          <div className="col-12 col-lg-8">{currentOrgId && <OrganisationAdmin key={currentOrgId} organisationId={currentOrgId} organisations={organisations} />}</div>
        </div>
      )}
      {coordinator && orgs.data && <NetworkBodies organisations={organisations} coordinatingId={coordinatingId} onChanged={orgs.reload} />}
    </section>
  );
}

function OrganisationAdmin({ organisationId, organisations }: { organisationId: string; organisations: Organisation[] }) {
  const { t } = useI18n();
  const offices = useApiGet('/organisations/{id}/offices', { path: { id: organisationId } });
  const users = useApiGet('/users', { query: { organisationId } });
  const [editing, setEditing] = useState<string | null>(null);
  const [competencesOf, setCompetencesOf] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const officeName = (id: string | null) => (id ? (offices.data?.items.find((o) => o.id === id)?.name ?? id) : t('admin.wholeOrganisation'));

  const revoke = async (user: AdminUser, roleId: string) => {
    setError(null);
    try {
      await unwrap(client.DELETE('/users/{id}/roles/{roleId}', { params: { path: { id: user.id, roleId } } }));
      await users.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={error ?? offices.error ?? users.error} onClose={() => setError(null)} />
      <h2 className="h3">{t('admin.offices')}</h2>
      {!offices.data ? (
        <Spinner />
      ) : (
        <DataTable
          caption={t('admin.offices')}
          wrapperClassName="mb-4"
          columns={[t('admin.col.name'), t('admin.col.contacts'), t('admin.col.channels'), <HiddenHeading key="hours">{t('admin.hours')}</HiddenHeading>]}
        >
          {offices.data.items.map((office) => (
            <tr key={office.id}>
              <td>
                <strong>{office.name}</strong>
                <div className="small text-muted">{office.kind}</div>
              </td>
              <td className="small">
                {office.email && <div>{office.email}</div>}
                {office.pec && <div>PEC: {office.pec}</div>}
                {office.phone && <div>{office.phone}</div>}
              </td>
              <td className="small">{office.channels.join(', ')}</td>
              <td>
                <button
                  type="button"
                  className="btn btn-outline-primary btn-sm"
                  aria-expanded={editing === office.id}
                  onClick={() => setEditing(editing === office.id ? null : office.id)}
                >
                  <Icon name="clock" size="sm" className="icon-primary me-1" />
                  {t('admin.hours')}
                  <span className="visually-hidden"> – {office.name}</span>
                </button>
                <button
                  type="button"
                  className="btn btn-outline-primary btn-sm mt-1"
                  aria-expanded={competencesOf === office.id}
                  onClick={() => setCompetencesOf(competencesOf === office.id ? null : office.id)}
                >
                  <Icon name="map-marker" size="sm" className="icon-primary me-1" />
                  {t('admin.competences')}
                  <span className="visually-hidden"> – {office.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {editing && offices.data?.items.some((o) => o.id === editing) && (
        <HoursEditor
          key={editing}
          office={offices.data.items.find((o) => o.id === editing) as Office}
          onSaved={async () => {
            setNotice(t('admin.hours.saved'));
            setEditing(null);
            await offices.reload();
          }}
        />
      )}

      {competencesOf && offices.data?.items.some((o) => o.id === competencesOf) && (
        <CompetencesEditor
          key={competencesOf}
          office={offices.data.items.find((o) => o.id === competencesOf) as Office}
          onSaved={() => {
            setNotice(t('admin.competences.saved'));
          }}
        />
      )}

      <h2 className="h3 mt-4">{t('admin.users')}</h2>
      {!users.data ? (
        <Spinner />
      ) : users.data.items.length === 0 ? (
        <p>{t('admin.noUsers')}</p>
      ) : (
        <DataTable caption={t('admin.users')} wrapperClassName="mb-4" columns={[t('admin.col.name'), t('admin.col.email'), t('admin.col.roles')]}>
          {users.data.items.map((user) => (
            <tr key={user.id}>
              <td>{user.name}</td>
              <td className="small">{user.email}</td>
              <td className="small">
                <ul className="list-unstyled mb-0">
                  {user.roles.map((r, i) => (
                    <li key={r.id ?? i}>
                      {translateCode(t, 'role', r.role)} · {officeName(r.officeId)}
                      {r.id && (
                        <button type="button" className="btn btn-link btn-sm p-0 ms-2" onClick={() => void revoke(user, r.id as string)}>
                          <Icon name="close" size="sm" className="icon-primary" />
                          <span className="visually-hidden">{t('admin.revokeRole', { role: translateCode(t, 'role', r.role) })}</span>
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <div className="row">
        <div className="col-12 col-xl-6">
          <CreateUserForm
            organisationId={organisationId}
            offices={offices.data?.items ?? []}
            onCreated={async (name) => {
              setNotice(t('admin.user.created', { name }));
              await users.reload();
            }}
          />
        </div>
        <div className="col-12 col-xl-6">
          <GrantRoleForm
            organisationId={organisationId}
            users={users.data?.items ?? []}
            offices={offices.data?.items ?? []}
            onGranted={async () => {
              setNotice(t('admin.grant.done'));
              await users.reload();
            }}
          />
        </div>
      </div>
      <InvitationsSection organisationId={organisationId} offices={offices.data?.items ?? []} />
      <AgreementsSection organisationId={organisationId} organisations={organisations} />
    </>
  );
}

/** A new account of this organisation, with its first role here (the organisation that creates an account manages it). */
function CreateUserForm({ organisationId, offices, onCreated }: { organisationId: string; offices: Office[]; onCreated: (name: string) => Promise<void> }) {
  const { t } = useI18n();
  const [form, setForm] = useState<{ name: string; email: string; password: string; locale: Locale }>({ name: '', email: '', password: '', locale: 'it' });
  const [role, setRole] = useState<Role>('operator');
  const [officeId, setOfficeId] = useState('');
  const { busy, error, run } = useSubmission();
  const errors = fieldErrors(error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const wholeOrganisation = ORGANISATION_WIDE_ROLES.includes(role);
      await unwrap(
        client.POST('/users', {
          body: { ...form, email: form.email.trim(), name: form.name.trim(), roles: [{ role, organisationId, ...(officeId && !wholeOrganisation ? { officeId } : {}) }] },
        }),
      );
      const name = form.name;
      setForm({ name: '', email: '', password: '', locale: form.locale });
      await onCreated(name);
    });
  };

  return (
    <form className="card card-bg shadow-sm p-3 mb-4" onSubmit={submit} aria-labelledby="create-user-title" noValidate>
      <h3 id="create-user-title" className="h5">
        {t('admin.createUser')}
      </h3>
      <ErrorAlert error={error} />
      <Field id="new-user-name" label={t('admin.user.name')} error={errors.name} required>
        <input className={controlClass('form-control', errors.name)} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required {...fieldA11y('new-user-name', errors.name)} />
      </Field>
      <Field id="new-user-email" label={t('admin.user.email')} error={errors.email} required>
        <input type="email" className={controlClass('form-control', errors.email)} value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} required {...fieldA11y('new-user-email', errors.email)} />
      </Field>
      <Field id="new-user-password" label={t('admin.user.password')} error={errors.password} required>
        <input type="password" autoComplete="new-password" className={controlClass('form-control', errors.password)} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} required {...fieldA11y('new-user-password', errors.password)} />
      </Field>
      <Field id="new-user-role" label={t('admin.grant.role')} required>
        <select id="new-user-role" className="form-select" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.filter((r) => r !== 'network_coordinator').map((r) => (
            <option key={r} value={r}>
              {translateCode(t, 'role', r)}
            </option>
          ))}
        </select>
      </Field>
      <Field id="new-user-office" label={t('admin.grant.office')}>
        <select id="new-user-office" className="form-select" value={officeId} onChange={(e) => setOfficeId(e.target.value)}>
          <option value="">{t('admin.wholeOrganisation')}</option>
          {offices.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="new-user-locale" label={t('admin.user.locale')}>
        <select id="new-user-locale" className="form-select" value={form.locale} onChange={(e) => setForm({ ...form, locale: e.target.value as Locale })}>
          <option value="it">{t('app.language.it')}</option>
          <option value="en">{t('app.language.en')}</option>
        </select>
      </Field>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {t('admin.createUser')}
      </button>
    </form>
  );
}

function GrantRoleForm({ organisationId, users, offices, onGranted }: { organisationId: string; users: AdminUser[]; offices: Office[]; onGranted: () => Promise<void> }) {
  const { t } = useI18n();
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [officeId, setOfficeId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const errors = fieldErrors(error);

  useEffect(() => {
    if (!userId && users[0]) setUserId(users[0].id);
  }, [users, userId]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await unwrap(client.POST('/users/{id}/roles', { params: { path: { id: userId } }, body: { role, organisationId, ...(officeId ? { officeId } : {}) } }));
      await onGranted();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <form className="card card-bg shadow-sm p-3 mb-4" onSubmit={submit} aria-labelledby="grant-role-title">
      <h3 id="grant-role-title" className="h5">
        {t('admin.grantRole')}
      </h3>
      <ErrorAlert error={error} />
      <Field id="grant-user" label={t('admin.grant.user')} required>
        <select id="grant-user" className="form-select" value={userId} onChange={(e) => setUserId(e.target.value)}>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({u.email})
            </option>
          ))}
        </select>
      </Field>
      <Field id="grant-role" label={t('admin.grant.role')} error={errors.role} required>
        <select className={controlClass('form-select', errors.role)} value={role} onChange={(e) => setRole(e.target.value as Role)} {...fieldA11y('grant-role', errors.role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {translateCode(t, 'role', r)}
            </option>
          ))}
        </select>
      </Field>
      <Field id="grant-office" label={t('admin.grant.office')} error={errors.officeId}>
        <select className={controlClass('form-select', errors.officeId)} value={officeId} onChange={(e) => setOfficeId(e.target.value)} {...fieldA11y('grant-office', errors.officeId)}>
          <option value="">{t('admin.wholeOrganisation')}</option>
          {offices.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" className="btn btn-primary" disabled={!userId}>
        {t('admin.grant.submit')}
      </button>
    </form>
  );
}

function HoursEditor({ office, onSaved }: { office: Office; onSaved: () => Promise<void> }) {
  const { t } = useI18n();
  const [calendar, setCalendar] = useState<OfficeCalendar>(() => ({
    timeZone: office.calendar?.timeZone ?? 'Europe/Rome',
    weekly: structuredClone(office.calendar?.weekly ?? {}),
    closures: structuredClone(office.calendar?.closures ?? []),
  }));
  const [error, setError] = useState<unknown>(null);
  const [invalid, setInvalid] = useState(false);
  const badShifts = invalidShifts(calendar.weekly);
  const badClosures = invalidClosures(calendar.closures);

  const setShift = (day: Weekday, index: number, key: 'open' | 'close', value: string) =>
    setCalendar((c) => ({ ...c, weekly: { ...c.weekly, [day]: (c.weekly[day] ?? []).map((s, i) => (i === index ? { ...s, [key]: value } : s)) } }));
  const addShift = (day: Weekday) =>
    setCalendar((c) => {
      const shifts = c.weekly[day] ?? [];
      const next = shifts.length === 0 ? { open: '09:00', close: '13:00' } : { open: '14:30', close: '17:00' };
      return { ...c, weekly: { ...c.weekly, [day]: [...shifts, next] } };
    });
  const removeShift = (day: Weekday, index: number) =>
    setCalendar((c) => ({ ...c, weekly: { ...c.weekly, [day]: (c.weekly[day] ?? []).filter((_, i) => i !== index) } }));
  const setClosure = (index: number, patch: Partial<Closure>) =>
    setCalendar((c) => ({ ...c, closures: c.closures.map((x, i) => (i === index ? { ...x, ...patch } : x)) }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (Object.keys(badShifts).length || badClosures.length) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    try {
      await unwrap(client.PATCH('/offices/{id}', { params: { path: { id: office.id } }, body: { calendar: normaliseCalendar(calendar) } }));
      await onSaved();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <form className="card card-bg shadow-sm p-3 mb-4 hours-editor" onSubmit={save} aria-labelledby="hours-title" noValidate>
      <h3 id="hours-title" className="h5">
        {t('admin.hours')} – {office.name}
      </h3>
      {invalid && <Alert kind="danger">{t('admin.hours.invalid')}</Alert>}
      <ErrorAlert error={error} />
      {WEEKDAYS.map((day) => {
        const shifts = calendar.weekly[day] ?? [];
        const dayLabel = t(`weekday.${day}`);
        return (
          <fieldset key={day} className="border-bottom py-2">
            <legend className="fs-6 fw-semibold mb-1">{dayLabel}</legend>
            {shifts.length === 0 && <span className="text-muted small me-3">{t('admin.hours.closed')}</span>}
            {shifts.map((shift, index) => {
              const bad = badShifts[day]?.includes(index);
              const base = `hours-${day}-${index}`;
              return (
                <div key={index} className="d-flex flex-wrap align-items-end gap-2 mb-2">
                  <div>
                    <label htmlFor={`${base}-open`} className="small">
                      {t('admin.hours.open')} <span className="visually-hidden">{`${dayLabel} ${index + 1}`}</span>
                    </label>
                    <input id={`${base}-open`} type="time" className={controlClass('form-control form-control-sm', bad ? 'x' : undefined)} aria-invalid={bad || undefined} value={shift.open} onChange={(e) => setShift(day, index, 'open', e.target.value)} />
                  </div>
                  <div>
                    <label htmlFor={`${base}-close`} className="small">
                      {t('admin.hours.close')} <span className="visually-hidden">{`${dayLabel} ${index + 1}`}</span>
                    </label>
                    <input id={`${base}-close`} type="time" className={controlClass('form-control form-control-sm', bad ? 'x' : undefined)} aria-invalid={bad || undefined} value={shift.close} onChange={(e) => setShift(day, index, 'close', e.target.value)} />
                  </div>
                  <button type="button" className="btn btn-link btn-sm" onClick={() => removeShift(day, index)} aria-label={t('admin.hours.removeShift', { n: index + 1, day: dayLabel })}>
                    <Icon name="delete" size="sm" className="icon-primary" />
                  </button>
                </div>
              );
            })}
            <button type="button" className="btn btn-outline-primary btn-xs btn-sm" onClick={() => addShift(day)}>
              {t('admin.hours.addShift')} <span className="visually-hidden">– {dayLabel}</span>
            </button>
          </fieldset>
        );
      })}
      <h4 className="h6 mt-3">{t('admin.hours.closures')}</h4>
      {calendar.closures.length === 0 && <p className="small text-muted">{t('admin.hours.noClosures')}</p>}
      {calendar.closures.map((closure, index) => {
        const bad = badClosures.includes(index) ? 'x' : undefined;
        return (
          <div key={index} className="d-flex flex-wrap align-items-end gap-2 mb-2">
            <div>
              <label htmlFor={`closure-${index}-from`} className="small">
                {t('admin.hours.from')}
              </label>
              <input id={`closure-${index}-from`} type="date" className={controlClass('form-control form-control-sm', bad)} aria-invalid={bad ? true : undefined} value={closure.from} onChange={(e) => setClosure(index, { from: e.target.value })} />
            </div>
            <div>
              <label htmlFor={`closure-${index}-to`} className="small">
                {t('admin.hours.to')}
              </label>
              <input id={`closure-${index}-to`} type="date" className={controlClass('form-control form-control-sm', bad)} aria-invalid={bad ? true : undefined} value={closure.to} onChange={(e) => setClosure(index, { to: e.target.value })} />
            </div>
            <div className="flex-grow-1">
              <label htmlFor={`closure-${index}-reason`} className="small">
                {t('admin.hours.reason')}
              </label>
              <input id={`closure-${index}-reason`} className="form-control form-control-sm" value={closure.reason ?? ''} onChange={(e) => setClosure(index, { reason: e.target.value })} />
            </div>
            <button
              type="button"
              className="btn btn-link btn-sm"
              onClick={() => setCalendar((c) => ({ ...c, closures: c.closures.filter((_, i) => i !== index) }))}
              aria-label={t('admin.hours.removeClosure', { n: index + 1 })}
            >
              <Icon name="delete" size="sm" className="icon-primary" />
            </button>
          </div>
        );
      })}
      <div className="d-flex gap-2 mt-2">
        <button
          type="button"
          className="btn btn-outline-primary btn-sm"
          onClick={() => setCalendar((c) => ({ ...c, closures: [...c.closures, { from: '', to: '', reason: '' }] }))}
        >
          {t('admin.hours.addClosure')}
        </button>
        <button type="submit" className="btn btn-primary btn-sm ms-auto">
          {t('app.save')}
        </button>
      </div>
    </form>
  );
}
