import type { ReactNode } from 'react';
import { useI18n } from '../i18n/index.js';
import { Link } from '../lib/router.js';

export const ACCESSIBILITY_PATH = '/accessibilita';
export const PRIVACY_NOTICE_PATH = '/privacy';

const FEEDBACK_EMAIL = 'accessibilita@urpnet.invalid';
const AGID_FORM = 'https://form.agid.gov.it';

function StatementSection({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="mb-4">
      <h2 id={id} className="h4">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** Public page: the accessibility statement on AgID's model (conformity, known gaps, feedback, enforcement). */
export function AccessibilityStatementPage() {
  const { t } = useI18n();
  return (
    <div className="row justify-content-center">
      <article className="col-12 col-lg-9" aria-labelledby="page-title">
        <h1 id="page-title">{t('a11y.title')}</h1>
        <p>{t('a11y.intro')}</p>
        <StatementSection id="a11y-status" title={t('a11y.status.title')}>
          <p>{t('a11y.status.body')}</p>
        </StatementSection>
        <StatementSection id="a11y-gaps" title={t('a11y.gaps.title')}>
          <p>{t('a11y.gaps.intro')}</p>
          <ul>
            <li>{t('a11y.gaps.charts')}</li>
            <li>{t('a11y.gaps.map')}</li>
            <li>{t('a11y.gaps.timeout')}</li>
            <li>{t('a11y.gaps.attachments')}</li>
          </ul>
        </StatementSection>
        <StatementSection id="a11y-preparation" title={t('a11y.preparation.title')}>
          <p>{t('a11y.preparation.body')}</p>
        </StatementSection>
        <StatementSection id="a11y-feedback" title={t('a11y.feedback.title')}>
          <p>{t('a11y.feedback.body')}</p>
          <ul>
            <li>
              <Link href="/richiesta">{t('a11y.feedback.form')}</Link>
            </li>
            <li>
              {t('a11y.feedback.email')}{' '}
              <a href={`mailto:${FEEDBACK_EMAIL}`}>{FEEDBACK_EMAIL}</a>
            </li>
          </ul>
          <p>{t('a11y.feedback.time')}</p>
        </StatementSection>
        <StatementSection id="a11y-enforcement" title={t('a11y.enforcement.title')}>
          <p>{t('a11y.enforcement.body')}</p>
          <p>
            <a href={AGID_FORM} target="_blank" rel="noopener noreferrer">
              {t('a11y.enforcement.link')} <span className="visually-hidden">{t('a11y.newWindow')}</span>
            </a>
          </p>
        </StatementSection>
      </article>
    </div>
  );
}

/** Public page: the short notice on personal data that the request form links to. */
export function PrivacyNoticePage() {
  const { t } = useI18n();
  return (
    <div className="row justify-content-center">
      <article className="col-12 col-lg-9" aria-labelledby="page-title">
        <h1 id="page-title">{t('privacyNotice.title')}</h1>
        <p>{t('privacyNotice.intro')}</p>
        <StatementSection id="privacy-controller" title={t('privacyNotice.controller.title')}>
          <p>{t('privacyNotice.controller.body')}</p>
        </StatementSection>
        <StatementSection id="privacy-data" title={t('privacyNotice.data.title')}>
          <p>{t('privacyNotice.data.body')}</p>
        </StatementSection>
        <StatementSection id="privacy-retention" title={t('privacyNotice.retention.title')}>
          <p>{t('privacyNotice.retention.body')}</p>
        </StatementSection>
        <StatementSection id="privacy-rights" title={t('privacyNotice.rights.title')}>
          <p>{t('privacyNotice.rights.body')}</p>
          <p>{t('privacyNotice.cookies')}</p>
        </StatementSection>
        <p>
          <Link href="/richiesta">{t('portalRequest.link')}</Link>
        </p>
      </article>
    </div>
  );
}
