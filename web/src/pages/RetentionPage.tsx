import { type FormEvent, useEffect, useState } from 'react';
import { client, requestHeaders, unwrap } from '../api/client.js';
import { DataTable, ErrorAlert, Field, Notice, Spinner, controlClass, fieldA11y } from '../components/ui.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { fieldErrorMessages, focusFirstInvalid } from '../lib/form-errors.js';
import { useApiGet, useSubmission } from '../lib/hooks.js';
import { ADMIN_ROLES, hasRole, useSession } from '../lib/session.js';
import { countsLine } from './ArchiveCells.js';
import { PrivacyForbidden, useManagedOrganisations } from './PrivacyCommon.js';


/** Retention of personal data per organisation: the months, set by its administrator, and the log of the erasures run. */
export function RetentionPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const allowed = hasRole(session?.memberships ?? [], ADMIN_ROLES);
  const { managed, error, loading, select, organisationId } = useManagedOrganisations(allowed, 'retention-org');

  if (!allowed) return <PrivacyForbidden title={t('retention.title')} />;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('retention.title')}</h1>
      <p>{t('retention.intro')}</p>
      <ErrorAlert error={error} />
      {loading && managed.length === 0 ? <Spinner /> : select}
      {organisationId && <RetentionSettings key={organisationId} organisationId={organisationId} />}
    </section>
  );
}

function RetentionSettings({ organisationId }: { organisationId: string }) {
  const { t, fmt, locale } = useI18n();
  const policy = useApiGet('/organisations/{id}/retention', { path: { id: organisationId } });
  const runs = useApiGet('/privacy/retention-runs', { query: { organisationId } });
  const [form, setForm] = useState<{ requesterMonths: string; attachmentMonths: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const save = useSubmission();

  useEffect(() => {
    if (policy.data) setForm({ requesterMonths: String(policy.data.requesterMonths), attachmentMonths: String(policy.data.attachmentMonths) });
  }, [policy.data]);

  const labels = { requesterMonths: t('retention.requesterMonths'), attachmentMonths: t('retention.attachmentMonths') };
  const errors = fieldErrorMessages(save.error, locale);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!form) return;
    setNotice(null);
    void save.run(async () => {
      try {
        const body = { requesterMonths: Number(form.requesterMonths), attachmentMonths: Number(form.attachmentMonths) };
        // The server's ETag is "0" while the defaults apply: If-Match is always sent.
        const response = await unwrap(
          client.PUT('/organisations/{id}/retention', { params: { path: { id: organisationId } }, body, headers: requestHeaders({ ifMatch: policy.etag }) }),
        );
        policy.setData(response.data, response.etag);
        setNotice(t('retention.saved'));
      } catch (err) {
        focusFirstInvalid();
        throw err;
      }
    });
  };

  const numberField = (key: 'requesterMonths' | 'attachmentMonths', id: string, hint: string) =>
    form && (
      <Field id={id} label={labels[key]} hint={hint} error={errors[key]} required>
        <input
          {...fieldA11y(id, errors[key], true)}
          type="number"
          inputMode="numeric"
          required
          className={controlClass('form-control', errors[key])}
          value={form[key]}
          onChange={(e) => setForm({ ...form, [key]: e.target.value })}
        />
      </Field>
    );

  return (
    <>
      <section aria-labelledby="retention-form-title" className="mb-4">
        <h2 id="retention-form-title" className="h4">
          {t('retention.form.title')}
        </h2>
        <ErrorAlert error={policy.error} />
        <Notice text={notice} onClose={() => setNotice(null)} />
        <ErrorAlert error={save.error} labels={labels} />
        {policy.loading && !policy.data ? (
          <Spinner />
        ) : (
          form && (
            <form onSubmit={submit} noValidate className="row">
              <p className="col-12 form-text" data-testid="retention-state">
                {policy.data?.isDefault ? t('retention.default') : t('retention.updated', { date: fmt(policy.data?.updatedAt) })}
              </p>
              <div className="col-12 col-md-6">{numberField('requesterMonths', 'retention-requester', t('retention.requesterMonthsHint'))}</div>
              <div className="col-12 col-md-6">{numberField('attachmentMonths', 'retention-attachments', t('retention.attachmentMonthsHint'))}</div>
              <div className="col-12">
                <button type="submit" className="btn btn-primary" disabled={save.busy}>
                  {t('retention.save')}
                </button>
              </div>
            </form>
          )
        )}
      </section>
      <section aria-labelledby="retention-runs-title">
        <h2 id="retention-runs-title" className="h4">
          {t('retention.runs.title')}
        </h2>
        <ErrorAlert error={runs.error} />
        {runs.loading && !runs.data ? (
          <Spinner />
        ) : (runs.data?.items.length ?? 0) === 0 ? (
          <p>{t('retention.runs.empty')}</p>
        ) : (
          <DataTable caption={t('retention.runs.caption')} columns={[t('retention.runs.startedAt'), t('retention.runs.trigger'), t('retention.runs.counts')]} className="table-sm">
            {runs.data?.items.map((r) => (
              <tr key={r.id}>
                <td>{fmt(r.startedAt)}</td>
                <td>{translateCode(t, 'retention.runs.trigger', r.trigger)}</td>
                <td>{r.finishedAt ? countsLine(r.counts, t) : t('retention.runs.running')}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}
