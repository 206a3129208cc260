import { type FormEvent, type ReactNode, useState } from 'react';
import { client, fieldErrors, unwrap } from '../api/client.js';
import { Alert, controlClass, ErrorAlert, Field, fieldA11y, Spinner } from '../components/ui.js';
import { type MessageKey, useI18n } from '../i18n/index.js';
import { useApiGet, useSubmission } from '../lib/hooks.js';
import { Link } from '../lib/router.js';

/** A text input of the setup forms, labelled, described and marked invalid from the API's field errors. */
function TextField({ id, label, hint, error, value, onChange, type = 'text', autoComplete, required = true }: {
  id: string; label: string; hint?: string; error?: string; value: string; onChange: (value: string) => void; type?: string; autoComplete?: string; required?: boolean;
}) {
  return (
    <Field id={id} label={label} error={error} hint={hint} required={required}>
      <input
        type={type}
        className={controlClass('form-control', error)}
        autoComplete={autoComplete}
        required={required}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        {...fieldA11y(id, error, hint !== undefined)}
      />
    </Field>
  );
}

function Card({ title, children }: { title: MessageKey; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="row justify-content-center">
      <section className="col-12 col-md-10 col-lg-7" aria-labelledby="page-title">
        <div className="card card-bg shadow-sm p-4 mt-3">
          <h1 id="page-title" className="h2">
            {t(title)}
          </h1>
          {children}
        </div>
      </section>
    </div>
  );
}

/**
 * The first-run page (issue 11): while the network has no coordinator, whoever holds the setup
 * token printed in the server log creates the network, its coordinating body and their own
 * coordinator account. Once a coordinator exists the page only points to the sign-in.
 */
export function SetupPage() {
  const { t, locale } = useI18n();
  const status = useApiGet('/setup');
  const { busy, error, run } = useSubmission();
  const [done, setDone] = useState<string | null>(null);
  const [form, setForm] = useState({ token: '', networkName: '', organisation: '', ipaCode: '', name: '', email: '', password: '' });
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const errors = fieldErrors(error);

  if (status.loading) return <Spinner />;
  if (done !== null || status.data?.required === false) {
    return (
      <Card title="setup.title">
        <Alert kind={done !== null ? 'success' : 'info'}>{done !== null ? t('setup.done', { email: done }) : t('setup.notRequired')}</Alert>
        <Link href="/login" className="btn btn-primary">
          {t('setup.toLogin')}
        </Link>
      </Card>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const created = await unwrap(
        client.POST('/setup', {
          body: {
            token: form.token.trim(),
            networkName: form.networkName.trim(),
            organisation: { name: (form.organisation.trim() || form.networkName).trim(), ...(form.ipaCode.trim() && { ipaCode: form.ipaCode.trim() }) },
            coordinator: { name: form.name.trim(), email: form.email.trim(), password: form.password, locale },
          },
        }),
      );
      setDone(created.data.email);
    });
  };

  return (
    <Card title="setup.title">
      <p>{t('setup.intro')}</p>
      <ErrorAlert error={error} />
      <form onSubmit={submit} noValidate>
        <TextField id="setup-token" label={t('setup.token')} hint={t('setup.tokenHint')} error={errors.token} value={form.token} onChange={set('token')} autoComplete="off" />
        <TextField id="setup-network" label={t('setup.networkName')} hint={t('setup.networkNameHint')} error={errors.networkName} value={form.networkName} onChange={set('networkName')} />
        <TextField id="setup-organisation" label={t('setup.organisation')} error={errors['organisation.name']} value={form.organisation} onChange={set('organisation')} autoComplete="organization" />
        <TextField id="setup-ipa" label={t('setup.ipaCode')} error={errors['organisation.ipaCode']} value={form.ipaCode} onChange={set('ipaCode')} required={false} />
        <TextField id="setup-name" label={t('setup.coordinatorName')} error={errors['coordinator.name']} value={form.name} onChange={set('name')} autoComplete="name" />
        <TextField id="setup-email" type="email" label={t('setup.coordinatorEmail')} error={errors['coordinator.email']} value={form.email} onChange={set('email')} autoComplete="username" />
        <TextField id="setup-password" type="password" label={t('setup.password')} error={errors['coordinator.password']} value={form.password} onChange={set('password')} autoComplete="new-password" />
        <button type="submit" className="btn btn-primary w-100" disabled={busy}>
          {busy ? t('setup.submitting') : t('setup.submit')}
        </button>
      </form>
    </Card>
  );
}

/** The page of a one-time link to set a password; the token travels in the URL fragment, never to a server log. */
export function PasswordLinkPage() {
  const { t } = useI18n();
  const token = decodeURIComponent(window.location.hash.replace(/^#/, ''));
  const { busy, error, setError, run } = useSubmission();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const errors = fieldErrors(error);

  if (done !== null) {
    return (
      <Card title="passwordLink.title">
        <Alert kind="success">{t('passwordLink.done', { email: done })}</Alert>
        <Link href="/login" className="btn btn-primary">
          {t('setup.toLogin')}
        </Link>
      </Card>
    );
  }
  if (token === '') {
    return (
      <Card title="passwordLink.title">
        <Alert kind="warning">{t('passwordLink.missing')}</Alert>
      </Card>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    await run(async () => {
      const result = await unwrap(client.POST('/auth/password-link', { body: { token, password } }));
      setDone(result.data.email);
    });
  };

  return (
    <Card title="passwordLink.title">
      <p>{t('passwordLink.intro')}</p>
      <ErrorAlert error={error} />
      <form onSubmit={submit} noValidate>
        <TextField id="link-password" type="password" label={t('passwordLink.password')} error={errors.password} value={password} onChange={setPassword} autoComplete="new-password" />
        <TextField id="link-confirm" type="password" label={t('passwordLink.confirm')} error={mismatch ? t('passwordLink.mismatch') : undefined} value={confirm} onChange={setConfirm} autoComplete="new-password" />
        <button type="submit" className="btn btn-primary w-100" disabled={busy}>
          {t('passwordLink.submit')}
        </button>
      </form>
    </Card>
  );
}
