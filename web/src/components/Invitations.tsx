import { type FormEvent, useState } from 'react';
import { type ApiRequestBody, type ApiResponseBody, client, fieldErrors, newIdempotencyKey, requestHeaders, unwrap } from '../api/client.js';
import type { Office } from '../api/types.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { useApiGet, useSubmission } from '../lib/hooks.js';
import { ORGANISATION_WIDE_ROLES, useSession } from '../lib/session.js';
import { controlClass, DataTable, ErrorAlert, Field, fieldA11y, HiddenHeading, Notice } from './ui.js';

/** An invitation as `/api/v1/organisations/{id}/invitations` and `/api/v1/me/invitations` return it. */
export type Invitation = ApiResponseBody<'/me/invitations'>['items'][number];

/** Roles an organisation may invite to (a network coordinator is never invited). */
type InvitableRole = ApiRequestBody<'/organisations/{id}/invitations', 'post'>['role'];
const INVITABLE_ROLES: readonly InvitableRole[] = ['operator', 'back_office', 'supervisor', 'org_admin', 'analyst'];

/**
 * The signed-in user's pending invitations to other bodies, to accept or decline. Renders nothing
 * when there are none, so it can sit at the top of any page.
 */
export function PendingInvitations() {
  const { t, fmt } = useI18n();
  const { refresh } = useSession();
  const invitations = useApiGet('/me/invitations');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const answer = async (invitation: Invitation, choice: 'accept' | 'decline') => {
    setError(null);
    setBusy(invitation.id);
    try {
      const params = { path: { id: invitation.id } };
      await unwrap(choice === 'accept' ? client.POST('/me/invitations/{id}/accept', { params }) : client.POST('/me/invitations/{id}/decline', { params }));
      setNotice(t(choice === 'accept' ? 'invitations.mine.accepted' : 'invitations.mine.declined', { organisation: invitation.organisationName }));
      await invitations.reload();
      if (choice === 'accept') await refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const items = invitations.data?.items ?? [];
  if (items.length === 0 && !notice && !error) return null;
  return (
    <section className="card card-bg shadow-sm p-3 mb-4" aria-labelledby="my-invitations-title">
      <h2 id="my-invitations-title" className="h5">
        {t('invitations.mine.title')}
      </h2>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <ul className="list-unstyled mb-0">
        {items.map((i) => (
          <li key={i.id} className="d-flex flex-wrap align-items-center gap-2 mb-2">
            <span>
              {t('invitations.mine.text', {
                organisation: i.organisationName,
                role: translateCode(t, 'role', i.role),
                office: i.officeName ? t('invitations.mine.office', { office: i.officeName }) : '',
                by: i.invitedByName ?? '—',
                date: fmt(i.createdAt, 'date'),
              })}
            </span>
            <button type="button" className="btn btn-primary btn-sm" disabled={busy === i.id} onClick={() => void answer(i, 'accept')}>
              {t('invitations.mine.accept')}
              <span className="visually-hidden"> – {i.organisationName}</span>
            </button>
            <button type="button" className="btn btn-outline-secondary btn-sm" disabled={busy === i.id} onClick={() => void answer(i, 'decline')}>
              {t('invitations.mine.decline')}
              <span className="visually-hidden"> – {i.organisationName}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The organisation's invitations, with a form to invite someone by e-mail and a way to withdraw a pending one. */
export function InvitationsSection({ organisationId, offices }: { organisationId: string; offices: Office[] }) {
  const { t } = useI18n();
  const params = { path: { id: organisationId } };
  const invitations = useApiGet('/organisations/{id}/invitations', params);
  const [form, setForm] = useState<{ email: string; role: InvitableRole; officeId: string }>({ email: '', role: 'operator', officeId: '' });
  const [key, setKey] = useState(newIdempotencyKey);
  const [notice, setNotice] = useState<string | null>(null);
  const { busy, error, setError, run } = useSubmission();
  const errors = fieldErrors(error);
  const wholeOrganisation = ORGANISATION_WIDE_ROLES.includes(form.role);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const email = form.email.trim();
      await unwrap(
        client.POST('/organisations/{id}/invitations', {
          params,
          body: { email, role: form.role, ...(form.officeId && !wholeOrganisation ? { officeId: form.officeId } : {}) },
          headers: requestHeaders({ idempotencyKey: key }),
        }),
      );
      setNotice(t('invitations.admin.sent', { email }));
      setForm({ ...form, email: '' });
      setKey(newIdempotencyKey());
      await invitations.reload();
    });
  };

  const revoke = async (invitation: Invitation) => {
    setError(null);
    try {
      await unwrap(client.DELETE('/invitations/{id}', { params: { path: { id: invitation.id } } }));
      await invitations.reload();
    } catch (err) {
      setError(err);
    }
  };

  const items = invitations.data?.items ?? [];
  return (
    <section aria-labelledby="invitations-title" className="mb-4">
      <h2 id="invitations-title" className="h3 mt-4">
        {t('invitations.admin.title')}
      </h2>
      <p className="small text-muted">{t('invitations.admin.hint')}</p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={error ?? invitations.error} onClose={() => setError(null)} />
      {items.length === 0 ? (
        <p>{t('invitations.admin.none')}</p>
      ) : (
        <DataTable caption={t('invitations.admin.title')} wrapperClassName="mb-3" columns={[t('invitations.admin.col.email'), t('invitations.admin.col.role'), t('invitations.admin.col.status'), <HiddenHeading key="actions">{t('invitations.admin.revoke')}</HiddenHeading>]}>
          {items.map((i) => (
            <tr key={i.id}>
              <td className="small">{i.email}</td>
              <td className="small">
                {translateCode(t, 'role', i.role)}
                {i.officeName ? ` · ${i.officeName}` : ''}
              </td>
              <td className="small">{t(`invitations.status.${i.status}`)}</td>
              <td>
                {i.status === 'pending' && (
                  <button type="button" className="btn btn-link btn-sm p-0" onClick={() => void revoke(i)}>
                    {t('invitations.admin.revoke')}
                    <span className="visually-hidden"> – {t('invitations.admin.revokeFor', { email: i.email })}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <form className="card card-bg shadow-sm p-3" onSubmit={submit} aria-labelledby="invite-title" noValidate>
        <h3 id="invite-title" className="h5">
          {t('invitations.admin.submit')}
        </h3>
        <Field id="invite-email" label={t('invitations.admin.email')} error={errors.email} required>
          <input type="email" className={controlClass('form-control', errors.email)} value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} required {...fieldA11y('invite-email', errors.email)} />
        </Field>
        <Field id="invite-role" label={t('invitations.admin.role')} error={errors.role} required>
          <select id="invite-role" className="form-select" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as InvitableRole })}>
            {INVITABLE_ROLES.map((r) => (
              <option key={r} value={r}>
                {translateCode(t, 'role', r)}
              </option>
            ))}
          </select>
        </Field>
        {!wholeOrganisation && (
          <Field id="invite-office" label={t('invitations.admin.office')} error={errors.officeId}>
            <select id="invite-office" className="form-select" value={form.officeId} onChange={(e) => setForm({ ...form, officeId: e.target.value })}>
              <option value="">{t('invitations.admin.wholeOrganisation')}</option>
              {offices.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('invitations.admin.submit')}
        </button>
      </form>
    </section>
  );
}
