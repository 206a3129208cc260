import { type FormEvent, useEffect, useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { controlClass, ErrorAlert, Field, fieldA11y } from '../components/ui.js';
import { useI18n } from '../i18n/index.js';
import { useApiGet } from '../lib/hooks.js';
import { Link, navigate } from '../lib/router.js';
import { safeNext, useSession } from '../lib/session.js';

export function LoginPage({ search }: { search: string }) {
  const { t } = useI18n();
  const { session, login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(new URLSearchParams(search).get('next'));
  const setup = useApiGet('/setup');

  useEffect(() => {
    if (session) navigate(next, { replace: true });
  }, [session, next]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
    } catch (err) {
      setError(err);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const errors = fieldErrors(error);

  return (
    <div className="row justify-content-center">
      <section className="col-12 col-md-8 col-lg-5" aria-labelledby="page-title">
        <div className="card card-bg shadow-sm p-4 mt-3">
          <h1 id="page-title" className="h2">
            {t('login.title')}
          </h1>
          <p>{t('login.intro')}</p>
          {setup.data?.required && (
            <div className="alert alert-info" role="status">
              <Link href="/setup">{t('setup.loginLink')}</Link>
            </div>
          )}
          <ErrorAlert error={error} />
          <form onSubmit={onSubmit} noValidate>
            <Field id="login-email" label={t('login.email')} error={errors.email} required>
              <input
                type="email"
                className={controlClass('form-control', errors.email)}
                autoComplete="username"
                // biome-ignore lint/a11y/noAutofocus: the login form is the whole page
                autoFocus
                required
                value={email}
                onChange={(event) => setEmail(event.target.value)}
                {...fieldA11y('login-email', errors.email)}
              />
            </Field>
            <Field id="login-password" label={t('login.password')} error={errors.password} required>
              <input
                type="password"
                className={controlClass('form-control', errors.password)}
                autoComplete="current-password"
                required
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                {...fieldA11y('login-password', errors.password)}
              />
            </Field>
            <button type="submit" className="btn btn-primary w-100" disabled={busy}>
              {busy ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
          <p className="mt-3 mb-0">
            <Link href="/stato">{t('app.citizenStatus')}</Link>
            {' · '}
            <Link href="/faq">{t('faqPortal.link')}</Link>
          </p>
        </div>
      </section>
    </div>
  );
}
