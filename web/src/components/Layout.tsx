import { type ReactNode, useState } from 'react';
import type { Locale } from '../api/types.js';
import { LOCALES, useI18n } from '../i18n/index.js';
import { Link } from '../lib/router.js';
import { useNotifications } from '../lib/notifications.js';
import { ADMIN_ROLES, hasRole, useSession } from '../lib/session.js';
import { canAuthorFaqs, FAQ_EDITORIAL_PATH } from '../pages/FaqEditorPage.js';
import { NotificationAnnouncer, NotificationBell } from './NotificationBell.js';
import { Icon } from './ui.js';

const LANGUAGE_SHORT: Record<Locale, string> = { it: 'ITA', en: 'ENG' };

function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <div className="language-switch" role="group" aria-label={t('app.language')}>
      {LOCALES.map((code) => (
        <button
          key={code}
          type="button"
          lang={code}
          className={`btn btn-sm ${code === locale ? 'lang-active' : 'lang-other'}`}
          aria-pressed={code === locale}
          aria-label={t(`app.language.${code}`)}
          onClick={() => setLocale(code)}
        >
          {LANGUAGE_SHORT[code]}
        </button>
      ))}
    </div>
  );
}

interface NavItem {
  href: string;
  label: string;
  match: (pathname: string) => boolean;
  /** A count shown as a badge (pending requests). */
  badge?: number;
  badgeLabel?: string;
}

function Header({ pathname }: { pathname: string }) {
  const { t } = useI18n();
  const { session, logout } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const { pendingRequests } = useNotifications();

  const items: NavItem[] = session
    ? [
        { href: '/', label: t('nav.inbox'), match: (p) => p === '/' || p === '/inbox' || (p.startsWith('/tickets/') && p !== '/tickets/new') },
        { href: '/tickets/new', label: t('nav.newTicket'), match: (p) => p === '/tickets/new' },
        {
          href: '/requests',
          label: t('nav.requests'),
          match: (p) => p.startsWith('/requests'),
          badge: pendingRequests,
          badgeLabel: t('nav.requests.pending', { count: pendingRequests }),
        },
        ...(canAuthorFaqs(session.memberships) ? [{ href: FAQ_EDITORIAL_PATH, label: t('nav.faqEditorial'), match: (p: string) => p.startsWith(FAQ_EDITORIAL_PATH) }] : []),
        ...(hasRole(session.memberships, ADMIN_ROLES) ? [{ href: '/admin', label: t('nav.admin'), match: (p: string) => p.startsWith('/admin') && p !== '/admin/import-storico' }] : []),
        ...(hasRole(session.memberships, ADMIN_ROLES) ? [{ href: '/admin/import-storico', label: t('historicalImport.nav'), match: (p: string) => p === '/admin/import-storico' }] : []),
        ...(hasRole(session.memberships, ADMIN_ROLES) ? [{ href: '/faq/lacune', label: t('faqGaps.nav'), match: (p: string) => p === '/faq/lacune' || p === '/faq/thesaurus' }] : []),
        { href: '/taxonomia', label: t('taxonomyEditor.nav'), match: (p) => p.startsWith('/taxonomia') },
        { href: '/account/tokens', label: t('nav.tokens'), match: (p) => p.startsWith('/account/tokens') },
      ]
    : [];

  return (
    <header className="it-header-wrapper">
      <div className="it-header-slim-wrapper">
        <div className="container">
          <div className="row">
            <div className="col-12">
              <div className="it-header-slim-wrapper-content">
                <span className="d-none d-lg-block navbar-brand">{t('app.footer.network')}</span>
                <div className="it-header-slim-right-zone gap-3">
                  <LanguageSwitch />
                  {session && (
                    <>
                      <NotificationBell />
                      <span className="text-white d-none d-md-inline" data-testid="current-user">
                        <Icon name="user" className="icon-white icon-sm me-1" />
                        {session.user.name}
                      </span>
                      <button type="button" className="btn btn-primary btn-sm btn-icon" onClick={() => void logout()}>
                        <Icon name="logout" className="icon-white icon-sm me-1" />
                        <span>{t('app.logout')}</span>
                      </button>
                    </>
                  )}
                </div>
              </div>
            </div>
          </div>
        </div>
      </div>
      <div className="it-nav-wrapper">
        <div className="it-header-center-wrapper">
          <div className="container">
            <div className="row">
              <div className="col-12">
                <div className="it-header-center-content-wrapper">
                  <div className="it-brand-wrapper">
                    <Link href="/">
                      <Icon name="pa" className="icon-xl" />
                      <div className="it-brand-text">
                        <div className="it-brand-title">{t('app.name')}</div>
                        <div className="it-brand-tagline d-none d-md-block">{t('app.tagline')}</div>
                      </div>
                    </Link>
                  </div>
                </div>
              </div>
            </div>
          </div>
        </div>
        {items.length > 0 && (
          <div className="it-header-navbar-wrapper">
            <div className="container">
              <div className="row">
                <div className="col-12">
                  <nav className="navbar navbar-expand-lg" aria-label={t('app.mainMenu')} id="main-nav">
                    <button
                      className="custom-navbar-toggler"
                      type="button"
                      aria-controls="main-menu"
                      aria-expanded={menuOpen}
                      aria-label={menuOpen ? t('app.closeMenu') : t('app.openMenu')}
                      onClick={() => setMenuOpen((v) => !v)}
                    >
                      <Icon name="burger" />
                    </button>
                    <div className={`navbar-collapsable urp-navbar ${menuOpen ? 'expanded' : ''}`} id="main-menu">
                      <div className="menu-wrapper">
                        <ul className="navbar-nav">
                          {items.map((item) => {
                            const active = item.match(pathname);
                            return (
                              <li className="nav-item" key={item.href}>
                                <Link
                                  className={`nav-link ${active ? 'active' : ''}`}
                                  href={item.href}
                                  aria-current={active ? 'page' : undefined}
                                  onClick={() => setMenuOpen(false)}
                                >
                                  <span>{item.label}</span>
                                  {item.badge ? (
                                    <>
                                      <span className="badge rounded-pill bg-danger ms-1 nav-badge" aria-hidden="true" data-testid={`nav-badge-${item.href.slice(1)}`}>
                                        {item.badge}
                                      </span>
                                      <span className="visually-hidden"> ({item.badgeLabel})</span>
                                    </>
                                  ) : null}
                                </Link>
                              </li>
                            );
                          })}
                        </ul>
                      </div>
                    </div>
                  </nav>
                </div>
              </div>
            </div>
          </div>
        )}
      </div>
    </header>
  );
}

function Footer() {
  const { t } = useI18n();
  return (
    <footer className="it-footer">
      <div className="it-footer-main">
        <div className="container">
          <div className="row">
            <div className="col-12 py-4">
              <div className="it-brand-wrapper">
                <span className="d-flex align-items-center text-white gap-2">
                  <Icon name="pa" className="icon-xl icon-white" />
                  <span className="it-brand-text">
                    <span className="h3 text-white d-block mb-0">{t('app.name')}</span>
                    <span className="d-block">{t('app.tagline')}</span>
                  </span>
                </span>
              </div>
            </div>
          </div>
        </div>
      </div>
      <div className="it-footer-small-prints clearfix">
        <div className="container">
          <ul className="it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row">
            <li className="list-inline-item">
              <a href="/api/docs" className="text-white">
                {t('app.footer.api')}
              </a>
            </li>
            <li className="list-inline-item">
              <Link href="/faq" className="text-white">
                {t('faqPortal.link')}
              </Link>
            </li>
            <li className="list-inline-item text-white">{t('app.footer.legal')}</li>
          </ul>
        </div>
      </div>
    </footer>
  );
}

export function Layout({ pathname, children }: { pathname: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <div className="skiplinks">
        <a className="visually-hidden-focusable" href="#main-content">
          {t('app.skipToContent')}
        </a>
      </div>
      <Header pathname={pathname} />
      <NotificationAnnouncer />
      <main id="main-content" tabIndex={-1} className="container my-4 urp-main">
        {children}
      </main>
      <Footer />
    </>
  );
}
