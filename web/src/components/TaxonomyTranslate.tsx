import { type FormEvent, useState } from 'react';
import { type ApiResponseBody, apiGet } from '../api/client.js';
import type { Taxonomy } from '../api/types.js';
import { useI18n } from '../i18n/index.js';
import { ErrorAlert, Field, fieldA11y } from './ui.js';

type Translation = ApiResponseBody<'/taxonomy/translate'>;

/** Any code of any version → its code(s) in the current version, as the archive needs to compare years. */
export function TaxonomyTranslate({ versions, taxonomy }: { versions: readonly string[]; taxonomy: Taxonomy }) {
  const { t, label } = useI18n();
  const [fromVersion, setFromVersion] = useState(versions.at(-1) ?? '');
  const [facet, setFacet] = useState('tema');
  const [code, setCode] = useState('');
  const [result, setResult] = useState<Translation | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setResult(null);
    try {
      setResult((await apiGet('/taxonomy/translate', { query: { facet, code: code.trim(), fromVersion } })).data);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section aria-labelledby="taxonomy-translate-title" className="mt-5" data-testid="taxonomy-translate">
      <h2 id="taxonomy-translate-title">{t('taxonomyEditor.translate.title')}</h2>
      <p>{t('taxonomyEditor.translate.intro')}</p>
      <form onSubmit={submit} className="row align-items-end">
        <div className="col-md-3">
          <Field id="translate-version" label={t('taxonomyEditor.translate.from')}>
            <select className="form-select" value={fromVersion} onChange={(e) => setFromVersion(e.target.value)} {...fieldA11y('translate-version')}>
              {versions.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="col-md-3">
          <Field id="translate-facet" label={t('taxonomyEditor.facet')}>
            <select className="form-select" value={facet} onChange={(e) => setFacet(e.target.value)} {...fieldA11y('translate-facet')}>
              {taxonomy.facets.map((f) => (
                <option key={f.code} value={f.code}>
                  {label(f.label)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="col-md-4">
          <Field id="translate-code" label={t('taxonomyEditor.translate.code')} required>
            <input className="form-control" value={code} onChange={(e) => setCode(e.target.value)} required pattern="[a-z0-9_.]+" {...fieldA11y('translate-code')} />
          </Field>
        </div>
        <div className="col-md-2 mb-3">
          <button type="submit" className="btn btn-primary">
            {t('taxonomyEditor.translate.submit')}
          </button>
        </div>
      </form>
      <ErrorAlert error={error} onClose={() => setError(null)} />
      {result && (
        <div role="status" data-testid="translate-result">
          <p className="mb-1">{t('taxonomyEditor.translate.result', { version: result.toVersion })}</p>
          {result.targets.length === 0 && result.lost.length === 0 && <p>{t('taxonomyEditor.translate.none')}</p>}
          <ul>
            {result.targets.map((x) => (
              <li key={x.code}>
                <code>{x.code}</code> {x.label ? `— ${label(x.label)}` : ''} ({t(`taxonomyEditor.op.relation.${x.relation}`)})
              </li>
            ))}
            {result.lost.map((x) => (
              <li key={`${x.code}@${x.version}`}>{t('taxonomyEditor.translate.lost', { code: x.code, version: x.version })}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
