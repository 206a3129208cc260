import { type FormEvent, useState } from 'react';
import { client, fieldErrors, unwrap } from '../api/client.js';
import { type ApiToken, TOKEN_SCOPES, type TokenScope } from '../api/types.js';
import { controlClass, DataTable, ErrorAlert, Field, fieldA11y, HiddenHeading, Notice, Spinner } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { useApiGet } from '../lib/hooks.js';

export function TokensPage() {
  const { t, fmt } = useI18n();
  const tokens = useApiGet('/me/tokens');
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScope[]>(['tickets:read']);
  const [days, setDays] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [scopeError, setScopeError] = useState<string | undefined>();
  const errors = fieldErrors(error);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setNotice(null);
    if (scopes.length === 0) {
      setScopeError(t('tokens.scopeRequired'));
      return;
    }
    setScopeError(undefined);
    try {
      const expires = Number.parseInt(days, 10);
      const { data } = await unwrap(
        client.POST('/me/tokens', {
          body: { name: name.trim(), scopes, ...(Number.isFinite(expires) && expires > 0 ? { expiresInDays: expires } : {}) },
        }),
      );
      setSecret(data.secret);
      setCopied(false);
      setName('');
      await tokens.reload();
    } catch (err) {
      setError(err);
    }
  };

  const revoke = async (token: ApiToken) => {
    if (!window.confirm(t('tokens.revokeConfirm', { name: token.name }))) return;
    setError(null);
    try {
      await unwrap(client.DELETE('/me/tokens/{id}', { params: { path: { id: token.id } } }));
      setNotice(t('tokens.revoked'));
      await tokens.reload();
    } catch (err) {
      setError(err);
    }
  };

  const copy = async () => {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      document.getElementById('token-secret')?.focus();
    }
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('tokens.title')}</h1>
      <p>{t('tokens.intro')}</p>
      <Notice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={error ?? tokens.error} onClose={() => setError(null)} />
      {secret && (
        <div className="callout success" role="status">
          <div className="callout-title">{t('tokens.created')}</div>
          <label htmlFor="token-secret" className="form-label fw-semibold">
            {t('tokens.secret')}
          </label>
          <div className="input-group">
            <input id="token-secret" className="form-control font-monospace" readOnly value={secret} onFocus={(e) => e.target.select()} />
            <button type="button" className="btn btn-primary" onClick={() => void copy()}>
              {t('tokens.copy')}
            </button>
          </div>
          {copied && <p className="small mt-1 mb-0">{t('tokens.copied')}</p>}
        </div>
      )}
      <div className="row">
        <div className="col-12 col-lg-7">
          {!tokens.data ? (
            <Spinner />
          ) : tokens.data.items.length === 0 ? (
            <p className="text-muted">{t('tokens.empty')}</p>
          ) : (
            <DataTable
              caption={t('tokens.title')}
              columns={[
                t('tokens.name'),
                t('tokens.scopes'),
                t('tokens.col.createdAt'),
                t('tokens.col.lastUsedAt'),
                t('tokens.col.expiresAt'),
                <HiddenHeading key="revoke">{t('tokens.revoke')}</HiddenHeading>,
              ]}
            >
              {tokens.data.items.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td className="small">{token.scopes.map((s) => t(`tokens.scope.${s}`)).join(', ')}</td>
                  <td className="small text-nowrap">{fmt(token.createdAt)}</td>
                  <td className="small text-nowrap">{token.lastUsedAt ? fmt(token.lastUsedAt) : t('tokens.never')}</td>
                  <td className="small text-nowrap">{token.expiresAt ? fmt(token.expiresAt, 'date') : t('tokens.never')}</td>
                  <td>
                    <button type="button" className="btn btn-outline-danger btn-sm" onClick={() => void revoke(token)}>
                      {t('tokens.revoke')} <span className="visually-hidden">{token.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </div>
        <div className="col-12 col-lg-5">
          <form className="card card-bg shadow-sm p-3" onSubmit={create} aria-labelledby="token-create-title" noValidate>
            <h2 id="token-create-title" className="h5">
              {t('tokens.create')}
            </h2>
            <Field id="token-name" label={t('tokens.name')} error={errors.name} required>
              <input className={controlClass('form-control', errors.name)} value={name} onChange={(e) => setName(e.target.value)} required {...fieldA11y('token-name', errors.name)} />
            </Field>
            <fieldset className="mb-3" aria-describedby={scopeError ? 'token-scopes-error' : undefined}>
              <legend className="form-label fw-semibold fs-6">{t('tokens.scopes')}</legend>
              {TOKEN_SCOPES.map((scope) => (
                <div className="form-check" key={scope}>
                  <input
                    id={`token-scope-${scope.replace(':', '-')}`}
                    type="checkbox"
                    className="form-check-input"
                    checked={scopes.includes(scope)}
                    onChange={() => setScopes((list) => (list.includes(scope) ? list.filter((s) => s !== scope) : [...list, scope]))}
                  />
                  <label className="form-check-label" htmlFor={`token-scope-${scope.replace(':', '-')}`}>
                    {t(`tokens.scope.${scope}`)} <code>{scope}</code>
                  </label>
                </div>
              ))}
              {(scopeError ?? errors.scopes) && (
                <div id="token-scopes-error" className="invalid-feedback d-block">
                  {scopeError ?? errors.scopes}
                </div>
              )}
            </fieldset>
            <Field id="token-days" label={t('tokens.expiresInDays')} error={errors.expiresInDays}>
              <input type="number" min={1} max={3650} className={controlClass('form-control', errors.expiresInDays)} value={days} onChange={(e) => setDays(e.target.value)} {...fieldA11y('token-days', errors.expiresInDays)} />
            </Field>
            <button type="submit" className="btn btn-primary">
              {t('tokens.create')}
            </button>
          </form>
        </div>
      </div>
    </section>
  );
}
