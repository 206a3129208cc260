import { type ReactNode, useId, useState } from 'react';
import type { Locale, Membership } from '../api/types.js';
import { LOCALES, type Translate, useI18n } from '../i18n/index.js';
import { useDisclosure } from '../lib/hooks.js';
import { TICKET_ROLES } from '../lib/landing.js';
import { useNotifications } from '../lib/notifications.js';
import { Link } from '../lib/router.js';
import { ADMIN_ROLES, hasRole, useSession } from '../lib/session.js';
import { ACTIONS_PATH, ALARMS_PATH, canReadAlarms, STAFFING_PATH } from '../pages/analytics-work.js';
import { ANALYTICS_PATH, ARCHIVE_PATH, canAuthorFaqs, canManageMail, canReadArchive, canReadDashboard, canWatchWallboard, COVERAGE_PATH, FAQ_EDITORIAL_PATH, HISTORY_IMPORT_PATH, INCIDENTS_PATH, MAIL_PATH, ONBOARDING_IMPORTS_PATH, PRIVACY_REQUESTS_PATH, RETENTION_PATH, ROUTING_SETTINGS_PATH, WALLBOARD_PATH } from '../pages/paths.js';
import { NotificationAnnouncer, NotificationBell } from './NotificationBell.js';
import { isRoutingOperator, RoutingConsole } from './routing/RoutingConsole.js';
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

/** Several pages under one menu entry, so that the menu keeps to one line. */
interface NavGroup {
  id: string;
  label: string;
  items: NavItem[];
}

type NavEntry = NavItem | NavGroup;

/** Entries that fit on one line of the menu at 1280 px. */
const MAX_MENU_ENTRIES = 7;

const isGroup = (entry: NavEntry): entry is NavGroup => 'items' in entry;

const archiveItem = (t: Translate): NavItem => ({ href: ARCHIVE_PATH, label: t('archive.nav'), match: (p) => p === ARCHIVE_PATH || p.startsWith(`${ARCHIVE_PATH}/`) });
/** The analytics dashboards (issue 14): network-wide for those who read the archive, a body's own for its supervisors and administrators. */
const analyticsItem = (t: Translate): NavItem => ({ href: ANALYTICS_PATH, label: t('analytics.nav'), match: (p) => p === ANALYTICS_PATH });

/**
 * The analytics work pages (issue 14): alarms for those who read them, actions and staffing for
 * every member (the server scopes them to the member's organisations).
 */
const analyticsWorkItems = (memberships: readonly Membership[], t: Translate): NavItem[] => [
  ...(canWatchWallboard(memberships) ? [{ href: WALLBOARD_PATH, label: t('routing.nav'), match: (p: string) => p === WALLBOARD_PATH }] : []),
  ...(canWatchWallboard(memberships) ? [{ href: ROUTING_SETTINGS_PATH, label: t('routingSettings.nav'), match: (p: string) => p === ROUTING_SETTINGS_PATH }] : []),
  // The offices' mailboxes, the mail quarantine and the portal form fields (issue 15).
  ...(canManageMail(memberships) ? [{ href: MAIL_PATH, label: t('citizenStaff.mail.nav'), match: (p: string) => p === MAIL_PATH }] : []),
  ...(canReadAlarms(memberships) ? [{ href: ALARMS_PATH, label: t('analyticsWork.nav.alarms'), match: (p: string) => p === ALARMS_PATH || p.startsWith(`${ALARMS_PATH}/`) }] : []),
  { href: ACTIONS_PATH, label: t('analyticsWork.nav.actions'), match: (p) => p === ACTIONS_PATH || p.startsWith(`${ACTIONS_PATH}/`) },
  { href: STAFFING_PATH, label: t('analyticsWork.nav.staffing'), match: (p) => p === STAFFING_PATH },
];

/** The menu of a user: only the pages their roles can use, administration grouped in one entry. */
export function menuEntries(memberships: readonly Membership[], t: Translate, pendingRequests: number): NavEntry[] {
  const admin = hasRole(memberships, ADMIN_ROLES);
  const entries: NavEntry[] = [];
  if (hasRole(memberships, TICKET_ROLES)) {
    entries.push(
      { href: '/', label: t('nav.inbox'), match: (p) => p === '/' || p === '/inbox' || (p.startsWith('/tickets/') && p !== '/tickets/new') },
      { href: '/tickets/new', label: t('nav.newTicket'), match: (p) => p === '/tickets/new' },
      { href: '/requests', label: t('nav.requests'), match: (p) => p.startsWith('/requests'), badge: pendingRequests, badgeLabel: t('nav.requests.pending', { count: pendingRequests }) },
      { href: INCIDENTS_PATH, label: t('network.nav.incidents'), match: (p) => p.startsWith(INCIDENTS_PATH) },
    );
  }
  if (canAuthorFaqs(memberships)) entries.push({ href: FAQ_EDITORIAL_PATH, label: t('nav.faqEditorial'), match: (p) => p.startsWith(FAQ_EDITORIAL_PATH) });
  if (!admin && hasRole(memberships, ['analyst'])) entries.push({ href: '/faq/lacune', label: t('network.nav.faqAnalytics'), match: (p) => p === '/faq/lacune' });
  entries.push({ href: '/taxonomia', label: t('taxonomyEditor.nav'), match: (p) => p.startsWith('/taxonomia') });
  if (admin) {
    const adminItems: NavItem[] = [
      { href: '/admin', label: t('nav.admin'), match: (p) => p === '/admin' },
      { href: ONBOARDING_IMPORTS_PATH, label: t('onboarding.nav'), match: (p) => p === ONBOARDING_IMPORTS_PATH },
      { href: HISTORY_IMPORT_PATH, label: t('historicalImport.nav'), match: (p) => p === HISTORY_IMPORT_PATH },
      { href: COVERAGE_PATH, label: t('coverage.nav'), match: (p) => p === COVERAGE_PATH },
      { href: '/faq/lacune', label: t('faqGaps.nav'), match: (p) => p === '/faq/lacune' || p === '/faq/thesaurus' },
    ];
    // The anonymised archive and data protection, under one entry of their own.
    const dataItems: NavItem[] = [
      ...(canReadDashboard(memberships) ? [analyticsItem(t)] : []),
      ...(canReadArchive(memberships) ? [archiveItem(t)] : []),
      ...analyticsWorkItems(memberships, t),
      { href: RETENTION_PATH, label: t('privacy.nav.retention'), match: (p) => p === RETENTION_PATH },
      { href: PRIVACY_REQUESTS_PATH, label: t('privacy.nav.requests'), match: (p) => p === PRIVACY_REQUESTS_PATH },
    ];
    const dataGroup = (items: NavItem[]): NavGroup => ({ id: 'data', label: t('privacy.nav.group'), items });
    // Side by side while they fit on one line (the historical import joins the data pages when one entry is missing);
    // under one entry for those who also work on tickets.
    if (entries.length + adminItems.length + 1 <= MAX_MENU_ENTRIES) entries.push(...adminItems, dataGroup(dataItems));
    else if (entries.length + adminItems.length <= MAX_MENU_ENTRIES) {
      entries.push(...adminItems.filter((item) => item.href !== HISTORY_IMPORT_PATH), dataGroup([...adminItems.filter((item) => item.href === HISTORY_IMPORT_PATH), ...dataItems]));
    } else {
      const items = [...adminItems, ...dataItems].map((item) => (item.href === '/admin' ? { ...item, label: t('network.nav.organisation') } : item));
      entries.push({ id: 'admin', label: t('nav.admin'), items });
    }
  } else {
    // Side by side while they fit on one line, else under one entry.
    const items = [...(canReadDashboard(memberships) ? [analyticsItem(t)] : []), ...(canReadArchive(memberships) ? [archiveItem(t)] : []), ...analyticsWorkItems(memberships, t)];
    if (entries.length + items.length <= MAX_MENU_ENTRIES) entries.push(...items);
    else entries.push({ id: 'analysis', label: t('analyticsWork.nav.group'), items });
  }
  return entries;
}

function NavLinkItem({ item, active, onNavigate, className = 'nav-link' }: { item: NavItem; active: boolean; onNavigate: () => void; className?: string }) {
  return (
    <Link className={`${className} ${active ? 'active' : ''}`} href={item.href} aria-current={active ? 'page' : undefined} onClick={onNavigate}>
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
  );
}

/** A menu entry that opens a list of links (disclosure pattern: a button and the list it shows). */
function NavDropdown({ group, pathname, onNavigate }: { group: NavGroup; pathname: string; onNavigate: () => void }) {
  const { open, setOpen, wrapper, button, onKeyDown } = useDisclosure<HTMLLIElement>();
  const listId = useId();
  const active = group.items.some((item) => item.match(pathname));

  return (
    <li className="nav-item dropdown urp-nav-dropdown" ref={wrapper} onKeyDown={onKeyDown} data-testid={`nav-group-${group.id}`}>
      <button
        ref={button}
        type="button"
        className={`nav-link btn btn-link dropdown-toggle ${active ? 'active' : ''}`}
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((v) => !v)}
      >
        <span>{group.label}</span>
        <Icon name="expand" size="sm" className="icon-primary ms-1" />
      </button>
      <div id={listId} className={`dropdown-menu ${open ? 'show' : ''}`}>
        <div className="link-list-wrapper">
          <ul className="link-list">
            {group.items.map((item) => (
              <li key={item.href}>
                <NavLinkItem
                  item={item}
                  active={item.match(pathname)}
                  className="dropdown-item list-item"
                  onNavigate={() => {
                    setOpen(false);
                    onNavigate();
                  }}
                />
              </li>
            ))}
          </ul>
        </div>
      </div>
    </li>
  );
}

function Header({ pathname }: { pathname: string }) {
  const { t } = useI18n();
  const { session, logout } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const { pendingRequests } = useNotifications();

  const items = session ? menuEntries(session.memberships, t, pendingRequests) : [];

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
                      <Link href="/account/tokens" className="text-white small d-none d-md-inline" aria-current={pathname.startsWith('/account/tokens') ? 'page' : undefined}>
                        {t('nav.tokens')}
                      </Link>
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
                          {items.map((entry) =>
                            isGroup(entry) ? (
                              <NavDropdown key={entry.id} group={entry} pathname={pathname} onNavigate={() => setMenuOpen(false)} />
                            ) : (
                              <li className="nav-item" key={entry.href}>
                                <NavLinkItem item={entry} active={entry.match(pathname)} onNavigate={() => setMenuOpen(false)} />
                              </li>
                            ),
                          )}
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
            <li className="list-inline-item">
              <Link href="/accessibilita" className="text-white">
                {t('a11y.footer')}
              </Link>
            </li>
            <li className="list-inline-item">
              <Link href="/privacy" className="text-white">
                {t('privacyNotice.footer')}
              </Link>
            </li>
            <li className="list-inline-item text-white">{t('app.footer.legal')}</li>
          </ul>
        </div>
      </div>
    </footer>
  );
}

/** The console's pages, where an operator's routing bar (presence, offers, held contacts) is shown. */
const isConsolePage = (p: string) => p === '/' || p === '/inbox' || p.startsWith('/tickets/') || p === '/requests';

export function Layout({ pathname, children }: { pathname: string; children: ReactNode }) {
  const { t } = useI18n();
  const { session } = useSession();
  const routing = session !== null && isRoutingOperator(session.memberships) && isConsolePage(pathname);
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
        {routing && <RoutingConsole />}
        {children}
      </main>
      <Footer />
    </>
  );
}
