import { type FormEvent, useState } from 'react';
import { type ApiResponseBody, apiGet } from '../api/client.js';
import { controlClass, ErrorAlert, Field, fieldA11y } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { Link } from '../lib/router.js';

type CitizenView = ApiResponseBody<'/portal/tickets/{code}'>;

/** Public page: a citizen types the code read to them on the phone and sees who handles the request now. */
export function CitizenStatusPage({ search }: { search: string }) {
  const { t, label, fmt } = useI18n();
  const [code, setCode] = useState(new URLSearchParams(search).get('codice') ?? '');
  const [view, setView] = useState<CitizenView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setView(null);
    try {
      setView((await apiGet('/portal/tickets/{code}', { path: { code: code.trim() } })).data);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="row justify-content-center">
      <section className="col-12 col-md-10 col-lg-7" aria-labelledby="page-title">
        <h1 id="page-title">{t('citizen.title')}</h1>
        <p>{t('citizen.intro')}</p>
        <p>
          <Link href="/faq">{t('faqPortal.link')}</Link>
          {' · '}
          <Link href="/richiesta">{t('portalRequest.link')}</Link>
        </p>
        <form onSubmit={onSubmit} noValidate className="mb-4">
          <Field id="citizen-code" label={t('citizen.code')} hint={t('citizen.codeHint')} required>
            <input
              type="text"
              className={controlClass('form-control text-uppercase')}
              autoComplete="off"
              spellCheck={false}
              required
              value={code}
              onChange={(event) => setCode(event.target.value)}
              {...fieldA11y('citizen-code', undefined, true)}
            />
          </Field>
          <button type="submit" className="btn btn-primary" disabled={busy || code.trim().length < 9}>
            {t('citizen.submit')}
          </button>
        </form>
        <ErrorAlert error={error} />
        {view && (
          <div className="card card-bg shadow-sm p-4" aria-live="polite">
            <h2 className="h4">
              {t('citizen.request')} <span className="font-monospace">{view.code}</span>
            </h2>
            <p className="lead">
              {t('citizen.status')}: <strong>{label(view.statusLabel)}</strong>
            </p>
            <h3 className="h5">{t('citizen.handledBy')}</h3>
            <p className="mb-1">
              <strong>{view.handledBy.name}</strong> — {view.handledBy.organisation}
            </p>
            <p className="mb-1">
              {view.handledBy.phone && <span className="me-3">{view.handledBy.phone}</span>}
              {view.handledBy.email && <a href={`mailto:${view.handledBy.email}`}>{view.handledBy.email}</a>}
            </p>
            <p>{view.handledBy.openNow ? t('citizen.openNow') : t('citizen.closedNow')}</p>
            {view.previousOffices.length > 0 && (
              <>
                <h3 className="h5">{t('citizen.previous')}</h3>
                <ul>
                  {view.previousOffices.map((o) => (
                    <li key={`${o.name}-${o.until}`}>
                      {o.name} — {o.organisation} ({t('citizen.until')} {fmt(o.until)})
                    </li>
                  ))}
                </ul>
              </>
            )}
            <p className="small text-muted mb-0">
              {t('citizen.openedOn')} {fmt(view.createdAt)} · {t('citizen.updatedOn')} {fmt(view.updatedAt)}
            </p>
          </div>
        )}
      </section>
    </div>
  );
}
