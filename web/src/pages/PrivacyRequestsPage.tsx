import { type FormEvent, useState } from 'react';
import { type ApiResponseBody, client, unwrap } from '../api/client.js';
import { Alert, DataTable, ErrorAlert, Field, Notice, RequiredMark, controlClass, fieldA11y } from '../components/ui.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { fieldErrorMessages } from '../lib/form-errors.js';
import { useApiGet, useSubmission } from '../lib/hooks.js';
import { ADMIN_ROLES, hasRole, useSession } from '../lib/session.js';
import { PrivacyForbidden, useManagedOrganisations } from './PrivacyCommon.js';
import { requestMatchTotals, searchCriteria } from './PrivacyRequests.js';


type SearchResult = ApiResponseBody<'/privacy/requests/search', 'post'>;
type DataSubjectRequest = ApiResponseBody<'/privacy/requests', 'post'>;
type Kind = DataSubjectRequest['kind'];
const CRITERIA = ['email', 'phone', 'fiscalCode', 'name'] as const;
type Criterion = (typeof CRITERIA)[number];

/**
 * The desk of the data subject's requests: find the person across the network, choose among the
 * candidates when several match, confirm, then erase (art. 17) or prepare the access export (art. 15).
 */
export function PrivacyRequestsPage() {
  const { t, locale, fmt } = useI18n();
  const { session } = useSession();
  const allowed = hasRole(session?.memberships ?? [], ADMIN_ROLES);
  const orgs = useManagedOrganisations(allowed, 'dsr-receiving', t('dsr.receiving'));
  const requests = useApiGet(allowed ? '/privacy/requests' : null);
  const [criteria, setCriteria] = useState<Record<Criterion, string>>({ email: '', phone: '', fiscalCode: '', name: '' });
  const [searched, setSearched] = useState<{ criteria: ReturnType<typeof searchCriteria>; result: SearchResult } | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [kind, setKind] = useState<Kind>('erasure');
  const [confirmed, setConfirmed] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [done, setDone] = useState<DataSubjectRequest | null>(null);
  const search = useSubmission();
  const execute = useSubmission();

  if (!allowed) return <PrivacyForbidden title={t('dsr.title')} />;

  const labels: Record<Criterion, string> = { email: t('dsr.email'), phone: t('dsr.phone'), fiscalCode: t('dsr.fiscalCode'), name: t('dsr.name') };
  const errors = fieldErrorMessages(search.error, locale);

  const runSearch = (event: FormEvent) => {
    event.preventDefault();
    setLocalError(null);
    setDone(null);
    const body = searchCriteria(criteria);
    if (Object.keys(body).length === 0) {
      setLocalError(t('dsr.noCriteria'));
      return;
    }
    void search.run(async () => {
      setSearched(null);
      const { data } = await unwrap(client.POST('/privacy/requests/search', { body }));
      setSearched({ criteria: body, result: data });
      // One person: nothing to choose. Several: the officer chooses, nobody is preselected.
      setChosen(data.candidates.length === 1 && data.candidates[0] ? [data.candidates[0].id] : []);
      setConfirmed(false);
    });
  };

  const runRequest = (event: FormEvent) => {
    event.preventDefault();
    if (!searched) return;
    setLocalError(null);
    if (chosen.length === 0) return setLocalError(t('dsr.chooseRequired'));
    if (!confirmed) return setLocalError(t('dsr.confirmRequired'));
    if (kind === 'erasure' && !window.confirm(t('dsr.confirmErasure', { count: chosen.length }))) return;
    void execute.run(async () => {
      const { data } = await unwrap(
        client.POST('/privacy/requests', {
          body: { kind, criteria: searched.criteria, candidates: chosen, confirm: true, ...(orgs.organisationId ? { organisationId: orgs.organisationId } : {}) },
        }),
      );
      setDone(data);
      setSearched(null);
      setChosen([]);
      setConfirmed(false);
      await requests.reload();
    });
  };

  const toggle = (id: string, on: boolean) => setChosen((list) => (on ? [...list, id] : list.filter((x) => x !== id)));
  const result = searched?.result;

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('dsr.title')}</h1>
      <p>{t('dsr.intro')}</p>

      <section aria-labelledby="dsr-search-title" className="mb-4">
        <h2 id="dsr-search-title" className="h4">
          {t('dsr.search.title')}
        </h2>
        <p className="form-text">{t('dsr.search.hint')}</p>
        <ErrorAlert error={search.error} labels={labels} />
        <form onSubmit={runSearch} noValidate className="row">
          {CRITERIA.map((c) => (
            <div className="col-12 col-md-6" key={c}>
              <Field id={`dsr-${c}`} label={labels[c]} error={errors[c]}>
                <input
                  {...fieldA11y(`dsr-${c}`, errors[c])}
                  type={c === 'email' ? 'email' : c === 'phone' ? 'tel' : 'text'}
                  autoComplete="off"
                  className={controlClass('form-control', errors[c])}
                  value={criteria[c]}
                  onChange={(e) => setCriteria({ ...criteria, [c]: e.target.value })}
                />
              </Field>
            </div>
          ))}
          <div className="col-12">
            <button type="submit" className="btn btn-primary" disabled={search.busy}>
              {t('dsr.search')}
            </button>
          </div>
        </form>
      </section>

      <div aria-live="polite" role="status" data-testid="dsr-status">
        {search.busy ? t('dsr.searching') : execute.busy ? t('dsr.executing') : result ? (result.found ? (result.ambiguous ? t('dsr.ambiguous') : t('dsr.found')) : t('dsr.notFound')) : ''}
      </div>
      {localError && <Alert kind="danger">{localError}</Alert>}
      <Notice text={done ? t('dsr.executed') : null} onClose={() => setDone(null)} />
      {done?.kind === 'access' && done.exportAvailable && (
        <p>
          <a
            className="btn btn-outline-primary"
            href={`/api/v1/privacy/requests/${done.id}/export`}
            download
            data-testid="dsr-export-link"
            // The export is given once: after the download starts the link goes and the list says when it was taken.
            onClick={() =>
              setTimeout(() => {
                setDone((d) => (d ? { ...d, exportAvailable: false } : d));
                void requests.reload();
              }, 1000)
            }
          >
            {t('dsr.downloadExport')}
          </a>
        </p>
      )}

      {result && result.candidates.length > 0 && (
        <section aria-labelledby="dsr-candidates-title" className="mb-4">
          <h2 id="dsr-candidates-title" className="h4">
            {t('dsr.candidates')}
          </h2>
          <ErrorAlert error={execute.error} />
          <form onSubmit={runRequest} noValidate>
            {result.candidates.map((c, i) => (
              <div className="card card-bg mb-3" key={c.id} data-testid="dsr-candidate">
                <div className="card-body">
                  <div className="form-check">
                    <input className="form-check-input" type="checkbox" id={`dsr-candidate-${i}`} checked={chosen.includes(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />
                    <label className="form-check-label fw-semibold" htmlFor={`dsr-candidate-${i}`}>
                      {t('dsr.choose', { n: i + 1 })}
                    </label>
                  </div>
                  <p className="small mb-2">{t('dsr.matchedOn', { fields: c.matchedOn.map((m) => translateCode(t, 'dsr.match', m)).join(', ') })}</p>
                  <DataTable caption={t('dsr.orgsCaption', { n: i + 1 })} columns={[t('dsr.orgs.organisation'), t('dsr.orgs.requesters'), t('dsr.orgs.tickets')]} className="table-sm">
                    {c.organisations.map((o) => (
                      <tr key={o.organisationId}>
                        <th scope="row">{o.organisationName}</th>
                        <td>{o.requesters}</td>
                        <td>{o.tickets}</td>
                      </tr>
                    ))}
                  </DataTable>
                  {c.records.length > 0 && (
                    <DataTable
                      caption={t('dsr.recordsCaption', { n: i + 1 })}
                      columns={[t('dsr.name'), t('dsr.email'), t('dsr.phone'), t('dsr.fiscalCode'), t('dsr.records.tickets')]}
                      className="table-sm"
                    >
                      {c.records.map((r, j) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: the records of one search do not move
                        <tr key={j}>
                          <td>{r.name ?? '—'}</td>
                          <td>{r.email ?? '—'}</td>
                          <td>{r.phone ?? '—'}</td>
                          <td>{r.fiscalCode ?? '—'}</td>
                          <td>{r.ticketCodes.join(', ')}</td>
                        </tr>
                      ))}
                    </DataTable>
                  )}
                </div>
              </div>
            ))}
            <fieldset className="mb-3">
              <legend className="form-label fw-semibold fs-6">
                {t('dsr.kind')}
                <RequiredMark />
              </legend>
              {(['erasure', 'access'] as const).map((k) => (
                <div className="form-check" key={k}>
                  <input className="form-check-input" type="radio" name="dsr-kind" id={`dsr-kind-${k}`} checked={kind === k} onChange={() => setKind(k)} aria-describedby={`dsr-kind-${k}-hint`} />
                  <label className="form-check-label" htmlFor={`dsr-kind-${k}`}>
                    {t(`dsr.kind.${k}`)}
                  </label>
                  <div className="form-text" id={`dsr-kind-${k}-hint`}>
                    {t(`dsr.kind.${k}Hint`)}
                  </div>
                </div>
              ))}
            </fieldset>
            {orgs.select}
            <div className="form-check mb-3">
              <input className="form-check-input" type="checkbox" id="dsr-confirm" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
              <label className="form-check-label" htmlFor="dsr-confirm">
                {t('dsr.confirm')}
              </label>
            </div>
            <button type="submit" className={`btn ${kind === 'erasure' ? 'btn-danger' : 'btn-primary'}`} disabled={execute.busy}>
              {t(kind === 'erasure' ? 'dsr.execute.erasure' : 'dsr.execute.access')}
            </button>
          </form>
        </section>
      )}

      <section aria-labelledby="dsr-list-title">
        <h2 id="dsr-list-title" className="h4">
          {t('dsr.list.title')}
        </h2>
        <ErrorAlert error={requests.error} />
        {(requests.data?.items.length ?? 0) === 0 ? (
          <p>{t('dsr.list.empty')}</p>
        ) : (
          <DataTable
            caption={t('dsr.list.caption')}
            columns={[t('dsr.list.createdAt'), t('dsr.list.kind'), t('dsr.list.status'), t('dsr.list.criteria'), t('dsr.list.matched'), t('dsr.list.export')]}
            className="table-sm"
          >
            {requests.data?.items.map((r) => {
              const totals = requestMatchTotals(r.matched);
              return (
                <tr key={r.id} data-testid="dsr-request">
                  <td>{fmt(r.createdAt)}</td>
                  <td>{translateCode(t, 'dsr.kind', r.kind)}</td>
                  <td>{translateCode(t, 'dsr.status', r.status)}</td>
                  <td>{r.criteriaKinds.map((k) => translateCode(t, 'dsr.match', k)).join(', ')}</td>
                  <td>{t('dsr.list.matchedCount', totals)}</td>
                  <td>
                    {r.kind !== 'access'
                      ? t('dsr.export.none')
                      : r.exportDownloadedAt
                        ? t('dsr.export.downloaded', { date: fmt(r.exportDownloadedAt) })
                        : r.exportAvailable && r.exportExpiresAt
                          ? t('dsr.export.available', { date: fmt(r.exportExpiresAt) })
                          : t('dsr.export.none')}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </section>
    </section>
  );
}
