import { useEffect, useState } from 'react';
import { apiGet, client, unwrap } from '../api/client.js';
import { ImportColumnsForm } from '../components/ImportColumnsForm.js';
import { ImportMappingEditor } from '../components/ImportMappingEditor.js';
import { ImportReportView } from '../components/ImportReportView.js';
import type { HistoryImport, ImportReport } from '../components/ImportTypes.js';
import { ImportUploadForm } from '../components/ImportUploadForm.js';
import { DataTable, ErrorAlert, Field, ForbiddenPage, Spinner } from '../components/ui.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { useApiGet, useTaxonomy } from '../lib/hooks.js';
import { ADMIN_ROLES, hasRole, useSession } from '../lib/session.js';

/** How often the page asks for the progress of a running import. */
const PROGRESS_POLL_MS = 1000;

/** Historical contacts import for organisation admins and the network coordinator. */
export function HistoryImportPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const memberships = session?.memberships ?? [];
  const allowed = hasRole(memberships, ADMIN_ROLES);
  const coordinator = hasRole(memberships, ['network_coordinator']);
  const orgs = useApiGet(allowed ? '/organisations' : null);
  const managed = (orgs.data?.items ?? []).filter((o) => coordinator || memberships.some((m) => m.role === 'org_admin' && m.organisationId === o.id));
  const [orgId, setOrgId] = useState('');
  const currentOrgId = orgId || managed[0]?.id || '';

  if (!allowed) {
    return <ForbiddenPage title={t('historicalImport.title')} message={t('historicalImport.forbidden')} />;
  }

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('historicalImport.title')}</h1>
      <p>{t('historicalImport.intro')}</p>
      <ErrorAlert error={orgs.error} />
      {orgs.loading && !orgs.data ? (
        <Spinner />
      ) : (
        <>
          {managed.length > 1 && (
            <div className="col-12 col-md-6">
              <Field id="hi-org" label={t('historicalImport.organisation')}>
                <select id="hi-org" className="form-select" value={currentOrgId} onChange={(e) => setOrgId(e.target.value)}>
                  {managed.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
          )}
          {currentOrgId && <OrganisationImports key={currentOrgId} organisationId={currentOrgId} />}
        </>
      )}
    </section>
  );
}

function OrganisationImports({ organisationId }: { organisationId: string }) {
  const { t, fmt } = useI18n();
  const taxonomy = useTaxonomy();
  const imports = useApiGet('/history-imports', { query: { organisationId } });
  const mappings = useApiGet('/history-mappings', { query: { organisationId } });
  const [current, setCurrent] = useState<HistoryImport | null>(null);
  const [mappingId, setMappingId] = useState('');
  const [policy, setPolicy] = useState<'skip' | 'unclassified'>('skip');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const open = async (id: string) => {
    setError(null);
    setReport(null);
    try {
      const imp = (await apiGet('/history-imports/{id}', { path: { id } })).data;
      setCurrent(imp);
      setReport(imp.report);
      if (imp.mappingId) setMappingId(imp.mappingId);
      if (imp.unmappedPolicy) setPolicy(imp.unmappedPolicy);
    } catch (err) {
      setError(err);
    }
  };

  const dryRun = async () => {
    if (!current) return;
    setRunning(true);
    setError(null);
    try {
      const response = await unwrap(client.POST('/history-imports/{id}/dry-run', { params: { path: { id: current.id } }, body: { mappingId, unmappedPolicy: policy } }));
      setCurrent({ ...response.data.import, preview: current.preview ?? null });
      setReport(response.data.report);
      await imports.reload();
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
    }
  };

  // The commit runs on the server as a job: the request answers at once, the page follows its progress.
  const commit = async () => {
    if (!current) return;
    if (report && !window.confirm(t('historicalImport.confirmCommit', { count: report.imported }))) return;
    setError(null);
    try {
      const response = await unwrap(client.POST('/history-imports/{id}/commit', { params: { path: { id: current.id } }, body: { mappingId, unmappedPolicy: policy } }));
      setCurrent({ ...response.data, preview: current.preview ?? null });
      setReport(null);
      await imports.reload();
    } catch (err) {
      setError(err);
    }
  };

  const committingId = current?.status === 'committing' ? current.id : null;
  useEffect(() => {
    if (!committingId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const imp = (await apiGet('/history-imports/{id}', { path: { id: committingId } })).data;
        if (stopped) return;
        setCurrent((prev) => (prev?.id === imp.id ? { ...imp, preview: imp.preview ?? prev.preview ?? null } : prev));
        if (imp.status !== 'committing') {
          setReport(imp.report);
          void imports.reload();
          return;
        }
      } catch (err) {
        if (!stopped) setError(err);
      }
      if (!stopped) timer = setTimeout(poll, PROGRESS_POLL_MS);
    };
    timer = setTimeout(poll, PROGRESS_POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [committingId, imports.reload]);

  const editable = current && current.status !== 'committed' && current.status !== 'committing';

  return (
    <>
      <section aria-labelledby="hi-upload-title" className="mb-4">
        <h2 id="hi-upload-title" className="h4">
          {t('historicalImport.step.upload')}
        </h2>
        <ImportUploadForm
          organisationId={organisationId}
          onUploaded={(imp) => {
            setCurrent(imp);
            setReport(null);
            void imports.reload();
          }}
        />
      </section>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {current && (
        <>
          {current.status === 'committing' && current.progress && <CommitProgress progress={current.progress} />}
          {current.status === 'failed' && (
            <div className="alert alert-danger" role="alert">
              <p className="mb-1">{t('historicalImport.failedNotice')}</p>
              {current.error && <p className="mb-0 small">{current.error.message}</p>}
            </div>
          )}
          {current.status === 'committed' && current.committedAt && (
            <p className="alert alert-success" role="status">
              {t('historicalImport.committedNotice', { date: fmt(current.committedAt) })}
            </p>
          )}
          {editable && (
            <section aria-labelledby="hi-columns-title" className="mb-4">
              <h2 id="hi-columns-title" className="h4">
                {t('historicalImport.step.columns')}
              </h2>
              <ImportColumnsForm key={current.id} imp={current} onSaved={setCurrent} />
            </section>
          )}
          {editable && current.settings && taxonomy && (
            <section aria-labelledby="hi-mapping-title" className="mb-4">
              <h2 id="hi-mapping-title" className="h4">
                {t('historicalImport.step.mapping')}
              </h2>
              <ImportMappingEditor
                key={current.id}
                imp={current}
                taxonomy={taxonomy}
                mappings={mappings.data?.items ?? []}
                mappingId={mappingId}
                onMappingChosen={setMappingId}
                onSaved={(m) => {
                  setMappingId(m.id);
                  void mappings.reload();
                }}
              />
            </section>
          )}
          {(editable && current.settings) || report ? (
            <section aria-labelledby="hi-run-title" className="mb-4">
              <h2 id="hi-run-title" className="h4">
                {t('historicalImport.step.run')}
              </h2>
              {editable && (
                <>
                  <fieldset className="mb-3">
                    <legend className="form-label fw-semibold fs-6">{t('historicalImport.policy')}</legend>
                    {(['skip', 'unclassified'] as const).map((p) => (
                      <div className="form-check" key={p}>
                        <input id={`hi-policy-${p}`} type="radio" name="hi-policy" className="form-check-input" checked={policy === p} onChange={() => setPolicy(p)} />
                        <label htmlFor={`hi-policy-${p}`} className="form-check-label">
                          {t(`historicalImport.policy.${p}`)}
                        </label>
                      </div>
                    ))}
                  </fieldset>
                  {!mappingId && <p className="form-text">{t('historicalImport.needMapping')}</p>}
                  <div className="d-flex gap-2" aria-busy={running}>
                    <button type="button" className="btn btn-outline-primary" disabled={!mappingId || running} onClick={() => void dryRun()}>
                      {t('historicalImport.dryRun')}
                    </button>
                    <button type="button" className="btn btn-primary" disabled={!mappingId || running || (current.status !== 'checked' && current.status !== 'failed')} onClick={() => void commit()}>
                      {t('historicalImport.commit')}
                    </button>
                  </div>
                  {running && <Spinner />}
                </>
              )}
              {report && <ImportReportView report={report} />}
            </section>
          ) : null}
        </>
      )}
      <section aria-labelledby="hi-past-title" className="mb-4">
        <h2 id="hi-past-title" className="h4">
          {t('historicalImport.past')}
        </h2>
        <ErrorAlert error={imports.error} />
        {imports.data && imports.data.items.length === 0 && <p>{t('historicalImport.noImports')}</p>}
        {imports.data && imports.data.items.length > 0 && (
          <DataTable
            caption={t('historicalImport.past')}
            className="table-sm align-middle"
            columns={[t('historicalImport.col.file'), t('historicalImport.col.source'), t('historicalImport.col.date'), t('historicalImport.col.status'), t('historicalImport.col.rows'), t('historicalImport.col.imported'), <span key="open" className="visually-hidden">{t('historicalImport.open')}</span>]}
          >
            {imports.data.items.map((i) => (
              <tr key={i.id} aria-current={current?.id === i.id ? 'true' : undefined}>
                <td>{i.filename}</td>
                <td>{i.source}</td>
                <td>{fmt(i.createdAt)}</td>
                <td>{translateCode(t, 'historicalImport.status', i.status)}</td>
                <td>{i.rowCount}</td>
                <td>{i.status === 'committed' ? i.importedCount : '—'}</td>
                <td>
                  <button type="button" className="btn btn-link btn-sm p-0" onClick={() => open(i.id)} aria-label={`${t('historicalImport.open')} ${i.filename}`}>
                    {t('historicalImport.open')}
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}

/** The running commit: an accessible progress bar (rows read of the file's rows) that the page refreshes. */
function CommitProgress({ progress }: { progress: { done: number; total: number } }) {
  const { t } = useI18n();
  const percent = progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  const rows = t('historicalImport.progressRows', { done: progress.done, total: progress.total });
  return (
    <div className="mb-4" aria-live="polite">
      <p id="hi-progress-label" className="mb-1 fw-semibold">
        {t('historicalImport.progress')}
      </p>
      <div className="progress" style={{ height: '1.5rem' }}>
        <div
          className="progress-bar"
          role="progressbar"
          aria-labelledby="hi-progress-label"
          aria-valuemin={0}
          aria-valuemax={progress.total}
          aria-valuenow={progress.done}
          aria-valuetext={rows}
          // At 0% the bar keeps room for its label, so that it is seen (and findable) from the start.
          style={{ width: `${percent}%`, minWidth: '3rem' }}
        >
          {percent}%
        </div>
      </div>
      <p className="small mt-1 mb-0">
        {rows}. {t('historicalImport.committingNotice')}
      </p>
    </div>
  );
}
