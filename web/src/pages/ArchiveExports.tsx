import { type FormEvent, useEffect, useState } from 'react';
import { Alert, DataTable, ErrorAlert, Notice } from '../components/ui.js';
import { translateCode, useI18n } from '../i18n/index.js';
import { useSubmission } from '../lib/hooks.js';
import { formatBytes, percentDone } from './ArchiveCells.js';
import { type ArchiveExportView, CATALOG_FILE, exportFileUrl, fetchExport, startExport } from './ArchiveReleaseApi.js';

const POLL_MS = 1000;

/**
 * The open-data export of the archive: the format, whether the texts go with it (internal use),
 * the progress of the long job, and then the files and the DCAT-AP_IT catalog to download.
 */
export function ArchiveExports() {
  const { t, locale } = useI18n();
  const [format, setFormat] = useState<'csv' | 'parquet'>('csv');
  const [includeText, setIncludeText] = useState(false);
  const [current, setCurrent] = useState<ArchiveExportView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const start = useSubmission();
  const pollId = current && (current.status === 'queued' || current.status === 'running') ? current.id : null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: polls once per export id
  useEffect(() => {
    if (!pollId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await fetchExport(pollId);
        if (stopped) return;
        setCurrent(next);
        if (next.status === 'done' || next.status === 'failed') return;
      } catch (err) {
        if (!stopped) start.setError(err);
        return;
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    timer = setTimeout(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [pollId]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    void start.run(async () => {
      setCurrent(await startExport({ format, includeText }));
      setNotice(t('archive.exports.started'));
    });
  };

  const pct = current ? percentDone(current.progress?.done, current.progress?.total) : null;
  const dataFiles = current?.files.filter((f) => f.name !== CATALOG_FILE) ?? [];
  const hasCatalog = current?.status === 'done' && current.files.some((f) => f.name === CATALOG_FILE);

  return (
    <section aria-labelledby="archive-exports-title">
      <h2 id="archive-exports-title" className="h4">
        {t('archive.exports.title')}
      </h2>
      <p>{t('archive.exports.intro')}</p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={start.error} />
      <form onSubmit={submit} className="mb-4">
        <fieldset className="mb-3">
          <legend className="form-label fw-semibold fs-6">{t('archive.exports.format')}</legend>
          {(['csv', 'parquet'] as const).map((f) => (
            <div className="form-check" key={f}>
              <input className="form-check-input" type="radio" name="export-format" id={`export-format-${f}`} value={f} checked={format === f} onChange={() => setFormat(f)} />
              <label className="form-check-label" htmlFor={`export-format-${f}`}>
                {t(`archive.exports.format.${f}`)}
              </label>
            </div>
          ))}
        </fieldset>
        <div className="form-check mb-3">
          <input className="form-check-input" type="checkbox" id="export-include-text" aria-describedby="export-include-text-hint" checked={includeText} onChange={(e) => setIncludeText(e.target.checked)} />
          <label className="form-check-label" htmlFor="export-include-text">
            {t('archive.exports.includeText')}
          </label>
          <div id="export-include-text-hint" className="form-text">
            {t('archive.exports.includeTextHint')}
          </div>
        </div>
        <button type="submit" className="btn btn-primary" disabled={start.busy || pollId !== null}>
          {t('archive.exports.start')}
        </button>
      </form>

      <div aria-live="polite" role="status" data-testid="archive-export-progress">
        {current && (
          <p>
            {t('archive.exports.progress', { state: translateCode(t, 'archive.exports.state', current.status) })}
            {current.progress && current.status !== 'done' ? ` ${t('archive.exports.rows', { written: current.progress.done, total: current.progress.total })}` : ''}
            {current.status === 'done' && current.report ? ` ${t('archive.exports.summary', { rows: current.report.rows, suppressed: current.report.suppressedRows })}` : ''}
          </p>
        )}
      </div>
      {current && pct !== null && current.status !== 'done' && (
        <div className="progress mb-3">
          <div className="progress-bar" role="progressbar" aria-label={t('archive.exports.progressLabel')} aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} style={{ width: `${pct}%` }} />
        </div>
      )}
      {current?.status === 'failed' && <Alert kind="danger">{current.error?.message ?? t('archive.exports.state.failed')}</Alert>}
      {current?.status === 'done' && (
        <section aria-labelledby="archive-export-files">
          <h3 id="archive-export-files" className="h5">
            {t('archive.exports.files')}
          </h3>
          {hasCatalog && (
            <p>
              <a href={exportFileUrl(current, CATALOG_FILE)} download data-testid="archive-export-catalog">
                {t('archive.exports.catalog')}
              </a>
            </p>
          )}
          {dataFiles.length > 0 && (
            <DataTable caption={t('archive.exports.filesCaption')} columns={[t('archive.exports.file'), t('archive.exports.fileRows'), t('archive.exports.fileSize')]} className="table-sm">
              {dataFiles.map((f) => (
                <tr key={f.name}>
                  <th scope="row">
                    <a href={exportFileUrl(current, f.name)} download aria-label={t('archive.exports.download', { name: f.name })}>
                      {f.name}
                    </a>
                  </th>
                  <td>{f.rows}</td>
                  <td>{formatBytes(f.bytes, locale)}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </section>
      )}
    </section>
  );
}
