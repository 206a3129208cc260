import { type FormEvent, useState } from 'react';
import { client, fieldErrors, unwrap } from '../api/client.js';
import { useI18n } from '../i18n/index.js';
import { type ColumnRoles, DATE_FORMATS, type DateFormat, delimiterLabel, type HistoryImport } from './ImportTypes.js';
import { DataTable, ErrorAlert, Field, Notice } from './ui.js';

type SingleRole = 'id' | 'createdAt' | 'closedAt' | 'channel' | 'category' | 'status';
const SINGLE_ROLES: readonly SingleRole[] = ['id', 'createdAt', 'closedAt', 'channel', 'category', 'status'];
const REQUIRED: readonly SingleRole[] = ['id', 'createdAt', 'category'];

function initialRoles(imp: HistoryImport): ColumnRoles {
  if (imp.settings) return imp.settings;
  const formats = imp.preview?.dateFormats ?? {};
  const firstDate = imp.columns.find((c) => (formats[c] ?? []).length > 0) ?? '';
  return { id: imp.columns[0] ?? '', createdAt: firstDate, createdFormat: formats[firstDate]?.[0] ?? 'iso', category: '', timeZone: 'Europe/Rome' };
}

/** Step 2: preview of the first rows, and which column is what. */
export function ImportColumnsForm({ imp, onSaved }: { imp: HistoryImport; onSaved: (imp: HistoryImport) => void }) {
  const { t } = useI18n();
  const [roles, setRoles] = useState<ColumnRoles>(() => initialRoles(imp));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const formats = imp.preview?.dateFormats ?? {};
  const errors = fieldErrors(error);

  const set = (patch: Partial<ColumnRoles>) => setRoles((r) => ({ ...r, ...patch }));
  const setColumn = (role: SingleRole, value: string) => {
    const patch: Partial<ColumnRoles> = { [role]: value || undefined };
    if ((role === 'createdAt' || role === 'closedAt') && value && formats[value]?.[0]) patch[role === 'createdAt' ? 'createdFormat' : 'closedFormat'] = formats[value][0];
    set(patch);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: ColumnRoles = { ...roles };
      for (const key of Object.keys(body) as (keyof ColumnRoles)[]) if (body[key] === undefined || body[key] === '') delete body[key];
      if (body.text && body.text.length === 0) delete body.text;
      if (!body.closedAt) delete body.closedFormat;
      const response = await unwrap(client.PUT('/history-imports/{id}/columns', { params: { path: { id: imp.id } }, body }));
      setNotice(t('historicalImport.columnsSaved'));
      onSaved({ ...response.data, preview: imp.preview ?? null });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const formatSelect = (id: string, column: string | undefined, value: DateFormat | undefined, onChange: (f: DateFormat) => void) => (
    <Field id={id} label={t('historicalImport.role.format')} hint={column && formats[column]?.length ? t('historicalImport.formatSuggested', { formats: (formats[column] ?? []).map((f) => t(`historicalImport.format.${f}`)).join(', ') }) : undefined}>
      <select id={id} className="form-select" value={value ?? 'iso'} onChange={(e) => onChange(e.target.value as DateFormat)} aria-describedby={column && formats[column]?.length ? `${id}-hint` : undefined}>
        {DATE_FORMATS.map((f) => (
          <option key={f} value={f}>
            {t(`historicalImport.format.${f}`)}
          </option>
        ))}
      </select>
    </Field>
  );

  return (
    <div>
      <p>{t('historicalImport.sniffed', { file: imp.filename, rows: imp.rowCount, columns: imp.columns.length, encoding: imp.encoding, delimiter: delimiterLabel(imp.delimiter) })}</p>
      {imp.preview && imp.preview.rows.length > 0 && (
        <>
          <h3 className="h6">{t('historicalImport.preview')}</h3>
          <DataTable caption={t('historicalImport.preview')} columns={[t('historicalImport.line'), ...imp.columns]} className="table-sm small" wrapperClassName="mb-3 import-preview">
            {imp.preview.rows.map((r) => (
              <tr key={r.line}>
                <td>{r.line}</td>
                {imp.columns.map((c, i) => (
                  <td key={c}>{r.cells[i] ?? ''}</td>
                ))}
              </tr>
            ))}
          </DataTable>
        </>
      )}
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <ErrorAlert error={error} onClose={() => setError(null)} />
        <Notice text={notice} onClose={() => setNotice(null)} />
        <div className="row">
          {SINGLE_ROLES.map((role) => (
            <div className="col-12 col-md-4" key={role}>
              <Field id={`hi-role-${role}`} label={t(`historicalImport.role.${role}`)} required={REQUIRED.includes(role)} error={errors[role]}>
                <select id={`hi-role-${role}`} className="form-select" value={roles[role] ?? ''} onChange={(e) => setColumn(role, e.target.value)} aria-required={REQUIRED.includes(role) || undefined}>
                  <option value="">{t('historicalImport.none')}</option>
                  {imp.columns.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </Field>
              {role === 'createdAt' && formatSelect('hi-created-format', roles.createdAt, roles.createdFormat, (f) => set({ createdFormat: f }))}
              {role === 'closedAt' && roles.closedAt && formatSelect('hi-closed-format', roles.closedAt, roles.closedFormat ?? roles.createdFormat, (f) => set({ closedFormat: f }))}
              {role === 'category' && (
                <Field id="hi-separator" label={t('historicalImport.role.separator')} hint={t('historicalImport.role.separatorHint')}>
                  <input id="hi-separator" type="text" className="form-control" maxLength={3} value={roles.categorySeparator ?? ''} onChange={(e) => set({ categorySeparator: e.target.value || undefined })} aria-describedby="hi-separator-hint" />
                </Field>
              )}
            </div>
          ))}
        </div>
        <fieldset className="mb-3">
          <legend className="form-label fw-semibold fs-6">{t('historicalImport.role.text')}</legend>
          <p className="form-text mt-0">{t('historicalImport.role.textHint')}</p>
          {imp.columns.map((c, i) => (
            <div className="form-check form-check-inline" key={c}>
              <input
                id={`hi-text-${i}`}
                type="checkbox"
                className="form-check-input"
                checked={roles.text?.includes(c) ?? false}
                onChange={(e) => set({ text: e.target.checked ? [...(roles.text ?? []), c] : (roles.text ?? []).filter((x) => x !== c) })}
              />
              <label htmlFor={`hi-text-${i}`} className="form-check-label">
                {c}
              </label>
            </div>
          ))}
        </fieldset>
        <div className="row">
          <div className="col-12 col-md-4">
            <Field id="hi-tz" label={t('historicalImport.role.timeZone')} error={errors.timeZone}>
              <input id="hi-tz" type="text" className="form-control" value={roles.timeZone} onChange={(e) => set({ timeZone: e.target.value })} />
            </Field>
          </div>
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('historicalImport.saveColumns')}
        </button>
      </form>
    </div>
  );
}
