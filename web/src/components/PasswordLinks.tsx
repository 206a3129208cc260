import { useEffect, useRef, useState } from 'react';
import type { ApiResponseBody } from '../api/client.js';
import { useI18n } from '../i18n/index.js';
import { useApiGet } from '../lib/hooks.js';
import { DataTable, ErrorAlert, HiddenHeading } from './ui.js';

type PasswordLink = ApiResponseBody<'/admin/imports/password-links'>['items'][number];

/** The queue that issues the links polls every couple of seconds: ask again at that pace, for a while. */
const LINKS_POLL_MS = 2000;
const LINKS_POLL_FOR_MS = 30_000;

/** Copies `text`; where the Clipboard API is missing or refused, selects the field so that Ctrl+C works. */
async function copyText(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field?.focus();
    field?.select();
    return false;
  }
}

/**
 * The one-time links to set a password of the people an import created, for the admin to hand over
 * when no mail server sends them. The links are issued by a background job: after an import that
 * asked for `expected` new links, the list is asked again until they are all there (or a while passed).
 */
export function PasswordLinks({ organisationId, expected }: { organisationId: string | undefined; expected: { count: number } | null }) {
  const { t, fmt } = useI18n();
  const links = useApiGet('/admin/imports/password-links', { query: { organisationId } });
  const [copied, setCopied] = useState<string | null>(null);
  const items: PasswordLink[] = links.data?.items ?? [];
  // How many links there were before the import (the job has not run yet), and how long to keep asking.
  const count = useRef(0);
  count.current = items.length;
  const [baseline, setBaseline] = useState(0);
  const [timedOut, setTimedOut] = useState(false);
  useEffect(() => {
    if (!expected) return;
    setBaseline(count.current);
    setTimedOut(false);
    const timer = setTimeout(() => setTimedOut(true), LINKS_POLL_FOR_MS);
    return () => clearTimeout(timer);
  }, [expected]);

  const waiting = expected !== null && expected.count > 0 && !timedOut && items.length < baseline + expected.count;
  const { reload } = links;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void reload(), LINKS_POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, reload]);

  const copy = async (link: PasswordLink) => {
    const ok = await copyText(link.url, document.getElementById(`pwlink-${link.userId}`) as HTMLInputElement | null);
    setCopied(ok ? t('onboarding.links.copied', { email: link.email }) : t('onboarding.links.copyFailed'));
  };

  return (
    <section aria-labelledby="pwlinks-title" className="mt-4" data-testid="password-links">
      <h2 id="pwlinks-title" className="h5">
        {t('onboarding.links.title')}
      </h2>
      <p>{t('onboarding.links.intro')}</p>
      <ErrorAlert error={links.error} />
      <p className="visually-hidden" role="status">
        {copied ?? ''}
      </p>
      {waiting && <p className="form-text">{t('onboarding.links.waiting')}</p>}
      {links.data && items.length === 0 && !waiting && <p>{t('onboarding.links.none')}</p>}
      {items.length > 0 && (
        <DataTable
          caption={t('onboarding.links.caption')}
          className="table-sm align-middle"
          columns={[t('onboarding.links.person'), t('onboarding.links.organisation'), t('onboarding.links.expires'), t('onboarding.links.link'), <HiddenHeading key="copy">{t('onboarding.links.copy')}</HiddenHeading>]}
        >
          {items.map((link) => (
            <tr key={link.userId} data-email={link.email}>
              <td>
                {link.name}
                <br />
                <span className="small">{link.email}</span>
              </td>
              <td>{link.organisationName ?? '—'}</td>
              <td>
                {fmt(link.expiresAt)}
                {link.mailed && <span className="d-block small">{t('onboarding.links.mailed')}</span>}
              </td>
              <td>
                <input id={`pwlink-${link.userId}`} type="text" readOnly className="form-control form-control-sm pwlink-field" value={link.url} aria-label={t('onboarding.links.linkFor', { email: link.email })} onFocus={(e) => e.currentTarget.select()} />
              </td>
              <td>
                <button type="button" className="btn btn-outline-primary btn-sm" onClick={() => void copy(link)} aria-label={t('onboarding.links.copyFor', { email: link.email })}>
                  {t('onboarding.links.copy')}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <button type="button" className="btn btn-link btn-sm px-0" onClick={() => void reload()}>
        {t('onboarding.links.reload')}
      </button>
    </section>
  );
}
