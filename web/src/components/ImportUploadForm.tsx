import { type FormEvent, useRef, useState } from 'react';
import { apiUpload, fieldErrors } from '../api/client.js';
import { useI18n } from '../i18n/index.js';
import type { HistoryImport } from './ImportTypes.js';
import { controlClass, ErrorAlert, Field, fieldA11y } from './ui.js';

const DELIMITERS = ['auto', 'comma', 'semicolon', 'tab', 'pipe'] as const;
const HEADERS = ['auto', 'yes', 'no'] as const;

/** Step 1: the file goes up as multipart (streamed to disk by the server); the answer is the sniffed file. */
export function ImportUploadForm({ organisationId, onUploaded }: { organisationId: string; onUploaded: (imp: HistoryImport) => void }) {
  const { t } = useI18n();
  const fileRef = useRef<HTMLInputElement>(null);
  const [source, setSource] = useState('');
  const [delimiter, setDelimiter] = useState<(typeof DELIMITERS)[number]>('auto');
  const [header, setHeader] = useState<(typeof HEADERS)[number]>('auto');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fileError, setFileError] = useState<string | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setFileError(t('historicalImport.fileRequired'));
      fileRef.current?.focus();
      return;
    }
    setFileError(undefined);
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const response = await apiUpload(
        '/history-imports',
        { query: { organisationId, source: source.trim() || undefined, delimiter: delimiter === 'auto' ? undefined : delimiter, header: header === 'auto' ? undefined : header } },
        form,
      );
      onUploaded(response.data);
      if (fileRef.current) fileRef.current.value = '';
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const errors = fieldErrors(error);

  return (
    <form onSubmit={submit} noValidate aria-busy={busy}>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      <Field id="hi-file" label={t('historicalImport.file')} hint={t('historicalImport.fileHint')} error={fileError} required>
        <input ref={fileRef} type="file" accept=".csv,.txt,.tsv,.gz,text/csv" className={controlClass('form-control', fileError)} {...fieldA11y('hi-file', fileError, true)} />
      </Field>
      <div className="row">
        <div className="col-12 col-md-4">
          <Field id="hi-source" label={t('historicalImport.source')} hint={t('historicalImport.sourceHint')} error={errors.source}>
            <input type="text" className={controlClass('form-control', errors.source)} value={source} onChange={(e) => setSource(e.target.value)} pattern="[a-z0-9][a-z0-9\-]*" {...fieldA11y('hi-source', errors.source, true)} />
          </Field>
        </div>
        <div className="col-12 col-md-4">
          <Field id="hi-delimiter" label={t('historicalImport.delimiter')}>
            <select id="hi-delimiter" className="form-select" value={delimiter} onChange={(e) => setDelimiter(e.target.value as (typeof DELIMITERS)[number])}>
              {DELIMITERS.map((d) => (
                <option key={d} value={d}>
                  {t(`historicalImport.delimiter.${d}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="col-12 col-md-4">
          <Field id="hi-header" label={t('historicalImport.header')}>
            <select id="hi-header" className="form-select" value={header} onChange={(e) => setHeader(e.target.value as (typeof HEADERS)[number])}>
              {HEADERS.map((h) => (
                <option key={h} value={h}>
                  {t(`historicalImport.header.${h}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? t('historicalImport.uploading') : t('historicalImport.upload')}
      </button>
    </form>
  );
}
